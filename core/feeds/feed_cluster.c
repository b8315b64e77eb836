/* feed_cluster — a [cluster]'s source and the thread that holds its
 * connection, watches and polls (feed_cluster.h). */
#include "core/feeds/feed_cluster.h"

#include <cJSON.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_client.h"
#include "backends/kube_decode.h"
#include "backends/kube_reflector.h"
#include "core/base/backoff.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_cluster_internal.h"
#include "core/feeds/feed_common.h"

#define CLUSTER_RETRY_BASE_MS 2000
#define CLUSTER_RETRY_CAP_MS 30000

struct cluster_arg {
	struct fleet *fleet;
	const struct config_cluster *cfg;
	struct source *source;      /* asked to poll when a value is ready */
	int refresh_ms;
	int timeout_ms;
};

/* What the cluster's thread hands to the source's: under mu. */
struct cluster_state {
	struct cluster_arg *arg;
	const atomic_int *cancel;   /* the source's */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct kube_cluster *latest;   /* owned; NULL before the first */
	char *error;                /* the API cannot be reached: why */
	bool ready;                 /* the first value or error is there */
};

/* ---- the cluster's thread ---- */

static void publish(struct cluster_state *st, struct kube_cluster *c, const char *error)
{
	pthread_mutex_lock(&st->mu);
	if (c != NULL) {
		kube_cluster_free(st->latest);
		st->latest = c;
	}
	free(st->error);
	st->error = error != NULL ? xstrdup(error) : NULL;
	st->ready = true;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->mu);
	source_refresh_now(st->arg->source);
}

static bool cancelled(const struct cluster_state *st)
{
	return atomic_load(st->cancel) != 0;
}

static void sleep_cancellable(const struct cluster_state *st, int64_t ms)
{
	for (int64_t until = time_mono_ms() + ms; !cancelled(st) && time_mono_ms() < until;)
		time_sleep_ms(100);
}

struct conn {
	char *version;
	struct kube_apis apis;
	bool api_ok;
	char *api_error;
	struct kube_usage *usage;
	size_t nusage;
	char *metrics_error;        /* metrics.k8s.io's failure, or NULL */
};

static void conn_usage_free(struct conn *cn)
{
	for (size_t i = 0; i < cn->nusage; i++)
		kube_usage_done(&cn->usage[i]);
	free(cn->usage);
	cn->usage = NULL;
	cn->nusage = 0;
}

/* metrics.k8s.io's NodeMetricsList into cn->usage.  -1 with *cause when
 * the API could not be asked (a refusal or an error status is not that:
 * the usage just stays empty). */
static int poll_metrics(struct kube_client *kc, struct conn *cn, char **cause)
{
	struct http_response resp;
	char *path;
	const char *v = kube_client_group_version(kc, KUBE_G_METRICS);
	int rc = 0;

	if (v == NULL)
		return 0;
	http_response_init(&resp);
	path = xasprintf("/apis/metrics.k8s.io/%s/nodes", v);
	if (kube_client_get(kc, path, "list", "nodes.metrics.k8s.io", 0, &resp, cause) == 0) {
		cJSON *j = cJSON_ParseWithLength(resp.body.data, resp.body.len);
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *it;

		conn_usage_free(cn);
		cn->usage = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof(*cn->usage));
		cJSON_ArrayForEach(it, items) {
			char *why = NULL;

			if (kube_decode_usage(it, &cn->usage[cn->nusage], &why) == 0)
				cn->nusage++;
			free(why);
		}
		cJSON_Delete(j);
		free(cn->metrics_error);
		cn->metrics_error = NULL;
	} else {
		/* metrics-server's trouble is a problem of its own; only a
		 * timeout says the API itself is in doubt */
		conn_usage_free(cn);
		free(cn->metrics_error);
		cn->metrics_error = xstrdup(*cause != NULL ? *cause : "failed");
		if (resp.status == 0 && resp.total_ms >= 0.9 * (double)kube_client_timeout_ms(kc))
			rc = -1;
		else {
			free(*cause);   /* not the API's: in problems[] */
			*cause = NULL;
		}
	}
	free(path);
	http_response_done(&resp);
	return rc;
}

