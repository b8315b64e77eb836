/* Unit tests: the event log (core/history/eventlog): lines and back, the
 * audit log's lines, the files (modes, rotation, two writers at once,
 * corruption), queries and --since. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/actions/audit.h"
#include "core/base/util.h"
#include "core/history/eventlog.h"

/* 2026-12-06T03:10:42.120Z */
#define T0 1796526642120LL

static char tmpdir[64];

static int setup(void **state)
{
	util_strlcpy(tmpdir, "/tmp/kt-eventlog-XXXXXX", sizeof tmpdir);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", tmpdir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	return 0;
}

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_text(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);

	assert_true(fd >= 0);
	assert_int_equal(util_write_all(fd, text, len), 0);
	close(fd);
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static struct event make_event(int64_t t, enum event_kind k, const char *host, const char *object,
                               const char *from, const char *to)
{
	struct event e = { .time_ms = t, .kind = k, .level = EVENT_LEVEL_WARN };

	EVENT_SET(e.host, host);
	EVENT_SET(e.object, object);
	EVENT_SET(e.from, from);
	EVENT_SET(e.to, to);
	return e;
}

static void assert_same_event(const struct event *a, const struct event *b)
{
	assert_int_equal(a->time_ms, b->time_ms);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->level, b->level);
	assert_string_equal(a->host, b->host);
	assert_string_equal(a->object, b->object);
	assert_string_equal(a->from, b->from);
	assert_string_equal(a->to, b->to);
	assert_string_equal(a->detail, b->detail);
	assert_string_equal(a->id, b->id);
}

/* ---- lines ---- */

static void test_round_trip_every_kind(void **state)
{
	/* 200 bytes of "é": cut at a character boundary by EVENT_SET */
	char long_utf8[401] = "", *line;

	for (int i = 0; i < 200; i++)
		strcat(long_utf8, "\xc3\xa9");
	for (int k = 0; k < EVENT_KIND_COUNT; k++) {
		for (int l = EVENT_LEVEL_OK; l <= EVENT_LEVEL_CRIT; l++) {
			struct event e = make_event(T0 + k, (enum event_kind)k, "mo\"nk\\",
			                            "a\x01\x1f\x7f" "b\n\r\t", "", "exited (1) → ✓");
			struct event back;

			e.level = (enum event_level)l;
			EVENT_SET(e.detail, long_utf8);
			EVENT_SET(e.id, "{\"id\":\"x\"}\u2028");
			line = eventlog_format(&e);
			assert_non_null(strchr(line, '\n'));
			assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
			assert_true(strlen(line) <= EVENTLOG_MAX_LINE);
			assert_int_equal(eventlog_parse(line, strlen(line), &back), 0);
			assert_same_event(&e, &back);
			/* no '\n' needed, nor a NUL after the line */
			assert_int_equal(eventlog_parse(line, strlen(line) - 1, &back), 0);
			assert_same_event(&e, &back);
			free(line);
		}
	}
	assert_true(strlen(make_event(0, 0, "", long_utf8, "", "").object) % 2 == 0);
}

static void test_format_fields(void **state)
{
	struct event e = make_event(T0, EVENT_CONTAINER, "monk", "kavita", "running", "exited (1)");
	char *line;

	e.level = EVENT_LEVEL_CRIT;
	line = eventlog_format(&e);
	assert_string_equal(line, "{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"container\","
	                          "\"level\":\"crit\",\"host\":\"monk\",\"object\":\"kavita\","
	                          "\"from\":\"running\",\"to\":\"exited (1)\",\"detail\":\"\","
	                          "\"id\":\"\"}\n");
	free(line);
	/* invalid UTF-8 becomes '?' so that the file stays JSON */
	EVENT_SET(e.detail, "a\xff\xc3z\xed\xa0\x80");
	line = eventlog_format(&e);
	assert_non_null(strstr(line, "\"detail\":\"a??z???\""));
	free(line);
}

