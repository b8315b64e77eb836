/* action_kube — the Kubernetes actions run (core/actions/action.h's runner:
 * read-only, the interlock, the audit log's two lines, dry run, progress,
 * cancel): cordon, uncordon, drain-node, rollout-restart, reconcile,
 * suspend, resume, sync and refresh, on one cluster, through its API.
 *
 * Each action looks first (check: the object fetched afresh, the interlock
 * of kube_plan.h), then acts with the requests kube_plan.h builds, then
 * verifies by fetching the object again until the predicate says done or
 * broken, or the time is up; the result says which, in words:
 *
 *   cordon / uncordon   spec.unschedulable as asked (verify_ms);
 *   rollout-restart     refused for a paused Deployment; the template's
 *                       restartedAt is ours and the rollout is done (wait_ms);
 *   reconcile           refused for a suspended object; lastHandledReconcileAt
 *                       is our requestedAt, then Ready (wait_ms);
 *   suspend / resume    spec.suspend as asked (verify_ms);
 *   sync                refused while an operation runs; operationState
 *                       Succeeded after ours, or its error (wait_ms);
 *   refresh             the annotation accepted (the controller clears it);
 *   drain-node          the plan (kube_drain_plan_build on the nodes, the
 *                       node's pods, Longhorn volumes and CNPG clusters
 *                       fetched afresh) refused when it says so; else cordon,
 *                       then evict each pod (429: a PodDisruptionBudget
 *                       holds it: retried every retry_ms, shown as progress
 *                       "waiting: ... (retry 3)"; 404: already gone), then
 *                       wait for each to be gone (GET until 404 or another
 *                       UID), all within wait_ms; the end is
 *                       "panther drained: 12 evicted, 3 DaemonSet pods left"
 *                       or "timed out: ...", the node left cordoned.
 *
 * A request sent whose answer never came is verified like any other; when
 * the object cannot be seen until the time is up the result is unknown
 * (never failed: it may have happened).  Cancel (action_free, Esc) stops
 * between requests: "cancelled: ...".
 *
 * The API is reached through a struct kube_api opened on the action's
 * thread by the opener given to action_kube_start (the cluster's client
 * over its SSH route, core/actions/action_kube_client.c; a test's own). */
#ifndef KITETOP_CORE_ACTIONS_ACTION_KUBE_H
#define KITETOP_CORE_ACTIONS_ACTION_KUBE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/actions/action.h"
#include "core/actions/kube_plan.h"
#include "core/base/wake.h"

#define KUBE_VERIFY_MS 30000        /* a cordon's or suspend's new state seen */
#define KUBE_WAIT_MS 300000         /* a rollout, reconcile, sync or drain done */
#define KUBE_RETRY_MS 5000          /* kubectl's EvictErrorRetryDelay */
#define KUBE_POLL_MS 1000

/* One answer of the API: its HTTP status and body (NUL-terminated). */
struct kube_reply {
	long status;
	char *body;
	size_t len;
};
void kube_reply_done(struct kube_reply *r);

/* A cluster's API as the actions use it, on the action's thread. */
struct kube_api {
	/* 0 with *reply (any HTTP status), or -1 with *cause when no answer
	 * came (not connected, timed out, the link died, cancel raised). */
	int (*request)(struct kube_api *api, const struct kube_request *req, const atomic_int *cancel,
	               struct kube_reply *reply, char **cause);
	void (*free)(struct kube_api *api);
};
/* Opens it (may block up to its timeouts; cancel raised: give up).  NULL
 * with *cause. */
typedef struct kube_api *(*kube_api_open_fn)(void *arg, const atomic_int *cancel, char **cause);

enum kube_verb {
	KUBE_CORDON, KUBE_UNCORDON, KUBE_DRAIN, KUBE_RESTART, KUBE_RECONCILE, KUBE_SUSPEND,
	KUBE_RESUME, KUBE_SYNC, KUBE_REFRESH,
};
/* "cordon", "uncordon", "drain-node", "rollout-restart", "reconcile",
 * "suspend", "resume", "sync", "refresh" (static); parse: true and *out. */
const char *kube_verb_name(enum kube_verb v);
bool kube_verb_parse(const char *s, enum kube_verb *out);
bool kube_verb_on_node(enum kube_verb v);   /* cordon, uncordon, drain-node */

struct kube_action_req {
	enum kube_verb verb;
	const char *cluster;        /* for messages and the audit log's host */
	const char *node;           /* cordon, uncordon, drain-node */
	struct kube_ref ref;        /* the others */
	bool force;                 /* drain: pods without a controller too */
	bool dry_run;
	const char *user;           /* sync's initiatedBy: "kitetop@USER" */
	int verify_ms, wait_ms, retry_ms, poll_ms;   /* 0: the defaults above */
};

/* What the owner may read once the action finished: the plan (a drain's
 * preview, then the requests it sends or would send, one a line), NULL
 * when the check did not get that far.  The owner frees it. */
struct kube_action_out {
	char *plan;
};

/* The question to confirm: "Cordon panther in axiomlayer?", "Restart
 * Deployment default/web in axiomlayer (rollout restart)?".  Caller frees. */
char *kube_action_question(const struct kube_action_req *req);

/* Starts req on cfg (borrowed; audit log, read-only).  open(open_arg) is
 * called on the action's thread; open_arg must outlive the action.  out
 * (may be NULL) is filled by the action's thread and may be read after
 * action_wait / action_finished.  Never NULL (action_start). */
struct action *action_kube_start(const struct config *cfg, const struct kube_action_req *req,
                                 kube_api_open_fn open, void *open_arg,
                                 struct kube_action_out *out, struct wake *wake);

/* ---- the cluster's own API client (core/actions/action_kube_client.c) ---- */

struct fleet;
struct config_cluster;

/* What action_kube_client_open needs; both borrowed, outliving the action. */
struct kube_cluster_target {
	struct fleet *fleet;
	const struct config_cluster *cluster;
};
/* A kube_api_open_fn: the cluster's API reached as its feed reaches it
 * (its via hosts in order, their SSH route, the credentials), on the
 * action's thread.  target is a struct kube_cluster_target. */
struct kube_api *action_kube_client_open(void *target, const atomic_int *cancel, char **cause);

#endif
