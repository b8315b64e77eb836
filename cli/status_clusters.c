/* status_clusters — see status_clusters.h. */
#include "cli/status_clusters.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/cluster_nodes.h"
#include "core/model/verdict_cluster.h"

static void sc_string(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static void sc_number(cJSON *o, const char *key, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* The cluster's error in words, or NULL when its API answered. */
static const char *sc_error(const struct frame_cluster *c)
{
	if (!c->feed.polled)
		return "no answer yet";
	if (c->feed.error != NULL)
		return c->feed.error;
	if (c->value == NULL)
		return "no answer yet";
	if (!c->value->api.ok)
		return c->value->api.error != NULL ? c->value->api.error : "API not ready";
	return NULL;
}

static const char *const sc_pressure_word[] = { "MemoryPressure", "DiskPressure", "PIDPressure",
	"NetworkUnavailable" };

static cJSON *sc_node(const struct frame *f, const struct kube_cluster *k, size_t i)
{
	const struct kube_node *n = &k->nodes[i];
	struct cluster_node_sum s;
	cJSON *o = cJSON_CreateObject(), *arr;

	cluster_node_sum(f, k, i, &s);
	sc_string(o, "name", n->name);
	sc_string(o, "host", s.host != NULL ? s.host->name : NULL);
	cJSON_AddBoolToObject(o, "ready", verdict_kube_node_ready(n));
	arr = cJSON_AddArrayToObject(o, "roles");
	for (size_t r = 0; r < n->nroles; r++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(n->roles[r]));
	sc_string(o, "kubelet", n->kubelet);
	cJSON_AddBoolToObject(o, "unschedulable", n->unschedulable);
	arr = cJSON_AddArrayToObject(o, "pressure");
	for (size_t b = 0; b < UTIL_ARRAY_LEN(sc_pressure_word); b++)
		if ((n->pressure & (1u << b)) != 0)
			cJSON_AddItemToArray(arr, cJSON_CreateString(sc_pressure_word[b]));
	sc_number(o, "cpu_pct", s.cpu_pct);
	sc_number(o, "mem_pct", s.mem_pct);
	sc_number(o, "req_cpu_pct", s.req_cpu_pct);
	sc_number(o, "req_mem_pct", s.req_mem_pct);
	cJSON_AddNumberToObject(o, "pods", s.pods);
	sc_number(o, "pods_max", s.pods_max >= 0 ? s.pods_max : NAN);
	return o;
}

static cJSON *sc_pod(const struct kube_pod *p, int64_t now_ms)
{
	cJSON *o = cJSON_CreateObject();
	char ready[32];

	sc_string(o, "namespace", p->ns);
	sc_string(o, "name", p->name);
	sc_string(o, "node", p->node);
	sc_string(o, "status", p->status);
	snprintf(ready, sizeof ready, "%d/%d", p->ready, p->containers);
	cJSON_AddStringToObject(o, "ready", ready);
	cJSON_AddNumberToObject(o, "restarts", p->restarts);
	sc_string(o, "last_reason", p->last_reason);
	sc_number(o, "age_s", p->created_ms > 0 && now_ms >= p->created_ms ?
	          (double)((now_ms - p->created_ms) / 1000) : NAN);
	return o;
}

static cJSON *sc_workload(const struct kube_workload *w)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", kube_workload_kind_name(w->kind));
	sc_string(o, "namespace", w->ns);
	sc_string(o, "name", w->name);
	cJSON_AddNumberToObject(o, "desired", w->desired);
	cJSON_AddNumberToObject(o, "ready", w->ready);
	cJSON_AddNumberToObject(o, "updated", w->updated);
	cJSON_AddStringToObject(o, "state", kube_rollout_name(w->state));
	return o;
}

static cJSON *sc_gitops(const struct kube_gitops *g)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", kube_gitops_kind_name(g->kind));
	sc_string(o, "namespace", g->ns);
	sc_string(o, "name", g->name);
	if (g->ready == KUBE_TRUE || g->ready == KUBE_FALSE)
		cJSON_AddBoolToObject(o, "ready", g->ready == KUBE_TRUE);
	else
		cJSON_AddNullToObject(o, "ready");
	sc_string(o, "sync", g->sync);
	sc_string(o, "health", g->health);
	sc_string(o, "revision", g->revision);
	cJSON_AddBoolToObject(o, "suspended", g->suspended);
	sc_string(o, "message", g->message);
	return o;
}

