/* Unit tests of the [panel] figures (core/panels.c) and of the panels source
 * (core/lab_panels.c) against a stand-in Prometheus (tests/support/prom_fake):
 * {host_selector} substitution, host attribution, labels, the series cap,
 * formatting by unit, warn/crit, history seeding, one request per refresh,
 * and bad answers (HTML, 20 MB, 10,000 series, a "value": ["x", null], a
 * parse error, a scalar) each a clear error on its own panel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "backends/prometheus.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/feeds/panels.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/prom_fake.h"

static void test_host_selector_substituted_into_queries(void **state)
{
	static const struct {
		const char *query, *sel, *want;
	} cases[] = {
		{ "node_load1{host_selector}", "instance=\"a:9100\"", "node_load1{instance=\"a:9100\"}" },
		{ "node_load1{host_selector}", "{instance=\"a:9100\"} ", "node_load1{instance=\"a:9100\"}" },
		{ "rate(x{mode=\"idle\",{host_selector}}[1m])", "instance=\"a\"",
		  "rate(x{mode=\"idle\",instance=\"a\"}[1m])" },
		{ "rate(x{mode=\"idle\", {host_selector}}[1m])", "instance=\"a\"",
		  "rate(x{mode=\"idle\",instance=\"a\"}[1m])" },
		{ "x{{host_selector}}", "job=\"n\",instance=\"a\"", "x{job=\"n\",instance=\"a\"}" },
		{ "a{host_selector} / b{host_selector}", "i=\"1\"", "a{i=\"1\"} / b{i=\"1\"}" },
		{ "x{a=\"b\",{host_selector}}", NULL, "x{a=\"b\"}" },
		{ "x{host_selector}", "", "x{}" },
		{ "sum(up)", "i=\"1\"", "sum(up)" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = panels_substitute(cases[i].query, cases[i].sel);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s with %s: got %s, want %s", cases[i].query, cases[i].sel, got, cases[i].want);
		free(got);
	}
	assert_true(panels_has_placeholder("a{host_selector}"));
	assert_false(panels_has_placeholder("a{instance=\"x\"}"));
	assert_false(panels_has_placeholder(NULL));
}

/* Decodes a vector answer with the given series (JSON items). */
static void decode(const char *items, struct prom_result *r)
{
	char *body = xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
	                       "\"result\":[%s]}}", items), *cause = NULL;

	prom_result_init(r);
	if (prom_decode(body, strlen(body), r, &cause) != 0)
		fail_msg("%s", cause);
	free(body);
}

static const char *const host_names[] = { "monk", "kscloud1", "bare" };
static const char *const host_sels[] = { "instance=\"127.0.0.2:9100\"", "instance=\"127.0.0.3:9100\"", NULL };
static const struct panels_hosts hosts = { host_names, host_sels, 3 };

