/* kube_plan_drain — the drain planner, its preview and its summary
 * (kube_plan.h).  kubectl drain's filters, as kubectl applies them with
 * --ignore-daemonsets: DaemonSet pods and static (mirror) pods stay, pods
 * with emptyDir go with their data, pods without a controller need --force
 * (kitetop: the confirmation "force"); finished pods (Succeeded, Failed)
 * need nothing. */
#include "core/actions/kube_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"

static bool drain_has_role(const struct kube_node *n, const char *role)
{
	for (size_t i = 0; i < n->nroles; i++)
		if (n->roles[i] != NULL && strcmp(n->roles[i], role) == 0)
			return true;
	return false;
}

static bool drain_control_node(const struct kube_node *n)
{
	return n->etcd || drain_has_role(n, "control-plane") || drain_has_role(n, "master") ||
	       drain_has_role(n, "etcd");
}

static void drain_note(struct kube_drain_plan *p, enum kube_note_level level, char *text)
{
	p->notes = xreallocarray(p->notes, p->nnotes + 1, sizeof *p->notes);
	p->notes[p->nnotes].level = level;
	p->notes[p->nnotes].text = text;
	p->nnotes++;
	if (level == KUBE_NOTE_REFUSE)
		p->refused = true;
}

static bool drain_finished(const struct kube_pod *pod)
{
	return pod->phase != NULL &&
	       (strcmp(pod->phase, "Succeeded") == 0 || strcmp(pod->phase, "Failed") == 0);
}

/* Eviction order: ordinary pods, then CNPG primaries; by namespace, name. */
static int drain_cmp(const void *a, const void *b)
{
	const struct kube_drain_pod *x = a, *y = b;
	int c;

	if (x->fate != y->fate)
		return (int)x->fate - (int)y->fate;
	if (x->cnpg_primary != y->cnpg_primary)
		return x->cnpg_primary ? 1 : -1;
	c = strcmp(x->ns, y->ns);
	return c != 0 ? c : strcmp(x->name, y->name);
}

