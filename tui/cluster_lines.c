/* cluster_lines — see cluster_lines.h. */
#include "tui/cluster_lines.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/verdict_cluster.h"
#include "widgets/text.h"

#define CL_OK_UTF8 "\xe2\x97\x8f"
#define CL_NE_UTF8 "\xe2\x89\xa0"
#define CL_DOT_UTF8 "\xc2\xb7"

const char *cluster_lines_mark(enum verdict_level l, bool utf8)
{
	if (l == VERDICT_OK)
		return utf8 ? CL_OK_UTF8 : "*";
	if (l == VERDICT_UNKNOWN)
		return "?";
	return verdict_mark(l, utf8);
}

static const char *cl_ne(bool utf8)
{
	return utf8 ? CL_NE_UTF8 : "!=";
}

enum verdict_level cluster_lines_api(const struct frame_cluster *c, bool utf8, struct buf *out)
{
	const struct kube_cluster *k = c->value;
	enum verdict_level lvl = verdict_cluster_api(c, NULL);

	if (k != NULL && k->api.version != NULL)
		buf_printf(out, "k3s %s  ", k->api.version);
	if (!c->feed.polled || (k == NULL && c->feed.error == NULL)) {
		buf_printf(out, "api %s waiting for the first answer...", cluster_lines_mark(VERDICT_UNKNOWN, utf8));
		return VERDICT_UNKNOWN;
	}
	if (lvl != VERDICT_OK) {
		const char *why = c->feed.error != NULL ? c->feed.error :
		                  k->api.error != NULL ? k->api.error : "not ready";

		buf_printf(out, "api %s down: %s%s", cluster_lines_mark(VERDICT_CRIT, utf8), why,
		           k != NULL && k->nnodes > 0 ? " (nodes as last seen)" : "");
		return VERDICT_CRIT;
	}
	buf_printf(out, "api %s %s%s", cluster_lines_mark(VERDICT_OK, utf8),
	           k->api.via != NULL ? "via " : "direct", k->api.via != NULL ? k->api.via : "");
	if (k->api.etcd_members > 0) {
		size_t ready = 0;

		for (size_t i = 0; i < k->nnodes; i++)
			ready += k->nodes[i].etcd && verdict_kube_node_ready(&k->nodes[i]);
		buf_printf(out, "  etcd %zu/%d", ready, k->api.etcd_members);
		if (k->api.etcd_members % 2 == 0) {
			buf_printf(out, " %s even: losing %s stops the API", verdict_mark(VERDICT_WARN, utf8),
			           k->api.etcd_members == 2 ? "either member" : "half the members");
			lvl = VERDICT_WARN;
		}
	}
	return lvl;
}

static enum verdict_level cl_argo(const struct kube_cluster *k, bool utf8, struct buf *out)
{
	size_t n = 0, ok = 0;
	enum verdict_level lvl = VERDICT_OK;

	for (size_t i = 0; i < k->ngitops; i++)
		if (k->gitops[i].kind == KUBE_APPLICATION) {
			const struct kube_gitops *g = &k->gitops[i];

			n++;
			ok += g->sync != NULL && strcmp(g->sync, "Synced") == 0 && g->health != NULL &&
			      strcmp(g->health, "Healthy") == 0;
		}
	if (n == 0)
		return VERDICT_OK;
	buf_printf(out, "Argo CD %zu app%s  %zu %s Synced%sHealthy", n, n == 1 ? "" : "s", ok,
	           cluster_lines_mark(VERDICT_OK, utf8), utf8 ? CL_DOT_UTF8 : "+");
	for (int pass = 0; pass < 2; pass++)   /* the failing first, then the others not in sync */
		for (size_t i = 0; i < k->ngitops; i++) {
			const struct kube_gitops *g = &k->gitops[i];
			enum verdict_level l = verdict_kube_gitops_level(g);
			bool synced = g->sync != NULL && strcmp(g->sync, "Synced") == 0;
			bool healthy = g->health != NULL && strcmp(g->health, "Healthy") == 0;

			if (g->kind != KUBE_APPLICATION || (pass == 0) != (l != VERDICT_OK) || (synced && healthy))
				continue;
			buf_puts(out, "   ");
			if (l != VERDICT_OK)
				buf_printf(out, "%s ", cluster_lines_mark(l, utf8));
			buf_printf(out, "%s", g->name);
			if (!synced && g->sync != NULL)
				buf_printf(out, " %s", g->sync);
			if (!healthy && g->health != NULL)
				buf_printf(out, " %s", g->health);
			if (g->op_phase != NULL && strcmp(g->op_phase, "Succeeded") != 0)
				buf_printf(out, " op %s", g->op_phase);
			if (l != VERDICT_OK && g->message != NULL)
				buf_printf(out, " \"%s\"", g->message);
			lvl = verdict_worst(lvl, l);
		}
	return lvl;
}

