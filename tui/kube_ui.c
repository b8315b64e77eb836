/* kube_ui — see kube_ui.h. */
#include "tui/kube_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actions/audit.h"
#include "core/actions/kube_plan.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "tui/actions_ui.h"
#include "tui/kube_pick.h"

#define KUBE_UI_PREVIEW_NAMES 6

static const struct kube_pod *kube_ui_pod(const struct kube_cluster *c, const char *ns,
                                          const char *name)
{
	for (size_t i = 0; c != NULL && i < c->npods; i++)
		if (c->pods[i].ns != NULL && c->pods[i].name != NULL && strcmp(c->pods[i].ns, ns) == 0 &&
		    strcmp(c->pods[i].name, name) == 0)
			return &c->pods[i];
	return NULL;
}

/* The Deployment whose ReplicaSet rs is ("web-7c9d8f" of "web"). */
static const struct kube_workload *kube_ui_deployment(const struct kube_cluster *c, const char *ns,
                                                      const char *rs)
{
	for (size_t i = 0; i < c->nworkloads; i++) {
		const struct kube_workload *w = &c->workloads[i];
		size_t n;

		if (w->kind != KUBE_DEPLOYMENT || w->ns == NULL || w->name == NULL ||
		    strcmp(w->ns, ns) != 0)
			continue;
		n = strlen(w->name);
		if (strncmp(rs, w->name, n) == 0 && rs[n] == '-' && strchr(rs + n + 1, '-') == NULL)
			return w;
	}
	return NULL;
}

/* The workload that owns the selected pod, into r. */
static int kube_ui_owner(const struct kube_cluster *c, const struct ui_cluster_sel *sel,
                         struct kube_ref *r, char **cause)
{
	const struct kube_pod *p;
	const struct kube_workload *w;

	if (sel->pod[0] == '\0') {
		util_set_cause(cause, "select a pod first: r restarts the workload that owns it");
		return -1;
	}
	p = kube_ui_pod(c, sel->pod_ns, sel->pod);
	if (p == NULL) {
		util_set_cause(cause, "%s/%s is not in the cluster's latest answer", sel->pod_ns, sel->pod);
		return -1;
	}
	memset(r, 0, sizeof *r);
	util_strlcpy(r->ns, p->ns, sizeof r->ns);
	if (p->owner_kind != NULL && strcmp(p->owner_kind, "ReplicaSet") == 0 &&
	    (w = kube_ui_deployment(c, p->ns, p->owner_name != NULL ? p->owner_name : "")) != NULL) {
		r->kind = KUBE_K_DEPLOYMENT;
		util_strlcpy(r->name, w->name, sizeof r->name);
		return 0;
	}
	if (p->owner_kind != NULL && p->owner_name != NULL &&
	    (strcmp(p->owner_kind, "StatefulSet") == 0 || strcmp(p->owner_kind, "DaemonSet") == 0)) {
		r->kind = p->owner_kind[0] == 'S' ? KUBE_K_STATEFULSET : KUBE_K_DAEMONSET;
		util_strlcpy(r->name, p->owner_name, sizeof r->name);
		return 0;
	}
	util_set_cause(cause, "%s/%s %s: no Deployment, StatefulSet or DaemonSet to roll out", p->ns,
	               p->name, p->owner_kind == NULL ? "has no controller" :
	               p->owner_kind[0] == 'R' ? "belongs to a ReplicaSet of no Deployment shown" :
	               "is not owned by a workload");
	return -1;
}

static const struct kube_gitops *kube_ui_gitops(const struct kube_cluster *c,
                                                const struct kube_ref *r)
{
	for (size_t i = 0; c != NULL && i < c->ngitops; i++) {
		const struct kube_gitops *g = &c->gitops[i];
		bool flux = kube_kind_is_flux(r->kind);

		if (g->ns == NULL || g->name == NULL || strcmp(g->ns, r->ns) != 0 ||
		    strcmp(g->name, r->name) != 0)
			continue;
		if ((g->kind == KUBE_APPLICATION) == !flux)
			return g;
	}
	return NULL;
}