static const struct kube_database *drain_database(const struct kube_cluster *c, const char *ns,
                                                  const char *name)
{
	for (size_t i = 0; i < c->ndatabases; i++) {
		const struct kube_database *d = &c->databases[i];

		if (d->ns != NULL && d->name != NULL && strcmp(d->ns, ns) == 0 &&
		    strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}

/* The notes that do not depend on one pod: the control plane, Longhorn. */
static void drain_cluster_notes(const struct kube_cluster *c, const struct kube_node *node,
                                struct kube_drain_plan *p)
{
	if (drain_control_node(node) && node->ready == KUBE_TRUE) {
		bool other = false;

		for (size_t i = 0; i < c->nnodes; i++)
			if (&c->nodes[i] != node && drain_control_node(&c->nodes[i]) &&
			    c->nodes[i].ready == KUBE_TRUE)
				other = true;
		if (!other)
			drain_note(p, KUBE_NOTE_REFUSE,
			           xasprintf("%s is the last Ready control-plane/etcd node", node->name));
	}
	for (size_t i = 0; i < c->nvolumes; i++) {
		const struct kube_volume *v = &c->volumes[i];
		bool all_here = v->nreplica_nodes > 0;

		for (size_t j = 0; j < v->nreplica_nodes; j++)
			if (v->replica_nodes[j] == NULL || strcmp(v->replica_nodes[j], node->name) != 0)
				all_here = false;
		if (!all_here || v->healthy_replicas <= 0)
			continue;
		drain_note(p, KUBE_NOTE_BLOCK,
		           xasprintf("Longhorn volume %s%s%s%s: its only healthy replica is on %s "
		                     "(Longhorn's PDB holds the drain until it is rebuilt elsewhere)",
		                     v->name, v->pvc != NULL ? " (" : "", v->pvc != NULL ? v->pvc : "",
		                     v->pvc != NULL ? ")" : "", node->name));
	}
}

static void drain_pod_notes(const struct kube_cluster *c, const char *node,
                            struct kube_drain_plan *p, bool force)
{
	struct buf empty, bare;
	size_t nempty = 0, nbare = 0;

	buf_init(&empty);
	buf_init(&bare);
	for (size_t i = 0; i < p->npods; i++) {
		const struct kube_drain_pod *d = &p->pods[i];

		if (d->fate == KUBE_DRAIN_SKIP_DAEMONSET || d->fate == KUBE_DRAIN_SKIP_MIRROR)
			continue;
		if (d->emptydir)
			buf_printf(&empty, "%s%s/%s", nempty++ > 0 ? ", " : "", d->ns, d->name);
		if (d->unmanaged)
			buf_printf(&bare, "%s%s/%s", nbare++ > 0 ? ", " : "", d->ns, d->name);
	}
	if (nbare > 0 && !force)
		drain_note(p, KUBE_NOTE_REFUSE,
		           xasprintf("%zu pod%s without a controller (%s): deleted for good, not "
		                     "recreated; confirm with \"force\" to drain anyway", nbare,
		                     nbare == 1 ? "" : "s", buf_cstr(&bare)));
	else if (nbare > 0)
		drain_note(p, KUBE_NOTE_WARN,
		           xasprintf("forced: %zu pod%s without a controller deleted for good: %s", nbare,
		                     nbare == 1 ? "" : "s", buf_cstr(&bare)));
	for (size_t i = 0; i < c->npods; i++) {
		const struct kube_pod *pod = &c->pods[i];
		const struct kube_database *db;

		if (pod->node == NULL || strcmp(pod->node, node) != 0 || !pod->cnpg_primary)
			continue;
		db = pod->cnpg_cluster != NULL ? drain_database(c, pod->ns, pod->cnpg_cluster) : NULL;
		if (db != NULL && db->instances <= 1)
			drain_note(p, KUBE_NOTE_WARN,
			           xasprintf("CNPG %s/%s has one instance (%s) and it is on %s: the database "
			                     "is down until it starts elsewhere", pod->ns, db->name, pod->name,
			                     node));
		else
			drain_note(p, KUBE_NOTE_WARN,
			           xasprintf("CNPG primary %s/%s%s%s is on %s: switch over first "
			                     "(kubectl cnpg promote), else evicting it fails over",
			                     pod->ns, pod->name, pod->cnpg_cluster != NULL ? " of " : "",
			                     pod->cnpg_cluster != NULL ? pod->cnpg_cluster : "", node));
	}
	if (nempty > 0)
		drain_note(p, KUBE_NOTE_WARN,
		           xasprintf("emptyDir data goes with %s", buf_cstr(&empty)));
	buf_done(&empty);
	buf_done(&bare);
}

int kube_drain_plan_build(const struct kube_cluster *c, const char *node, bool force,
                          struct kube_drain_plan *out, char **cause)
{
	const struct kube_node *n = NULL;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < c->nnodes; i++)
		if (c->nodes[i].name != NULL && strcmp(c->nodes[i].name, node) == 0)
			n = &c->nodes[i];
	if (n == NULL) {
		util_set_cause(cause, "no node %s in cluster %s", node, c->name != NULL ? c->name : "");
		return -1;
	}
	out->node = xstrdup(node);
	out->cordoned = n->unschedulable;
	for (size_t i = 0; i < c->npods; i++) {
		const struct kube_pod *pod = &c->pods[i];
		struct kube_drain_pod *d;

		if (pod->node == NULL || strcmp(pod->node, node) != 0 || pod->name == NULL)
			continue;
		out->pods = xreallocarray(out->pods, out->npods + 1, sizeof *out->pods);
		d = &out->pods[out->npods++];
		memset(d, 0, sizeof *d);
		d->ns = xstrdup(pod->ns != NULL ? pod->ns : "default");
		d->name = xstrdup(pod->name);
		d->uid = xstrdup(pod->uid);
		d->emptydir = pod->emptydir && !drain_finished(pod);
		d->cnpg_primary = pod->cnpg_primary;
		if (pod->mirror) {
			d->fate = KUBE_DRAIN_SKIP_MIRROR;
		} else if (pod->owner_kind != NULL && strcmp(pod->owner_kind, "DaemonSet") == 0) {
			d->fate = KUBE_DRAIN_SKIP_DAEMONSET;
		} else if (pod->owner_kind == NULL && !drain_finished(pod)) {
			d->unmanaged = true;
			d->fate = force ? KUBE_DRAIN_EVICT : KUBE_DRAIN_NEEDS_FORCE;
		} else {
			d->fate = KUBE_DRAIN_EVICT;
		}
	}
	if (out->npods > 0)
		qsort(out->pods, out->npods, sizeof *out->pods, drain_cmp);
	for (size_t i = 0; i < out->npods; i++) {
		switch (out->pods[i].fate) {
		case KUBE_DRAIN_EVICT: out->nevict++; break;
		case KUBE_DRAIN_SKIP_DAEMONSET: out->nskip_ds++; break;
		case KUBE_DRAIN_SKIP_MIRROR: out->nskip_mirror++; break;
		case KUBE_DRAIN_NEEDS_FORCE: out->nforce++; break;
		}
	}
	drain_cluster_notes(c, n, out);
	drain_pod_notes(c, node, out, force);
	return 0;
}

void kube_drain_plan_done(struct kube_drain_plan *p)
{
	for (size_t i = 0; i < p->npods; i++) {
		free(p->pods[i].ns);
		free(p->pods[i].name);
		free(p->pods[i].uid);
	}
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i].text);
	free(p->pods);
	free(p->notes);
	free(p->node);
	memset(p, 0, sizeof *p);
}