static void test_format_caps_line(void **state)
{
	struct event e = { .time_ms = T0, .kind = EVENT_PROBE }, back;
	char *line;

	/* every control character is six bytes in JSON */
	memset(e.host, 1, sizeof e.host - 1);
	memset(e.object, 2, sizeof e.object - 1);
	memset(e.from, 3, sizeof e.from - 1);
	memset(e.to, 4, sizeof e.to - 1);
	memset(e.detail, 5, sizeof e.detail - 1);
	memset(e.id, 6, sizeof e.id - 1);
	line = eventlog_format(&e);
	assert_true(strlen(line) <= EVENTLOG_MAX_LINE);
	assert_true(strlen(line) > EVENTLOG_MAX_LINE - 6);
	assert_int_equal(eventlog_parse(line, strlen(line), &back), 0);
	assert_string_equal(back.object, e.object);
	assert_string_equal(back.id, e.id);
	assert_true(strlen(back.detail) < strlen(e.detail));
	assert_memory_equal(back.detail, e.detail, strlen(back.detail));
	free(line);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "\n", "{}", "[]", "null", "garbage", "{\"time\":",
		"{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"container\",\"obj",
		"{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"nope\"}",
		"{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"host\",\"level\":\"bad\"}",
		"{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"host\",\"level\":2}",
		"{\"kind\":\"host\",\"object\":\"monk\"}",
		"{\"time\":\"yesterday\",\"kind\":\"host\"}",
		"{\"time\":\"2026-13-06T03:10:42Z\",\"kind\":\"host\"}",
		"{\"time\":1796526642,\"kind\":\"host\"}",
		"{\"time\":\"2026-12-06T03:10:42Z\",\"kind\":\"host\",\"host\":7}",
		"{\"time\":\"2026-12-06T03:10:42Z\",\"kind\":\"host\"}x",
		"{\"time\":\"2026-12-06T03:10:42Z\",\"kind\":\"host\"}{}",
		"{\"time\":\"2026-12-06T03:10:42Z\",\"action\":\"restart\",\"result\":null}",
		"{\"time\":\"2026-12-06T03:10:42Z\",\"action\":\"restart\",\"result\":\"ok\",\"target\":[]}",
	};
	struct event e;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++)
		if (eventlog_parse(bad[i], strlen(bad[i]), &e) != -1)
			fail_msg("parsed: %s", bad[i]);
}

static void test_parse_lenient(void **state)
{
	static const char minimal[] = "{\"time\":\"2026-12-06T03:10:42Z\",\"kind\":\"host\","
	                              "\"object\":\"monk\",\"detail\":null}\r\n";
	static const char offset[] = "{\"kind\":\"source\",\"time\":\"2026-12-06T04:10:42.5+01:00\"} ";
	struct event e;

	assert_int_equal(eventlog_parse(minimal, strlen(minimal), &e), 0);
	assert_int_equal(e.time_ms, T0 - 120);
	assert_int_equal(e.kind, EVENT_HOST);
	assert_int_equal(e.level, EVENT_LEVEL_OK);
	assert_string_equal(e.object, "monk");
	assert_string_equal(e.detail, "");
	assert_int_equal(eventlog_parse(offset, strlen(offset), &e), 0);
	assert_int_equal(e.time_ms, T0 - 120 + 500);
	assert_int_equal(e.kind, EVENT_SOURCE);
}