static enum verdict_level cl_flux_kind(const struct kube_cluster *k, enum kube_gitops_kind kind,
                                       const char *label, bool utf8, struct buf *out)
{
	size_t n = 0, ok = 0;
	enum verdict_level lvl = VERDICT_OK;

	for (size_t i = 0; i < k->ngitops; i++)
		if (k->gitops[i].kind == kind) {
			n++;
			ok += k->gitops[i].ready == KUBE_TRUE && !k->gitops[i].suspended;
		}
	if (n == 0)
		return VERDICT_OK;
	if (out->len > 0)
		buf_puts(out, "  ");
	buf_printf(out, "%s %zu: %zu %s", label, n, ok, cluster_lines_mark(VERDICT_OK, utf8));
	for (size_t i = 0; i < k->ngitops; i++) {
		const struct kube_gitops *g = &k->gitops[i];
		enum verdict_level l = verdict_kube_gitops_level(g);

		if (g->kind != kind || (g->ready == KUBE_TRUE && !g->suspended))
			continue;
		if (g->suspended)
			buf_printf(out, "  S %s suspended", g->name);
		else
			buf_printf(out, "  %s %s %s", cluster_lines_mark(l == VERDICT_OK ? VERDICT_UNKNOWN : l, utf8),
			           g->name, g->reason != NULL ? g->reason : g->ready == KUBE_FALSE ? "not ready" :
			           "reconciling");
		if (g->revision != NULL && !g->suspended)
			buf_printf(out, " (%s)", g->revision);
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

enum verdict_level cluster_lines_gitops(const struct kube_cluster *k, bool utf8, struct buf *out)
{
	enum verdict_level lvl = cl_argo(k, utf8, out);
	struct buf flux;

	buf_init(&flux);
	lvl = verdict_worst(lvl, cl_flux_kind(k, KUBE_KUSTOMIZATION, "ks", utf8, &flux));
	lvl = verdict_worst(lvl, cl_flux_kind(k, KUBE_HELMRELEASE, "hr", utf8, &flux));
	lvl = verdict_worst(lvl, cl_flux_kind(k, KUBE_GITREPOSITORY, "git", utf8, &flux));
	if (flux.len > 0) {
		if (out->len > 0)
			buf_putc(out, '\n');
		buf_printf(out, "Flux  %s", buf_cstr(&flux));
	}
	buf_done(&flux);
	return lvl;
}

enum verdict_level cluster_lines_longhorn(const struct kube_cluster *k, bool utf8, struct buf *out)
{
	size_t ok = 0;
	enum verdict_level lvl = VERDICT_OK;

	if (k->nvolumes == 0)
		return VERDICT_OK;
	for (size_t i = 0; i < k->nvolumes; i++)
		ok += verdict_kube_volume_level(&k->volumes[i]) == VERDICT_OK;
	buf_printf(out, "Longhorn %zu vol  %zu %s healthy", k->nvolumes, ok, cluster_lines_mark(VERDICT_OK, utf8));
	for (size_t i = 0; i < k->nvolumes; i++) {
		const struct kube_volume *v = &k->volumes[i];
		enum verdict_level l = verdict_kube_volume_level(v);

		if (l == VERDICT_OK)
			continue;
		buf_printf(out, "   %s %s %s %d/%d", cluster_lines_mark(l, utf8), v->pvc != NULL ? v->pvc : v->name,
		           v->robustness, v->healthy_replicas, v->replicas);
		if (v->node != NULL)
			buf_printf(out, " (%s)", v->node);
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

enum verdict_level cluster_lines_cnpg(const struct kube_cluster *k, bool utf8, struct buf *out)
{
	enum verdict_level lvl = VERDICT_OK;

	if (k->ndatabases == 0)
		return VERDICT_OK;
	buf_printf(out, "CNPG %zu cluster%s", k->ndatabases, k->ndatabases == 1 ? "" : "s");
	for (size_t i = 0; i < k->ndatabases; i++) {
		const struct kube_database *d = &k->databases[i];
		enum verdict_level l = verdict_kube_database_level(d);

		buf_printf(out, "   %s %d/%d %s", d->name, d->ready_instances, d->instances, cluster_lines_mark(l, utf8));
		if (d->primary != NULL)
			buf_printf(out, " primary %s@%s", d->primary, d->primary_node != NULL ? d->primary_node : "?");
		if (l != VERDICT_OK && d->phase != NULL)
			buf_printf(out, " %s", d->phase);
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

/* The DaemonSet pod p belongs to, or NULL. */
static const struct kube_workload *cl_pod_ds(const struct kube_cluster *k, const struct kube_pod *p)
{
	for (size_t i = 0; i < k->nworkloads; i++) {
		const struct kube_workload *w = &k->workloads[i];
		size_t l;

		if (w->kind != KUBE_DAEMONSET || w->name == NULL || p->name == NULL)
			continue;
		if (p->owner_kind != NULL) {
			if (strcmp(p->owner_kind, "DaemonSet") == 0 && p->owner_name != NULL &&
			    strcmp(p->owner_name, w->name) == 0 && (p->ns == NULL || w->ns == NULL || strcmp(p->ns, w->ns) == 0))
				return w;
			continue;
		}
		l = strlen(w->name);
		if (strncmp(p->name, w->name, l) == 0 && p->name[l] == '-' &&
		    (p->ns == NULL || w->ns == NULL || strcmp(p->ns, w->ns) == 0))
			return w;
	}
	return NULL;
}

bool cluster_lines_ds_missing(const struct kube_cluster *k, const struct kube_pod *p)
{
	const struct kube_workload *w;

	if (verdict_kube_pod_severity(p) == 0)
		return false;
	w = cl_pod_ds(k, p);
	return w != NULL && w->ready < w->desired;
}

enum verdict_level cluster_lines_workloads(const struct kube_cluster *k, bool utf8, struct buf *out)
{
	enum verdict_level lvl = VERDICT_OK;
	size_t start, ds = 0;

	buf_puts(out, "Workloads");
	start = out->len;
	for (size_t i = 0; i < k->nworkloads; i++) {
		const struct kube_workload *w = &k->workloads[i];
		enum verdict_level l = verdict_kube_workload_level(w);

		if (w->kind == KUBE_DAEMONSET || (w->state == KUBE_ROLLOUT_DONE && w->ready >= w->desired))
			continue;
		l = l != VERDICT_OK ? l : w->state == KUBE_ROLLOUT_PAUSED ? VERDICT_OK : VERDICT_WARN;
		buf_printf(out, "  %s %s %d/%d%s", cluster_lines_mark(l, utf8), w->name, w->ready, w->desired,
		           w->state == KUBE_ROLLOUT_FAILED ? " failed" : w->state == KUBE_ROLLOUT_PAUSED ? " paused" : "");
		lvl = verdict_worst(lvl, l);
	}
	for (size_t i = 0; i < k->nworkloads; i++) {
		const struct kube_workload *w = &k->workloads[i];

		if (w->kind != KUBE_DAEMONSET || w->ready >= w->desired)
			continue;
		buf_printf(out, "  %s%s%s %d/%d", ds++ == 0 ? "ds " : "", cl_ne(utf8), w->name, w->ready, w->desired);
		lvl = verdict_worst(lvl, VERDICT_WARN);
	}
	if (out->len == start)
		buf_printf(out, " %s all at their desired state", cluster_lines_mark(VERDICT_OK, utf8));
	return lvl;
}

enum verdict_level cluster_lines_events(const struct kube_cluster *k, int64_t now_ms, size_t max,
                                        bool utf8, struct buf *out)
{
	if (k->nevents == 0)
		return VERDICT_OK;
	buf_puts(out, "Events");
	for (size_t i = 0; i < k->nevents && i < max; i++) {
		const struct kube_event *e = &k->events[i];
		char age[16] = "?";

		if (e->time_ms > 0)
			time_format_age(age, sizeof age, now_ms > e->time_ms ? now_ms - e->time_ms : 0);
		buf_printf(out, "  %s %s %s %s", verdict_mark(VERDICT_WARN, utf8), age,
		           e->object != NULL ? e->object : "?", e->reason != NULL ? e->reason : "?");
		if (e->message != NULL)
			buf_printf(out, ": %s", e->message);
		if (e->count > 1)
			buf_printf(out, " (x%d)", e->count);
	}
	return VERDICT_WARN;
}

enum verdict_level cluster_lines_node_title(const struct kube_node *n, bool utf8, char *title, size_t tn,
                                            char *right, size_t rn)
{
	size_t l = (size_t)snprintf(title, tn, "%s", n->name);
	enum verdict_level lvl;

	for (size_t i = 0; i < n->nroles && l < tn; i++) {
		const char *r = strcmp(n->roles[i], "control-plane") == 0 ? "ctrl" : n->roles[i];

		if (strcmp(r, "master") == 0)
			continue;   /* K3s's old name of control-plane */
		l += (size_t)snprintf(title + l, tn - l, "%s%s", i == 0 ? (utf8 ? " " CL_DOT_UTF8 " " : " - ") :
		                      (utf8 ? CL_DOT_UTF8 : "."), r);
	}
	if (!verdict_kube_node_ready(n)) {
		lvl = VERDICT_CRIT;
		snprintf(right, rn, "%s NotReady", cluster_lines_mark(lvl, utf8));
	} else {
		lvl = n->pressure != 0 || n->unschedulable ? VERDICT_WARN : VERDICT_OK;
		snprintf(right, rn, "%s Ready%s", cluster_lines_mark(lvl, utf8), n->unschedulable ? ", cordoned" :
		         n->pressure != 0 ? ", pressure" : "");
	}
	return lvl;
}

static void cl_pct(struct buf *out, const char *label, double v)
{
	if (isfinite(v))
		buf_printf(out, "%s %.0f%%", label, v);
	else
		buf_printf(out, "%s ?", label);
}

void cluster_lines_node(const struct kube_cluster *k, const struct cluster_node_sum *s, int64_t now_ms,
                        bool utf8, struct buf *out)
{
	const struct kube_node *n = s->node;
	size_t same = 0, other = 0, start;
	const char *other_v = NULL;

	cl_pct(out, "REQ cpu", s->req_cpu_pct);
	cl_pct(out, "  mem", s->req_mem_pct);
	buf_printf(out, "   pods %d", s->pods);
	if (s->pods_max >= 0)
		buf_printf(out, "/%d", s->pods_max);
	buf_putc(out, '\n');
	if (isfinite(s->cpu_pct) && (s->host == NULL || s->host->metrics.value == NULL)) {
		/* the node's own figures when no [host] gives the machine's */
		cl_pct(out, "USED cpu", s->cpu_pct);
		cl_pct(out, "  mem", s->mem_pct);
		buf_puts(out, "  (metrics.k8s.io)\n");
	}
	for (size_t i = 0; i < k->nnodes; i++) {
		const char *v = k->nodes[i].kubelet;

		if (&k->nodes[i] == n || v == NULL || n->kubelet == NULL)
			continue;
		if (strcmp(v, n->kubelet) == 0)
			same++;
		else {
			other++;
			other_v = v;
		}
	}
	buf_printf(out, "kubelet %s%s", other > same ? cl_ne(utf8) : "", n->kubelet != NULL ? n->kubelet : "?");
	if (other > same && other_v != NULL)
		buf_printf(out, " (the others %s)", other_v);
	buf_putc(out, '\n');
	if (!verdict_kube_node_ready(n)) {
		buf_printf(out, "Ready=%s%s%s", n->ready == KUBE_FALSE ? "False" : "Unknown",
		           n->ready_reason != NULL ? " " : "", n->ready_reason != NULL ? n->ready_reason : "");
		if (n->ready_since_ms > 0 && now_ms > n->ready_since_ms) {
			char age[16];

			time_format_age(age, sizeof age, now_ms - n->ready_since_ms);
			buf_printf(out, " %s", age);
		}
	} else {
		buf_printf(out, "Mem %s  Disk %s  PID %s", (n->pressure & KUBE_PRESSURE_MEMORY) ? "PRESSURE" : "ok",
		           (n->pressure & KUBE_PRESSURE_DISK) ? "PRESSURE" : "ok",
		           (n->pressure & KUBE_PRESSURE_PID) ? "PRESSURE" : "ok");
		if (n->pressure & KUBE_NETWORK_UNAVAILABLE)
			buf_puts(out, "  network unavailable");
	}
	buf_printf(out, "   %s\n", n->unschedulable ? "cordoned" : "sched on");
	start = out->len;
	for (size_t i = 0; i < k->ndatabases; i++) {
		const struct kube_database *d = &k->databases[i];

		if (d->primary_node != NULL && strcmp(d->primary_node, n->name) == 0)
			buf_printf(out, "%s%s [P]", out->len == start ? "PG " : "  ", d->primary != NULL ? d->primary : d->name);
	}
	{
		size_t vols = 0, bad = 0;

		for (size_t i = 0; i < k->nvolumes; i++) {
			const struct kube_volume *v = &k->volumes[i];

			if (v->node == NULL || strcmp(v->node, n->name) != 0)
				continue;
			vols++;
			bad += verdict_kube_volume_level(v) != VERDICT_OK;
		}
		if (vols > 0) {
			buf_printf(out, "%sLH %zu vol", out->len > start ? "   " : "", vols);
			if (bad > 0)
				buf_printf(out, " %s%zu degraded", verdict_mark(VERDICT_WARN, utf8), bad);
		}
	}
	if (out->len > start)
		buf_putc(out, '\n');
}

/* The widths of a pod row's name and status columns, and whether the last
 * reason has room. */
static void cl_pod_widths(int width, int *namew, int *stw, bool *reason)
{
	*stw = width < 44 ? 10 : 17;
	*reason = width >= 64;
	*namew = width - 2 - 1 - *stw - 4 - (*reason ? 10 : 0);
	if (*namew > 60)
		*namew = 60;   /* wide: the columns stay together */
	if (*namew < 8)
		*namew = 8;
}

void cluster_lines_pod_header(int width, char *out, size_t n)
{
	int namew, stw;
	bool reason;

	cl_pod_widths(width, &namew, &stw, &reason);
	snprintf(out, n, "  %-*s %-*s RST%s", namew, "POD", stw, "STATE", reason ? " LAST" : "");
}

void cluster_lines_pod(const struct kube_pod *p, int width, bool differs, bool utf8, char *out, size_t n)
{
	static const enum verdict_level lv[] = { VERDICT_OK, VERDICT_WARN, VERDICT_WARN, VERDICT_CRIT };
	int sev = verdict_kube_pod_severity(p), namew, stw, cols = 0;
	bool reason;
	char name[256], st[64];
	size_t b;

	cl_pod_widths(width, &namew, &stw, &reason);
	snprintf(name, sizeof name, "%s%s/%s", differs ? cl_ne(utf8) : "", p->ns != NULL ? p->ns : "?", p->name);
	snprintf(st, sizeof st, "%s", p->status != NULL ? p->status : "?");
	if (p->status != NULL && strcmp(p->status, "Running") == 0 && p->ready < p->containers)
		snprintf(st, sizeof st, "NotReady %d/%d", p->ready, p->containers);
	b = text_clip(name, namew, &cols);
	if (b < strlen(name) && utf8) {   /* cut: "…" at its end */
		b = text_clip(name, namew - 1, &cols);
		cols++;
	}
	snprintf(out, n, "%s %.*s%s%*s %-*.*s %3d%s%s", cluster_lines_mark(lv[sev], utf8), (int)b, name,
	         b < strlen(name) && utf8 ? "\xe2\x80\xa6" : "", namew - cols, "", stw, stw, st, p->restarts,
	         reason && p->last_reason != NULL ? " " : "", reason && p->last_reason != NULL ? p->last_reason : "");
}

enum verdict_level cluster_lines_problems(const struct frame_cluster *c, int64_t now_ms, bool utf8,
                                          struct buf *out)
{
	static const char order[] = "cuw";
	static const enum verdict_level level[] = { VERDICT_CRIT, VERDICT_UNKNOWN, VERDICT_WARN };
	struct buf text, lv;
	enum verdict_level lvl;
	char prefix[160];
	size_t pl;

	buf_init(&text);
	buf_init(&lv);
	lvl = verdict_cluster_lines(c, now_ms, &text, &lv);
	pl = (size_t)snprintf(prefix, sizeof prefix, "%s: ", c->name != NULL ? c->name : "cluster");
	for (size_t o = 0; o < 3; o++) {
		const char *p = buf_cstr(&text);

		for (size_t i = 0; *p != '\0'; i++) {
			size_t l = strcspn(p, "\n");
			const char *line = p;

			p += l + (p[l] == '\n');
			if (i >= lv.len || buf_cstr(&lv)[i] != order[o])
				continue;
			if (l >= pl && strncmp(line, prefix, pl) == 0) {
				line += pl;
				l -= pl;
			}
			buf_printf(out, "%s %.*s\n", cluster_lines_mark(level[o], utf8), (int)l, line);
		}
	}
	if (lvl == VERDICT_OK)
		buf_printf(out, "%s no problem\n", cluster_lines_mark(VERDICT_OK, utf8));
	buf_done(&lv);
	buf_done(&text);
	return lvl;
}
