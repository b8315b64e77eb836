/* kube_reflector_store — a reflector's caches: objects decoded by
 * resource, kept by namespace/name, and the snapshot built from them
 * (kube_reflector_internal.h). */
#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode.h"
#include "backends/kube_reflector_internal.h"
#include "core/base/util.h"

static const size_t obj_size[KUBE_R_N] = {
	[KUBE_R_NODES] = sizeof(struct kube_node),
	[KUBE_R_PODS] = sizeof(struct kube_pod),
	[KUBE_R_DEPLOYMENTS] = sizeof(struct kube_workload),
	[KUBE_R_STATEFULSETS] = sizeof(struct kube_workload),
	[KUBE_R_DAEMONSETS] = sizeof(struct kube_workload),
	[KUBE_R_EVENTS] = sizeof(struct kube_event),
	[KUBE_R_KUSTOMIZATIONS] = sizeof(struct kube_gitops),
	[KUBE_R_HELMRELEASES] = sizeof(struct kube_gitops),
	[KUBE_R_GITREPOSITORIES] = sizeof(struct kube_gitops),
	[KUBE_R_APPLICATIONS] = sizeof(struct kube_gitops),
	[KUBE_R_LH_VOLUMES] = sizeof(struct kube_volume),
	[KUBE_R_LH_REPLICAS] = sizeof(struct kube_replica),
	[KUBE_R_CNPG_CLUSTERS] = sizeof(struct kube_database),
};

char *kube_object_key(const cJSON *obj)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(md, "name");

	if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
		return NULL;
	if (cJSON_IsString(ns) && ns->valuestring[0] != '\0')
		return xasprintf("%s/%s", ns->valuestring, name->valuestring);
	return xstrdup(name->valuestring);
}

int kube_res_decode(enum kube_res res, const cJSON *obj, void **out, char **cause)
{
	void *o = xcalloc(1, obj_size[res]);
	int rc = -1;

	switch (res) {
	case KUBE_R_NODES:
		rc = kube_decode_node(obj, o, cause);
		break;
	case KUBE_R_PODS:
		rc = kube_decode_pod(obj, o, cause);
		break;
	case KUBE_R_DEPLOYMENTS:
		rc = kube_decode_workload(obj, KUBE_DEPLOYMENT, o, cause);
		break;
	case KUBE_R_STATEFULSETS:
		rc = kube_decode_workload(obj, KUBE_STATEFULSET, o, cause);
		break;
	case KUBE_R_DAEMONSETS:
		rc = kube_decode_workload(obj, KUBE_DAEMONSET, o, cause);
		break;
	case KUBE_R_EVENTS:
		rc = kube_decode_event(obj, o, cause);
		break;
	case KUBE_R_KUSTOMIZATIONS:
		rc = kube_decode_gitops(obj, KUBE_KUSTOMIZATION, o, cause);
		break;
	case KUBE_R_HELMRELEASES:
		rc = kube_decode_gitops(obj, KUBE_HELMRELEASE, o, cause);
		break;
	case KUBE_R_GITREPOSITORIES:
		rc = kube_decode_gitops(obj, KUBE_GITREPOSITORY, o, cause);
		break;
	case KUBE_R_APPLICATIONS:
		rc = kube_decode_gitops(obj, KUBE_APPLICATION, o, cause);
		break;
	case KUBE_R_LH_VOLUMES:
		rc = kube_decode_volume(obj, o, cause);
		break;
	case KUBE_R_LH_REPLICAS: {
		struct kube_replica *r = o;

		rc = kube_decode_replica(obj, &r->volume, &r->node, &r->healthy, cause);
		break;
	}
	case KUBE_R_CNPG_CLUSTERS:
		rc = kube_decode_database(obj, o, cause);
		break;
	case KUBE_R_N:
		break;
	}
	if (rc != 0) {
		kube_res_free(res, o);
		return rc;
	}
	*out = o;
	return 0;
}

void kube_res_free(enum kube_res res, void *obj)
{
	if (obj == NULL)
		return;
	switch (res) {
	case KUBE_R_NODES:
		kube_node_done(obj);
		break;
	case KUBE_R_PODS:
		kube_pod_done(obj);
		break;
	case KUBE_R_DEPLOYMENTS:
	case KUBE_R_STATEFULSETS:
	case KUBE_R_DAEMONSETS:
		kube_workload_done(obj);
		break;
	case KUBE_R_EVENTS:
		kube_event_done(obj);
		break;
	case KUBE_R_KUSTOMIZATIONS:
	case KUBE_R_HELMRELEASES:
	case KUBE_R_GITREPOSITORIES:
	case KUBE_R_APPLICATIONS:
		kube_gitops_done(obj);
		break;
	case KUBE_R_LH_VOLUMES:
		kube_volume_done(obj);
		break;
	case KUBE_R_LH_REPLICAS: {
		struct kube_replica *r = obj;

		free(r->volume);
		free(r->node);
		break;
	}
	case KUBE_R_CNPG_CLUSTERS:
		kube_database_done(obj);
		break;
	case KUBE_R_N:
		break;
	}
	free(obj);
}

