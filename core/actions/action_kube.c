/* action_kube — see action_kube.h.  The common steps and every action but
 * the drain (action_kube_drain.c). */
#include "core/actions/action_kube_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/kube_decode.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static const char *const kube_verb_names[] = {
	[KUBE_CORDON] = "cordon", [KUBE_UNCORDON] = "uncordon", [KUBE_DRAIN] = "drain-node",
	[KUBE_RESTART] = "rollout-restart", [KUBE_RECONCILE] = "reconcile",
	[KUBE_SUSPEND] = "suspend", [KUBE_RESUME] = "resume", [KUBE_SYNC] = "sync",
	[KUBE_REFRESH] = "refresh",
};

const char *kube_verb_name(enum kube_verb v)
{
	return (size_t)v < UTIL_ARRAY_LEN(kube_verb_names) ? kube_verb_names[v] : "kube";
}

bool kube_verb_parse(const char *s, enum kube_verb *out)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(kube_verb_names); i++)
		if (s != NULL && strcmp(s, kube_verb_names[i]) == 0) {
			*out = (enum kube_verb)i;
			return true;
		}
	return false;
}

bool kube_verb_on_node(enum kube_verb v)
{
	return v == KUBE_CORDON || v == KUBE_UNCORDON || v == KUBE_DRAIN;
}

void kube_reply_done(struct kube_reply *r)
{
	if (r == NULL)
		return;
	free(r->body);
	memset(r, 0, sizeof *r);
}

char *kube_action_question(const struct kube_action_req *req)
{
	char what[400];

	if (kube_verb_on_node(req->verb))
		return xasprintf("%s %s in %s?", req->verb == KUBE_CORDON ? "Cordon" :
		                 req->verb == KUBE_UNCORDON ? "Uncordon" : "Drain", req->node,
		                 req->cluster);
	snprintf(what, sizeof what, "%s %s/%s", kube_kind_name(req->ref.kind), req->ref.ns,
	         req->ref.name);
	switch (req->verb) {
	case KUBE_RESTART: return xasprintf("Restart %s in %s (rollout restart)?", what, req->cluster);
	case KUBE_RECONCILE: return xasprintf("Reconcile %s in %s?", what, req->cluster);
	case KUBE_SUSPEND: return xasprintf("Suspend %s in %s?", what, req->cluster);
	case KUBE_RESUME: return xasprintf("Resume %s in %s?", what, req->cluster);
	case KUBE_SYNC: return xasprintf("Sync %s in %s?", what, req->cluster);
	default: return xasprintf("Refresh %s in %s?", what, req->cluster);
	}
}

/* ---- the common steps ---- */

bool kube_nap(struct action_ctx *ctx, int ms)
{
	int64_t end = time_mono_ms() + ms;

	while (time_mono_ms() < end) {
		if (action_cancelled(ctx))
			return false;
		time_sleep_ms(end - time_mono_ms() < 50 ? end - time_mono_ms() : 50);
	}
	return !action_cancelled(ctx);
}

int kube_send(struct action_ctx *ctx, struct kube_arg *arg, const struct kube_request *req,
              struct kube_reply *reply, char **cause)
{
	char *why = NULL;

	memset(reply, 0, sizeof *reply);
	if (action_cancelled(ctx)) {
		util_set_cause(cause, "cancelled");
		return -1;
	}
	if (arg->api->request(arg->api, req, action_cancel_flag(ctx), reply, &why) != 0) {
		util_set_cause(cause, "%s %s: no answer: %s", req->method, req->path,
		               why != NULL ? why : "the API did not answer");
		free(why);
		kube_reply_done(reply);
		return -1;
	}
	return 0;
}

char *kube_reply_words(const struct kube_reply *r)
{
	cJSON *o = r->body != NULL ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, "message");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(o, "reason");
	char *s;

	if (cJSON_IsString(msg) && cJSON_IsString(reason))
		s = xasprintf("%ld %s: %s", r->status, reason->valuestring, msg->valuestring);
	else if (cJSON_IsString(msg))
		s = xasprintf("%ld: %s", r->status, msg->valuestring);
	else
		s = xasprintf("HTTP %ld", r->status);
	cJSON_Delete(o);
	return s;
}