static int kube_ui_drain(const struct kube_cluster *c, const char *cluster,
                         const struct ui_cluster_sel *sel, char **detail, char **cause)
{
	struct kube_drain_plan p;

	if (c == NULL) {
		*detail = xstrdup("(no answer from the cluster yet: the plan is made when it runs)");
		return 0;
	}
	if (kube_drain_plan_build(c, sel->node, false, &p, cause) != 0)
		return -1;
	if (p.refused) {
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "drain of %s refused: ", sel->node);
		for (size_t i = 0, n = 0; i < p.nnotes; i++)
			if (p.notes[i].level == KUBE_NOTE_REFUSE)
				buf_printf(&b, "%s%s", n++ > 0 ? "; " : "", p.notes[i].text);
		if (p.nforce > 0)
			buf_printf(&b, "; to drain anyway: kitetop drain-node %s %s --force", cluster,
			           sel->node);
		*cause = buf_steal(&b);
		kube_drain_plan_done(&p);
		return -1;
	}
	*detail = kube_drain_preview(&p, KUBE_UI_PREVIEW_NAMES);
	kube_drain_plan_done(&p);
	return 0;
}

int kube_ui_request(const struct kube_cluster *c, const char *cluster, const struct ui_cluster_sel *sel,
                    enum key_action a, struct kube_action_req *req, char **question, char **detail,
                    char **cause)
{
	const struct kube_gitops *g;

	memset(req, 0, sizeof *req);
	*question = *detail = NULL;
	req->cluster = cluster;
	switch (a) {
	case KEY_ACT_CORDON: req->verb = KUBE_CORDON; break;
	case KEY_ACT_UNCORDON: req->verb = KUBE_UNCORDON; break;
	case KEY_ACT_DRAIN_NODE: req->verb = KUBE_DRAIN; break;
	case KEY_ACT_ROLLOUT_RESTART: req->verb = KUBE_RESTART; break;
	case KEY_ACT_GITOPS_SYNC: req->verb = KUBE_RECONCILE; break;
	case KEY_ACT_GITOPS_SUSPEND: req->verb = KUBE_SUSPEND; break;
	default:
		util_set_cause(cause, "not a cluster action");
		return -1;
	}
	if (kube_verb_on_node(req->verb)) {
		if (sel->node[0] == '\0') {
			util_set_cause(cause, "select a node first");
			return -1;
		}
		req->node = sel->node;
		if (req->verb == KUBE_DRAIN && kube_ui_drain(c, cluster, sel, detail, cause) != 0)
			return -1;
	} else if (req->verb == KUBE_RESTART) {
		if (c == NULL) {
			util_set_cause(cause, "no answer from %s yet", cluster);
			return -1;
		}
		if (kube_ui_owner(c, sel, &req->ref, cause) != 0)
			return -1;
	} else {
		if (sel->gitops[0] == '\0') {
			util_set_cause(cause, "no Flux object or Argo CD application chosen (s and S "
			               "list them): kitetop reconcile|suspend|resume %s "
			               "KIND/NAMESPACE/NAME, kitetop sync %s APP", cluster, cluster);
			return -1;
		}
		if (kube_ref_parse(sel->gitops, false, &req->ref, cause) != 0)
			return -1;
		g = kube_ui_gitops(c, &req->ref);
		if (req->ref.kind == KUBE_K_APPLICATION)
			req->verb = req->verb == KUBE_RECONCILE ? KUBE_SYNC : KUBE_REFRESH;
		else if (req->verb == KUBE_SUSPEND && g != NULL && g->suspended)
			req->verb = KUBE_RESUME;
		if (a == KEY_ACT_GITOPS_SUSPEND && req->ref.kind == KUBE_K_APPLICATION) {
			util_set_cause(cause, "S suspends a Flux object; an Argo CD application has no "
			               "suspend (s syncs it)");
			return -1;
		}
	}
	*question = kube_action_question(req);
	return 0;
}