/* The index of key in s (sorted by key), or where it would go (*found false). */
static size_t store_find(const struct kube_store *s, const char *key, bool *found)
{
	size_t lo = 0, hi = s->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->e[mid].key, key);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void kube_store_put(struct kube_store *s, enum kube_res res, char *key, int stream, void *obj)
{
	bool found;
	size_t i = store_find(s, key, &found);

	if (found) {
		kube_res_free(res, s->e[i].obj);
		free(key);
		s->e[i].obj = obj;
		s->e[i].stream = stream;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap > 0 ? s->cap * 2 : 16;
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
	}
	memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof(*s->e));
	s->e[i] = (struct kube_entry){ .key = key, .stream = stream, .obj = obj };
	s->n++;
}

bool kube_store_del(struct kube_store *s, enum kube_res res, const char *key)
{
	bool found;
	size_t i = store_find(s, key, &found);

	if (!found)
		return false;
	kube_res_free(res, s->e[i].obj);
	free(s->e[i].key);
	memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof(*s->e));
	s->n--;
	return true;
}

void kube_store_clear(struct kube_store *s, enum kube_res res, int stream)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (stream == -1 || s->e[i].stream == stream) {
			kube_res_free(res, s->e[i].obj);
			free(s->e[i].key);
		} else {
			s->e[k++] = s->e[i];
		}
	}
	s->n = k;
}

void kube_store_done(struct kube_store *s, enum kube_res res)
{
	kube_store_clear(s, res, -1);
	free(s->e);
	memset(s, 0, sizeof *s);
}

/* Shallow copies of the objects of resources from..to into one array. */
static void *gather(struct kube_store *stores, enum kube_res from, enum kube_res to, size_t size,
                    size_t *n)
{
	size_t total = 0, k = 0;
	char *out;

	for (int r = (int)from; r <= (int)to; r++)
		total += stores[r].n;
	*n = total;
	out = xcalloc(total > 0 ? total : 1, size);
	for (int r = (int)from; r <= (int)to; r++)
		for (size_t i = 0; i < stores[r].n; i++)
			memcpy(out + size * k++, stores[r].e[i].obj, size);
	return out;
}

static int event_newer_first(const void *a, const void *b)
{
	const struct kube_event *x = a, *y = b;

	return (x->time_ms < y->time_ms) - (x->time_ms > y->time_ms);
}

struct kube_cluster *kube_store_snapshot(struct kube_store *stores, const char *const *prob_res,
                                         const char *const *prob_err, size_t nprob)
{
	struct kube_cluster tmp = { 0 }, *c;
	struct kube_store *rs = &stores[KUBE_R_LH_REPLICAS];
	char **rep_vol, **rep_node;
	bool *rep_ok;

	tmp.nodes = gather(stores, KUBE_R_NODES, KUBE_R_NODES, sizeof(struct kube_node), &tmp.nnodes);
	tmp.pods = gather(stores, KUBE_R_PODS, KUBE_R_PODS, sizeof(struct kube_pod), &tmp.npods);
	tmp.workloads = gather(stores, KUBE_R_DEPLOYMENTS, KUBE_R_DAEMONSETS, sizeof(struct kube_workload),
	                       &tmp.nworkloads);
	tmp.events = gather(stores, KUBE_R_EVENTS, KUBE_R_EVENTS, sizeof(struct kube_event), &tmp.nevents);
	tmp.gitops = gather(stores, KUBE_R_KUSTOMIZATIONS, KUBE_R_APPLICATIONS, sizeof(struct kube_gitops),
	                    &tmp.ngitops);
	tmp.volumes = gather(stores, KUBE_R_LH_VOLUMES, KUBE_R_LH_VOLUMES, sizeof(struct kube_volume),
	                     &tmp.nvolumes);
	tmp.databases = gather(stores, KUBE_R_CNPG_CLUSTERS, KUBE_R_CNPG_CLUSTERS,
	                       sizeof(struct kube_database), &tmp.ndatabases);
	tmp.problems = xcalloc(nprob > 0 ? nprob : 1, sizeof(*tmp.problems));
	for (size_t i = 0; i < nprob; i++) {
		tmp.problems[i].resource = (char *)(uintptr_t)prob_res[i];
		tmp.problems[i].error = (char *)(uintptr_t)prob_err[i];
	}
	tmp.nproblems = nprob;
	c = kube_cluster_copy(&tmp);
	free(tmp.nodes);
	free(tmp.pods);
	free(tmp.workloads);
	free(tmp.events);
	free(tmp.gitops);
	free(tmp.volumes);
	free(tmp.databases);
	free(tmp.problems);
	if (c == NULL)
		fatal("out of memory");
	/* the joins, on the copy that is ours */
	rep_vol = xcalloc(rs->n + 1, sizeof(*rep_vol));
	rep_node = xcalloc(rs->n + 1, sizeof(*rep_node));
	rep_ok = xcalloc(rs->n + 1, sizeof(*rep_ok));
	for (size_t i = 0; i < rs->n; i++) {
		const struct kube_replica *r = rs->e[i].obj;

		rep_vol[i] = r->volume;
		rep_node[i] = r->node;
		rep_ok[i] = r->healthy;
	}
	kube_volumes_join(c->volumes, c->nvolumes, rep_vol, rep_node, rep_ok, rs->n);
	free(rep_vol);
	free(rep_node);
	free(rep_ok);
	kube_databases_join(c->databases, c->ndatabases, c->pods, c->npods);
	if (c->nevents > 1)
		qsort(c->events, c->nevents, sizeof(*c->events), event_newer_first);
	while (c->nevents > KUBE_MAX_EVENTS)
		kube_event_done(&c->events[--c->nevents]);
	return c;
}