int kube_fetch(struct action_ctx *ctx, struct kube_arg *arg, const struct kube_request *req,
               cJSON **obj, long *status, char **cause)
{
	struct kube_reply r;
	char *words;

	*obj = NULL;
	*status = 0;
	if (kube_send(ctx, arg, req, &r, cause) != 0)
		return -1;
	*status = r.status;
	if (r.status < 200 || r.status > 299) {
		words = kube_reply_words(&r);
		util_set_cause(cause, "%s %s: %s", req->method, req->path, words);
		free(words);
		kube_reply_done(&r);
		return 1;
	}
	*obj = cJSON_ParseWithLength(r.body != NULL ? r.body : "", r.len);
	kube_reply_done(&r);
	if (*obj == NULL || !cJSON_IsObject(*obj)) {
		cJSON_Delete(*obj);
		*obj = NULL;
		util_set_cause(cause, "%s %s: the answer is not a JSON object", req->method, req->path);
		return 1;
	}
	return 0;
}

void kube_out_line(struct kube_arg *arg, const char *line)
{
	char *old;

	if (arg->out == NULL)
		return;
	old = arg->out->plan;
	arg->out->plan = xasprintf("%s%s\n", old != NULL ? old : "", line);
	free(old);
}

static void kube_out_request(struct kube_arg *arg, const struct kube_request *req)
{
	char *t = kube_request_text(req);

	kube_out_line(arg, t);
	free(t);
}

/* ---- the object an action looks at ---- */

/* The object as decoded: one of these, by the verb. */
struct kube_seen {
	struct kube_node node;
	struct kube_workload workload;
	struct kube_gitops gitops;
};

static void kube_seen_done(struct kube_arg *arg, struct kube_seen *s)
{
	if (kube_verb_on_node(arg->req.verb))
		kube_node_done(&s->node);
	else if (arg->req.verb == KUBE_RESTART)
		kube_workload_done(&s->workload);
	else
		kube_gitops_done(&s->gitops);
}

static enum kube_workload_kind kube_workload_of(enum kube_kind k)
{
	return k == KUBE_K_STATEFULSET ? KUBE_STATEFULSET : k == KUBE_K_DAEMONSET ? KUBE_DAEMONSET :
	       KUBE_DEPLOYMENT;
}

static enum kube_gitops_kind kube_gitops_of(enum kube_kind k)
{
	return k == KUBE_K_HELMRELEASE ? KUBE_HELMRELEASE : k == KUBE_K_GITREPOSITORY ?
	       KUBE_GITREPOSITORY : k == KUBE_K_APPLICATION ? KUBE_APPLICATION : KUBE_KUSTOMIZATION;
}

/* GETs the object and decodes it into *s: 0; 1 answered otherwise (404:
 * "no ..."), -1 no answer; *cause either way. */
static int kube_look(struct action_ctx *ctx, struct kube_arg *arg, struct kube_seen *s,
                     char **cause)
{
	struct kube_request get;
	cJSON *obj = NULL;
	long status;
	char what[400];
	int rc;

	memset(s, 0, sizeof *s);
	if (kube_verb_on_node(arg->req.verb))
		rc = kube_req_node_get(arg->node, &get, cause);
	else
		rc = kube_req_object_get(&arg->req.ref, &get, cause);
	if (rc != 0)
		return 1;
	rc = kube_fetch(ctx, arg, &get, &obj, &status, cause);
	kube_request_done(&get);
	if (rc == 1 && status == 404) {
		free(*cause);
		*cause = NULL;
		if (kube_verb_on_node(arg->req.verb))
			snprintf(what, sizeof what, "node %s", arg->node);
		else
			kube_ref_format(&arg->req.ref, what, sizeof what);
		util_set_cause(cause, "no %s in cluster %s", what, arg->cluster);
	}
	if (rc != 0)
		return rc;
	if (kube_verb_on_node(arg->req.verb))
		rc = kube_decode_node(obj, &s->node, cause);
	else if (arg->req.verb == KUBE_RESTART)
		rc = kube_decode_workload(obj, kube_workload_of(arg->req.ref.kind), &s->workload, cause);
	else
		rc = kube_decode_gitops(obj, kube_gitops_of(arg->req.ref.kind), &s->gitops, cause);
	cJSON_Delete(obj);
	return rc == 0 ? 0 : 1;
}