static struct kube_cluster *build(struct cluster_state *st, struct kube_reflector *r,
                                  struct kube_client *kc, const struct conn *cn)
{
	struct kube_cluster *c = kube_reflector_snapshot(r);

	c->name = xstrdup(st->arg->cfg->name);
	c->api.ok = cn->api_ok;
	c->api.version = cn->version != NULL ? xstrdup(cn->version) : NULL;
	c->api.via = kube_client_via(kc) != NULL ? xstrdup(kube_client_via(kc)) : NULL;
	c->api.error = cn->api_error != NULL ? xstrdup(cn->api_error) : NULL;
	for (size_t i = 0; i < c->nnodes; i++)
		c->api.etcd_members += c->nodes[i].etcd;
	c->apis = cn->apis;
	c->usage = xcalloc(cn->nusage + 1, sizeof(*c->usage));
	for (size_t i = 0; i < cn->nusage; i++) {
		c->usage[i].node = xstrdup(cn->usage[i].node);
		c->usage[i].cpu_m = cn->usage[i].cpu_m;
		c->usage[i].mem_bytes = cn->usage[i].mem_bytes;
	}
	c->nusage = cn->nusage;
	if (cn->metrics_error != NULL) {
		c->problems = xrealloc(c->problems, (c->nproblems + 1) * sizeof(*c->problems));
		c->problems[c->nproblems].resource = xstrdup("nodes.metrics.k8s.io");
		c->problems[c->nproblems++].error = xstrdup(cn->metrics_error);
	}
	if (kube_reflector_synced(r))
		c->synced_ms = time_real_ms();
	return c;
}

static void *cluster_main(void *arg)
{
	struct cluster_state *st = arg;
	const struct config_cluster *cfg = st->arg->cfg;
	struct kube_client *kc = kube_client_new(st->cancel, st->arg->timeout_ms);
	struct kube_reflector *r = kube_reflector_new(kc, cfg->namespaces, cfg->nnamespaces);
	struct conn cn = { 0 };
	bool connected = false, first_sent = false;
	int failures = 0;
	int64_t next_health = 0, dirty_since = 0, connected_at = 0;
	uint64_t rnd = 0;

	while (!cancelled(st)) {
		int64_t now = time_mono_ms(), wait;

		if (!connected) {
			char *cause = NULL;

			free(cn.version);
			cn.version = NULL;
			if (feed_cluster_connect(st->arg->fleet, cfg, kc, st->cancel, &cn.version, &cn.apis,
			                         &cause) != 0) {
				if (cancelled(st)) {
					free(cause);
					break;
				}
				publish(st, NULL, cause != NULL ? cause : "cannot reach the API");
				free(cause);
				sleep_cancellable(st, backoff_jitter_ms(backoff_delay_ms(CLUSTER_RETRY_BASE_MS, failures,
				                                                         CLUSTER_RETRY_CAP_MS),
				                                        backoff_random(&rnd)));
				failures++;
				continue;
			}
			failures = 0;
			connected = true;
			connected_at = time_mono_ms();
			cn.api_ok = true;
			free(cn.api_error);
			cn.api_error = NULL;
			kube_reflector_start(r, &cn.apis);
			next_health = 0;
			first_sent = false;
			continue;
		}
		if (now >= next_health) {
			char *cause = NULL;
			bool was_ok = cn.api_ok;
			int rc;

			next_health = now + st->arg->refresh_ms;
			rc = kube_client_readyz(kc, &cause);
			if (rc == 0)
				rc = poll_metrics(kc, &cn, &cause);
			if (rc == 0) {
				cn.api_ok = true;
				free(cn.api_error);
				cn.api_error = NULL;
			} else {
				cn.api_ok = false;
				free(cn.api_error);
				cn.api_error = cause;
				cause = NULL;
			}
			free(cause);
			if (rc < 0) {
				/* cannot be reached through this host: fail over */
				publish(st, NULL, cn.api_error);
				kube_reflector_stop(r);
				connected = false;
				continue;
			}
			if (first_sent && (cn.api_ok != was_ok || cn.nusage > 0 || cn.metrics_error != NULL))
				dirty_since = dirty_since != 0 ? dirty_since : now;
		}
		if (!first_sent && (kube_reflector_synced(r) || now - connected_at >= st->arg->timeout_ms)) {
			publish(st, build(st, r, kc, &cn), NULL);
			first_sent = true;
			dirty_since = 0;
		} else if (dirty_since != 0 && now - dirty_since >= FEED_CLUSTER_COALESCE_MS) {
			publish(st, build(st, r, kc, &cn), NULL);
			dirty_since = 0;
		}
		wait = next_health - now;
		if (dirty_since != 0 && dirty_since + FEED_CLUSTER_COALESCE_MS - now < wait)
			wait = dirty_since + FEED_CLUSTER_COALESCE_MS - now;
		if (!first_sent && wait > 100)
			wait = 100;
		if (kube_reflector_step(r, wait < 1 ? 1 : (long)wait) && dirty_since == 0)
			dirty_since = time_mono_ms();
	}
	kube_reflector_free(r);
	kube_client_free(kc);
	conn_usage_free(&cn);
	free(cn.version);
	free(cn.api_error);
	free(cn.metrics_error);
	return NULL;
}

