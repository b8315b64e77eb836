/* kube_plan — the pure half of the Kubernetes actions: the requests each
 * action sends, the drain planner and its preview, the interlocks and the
 * verification predicates.  No I/O, no clock (times are arguments), no
 * global state: the runner (core/actions/action_kube.c) sends what these
 * build and asks these what the answers mean.
 *
 * The requests are the ones kubectl 1.33, flux and argocd send, byte for
 * byte in method, content type and body; every PATCH's path carries
 * ?fieldManager=kitetop, so that the object's managedFields say who changed
 * it.  Built-in types (nodes, apps/v1) take a strategic-merge patch, custom
 * resources (Flux, Argo CD) a JSON merge patch:
 *
 *   cordon     PATCH /api/v1/nodes/N  strategic-merge  {"spec":{"unschedulable":true}}
 *   uncordon   the same with {"spec":{"unschedulable":null}}
 *   restart    PATCH /apis/apps/v1/namespaces/NS/deployments/N  strategic-merge
 *              {"spec":{"template":{"metadata":{"annotations":
 *                {"kubectl.kubernetes.io/restartedAt":"2026-12-06T04:49:05Z"}}}}}
 *   evict      POST /api/v1/namespaces/NS/pods/N/eviction  application/json
 *              {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":N,
 *               "namespace":NS,"creationTimestamp":null},"deleteOptions":{}}
 *   reconcile  PATCH (Flux object) merge-patch {"metadata":{"annotations":
 *              {"reconcile.fluxcd.io/requestedAt":RFC3339Nano}}}
 *   suspend    merge-patch {"spec":{"suspend":true}}; resume {"spec":{"suspend":false}}
 *   sync       PATCH (Application) merge-patch {"operation":{"initiatedBy":
 *              {"username":"kitetop@USER"},"sync":{"syncStrategy":{"hook":{}}}}}
 *   refresh    merge-patch {"metadata":{"annotations":{"argocd.argoproj.io/refresh":"normal"}}}
 *
 * Names are checked before they go into a path (RFC 1123: lower-case
 * letters, digits, '-' and '.'), so a path never carries anything else. */
#ifndef KITETOP_CORE_ACTIONS_KUBE_PLAN_H
#define KITETOP_CORE_ACTIONS_KUBE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/kube_types.h"

#define KUBE_FIELD_MANAGER "kitetop"
#define KUBE_CT_SMP "application/strategic-merge-patch+json"
#define KUBE_CT_MERGE "application/merge-patch+json"
#define KUBE_CT_JSON "application/json"
#define KUBE_ARGO_NAMESPACE "argocd"      /* an Application named without its namespace */

/* One request to the API.  method and content_type are static strings;
 * path (with its query) and body are owned (kube_request_done frees). */
struct kube_request {
	const char *method;         /* "GET", "PATCH", "POST" */
	char *path;
	const char *content_type;   /* NULL without a body */
	char *body;                 /* NULL for a GET */
};
void kube_request_done(struct kube_request *r);
/* "PATCH /api/v1/nodes/panther?fieldManager=kitetop  application/...  {...}"
 * (a GET: method and path only), for --dry-run.  Caller frees. */
char *kube_request_text(const struct kube_request *r);

/* The objects an action names. */
enum kube_kind {
	KUBE_K_DEPLOYMENT, KUBE_K_STATEFULSET, KUBE_K_DAEMONSET,
	KUBE_K_KUSTOMIZATION, KUBE_K_HELMRELEASE, KUBE_K_GITREPOSITORY,
	KUBE_K_APPLICATION,
};
/* "Deployment", ... (static). */
const char *kube_kind_name(enum kube_kind k);
bool kube_kind_is_workload(enum kube_kind k);   /* apps/v1 */
bool kube_kind_is_flux(enum kube_kind k);

struct kube_ref {
	enum kube_kind kind;
	char ns[64];
	char name[254];
};
/* "deployment/n8n/n8n", "deploy/default/web", "ks/flux-system/apps",
 * "hr/...", "gitrepository/...", "app/argocd/campfire" (kind names as
 * kubectl and flux spell them, any case; plurals too).  An Application may
 * be "NAME" or "NAMESPACE/NAME" alone when allow_app_short (sync, refresh:
 * namespace argocd).  0, or -1 with *cause in words. */