static int kube_open(struct action_ctx *ctx, struct kube_arg *arg, char **cause)
{
	char *why = NULL;

	action_progress(ctx, "connecting to the API of %s", arg->cluster);
	arg->api = arg->open(arg->open_arg, action_cancel_flag(ctx), &why);
	if (arg->api == NULL) {
		util_set_cause(cause, "%s: %s", arg->cluster, why != NULL ? why : "cannot reach its API");
		free(why);
		return -1;
	}
	return 0;
}

/* Now as the verb's request writes it: RFC3339Nano for a Flux requestedAt
 * (a reconcile's, a resume's), whole seconds for kubectl's restartedAt; *ms
 * (may be NULL) the seconds. */
static void kube_stamp(const struct kube_arg *arg, char *out, size_t n, int64_t *ms)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (arg->req.verb == KUBE_RECONCILE || arg->req.verb == KUBE_RESUME)
		kube_time_rfc3339nano(now.tv_sec, now.tv_nsec, out, n);
	else
		kube_time_rfc3339(now.tv_sec, out, n);
	if (ms != NULL)
		*ms = (int64_t)now.tv_sec * 1000;
}

/* The request the verb sends (not the drain's); stamp: the time in it. */
static int kube_build(struct kube_arg *arg, const char *stamp, struct kube_request *out,
                      char **cause)
{
	const struct kube_ref *r = &arg->req.ref;

	switch (arg->req.verb) {
	case KUBE_CORDON: return kube_req_cordon(arg->node, true, out, cause);
	case KUBE_UNCORDON: return kube_req_cordon(arg->node, false, out, cause);
	case KUBE_RESTART: return kube_req_rollout_restart(r, stamp, out, cause);
	case KUBE_RECONCILE: return kube_req_flux_reconcile(r, stamp, out, cause);
	case KUBE_SUSPEND: return kube_req_flux_suspend(r, true, NULL, out, cause);
	case KUBE_RESUME: return kube_req_flux_suspend(r, false, stamp, out, cause);
	case KUBE_SYNC: return kube_req_argo_sync(r, arg->user, out, cause);
	case KUBE_REFRESH: return kube_req_argo_refresh(r, false, out, cause);
	case KUBE_DRAIN: break;
	}
	util_set_cause(cause, "no single request for %s", kube_verb_name(arg->req.verb));
	return -1;
}

static int kube_check(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct kube_arg *arg = argp;
	struct kube_seen s;
	struct kube_request req;
	char *why = NULL, stamp[64];
	int rc;

	if (kube_open(ctx, arg, cause) != 0)
		return -1;
	if (arg->req.verb == KUBE_DRAIN)
		return kube_drain_check(ctx, arg, summary, cause);
	action_progress(ctx, "looking at %s", kube_verb_on_node(arg->req.verb) ? arg->node :
	                arg->req.ref.name);
	rc = kube_look(ctx, arg, &s, cause);
	if (rc != 0)
		return -1;
	switch (arg->req.verb) {
	case KUBE_CORDON: rc = kube_check_cordon(&s.node, true, &why); break;
	case KUBE_UNCORDON: rc = kube_check_cordon(&s.node, false, &why); break;
	case KUBE_RESTART: rc = kube_check_rollout(&s.workload, &why); break;
	case KUBE_RECONCILE: rc = kube_check_flux_reconcile(&s.gitops, &why); break;
	case KUBE_SUSPEND: rc = kube_check_flux_suspend(&s.gitops, true, &why); break;
	case KUBE_RESUME: rc = kube_check_flux_suspend(&s.gitops, false, &why); break;
	case KUBE_SYNC:
		rc = kube_check_argo_sync(&s.gitops, &why);
		arg->before_finished_ms = s.gitops.op_finished_ms;
		break;
	default: rc = 0; break;
	}
	kube_seen_done(arg, &s);
	if (rc == 1) {
		*summary = why;
		arg->nothing = xstrdup(why);
		return ACTION_NOTHING_CHECK;
	}
	if (rc != 0) {
		*cause = why;
		return ACTION_REFUSED_CHECK;
	}
	/* what it sends (the run stamps its own time) */
	kube_stamp(arg, stamp, sizeof stamp, NULL);
	if (kube_build(arg, stamp, &req, cause) != 0)
		return -1;
	kube_out_request(arg, &req);
	kube_request_done(&req);
	return 0;
}