static void test_parse_audit(void **state)
{
	struct audit_entry started = { .id = "4711-1-1", .host = "monk", .target = "grafana",
	                               .action = "restart", .result = "started" };
	struct audit_entry failed = { .id = "4711-1-1", .host = "monk", .target = "grafana",
	                              .action = "restart", .result = "failed",
	                              .error = "no such \"container\"", .duration_ms = 12 };
	struct audit_entry ok = { .id = "4711-1-2", .host = "monk", .target = "grafana",
	                          .action = "restart", .result = "ok", .duration_ms = 3240 };
	struct audit_entry refused = { .id = "9", .action = "drain", .result = "refused",
	                               .error = "read-only" };
	struct audit_entry unknown = { .id = "4711-1-3", .host = "monk", .target = "grafana",
	                               .action = "restart", .result = "unknown",
	                               .error = "the link to monk died", .duration_ms = 21000 };
	char *line;
	struct event e;

	line = audit_format(&started, T0, "kite", "laptop");
	assert_int_equal(eventlog_parse(line, strlen(line), &e), 0);
	free(line);
	assert_int_equal(e.kind, EVENT_ACTION);
	assert_int_equal(e.time_ms, T0 - 120);   /* the audit log keeps seconds */
	assert_int_equal(e.level, EVENT_LEVEL_OK);
	assert_string_equal(e.host, "monk");
	assert_string_equal(e.object, "grafana");
	assert_string_equal(e.from, "restart");
	assert_string_equal(e.to, "started");
	assert_string_equal(e.detail, "");
	assert_string_equal(e.id, "4711-1-1");

	line = audit_format(&failed, T0, "kite", "laptop");
	assert_int_equal(eventlog_parse(line, strlen(line), &e), 0);
	free(line);
	assert_int_equal(e.level, EVENT_LEVEL_WARN);
	assert_string_equal(e.to, "failed");
	assert_string_equal(e.detail, "in 12 ms: no such \"container\"");   /* how long it took, first */

	line = audit_format(&ok, T0, "kite", "laptop");
	assert_int_equal(eventlog_parse(line, strlen(line), &e), 0);
	free(line);
	assert_string_equal(e.to, "ok");
	assert_string_equal(e.detail, "in 3.2 s");

	/* the link died with the request out: someone has to look */
	line = audit_format(&unknown, T0, "kite", "laptop");
	assert_int_equal(eventlog_parse(line, strlen(line), &e), 0);
	free(line);
	assert_int_equal(e.level, EVENT_LEVEL_WARN);
	assert_string_equal(e.to, "unknown");
	assert_string_equal(e.detail, "in 21.0 s: the link to monk died");

	line = audit_format(&refused, T0, "kite", "laptop");
	assert_int_equal(eventlog_parse(line, strlen(line), &e), 0);
	free(line);
	assert_int_equal(e.level, EVENT_LEVEL_OK);
	assert_string_equal(e.host, "");
	assert_string_equal(e.object, "");
	assert_string_equal(e.from, "drain");
	assert_string_equal(e.to, "refused");
	assert_string_equal(e.detail, "read-only");
}

/* ---- files ---- */

