/* frame_json_cluster — the document's "clusters" back into the frame's
 * clusters (frame_json.h).  A cluster of the document is the configured
 * [cluster] of that name, or, when the configuration has none (a recording
 * made with a configuration this build does not read the same way), one
 * added to the frame with its name and no configuration (cfg NULL).
 *
 * What the document lacks is inferred so that status_json() writes the
 * same document again: a node's used and requested percentages become its
 * allocatable (1000 cores, 10^12 bytes) with a usage and requests of that
 * share; its pods not listed (status lists the pods not healthy) become
 * healthy pods without a name (the views count them, never list them),
 * the first of them carrying the node's requests; a pod's age its
 * creation; "ready" "1/2" its ready and containers; the etcd flag of a node
 * its "etcd" role; a database's Ready its ready instances all there; a
 * node's "host" when it is not the node's own name, the node's InternalIP
 * as that host's address. */
#include "core/model/frame_json.h"
#include "core/model/frame_json_internal.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

#define FJC_ALLOC_CPU_M 1000000LL          /* 1000 cores */
#define FJC_ALLOC_MEM 1000000000000LL      /* 10^12 bytes */
#define FJC_MAX_PODS_PER_NODE 4096

/* Frees a value this reader built (kube_types' own free). */
static void fjc_free(void *p)
{
	kube_cluster_free(p);
}

static char *fjc_str(const cJSON *o, const char *key)
{
	return frame_json_text(frame_json_string(o, key));
}

static int fjc_int(const cJSON *o, const char *key)
{
	long long v = 0;

	frame_json_int(o, key, 0, INT_MAX, &v);
	return (int)v;
}

/* An array member's items, at most FRAME_JSON_MAX_ITEMS: allocates *out of
 * size each, returns the count. */
static size_t fjc_array(const cJSON *o, const char *key, size_t size, void **out)
{
	const cJSON *arr = frame_json_item(o, key);
	size_t n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;

	if (n > FRAME_JSON_MAX_ITEMS)
		n = FRAME_JSON_MAX_ITEMS;
	*out = xcalloc(n + 1, size);
	return n;
}

static const cJSON *fjc_at(const cJSON *o, const char *key, size_t i)
{
	return cJSON_GetArrayItem(frame_json_item(o, key), (int)i);
}

static int64_t fjc_share(const cJSON *o, const char *key, int64_t whole)
{
	double pct;

	if (!frame_json_number(o, key, &pct) || pct < 0 || pct > 1e6)
		return -1;
	return llround(pct * (double)whole / 100.0);
}

/* The pods not listed on node n: healthy, nameless, the first with the
 * node's requests (less what the listed ones ask: nothing, they carry no
 * requests). */
static void fjc_node_pods(struct kube_cluster *k, const struct kube_node *n, const cJSON *no,
                          size_t *cap)
{
	int want = fjc_int(no, "pods"), have = 0, extra;
	int64_t cpu = fjc_share(no, "req_cpu_pct", FJC_ALLOC_CPU_M);
	int64_t mem = fjc_share(no, "req_mem_pct", FJC_ALLOC_MEM);
	struct kube_pod *carrier = NULL;

	for (size_t i = 0; i < k->npods; i++)
		if (k->pods[i].counts_for_node && k->pods[i].node != NULL && strcmp(k->pods[i].node, n->name) == 0) {
			carrier = carrier != NULL ? carrier : &k->pods[i];
			have++;
		}
	if (want > FJC_MAX_PODS_PER_NODE)
		want = FJC_MAX_PODS_PER_NODE;
	extra = want > have ? want - have : 0;
	for (int i = 0; i < extra; i++) {
		struct kube_pod *p;

		if (k->npods == *cap) {
			size_t off = carrier != NULL ? (size_t)(carrier - k->pods) : 0;

			*cap = *cap * 2 + 16;
			k->pods = xrealloc(k->pods, *cap * sizeof *k->pods);
			carrier = carrier != NULL ? &k->pods[off] : NULL;
		}
		p = &k->pods[k->npods++];
		*p = (struct kube_pod){ .node = xstrdup(n->name), .healthy = true, .counts_for_node = true,
			.ready = 1, .containers = 1 };
		if (i == 0)
			carrier = p;
	}
	if (carrier != NULL) {
		carrier->req_cpu_m = cpu > 0 ? cpu : 0;
		carrier->req_mem_bytes = mem > 0 ? mem : 0;
	}
}