static void test_series_matched_to_hosts_and_labelled_by_difference(void **state)
{
	struct prom_result r;
	struct config_panel cfg = { .title = (char *)"Load", .per_host = true };
	struct panel_data pd = { .cfg = &cfg };
	struct panels_input in[8];
	const struct panels_hosts odd = { host_names, (const char *const[]){ "instance=~\"127.*\"",
	                                  "job=\"node\"", "{ job = \"node\" , host=\"monk\" }" }, 3 };

	/* the lab's node_load1: kscloud1's series first in the answer */
	decode("{\"metric\":{\"__name__\":\"node_load1\",\"host\":\"kscloud1\",\"instance\":\"127.0.0.3:9100\",\"job\":\"node\"},\"value\":[1,\"2.5\"]},"
	       "{\"metric\":{\"__name__\":\"node_load1\",\"host\":\"monk\",\"instance\":\"127.0.0.2:9100\",\"job\":\"node\"},\"value\":[1,\"1.25\"]},"
	       "{\"metric\":{\"__name__\":\"node_load1\",\"instance\":\"127.0.0.9:9100\",\"job\":\"node\"},\"value\":[1,\"9\"]}", &r);
	assert_int_equal(panels_match_host(&r.series[0], &hosts), 1);
	assert_int_equal(panels_match_host(&r.series[1], &hosts), 0);
	assert_int_equal(panels_match_host(&r.series[2], &hosts), -1);
	/* a regex matcher never matches; two hosts claiming a series: neither */
	assert_int_equal(panels_match_host(&r.series[1], &odd), -1);
	for (size_t i = 0; i < 3; i++)
		in[i] = (struct panels_input){ .s = &r.series[i], .host = -1 };
	panels_build(&pd, in, 3, &hosts);
	assert_int_equal(pd.n, 3);
	assert_int_equal(pd.total, 3);
	assert_null(pd.error);
	/* hosts in configuration order, the hostless last, labelled by what differs */
	assert_string_equal(pd.series[0].label, "monk");
	assert_true(pd.series[0].value == 1.25 && pd.series[0].host == 0);
	assert_string_equal(pd.series[1].label, "kscloud1");
	assert_string_equal(pd.series[2].label, "instance=127.0.0.9:9100");
	assert_int_equal(pd.series[2].host, -1);
	assert_string_equal(pd.series[0].key,
	                    "0 __name__=node_load1 host=monk instance=127.0.0.2:9100 job=node");
	/* not per_host: no host names, the labels that differ */
	cfg.per_host = false;
	panels_build(&pd, in, 2, &hosts);
	assert_string_equal(pd.series[0].label, "host=kscloud1 instance=127.0.0.3:9100");
	/* one series: all its labels; none: "value" */
	panels_build(&pd, in, 1, &hosts);
	assert_string_equal(pd.series[0].label, "host=kscloud1 instance=127.0.0.3:9100 job=node");
	prom_result_done(&r);
	decode("{\"metric\":{},\"value\":[1,\"3\"]}", &r);
	in[0].s = &r.series[0];
	panels_build(&pd, in, 1, &hosts);
	assert_string_equal(pd.series[0].label, "value");
	prom_result_done(&r);
	/* two series of one host: the host and what tells them apart */
	cfg.per_host = true;
	decode("{\"metric\":{\"instance\":\"127.0.0.2:9100\",\"mode\":\"user\"},\"value\":[1,\"1\"]},"
	       "{\"metric\":{\"instance\":\"127.0.0.2:9100\",\"mode\":\"system\"},\"value\":[1,\"2\"]},"
	       "{\"metric\":{\"instance\":\"127.0.0.3:9100\",\"mode\":\"user\"},\"value\":[1,\"3\"]}", &r);
	for (size_t i = 0; i < 3; i++)
		in[i] = (struct panels_input){ .s = &r.series[i], .host = -1 };
	panels_build(&pd, in, 3, &hosts);
	assert_string_equal(pd.series[0].label, "monk instance=127.0.0.2:9100 mode=system");
	assert_string_equal(pd.series[1].label, "monk instance=127.0.0.2:9100 mode=user");
	assert_string_equal(pd.series[2].label, "kscloud1");
	/* a run for one host ({host_selector}) belongs to that host whatever its labels */
	in[0].host = 1;
	assert_int_equal(panels_series_host(&in[0], &cfg, &hosts), 1);
	prom_result_done(&r);
	panel_data_done(&pd);
}

