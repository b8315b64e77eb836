/* Unit tests: the audit log (core/audit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/actions/audit.h"
#include "core/base/util.h"

static char tmpdir[64];

static int setup(void **state)
{
	util_strlcpy(tmpdir, "/tmp/kt-audit-XXXXXX", sizeof tmpdir);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char *argv_rm = xasprintf("%s", tmpdir);
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", argv_rm, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	free(argv_rm);
	return 0;
}

/* The lines of path, parsed; *n gets their number. */
static cJSON **read_lines(const char *path, size_t *n)
{
	char *text = NULL, *p, *nl;
	size_t len;
	cJSON **v = NULL;

	*n = 0;
	assert_int_equal(util_read_file(path, 1 << 20, &text, &len, NULL), 0);
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[*n] = cJSON_ParseWithLength(p, (size_t)(nl - p));
		assert_non_null(v[*n]);
		(*n)++;
	}
	assert_string_equal(p, "");   /* ends with a newline */
	free(text);
	return v;
}

static void free_lines(cJSON **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	free(v);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_format(void **state)
{
	struct audit_entry e = {
		.id = "1-2-3", .host = "monk", .target = "graf\"ana\n", .action = "restart",
		.forced = true, .result = "failed", .error = "docker: HTTP 500: \x01boom",
		.duration_ms = 1234,
	};
	char *line = audit_format(&e, 1763899200000, "kite", "laptop");
	cJSON *o;
	size_t len = strlen(line);

	assert_true(len > 0 && line[len - 1] == '\n');
	assert_null(memchr(line, '\n', len - 1));   /* one line whatever the fields hold */
	o = cJSON_Parse(line);
	assert_non_null(o);
	assert_string_equal(str(o, "time"), "2025-11-23T12:00:00Z");
	assert_string_equal(str(o, "id"), "1-2-3");
	assert_string_equal(str(o, "user"), "kite");
	assert_string_equal(str(o, "hostname"), "laptop");
	assert_string_equal(str(o, "host"), "monk");
	assert_string_equal(str(o, "target"), "graf\"ana\n");
	assert_string_equal(str(o, "action"), "restart");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "forced")));
	assert_string_equal(str(o, "result"), "failed");
	assert_string_equal(str(o, "error"), "docker: HTTP 500: \x01boom");
	assert_int_equal((int)cJSON_GetObjectItem(o, "duration_ms")->valuedouble, 1234);
	cJSON_Delete(o);
	free(line);

	/* NULL fields are JSON null; a huge error is cut, the line stays whole */
	{
		char *big = xmalloc(10000);

		memset(big, 'x', 9999);
		big[9999] = '\0';
		e = (struct audit_entry){ .action = "stop", .result = "ok", .error = big };
		line = audit_format(&e, 0, "u", "h");
		assert_true(strlen(line) < AUDIT_MAX_LINE);
		o = cJSON_Parse(line);
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "host")));
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "target")));
		assert_true(cJSON_IsFalse(cJSON_GetObjectItem(o, "forced")));
		cJSON_Delete(o);
		free(line);
		free(big);
	}
}

