/* action_kube_internal — shared by action_kube.c and action_kube_drain.c. */
#ifndef KITETOP_CORE_ACTIONS_ACTION_KUBE_INTERNAL_H
#define KITETOP_CORE_ACTIONS_ACTION_KUBE_INTERNAL_H

#include "core/actions/action_kube.h"

struct cJSON;

struct kube_arg {
	struct kube_action_req req; /* its strings point at the copies below */
	char *cluster, *node, *user;
	kube_api_open_fn open;
	void *open_arg;
	struct kube_api *api;       /* opened by check */
	struct kube_action_out *out;
	int64_t before_finished_ms; /* sync: operationState.finishedAt before */
	char *nothing;              /* check: already so (the words); run sends nothing */
	struct kube_drain_plan plan;   /* drain: from check */
};

/* One request: 0 with *reply (any status), -1 with *cause (no answer). */
int kube_send(struct action_ctx *ctx, struct kube_arg *arg, const struct kube_request *req,
              struct kube_reply *reply, char **cause);
/* A 2xx answer's object: 0 with *obj (caller frees with cJSON_Delete);
 * 1 when answered otherwise (*status, *cause: the API's words); -1 with
 * *cause when no answer came. */
int kube_fetch(struct action_ctx *ctx, struct kube_arg *arg, const struct kube_request *req,
               struct cJSON **obj, long *status, char **cause);
/* "404 NotFound: nodes \"x\" not found" from an answer.  Caller frees. */
char *kube_reply_words(const struct kube_reply *r);
/* The words of a 429 (an eviction a disruption budget refuses): the
 * budget's cause ("The disruption budget postgres-primary needs 1 healthy
 * pods and has 1 currently"), else the message; sanitized, at most 200
 * bytes.  Caller frees. */
char *kube_reply_429_words(const struct kube_reply *r);
/* Appends line (and '\n') to the plan the owner reads. */
void kube_out_line(struct kube_arg *arg, const char *line);
/* Sleeps ms unless cancelled first; false when cancelled. */
bool kube_nap(struct action_ctx *ctx, int ms);

int kube_drain_check(struct action_ctx *ctx, struct kube_arg *arg, char **summary, char **cause);
int kube_drain_run(struct action_ctx *ctx, struct kube_arg *arg, char **summary, char **cause);

#endif
