/* verdict_cluster — see verdict_cluster.h. */
#include "core/model/verdict_cluster.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

/* Where the lines go: reasons (may be NULL), and a level character per
 * line into levels (may be NULL). */
struct vc_out {
	const struct frame_cluster *c;
	struct buf *reasons, *levels;
};

/* "cluster: what\n" into o's reasons, its level l into its levels. */
static void vc_note(const struct vc_out *o, enum verdict_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vc_note(const struct vc_out *o, enum verdict_level l, const char *fmt, ...)
{
	va_list ap;
	char *what;

	if (o->levels != NULL)
		buf_putc(o->levels, "owcu"[l]);
	if (o->reasons == NULL)
		return;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	buf_printf(o->reasons, "%s: %s\n", o->c->name != NULL ? o->c->name : "cluster", what);
	free(what);
}

const struct kube_cluster *verdict_cluster_fresh(const struct frame_cluster *c)
{
	const struct kube_cluster *k = c->value;

	if (!c->feed.configured || !c->feed.polled || c->feed.error != NULL || k == NULL || !k->api.ok)
		return NULL;
	return k;
}

static enum verdict_level vc_api(const struct vc_out *o)
{
	const struct frame_cluster *c = o->c;
	const struct kube_cluster *k = c->value;

	if (!c->feed.configured)
		return VERDICT_OK;
	if (!c->feed.polled) {
		vc_note(o, VERDICT_UNKNOWN, "API: no answer yet");
		return VERDICT_UNKNOWN;
	}
	if (c->feed.error != NULL) {
		vc_note(o, VERDICT_CRIT, "API down: %s", c->feed.error);
		return VERDICT_CRIT;
	}
	if (k == NULL) {
		vc_note(o, VERDICT_UNKNOWN, "API: no answer yet");
		return VERDICT_UNKNOWN;
	}
	if (!k->api.ok) {
		vc_note(o, VERDICT_CRIT, "API down: %s", k->api.error != NULL ? k->api.error : "not ready");
		return VERDICT_CRIT;
	}
	return VERDICT_OK;
}

bool verdict_kube_node_ready(const struct kube_node *n)
{
	return n->ready == KUBE_TRUE;
}

const struct kube_node *verdict_kube_node_named(const struct kube_cluster *k, const char *name)
{
	for (size_t i = 0; k != NULL && name != NULL && i < k->nnodes; i++)
		if (k->nodes[i].name != NULL && strcmp(k->nodes[i].name, name) == 0)
			return &k->nodes[i];
	return NULL;
}

static void vc_pressure_words(unsigned p, char *out, size_t n)
{
	static const struct { unsigned bit; const char *word; } w[] = {
		{ KUBE_PRESSURE_MEMORY, "MemoryPressure" }, { KUBE_PRESSURE_DISK, "DiskPressure" },
		{ KUBE_PRESSURE_PID, "PIDPressure" }, { KUBE_NETWORK_UNAVAILABLE, "NetworkUnavailable" },
	};
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < UTIL_ARRAY_LEN(w); i++)
		if ((p & w[i].bit) != 0 && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len > 0 ? ", " : "", w[i].word);
}

static enum verdict_level vc_nodes(const struct vc_out *o)
{
	const struct kube_cluster *k = verdict_cluster_fresh(o->c);
	enum verdict_level lvl = VERDICT_OK;
	size_t ready = 0, etcd = 0, etcd_ready = 0;