static void test_append_creates_modes(void **state)
{
	char *pre = tmp_path("pre"), *path = tmp_path("pre/a/b/events.jsonl"), *a = tmp_path("pre/a");
	struct event e = make_event(T0, EVENT_HOST, "monk", "monk", "reachable", "unreachable");
	struct stat st;
	char *cause = NULL;

	umask(022);
	assert_int_equal(mkdir(pre, 0755), 0);
	assert_int_equal(eventlog_append(path, &e, 1, &cause), 0);
	assert_null(cause);
	assert_int_equal(stat(pre, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);   /* there before: left alone */
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(eventlog_append(path, &e, 1, &cause), 0);
	assert_int_equal(file_size(path) % 2, 0);   /* two equal lines */
	/* no place: an error in words */
	assert_int_equal(eventlog_append("", &e, 1, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(eventlog_append("/proc/kt-no/events.jsonl", &e, 1, &cause), -1);
	assert_non_null(strstr(cause, "/proc/kt-no"));
	free(cause);
	free(pre);
	free(path);
	free(a);
}

/* An event of about 3.2 kB on its line (control characters escape to six
 * bytes), called "NAME-SEQ", so that rotations come soon. */
static struct event big_event(const char *name, int seq, int64_t t)
{
	struct event e = { .time_ms = t, .kind = EVENT_CONTAINER, .level = EVENT_LEVEL_CRIT };

	snprintf(e.object, sizeof e.object, "%s-%d", name, seq);
	memset(e.host, 1, sizeof e.host - 1);
	memset(e.from, 2, sizeof e.from - 1);
	memset(e.to, 3, sizeof e.to - 1);
	memset(e.detail, 4, sizeof e.detail - 1);
	return e;
}

/* The sequence numbers of name's events in l, in their order; *n of them. */
static int *seqs_of(const struct event_list *l, const char *name, size_t *n)
{
	int *v = xcalloc(l->n + 1, sizeof *v);
	size_t nl = strlen(name);

	*n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (strncmp(l->v[i].object, name, nl) == 0 && l->v[i].object[nl] == '-')
			v[(*n)++] = atoi(l->v[i].object + nl + 1);
	return v;
}

/* name's events are the newest, in order: a run of numbers up to last. */
static void assert_newest_run(const struct event_list *l, const char *name, int last)
{
	size_t n;
	int *v = seqs_of(l, name, &n);

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], last - (int)(n - 1 - i));
	free(v);
}

static size_t total_size(const char *path, int *files)
{
	size_t total = 0;

	*files = 0;
	for (int i = 0; i <= EVENTLOG_KEEP + 1; i++) {
		char *p = i == 0 ? xstrdup(path) : xasprintf("%s.%d", path, i);
		off_t s = file_size(p);

		if (s >= 0) {
			(*files)++;
			total += (size_t)s;
			assert_true(s <= EVENTLOG_ROTATE_BYTES + 2 * EVENTLOG_MAX_LINE);
		}
		free(p);
	}
	return total;
}

static void test_rotation(void **state)
{
	char *path = tmp_path("events.jsonl"), *cause = NULL, *p4;
	struct eventlog_query q = { 0 };
	struct event_list l = { 0 };
	struct event batch[3];
	size_t skipped = 99, total;
	int files, n = 3000;

	for (int i = 0; i < n; i += 3) {
		for (int k = 0; k < 3; k++)
			batch[k] = big_event("r", i + k, T0 + i + k);
		assert_int_equal(eventlog_append(path, batch, 3, &cause), 0);
	}
	total = total_size(path, &files);
	assert_int_equal(files, EVENTLOG_KEEP + 1);
	assert_true(total <= (size_t)(EVENTLOG_KEEP + 1) * EVENTLOG_ROTATE_BYTES);
	assert_true(total > (size_t)EVENTLOG_KEEP * EVENTLOG_ROTATE_BYTES);
	p4 = xasprintf("%s.%d", path, EVENTLOG_KEEP + 1);
	assert_int_equal(file_size(p4), -1);
	assert_int_equal(eventlog_read(path, NULL, &q, &l, &skipped, &cause), 0);
	assert_int_equal(skipped, 0);
	assert_true(l.n < (size_t)n && l.n > (size_t)n / 2);
	assert_newest_run(&l, "r", n - 1);
	for (size_t i = 1; i < l.n; i++)
		assert_true(l.v[i - 1].time_ms < l.v[i].time_ms);
	event_list_free(&l);
	/* max: the newest only */
	q.max = 10;
	assert_int_equal(eventlog_read(path, NULL, &q, &l, NULL, &cause), 0);
	assert_int_equal(l.n, 10);
	assert_newest_run(&l, "r", n - 1);
	event_list_free(&l);
	free(p4);
	free(path);
}

static void writer(const char *path, const char *name, int n)
{
	char *cause = NULL;

	for (int i = 0; i < n; i++) {
		struct event e = big_event(name, i, T0 + i);

		if (eventlog_append(path, &e, 1, &cause) != 0)
			_exit(1);
	}
	_exit(0);
}

static void test_two_writers(void **state)
{
	char *path = tmp_path("two/events.jsonl"), *cause = NULL;
	struct eventlog_query q = { 0 };
	struct event_list l = { 0 };
	size_t skipped = 99, lines = 0, total;
	pid_t pids[2];
	int status, files;

	for (int w = 0; w < 2; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			writer(path, w == 0 ? "a" : "b", 2000);
	}
	for (int w = 0; w < 2; w++) {
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	total = total_size(path, &files);
	assert_int_equal(files, EVENTLOG_KEEP + 1);
	assert_true(total <= (size_t)(EVENTLOG_KEEP + 1) * (EVENTLOG_ROTATE_BYTES + 2 * EVENTLOG_MAX_LINE));
	assert_int_equal(eventlog_read(path, NULL, &q, &l, &skipped, &cause), 0);
	/* every line whole: nothing skipped, each event as written */
	assert_int_equal(skipped, 0);
	for (int i = 0; i <= EVENTLOG_KEEP; i++) {
		char *p = i == 0 ? xstrdup(path) : xasprintf("%s.%d", path, i), *text = NULL;
		size_t len = 0;

		assert_int_equal(util_read_file(p, 8u << 20, &text, &len, NULL), 0);
		for (size_t k = 0; k < len; k++)
			lines += text[k] == '\n';
		assert_true(len > 0 && text[len - 1] == '\n');
		free(text);
		free(p);
	}
	assert_int_equal(l.n, lines);
	for (size_t i = 0; i < l.n; i++) {
		struct event want = big_event("x", 0, 0);

		assert_string_equal(l.v[i].detail, want.detail);
		assert_string_equal(l.v[i].to, want.to);
	}
	/* what the cap dropped is each writer's oldest */
	assert_newest_run(&l, "a", 1999);
	assert_newest_run(&l, "b", 1999);
	event_list_free(&l);
	free(path);
}

static void test_corruption(void **state)
{
	char *path = tmp_path("events.jsonl"), *cause = NULL, *line, *huge;
	struct event e = make_event(T0, EVENT_HEALTH, "monk", "grafana", "healthy", "unhealthy");
	struct eventlog_query q = { 0 };
	struct event_list l = { 0 };
	static const char junk[] = "garbage\n\x00\x01\xff\xfe binary\x00 junk\n{\"time\":\"2026\n\n";
	size_t skipped = 0;

	line = eventlog_format(&e);
	write_text(path, line, strlen(line));
	write_text(path, junk, sizeof junk - 1);
	/* an event over the line cap, and a line longer than the read buffer */
	huge = xmalloc(3u << 20);
	memset(huge, 'x', 3u << 20);
	snprintf(huge, 64, "{\"time\":\"2026-12-06T03:10:42.120Z\",\"kind\":\"host\",\"detail\":\"");
	huge[EVENTLOG_MAX_LINE + 100] = '"';
	huge[EVENTLOG_MAX_LINE + 101] = '}';
	huge[EVENTLOG_MAX_LINE + 102] = '\n';
	write_text(path, huge, EVENTLOG_MAX_LINE + 103);
	huge[EVENTLOG_MAX_LINE + 102] = 'x';
	huge[(3u << 20) - 1] = '\n';
	write_text(path, huge, 3u << 20);
	write_text(path, line, strlen(line));
	/* a line cut by a crash */
	write_text(path, line, strlen(line) / 2);
	assert_int_equal(eventlog_read(path, NULL, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 2);
	assert_same_event(&l.v[0], &e);
	assert_same_event(&l.v[1], &e);
	/* garbage, binary, "{"time":"2026", two long lines, the cut one */
	assert_int_equal(skipped, 6);
	event_list_free(&l);
	/* a whole last line without its '\n' is an event */
	write_text(path, "\n", 1);
	write_text(path, line, strlen(line) - 1);
	assert_int_equal(eventlog_read(path, NULL, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(skipped, 6);
	event_list_free(&l);
	free(huge);
	free(line);
	free(path);
}

static void test_missing_and_unreadable(void **state)
{
	char *path = tmp_path("none/events.jsonl"), *cause = NULL;
	struct eventlog_query q = { 0 };
	struct event_list l = { 0 };
	size_t skipped = 7;

	assert_int_equal(eventlog_read(path, path, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(skipped, 0);
	assert_int_equal(eventlog_read(NULL, NULL, &q, &l, NULL, &cause), 0);
	/* a directory where the log should be */
	assert_int_equal(eventlog_read(tmpdir, NULL, &q, &l, NULL, &cause), -1);
	assert_non_null(strstr(cause, tmpdir));
	free(cause);
	free(path);
}

/* The log: an event a minute on two hosts and the shared layer; the audit
 * log: actions between them (and one at the same time as an event). */
static void write_query_logs(const char *path, const char *audit)
{
	static const char *const hosts[] = { "monk", "kscloud1", "" };
	struct audit_entry a = { .id = "1", .host = "monk", .target = "grafana", .action = "restart",
	                         .result = "started" };
	char *cause = NULL;

	for (int i = 0; i < 30; i++) {
		struct event e = make_event(T0 - 120 + i * 60000, EVENT_CONTAINER, hosts[i % 3], "grafana",
		                            "running", "exited (1)");

		EVENT_SET(e.id, i == 10 ? "tie" : "");
		assert_int_equal(eventlog_append(path, &e, 1, &cause), 0);
	}
	for (int i = 0; i < 30; i += 5) {
		char *line;

		a.host = i % 2 == 0 ? "monk" : "kscloud1";
		/* whole seconds: 30 s after the events, or on one of them */
		line = audit_format(&a, T0 - 120 + i * 60000 + (i == 10 ? 0 : 30000), "kite", "laptop");
		write_text(audit, line, strlen(line));
		free(line);
	}
	write_text(audit, "not json\n", 9);   /* not counted: not the event log's */
}

static void test_query_and_merge(void **state)
{
	char *path = tmp_path("events.jsonl"), *audit = tmp_path("audit.log"), *cause = NULL;
	struct eventlog_query q = { 0 };
	struct event_list l = { 0 };
	size_t skipped = 9;

	write_query_logs(path, audit);
	assert_int_equal(eventlog_read(path, audit, &q, &l, &skipped, &cause), 0);
	assert_int_equal(skipped, 0);
	assert_int_equal(l.n, 36);
	for (size_t i = 1; i < l.n; i++)
		assert_true(l.v[i - 1].time_ms <= l.v[i].time_ms);
	/* on a tie the log's event comes first */
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].id, "tie") == 0) {
			assert_int_equal(l.v[i + 1].kind, EVENT_ACTION);
			assert_int_equal(l.v[i + 1].time_ms, l.v[i].time_ms);
		}
	}
	event_list_free(&l);

	q.since_ms = T0 - 120 + 20 * 60000;   /* events 20..29, actions at 20 and 25 */
	assert_int_equal(eventlog_read(path, audit, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 12);
	assert_int_equal(l.v[0].time_ms, q.since_ms);
	event_list_free(&l);

	q.host = "monk";   /* events 21, 24, 27; the action at 20 */
	assert_int_equal(eventlog_read(path, audit, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 4);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i].host, "monk");
	assert_int_equal(l.v[0].kind, EVENT_ACTION);
	event_list_free(&l);

	q = (struct eventlog_query){ .host = "", .max = 3 };   /* the shared layer's newest */
	assert_int_equal(eventlog_read(path, audit, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[2].time_ms, T0 - 120 + 29 * 60000);
	assert_int_equal(l.v[0].time_ms, T0 - 120 + 23 * 60000);
	event_list_free(&l);

	q = (struct eventlog_query){ .max = 5 };   /* the newest of both files */
	assert_int_equal(eventlog_read(path, audit, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.v[0].kind, EVENT_ACTION);   /* at 25:30, then events 26..29 */
	assert_int_equal(l.v[0].time_ms, T0 - 120 + 25 * 60000 + 30000);
	assert_int_equal(l.v[4].time_ms, T0 - 120 + 29 * 60000);
	event_list_free(&l);
	free(path);
	free(audit);
}

static void test_since_skips_old_lines_unparsed(void **state)
{
	char *path = tmp_path("events.jsonl"), *cause = NULL;
	/* old: only its time is read, so its rest is not judged */
	static const char text[] =
		"{\"time\":\"2026-12-06T03:00:00.000Z\",\"kind\":\"broken\n"
		"{\"time\":\"2026-12-06T03:20:00.000Z\",\"kind\":\"broken\n"
		"{\"time\":\"2026-12-06T03:20:00.000Z\",\"kind\":\"host\",\"object\":\"monk\"}\n";
	struct eventlog_query q = { .since_ms = T0 };
	struct event_list l = { 0 };
	size_t skipped = 0;

	write_text(path, text, sizeof text - 1);
	assert_int_equal(eventlog_read(path, NULL, &q, &l, &skipped, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(skipped, 1);
	event_list_free(&l);
	free(path);
}

/* ---- --since, the default path ---- */

static void test_parse_since(void **state)
{
	static const char *const bad[] = {
		"", "h", "1x", "-1h", "1h2", "1.5h", "2026-13-01", "2026-02-30", "2026-12-06T3:00",
		"2026-12-06T03:00:00:00", "2026-12-06T", "2026-12-06 03", "2026/12/06",
		"99999999999999h", "2026-12-06T24:00",
	};
	int64_t now = T0, v = 0;
	char *cause = NULL;

	assert_int_equal(eventlog_parse_since("90s", now, &v, &cause), 0);
	assert_int_equal(v, now - 90000);
	assert_int_equal(eventlog_parse_since("15m", now, &v, &cause), 0);
	assert_int_equal(v, now - 900000);
	assert_int_equal(eventlog_parse_since("1h", now, &v, &cause), 0);
	assert_int_equal(v, now - 3600000);
	assert_int_equal(eventlog_parse_since("2d", now, &v, &cause), 0);
	assert_int_equal(v, now - 2 * 86400000LL);
	assert_int_equal(eventlog_parse_since("3600", now, &v, &cause), 0);
	assert_int_equal(v, now - 3600000);
	assert_int_equal(eventlog_parse_since("2026-12-06T03:10Z", now, &v, &cause), 0);
	assert_int_equal(v, T0 - 42120);
	assert_int_equal(eventlog_parse_since("2026-12-06 03:10:42Z", now, &v, &cause), 0);
	assert_int_equal(v, T0 - 120);
	assert_int_equal(eventlog_parse_since("2026-12-06Z", now, &v, &cause), 0);
	assert_int_equal(v, T0 - 120 - (3 * 3600 + 10 * 60 + 42) * 1000LL);
	/* local time: a zone one hour east of UTC, no summer time */
	setenv("TZ", "KTT-1", 1);
	tzset();
	assert_int_equal(eventlog_parse_since("2026-12-06T04:10", now, &v, &cause), 0);
	assert_int_equal(v, T0 - 42120);
	assert_int_equal(eventlog_parse_since("2026-12-06", now, &v, &cause), 0);
	assert_int_equal(v, T0 - 120 - (4 * 3600 + 10 * 60 + 42) * 1000LL);
	unsetenv("TZ");
	tzset();
	assert_null(cause);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		if (eventlog_parse_since(bad[i], now, &v, &cause) != -1)
			fail_msg("parsed --since %s", bad[i]);
		assert_non_null(strstr(cause, "--since"));
	}
	free(cause);
}

static void test_default_path(void **state)
{
	char *p;

	setenv("XDG_STATE_HOME", "/srv/state", 1);
	setenv("HOME", "/home/kite", 1);
	p = eventlog_default_path();
	assert_string_equal(p, "/srv/state/kitetop/events.jsonl");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1);
	p = eventlog_default_path();
	assert_string_equal(p, "/home/kite/.local/state/kitetop/events.jsonl");
	free(p);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	assert_null(eventlog_default_path());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_kind),
		cmocka_unit_test(test_format_fields),
		cmocka_unit_test(test_format_caps_line),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_lenient),
		cmocka_unit_test(test_parse_audit),
		cmocka_unit_test_setup_teardown(test_append_creates_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corruption, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_and_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_since_skips_old_lines_unparsed, setup, teardown),
		cmocka_unit_test(test_parse_since),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
