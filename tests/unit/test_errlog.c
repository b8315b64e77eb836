/* Unit tests: the error log (core/history/errlog): one line per change of a
 * source's error state (never one per refresh), in full with its time, the
 * end of an error with its length, and the bound with its rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/base/util.h"
#include "core/config/config.h"
#include "core/history/errlog.h"
#include "core/model/frame.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/kt-errlog-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static char *slurp(const char *path)
{
	char *text = NULL, *cause = NULL;
	size_t len = 0;

	if (util_read_file(path, 1 << 20, &text, &len, &cause) != 0) {
		free(cause);
		return xstrdup("");
	}
	return text;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static struct config *two_hosts(void)
{
	static const char text[] = "[host monk]\nssh = root@127.0.0.2\n[host kscloud1]\nssh = root@127.0.0.3\n"
	                           "[redis]\naddress = 127.0.0.3:6379\nvia = kscloud1\n";
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, sizeof text - 1, &cause);

	if (cfg == NULL)
		fail_msg("%s", cause);
	return cfg;
}

/* A frame: monk connected, its docker polled with err (NULL: ok) at t;
 * kscloud1 down with ssh_err (NULL: connected); redis with redis_err. */
static void set(struct frame *f, int64_t t, const char *docker_err, const char *ssh_err,
                const char *redis_err)
{
	f->taken_ms = t;
	f->hosts[0].reach = (struct fleet_reach){ .known = true, .connected = true, .rtt_ms = 1 };
	f->hosts[0].docker.feed = (struct frame_feed){ .configured = true, .polled = true,
	                                               .error = docker_err, .polled_ms = t };
	f->hosts[1].reach = (struct fleet_reach){ .known = true, .connected = ssh_err == NULL,
	                                          .since_ms = t };
	if (ssh_err != NULL)
		util_strlcpy(f->hosts[1].reach.error, ssh_err, sizeof f->hosts[1].reach.error);
	/* an unreachable host's own sources are not logged: they wait for it */
	f->hosts[1].docker.feed = (struct frame_feed){ .configured = true, .polled = true,
	                                               .error = ssh_err != NULL ? "docker: no SSH session" :
	                                                        NULL, .polled_ms = t };
	f->redis.feed = (struct frame_feed){ .configured = true, .polled = true, .error = redis_err,
	                                     .polled_ms = t };
}

static void test_one_line_per_change(void **state)
{
	struct config *cfg = two_hosts();
	char *path = xasprintf("%s/sub/dir/kitetop.log", dir), *text, *cause = NULL;
	struct errlog *l = errlog_open(path, 0, &cause);
	struct frame f;
	const int64_t t0 = 1796594400000;   /* 2026-12-06T22:00:00Z */
	struct stat st;

	assert_non_null(l);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	frame_init(&f, cfg);
	/* everything fine: nothing said */
	set(&f, t0, NULL, NULL, NULL);
	errlog_frame(l, &f);
	/* docker fails, the same error for ten refreshes, its numbers moving */
	for (int i = 0; i < 10; i++) {
		char err[80];

		snprintf(err, sizeof err, "docker: timeout after %d ms\nof waiting", 5000 + i);
		set(&f, t0 + 2000 + i * 2000, err, NULL, NULL);
		errlog_frame(l, &f);
	}
	/* a different error; then kscloud1 lost, redis failing, for 5 refreshes */
	set(&f, t0 + 30000, "docker: connection refused", NULL, NULL);
	errlog_frame(l, &f);
	for (int i = 0; i < 5; i++) {
		set(&f, t0 + 32000 + i * 2000, "docker: connection refused",
		    "ssh: cannot connect to 127.0.0.3 port 22: Connection refused", "redis: timeout");
		errlog_frame(l, &f);
	}
	/* all back */
	set(&f, t0 + 200000, NULL, NULL, NULL);
	errlog_frame(l, &f);
	errlog_frame(l, &f);
	assert_null(errlog_error(l));
	text = slurp(path);
	assert_string_equal(text,
		"2026-12-06T22:00:02.000Z monk docker: error: docker: timeout after 5000 ms of waiting\n"
		"2026-12-06T22:00:30.000Z monk docker: error: docker: connection refused\n"
		"2026-12-06T22:00:32.000Z kscloud1 ssh: error: ssh: cannot connect to 127.0.0.3 port 22: "
		"Connection refused\n"
		"2026-12-06T22:00:32.000Z redis: error: redis: timeout\n"
		"2026-12-06T22:03:20.000Z monk docker: ok again after 3 min\n"
		"2026-12-06T22:03:20.000Z kscloud1 ssh: ok again after 2 min\n"
		"2026-12-06T22:03:20.000Z redis: ok again after 2 min\n");
	free(text);
	errlog_free(l);
	/* a second kitetop appends; its first frame's errors are said again */
	l = errlog_open(path, 0, &cause);
	set(&f, t0 + 300000, NULL, NULL, "redis: timeout");
	errlog_frame(l, &f);
	errlog_free(l);
	text = slurp(path);
	assert_int_equal(count_lines(text), 8);
	assert_non_null(strstr(text, "\n2026-12-06T22:05:00.000Z redis: error: redis: timeout\n"));
	free(text);
	frame_release(&f);
	config_free(cfg);
	free(path);
}

static void test_bounded_with_rotation(void **state)
{
	struct config *cfg = two_hosts();
	char *path = xasprintf("%s/rot.log", dir), *old = xasprintf("%s.1", path), *text;
	struct errlog *l = errlog_open(path, 1000, NULL);
	struct frame f;
	struct stat st;

	frame_init(&f, cfg);
	for (int i = 0; i < 100; i++) {   /* 100 changes of ~70 bytes: rotated several times */
		char err[64];

		snprintf(err, sizeof err, "redis: error number %c%c", 'a' + i % 26, 'a' + i / 26);
		set(&f, 1796594400000 + i * 1000, NULL, NULL, err);
		errlog_frame(l, &f);
	}
	assert_null(errlog_error(l));
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 0 && st.st_size <= 1000);
	assert_int_equal(stat(old, &st), 0);
	assert_true(st.st_size > 900 && st.st_size <= 1000);
	text = slurp(path);
	/* the newest line is in the file, whole */
	assert_non_null(strstr(text, "redis: error: redis: error number vd\n"));
	free(text);
	errlog_free(l);
	frame_release(&f);
	config_free(cfg);
	free(path);
	free(old);
}

static void test_open_fails_with_the_reason(void **state)
{
	char *cause = NULL;
	struct errlog *l = errlog_open("/proc/kitetop/kitetop.log", 0, &cause);

	assert_null(l);
	assert_non_null(strstr(cause, "/proc/kitetop/kitetop.log"));
	free(cause);
}

static void test_default_path(void **state)
{
	char *p;

	setenv("XDG_STATE_HOME", "/x/state", 1);
	p = errlog_default_path();
	assert_string_equal(p, "/x/state/kitetop/kitetop.log");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	p = errlog_default_path();
	assert_string_equal(p, "/home/u/.local/state/kitetop/kitetop.log");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_per_change),
		cmocka_unit_test(test_bounded_with_rotation),
		cmocka_unit_test(test_open_fails_with_the_reason),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