	if (k == NULL || k->nnodes == 0)
		return VERDICT_OK;
	for (size_t i = 0; i < k->nnodes; i++) {
		ready += verdict_kube_node_ready(&k->nodes[i]);
		etcd += k->nodes[i].etcd;
		etcd_ready += k->nodes[i].etcd && verdict_kube_node_ready(&k->nodes[i]);
	}
	if (k->api.etcd_members > 0 && (size_t)k->api.etcd_members > etcd)
		etcd = (size_t)k->api.etcd_members;
	for (size_t i = 0; i < k->nnodes; i++) {
		const struct kube_node *n = &k->nodes[i];
		enum verdict_level l;
		char words[96];

		if (verdict_kube_node_ready(n)) {
			if (n->pressure == 0)
				continue;
			vc_pressure_words(n->pressure, words, sizeof words);
			vc_note(o, VERDICT_WARN, "%s %s", n->name, words);
			lvl = verdict_worst(lvl, VERDICT_WARN);
			continue;
		}
		l = ready == 0 || (n->etcd && etcd_ready * 2 <= etcd) ? VERDICT_CRIT : VERDICT_WARN;
		if (n->etcd && etcd_ready * 2 <= etcd)
			vc_note(o, l, "%s NotReady%s%s%s: etcd %zu/%zu, no quorum", n->name,
			        n->ready_reason != NULL ? " (" : "", n->ready_reason != NULL ? n->ready_reason : "",
			        n->ready_reason != NULL ? ")" : "", etcd_ready, etcd);
		else
			vc_note(o, l, "%s NotReady%s%s%s", n->name, n->ready_reason != NULL ? " (" : "",
			        n->ready_reason != NULL ? n->ready_reason : "", n->ready_reason != NULL ? ")" : "");
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

/* Whether word (a kubectl STATUS, maybe "Init:" prefixed) is a container
 * that crashes or cannot start. */
static bool vc_failing_word(const char *s)
{
	static const char *const bad[] = {
		"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
		"CreateContainerError", "InvalidImageName", "RunContainerError", "OOMKilled", "Error",
		"ContainerCannotRun", "DeadlineExceeded", "StartError", "Unknown", "NodeLost",
		"PreStartHookError", "PostStartHookError", "ErrImageNeverPull",
	};

	if (s == NULL)
		return false;
	if (strncmp(s, "Init:", 5) == 0)
		s += 5;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++)
		if (strcmp(s, bad[i]) == 0)
			return true;
	return false;
}

int verdict_kube_pod_severity(const struct kube_pod *p)
{
	if (p->healthy || (p->status != NULL && strcmp(p->status, "Completed") == 0))
		return 0;
	if (vc_failing_word(p->status))
		return 3;
	if (p->status != NULL && (strcmp(p->status, "Evicted") == 0 || strcmp(p->status, "Failed") == 0))
		return 2;
	return 1;
}

bool verdict_kube_pod_bad(const struct kube_pod *p, int64_t now_ms)
{
	int sev = verdict_kube_pod_severity(p);

	if (sev == 3)
		return true;
	if (sev != 1 || p->deleting_ms != 0)
		return false;
	/* Pending, ContainerCreating, Running not ready: for too long */
	return p->created_ms > 0 && now_ms - p->created_ms > VERDICT_CLUSTER_POD_GRACE_MS;
}

enum verdict_level verdict_kube_workload_level(const struct kube_workload *w)
{
	if (w->state != KUBE_ROLLOUT_FAILED)
		return VERDICT_OK;
	return w->ready == 0 && w->desired > 0 ? VERDICT_CRIT : VERDICT_WARN;
}

enum verdict_level verdict_kube_gitops_level(const struct kube_gitops *g)
{
	if (g->kind == KUBE_APPLICATION) {
		if (g->health != NULL && (strcmp(g->health, "Degraded") == 0 || strcmp(g->health, "Missing") == 0))
			return VERDICT_WARN;
		if (g->op_phase != NULL && (strcmp(g->op_phase, "Failed") == 0 || strcmp(g->op_phase, "Error") == 0))
			return VERDICT_WARN;
		return VERDICT_OK;
	}
	return !g->suspended && g->ready == KUBE_FALSE ? VERDICT_WARN : VERDICT_OK;
}

enum verdict_level verdict_kube_volume_level(const struct kube_volume *v)
{
	if (v->robustness == NULL)
		return VERDICT_OK;
	if (strcmp(v->robustness, "faulted") == 0)
		return VERDICT_CRIT;
	return strcmp(v->robustness, "degraded") == 0 ? VERDICT_WARN : VERDICT_OK;
}

enum verdict_level verdict_kube_database_level(const struct kube_database *d)
{
	if (d->instances > 0 && d->ready_instances == 0)
		return VERDICT_CRIT;
	return d->ready_instances < d->instances || !d->ready ? VERDICT_WARN : VERDICT_OK;
}

static enum verdict_level vc_pods(const struct vc_out *o, const struct kube_cluster *k, int64_t now_ms)
{
	size_t lines = 0, more = 0;

	for (size_t i = 0; i < k->npods; i++) {
		const struct kube_pod *p = &k->pods[i];
		const struct kube_node *n = verdict_kube_node_named(k, p->node);

		if ((n != NULL && !verdict_kube_node_ready(n)) || !verdict_kube_pod_bad(p, now_ms))
			continue;
		if (lines >= VERDICT_CLUSTER_MAX_POD_LINES) {
			more++;
			continue;
		}
		lines++;
		if (p->status != NULL && strcmp(p->status, "Running") == 0)
			vc_note(o, VERDICT_WARN, "%s/%s not ready %d/%d", p->ns, p->name, p->ready, p->containers);
		else
			vc_note(o, VERDICT_WARN, "%s/%s %s%s%s%s, %d restart%s", p->ns, p->name,
			        p->status != NULL ? p->status : "?", p->last_reason != NULL ? " (" : "",
			        p->last_reason != NULL ? p->last_reason : "", p->last_reason != NULL ? ")" : "",
			        p->restarts, p->restarts == 1 ? "" : "s");
	}
	if (more > 0)
		vc_note(o, VERDICT_WARN, "and %zu more pod%s not healthy", more, more == 1 ? "" : "s");
	return lines > 0 ? VERDICT_WARN : VERDICT_OK;
}

static enum verdict_level vc_objects(const struct vc_out *o, int64_t now_ms)
{
	const struct kube_cluster *k = verdict_cluster_fresh(o->c);
	enum verdict_level lvl = VERDICT_OK, l;

