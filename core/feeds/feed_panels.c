/* feed_panels — the panels source: every [panel]'s query each refresh, with a
 * history per series for the sparklines (seeded from query_range over the
 * last FEED_PANELS_HISTORY_MS at the first poll).  Value: struct panels
 * (core/feeds/panels.h).
 *
 * Requests: the panels' queries (one per host for a per_host query with
 * {host_selector}) go to Prometheus as ONE expression, each labelled
 * kitetop_panel="i" (and kitetop_host="j") by label_replace and joined with
 * `or`, so a refresh costs one request whatever the number of panels.  When
 * that combined query fails for a reason of its own (a panel's query is
 * invalid, gives a scalar, or too many series), each query runs alone, and a
 * query that cannot be combined is run alone from then on: one panel's
 * failure is its own, never its neighbours'. */
#include "core/feeds/feed_panels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"
#include "backends/prometheus.h"
#include "core/feeds/panels.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define FEED_PANELS_HISTORY_MS (10 * 60 * 1000)
#define FEED_PANELS_HISTORY_TRIES 3
#define FEED_PANELS_TRACKS (4 * PANELS_MAX_SERIES)   /* histories kept per panel */
#define FEED_PANELS_RECOMBINE_POLLS 150               /* about 5 minutes at 2 s */

/* One run of a panel's query: panel i, for host j (-1: once for all). */
struct feed_panels_run {
	size_t panel;
	int host;
	char *promql;
	char *error;                /* this poll's failure, or NULL */
	struct prom_result r;       /* this poll's answer */
	bool solo;                  /* cannot be combined: runs alone */
};

/* A series' history, by key. */
struct feed_panels_track {
	char *key;
	double *v;                  /* ring of PANELS_HISTORY */
	size_t start, n;
	uint64_t seen;              /* poll number it was last seen */
};

struct feed_panels_state {
	struct fleet *fleet;
	struct http_client *http;
	struct prom_client client;
	char *url, *sock, *setup_error;
	struct feed_panels_run *runs;
	size_t nruns;
	char **panel_error;         /* per panel: a setup error (no host has a selector) */
	struct feed_panels_track **tracks;   /* per panel */
	size_t *ntracks;
	struct panels_hosts hosts;
	uint64_t polls;
	int history_tries;
	bool history_done;
};

static void *feed_panels_thread_init(void *arg, const atomic_int *cancel)
{
	struct fleet *fleet = arg;
	const struct config *cfg = fleet->cfg;
	const struct config_prometheus *pc = cfg->prometheus;
	struct feed_panels_state *st = xcalloc(1, sizeof *st);
	const char **names = xcalloc(fleet->nhosts + 1, sizeof *names);
	const char **sels = xcalloc(fleet->nhosts + 1, sizeof *sels);
	char *cause = NULL;

	st->fleet = fleet;
	st->http = http_client_new(cancel);
	if (route_http(fleet, pc->via, pc->url, &st->url, &st->sock, &cause) == -1)
		st->setup_error = cause;
	st->client = (struct prom_client){
		.http = st->http, .base_url = st->url, .unix_socket = st->sock,
		.bearer_token = pc->token.value, .basic_user = pc->user,
		.basic_password = pc->password.value, .ca_file = pc->tls_ca,
		.insecure = pc->insecure, .timeout_ms = cfg->timeout_ms,
	};
	for (size_t j = 0; j < fleet->nhosts; j++) {
		names[j] = fleet->hosts[j].name;
		sels[j] = fleet->hosts[j].cfg->prom_selector;
	}
	st->hosts = (struct panels_hosts){ .names = names, .selectors = sels, .n = fleet->nhosts };
	st->panel_error = xcalloc(cfg->npanels + 1, sizeof *st->panel_error);
	st->tracks = xcalloc(cfg->npanels + 1, sizeof *st->tracks);
	st->ntracks = xcalloc(cfg->npanels + 1, sizeof *st->ntracks);
	for (size_t i = 0; i < cfg->npanels; i++) {
		const struct config_panel *p = &cfg->panels[i];
		size_t before = st->nruns;

		if (!(p->per_host && panels_has_placeholder(p->query))) {
			st->runs = xreallocarray(st->runs, st->nruns + 1, sizeof *st->runs);
			st->runs[st->nruns++] = (struct feed_panels_run){
				.panel = i, .host = -1, .promql = panels_substitute(p->query, NULL) };
			continue;
		}
		for (size_t j = 0; j < fleet->nhosts; j++) {
			if (sels[j] == NULL)
				continue;
			st->runs = xreallocarray(st->runs, st->nruns + 1, sizeof *st->runs);
			st->runs[st->nruns++] = (struct feed_panels_run){
				.panel = i, .host = (int)j, .promql = panels_substitute(p->query, sels[j]) };
		}
		if (st->nruns == before)
			st->panel_error[i] = xstrdup("per_host: no host has a prom_selector to put "
			                             "in {host_selector}");
	}
	for (size_t k = 0; k < st->nruns; k++)
		prom_result_init(&st->runs[k].r);
	return st;
}