static cJSON *sc_volume(const struct kube_volume *v)
{
	cJSON *o = cJSON_CreateObject();

	sc_string(o, "name", v->name);
	sc_string(o, "state", v->state);
	sc_string(o, "robustness", v->robustness);
	sc_string(o, "node", v->node);
	cJSON_AddNumberToObject(o, "replicas", v->replicas);
	cJSON_AddNumberToObject(o, "healthy_replicas", v->healthy_replicas);
	return o;
}

static cJSON *sc_database(const struct kube_database *d)
{
	cJSON *o = cJSON_CreateObject();

	sc_string(o, "namespace", d->ns);
	sc_string(o, "name", d->name);
	sc_string(o, "phase", d->phase);
	cJSON_AddNumberToObject(o, "instances", d->instances);
	cJSON_AddNumberToObject(o, "ready_instances", d->ready_instances);
	sc_string(o, "primary", d->primary);
	sc_string(o, "primary_node", d->primary_node);
	return o;
}

static cJSON *sc_event(const struct kube_event *e)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];

	if (e->time_ms > 0) {
		time_format_iso8601(when, sizeof when, e->time_ms);
		cJSON_AddStringToObject(o, "time", when);
	} else {
		cJSON_AddNullToObject(o, "time");
	}
	sc_string(o, "type", e->type);
	sc_string(o, "reason", e->reason);
	sc_string(o, "object", e->object);
	sc_string(o, "message", e->message);
	cJSON_AddNumberToObject(o, "count", e->count);
	return o;
}

static cJSON *sc_cluster(const struct frame *f, const struct frame_cluster *c, bool all)
{
	const struct kube_cluster *k = c->feed.polled ? c->value : NULL;
	cJSON *o = cJSON_CreateObject(), *api, *arr;
	const struct kube_pod **pods;
	size_t n;

	sc_string(o, "name", c->name);
	sc_string(o, "error", sc_error(c));
	if (k == NULL) {
		static const char *const none[] = { "api", "nodes", "pods", "workloads", "gitops", "volumes",
			"databases", "events" };

		for (size_t i = 0; i < UTIL_ARRAY_LEN(none); i++)
			cJSON_AddNullToObject(o, none[i]);
		return o;
	}
	api = cJSON_AddObjectToObject(o, "api");
	cJSON_AddBoolToObject(api, "ok", k->api.ok);
	sc_string(api, "version", k->api.version);
	sc_string(api, "via", k->api.via);
	cJSON_AddNumberToObject(api, "etcd_members", k->api.etcd_members);
	arr = cJSON_AddArrayToObject(o, "nodes");
	for (size_t i = 0; i < k->nnodes; i++)
		cJSON_AddItemToArray(arr, sc_node(f, k, i));
	arr = cJSON_AddArrayToObject(o, "pods");
	pods = cluster_bad_pods(k, &n);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, sc_pod(pods[i], f->taken_ms));
	free(pods);
	for (size_t i = 0; all && i < k->npods; i++)
		if (k->pods[i].name != NULL && verdict_kube_pod_severity(&k->pods[i]) == 0)
			cJSON_AddItemToArray(arr, sc_pod(&k->pods[i], f->taken_ms));
	arr = cJSON_AddArrayToObject(o, "workloads");
	for (size_t i = 0; i < k->nworkloads; i++)
		if (k->workloads[i].state != KUBE_ROLLOUT_DONE || k->workloads[i].ready < k->workloads[i].desired)
			cJSON_AddItemToArray(arr, sc_workload(&k->workloads[i]));
	arr = cJSON_AddArrayToObject(o, "gitops");
	for (size_t i = 0; i < k->ngitops; i++)
		cJSON_AddItemToArray(arr, sc_gitops(&k->gitops[i]));
	arr = cJSON_AddArrayToObject(o, "volumes");
	for (size_t i = 0; i < k->nvolumes; i++)
		cJSON_AddItemToArray(arr, sc_volume(&k->volumes[i]));
	arr = cJSON_AddArrayToObject(o, "databases");
	for (size_t i = 0; i < k->ndatabases; i++)
		cJSON_AddItemToArray(arr, sc_database(&k->databases[i]));
	arr = cJSON_AddArrayToObject(o, "events");
	for (size_t i = 0; i < k->nevents; i++)
		cJSON_AddItemToArray(arr, sc_event(&k->events[i]));
	return o;
}