/* Looks until the verdict is DONE or BROKE or wait_ms passed.  0 done,
 * -1 broke or answered not done at the end (*cause), ACTION_UNKNOWN_RUN
 * when the last look got no answer. */
static int kube_verify(struct action_ctx *ctx, struct kube_arg *arg, int wait_ms,
                       int64_t stamp_ms, const char *stamp, struct kube_seen *last, char **cause)
{
	int64_t deadline = time_mono_ms() + wait_ms;
	int poll_ms = arg->req.poll_ms > 0 ? arg->req.poll_ms : KUBE_POLL_MS;
	enum kube_verdict v = KUBE_WAIT;
	char *why = NULL;
	bool answered = false;

	for (;;) {
		int rc;

		free(why);
		why = NULL;
		rc = kube_look(ctx, arg, last, &why);
		answered = rc >= 0;
		if (rc == 0) {
			switch (arg->req.verb) {
			case KUBE_CORDON: v = kube_verify_cordon(&last->node, true, &why); break;
			case KUBE_UNCORDON: v = kube_verify_cordon(&last->node, false, &why); break;
			case KUBE_RESTART: v = kube_verify_rollout(&last->workload, stamp_ms, &why); break;
			case KUBE_RECONCILE:
				v = kube_verify_flux_reconcile(&last->gitops, stamp, &why);
				break;
			case KUBE_SUSPEND: v = kube_verify_flux_suspend(&last->gitops, true, &why); break;
			case KUBE_RESUME: v = kube_verify_flux_suspend(&last->gitops, false, &why); break;
			case KUBE_SYNC:
				v = kube_verify_argo_sync(&last->gitops, arg->before_finished_ms, &why);
				break;
			default: v = KUBE_DONE; break;
			}
			if (v != KUBE_WAIT)
				break;
			kube_seen_done(arg, last);
		}
		if (time_mono_ms() + poll_ms > deadline || action_cancelled(ctx))
			break;
		action_progress(ctx, "verifying: %s", why != NULL ? why : "looking again");
		if (!kube_nap(ctx, poll_ms))
			break;
	}
	if (v == KUBE_DONE) {
		free(why);
		return 0;
	}
	if (v == KUBE_BROKE) {
		kube_seen_done(arg, last);
		*cause = why;
		return -1;
	}
	if (action_cancelled(ctx)) {
		util_set_cause(cause, "cancelled while verifying (%s)", why != NULL ? why : "");
		free(why);
		return -1;
	}
	util_set_cause(cause, "not verified within %d s: %s", wait_ms / 1000,
	               why != NULL ? why : "no answer");
	free(why);
	return answered ? -1 : ACTION_UNKNOWN_RUN;
}

/* The summary of a verified action, from the object seen last. */
static char *kube_done_words(struct kube_arg *arg, const struct kube_seen *s, const char *stamp)
{
	char what[400];

	kube_ref_format(&arg->req.ref, what, sizeof what);
	switch (arg->req.verb) {
	case KUBE_CORDON: return xasprintf("%s cordoned (spec.unschedulable true)", arg->node);
	case KUBE_UNCORDON: return xasprintf("%s uncordoned (schedulable again)", arg->node);
	case KUBE_RESTART:
		return xasprintf("%s restarted (restartedAt %s): rollout done, %d/%d ready", what, stamp,
		                 s->workload.ready, s->workload.desired);
	case KUBE_RECONCILE:
		return xasprintf("%s reconciled (requestedAt %s): Ready%s%s", what, stamp,
		                 s->gitops.revision != NULL ? ", revision " : "",
		                 s->gitops.revision != NULL ? s->gitops.revision : "");
	case KUBE_SUSPEND: return xasprintf("%s suspended", what);
	case KUBE_RESUME: return xasprintf("%s resumed", what);
	case KUBE_SYNC:
		return xasprintf("%s synced: operation Succeeded%s%s", what,
		                 s->gitops.sync != NULL ? ", " : "",
		                 s->gitops.sync != NULL ? s->gitops.sync : "");
	default:
		return xasprintf("%s: refresh requested (the controller clears the annotation when "
		                 "it has compared again)", what);
	}
}