/* 10,000 series: 16 kept, in label order, the total counted. */
static void test_series_capped_in_label_order_total_counted(void **state)
{
	struct prom_result r;
	struct config_panel cfg = { .title = (char *)"many" };
	struct panel_data pd = { .cfg = &cfg };
	struct panels_input *in = xcalloc(10000, sizeof *in);
	char *items = NULL;
	struct buf b;

	buf_init(&b);
	for (int i = 9999; i >= 0; i--)
		buf_printf(&b, "%s{\"metric\":{\"i\":\"%05d\"},\"value\":[1,\"%d\"]}", i < 9999 ? "," : "", i, i);
	items = buf_steal(&b);
	decode(items, &r);
	free(items);
	assert_int_equal(r.n, 10000);
	for (size_t i = 0; i < r.n; i++)
		in[i] = (struct panels_input){ .s = &r.series[i], .host = -1 };
	panels_build(&pd, in, r.n, &hosts);
	assert_int_equal(pd.n, PANELS_MAX_SERIES);
	assert_int_equal(pd.total, 10000);
	assert_string_equal(pd.series[0].label, "i=00000");
	assert_string_equal(pd.series[15].label, "i=00015");
	assert_true(pd.series[15].value == 15);
	panel_data_done(&pd);
	panels_build(&pd, in, 0, &hosts);
	assert_int_equal(pd.n, 0);
	assert_int_equal(pd.total, 0);
	panel_data_done(&pd);
	prom_result_done(&r);
	free(in);
}

static void test_values_formatted_by_unit_and_leveled_by_threshold(void **state)
{
	static const struct {
		enum config_unit unit;
		double v;
		const char *want;
	} cases[] = {
		{ CONFIG_UNIT_BYTES, 1536, "1.5 KiB" },
		{ CONFIG_UNIT_BYTES, 5e9, "4.7 GiB" },
		{ CONFIG_UNIT_BYTES, -2048, "-2.0 KiB" },
		{ CONFIG_UNIT_PERCENT, 12.345, "12.3%" },
		{ CONFIG_UNIT_PERCENT, 100, "100%" },
		{ CONFIG_UNIT_SECONDS, 0.25, "250 ms" },
		{ CONFIG_UNIT_SECONDS, 0.0000026, "3 \xc2\xb5s" },
		{ CONFIG_UNIT_SECONDS, 4.21, "4.2 s" },
		{ CONFIG_UNIT_SECONDS, 190, "3m10s" },
		{ CONFIG_UNIT_SECONDS, 90000, "1d01h" },
		{ CONFIG_UNIT_PLAIN, 3.18, "3.18" },
		{ CONFIG_UNIT_PLAIN, 42, "42" },
		{ CONFIG_UNIT_PLAIN, 123.4, "123" },
		{ CONFIG_UNIT_PLAIN, 12345, "12.3k" },
		{ CONFIG_UNIT_PLAIN, 4.5e6, "4.5M" },
		{ CONFIG_UNIT_PLAIN, 7.25e9, "7.2G" },
		{ CONFIG_UNIT_PLAIN, -0.5, "-0.50" },
		{ CONFIG_UNIT_PLAIN, NAN, "NaN" },
		{ CONFIG_UNIT_PERCENT, INFINITY, "+Inf" },
		{ CONFIG_UNIT_BYTES, -INFINITY, "-Inf" },
	};
	struct config_panel up = { .has_warn = true, .warn = 80, .has_crit = true, .crit = 95 };
	struct config_panel down = { .has_warn = true, .warn = 20, .has_crit = true, .crit = 5 };
	struct config_panel warn_only = { .has_warn = true, .warn = 1 };
	struct config_panel none = { 0 };
	char out[32];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		panels_format_value(out, sizeof out, cases[i].unit, cases[i].v);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%g: got %s, want %s", cases[i].v, out, cases[i].want);
	}
	assert_int_equal(panels_level(&up, 79.9), PANELS_OK);
	assert_int_equal(panels_level(&up, 80), PANELS_WARN);
	assert_int_equal(panels_level(&up, 95), PANELS_CRIT);
	assert_int_equal(panels_level(&up, NAN), PANELS_OK);
	assert_int_equal(panels_level(&down, 50), PANELS_OK);
	assert_int_equal(panels_level(&down, 20), PANELS_WARN);
	assert_int_equal(panels_level(&down, 1), PANELS_CRIT);
	assert_int_equal(panels_level(&warn_only, 1e9), PANELS_WARN);
	assert_int_equal(panels_level(&none, 1e9), PANELS_OK);
}