static void test_creates_dir_and_mode(void **state)
{
	char *path = xasprintf("%s/state/kitetop/audit.log", tmpdir);
	char *dir = xasprintf("%s/state/kitetop", tmpdir);
	struct audit_entry e = { .id = "x", .host = "monk", .target = "grafana",
	                         .action = "restart", .result = "ok" };
	struct stat st;
	cJSON **v;
	size_t n;
	mode_t old = umask(0);   /* the modes must not depend on the umask */

	assert_int_equal(audit_append(path, &e, NULL), 0);
	umask(old);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* an existing log with a wider mode is narrowed */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(audit_append(path, &e, NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	v = read_lines(path, &n);
	assert_int_equal(n, 2);
	assert_non_null(str(v[0], "user"));
	assert_non_null(str(v[0], "hostname"));
	free_lines(v, n);
	free(path);
	free(dir);
}

/* Lines are appended: after what another writer put there, and whole when
 * several processes write at once. */
static void test_appends(void **state)
{
	char *path = xasprintf("%s/audit.log", tmpdir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct audit_entry e = { .id = "x", .action = "restart", .result = "ok" };
	cJSON **v;
	size_t n;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"first\":1}\n", 12), 12);
	close(fd);
	assert_int_equal(audit_append(path, &e, NULL), 0);
	v = read_lines(path, &n);   /* the first line kept, the audit line after it */
	assert_int_equal(n, 2);
	assert_non_null(cJSON_GetObjectItem(v[0], "first"));
	assert_string_equal(str(v[1], "result"), "ok");
	free_lines(v, n);

	/* concurrent writers: 8 processes x 50 lines, every line whole */
	assert_int_equal(truncate(path, 0), 0);
	for (int p = 0; p < 8; p++) {
		pid_t pid = fork();

		if (pid == 0) {
			char id[32];

			for (int i = 0; i < 50; i++) {
				snprintf(id, sizeof id, "%d-%d", p, i);
				e.id = id;
				if (audit_append(path, &e, NULL) != 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int p = 0; p < 8; p++) {
		int status;

		wait(&status);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	v = read_lines(path, &n);   /* asserts every line parses */
	assert_int_equal(n, 400);
	free_lines(v, n);
	free(path);
}

static void test_refused_when_unwritable(void **state)
{
	char *file = xasprintf("%s/plainfile", tmpdir);
	char *under = xasprintf("%s/plainfile/audit.log", tmpdir);
	char *cause = NULL;
	struct audit_record r;
	int fd = open(file, O_WRONLY | O_CREAT, 0600);

	assert_true(fd >= 0);
	close(fd);
	/* a directory part that is a file (root ignores permission bits) */
	assert_int_equal(audit_begin(&r, under, "monk", "grafana", "restart", false, &cause), -1);
	assert_non_null(strstr(cause, "audit log"));
	assert_non_null(strstr(cause, "Not a directory"));
	assert_false(r.begun);
	audit_record_done(&r);
	free(cause);
	cause = NULL;
	/* the log is a directory */
	assert_int_equal(audit_append(tmpdir, &(struct audit_entry){ .result = "ok" }, &cause), -1);
	assert_non_null(strstr(cause, "Is a directory"));
	free(cause);
	cause = NULL;
	/* a full disk: the write itself fails */
	assert_int_equal(audit_begin(&r, "/dev/full", "monk", "grafana", "stop", false, &cause), -1);
	assert_non_null(strstr(cause, "cannot write the audit log /dev/full"));
	audit_record_done(&r);
	free(cause);
	cause = NULL;
	/* no path configured */
	assert_int_equal(audit_refused(NULL, "monk", "x", "stop", false, "read-only", &cause), -1);
	assert_non_null(strstr(cause, "no audit log"));
	free(cause);
	free(file);
	free(under);
}

static void test_begin_end_refused(void **state)
{
	char *path = xasprintf("%s/a/audit.log", tmpdir);
	struct audit_record r;
	cJSON **v;
	size_t n;

	assert_int_equal(audit_begin(&r, path, "monk", "grafana", "restart", false, NULL), 0);
	assert_true(r.begun);
	assert_int_equal(audit_end(&r, NULL, NULL), 0);
	assert_int_equal(audit_begin(&r, path, "kscloud1", "cloudflared", "drain", true, NULL), 0);
	assert_int_equal(audit_end(&r, "docker: no such container cloudflared", NULL), 0);
	assert_int_equal(audit_refused(path, "monk", "grafana", "stop", false, "read-only", NULL), 0);
	v = read_lines(path, &n);
	assert_int_equal(n, 5);
	assert_string_equal(str(v[0], "result"), "started");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(v[0], "error")));
	assert_string_equal(str(v[1], "result"), "ok");
	assert_string_equal(str(v[0], "id"), str(v[1], "id"));
	assert_string_equal(str(v[1], "host"), "monk");
	assert_string_equal(str(v[1], "target"), "grafana");
	assert_string_equal(str(v[2], "result"), "started");
	assert_string_not_equal(str(v[1], "id"), str(v[2], "id"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(v[3], "forced")));
	assert_string_equal(str(v[3], "result"), "failed");
	assert_string_equal(str(v[3], "error"), "docker: no such container cloudflared");
	assert_string_equal(str(v[3], "action"), "drain");
	assert_string_equal(str(v[4], "result"), "refused");
	assert_string_equal(str(v[4], "error"), "read-only");
	free_lines(v, n);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test_setup_teardown(test_creates_dir_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_when_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_end_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
