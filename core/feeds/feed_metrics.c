/* feed_metrics — a host's machine figures (struct metrics): from Prometheus'
 * node-exporter series (its prom_selector, when [prometheus] is set), else,
 * for this machine, from /proc and statvfs, and for a host reached over SSH,
 * from its /proc and `stat -f /`, read by one command over its session. */
#include "core/feeds/feed_metrics.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "backends/hostproc.h"
#include "backends/http.h"
#include "backends/localhost.h"
#include "backends/prom_targets.h"
#include "backends/prometheus.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_exec.h"
#include "core/fleet/route.h"

/* A first sample is taken when the thread starts and the first poll waits
 * this long, so that the first published CPU and network figures are rates
 * over a real interval and `kitetop status` has them. */
#define FEED_PROC_BASELINE_MS 250

static void *proc_thread_init(void *arg, const atomic_int *cancel)
{
	struct localhost *lh = localhost_new("/proc", "/");
	struct metrics m;

	metrics_init(&m);
	localhost_sample(lh, &m);   /* the baseline for rates */
	metrics_done(&m);
	return lh;
}

static int proc_poll(void *state, void **value, char **cause)
{
	struct metrics *m = xmalloc(sizeof *m);

	metrics_init(m);
	localhost_sample(state, m);
	*value = m;
	return 0;   /* figures that failed carry their own errors */
}

static void proc_thread_done(void *state)
{
	localhost_free(state);
}

static void metrics_free_value(void *v)
{
	metrics_done(v);
	free(v);
}

static const struct source_ops proc_source_ops = {
	.kind = "metrics",
	.thread_init = proc_thread_init,
	.poll = proc_poll,
	.thread_done = proc_thread_done,
	.free_value = metrics_free_value,
};

/* ---- the ssh source: a remote host without a prom_selector -------------- */

struct ssh_arg {
	struct fleet *fleet;
	struct fleet_host *host;
};

struct ssh_state {
	struct ssh_arg *arg;
	const atomic_int *cancel;
	struct localhost *lh;       /* the previous counters, for the rates */
	struct feed_sampler sampler; /* the command kept running, asked each refresh */
	bool have_baseline;
};

static void *ssh_thread_init(void *arg, const atomic_int *cancel)
{
	struct ssh_state *st = xcalloc(1, sizeof *st);

	st->arg = arg;
	st->cancel = cancel;
	st->lh = localhost_new("/proc", "/");
	feed_sampler_init(&st->sampler);
	return st;
}

/* One reading: the command's answer (the command kept running on the host,
 * feed_exec.h) parsed and sampled into *m (with rates from the previous
 * reading).  0, or -1 with *cause when there is no answer at all. */
static int ssh_read(struct ssh_state *st, struct metrics *m, char **cause)
{
	struct hostproc hp;
	struct localhost_texts t;
	struct buf out;

	buf_init(&out);
	if (feed_sampler_ask(&st->sampler, st->arg->fleet, st->arg->host, HOSTPROC_COMMAND,
	                     HOSTPROC_END, "/proc", HOSTPROC_MAX_OUTPUT, st->cancel, &out,
	                     cause) != 0) {
		buf_done(&out);
		return -1;
	}
	hostproc_init(&hp);
	if (hostproc_parse(out.data, out.len, &hp, cause) != 0) {
		buf_done(&out);
		return -1;
	}
	hostproc_texts(&hp, &t);
	localhost_sample_texts(st->lh, &t, time_mono_ms(), m);
	hostproc_done(&hp);
	buf_done(&out);
	return 0;
}

/* The first reading and its baseline for rates in one exec (the host
 * sleeping between them: ~3 round trips where two execs cost 6), sampled
 * into *m, the baseline's time the host's uptime between them before the
 * answer came.  0; 1 when only the baseline was taken (a second answer
 * missing, or no uptime in it: ssh_read then reads again); or -1 with
 * *cause when there is no answer at all. */