static int kube_run(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct kube_arg *arg = argp;
	struct kube_request req;
	struct kube_reply r;
	struct kube_seen last;
	char stamp[64], *why = NULL;
	int64_t stamp_ms;
	int rc, wait_ms;

	if (arg->req.verb == KUBE_DRAIN)
		return kube_drain_run(ctx, arg, summary, cause);
	if (arg->nothing != NULL) {
		*summary = xasprintf("nothing to do: %s", arg->nothing);
		return 0;
	}
	kube_stamp(arg, stamp, sizeof stamp, &stamp_ms);
	if (kube_build(arg, stamp, &req, cause) != 0)
		return -1;
	action_progress(ctx, "%s %s", req.method, req.path);
	rc = kube_send(ctx, arg, &req, &r, &why);
	if (rc == 0 && (r.status < 200 || r.status > 299)) {
		char *words = kube_reply_words(&r);

		util_set_cause(cause, "%s %s: %s", req.method, req.path, words);
		free(words);
		kube_reply_done(&r);
		kube_request_done(&req);
		return -1;
	}
	kube_reply_done(&r);
	kube_request_done(&req);
	if (arg->req.verb == KUBE_REFRESH && rc == 0) {
		memset(&last, 0, sizeof last);
		*summary = kube_done_words(arg, &last, stamp);
		return 0;
	}
	/* answered or not, the object says whether it happened */
	wait_ms = arg->req.verb == KUBE_RESTART || arg->req.verb == KUBE_RECONCILE ||
	          arg->req.verb == KUBE_SYNC ?
	          (arg->req.wait_ms > 0 ? arg->req.wait_ms : KUBE_WAIT_MS) :
	          (arg->req.verify_ms > 0 ? arg->req.verify_ms : KUBE_VERIFY_MS);
	rc = kube_verify(ctx, arg, wait_ms, stamp_ms, stamp, &last, cause);
	if (rc == 0) {
		char *done = kube_done_words(arg, &last, stamp);

		*summary = why != NULL ? xasprintf("%s (verified after: %s)", done, why) : xstrdup(done);
		free(done);
		kube_seen_done(arg, &last);
	} else if (why != NULL) {
		char *c = *cause;

		/* the request's answer never came: say both */
		*cause = xasprintf("%s; %s", why, c != NULL ? c : "");
		free(c);
	}
	free(why);
	return rc;
}

static void kube_free(void *argp)
{
	struct kube_arg *arg = argp;

	if (arg->api != NULL)
		arg->api->free(arg->api);
	kube_drain_plan_done(&arg->plan);
	free(arg->nothing);
	free(arg->cluster);
	free(arg->node);
	free(arg->user);
	free(arg);
}

static const struct action_ops kube_ops = {
	.check = kube_check,
	.run = kube_run,
	.free_arg = kube_free,
};

struct action *action_kube_start(const struct config *cfg, const struct kube_action_req *req,
                                 kube_api_open_fn open, void *open_arg,
                                 struct kube_action_out *out, struct wake *wake)
{
	struct kube_arg *arg = xcalloc(1, sizeof *arg);
	char target[400];
	struct action_spec spec = {
		.action = kube_verb_name(req->verb), .forced = req->force, .dry_run = req->dry_run,
		.ops = &kube_ops, .arg = arg,
	};

	arg->req = *req;
	arg->cluster = xstrdup(req->cluster != NULL ? req->cluster : "");
	arg->node = xstrdup(req->node != NULL ? req->node : "");
	arg->user = xstrdup(req->user != NULL ? req->user : "");
	arg->req.cluster = arg->cluster;
	arg->req.node = arg->node;
	arg->req.user = arg->user;
	arg->open = open;
	arg->open_arg = open_arg;
	arg->out = out;
	if (out != NULL)
		out->plan = NULL;
	if (kube_verb_on_node(req->verb))
		snprintf(target, sizeof target, "node/%s", arg->node);
	else
		kube_ref_format(&req->ref, target, sizeof target);
	spec.host = arg->cluster;
	spec.target = target;
	return action_start(cfg, &spec, wake);
}
