/* Tests of backends/prom_targets: the instances of an answer to `up` in
 * words for the error of a prom_selector that matches no target, sorted,
 * once each, bounded with "…"; and that only a "no scrape target" error
 * asks for them (an unreachable Prometheus is not asked again). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/prom_targets.h"
#include "backends/prometheus.h"
#include "core/base/buf.h"
#include "core/base/util.h"

/* An answer to `up` with n series: instance i is insts[i], job jobs[i]
 * (NULL: no such label). */
static void decode_up(struct prom_result *r, const char *const *insts, const char *const *jobs, size_t n)
{
	struct buf b;
	char *cause = NULL;

	buf_init(&b);
	buf_puts(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s{\"metric\":{\"__name__\":\"up\"", i > 0 ? "," : "");
		if (insts[i] != NULL)
			buf_printf(&b, ",\"instance\":\"%s\"", insts[i]);
		if (jobs[i] != NULL)
			buf_printf(&b, ",\"job\":\"%s\"", jobs[i]);
		buf_puts(&b, "},\"value\":[1796594835.5,\"1\"]}");
	}
	buf_puts(&b, "]}}");
	prom_result_init(r);
	if (prom_decode(b.data, b.len, r, &cause) != 0)
		fail_msg("%s", cause);
	buf_done(&b);
}

static void test_words_sorted_and_once(void **state)
{
	const char *const insts[] = { "127.0.0.3:9100", "127.0.0.2:9090", "127.0.0.2:9100", "127.0.0.3:9100", NULL };
	const char *const jobs[] = { "node", "prometheus", "node", "node", "pushgateway" };
	struct prom_result r;
	char *w;

	(void)state;
	decode_up(&r, insts, jobs, 5);
	w = prom_targets_words(&r, PROM_TARGETS_MAX);
	assert_string_equal(w, "instance=\"127.0.0.2:9090\" (prometheus), instance=\"127.0.0.2:9100\" (node), "
	                       "instance=\"127.0.0.3:9100\" (node)");
	free(w);
	/* bounded: the rest counted after "…" */
	w = prom_targets_words(&r, 1);
	assert_string_equal(w, "instance=\"127.0.0.2:9090\" (prometheus), \xe2\x80\xa6 (2 more)");
	free(w);
	prom_result_done(&r);
}

static void test_words_many_and_none(void **state)
{
	const char *insts[12], *jobs[12];
	char names[12][32];
	struct prom_result r;
	char *w;

	(void)state;
	for (size_t i = 0; i < 12; i++) {
		snprintf(names[i], sizeof names[i], "10.0.0.%zu:9100", i + 10);
		insts[i] = names[i];
		jobs[i] = NULL;
	}
	decode_up(&r, insts, jobs, 12);
	w = prom_targets_words(&r, PROM_TARGETS_MAX);
	assert_non_null(strstr(w, "instance=\"10.0.0.17:9100\", \xe2\x80\xa6 (4 more)"));
	assert_null(strstr(w, "10.0.0.18"));
	assert_null(strstr(w, "()"));   /* no job: no parentheses */
	free(w);
	prom_result_done(&r);
	/* no instance label at all, or no series */
	decode_up(&r, (const char *const[]){ NULL }, (const char *const[]){ "x" }, 1);
	assert_null(prom_targets_words(&r, PROM_TARGETS_MAX));
	prom_result_done(&r);
	decode_up(&r, insts, jobs, 0);
	assert_null(prom_targets_words(&r, PROM_TARGETS_MAX));
	prom_result_done(&r);
}

/* Only figures that all say "no scrape target" want the instances; the
 * words go after each figure's error; a query of `up` that fails says why
 * (this client has no HTTP client). */
static void test_wanted_and_added(void **state)
{
	struct prom_client c = { .base_url = "http://127.0.0.1:1", .timeout_ms = 200 };   /* .http NULL */
	struct metrics m;
	char *words = NULL, *cause = NULL;

	(void)state;
	metrics_init(&m);
	for (int f = 0; f < METRICS_NFIGURES; f++)
		metrics_set_error(&m, (enum metrics_figure)f, "no scrape target: up{x=\"y\"} has no series");
	assert_true(prom_targets_wanted(&m));
	prom_targets_add(&m, "instance=\"a:9100\" (node)");
	assert_string_equal(m.error[METRICS_UPTIME], "no scrape target: up{x=\"y\"} has no series; "
	                    "Prometheus has instance=\"a:9100\" (node)");
	metrics_set_error(&m, METRICS_LOAD, "node-exporter down (up == 0)");
	assert_false(prom_targets_wanted(&m));
	m.valid[METRICS_LOAD] = true;
	free(m.error[METRICS_LOAD]);
	m.error[METRICS_LOAD] = NULL;
	assert_false(prom_targets_wanted(&m));
	metrics_done(&m);
	assert_int_equal(prom_targets_query(&c, &words, &cause), -1);
	assert_non_null(cause);
	assert_null(words);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_sorted_and_once),
		cmocka_unit_test(test_words_many_and_none),
		cmocka_unit_test(test_wanted_and_added),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