/* ---- the command ---- */

struct kube_ui_arg {
	struct kube_action_req req;
	char cluster[128], node[254], user[128];
	struct kube_cluster_target target;
};

static struct action *kube_ui_start(struct ui *ui, struct wake *wake, void *argp)
{
	struct kube_ui_arg *arg = argp;

	return action_kube_start(ui->cfg, &arg->req, action_kube_client_open, &arg->target, NULL, wake);
}

/* The action on the selection (for s and S: the object chosen in the pick
 * list, ui->cluster_sel.gitops): its confirm dialog. */
static void kube_ui_run(struct ui *ui, enum key_action a)
{
	struct frame f;
	const struct frame_cluster *fc;
	struct kube_ui_arg *arg;
	struct kube_action_req req;
	char *question = NULL, *detail = NULL, *cause = NULL, *user, what[400];

	frame_take(&f, ui->feeds);
	if (ui->cluster_sel.cluster >= f.nclusters) {
		ui_toast(ui, "no cluster in the configuration");
		frame_release(&f);
		return;
	}
	fc = &f.clusters[ui->cluster_sel.cluster];
	if (kube_ui_request(fc->value, fc->name, &ui->cluster_sel, a, &req, &question, &detail,
	                    &cause) != 0) {
		ui_toast(ui, "%s", cause);
		free(cause);
		frame_release(&f);
		return;
	}
	arg = xcalloc(1, sizeof *arg);
	arg->req = req;
	util_strlcpy(arg->cluster, fc->name, sizeof arg->cluster);
	util_strlcpy(arg->node, req.node != NULL ? req.node : "", sizeof arg->node);
	user = audit_user();
	util_strlcpy(arg->user, user, sizeof arg->user);
	free(user);
	arg->req.cluster = arg->cluster;
	arg->req.node = arg->node;
	arg->req.user = arg->user;
	arg->target.fleet = ui->feeds->fleet;
	arg->target.cluster = fc->cfg;
	if (kube_verb_on_node(req.verb))
		snprintf(what, sizeof what, "node/%s", arg->node);
	else
		kube_ref_format(&req.ref, what, sizeof what);
	{
		char doing[700], label[560], title[32];
		struct actions_ui_ask ask = {
			.title = title, .question = question, .detail = detail,
			.doing = doing, .label = label, .action = kube_verb_name(req.verb),
			.host = arg->cluster, .target = what, .start = kube_ui_start, .arg = arg,
			.free_arg = free, .esc_cancels = req.verb == KUBE_DRAIN,
		};

		util_strlcpy(title, kube_verb_name(req.verb), sizeof title);
		title[0] = (char)(title[0] - 'a' + 'A');
		snprintf(doing, sizeof doing, "%s %s in %s", kube_verb_name(req.verb), what, arg->cluster);
		snprintf(label, sizeof label, "%s %s", kube_verb_name(req.verb), what);
		actions_ui_confirm(ui, ui->actions, &ask);
	}
	free(question);
	free(detail);
	frame_release(&f);
}

void kube_ui_cmd(struct ui *ui, enum key_action a)
{
	struct frame f;
	const struct frame_cluster *fc;

	if (a != KEY_ACT_GITOPS_SYNC && a != KEY_ACT_GITOPS_SUSPEND) {
		kube_ui_run(ui, a);
		return;
	}
	/* s and S: which object first */
	frame_take(&f, ui->feeds);
	if (ui->cluster_sel.cluster >= f.nclusters) {
		ui_toast(ui, "no cluster in the configuration");
		frame_release(&f);
		return;
	}
	fc = &f.clusters[ui->cluster_sel.cluster];
	kube_pick_open(ui, fc->value, fc->name, a, kube_ui_run);
	frame_release(&f);
}