static int ssh_read_twice(struct ssh_state *st, struct metrics *m, char **cause)
{
	struct hostproc hp1, hp2;
	struct localhost_texts t;
	struct buf out;
	const char *o;
	size_t n;
	double up1, up2;
	int64_t now;
	int rc = 1;

	buf_init(&out);
	if (feed_ssh_exec_longer(st->arg->fleet, st->arg->host, HOSTPROC_COMMAND_TWICE, "/proc",
	                         1000, false, 2 * HOSTPROC_MAX_OUTPUT, st->cancel, &out, cause) != 0) {
		buf_done(&out);
		return -1;
	}
	now = time_mono_ms();
	hostproc_init(&hp1);
	hostproc_init(&hp2);
	o = out.data != NULL ? out.data : "";
	n = hostproc_answer_len(o, out.len);
	if (hostproc_parse(o, n > 0 ? n : out.len, &hp1, cause) != 0) {
		buf_done(&out);
		return -1;
	}
	up1 = hostproc_uptime_s(&hp1);
	if (n > 0 && hostproc_parse(o + n, out.len - n, &hp2, NULL) == 0 && up1 >= 0 &&
	    (up2 = hostproc_uptime_s(&hp2)) > up1) {
		hostproc_texts(&hp1, &t);
		localhost_sample_texts(st->lh, &t, now - (int64_t)((up2 - up1) * 1000.0), m);
		hostproc_texts(&hp2, &t);
		localhost_sample_texts(st->lh, &t, now, m);
		rc = 0;
	} else {
		hostproc_texts(&hp1, &t);
		localhost_sample_texts(st->lh, &t, now, m);
	}
	hostproc_done(&hp1);
	hostproc_done(&hp2);
	buf_done(&out);
	return rc;
}

static int ssh_poll(void *state, void **value, char **cause)
{
	struct ssh_state *st = state;
	struct metrics *m = xmalloc(sizeof *m);

	metrics_init(m);
	/* the first reading is the baseline for rates: a second one a moment
	 * later, so that the first published figures have them; both in one
	 * command when the host's answer allows */
	if (!st->have_baseline) {
		int rc = ssh_read_twice(st, m, cause);

		if (rc < 0)
			goto fail;
		st->have_baseline = true;
		if (rc == 0)
			goto done;
		for (int64_t until = time_mono_ms() + FEED_PROC_BASELINE_MS; time_mono_ms() < until &&
		     atomic_load(st->cancel) == 0;)
			time_sleep_ms(50);
	}
	if (ssh_read(st, m, cause) != 0)
		goto fail;
done:
	*value = m;
	return 0;
fail:
	metrics_done(m);
	free(m);
	return -1;
}

static void ssh_thread_done(void *state)
{
	struct ssh_state *st = state;

	localhost_free(st->lh);
	feed_sampler_done(&st->sampler);
	free(st);
}

static const struct source_ops ssh_source_ops = {
	.kind = "metrics",
	.thread_init = ssh_thread_init,
	.poll = ssh_poll,
	.thread_done = ssh_thread_done,
	.free_value = metrics_free_value,
	.free_arg = free,
};

/* ---- the prometheus source: one per host with a prom_selector ------------ */

#define FEED_PROM_HISTORY_MS (10 * 60 * 1000)   /* the past that seeds the sparklines */
#define FEED_PROM_HISTORY_TRIES 3
#define FEED_PROM_TARGETS_MS 60000   /* `up` asked again, while a selector matches nothing */

struct prom_arg {
	struct fleet *fleet;
	struct fleet_host *host;
};

struct prom_state {
	struct prom_arg *arg;
	struct http_client *http;
	struct prom_client client;
	char *url, *sock;
	char *setup_error;
	int history_tries;          /* query_range attempts to seed the sparklines */
	bool history_done;
	char *targets;              /* what `up` says Prometheus scrapes, or NULL */
	int64_t targets_ms;         /* when it was asked (monotonic) */
};

static void *prom_thread_init(void *arg, const atomic_int *cancel)
{
	struct prom_arg *a = arg;
	struct prom_state *st = xcalloc(1, sizeof *st);
	const struct config_prometheus *pc = a->fleet->cfg->prometheus;
	char *cause = NULL;

	st->arg = a;
	st->http = http_client_new(cancel);
	if (route_http(a->fleet, pc->via, pc->url, &st->url, &st->sock, &cause) == -1)
		st->setup_error = cause;
	st->client = (struct prom_client){
		.http = st->http, .base_url = st->url, .unix_socket = st->sock,
		.bearer_token = pc->token.value, .basic_user = pc->user,
		.basic_password = pc->password.value, .ca_file = pc->tls_ca,
		.insecure = pc->insecure, .timeout_ms = a->fleet->cfg->timeout_ms,
	};
	return st;
}