static const char *const fjc_pressure[] = { "MemoryPressure", "DiskPressure", "PIDPressure",
	"NetworkUnavailable" };

static void fjc_nodes(const struct frame_json *fj, struct kube_cluster *k, const cJSON *co)
{
	void *mem;
	size_t cap;

	k->nnodes = fjc_array(co, "nodes", sizeof *k->nodes, &mem);
	k->nodes = mem;
	k->usage = xcalloc(k->nnodes + 1, sizeof *k->usage);
	for (size_t i = 0; i < k->nnodes; i++) {
		const cJSON *no = fjc_at(co, "nodes", i), *arr, *it;
		struct kube_node *n = &k->nodes[i];
		const char *host = frame_json_string(no, "host");
		int hi;
		long long v;

		n->name = fjc_str(no, "name");
		if (n->name == NULL)
			n->name = xstrdup("?");
		n->ready = frame_json_bool(no, "ready") == 1 ? KUBE_TRUE : KUBE_FALSE;
		n->kubelet = fjc_str(no, "kubelet");
		n->unschedulable = frame_json_bool(no, "unschedulable") == 1;
		arr = frame_json_item(no, "roles");
		cJSON_ArrayForEach(it, arr) {
			if (!cJSON_IsString(it) || n->nroles >= 16)
				continue;
			n->roles = xrealloc(n->roles, (n->nroles + 1) * sizeof *n->roles);
			n->roles[n->nroles++] = frame_json_text(it->valuestring);
			n->etcd = n->etcd || strcmp(it->valuestring, "etcd") == 0;
		}
		arr = frame_json_item(no, "pressure");
		cJSON_ArrayForEach(it, arr)
			for (size_t b = 0; cJSON_IsString(it) && b < UTIL_ARRAY_LEN(fjc_pressure); b++)
				if (strcmp(it->valuestring, fjc_pressure[b]) == 0)
					n->pressure |= 1u << b;
		n->alloc_cpu_m = FJC_ALLOC_CPU_M;
		n->alloc_mem_bytes = FJC_ALLOC_MEM;
		n->alloc_pods = frame_json_int(no, "pods_max", 0, INT_MAX, &v) ? v : -1;
		hi = host != NULL && strcmp(host, n->name) != 0 ? frame_json_host_index(fj->cfg, host) : -1;
		if (hi >= 0 && fj->cfg->hosts[hi].address != NULL)
			n->internal_ip = xstrdup(fj->cfg->hosts[hi].address);
		if (frame_json_item(no, "cpu_pct") != NULL && !cJSON_IsNull(frame_json_item(no, "cpu_pct"))) {
			struct kube_usage *u = &k->usage[k->nusage++];

			u->node = xstrdup(n->name);
			u->cpu_m = fjc_share(no, "cpu_pct", FJC_ALLOC_CPU_M);
			u->mem_bytes = fjc_share(no, "mem_pct", FJC_ALLOC_MEM);
		}
	}
	/* the pods listed, then each node's others */
	cap = k->npods;
	for (size_t i = 0; i < k->nnodes; i++)
		fjc_node_pods(k, &k->nodes[i], fjc_at(co, "nodes", i), &cap);
}

/* A status word that is not charged to its node (the pod's phase is
 * Succeeded or Failed). */
static bool fjc_pod_done(const char *status)
{
	return status != NULL && (strcmp(status, "Completed") == 0 || strcmp(status, "Evicted") == 0 ||
	                          strcmp(status, "Failed") == 0);
}