/* ---- the source, against the stand-in Prometheus ---- */

static struct config *lab_config(const char *url, const char *panels)
{
	char *text = xasprintf("[kitetop]\nrefresh = 0.2\ntimeout = 3\n"
	                       "[host monk]\nprom_selector = instance=\"a:9100\"\n"
	                       "[host kscloud1]\nprom_selector = instance=\"b:9100\"\n"
	                       "[prometheus]\nurl = %s\n%s", url, panels);
	char *cause = NULL;
	struct config *cfg = config_parse("panels.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("%s", cause);
	free(text);
	return cfg;
}

/* The panels' value after the source's first poll (a reference). */
static struct snapshot *first_panels(struct feeds *feeds)
{
	int64_t deadline = time_mono_ms() + 15000;
	char *cause = NULL;

	assert_non_null(feeds->panels);
	if (feeds_start(feeds, &cause) != 0)
		fail_msg("%s", cause);
	while (source_seq(feeds->panels) == 0 && time_mono_ms() < deadline)
		time_sleep_ms(10);
	assert_true(source_seq(feeds->panels) > 0);
	return source_get(feeds->panels);
}

static const struct panel_data *find(const struct panels *p, const char *title)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].cfg->title, title) == 0)
			return &p->items[i];
	fail_msg("no panel %s", title);
	return NULL;
}

static void test_source_polls_seeds_history_and_batches_requests(void **state)
{
	struct prom_fake *f = prom_fake_start();
	struct config *cfg;
	struct feeds *feeds;
	struct snapshot *s;
	const struct panels *p;
	const struct panel_data *pd;
	int before;

	assert_non_null(f);
	cfg = lab_config(prom_fake_url(f),
	                 "[panel \"CPU\"]\nquery = ok_by_instance\nunit = percent\nwarn = 50\ncrit = 90\nper_host = yes\n"
	                 "[panel \"Each\"]\nquery = one_host{host_selector}\nper_host = yes\n"
	                 "[panel \"Flat\"]\nquery = ok_by_instance\n");
	feeds = feeds_new(cfg, NULL);
	s = first_panels(feeds);
	assert_null(s->error);
	p = s->value;
	assert_int_equal(p->n, 3);
	pd = find(p, "CPU");
	assert_null(pd->error);
	assert_int_equal(pd->n, 2);
	assert_string_equal(pd->series[0].label, "monk");
	assert_true(pd->series[0].value == 40);
	assert_string_equal(pd->series[1].label, "kscloud1");
	assert_true(pd->series[1].value == 95);
	assert_int_equal(panels_level(pd->cfg, pd->series[1].value), PANELS_CRIT);
	/* seeded: the range's 5 points (36..40), then the instant value */
	assert_int_equal(pd->series[0].nhist, 6);
	assert_true(pd->series[0].hist[0] == 36 && pd->series[0].hist[4] == 40 &&
	            pd->series[0].hist[5] == 40);
	pd = find(p, "Each");
	assert_null(pd->error);
	assert_int_equal(pd->n, 2);
	assert_string_equal(pd->series[0].label, "monk");
	assert_string_equal(pd->series[1].label, "kscloud1");
	assert_true(pd->series[0].value == 7 && pd->series[1].value == 7);
	assert_int_equal(pd->series[1].nhist, 6);
	pd = find(p, "Flat");
	assert_string_equal(pd->series[0].label, "instance=a:9100");
	snapshot_unref(s);
	/* then one request a refresh for all three panels (and one a host) */
	before = prom_fake_requests(f);
	{
		uint64_t seq = source_seq(feeds->panels);

		while (source_seq(feeds->panels) < seq + 3)
			time_sleep_ms(10);
	}
	feeds_stop(feeds);
	/* 3 panel polls + at most 4 host polls each (2 hosts) in that time */
	assert_true(prom_fake_requests(f) - before <= 3 + 2 * 4 + 2);
	s = source_get(feeds->panels);
	pd = find(s->value, "CPU");
	assert_true(pd->series[0].nhist >= 8);
	snapshot_unref(s);
	feeds_free(feeds);
	config_free(cfg);
	prom_fake_stop(f);
}

