/* Integration tests of backends/redis against the lab's Redis (127.0.0.3:6379,
 * password in /run/kitetop-lab/redis.pass), skipped when it does not answer;
 * and against a listener on 127.0.0.3 (ephemeral port) that never answers and
 * a closed port, which need no Redis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/redis.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/pgredis_forward.h"

static char *password;     /* NULL: no lab */

#define NEED_LAB() do { if (password == NULL) { skip(); } } while (0)

static int group_setup(void **state)
{
	struct redis_target t = { "127.0.0.3", 6379, NULL, NULL, NULL };
	struct redis_status st;
	char *text = NULL, *cause = NULL;
	size_t len;

	(void)state;
	if (util_read_file("/run/kitetop-lab/redis.pass", 4096, &text, &len, &cause) != 0) {
		fprintf(stderr, "# no lab Redis (%s): its tests skip\n", cause);
		free(cause);
		return 0;
	}
	text[strcspn(text, "\r\n")] = 0;
	t.password = text;
	redis_status_init(&st);
	if (redis_poll(&t, 3000, &st, &cause) != 0) {
		fprintf(stderr, "# lab Redis does not answer (%s): its tests skip\n", cause);
		free(cause);
		free(text);
		return 0;
	}
	redis_status_done(&st);
	password = text;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(password);
	return 0;
}