cJSON *status_clusters_json(const struct frame *f, bool all)
{
	cJSON *arr;

	if (f->nclusters == 0)
		return cJSON_CreateNull();
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < f->nclusters; i++)
		if (f->clusters[i].feed.configured)
			cJSON_AddItemToArray(arr, sc_cluster(f, &f->clusters[i], all));
	return arr;
}

static void sc_pct(struct buf *out, const char *label, double v)
{
	if (isfinite(v))
		buf_printf(out, "  %s %.0f%%", label, v);
	else
		buf_printf(out, "  %s ?", label);
}

static void sc_text_one(const struct frame *f, const struct frame_cluster *c, struct buf *out)
{
	const struct kube_cluster *k = c->feed.polled ? c->value : NULL;
	const char *err = sc_error(c);
	const struct kube_pod **pods;
	struct buf why;
	enum verdict_level lvl;
	size_t n;

	buf_init(&why);
	lvl = verdict_cluster_level(c, f->taken_ms, &why);
	buf_printf(out, "cluster %s: %s", c->name, verdict_level_name(lvl));
	if (k != NULL)
		buf_printf(out, "  k8s %s  api %s%s  etcd %d%s", k->api.version != NULL ? k->api.version : "?",
		           k->api.via != NULL ? "via " : "direct", k->api.via != NULL ? k->api.via : "",
		           k->api.etcd_members,
		           k->api.etcd_members == 2 ? " (even: losing either member stops the API)" : "");
	buf_putc(out, '\n');
	if (err != NULL)
		buf_printf(out, "  error: %s%s\n", err, k != NULL ? " (the figures below are the last known)" : "");
	for (size_t i = 0; k != NULL && i < k->nnodes; i++) {
		struct cluster_node_sum s;
		const struct kube_node *nd = &k->nodes[i];

		cluster_node_sum(f, k, i, &s);
		buf_printf(out, "  node %-12s %s%s", nd->name, verdict_kube_node_ready(nd) ? "Ready" : "NotReady",
		           nd->unschedulable ? ",SchedulingDisabled" : "");
		sc_pct(out, "cpu", s.cpu_pct);
		sc_pct(out, "mem", s.mem_pct);
		sc_pct(out, "req cpu", s.req_cpu_pct);
		sc_pct(out, "req mem", s.req_mem_pct);
		buf_printf(out, "  pods %d", s.pods);
		if (s.pods_max >= 0)
			buf_printf(out, "/%d", s.pods_max);
		if (s.host != NULL && strcmp(s.host->name, nd->name) != 0)
			buf_printf(out, "  [host %s]", s.host->name);
		buf_putc(out, '\n');
	}
	pods = k != NULL ? cluster_bad_pods(k, &n) : NULL;
	for (size_t i = 0; pods != NULL && i < n; i++)
		buf_printf(out, "  pod %s/%s on %s: %s %d/%d, %d restarts%s%s\n", pods[i]->ns, pods[i]->name,
		           pods[i]->node != NULL ? pods[i]->node : "no node", pods[i]->status != NULL ?
		           pods[i]->status : "?", pods[i]->ready, pods[i]->containers, pods[i]->restarts,
		           pods[i]->last_reason != NULL ? ", last " : "",
		           pods[i]->last_reason != NULL ? pods[i]->last_reason : "");
	free(pods);
	buf_done(&why);
}

void status_clusters_text(const struct frame *f, struct buf *out)
{
	for (size_t i = 0; i < f->nclusters; i++)
		if (f->clusters[i].feed.configured)
			sc_text_one(f, &f->clusters[i], out);
}