/* "label: a/b, c/d, … 3 more\n" of the pods of fate f, when there are any. */
static void drain_list(struct buf *b, const struct kube_drain_plan *p, enum kube_drain_fate f,
                       const char *label, size_t max_list)
{
	size_t n = 0, shown = 0;

	for (size_t i = 0; i < p->npods; i++)
		if (p->pods[i].fate == f)
			n++;
	if (n == 0)
		return;
	buf_printf(b, "%s (%zu): ", label, n);
	for (size_t i = 0; i < p->npods; i++) {
		if (p->pods[i].fate != f)
			continue;
		if (shown == max_list) {
			buf_printf(b, ", … %zu more", n - shown);
			break;
		}
		buf_printf(b, "%s%s/%s", shown > 0 ? ", " : "", p->pods[i].ns, p->pods[i].name);
		shown++;
	}
	buf_putc(b, '\n');
}

char *kube_drain_preview(const struct kube_drain_plan *p, size_t max_list)
{
	static const char *const level_word[] = { "refused: ", "blocks: ", "note: " };
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "Drain %s: %s, then evict %zu pod%s", p->node,
	           p->cordoned ? "already cordoned" : "cordon it", p->nevict,
	           p->nevict == 1 ? "" : "s");
	if (p->nskip_ds + p->nskip_mirror > 0)
		buf_printf(&b, " (%zu DaemonSet and %zu static pods stay)", p->nskip_ds,
		           p->nskip_mirror);
	buf_puts(&b, ".\n");
	for (int level = KUBE_NOTE_REFUSE; level <= KUBE_NOTE_WARN; level++)
		for (size_t i = 0; i < p->nnotes; i++)
			if ((int)p->notes[i].level == level)
				buf_printf(&b, "%s%s\n", level_word[level], p->notes[i].text);
	drain_list(&b, p, KUBE_DRAIN_EVICT, "evict", max_list);
	drain_list(&b, p, KUBE_DRAIN_NEEDS_FORCE, "need force", max_list);
	drain_list(&b, p, KUBE_DRAIN_SKIP_DAEMONSET, "stay (DaemonSet)", max_list);
	drain_list(&b, p, KUBE_DRAIN_SKIP_MIRROR, "stay (static)", max_list);
	return buf_steal(&b);
}

static void drain_names(struct buf *b, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", names[i]);
}

char *kube_drain_summary(const char *node, size_t evicted, size_t nskip_ds, size_t nskip_mirror,
                         const char *const *blocked, size_t nblocked,
                         const char *const *terminating, size_t nterm, bool timed_out)
{
	struct buf b;

	buf_init(&b);
	if (nblocked + nterm == 0) {
		buf_printf(&b, "%s drained: %zu evicted", node, evicted);
		if (nskip_ds > 0)
			buf_printf(&b, ", %zu DaemonSet pod%s left", nskip_ds, nskip_ds == 1 ? "" : "s");
		if (nskip_mirror > 0)
			buf_printf(&b, ", %zu static pod%s left", nskip_mirror,
			           nskip_mirror == 1 ? "" : "s");
		return buf_steal(&b);
	}
	if (timed_out)
		buf_puts(&b, "timed out: ");
	if (nblocked > 0) {
		buf_printf(&b, "%zu pod%s not evicted (a disruption budget holds %s): ", nblocked,
		           nblocked == 1 ? "" : "s", nblocked == 1 ? "it" : "them");
		drain_names(&b, blocked, nblocked);
	}
	if (nterm > 0) {
		buf_printf(&b, "%s%zu pod%s still terminating: ", nblocked > 0 ? "; " : "", nterm,
		           nterm == 1 ? "" : "s");
		drain_names(&b, terminating, nterm);
	}
	buf_printf(&b, " (%zu evicted; %s stays cordoned)", evicted, node);
	return buf_steal(&b);
}