static void fjc_pods(const struct frame_json *fj, struct kube_cluster *k, const cJSON *co)
{
	void *mem;

	k->npods = fjc_array(co, "pods", sizeof *k->pods, &mem);
	k->pods = mem;
	for (size_t i = 0; i < k->npods; i++) {
		const cJSON *po = fjc_at(co, "pods", i);
		struct kube_pod *p = &k->pods[i];
		const char *ready = frame_json_string(po, "ready");
		long long age;

		p->ns = fjc_str(po, "namespace");
		p->name = fjc_str(po, "name");
		if (p->name == NULL)
			p->name = xstrdup("?");
		p->node = fjc_str(po, "node");
		p->status = fjc_str(po, "status");
		p->restarts = fjc_int(po, "restarts");
		p->last_reason = fjc_str(po, "last_reason");
		if (ready != NULL && sscanf(ready, "%d/%d", &p->ready, &p->containers) != 2)
			p->ready = p->containers = 0;
		if (p->ready < 0 || p->containers < 0)
			p->ready = p->containers = 0;
		if (frame_json_int(po, "age_s", 0, INT_MAX, &age))
			p->created_ms = fj->f->taken_ms - age * 1000;
		p->counts_for_node = !fjc_pod_done(p->status);
		p->healthy = (p->status != NULL && strcmp(p->status, "Running") == 0 &&
		              p->ready == p->containers) || (p->status != NULL && strcmp(p->status, "Completed") == 0);
	}
}

static void fjc_objects(struct kube_cluster *k, const cJSON *co)
{
	void *mem;

	k->nworkloads = fjc_array(co, "workloads", sizeof *k->workloads, &mem);
	k->workloads = mem;
	for (size_t i = 0; i < k->nworkloads; i++) {
		const cJSON *o = fjc_at(co, "workloads", i);
		struct kube_workload *w = &k->workloads[i];
		const char *kind = frame_json_string(o, "kind"), *state = frame_json_string(o, "state");

		w->kind = kind == NULL ? KUBE_DEPLOYMENT : strcmp(kind, "StatefulSet") == 0 ? KUBE_STATEFULSET :
		          strcmp(kind, "DaemonSet") == 0 ? KUBE_DAEMONSET : KUBE_DEPLOYMENT;
		w->ns = fjc_str(o, "namespace");
		w->name = fjc_str(o, "name");
		w->desired = fjc_int(o, "desired");
		w->ready = w->available = fjc_int(o, "ready");
		w->updated = fjc_int(o, "updated");
		w->state = state == NULL ? KUBE_ROLLOUT_DONE : strcmp(state, "progressing") == 0 ?
		           KUBE_ROLLOUT_PROGRESSING : strcmp(state, "failed") == 0 ? KUBE_ROLLOUT_FAILED :
		           strcmp(state, "paused") == 0 ? KUBE_ROLLOUT_PAUSED : KUBE_ROLLOUT_DONE;
	}
	k->ngitops = fjc_array(co, "gitops", sizeof *k->gitops, &mem);
	k->gitops = mem;
	for (size_t i = 0; i < k->ngitops; i++) {
		const cJSON *o = fjc_at(co, "gitops", i);
		struct kube_gitops *g = &k->gitops[i];
		const char *kind = frame_json_string(o, "kind");
		int ready = frame_json_bool(o, "ready");

		g->kind = kind == NULL ? KUBE_KUSTOMIZATION : strcmp(kind, "HelmRelease") == 0 ? KUBE_HELMRELEASE :
		          strcmp(kind, "GitRepository") == 0 ? KUBE_GITREPOSITORY :
		          strcmp(kind, "Application") == 0 ? KUBE_APPLICATION : KUBE_KUSTOMIZATION;
		g->ns = fjc_str(o, "namespace");
		g->name = fjc_str(o, "name");
		g->ready = ready == 1 ? KUBE_TRUE : ready == 0 ? KUBE_FALSE : KUBE_UNKNOWN;
		g->sync = fjc_str(o, "sync");
		g->health = fjc_str(o, "health");
		g->revision = fjc_str(o, "revision");
		g->suspended = frame_json_bool(o, "suspended") == 1;
		g->message = fjc_str(o, "message");
	}
	k->nvolumes = fjc_array(co, "volumes", sizeof *k->volumes, &mem);
	k->volumes = mem;
	for (size_t i = 0; i < k->nvolumes; i++) {
		const cJSON *o = fjc_at(co, "volumes", i);
		struct kube_volume *v = &k->volumes[i];

		v->name = fjc_str(o, "name");
		v->state = fjc_str(o, "state");
		v->robustness = fjc_str(o, "robustness");
		v->node = fjc_str(o, "node");
		v->replicas = fjc_int(o, "replicas");
		v->healthy_replicas = fjc_int(o, "healthy_replicas");
	}
	k->ndatabases = fjc_array(co, "databases", sizeof *k->databases, &mem);
	k->databases = mem;
	for (size_t i = 0; i < k->ndatabases; i++) {
		const cJSON *o = fjc_at(co, "databases", i);
		struct kube_database *d = &k->databases[i];

		d->ns = fjc_str(o, "namespace");
		d->name = fjc_str(o, "name");
		d->phase = fjc_str(o, "phase");
		d->instances = fjc_int(o, "instances");
		d->ready_instances = fjc_int(o, "ready_instances");
		d->primary = fjc_str(o, "primary");
		d->primary_node = fjc_str(o, "primary_node");
		d->nodes_used = -1;
		d->ready = d->ready_instances >= d->instances;
	}
	k->nevents = fjc_array(co, "events", sizeof *k->events, &mem);
	k->events = mem;
	if (k->nevents > KUBE_MAX_EVENTS)
		k->nevents = KUBE_MAX_EVENTS;
	for (size_t i = 0; i < k->nevents; i++) {
		const cJSON *o = fjc_at(co, "events", i);
		struct kube_event *e = &k->events[i];
		const char *when = frame_json_string(o, "time");
		int64_t ms;

		if (when != NULL && time_parse_iso8601(when, &ms) == 0 && ms > 0)
			e->time_ms = ms;
		e->type = fjc_str(o, "type");
		e->reason = fjc_str(o, "reason");
		e->object = fjc_str(o, "object");
		e->message = fjc_str(o, "message");
		e->count = fjc_int(o, "count");
	}
}