static int prom_poll(void *state, void **value, char **cause)
{
	struct prom_state *st = state;
	struct metrics *m;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "prometheus: %s", st->setup_error);
		return -1;
	}
	m = xmalloc(sizeof *m);
	metrics_init(m);
	if (prom_host_metrics(&st->client, st->arg->host->cfg->prom_selector, m, cause) == -1) {
		/* through a relay: a dead relay named, not Prometheus */
		route_error_blame(route_via(st->arg->fleet, st->arg->fleet->cfg->prometheus->via, NULL),
		                  st->sock, st->url, cause);
		metrics_done(m);
		free(m);
		return -1;
	}
	/* a selector that matches no target: say which ones there are (asked
	 * again at most every FEED_PROM_TARGETS_MS while it stays wrong) */
	if (prom_targets_wanted(m)) {
		char *why = NULL;

		if (st->targets == NULL || time_mono_ms() - st->targets_ms >= FEED_PROM_TARGETS_MS) {
			char *words = NULL;

			if (prom_targets_query(&st->client, &words, &why) == 0) {
				free(st->targets);
				st->targets = words;
				st->targets_ms = time_mono_ms();
			}
			free(why);
		}
		if (st->targets != NULL)
			prom_targets_add(m, st->targets);
	}
	/* the first good poll carries the last FEED_PROM_HISTORY_MS too, so the
	 * sparklines start full; a failed attempt is retried on the next polls */
	if (!st->history_done && st->history_tries < FEED_PROM_HISTORY_TRIES) {
		int64_t step = feed_prom_interval_ms(st->arg->fleet->cfg);   /* a sample a poll */
		int64_t end = time_real_ms() / step * step - step;   /* the instant sample follows */
		char *why = NULL;

		st->history_tries++;
		if (prom_host_history(&st->client, st->arg->host->cfg->prom_selector,
		                      end - FEED_PROM_HISTORY_MS, end, step, &m->history, &why) == 0)
			st->history_done = true;
		free(why);
	}
	*value = m;
	return 0;
}

static void prom_thread_done(void *state)
{
	struct prom_state *st = state;

	http_client_free(st->http);
	free(st->url);
	free(st->sock);
	free(st->setup_error);
	free(st->targets);
	free(st);
}

static const struct source_ops prom_source_ops = {
	.kind = "prometheus",
	.thread_init = prom_thread_init,
	.poll = prom_poll,
	.thread_done = prom_thread_done,
	.free_value = metrics_free_value,
	.free_arg = free,
};

struct source *feed_metrics_new(struct fleet *fleet, struct fleet_host *h, struct wake *wake)
{
	const struct config *cfg = fleet->cfg;

	if (cfg->prometheus != NULL && h->cfg->prom_selector != NULL) {
		struct prom_arg *arg = xmalloc(sizeof *arg);

		*arg = (struct prom_arg){ .fleet = fleet, .host = h };
		return feed_host_source_new(h, "prometheus",
		    (struct source_params){ .interval_ms = feed_prom_interval_ms(cfg) },
		    &prom_source_ops, arg, wake);
	}
	if (h->local)
		return feed_host_source_new(h, "metrics",
		    (struct source_params){ .interval_ms = cfg->refresh_ms,
		                            .first_delay_ms = FEED_PROC_BASELINE_MS },
		    &proc_source_ops, NULL, wake);
	if (h->cfg->ssh != NULL) {
		struct ssh_arg *arg = xmalloc(sizeof *arg);

		*arg = (struct ssh_arg){ .fleet = fleet, .host = h };
		return feed_host_source_new(h, "metrics",
		    (struct source_params){ .interval_ms = cfg->refresh_ms }, &ssh_source_ops, arg, wake);
	}
	return NULL;
}

const struct metrics *feed_metrics_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
