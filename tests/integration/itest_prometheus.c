/* Integration tests of backends/prometheus against the lab's real Prometheus
 * (http://127.0.0.2:9090, or $KT_LAB_PROMETHEUS), which scrapes node-exporters
 * at 127.0.0.2:9100 and 127.0.0.3:9100; skipped when it does not answer.
 *
 * prom_host_metrics_at() for both instances must give every figure within
 * plausible bounds and equal to what curl gets for the same PromQL at the same
 * evaluation time (15 s in the past, so no scrape lands in between). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/http.h"
#include "backends/metrics.h"
#include "backends/prom_targets.h"
#include "backends/prometheus.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/feeds/panels.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static const char *base;      /* Prometheus' URL, or NULL: skip */
static struct http_client *http;

static const char *const instances[] = { "127.0.0.2:9100", "127.0.0.3:9100" };

/* curl -G base/api/v1/query --data-urlencode query=Q --data-urlencode time=T
 * into out.  Returns curl's exit status, or -1. */
static int curl_query(const char *promql, int64_t at_ms, struct buf *out)
{
	char *url = xasprintf("%s/api/v1/query", base);
	char *q = xasprintf("query=%s", promql);
	char *t = xasprintf("time=%lld.%03lld", (long long)(at_ms / 1000), (long long)(at_ms % 1000));
	const char *argv[] = { "curl", "-sS", "--max-time", "10", "-G", url,
	                       "--data-urlencode", q, "--data-urlencode", t, NULL };
	int fd[2], status = -1;
	pid_t pid;
	char tmp[4096];
	ssize_t r;

	buf_reset(out);
	if (pipe(fd) != 0)
		goto out;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp("curl", (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	while ((r = read(fd[0], tmp, sizeof(tmp))) > 0)
		buf_append(out, tmp, (size_t)r);
	close(fd[0]);
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
out:
	free(url);
	free(q);
	free(t);
	return status;
}

/* The single value curl gets for q at at_ms. */
static double curl_value(enum prom_host_query hq, const char *selector, int64_t at_ms)
{
	struct buf b;
	struct prom_result r;
	char *promql = prom_host_query(hq, selector), *cause = NULL;
	double v;

	buf_init(&b);
	prom_result_init(&r);
	if (curl_query(promql, at_ms, &b) != 0)
		fail_msg("curl failed on %s", promql);
	if (prom_decode(b.data, b.len, &r, &cause) != 0)
		fail_msg("%s: %s", promql, cause);
	if (r.type != PROM_VECTOR || r.n != 1)
		fail_msg("%s: %zu series", promql, r.n);
	v = r.series[0].points[0].value;
	prom_result_done(&r);
	buf_done(&b);
	free(promql);
	return v;
}

/* The fewest scrapes of a node-exporter that Prometheus holds within the
 * last 5 minutes, or 0 when it cannot say for both. */
static double node_scrapes(const struct prom_client *c)
{
	struct prom_result r;
	char *cause = NULL;
	double least = 0;

	prom_result_init(&r);
	if (prom_query(c, "count_over_time(up{job=\"node\"}[5m])", 0, &r, &cause) == 0 &&
	    r.n >= 2) {
		least = r.series[0].points[0].value;
		for (size_t k = 1; k < r.n; k++)
			least = fmin(least, r.series[k].points[0].value);
	}
	prom_result_done(&r);
	free(cause);
	return least;
}

/* Waits (at most 120 s) until Prometheus holds at least n scrapes of both
 * node-exporters: a lab that CI has just started has too little history for
 * the range query's minute of points (test_range_query_api_...) and the
 * panels' seeded history (test_lab_panels_...).  Returns 0, or -1 (said on
 * stderr) when it is still short. */
static int wait_scrapes(const struct prom_client *c, double n)
{
	int64_t deadline = time_mono_ms() + 120000;
	double have;

	while ((have = node_scrapes(c)) < n && time_mono_ms() < deadline)
		time_sleep_ms(1000);
	if (have >= n)
		return 0;
	fprintf(stderr, "prometheus: %.0f scrapes of each node-exporter after 120 s (want %.0f)\n",
	        have, n);
	return -1;
}

static int group_setup(void **state)
{
	struct prom_client c = { 0 };
	struct prom_result r;
	char *cause = NULL;

	http_global_init();
	base = getenv("KT_LAB_PROMETHEUS");
	if (base == NULL || *base == '\0')
		base = "http://127.0.0.2:9090";
	http = http_client_new(NULL);
	c.http = http;
	c.base_url = base;
	c.timeout_ms = 3000;
	prom_result_init(&r);
	if (prom_query(&c, "up", 0, &r, &cause) != 0) {
		fprintf(stderr, "no Prometheus at %s (%s): skipping\n", base, cause);
		free(cause);
		base = NULL;
	}
	prom_result_done(&r);
	/* the panels test's >= 10 seeded samples at a 6 s step need ~60 s of
	 * 1 m rates, from ~10 s after the first scrape, and the range query
	 * test a whole minute of points: 15 scrapes at the lab's 5 s interval */
	if (base != NULL && wait_scrapes(&c, 15) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	http_client_free(http);
	return 0;
}

static struct prom_client client(void)
{
	return (struct prom_client){ .http = http, .base_url = base, .timeout_ms = 10000 };
}

static void check_bounds(const char *inst, const struct metrics *m)
{
	int f;

	for (f = 0; f < METRICS_NFIGURES; f++)
		if (!m->valid[f])
			fail_msg("%s: %s: %s", inst, metrics_figure_name((enum metrics_figure)f),
			         m->error[f] != NULL ? m->error[f] : "(no error)");
	assert_int_equal(m->origin, METRICS_FROM_PROMETHEUS);
	assert_true(m->cpu_pct >= 0 && m->cpu_pct <= 100);
	assert_true(m->mem_pct > 0 && m->mem_pct < 100);
	assert_true(m->disk_pct > 0 && m->disk_pct < 100);
	assert_true(m->net_rx_bps >= 0 && m->net_rx_bps < 1e11);
	assert_true(m->net_tx_bps >= 0 && m->net_tx_bps < 1e11);
	assert_true(m->load1 >= 0 && m->load1 < 10000);
	assert_true(m->uptime_s > 0 && m->uptime_s < 20 * 365 * 86400.0);
}

static void test_host_metrics_equal_curl_and_within_bounds(void **state)
{
	struct prom_client c;
	size_t i;

	if (base == NULL)
		skip();
	c = client();
	for (i = 0; i < UTIL_ARRAY_LEN(instances); i++) {
		struct metrics m;
		char *sel = xasprintf("instance=\"%s\"", instances[i]), *cause = NULL;
		int64_t at = time_real_ms() - 15000;

		metrics_init(&m);
		if (prom_host_metrics_at(&c, sel, at, &m, &cause) != 0)
			fail_msg("%s: %s", sel, cause);
		check_bounds(instances[i], &m);
		assert_true(m.cpu_pct == curl_value(PROM_HQ_CPU, sel, at));
		assert_true(m.mem_pct == curl_value(PROM_HQ_MEM, sel, at));
		assert_true(m.disk_pct == curl_value(PROM_HQ_DISK, sel, at));
		assert_true(m.net_rx_bps == curl_value(PROM_HQ_NET_RX, sel, at));
		assert_true(m.net_tx_bps == curl_value(PROM_HQ_NET_TX, sel, at));
		assert_true(m.load1 == curl_value(PROM_HQ_LOAD, sel, at));
		assert_true(m.uptime_s == curl_value(PROM_HQ_UPTIME, sel, at));
		fprintf(stderr, "%s: cpu %.1f%% mem %.1f%% disk %.1f%% rx %.0f B/s tx %.0f B/s "
		        "load1 %.2f uptime %.0f s\n", instances[i], m.cpu_pct, m.mem_pct,
		        m.disk_pct, m.net_rx_bps, m.net_tx_bps, m.load1, m.uptime_s);
		metrics_done(&m);

		/* at Prometheus' now */
		metrics_init(&m);
		if (prom_host_metrics(&c, sel, &m, &cause) != 0)
			fail_msg("%s: %s", sel, cause);
		check_bounds(instances[i], &m);
		metrics_done(&m);
		free(sel);
	}
}

static void test_missing_target_or_broad_selector_is_per_figure_error(void **state)
{
	struct prom_client c;
	struct metrics m;
	char *cause = NULL;
	int f;

	if (base == NULL)
		skip();
	c = client();
	metrics_init(&m);
	assert_int_equal(prom_host_metrics(&c, "instance=\"127.0.0.9:9100\"", &m, &cause), 0);
	assert_null(cause);
	for (f = 0; f < METRICS_NFIGURES; f++) {
		assert_false(m.valid[f]);
		assert_string_equal(m.error[f], "no scrape target: up{instance=\"127.0.0.9:9100\"} "
		                                "has no series");
	}
	/* what the metrics feed adds: the instances Prometheus does scrape */
	assert_true(prom_targets_wanted(&m));
	{
		char *words = NULL;

		assert_int_equal(prom_targets_query(&c, &words, &cause), 0);
		prom_targets_add(&m, words);
		free(words);
	}
	for (f = 0; f < METRICS_NFIGURES; f++) {
		assert_non_null(strstr(m.error[f], "has no series; Prometheus has "));
		assert_non_null(strstr(m.error[f], "instance=\"127.0.0.2:9100\" (node), "
		                                   "instance=\"127.0.0.3:9100\" (node)"));
	}
	metrics_done(&m);
	/* a selector matching both exporters is too broad for one host */
	metrics_init(&m);
	assert_int_equal(prom_host_metrics(&c, "job=\"node\"", &m, &cause), 0);
	assert_false(m.valid[METRICS_LOAD]);
	assert_string_equal(m.error[METRICS_LOAD],
	                    "2 series match node_load1{job=\"node\"}: the selector is too broad");
	assert_true(m.valid[METRICS_CPU]);   /* avg() makes one series */
	metrics_done(&m);
}

/* The sparkline history of each host: one query_range of the combined query
 * over the last 10 minutes.  Samples within bounds, and each checked one equal
 * to what curl gets for that figure's own query at that step's time. */
static void test_host_history_steps_equal_curl(void **state)
{
	struct prom_client c;
	char *cause = NULL;
	int64_t step = 2000, end = (time_real_ms() - 15000) / step * step, start = end - 600000;
	size_t i, k;

	if (base == NULL)
		skip();
	c = client();
	for (i = 0; i < UTIL_ARRAY_LEN(instances); i++) {
		char *sel = xasprintf("instance=\"%s\"", instances[i]);
		struct metrics_history *h = NULL;
		size_t have = 0, last = 0, valid[301];

		if (prom_host_history(&c, sel, start, end, step, &h, &cause) != 0)
			fail_msg("%s: %s", sel, cause);
		assert_int_equal(h->n, 301);
		assert_true(h->start_ms == start && h->step_ms == step);
		/* a step has all three figures or is skipped: across a restart of
		 * the lab (Prometheus keeps its data) the series start apart */
		for (k = 0; k < h->n; k++) {
			if (isnan(h->cpu[k]) || isnan(h->mem[k]) || isnan(h->net[k]))
				continue;
			valid[have++] = k;
			last = k;
			assert_true(h->cpu[k] >= 0 && h->cpu[k] <= 100);
			assert_true(h->mem[k] > 0 && h->mem[k] < 100);
			assert_true(h->net[k] >= 0 && h->net[k] < 1e10);
		}
		/* the lab may be younger than 10 minutes: in CI it is about a
		 * minute old here, and CPU (a rate over 1 m of 5 s scrapes) has
		 * values from ~10 s after its start, the window ending 15 s ago */
		if (have < 10)
			fail_msg("%s: only %zu samples in 10 minutes", sel, have);
		assert_int_equal(last, h->n - 1);
		for (size_t j = 0; j < have; j += have / 3) {
			int64_t at;

			k = valid[j];
			at = start + (int64_t)k * step;
			assert_true(h->cpu[k] == curl_value(PROM_HQ_CPU, sel, at));
			assert_true(h->mem[k] == curl_value(PROM_HQ_MEM, sel, at));
			assert_true(h->net[k] == curl_value(PROM_HQ_NET_RX, sel, at) +
			                         curl_value(PROM_HQ_NET_TX, sel, at));
		}
		metrics_history_free(h);
		free(sel);
	}
}

/* The example configuration's three panels (examples/kitestacks-lab.conf),
 * through the panels source against the real Prometheus: one row per host,
 * values within bounds and equal to what curl gets for the panel's own query
 * at the time the source evaluated it; history seeded from query_range. */
static void test_lab_panels_equal_curl_with_seeded_history(void **state)
{
	static const char *const titles[] = { "CPU busy %", "Memory used %", "Load (1 min)" };
	char *cause = NULL, *text;
	struct config *example, *cfg;
	struct feeds *feeds;
	struct snapshot *snap;
	const struct panels *p;
	int64_t deadline;

	if (base == NULL)
		skip();
	example = config_load("examples/kitestacks-lab.conf", &cause);
	if (example == NULL)
		fail_msg("%s", cause);
	assert_int_equal(example->npanels, 3);
	/* the example's hosts and panels, Prometheus reached directly */
	text = xasprintf("[kitetop]\nrefresh = 2\n"
	                 "[host monk]\nprom_selector = instance=\"127.0.0.2:9100\"\n"
	                 "[host kscloud1]\nprom_selector = instance=\"127.0.0.3:9100\"\n"
	                 "[prometheus]\nurl = %s\n"
	                 "[panel \"%s\"]\nquery = %s\nunit = percent\nper_host = yes\n"
	                 "[panel \"%s\"]\nquery = %s\nunit = percent\nper_host = yes\n"
	                 "[panel \"%s\"]\nquery = %s\nper_host = yes\n", base,
	                 example->panels[0].title, example->panels[0].query,
	                 example->panels[1].title, example->panels[1].query,
	                 example->panels[2].title, example->panels[2].query);
	cfg = config_parse("itest.conf", text, strlen(text), &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	free(text);
	feeds = feeds_new(cfg, NULL);
	assert_non_null(feeds->panels);
	assert_int_equal(feeds_start(feeds, &cause), 0);
	deadline = time_mono_ms() + 20000;
	while (source_seq(feeds->panels) == 0 && time_mono_ms() < deadline)
		time_sleep_ms(20);
	snap = source_get(feeds->panels);
	assert_non_null(snap);
	if (snap->error != NULL)
		fail_msg("panels: %s", snap->error);
	p = snap->value;
	assert_int_equal(p->n, 3);
	for (size_t i = 0; i < p->n; i++) {
		const struct panel_data *pd = &p->items[i];
		struct prom_result r;
		struct buf b;

		assert_string_equal(pd->cfg->title, titles[i]);
		if (pd->error != NULL)
			fail_msg("%s: %s", titles[i], pd->error);
		assert_int_equal(pd->n, 2);
		assert_int_equal(pd->total, 2);
		assert_string_equal(pd->series[0].label, "monk");
		assert_string_equal(pd->series[1].label, "kscloud1");
		buf_init(&b);
		prom_result_init(&r);
		if (curl_query(pd->cfg->query, p->at_ms, &b) != 0 ||
		    prom_decode(b.data, b.len, &r, &cause) != 0)
			fail_msg("curl %s: %s", pd->cfg->query, cause != NULL ? cause : "failed");
		assert_int_equal(r.n, 2);
		for (size_t s = 0; s < pd->n; s++) {
			const struct panel_series *ps = &pd->series[s];
			const char *want_inst = instances[s];
			size_t seeded = 0;

			if (i < 2)
				assert_true(ps->value >= 0 && ps->value <= 100);
			else
				assert_true(ps->value >= 0 && ps->value < 1000);
			for (size_t k = 0; k < r.n; k++) {
				const char *inst = prom_label(&r.series[k], "instance");

				if (inst != NULL && strcmp(inst, want_inst) == 0 &&
				    r.series[k].points[0].value != ps->value)
					fail_msg("%s %s: kitetop %.17g, curl %.17g", titles[i], ps->label,
					         ps->value, r.series[k].points[0].value);
			}
			/* seeded: in CI the lab is about a minute old here, and a
			 * rate over 1 m has values from ~10 s after its start */
			for (size_t k = 0; k < ps->nhist; k++)
				if (!isnan(ps->hist[k]))
					seeded++;
			if (seeded < 10)
				fail_msg("%s %s: %zu samples of history", titles[i], ps->label, seeded);
			assert_true(ps->hist[ps->nhist - 1] == ps->value);
		}
		prom_result_done(&r);
		buf_done(&b);
	}
	snapshot_unref(snap);
	feeds_free(feeds);
	config_free(cfg);
	config_free(example);
}

static void test_range_query_api_errors_and_long_query_by_post(void **state)
{
	struct prom_client c;
	struct prom_result r;
	struct buf longq;
	char *cause = NULL, *bad;
	int64_t now = time_real_ms();
	size_t i;

	if (base == NULL)
		skip();
	c = client();
	prom_result_init(&r);
	assert_int_equal(prom_query_range(&c, "node_load1", now - 60000, now, 5000, &r, &cause), 0);
	assert_int_equal(r.type, PROM_MATRIX);
	assert_int_equal(r.n, 2);
	for (i = 0; i < r.n; i++) {
		assert_true(r.series[i].npoints >= 10 && r.series[i].npoints <= 13);
		assert_non_null(prom_label(&r.series[i], "instance"));
	}
	/* Prometheus' own error, through HTTP 400 */
	assert_int_equal(prom_query(&c, "sum(up", 0, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: bad_data: invalid parameter \"query\": 1:7: "
	                           "parse error: unclosed left parenthesis");
	assert_int_equal(prom_query(&c, "up", 0, &r, &cause), 0);
	assert_int_equal(r.n, 3);
	/* a query over 2000 escaped characters goes by POST form */
	buf_init(&longq);
	buf_puts(&longq, "count(up)");
	for (i = 0; i < 800; i++)
		buf_puts(&longq, " + 0");
	assert_int_equal(prom_query(&c, buf_cstr(&longq), now, &r, &cause), 0);
	assert_int_equal(r.n, 1);
	assert_true(r.series[0].points[0].value == 3);
	assert_true(r.series[0].points[0].t_ms == now);
	buf_done(&longq);
	/* not the API: Prometheus' 404 text */
	bad = xasprintf("%s/nowhere/", base);
	c.base_url = bad;
	assert_int_equal(prom_query(&c, "up", 0, &r, &cause), -1);
	assert_string_equal(cause, "prometheus: HTTP 404: 404 page not found");
	free(bad);
	free(cause);
	prom_result_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_metrics_equal_curl_and_within_bounds),
		cmocka_unit_test(test_missing_target_or_broad_selector_is_per_figure_error),
		cmocka_unit_test(test_range_query_api_errors_and_long_query_by_post),
		cmocka_unit_test(test_host_history_steps_equal_curl),
		cmocka_unit_test(test_lab_panels_equal_curl_with_seeded_history),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
