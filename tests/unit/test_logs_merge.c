/* Unit tests of a service's logs from every host (core/feeds/logs_merge):
 * Docker's RFC 3339 nano timestamps, the merge of the hosts' lines by time
 * (a slow host's late lines among those already shown), the since choices,
 * the regex search, the saved file's lines and name; and the command
 * line's `logs SERVICE --all-hosts`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/docker_parse.h"
#include "cli/cli.h"
#include "core/base/timeutil.h"
#include "core/feeds/logs_merge.h"

int main(void);

/* 2026-12-06T12:00:00Z in ms */
#define T0 1796558400000LL

struct got {
	int64_t ts[8];
	char text[8][32];
	int n;
};

static int collect(const struct docker_log_line *line, void *arg)
{
	struct got *g = arg;

	g->ts[g->n] = line->ts_ms;
	snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)line->len, line->text);
	g->n++;
	return 0;
}

static void test_docker_timestamps(void **state)
{
	static const char tty[] = "2026-12-06T12:00:01.234567891Z monk-line 1\n"
	                          "2026-12-06T12:00:01.9Z monk-line 2\n"
	                          "2026-12-06T13:00:02.000000001+01:00 same hour\n"
	                          "not-a-time keeps its text\n";
	struct docker_logdemux m;
	struct got g = { .n = 0 };
	int64_t ms;

	(void)state;
	assert_int_equal(time_parse_iso8601("2026-12-06T12:00:00Z", &ms), 0);
	assert_true(ms == T0);
	assert_int_equal(time_parse_iso8601("2026-12-06T12:00:01.234567891Z", &ms), 0);
	assert_true(ms == T0 + 1234);
	assert_int_equal(time_parse_iso8601("2026-12-06T12:00:01.", &ms), -1);
	assert_int_equal(time_parse_iso8601("2026-12-06 12:00", &ms), -1);

	docker_logdemux_init(&m, true, true, collect, &g);
	assert_int_equal(docker_logdemux_feed(&m, tty, sizeof tty - 1), 0);
	assert_int_equal(docker_logdemux_finish(&m), 0);
	docker_logdemux_done(&m);
	assert_int_equal(g.n, 4);
	assert_true(g.ts[0] == T0 + 1234);
	assert_string_equal(g.text[0], "monk-line 1");
	assert_true(g.ts[1] == T0 + 1900);
	assert_true(g.ts[2] == T0 + 2000);
	assert_string_equal(g.text[2], "same hour");
	assert_true(g.ts[3] == 0);
	assert_string_equal(g.text[3], "not-a-time keeps its text");
}

#define L(t, s) { .text = (char *)(s), .ts_ms = (t) }

static void test_merge_order(void **state)
{
	const struct logs_line monk[] = { L(100, "m1"), L(300, "m3"), L(300, "m3b"), L(500, "m5") };
	const struct logs_line ks[] = { L(200, "k2"), L(300, "k3"), L(600, "k6") };
	const struct logs_merge_src src[] = { { monk, 4 }, { ks, 3 } };
	static const char *const want[] = { "m1", "k2", "m3", "m3b", "k3", "m5", "k6" };
	struct logs_merge_ref out[8];
	size_t n;

	(void)state;
	n = logs_merge(src, 2, out);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(src[out[i].src].lines[out[i].line].text, want[i]);
}

/* A slow host's lines arrive after newer ones of the other were shown: the
 * next merge puts them in their place, and a line without a time stays
 * after its host's previous line. */
static void test_merge_late_lines(void **state)
{
	const struct logs_line fast[] = { L(100, "f1"), L(200, "f2"), L(300, "f3"), L(400, "f4") };
	const struct logs_line slow[] = { L(150, "s1"), L(0, "s1-more"), L(350, "s3") };
	struct logs_merge_src src[] = { { fast, 4 }, { slow, 0 } };
	static const char *const want[] = { "f1", "s1", "s1-more", "f2", "f3", "s3", "f4" };
	struct logs_merge_ref out[8];
	size_t n;

	(void)state;
	n = logs_merge(src, 2, out);   /* the slow host has sent nothing yet */
	assert_int_equal(n, 4);
	assert_string_equal(fast[out[3].line].text, "f4");
	src[1].n = 3;                  /* now it has */
	n = logs_merge(src, 2, out);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(src[out[i].src].lines[out[i].line].text, want[i]);
	assert_int_equal(logs_merge(src, 0, out), 0);
}