static void feed_panels_thread_done(void *state)
{
	struct feed_panels_state *st = state;
	size_t npanels = st->fleet->cfg->npanels;

	for (size_t k = 0; k < st->nruns; k++) {
		free(st->runs[k].promql);
		free(st->runs[k].error);
		prom_result_done(&st->runs[k].r);
	}
	for (size_t i = 0; i < npanels; i++) {
		for (size_t t = 0; t < st->ntracks[i]; t++) {
			free(st->tracks[i][t].key);
			free(st->tracks[i][t].v);
		}
		free(st->tracks[i]);
		free(st->panel_error[i]);
	}
	free(st->tracks);
	free(st->ntracks);
	free(st->panel_error);
	free(st->runs);
	free((void *)st->hosts.names);
	free((void *)st->hosts.selectors);
	http_client_free(st->http);
	free(st->url);
	free(st->sock);
	free(st->setup_error);
	free(st);
}

/* The combined expression of the runs that are not solo (NULL: none). */
static char *feed_panels_combined(const struct feed_panels_state *st)
{
	struct buf b;

	buf_init(&b);
	for (size_t k = 0; k < st->nruns; k++) {
		const struct feed_panels_run *run = &st->runs[k];

		if (run->solo)
			continue;
		if (b.len > 0)
			buf_puts(&b, " or ");
		if (run->host >= 0)
			buf_puts(&b, "label_replace(");
		buf_printf(&b, "label_replace((%s), \"%s\", \"%zu\", \"\", \"\")", run->promql,
		           PANELS_PANEL_LABEL, run->panel);
		if (run->host >= 0)
			buf_printf(&b, ", \"%s\", \"%d\", \"\", \"\")", PANELS_HOST_LABEL, run->host);
	}
	if (b.len == 0) {
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* A failure of the combined query that one panel's query can cause (so each
 * runs alone): Prometheus' bad_data or execution error, or a size cap ("over
 * 10000 series", "response over 8 MB"); not Prometheus being unreachable or
 * failing (then every panel shares that error). */
static bool feed_panels_query_fault(const char *why)
{
	return why != NULL && (strstr(why, "bad_data") != NULL || strstr(why, "execution") != NULL ||
	                       strstr(why, " over ") != NULL);
}

/* The run a series of the combined answer belongs to, or NULL. */
static struct feed_panels_run *feed_panels_owner(struct feed_panels_state *st,
                                               const struct prom_series *s)
{
	const char *p = prom_label(s, PANELS_PANEL_LABEL), *h = prom_label(s, PANELS_HOST_LABEL);
	long panel, host;

	if (p == NULL)
		return NULL;
	panel = strtol(p, NULL, 10);
	host = h != NULL ? strtol(h, NULL, 10) : -1;
	for (size_t k = 0; k < st->nruns; k++)
		if (!st->runs[k].solo && (long)st->runs[k].panel == panel && st->runs[k].host == host)
			return &st->runs[k];
	return NULL;
}

/* A query's answer that a panel can show: a vector, or a scalar (one series
 * without labels); else *why. */
static int feed_panels_usable(const struct prom_result *r, char **why)
{
	if (r->type == PROM_VECTOR || r->type == PROM_SCALAR)
		return 0;
	util_set_cause(why, r->type == PROM_MATRIX ?
	               "the query gives a range vector: use rate() or the like for one value" :
	               "the query gives a string, not a number");
	return -1;
}

/* Runs every query once: the combined one, then each solo one (or each on
 * its own after a combined failure of their making).  Range queries when
 * range_ms > 0 (start = end - range_ms).  -1 and *cause when Prometheus
 * itself failed for all. */
static int feed_panels_fetch(struct feed_panels_state *st, int64_t end_ms, int64_t range_ms,
                            int64_t step_ms, char **cause)
{
	char *combined = feed_panels_combined(st), *why = NULL;
	struct prom_result all;
	bool alone = false;
	size_t marked = 0;

	prom_result_init(&all);
	for (size_t k = 0; k < st->nruns; k++) {
		free(st->runs[k].error);
		st->runs[k].error = NULL;
		prom_result_done(&st->runs[k].r);
	}
	if (combined != NULL) {
		int rc = range_ms > 0 ?
		         prom_query_range(&st->client, combined, end_ms - range_ms, end_ms, step_ms,
		                          &all, &why) :
		         prom_query(&st->client, combined, end_ms, &all, &why);

		if (rc == 0 && (range_ms > 0 ? all.type == PROM_MATRIX : all.type == PROM_VECTOR)) {
			/* hand each series to its run (moved, not copied) */
			for (size_t i = 0; i < all.n; i++) {
				struct feed_panels_run *run = feed_panels_owner(st, &all.series[i]);

				if (run == NULL)
					continue;
				run->r.type = all.type;
				run->r.series = xreallocarray(run->r.series, run->r.n + 1, sizeof *run->r.series);
				run->r.series[run->r.n++] = all.series[i];
				all.series[i] = (struct prom_series){ 0 };
			}
		} else if (rc == 0 || feed_panels_query_fault(why)) {
			alone = true;
		} else {
			prom_result_done(&all);
			free(combined);
			*cause = why;
			return -1;
		}
	}
	prom_result_done(&all);
	free(combined);
	free(why);
	for (size_t k = 0; k < st->nruns; k++) {
		struct feed_panels_run *run = &st->runs[k];
		int rc;

		if (!run->solo && !alone)
			continue;
		rc = range_ms > 0 ?
		     prom_query_range(&st->client, run->promql, end_ms - range_ms, end_ms, step_ms,
		                      &run->r, &run->error) :
		     prom_query(&st->client, run->promql, end_ms, &run->r, &run->error);
		if (rc == 0 && range_ms == 0 && feed_panels_usable(&run->r, &run->error) != 0)
			prom_result_done(&run->r);
		if (range_ms == 0 && alone && !run->solo &&
		    (rc != 0 || run->error != NULL || run->r.type != PROM_VECTOR)) {
			run->solo = true;   /* its own failure, or a scalar: alone from now on */
			marked++;
		}
	}
	/* the queries are fine alone but not together (their sum is over a cap):
	 * all alone from now on */
	if (alone && range_ms == 0 && marked == 0)
		for (size_t k = 0; k < st->nruns; k++)
			st->runs[k].solo = true;
	return 0;
}

static struct feed_panels_track *feed_panels_track(struct feed_panels_state *st, size_t panel,
                                                 const char *key, bool create)
{
	struct feed_panels_track *t;

	for (size_t i = 0; i < st->ntracks[panel]; i++)
		if (strcmp(st->tracks[panel][i].key, key) == 0)
			return &st->tracks[panel][i];
	if (!create)
		return NULL;
	if (st->ntracks[panel] >= FEED_PANELS_TRACKS) {
		/* forget the one unseen the longest */
		size_t old = 0;

		for (size_t i = 1; i < st->ntracks[panel]; i++)
			if (st->tracks[panel][i].seen < st->tracks[panel][old].seen)
				old = i;
		t = &st->tracks[panel][old];
		free(t->key);
		free(t->v);
	} else {
		st->tracks[panel] = xreallocarray(st->tracks[panel], st->ntracks[panel] + 1,
		                                  sizeof *st->tracks[panel]);
		t = &st->tracks[panel][st->ntracks[panel]++];
	}
	*t = (struct feed_panels_track){ .key = xstrdup(key) };
	t->v = xreallocarray(NULL, PANELS_HISTORY, sizeof *t->v);
	return t;
}

static void feed_panels_track_push(struct feed_panels_track *t, double v)
{
	if (t->n < PANELS_HISTORY) {
		t->v[(t->start + t->n++) % PANELS_HISTORY] = v;
	} else {
		t->v[t->start] = v;
		t->start = (t->start + 1) % PANELS_HISTORY;
	}
}

/* The series of panel i from this poll's runs, built and capped. */
static void feed_panels_build(struct feed_panels_state *st, size_t i, struct panel_data *pd)
{
	struct panels_input *in = NULL;
	struct prom_series scalar = { 0 };
	struct prom_point pt;
	size_t n = 0, runs = 0, failed = 0;
	const char *first_error = NULL;

	for (size_t k = 0; k < st->nruns; k++) {
		struct feed_panels_run *run = &st->runs[k];

		if (run->panel != i)
			continue;
		runs++;
		if (run->error != NULL) {
			failed++;
			if (first_error == NULL)
				first_error = run->error;
			continue;
		}
		if (run->r.type == PROM_SCALAR) {
			pt = (struct prom_point){ .t_ms = run->r.t_ms, .value = run->r.scalar };
			scalar.points = &pt;
			scalar.npoints = 1;
			in = xreallocarray(in, n + 1, sizeof *in);
			in[n++] = (struct panels_input){ .s = &scalar, .host = run->host };
			continue;
		}
		in = xreallocarray(in, n + run->r.n + 1, sizeof *in);
		for (size_t s = 0; s < run->r.n; s++)
			in[n++] = (struct panels_input){ .s = &run->r.series[s], .host = run->host };
	}
	panels_build(pd, in, n, &st->hosts);
	free(in);
	if (st->panel_error[i] != NULL)
		pd->error = xstrdup(st->panel_error[i]);
	else if (failed > 0 && failed == runs)
		pd->error = xstrdup(first_error);
	else if (failed > 0)
		pd->error = xasprintf("%zu of %zu per-host queries failed: %s", failed, runs, first_error);
	else if (pd->total == 0)
		pd->error = xstrdup("no data: the query has no series now");
}

/* Seeds the (empty) tracks of the series shown from each run's range answer. */
static void feed_panels_seed(struct feed_panels_state *st, const struct panels *now)
{
	for (size_t k = 0; k < st->nruns; k++) {
		struct feed_panels_run *run = &st->runs[k];
		const struct panel_data *shown = &now->items[run->panel];

		if (run->error != NULL || run->r.type != PROM_MATRIX)
			continue;
		for (size_t r = 0; r < run->r.n; r++) {
			const struct prom_series *rs = &run->r.series[r];
			struct panels_input in = { .s = rs, .host = run->host };
			char *key = panels_series_key(&in, shown->cfg, &st->hosts);
			struct feed_panels_track *t = NULL;

			for (size_t x = 0; x < shown->n; x++)
				if (strcmp(shown->series[x].key, key) == 0)
					t = feed_panels_track(st, run->panel, key, true);
			if (t != NULL && t->n == 0)
				for (size_t p = 0; p < rs->npoints; p++)
					feed_panels_track_push(t, rs->points[p].value);
			free(key);
		}
	}
}

static int feed_panels_poll(void *state, void **value, char **cause)
{
	struct feed_panels_state *st = state;
	const struct config *cfg = st->fleet->cfg;
	struct panels *out;
	int64_t now = time_real_ms();

	if (st->setup_error != NULL) {
		util_set_cause(cause, "prometheus: %s", st->setup_error);
		return -1;
	}
	/* what ran alone is tried together again now and then (it may have
	 * failed for a passing reason) */
	if (st->polls > 0 && st->polls % FEED_PANELS_RECOMBINE_POLLS == 0)
		for (size_t k = 0; k < st->nruns; k++)
			st->runs[k].solo = false;
	if (feed_panels_fetch(st, now, 0, 0, cause) == -1)
		return -1;
	st->polls++;
	out = xcalloc(1, sizeof *out);
	out->n = cfg->npanels;
	out->items = xcalloc(cfg->npanels + 1, sizeof *out->items);
	out->at_ms = now;
	for (size_t i = 0; i < cfg->npanels; i++) {
		out->items[i].cfg = &cfg->panels[i];
		feed_panels_build(st, i, &out->items[i]);
	}
	if (!st->history_done && st->history_tries < FEED_PANELS_HISTORY_TRIES) {
		int64_t step = feed_prom_interval_ms(st->fleet->cfg);   /* a sample a poll */
		char *why = NULL;

		st->history_tries++;
		if (feed_panels_fetch(st, now / step * step - step, FEED_PANELS_HISTORY_MS, step,
		                     &why) == 0) {
			feed_panels_seed(st, out);
			st->history_done = true;
		}
		free(why);
	}
	for (size_t i = 0; i < out->n; i++) {
		struct panel_data *pd = &out->items[i];

		for (size_t s = 0; s < pd->n; s++) {
			struct panel_series *ps = &pd->series[s];
			struct feed_panels_track *t = feed_panels_track(st, i, ps->key, true);

			feed_panels_track_push(t, ps->value);
			t->seen = st->polls;
			ps->nhist = t->n;
			ps->hist = xreallocarray(NULL, t->n > 0 ? t->n : 1, sizeof *ps->hist);
			for (size_t x = 0; x < t->n; x++)
				ps->hist[x] = t->v[(t->start + x) % PANELS_HISTORY];
		}
	}
	*value = out;
	return 0;
}

static void feed_panels_free_value(void *v)
{
	panels_free(v);
}

static const struct source_ops feed_panels_ops = {
	.kind = "panels",
	.thread_init = feed_panels_thread_init,
	.poll = feed_panels_poll,
	.thread_done = feed_panels_thread_done,
	.free_value = feed_panels_free_value,
};

struct source *feed_panels_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "panels", .interval_ms = feed_prom_interval_ms(fleet->cfg) };

	if (fleet->cfg->prometheus == NULL || fleet->cfg->npanels == 0)
		return NULL;
	return source_new(&p, &feed_panels_ops, fleet, wake);
}

const struct panels *feed_panels_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