/* A copy of name held by the frame until frame_release (a snapshot of its
 * own), for a cluster the configuration does not name. */
static const char *fjc_own_name(struct frame_json *fj, const char *name)
{
	char *copy = frame_json_text(name);
	struct snapshot *s = snapshot_new_value(copy, free);

	fj->f->refs[fj->f->nrefs++] = s;
	return copy;
}

/* The frame's cluster called name: the configured one, else one added. */
static struct frame_cluster *fjc_slot(struct frame_json *fj, const char *name, size_t *added)
{
	struct frame *f = fj->f;

	for (size_t i = 0; i < f->nclusters; i++)
		if (strcmp(f->clusters[i].name, name) == 0)
			return f->clusters[i].feed.configured ? NULL : &f->clusters[i];   /* twice: the first */
	f->clusters = xrealloc(f->clusters, (f->nclusters + 2) * sizeof *f->clusters);
	f->clusters[f->nclusters] = (struct frame_cluster){ 0 };
	(*added)++;
	return &f->clusters[f->nclusters++];
}

void frame_json_clusters(struct frame_json *fj)
{
	const cJSON *arr = frame_json_item(fj->root, "clusters"), *co;
	size_t added = 0;

	cJSON_ArrayForEach(co, arr) {
		const char *name = frame_json_string(co, "name"), *err = frame_json_string(co, "error");
		const cJSON *api = frame_json_item(co, "api");
		struct frame_cluster *c;
		struct kube_cluster *k = NULL;

		if (name == NULL || added >= FRAME_JSON_MAX_CLUSTERS || fj->f->nrefs + 2 > fj->cap)
			continue;
		c = fjc_slot(fj, name, &added);
		if (c == NULL)
			continue;
		if (cJSON_IsObject(api)) {
			k = xcalloc(1, sizeof *k);
			k->name = frame_json_text(name);
			k->api.ok = frame_json_bool(api, "ok") == 1;
			k->api.version = fjc_str(api, "version");
			k->api.via = fjc_str(api, "via");
			k->api.etcd_members = fjc_int(api, "etcd_members");
			fjc_pods(fj, k, co);
			fjc_nodes(fj, k, co);
			fjc_objects(k, co);
			if (!k->api.ok) {
				/* the API answered not ready: its words are the error */
				k->api.error = frame_json_text(err != NULL ? err : "API not ready");
				err = NULL;
			}
		}
		if (c->name == NULL)   /* not configured: named by the document */
			c->name = fjc_own_name(fj, name);
		c->value = frame_json_hold(fj, &c->feed, k, fjc_free, k == NULL && err == NULL ?
		                           FRAME_JSON_NO_ANSWER : err);
	}
}