static void test_source_bad_answers_are_per_panel_errors(void **state)
{
	struct prom_fake *f = prom_fake_start();
	struct config *cfg;
	struct feeds *feeds;
	struct snapshot *s;
	const struct panels *p;
	const struct panel_data *pd;

	assert_non_null(f);
	cfg = lab_config(prom_fake_url(f),
	                 "[panel \"Good\"]\nquery = ok_by_instance\nper_host = yes\n"
	                 "[panel \"Many\"]\nquery = many_series\n"
	                 "[panel \"Big\"]\nquery = big_matrix\n"
	                 "[panel \"Bad value\"]\nquery = bad_value\n"
	                 "[panel \"Typo\"]\nquery = parse_error(\n"
	                 "[panel \"Scalar\"]\nquery = scalar_q\nunit = seconds\n"
	                 "[panel \"Nothing\"]\nquery = absent_metric\n"
	                 "[panel \"No host\"]\nquery = one_host{host_selector}\nper_host = yes\n");
	/* a host without a selector does not get a run of its own */
	feeds = feeds_new(cfg, NULL);
	s = first_panels(feeds);
	assert_null(s->error);
	p = s->value;
	pd = find(p, "Good");
	assert_null(pd->error);
	assert_int_equal(pd->n, 2);
	pd = find(p, "Many");
	assert_null(pd->error);
	assert_int_equal(pd->n, PANELS_MAX_SERIES);
	assert_int_equal(pd->total, 10000);
	pd = find(p, "Big");
	assert_int_equal(pd->n, 0);
	assert_string_equal(pd->error, "prometheus: response over 8 MB");
	pd = find(p, "Bad value");
	assert_int_equal(pd->n, 0);
	assert_string_equal(pd->error, "prometheus: a sample's time is not a number of seconds");
	pd = find(p, "Typo");
	assert_string_equal(pd->error, "prometheus: bad_data: parse error: unexpected end of input");
	pd = find(p, "Scalar");
	assert_null(pd->error);
	assert_int_equal(pd->n, 1);
	assert_string_equal(pd->series[0].label, "value");
	assert_true(pd->series[0].value == 3);
	pd = find(p, "Nothing");
	assert_string_equal(pd->error, "no data: the query has no series now");
	pd = find(p, "No host");
	assert_null(pd->error);
	assert_int_equal(pd->n, 2);
	snapshot_unref(s);
	feeds_free(feeds);
	config_free(cfg);

	/* an HTML page instead of the API: every panel says so */
	cfg = lab_config(prom_fake_url(f), "[panel \"A\"]\nquery = html_page\n"
	                                   "[panel \"B\"]\nquery = ok_by_instance\n");
	feeds = feeds_new(cfg, NULL);
	s = first_panels(feeds);
	assert_non_null(s->error);
	assert_string_equal(s->error, "prometheus: not JSON (HTML page?)");
	snapshot_unref(s);
	feeds_free(feeds);
	config_free(cfg);
	prom_fake_stop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_selector_substituted_into_queries),
		cmocka_unit_test(test_series_matched_to_hosts_and_labelled_by_difference),
		cmocka_unit_test(test_series_capped_in_label_order_total_counted),
		cmocka_unit_test(test_values_formatted_by_unit_and_leveled_by_threshold),
		cmocka_unit_test(test_source_polls_seeds_history_and_batches_requests),
		cmocka_unit_test(test_source_bad_answers_are_per_panel_errors),
	};

	http_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