static void test_poll_reports_version_memory_and_role(void **state)
{
	struct redis_target t = { "127.0.0.3", 0, NULL, NULL, NULL };
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	NEED_LAB();
	t.password = password;
	redis_status_init(&st);
	if (redis_poll(&t, 5000, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(strncmp(st.version, "7.", 2) == 0);
	assert_true(st.connected_clients >= 1);          /* us */
	assert_true(st.used_memory_bytes > 100000 && st.used_memory_bytes < (1LL << 32));
	assert_true(st.uptime_s >= 0);
	assert_string_equal(st.role, "master");
	assert_true(st.ping_ms >= 0 && st.ping_ms < 5000);
	redis_status_done(&st);
	/* the same with the ACL user named */
	t.user = "default";
	redis_status_init(&st);
	if (redis_poll(&t, 5000, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(strncmp(st.version, "7.", 2) == 0);
	redis_status_done(&st);
}

/* A kept connection: reused while it works (no reconnect, no AUTH), closed
 * and NULL after a failure. */
static void test_kept_connection_reused_and_dropped_on_failure(void **state)
{
	struct redis_target t = { "127.0.0.3", 0, NULL, NULL, NULL };
	struct redis_conn *conn = NULL, *first;
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	NEED_LAB();
	t.password = password;
	redis_status_init(&st);
	if (redis_poll_conn(&t, 5000, &conn, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_non_null(conn);
	first = conn;
	for (int i = 0; i < 3; i++) {
		redis_status_done(&st);
		if (redis_poll_conn(&t, 5000, &conn, &st, &cause) != 0)
			fail_msg("%s", cause);
		assert_ptr_equal(conn, first);
		assert_true(strncmp(st.version, "7.", 2) == 0);
	}
	redis_status_done(&st);
	redis_conn_free(conn);
	/* a failing first poll leaves nothing open */
	conn = NULL;
	t.password = "not-the-Secret-42";
	assert_int_equal(redis_poll_conn(&t, 5000, &conn, &st, &cause), -1);
	assert_null(conn);
	assert_non_null(strstr(cause, "WRONGPASS"));
	free(cause);
	redis_status_done(&st);
}

static void test_wrong_or_no_password_gives_the_server_reason(void **state)
{
	struct redis_target t = { "127.0.0.3", 6379, NULL, NULL, "not-the-Secret-42" };
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	NEED_LAB();
	redis_status_init(&st);
	assert_int_equal(redis_poll(&t, 5000, &st, &cause), -1);
	assert_string_equal(cause, "redis: WRONGPASS invalid username-password pair or user is "
			    "disabled.");
	free(cause);
	cause = NULL;
	t.password = NULL;
	assert_int_equal(redis_poll(&t, 5000, &st, &cause), -1);
	assert_string_equal(cause, "redis: NOAUTH Authentication required.");
	free(cause);
	redis_status_done(&st);
}

static void test_silent_listener_times_out(void **state)
{
	struct redis_target t = { "127.0.0.3", 0, NULL, NULL, "secret-pw" };
	struct redis_status st;
	char *cause = NULL;
	int fd = pgredis_listen("127.0.0.3", &t.port);
	int64_t t0;

	(void)state;
	redis_status_init(&st);
	t0 = time_mono_ms();
	assert_int_equal(redis_poll(&t, 1500, &st, &cause), -1);
	t0 = time_mono_ms() - t0;
	assert_string_equal(cause, "redis: timeout after 1.5 s");
	assert_true(t0 >= 1400 && t0 < 1800);
	free(cause);
	cause = NULL;
	t.password = NULL;
	t0 = time_mono_ms();
	assert_int_equal(redis_poll(&t, 1000, &st, &cause), -1);
	t0 = time_mono_ms() - t0;
	assert_string_equal(cause, "redis: timeout after 1 s");
	assert_true(t0 >= 900 && t0 < 1300);
	free(cause);
	redis_status_done(&st);
	close(fd);
}

static void test_closed_port_says_connection_refused(void **state)
{
	struct redis_target t = { "127.0.0.3", 0, NULL, NULL, NULL };
	struct redis_status st;
	char *cause = NULL, *want;
	int fd = pgredis_listen("127.0.0.3", &t.port);

	(void)state;
	close(fd);
	redis_status_init(&st);
	assert_int_equal(redis_poll(&t, 2000, &st, &cause), -1);
	want = xasprintf("redis: 127.0.0.3:%d: Connection refused", t.port);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	redis_status_done(&st);
}

/* Through a tunnel's unix socket (a forwarder to the lab's Redis). */
static void test_unix_socket_polls_and_missing_one_is_an_error(void **state)
{
	struct redis_target t = { NULL, 0, NULL, NULL, NULL };
	struct redis_status st;
	struct pgredis_forward *f;
	char dir[] = "/tmp/kt-itest-redis-XXXXXX", *path, *cause = NULL;

	(void)state;
	NEED_LAB();
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/redis.sock", dir);
	f = pgredis_forward_start(path, "127.0.0.3", 6379);
	assert_non_null(f);
	t.unix_path = path;
	t.password = password;
	redis_status_init(&st);
	if (redis_poll(&t, 5000, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(strncmp(st.version, "7.", 2) == 0);
	assert_true(st.connected_clients >= 1);
	redis_status_done(&st);
	assert_int_equal(pgredis_forward_stop(f), 1);
	/* the tunnel gone: its socket missing */
	redis_status_init(&st);
	assert_int_equal(redis_poll(&t, 2000, &st, &cause), -1);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "No such file or directory"));
	free(cause);
	redis_status_done(&st);
	rmdir(dir);
	free(path);
}

/* A server that answers PING and then an error to INFO, as a Redis with
 * INFO renamed away (rename-command) would.  Like Redis it answers each
 * command in order however they arrive (kitetop sends both in one write). */
static void *info_error_main(void *arg)
{
	static const char *const answers[2] = { "+PONG\r\n", "-ERR unknown command 'INFO'\r\n" };
	int lfd = *(int *)arg, a, i = 0;
	char buf[512];
	ssize_t n;

	a = accept(lfd, NULL, NULL);
	if (a < 0)
		return NULL;
	while (i < 2 && (n = read(a, buf, sizeof(buf) - 1)) > 0) {
		/* each command is an array: "*1\r\n$4\r\nPING\r\n" */
		for (ssize_t k = 0; k < n && i < 2; k++)
			if (buf[k] == '*' && util_write_all(a, answers[i], strlen(answers[i])) == 0)
				i++;
	}
	time_sleep_ms(100);
	close(a);
	return NULL;
}

static void test_info_refused_is_an_error_after_ping(void **state)
{
	struct redis_target t = { "127.0.0.3", 0, NULL, NULL, NULL };
	struct redis_status st;
	char *cause = NULL;
	int fd = pgredis_listen("127.0.0.3", &t.port);
	pthread_t th;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, info_error_main, &fd), 0);
	redis_status_init(&st);
	assert_int_equal(redis_poll(&t, 2000, &st, &cause), -1);
	pthread_join(th, NULL);
	assert_string_equal(cause, "redis: ERR unknown command 'INFO'");
	assert_true(st.ping_ms >= 0);
	free(cause);
	redis_status_done(&st);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_reports_version_memory_and_role),
		cmocka_unit_test(test_kept_connection_reused_and_dropped_on_failure),
		cmocka_unit_test(test_wrong_or_no_password_gives_the_server_reason),
		cmocka_unit_test(test_silent_listener_times_out),
		cmocka_unit_test(test_closed_port_says_connection_refused),
		cmocka_unit_test(test_unix_socket_polls_and_missing_one_is_an_error),
		cmocka_unit_test(test_info_refused_is_an_error_after_ping),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