/* A host whose engine sent a line out of order: it still lands by its time,
 * and the lines after it are not held back. */
static void test_merge_out_of_order(void **state)
{
	const struct logs_line a[] = { L(100, "a1"), L(500, "a5"), L(200, "a2-late"), L(600, "a6") };
	const struct logs_line b[] = { L(300, "b3"), L(400, "b4") };
	const struct logs_merge_src src[] = { { a, 4 }, { b, 2 } };
	static const char *const want[] = { "a1", "a2-late", "b3", "b4", "a5", "a6" };
	struct logs_merge_ref out[8];
	size_t n;

	(void)state;
	n = logs_merge(src, 2, out);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(src[out[i].src].lines[out[i].line].text, want[i]);
}

static void test_since(void **state)
{
	(void)state;
	assert_int_equal(logs_since_count(), 4);
	assert_string_equal(logs_since_label(LOGS_SINCE_DEFAULT), "10m");
	assert_true(logs_since_seconds(LOGS_SINCE_DEFAULT) == 600);
	assert_string_equal(logs_since_label(0), "1m");
	assert_string_equal(logs_since_label(3), "all");
	assert_true(logs_since_seconds(3) == 0);
	assert_int_equal(logs_since_step(1, 1), 2);
	assert_int_equal(logs_since_step(3, 1), 3);    /* clamped at all */
	assert_int_equal(logs_since_step(0, -1), 0);   /* and at 1m */
	assert_int_equal(logs_since_step(2, -1), 1);
	assert_true(logs_since_parse("10m") == 600);
	assert_true(logs_since_parse("30s") == 30);
	assert_true(logs_since_parse("2h") == 7200);
	assert_true(logs_since_parse("1d") == 86400);
	assert_true(logs_since_parse("all") == 0);
	assert_true(logs_since_parse("10") == -1);
	assert_true(logs_since_parse("m") == -1);
	assert_true(logs_since_parse("-5m") == -1);
	assert_true(logs_since_parse("0m") == -1);
	assert_true(logs_since_parse("5mm") == -1);
	assert_true(logs_since_parse("9999d") == -1);
	assert_true(logs_since_parse(NULL) == -1);
}

