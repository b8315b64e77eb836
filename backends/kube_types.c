/* kube_types — see kube_types.h: freeing, deep copies and names. */
#include "backends/kube_types.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **copy_strv(char *const *v, size_t n)
{
	char **out;
	size_t i;

	if (n == 0 || v == NULL)
		return NULL;
	out = xcalloc(n, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void kube_node_done(struct kube_node *n)
{
	if (n == NULL)
		return;
	free(n->name);
	free(n->internal_ip);
	free(n->hostname);
	free_strv(n->roles, n->nroles);
	free(n->arch);
	free(n->kubelet);
	free(n->runtime);
	free(n->ready_reason);
	free_strv(n->taints, n->ntaints);
	memset(n, 0, sizeof *n);
}

void kube_pod_done(struct kube_pod *p)
{
	if (p == NULL)
		return;
	free(p->ns);
	free(p->name);
	free(p->uid);
	free(p->node);
	free(p->phase);
	free(p->status);
	free(p->last_reason);
	free(p->owner_kind);
	free(p->owner_name);
	free(p->cnpg_cluster);
	memset(p, 0, sizeof *p);
}

void kube_workload_done(struct kube_workload *w)
{
	if (w == NULL)
		return;
	free(w->ns);
	free(w->name);
	free(w->message);
	memset(w, 0, sizeof *w);
}

void kube_gitops_done(struct kube_gitops *g)
{
	if (g == NULL)
		return;
	free(g->ns);
	free(g->name);
	free(g->reason);
	free(g->sync);
	free(g->health);
	free(g->revision);
	free(g->attempted);
	free(g->message);
	free(g->handled_at);
	free(g->op_phase);
	memset(g, 0, sizeof *g);
}

void kube_volume_done(struct kube_volume *v)
{
	if (v == NULL)
		return;
	free(v->name);
	free(v->pvc);
	free(v->state);
	free(v->robustness);
	free(v->node);
	free_strv(v->replica_nodes, v->nreplica_nodes);
	memset(v, 0, sizeof *v);
}

void kube_database_done(struct kube_database *d)
{
	if (d == NULL)
		return;
	free(d->ns);
	free(d->name);
	free(d->phase);
	free(d->primary);
	free(d->target_primary);
	free(d->primary_node);
	memset(d, 0, sizeof *d);
}

void kube_event_done(struct kube_event *e)
{
	if (e == NULL)
		return;
	free(e->type);
	free(e->reason);
	free(e->object);
	free(e->message);
	memset(e, 0, sizeof *e);
}

void kube_usage_done(struct kube_usage *u)
{
	if (u == NULL)
		return;
	free(u->node);
	memset(u, 0, sizeof *u);
}

#define FREE_ARRAY(arr, n, done)                  \
	do {                                          \
		size_t i_;                                \
		for (i_ = 0; i_ < (n); i_++)              \
			done(&(arr)[i_]);                     \
		free(arr);                                \
	} while (0)

void kube_cluster_free(struct kube_cluster *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->name);
	free(c->api.version);
	free(c->api.via);
	free(c->api.error);
	FREE_ARRAY(c->nodes, c->nnodes, kube_node_done);
	FREE_ARRAY(c->pods, c->npods, kube_pod_done);
	FREE_ARRAY(c->workloads, c->nworkloads, kube_workload_done);
	FREE_ARRAY(c->gitops, c->ngitops, kube_gitops_done);
	FREE_ARRAY(c->volumes, c->nvolumes, kube_volume_done);
	FREE_ARRAY(c->databases, c->ndatabases, kube_database_done);
	FREE_ARRAY(c->events, c->nevents, kube_event_done);
	FREE_ARRAY(c->usage, c->nusage, kube_usage_done);
	for (i = 0; i < c->nproblems; i++) {
		free(c->problems[i].resource);
		free(c->problems[i].error);
	}
	free(c->problems);
	free(c);
}

/* Copies of one element: the struct by value, then every owned pointer. */
static void node_copy(struct kube_node *d, const struct kube_node *s)
{
	*d = *s;
	d->name = xstrdup(s->name);
	d->internal_ip = xstrdup(s->internal_ip);
	d->hostname = xstrdup(s->hostname);
	d->roles = copy_strv(s->roles, s->nroles);
	d->arch = xstrdup(s->arch);
	d->kubelet = xstrdup(s->kubelet);
	d->runtime = xstrdup(s->runtime);
	d->ready_reason = xstrdup(s->ready_reason);
	d->taints = copy_strv(s->taints, s->ntaints);
	if (d->roles == NULL)
		d->nroles = 0;
	if (d->taints == NULL)
		d->ntaints = 0;
}

static void pod_copy(struct kube_pod *d, const struct kube_pod *s)
{
	*d = *s;
	d->ns = xstrdup(s->ns);
	d->name = xstrdup(s->name);
	d->uid = xstrdup(s->uid);
	d->node = xstrdup(s->node);
	d->phase = xstrdup(s->phase);
	d->status = xstrdup(s->status);
	d->last_reason = xstrdup(s->last_reason);
	d->owner_kind = xstrdup(s->owner_kind);
	d->owner_name = xstrdup(s->owner_name);
	d->cnpg_cluster = xstrdup(s->cnpg_cluster);
}

static void workload_copy(struct kube_workload *d, const struct kube_workload *s)
{
	*d = *s;
	d->ns = xstrdup(s->ns);
	d->name = xstrdup(s->name);
	d->message = xstrdup(s->message);
}

static void gitops_copy(struct kube_gitops *d, const struct kube_gitops *s)
{
	*d = *s;
	d->ns = xstrdup(s->ns);
	d->name = xstrdup(s->name);
	d->reason = xstrdup(s->reason);
	d->sync = xstrdup(s->sync);
	d->health = xstrdup(s->health);
	d->revision = xstrdup(s->revision);
	d->attempted = xstrdup(s->attempted);
	d->message = xstrdup(s->message);
	d->handled_at = xstrdup(s->handled_at);
	d->op_phase = xstrdup(s->op_phase);
}

static void volume_copy(struct kube_volume *d, const struct kube_volume *s)
{
	*d = *s;
	d->name = xstrdup(s->name);
	d->pvc = xstrdup(s->pvc);
	d->state = xstrdup(s->state);
	d->robustness = xstrdup(s->robustness);
	d->node = xstrdup(s->node);
	d->replica_nodes = copy_strv(s->replica_nodes, s->nreplica_nodes);
	if (d->replica_nodes == NULL)
		d->nreplica_nodes = 0;
}

static void database_copy(struct kube_database *d, const struct kube_database *s)
{
	*d = *s;
	d->ns = xstrdup(s->ns);
	d->name = xstrdup(s->name);
	d->phase = xstrdup(s->phase);
	d->primary = xstrdup(s->primary);
	d->target_primary = xstrdup(s->target_primary);
	d->primary_node = xstrdup(s->primary_node);
}

static void event_copy(struct kube_event *d, const struct kube_event *s)
{
	*d = *s;
	d->type = xstrdup(s->type);
	d->reason = xstrdup(s->reason);
	d->object = xstrdup(s->object);
	d->message = xstrdup(s->message);
}

static void usage_copy(struct kube_usage *d, const struct kube_usage *s)
{
	*d = *s;
	d->node = xstrdup(s->node);
}

#define COPY_ARRAY(dst, src, n, copy)                          \
	do {                                                       \
		size_t i_;                                             \
		(dst) = (n) > 0 ? xcalloc((n), sizeof *(dst)) : NULL;  \
		for (i_ = 0; i_ < (n); i_++)                           \
			copy(&(dst)[i_], &(src)[i_]);                      \
	} while (0)

struct kube_cluster *kube_cluster_copy(const struct kube_cluster *c)
{
	struct kube_cluster *d;
	size_t i;

	if (c == NULL)
		return NULL;
	d = xmalloc(sizeof *d);
	*d = *c;
	d->name = xstrdup(c->name);
	d->api.version = xstrdup(c->api.version);
	d->api.via = xstrdup(c->api.via);
	d->api.error = xstrdup(c->api.error);
	COPY_ARRAY(d->nodes, c->nodes, c->nnodes, node_copy);
	COPY_ARRAY(d->pods, c->pods, c->npods, pod_copy);
	COPY_ARRAY(d->workloads, c->workloads, c->nworkloads, workload_copy);
	COPY_ARRAY(d->gitops, c->gitops, c->ngitops, gitops_copy);
	COPY_ARRAY(d->volumes, c->volumes, c->nvolumes, volume_copy);
	COPY_ARRAY(d->databases, c->databases, c->ndatabases, database_copy);
	COPY_ARRAY(d->events, c->events, c->nevents, event_copy);
	COPY_ARRAY(d->usage, c->usage, c->nusage, usage_copy);
	d->problems = c->nproblems > 0 ? xcalloc(c->nproblems, sizeof *d->problems) : NULL;
	for (i = 0; i < c->nproblems; i++) {
		d->problems[i].resource = xstrdup(c->problems[i].resource);
		d->problems[i].error = xstrdup(c->problems[i].error);
	}
	return d;
}

const char *kube_workload_kind_name(enum kube_workload_kind k)
{
	switch (k) {
	case KUBE_DEPLOYMENT:
		return "Deployment";
	case KUBE_STATEFULSET:
		return "StatefulSet";
	case KUBE_DAEMONSET:
		return "DaemonSet";
	}
	return "Workload";
}

const char *kube_gitops_kind_name(enum kube_gitops_kind k)
{
	switch (k) {
	case KUBE_KUSTOMIZATION:
		return "Kustomization";
	case KUBE_HELMRELEASE:
		return "HelmRelease";
	case KUBE_GITREPOSITORY:
		return "GitRepository";
	case KUBE_APPLICATION:
		return "Application";
	}
	return "GitOps";
}

const char *kube_rollout_name(enum kube_rollout r)
{
	switch (r) {
	case KUBE_ROLLOUT_DONE:
		return "done";
	case KUBE_ROLLOUT_PROGRESSING:
		return "progressing";
	case KUBE_ROLLOUT_FAILED:
		return "failed";
	case KUBE_ROLLOUT_PAUSED:
		return "paused";
	}
	return "unknown";
}
