/* kube_decode_crd — the custom resources kitetop reads (kube_decode.h):
 * Flux Kustomizations, HelmReleases (v2, and v2beta1's lastAppliedRevision)
 * and GitRepositories, Argo CD Applications, Longhorn volumes and replicas,
 * CloudNativePG clusters; and the joins between them and the pods. */
#include "backends/kube_decode.h"

#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode_internal.h"
#include "core/base/util.h"

static bool str_is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

/* Flux: every kind has a Ready condition (reason, message), suspend, and
 * lastHandledReconcileAt; the revision differs by kind. */
static void flux(const cJSON *obj, struct kube_gitops *g)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");
	const cJSON *ready = kd_cond(status, "Ready"), *hist;

	g->ready = kd_tri(ready);
	g->reason = kd_dup(ready, "reason");
	g->message = kd_dup(ready, "message");
	g->suspended = kd_bool(spec, "suspend");
	g->handled_at = kd_dup(status, "lastHandledReconcileAt");
	g->attempted = kd_dup(status, "lastAttemptedRevision");
	switch (g->kind) {
	case KUBE_HELMRELEASE:
		/* v2: the deployed chart version is history[0]; v2beta1 had
		 * lastAppliedRevision */
		hist = cJSON_GetArrayItem(kd_arr(status, "history"), 0);
		g->revision = kd_dup(hist, "chartVersion");
		if (g->revision == NULL)
			g->revision = kd_dup(status, "lastAppliedRevision");
		break;
	case KUBE_GITREPOSITORY:
		g->revision = kd_dup(kd_obj(status, "artifact"), "revision");
		break;
	default:
		g->revision = kd_dup(status, "lastAppliedRevision");
		break;
	}
}

/* Argo CD: sync and health rollups, the last operation, automated sync. */
static void argo(const cJSON *obj, struct kube_gitops *g)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");
	const cJSON *sync = kd_obj(status, "sync"), *health = kd_obj(status, "health");
	const cJSON *op = kd_obj(status, "operationState"), *c;
	bool failed_op;

	g->sync = kd_dup(sync, "status");
	g->health = kd_dup(health, "status");
	g->revision = kd_dup(sync, "revision");
	if (g->revision == NULL)
		g->revision = xstrdup(cJSON_GetStringValue(
			cJSON_GetArrayItem(kd_arr(sync, "revisions"), 0)));
	if (g->revision != NULL && *g->revision == '\0') {
		free(g->revision);
		g->revision = NULL;
	}
	if (str_is(g->health, "Healthy"))
		g->ready = KUBE_TRUE;
	else if (str_is(g->health, "Degraded") || str_is(g->health, "Missing"))
		g->ready = KUBE_FALSE;
	else
		g->ready = KUBE_UNKNOWN;
	g->auto_sync = kd_obj(kd_obj(spec, "syncPolicy"), "automated") != NULL;
	g->op_phase = kd_dup(op, "phase");
	g->op_finished_ms = kd_time(op, "finishedAt");
	g->op_pending = kd_obj(obj, "operation") != NULL;
	failed_op = str_is(g->op_phase, "Failed") || str_is(g->op_phase, "Error");
	if (g->ready != KUBE_TRUE || failed_op) {
		g->message = kd_dup(health, "message");
		if (g->message == NULL || failed_op) {
			free(g->message);
			g->message = kd_dup(op, "message");
		}
		/* ComparisonError, SyncError, ...: the first condition says why */
		c = cJSON_GetArrayItem(kd_arr(status, "conditions"), 0);
		if (g->message == NULL)
			g->message = kd_dup(c, "message");
	}
}

int kube_decode_gitops(const cJSON *obj, enum kube_gitops_kind kind, struct kube_gitops *out,
                       char **cause)
{
	static const struct {
		const char *name;
		enum kube_gitops_kind kind;
	} kinds[] = {
		{"Kustomization", KUBE_KUSTOMIZATION},
		{"HelmRelease", KUBE_HELMRELEASE},
		{"GitRepository", KUBE_GITREPOSITORY},
		{"Application", KUBE_APPLICATION},
	};
	const char *k;
	size_t i;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "gitops object", &out->ns, &out->name, cause) != 0)
		return -1;
	k = kd_str(obj, "kind");
	for (i = 0; k != NULL && i < UTIL_ARRAY_LEN(kinds); i++)
		if (strcmp(k, kinds[i].name) == 0)
			kind = kinds[i].kind;
	out->kind = kind;
	switch (kind) {
	case KUBE_KUSTOMIZATION:
	case KUBE_HELMRELEASE:
	case KUBE_GITREPOSITORY:
		flux(obj, out);
		return 0;
	case KUBE_APPLICATION:
		argo(obj, out);
		return 0;
	}
	util_set_cause(cause, "gitops object %s: unknown kind", out->name);
	kube_gitops_done(out);
	return -1;
}