int kube_ref_parse(const char *s, bool allow_app_short, struct kube_ref *out, char **cause);
/* "Deployment/n8n/n8n" into out. */
void kube_ref_format(const struct kube_ref *r, char *out, size_t n);

/* RFC 1123 subdomain (≤ 253) / label (≤ 63, for namespaces). */
bool kube_name_valid(const char *s);
bool kube_namespace_valid(const char *s);

/* Times as the tools write them (UTC): kubectl's restartedAt
 * "2026-12-06T04:49:05Z"; Go's RFC3339Nano "2026-12-06T04:49:05.123456789Z"
 * (trailing zeros of the fraction dropped, no fraction when 0). */
void kube_time_rfc3339(int64_t sec, char *out, size_t n);
void kube_time_rfc3339nano(int64_t sec, long nsec, char *out, size_t n);

/* ---- request builders: 0, or -1 with *cause (a name that is not one) ---- */

int kube_req_node_get(const char *node, struct kube_request *out, char **cause);
/* cordon (unschedulable true) / uncordon (false: sends null, as kubectl). */
int kube_req_cordon(const char *node, bool cordon, struct kube_request *out, char **cause);
/* GET of the object r names (a workload, Flux object or Application). */
int kube_req_object_get(const struct kube_ref *r, struct kube_request *out, char **cause);
/* restarted_at as kube_time_rfc3339 writes it. */
int kube_req_rollout_restart(const struct kube_ref *r, const char *restarted_at,
                             struct kube_request *out, char **cause);
int kube_req_pods_on_node(const char *node, struct kube_request *out, char **cause);
int kube_req_pod_get(const char *ns, const char *name, struct kube_request *out, char **cause);
int kube_req_evict(const char *ns, const char *name, struct kube_request *out, char **cause);
int kube_req_flux_reconcile(const struct kube_ref *r, const char *requested_at,
                            struct kube_request *out, char **cause);
/* Suspend: spec.suspend true.  Resume: spec.suspend false and, when
 * requested_at is not NULL, a reconcile asked for in the same merge patch
 * (as `flux resume` does after its patch: the controller acts at once, not
 * at the object's next interval). */
int kube_req_flux_suspend(const struct kube_ref *r, bool suspend, const char *requested_at,
                          struct kube_request *out, char **cause);
/* user: the local login name ("kitetop@" is put before it). */
int kube_req_argo_sync(const struct kube_ref *r, const char *user, struct kube_request *out,
                       char **cause);
int kube_req_argo_refresh(const struct kube_ref *r, bool hard, struct kube_request *out,
                          char **cause);
/* The lists the drain planner reads afresh (Longhorn and CNPG; the nodes). */
void kube_req_list(const char *what, struct kube_request *out);   /* "nodes", "volumes", "replicas", "databases" */

/* ---- interlocks: 0 allowed; -1 refused with *cause; 1 nothing to do
 * with *cause saying why (already cordoned) ---- */

int kube_check_cordon(const struct kube_node *n, bool cordon, char **cause);
/* kubectl: "can't restart paused deployment (run rollout resume first)". */
int kube_check_rollout(const struct kube_workload *w, char **cause);
/* flux: a suspended object is not reconciled. */
int kube_check_flux_reconcile(const struct kube_gitops *g, char **cause);
int kube_check_flux_suspend(const struct kube_gitops *g, bool suspend, char **cause);
/* Argo: not while an operation runs or is pending. */
int kube_check_argo_sync(const struct kube_gitops *g, char **cause);

/* ---- verification: one look at the object after the action ---- */

enum kube_verdict { KUBE_WAIT, KUBE_DONE, KUBE_BROKE };

/* KUBE_DONE when spec.unschedulable is what was asked. */
enum kube_verdict kube_verify_cordon(const struct kube_node *n, bool cordon, char **why);
/* restarted_ms: ours (whole seconds).  DONE: the template's restartedAt is
 * ours and the rollout is done (observed generation current); BROKE: it
 * is ours and the rollout failed (progress deadline), or another
 * restartedAt replaced ours; else WAIT with *why the rollout's words. */