static void test_regex(void **state)
{
	const char *const lines[] = { "monk-line 1", "kscloud1-line 3", "ERROR disk full", "monk-line 13" };
	regex_t re;
	char err[128];
	size_t so, eo;

	(void)state;
	assert_int_equal(logs_regex_compile(&re, "line [0-9]*3$", err, sizeof err), 0);
	assert_true(logs_regex_find(&re, lines[1], 0, &so, &eo));
	assert_int_equal(so, 9);
	assert_int_equal(eo, 15);
	assert_false(logs_regex_find(&re, lines[0], 0, &so, &eo));
	assert_int_equal(logs_regex_next(&re, lines, 4, -1, 1), 1);
	assert_int_equal(logs_regex_next(&re, lines, 4, 1, 1), 3);
	assert_int_equal(logs_regex_next(&re, lines, 4, 3, 1), 1);    /* wraps */
	assert_int_equal(logs_regex_next(&re, lines, 4, -1, -1), 3);  /* from the end */
	assert_int_equal(logs_regex_next(&re, lines, 4, 1, -1), 3);   /* wraps back */
	assert_int_equal(logs_regex_next(&re, lines, 0, -1, 1), -1);
	regfree(&re);

	/* case-insensitive, as the other viewers' search; anchors hold mid-line */
	assert_int_equal(logs_regex_compile(&re, "^error|FULL", err, sizeof err), 0);
	assert_true(logs_regex_find(&re, lines[2], 0, &so, &eo));
	assert_int_equal(so, 0);
	assert_true(logs_regex_find(&re, lines[2], 1, &so, &eo));
	assert_int_equal(so, 11);
	regfree(&re);

	/* an empty match is no match: the next real one is found */
	assert_int_equal(logs_regex_compile(&re, "x*", err, sizeof err), 0);
	assert_false(logs_regex_find(&re, "abc", 0, &so, &eo));
	assert_true(logs_regex_find(&re, "abxxc", 0, &so, &eo));
	assert_int_equal(so, 2);
	assert_int_equal(eo, 4);
	regfree(&re);

	assert_int_equal(logs_regex_compile(&re, "(unclosed", err, sizeof err), -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(logs_regex_compile(&re, "a{1", err, sizeof err), -1);
}

static void test_save_format(void **state)
{
	char *text = NULL, name[256], clock[24];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(logs_format_line(f, "monk", 8, T0 + 1234, "monk-line 1"), 0);
	assert_int_equal(logs_format_line(f, "kscloud1", 8, T0 + 61005, "kscloud1-line 1"), 0);
	assert_int_equal(logs_format_line(f, "monk", 8, 0, "no time"), 0);
	fclose(f);
	assert_string_equal(text, "monk      2026-12-06T12:00:01.234Z  monk-line 1\n"
	                          "kscloud1  2026-12-06T12:01:01.005Z  kscloud1-line 1\n"
	                          "monk      -  no time\n");
	free(text);

	logs_format_clock(clock, sizeof clock, T0 + 3723004);
	assert_string_equal(clock, "13:02:03.004");
	logs_format_clock(clock, sizeof clock, 0);
	assert_string_equal(clock, "");

	logs_save_name(name, sizeof name, "grafana", T0 + 5000);
	assert_string_equal(name, "./kitetop-logs-grafana-20261206-120005.txt");
	logs_save_name(name, sizeof name, "../etc/x y", T0);
	assert_string_equal(name, "./kitetop-logs-.._etc_x_y-20261206-120000.txt");
}

static int parse(struct cli *c, char **cause, int argc, ...)
{
	const char *argv[16] = { "kitetop" };
	va_list ap;

	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, const char *);
	va_end(ap);
	return cli_parse(argc, argv, c, cause);
}

static void test_cli_all_hosts(void **state)
{
	struct cli c;
	char *cause = NULL;

	(void)state;
	assert_int_equal(parse(&c, &cause, 5, "logs", "grafana", "--all-hosts", "--follow"), 0);
	assert_true(c.logs_all_hosts);
	assert_true(c.logs_follow);
	assert_string_equal(c.logs_host, "grafana");
	assert_null(c.logs_container);
	assert_true(c.logs_since_s == -1);   /* not given: the verb's 10m */
	assert_int_equal(parse(&c, &cause, 6, "logs", "--all-hosts", "--since", "1h", "grafana", "-f"), 0);
	assert_true(c.logs_since_s == 3600);
	assert_int_equal(parse(&c, &cause, 5, "logs", "grafana", "--all-hosts", "--since=all"), 0);
	assert_true(c.logs_since_s == 0);
	assert_int_equal(parse(&c, &cause, 5, "logs", "monk", "grafana", "--since=5m"), 0);
	assert_false(c.logs_all_hosts);
	assert_true(c.logs_since_s == 300);

	assert_int_equal(parse(&c, &cause, 5, "logs", "grafana", "--all-hosts", "--since=soon"), -1);
	assert_non_null(strstr(cause, "--since wants a duration"));
	free(cause);
	cause = NULL;
	assert_int_equal(parse(&c, &cause, 5, "logs", "monk", "grafana", "--all-hosts"), -1);
	assert_non_null(strstr(cause, "takes one service"));
	free(cause);
	cause = NULL;
	assert_int_equal(parse(&c, &cause, 3, "logs", "--all-hosts"), -1);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_timestamps),
		cmocka_unit_test(test_merge_order),
		cmocka_unit_test(test_merge_late_lines),
		cmocka_unit_test(test_merge_out_of_order),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_save_format),
		cmocka_unit_test(test_cli_all_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