/* ---- Longhorn ---- */

int kube_decode_volume(const cJSON *obj, struct kube_volume *out, char **cause)
{
	const cJSON *spec, *status, *ks;
	const char *pvc, *ns;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "Longhorn volume", NULL, &out->name, cause) != 0)
		return -1;
	spec = kd_obj(obj, "spec");
	status = kd_obj(obj, "status");
	ks = kd_obj(status, "kubernetesStatus");
	pvc = kd_nstr(ks, "pvcName");
	ns = kd_nstr(ks, "namespace");
	if (pvc != NULL)
		out->pvc = ns != NULL ? xasprintf("%.253s/%.253s", ns, pvc) : xstrndup(pvc, 253);
	out->state = kd_dup(status, "state");
	out->robustness = kd_dup(status, "robustness");
	out->node = kd_dup(status, "currentNodeID");
	out->replicas = (int)kd_int(spec, "numberOfReplicas", 0, 1000, 0);
	return 0;
}

int kube_decode_replica(const cJSON *obj, char **volume, char **node, bool *healthy,
                        char **cause)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");
	char *name = NULL;

	*volume = NULL;
	*node = NULL;
	*healthy = false;
	if (kd_meta(obj, "Longhorn replica", NULL, &name, cause) != 0)
		return -1;
	free(name);
	if (kd_nstr(spec, "volumeName") == NULL) {
		util_set_cause(cause, "Longhorn replica: no spec.volumeName");
		return -1;
	}
	*volume = kd_dup(spec, "volumeName");
	*node = kd_dup(spec, "nodeID");
	*healthy = str_is(kd_str(status, "currentState"), "running") &&
	           kd_nstr(spec, "failedAt") == NULL;
	return 0;
}

void kube_volumes_join(struct kube_volume *vols, size_t nvols, char *const *rep_volume,
                       char *const *rep_node, const bool *rep_healthy, size_t nrep)
{
	size_t i, j;

	for (i = 0; i < nvols; i++) {
		struct kube_volume *v = &vols[i];

		for (j = 0; j < v->nreplica_nodes; j++)
			free(v->replica_nodes[j]);
		free(v->replica_nodes);
		v->replica_nodes = NULL;
		v->nreplica_nodes = 0;
		v->healthy_replicas = 0;
		if (v->name == NULL)
			continue;
		for (j = 0; j < nrep; j++) {
			if (!rep_healthy[j] || rep_volume[j] == NULL ||
			    strcmp(rep_volume[j], v->name) != 0)
				continue;
			v->healthy_replicas++;
			if (rep_node[j] == NULL)
				continue;
			v->replica_nodes = xreallocarray(v->replica_nodes, v->nreplica_nodes + 1,
			                                 sizeof *v->replica_nodes);
			v->replica_nodes[v->nreplica_nodes++] = xstrdup(rep_node[j]);
		}
	}
}

/* ---- CloudNativePG ---- */

int kube_decode_database(const cJSON *obj, struct kube_database *out, char **cause)
{
	const cJSON *status;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "CloudNativePG cluster", &out->ns, &out->name, cause) != 0)
		return -1;
	status = kd_obj(obj, "status");
	out->phase = kd_dup(status, "phase");
	out->instances = (int)kd_int(status, "instances", 0, 100000, 0);
	if (out->instances == 0)
		out->instances = (int)kd_int(kd_obj(obj, "spec"), "instances", 0, 100000, 0);
	out->ready_instances = (int)kd_int(status, "readyInstances", 0, 100000, 0);
	out->primary = kd_dup(status, "currentPrimary");
	out->target_primary = kd_dup(status, "targetPrimary");
	out->nodes_used = (int)kd_int(kd_obj(status, "topology"), "nodesUsed", 0, 100000, -1);
	out->ready = kd_tri(kd_cond(status, "Ready")) == KUBE_TRUE;
	return 0;
}

void kube_databases_join(struct kube_database *dbs, size_t ndbs, const struct kube_pod *pods,
                         size_t npods)
{
	size_t i, j;

	for (i = 0; i < ndbs; i++) {
		struct kube_database *d = &dbs[i];

		free(d->primary_node);
		d->primary_node = NULL;
		if (d->primary == NULL)
			continue;
		for (j = 0; j < npods; j++) {
			const struct kube_pod *p = &pods[j];

			if (p->name == NULL || strcmp(p->name, d->primary) != 0 || p->node == NULL)
				continue;
			if (d->ns != NULL && (p->ns == NULL || strcmp(p->ns, d->ns) != 0))
				continue;
			d->primary_node = xstrdup(p->node);
			break;
		}
	}
}