enum kube_verdict kube_verify_rollout(const struct kube_workload *w, int64_t restarted_ms,
                                      char **why);
/* DONE: lastHandledReconcileAt is requested_at and Ready is True; BROKE:
 * it is ours and Ready is False (its reason and message in *why). */
enum kube_verdict kube_verify_flux_reconcile(const struct kube_gitops *g,
                                             const char *requested_at, char **why);
enum kube_verdict kube_verify_flux_suspend(const struct kube_gitops *g, bool suspend, char **why);
/* before_finished_ms: operationState.finishedAt before the sync (0 none).
 * DONE: no operation pending, phase Succeeded, finished after before;
 * BROKE: Failed or Error after before (the message in *why). */
enum kube_verdict kube_verify_argo_sync(const struct kube_gitops *g, int64_t before_finished_ms,
                                        char **why);

/* ---- the drain planner ---- */

enum kube_drain_fate {
	KUBE_DRAIN_EVICT,           /* evicted, then waited for */
	KUBE_DRAIN_SKIP_DAEMONSET,  /* its DaemonSet would put it back: left (as --ignore-daemonsets) */
	KUBE_DRAIN_SKIP_MIRROR,     /* a static pod: the kubelet owns it */
	KUBE_DRAIN_NEEDS_FORCE,     /* no controller: deleted for good; only with force */
};

struct kube_drain_pod {
	char *ns, *name, *uid;
	enum kube_drain_fate fate;
	bool emptydir;              /* its emptyDir data goes with it */
	bool unmanaged;             /* no controller (evicted only with force) */
	bool cnpg_primary;
};

enum kube_note_level {
	KUBE_NOTE_REFUSE,           /* the drain is refused */
	KUBE_NOTE_BLOCK,            /* the drain will wait on it (a PDB keeps it) */
	KUBE_NOTE_WARN,             /* said in the preview; the confirmation covers it */
};

struct kube_drain_note {
	enum kube_note_level level;
	char *text;
};

struct kube_drain_plan {
	char *node;
	bool cordoned;              /* the node is already unschedulable */
	struct kube_drain_pod *pods;   /* evicted ones first, in eviction order, then the rest */
	size_t npods;
	size_t nevict, nskip_ds, nskip_mirror, nforce;
	struct kube_drain_note *notes;
	size_t nnotes;
	bool refused;               /* a REFUSE note: the drain must not start */
};

/* Plans draining node of c: its pods (c->pods whose node it is, as the
 * API listed them) each with its fate, and the notes: REFUSE when node is
 * the last Ready control-plane or etcd node, or when pods without a
 * controller are on it and !force ("force" confirms deleting them, as
 * kubectl drain --force); BLOCK for each Longhorn volume whose only healthy
 * replica is on node; WARN for a CloudNativePG primary on node (switch over
 * first), pods with emptyDir (their data goes), the DaemonSet and static
 * pods left.  Eviction order: ordinary pods by namespace and name, CNPG
 * primaries last.  -1 with *cause when node is not in c.  *out is the
 * caller's (kube_drain_plan_done). */
int kube_drain_plan_build(const struct kube_cluster *c, const char *node, bool force,
                          struct kube_drain_plan *out, char **cause);
void kube_drain_plan_done(struct kube_drain_plan *p);
/* The confirm dialog's text: a line of what happens, then the notes
 * (refusals first), then the pods evicted and skipped, each list cut after
 * max_list names ("… 9 more").  Lines end in '\n'.  Caller frees. */
char *kube_drain_preview(const struct kube_drain_plan *p, size_t max_list);

/* A drain's end in words: "panther drained: 12 evicted, 3 DaemonSet pods
 * left"; or, when pods are left: blocked (never evicted: a PDB kept them)
 * and terminating (evicted, not gone yet), e.g. "timed out: 1 pod not
 * evicted (a disruption budget holds it): longhorn-system/im-1; 2 pods
 * still terminating: default/web-1, n8n/n8n-0 (10 evicted; panther stays
 * cordoned)".  Caller frees. */
char *kube_drain_summary(const char *node, size_t evicted, size_t nskip_ds, size_t nskip_mirror,
                         const char *const *blocked, size_t nblocked,
                         const char *const *terminating, size_t nterm, bool timed_out);

#endif