	if (k == NULL)
		return VERDICT_OK;
	for (size_t i = 0; i < k->nworkloads; i++) {
		const struct kube_workload *w = &k->workloads[i];

		if ((l = verdict_kube_workload_level(w)) == VERDICT_OK)
			continue;
		vc_note(o, l, "%s %s/%s rollout failed (%d/%d ready)%s%s",
		        kube_workload_kind_name(w->kind), w->ns, w->name, w->ready, w->desired,
		        w->message != NULL ? ": " : "", w->message != NULL ? w->message : "");
		lvl = verdict_worst(lvl, l);
	}
	lvl = verdict_worst(lvl, vc_pods(o, k, now_ms));
	for (size_t i = 0; i < k->ngitops; i++) {
		const struct kube_gitops *g = &k->gitops[i];

		if ((l = verdict_kube_gitops_level(g)) == VERDICT_OK)
			continue;
		if (g->kind == KUBE_APPLICATION) {
			bool op_failed = g->op_phase != NULL && (strcmp(g->op_phase, "Failed") == 0 ||
			                                         strcmp(g->op_phase, "Error") == 0);

			vc_note(o, l, "Application %s %s%s%s%s%s", g->name,
			        g->health != NULL ? g->health : "?", op_failed ? ", op " : "",
			        op_failed ? g->op_phase : "", g->message != NULL ? ": " : "",
			        g->message != NULL ? g->message : "");
		} else {
			vc_note(o, l, "%s %s/%s not ready%s%s%s%s%s", kube_gitops_kind_name(g->kind), g->ns,
			        g->name, g->reason != NULL ? " (" : "", g->reason != NULL ? g->reason : "",
			        g->reason != NULL ? ")" : "", g->message != NULL ? ": " : "",
			        g->message != NULL ? g->message : "");
		}
		lvl = verdict_worst(lvl, l);
	}
	for (size_t i = 0; i < k->nvolumes; i++) {
		const struct kube_volume *v = &k->volumes[i];

		if ((l = verdict_kube_volume_level(v)) == VERDICT_OK)
			continue;
		vc_note(o, l, "volume %s%s%s%s %s, %d/%d replicas", v->name, v->pvc != NULL ? " (" : "",
		        v->pvc != NULL ? v->pvc : "", v->pvc != NULL ? ")" : "", v->robustness,
		        v->healthy_replicas, v->replicas);
		lvl = verdict_worst(lvl, l);
	}
	for (size_t i = 0; i < k->ndatabases; i++) {
		const struct kube_database *d = &k->databases[i];

		if ((l = verdict_kube_database_level(d)) == VERDICT_OK)
			continue;
		vc_note(o, l, "postgres %s/%s %d/%d ready%s%s", d->ns, d->name, d->ready_instances,
		        d->instances, d->phase != NULL ? ": " : "", d->phase != NULL ? d->phase : "");
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

enum verdict_level verdict_cluster_api(const struct frame_cluster *c, struct buf *reasons)
{
	struct vc_out o = { c, reasons, NULL };

	return vc_api(&o);
}

enum verdict_level verdict_cluster_nodes(const struct frame_cluster *c, struct buf *reasons)
{
	struct vc_out o = { c, reasons, NULL };

	return vc_nodes(&o);
}

enum verdict_level verdict_cluster_objects(const struct frame_cluster *c, int64_t now_ms,
                                           struct buf *reasons)
{
	struct vc_out o = { c, reasons, NULL };

	return vc_objects(&o, now_ms);
}

enum verdict_level verdict_cluster_lines(const struct frame_cluster *c, int64_t now_ms,
                                         struct buf *reasons, struct buf *levels)
{
	struct vc_out o = { c, reasons, levels };
	enum verdict_level lvl = vc_api(&o);

	lvl = verdict_worst(lvl, vc_nodes(&o));
	return verdict_worst(lvl, vc_objects(&o, now_ms));
}

enum verdict_level verdict_cluster_level(const struct frame_cluster *c, int64_t now_ms,
                                         struct buf *reasons)
{
	return verdict_cluster_lines(c, now_ms, reasons, NULL);
}

void verdict_cluster_counts(const struct frame *f, struct verdict_cluster_counts *out)
{
	memset(out, 0, sizeof *out);
	for (size_t ci = 0; ci < f->nclusters; ci++) {
		const struct kube_cluster *k = verdict_cluster_fresh(&f->clusters[ci]);

		for (size_t i = 0; k != NULL && i < k->nnodes; i++) {
			out->nodes++;
			out->nodes_notready += !verdict_kube_node_ready(&k->nodes[i]);
		}
		for (size_t i = 0; k != NULL && i < k->nworkloads; i++)
			out->rollouts_failed += k->workloads[i].state == KUBE_ROLLOUT_FAILED;
		for (size_t i = 0; k != NULL && i < k->ngitops; i++)
			out->gitops_failed += verdict_kube_gitops_level(&k->gitops[i]) != VERDICT_OK;
		for (size_t i = 0; k != NULL && i < k->nvolumes; i++)
			out->volumes_faulted += verdict_kube_volume_level(&k->volumes[i]) == VERDICT_CRIT;
		for (size_t i = 0; k != NULL && i < k->ndatabases; i++)
			out->databases_bad += verdict_kube_database_level(&k->databases[i]) != VERDICT_OK;
	}
}