/* ---- the source ---- */

static void *cluster_thread_init(void *arg, const atomic_int *cancel)
{
	struct cluster_state *st = xcalloc(1, sizeof *st);

	st->arg = arg;
	st->cancel = cancel;
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cond, NULL);
	if (pthread_create(&st->thread, NULL, cluster_main, st) == 0) {
		st->started = true;
		util_thread_name(st->thread, "cluster");
	}
	return st;
}

static int cluster_poll(void *state, void **value, char **cause)
{
	struct cluster_state *st = state;
	int rc = 0;

	if (!st->started) {
		util_set_cause(cause, "cannot start the cluster's thread");
		return -1;
	}
	pthread_mutex_lock(&st->mu);
	/* the first poll waits for the first answer (status runs once) */
	for (int64_t until = time_mono_ms() + 4 * (int64_t)st->arg->timeout_ms + 1000;
	     !st->ready && time_mono_ms() < until && atomic_load(st->cancel) == 0;)
		time_cond_wait_until(&st->cond, &st->mu, time_mono_ms() + 200 < until ? time_mono_ms() + 200 : until);
	if (st->error != NULL) {
		util_set_cause(cause, "%s", st->error);
		rc = -1;
	} else if (st->latest != NULL) {
		*value = kube_cluster_copy(st->latest);
	} else {
		util_set_cause(cause, "connecting to the API");
		rc = -1;
	}
	pthread_mutex_unlock(&st->mu);
	return rc;
}

static void cluster_thread_done(void *state)
{
	struct cluster_state *st = state;

	if (st->started)
		pthread_join(st->thread, NULL);   /* the source's cancel flag is raised */
	kube_cluster_free(st->latest);
	free(st->error);
	pthread_cond_destroy(&st->cond);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

static void cluster_value_free(void *v)
{
	kube_cluster_free(v);
}

static const struct source_ops cluster_ops = {
	.kind = "cluster",
	.thread_init = cluster_thread_init,
	.poll = cluster_poll,
	.thread_done = cluster_thread_done,
	.free_value = cluster_value_free,
	.free_arg = free,
};

struct source *feed_cluster_new(struct fleet *fleet, size_t i, struct wake *wake)
{
	const struct config *cfg = fleet->cfg;
	struct cluster_arg *a;
	struct source_params p = { .interval_ms = cfg->refresh_ms };
	char *name;

	if (i >= cfg->nclusters)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->fleet = fleet;
	a->cfg = &cfg->clusters[i];
	a->refresh_ms = cfg->refresh_ms > 0 ? cfg->refresh_ms : 2000;
	a->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 5000;
	name = xasprintf("cluster %s", a->cfg->name);
	p.name = name;
	a->source = source_new(&p, &cluster_ops, a, wake);
	free(name);
	return a->source;
}

const struct kube_cluster *feed_cluster_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
