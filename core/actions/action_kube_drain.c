/* action_kube_drain — drain-node (action_kube.h): the plan from the API's
 * lists, then cordon, evict (429 retried), wait for the pods to go. */
#include "core/actions/action_kube_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define DRAIN_PREVIEW_NAMES 12

/* GETs a list: 0 with *items (borrowed from *list, which the caller
 * frees); 1 when absent (404: that API is not installed); -1 *cause. */
static int drain_list(struct action_ctx *ctx, struct kube_arg *arg, const struct kube_request *req,
                      cJSON **list, const cJSON **items, char **cause)
{
	long status;
	int rc = kube_fetch(ctx, arg, req, list, &status, cause);

	if (rc == 1 && status == 404) {
		free(*cause);
		*cause = NULL;
		return 1;
	}
	if (rc != 0)
		return -1;
	*items = cJSON_GetObjectItemCaseSensitive(*list, "items");
	return 0;
}

/* The nodes, the node's pods, the Longhorn volumes and the CNPG clusters,
 * afresh, into c. */
static int drain_fetch(struct action_ctx *ctx, struct kube_arg *arg, struct kube_cluster *c,
                       char **cause)
{
	struct kube_request req;
	cJSON *list = NULL;
	const cJSON *items = NULL, *it;
	char **rvol = NULL, **rnode = NULL;
	bool *rok = NULL;
	size_t nrep = 0;
	int rc;

	kube_req_list("nodes", &req);
	rc = drain_list(ctx, arg, &req, &list, &items, cause);
	kube_request_done(&req);
	if (rc != 0)
		return -1;
	c->nodes = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *c->nodes);
	cJSON_ArrayForEach(it, items)
		if (kube_decode_node(it, &c->nodes[c->nnodes], NULL) == 0)
			c->nnodes++;
	cJSON_Delete(list);
	list = NULL;
	if (kube_req_pods_on_node(arg->node, &req, cause) != 0)
		return -1;
	rc = drain_list(ctx, arg, &req, &list, &items, cause);
	kube_request_done(&req);
	if (rc != 0)
		return -1;
	c->pods = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *c->pods);
	cJSON_ArrayForEach(it, items)
		if (kube_decode_pod(it, &c->pods[c->npods], NULL) == 0)
			c->npods++;
	cJSON_Delete(list);
	list = NULL;
	kube_req_list("volumes", &req);
	rc = drain_list(ctx, arg, &req, &list, &items, cause);
	kube_request_done(&req);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		c->volumes = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *c->volumes);
		cJSON_ArrayForEach(it, items)
			if (kube_decode_volume(it, &c->volumes[c->nvolumes], NULL) == 0)
				c->nvolumes++;
		cJSON_Delete(list);
		list = NULL;
		kube_req_list("replicas", &req);
		rc = drain_list(ctx, arg, &req, &list, &items, cause);
		kube_request_done(&req);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			size_t n = (size_t)cJSON_GetArraySize(items) + 1;

			rvol = xcalloc(n, sizeof *rvol);
			rnode = xcalloc(n, sizeof *rnode);
			rok = xcalloc(n, sizeof *rok);
			cJSON_ArrayForEach(it, items)
				if (kube_decode_replica(it, &rvol[nrep], &rnode[nrep], &rok[nrep], NULL) == 0)
					nrep++;
			kube_volumes_join(c->volumes, c->nvolumes, rvol, rnode, rok, nrep);
			for (size_t i = 0; i < nrep; i++) {
				free(rvol[i]);
				free(rnode[i]);
			}
			free(rvol);
			free(rnode);
			free(rok);
			cJSON_Delete(list);
			list = NULL;
		}
	}
	kube_req_list("databases", &req);
	rc = drain_list(ctx, arg, &req, &list, &items, cause);
	kube_request_done(&req);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		c->databases = xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *c->databases);
		cJSON_ArrayForEach(it, items)
			if (kube_decode_database(it, &c->databases[c->ndatabases], NULL) == 0)
				c->ndatabases++;
		kube_databases_join(c->databases, c->ndatabases, c->pods, c->npods);
		cJSON_Delete(list);
	}
	return 0;
}

int kube_drain_check(struct action_ctx *ctx, struct kube_arg *arg, char **summary, char **cause)
{
	struct kube_cluster *c = xcalloc(1, sizeof *c);
	struct kube_request req;
	struct buf why;
	char *preview;

	action_progress(ctx, "planning the drain of %s", arg->node);
	c->name = xstrdup(arg->cluster);
	if (drain_fetch(ctx, arg, c, cause) != 0 ||
	    kube_drain_plan_build(c, arg->node, arg->req.force, &arg->plan, cause) != 0) {
		kube_cluster_free(c);
		return -1;
	}
	kube_cluster_free(c);
	preview = kube_drain_preview(&arg->plan, DRAIN_PREVIEW_NAMES);
	kube_out_line(arg, preview);
	free(preview);
	if (arg->plan.refused) {
		buf_init(&why);
		buf_printf(&why, "drain of %s refused: ", arg->node);
		for (size_t i = 0, n = 0; i < arg->plan.nnotes; i++)
			if (arg->plan.notes[i].level == KUBE_NOTE_REFUSE)
				buf_printf(&why, "%s%s", n++ > 0 ? "; " : "", arg->plan.notes[i].text);
		*cause = buf_steal(&why);
		return ACTION_REFUSED_CHECK;
	}
	kube_out_line(arg, "requests:");
	if (!arg->plan.cordoned && kube_req_cordon(arg->node, true, &req, NULL) == 0) {
		char *t = kube_request_text(&req);

		kube_out_line(arg, t);
		free(t);
		kube_request_done(&req);
	}
	for (size_t i = 0; i < arg->plan.npods; i++) {
		const struct kube_drain_pod *p = &arg->plan.pods[i];

		if (p->fate != KUBE_DRAIN_EVICT || kube_req_evict(p->ns, p->name, &req, NULL) != 0)
			continue;
		char *t = kube_request_text(&req);

		kube_out_line(arg, t);
		free(t);
		kube_request_done(&req);
	}
	*summary = xasprintf("evict %zu pod%s from %s (%zu DaemonSet, %zu static pods stay)",
	                     arg->plan.nevict, arg->plan.nevict == 1 ? "" : "s", arg->node,
	                     arg->plan.nskip_ds, arg->plan.nskip_mirror);
	return 0;
}

/* Cordons unless the plan saw it cordoned.  0, -1 *cause, or
 * ACTION_UNKNOWN_RUN (sent, no answer, the node not seen since). */
static int drain_cordon(struct action_ctx *ctx, struct kube_arg *arg, char **cause)
{
	struct kube_request req, get;
	struct kube_reply r;
	cJSON *obj = NULL;
	long status;
	char *why = NULL, *words;
	int rc;

	if (arg->plan.cordoned)
		return 0;
	if (kube_req_cordon(arg->node, true, &req, cause) != 0)
		return -1;
	action_progress(ctx, "cordoning %s", arg->node);
	rc = kube_send(ctx, arg, &req, &r, &why);
	kube_request_done(&req);
	if (rc == 0) {
		if (r.status >= 200 && r.status <= 299) {
			kube_reply_done(&r);
			return 0;
		}
		words = kube_reply_words(&r);
		util_set_cause(cause, "cordon %s: %s", arg->node, words);
		free(words);
		kube_reply_done(&r);
		return -1;
	}
	/* no answer: the node says whether the cordon happened */
	if (kube_req_node_get(arg->node, &get, cause) != 0) {
		free(why);
		return -1;
	}
	rc = kube_fetch(ctx, arg, &get, &obj, &status, cause);
	kube_request_done(&get);
	if (rc == 0) {
		struct kube_node n;

		if (kube_decode_node(obj, &n, NULL) == 0 && n.unschedulable) {
			kube_node_done(&n);
			cJSON_Delete(obj);
			free(why);
			return 0;
		}
		if (n.name != NULL)
			kube_node_done(&n);
		cJSON_Delete(obj);
		util_set_cause(cause, "cordon %s: %s; the node is still schedulable", arg->node, why);
		free(why);
		return -1;
	}
	free(*cause);
	*cause = NULL;
	util_set_cause(cause, "cordon %s: %s; the node could not be seen since", arg->node, why);
	free(why);
	return ACTION_UNKNOWN_RUN;
}

enum drain_state { DRAIN_PENDING, DRAIN_EVICTED, DRAIN_GONE };

struct drain_item {
	const struct kube_drain_pod *pod;
	enum drain_state state;
	char name[320];             /* "ns/name" */
};

char *kube_reply_429_words(const struct kube_reply *r)
{
	cJSON *o = r->body != NULL ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	const cJSON *causes = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "details"), "causes");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(causes, 0), "message");
	char *s;

	if (!cJSON_IsString(msg))
		msg = cJSON_GetObjectItemCaseSensitive(o, "message");
	s = cJSON_IsString(msg) ? util_text_sanitize(msg->valuestring, 200) :
	    xstrdup("a disruption budget does not allow it now");
	cJSON_Delete(o);
	return s;
}

/* One eviction.  0 sent or gone (state set), 1 held (429; *held the
 * words), -1 refused otherwise (*cause), 2 no answer (retried). */
static int drain_evict(struct action_ctx *ctx, struct kube_arg *arg, struct drain_item *it,
                       char **held, char **cause)
{
	struct kube_request req;
	struct kube_reply r;
	char *why = NULL, *words;
	int rc;

	if (kube_req_evict(it->pod->ns, it->pod->name, &req, cause) != 0)
		return -1;
	action_progress(ctx, "evicting pod %s", it->name);
	rc = kube_send(ctx, arg, &req, &r, &why);
	kube_request_done(&req);
	if (rc != 0) {
		free(*held);
		*held = why;
		return 2;
	}
	if (r.status >= 200 && r.status <= 299) {
		it->state = DRAIN_EVICTED;
		rc = 0;
	} else if (r.status == 404) {
		it->state = DRAIN_GONE;
		rc = 0;
	} else if (r.status == 429) {
		free(*held);
		words = kube_reply_429_words(&r);
		*held = xasprintf("%s: %s", it->name, words);
		free(words);
		rc = 1;
	} else {
		words = kube_reply_words(&r);
		util_set_cause(cause, "evicting %s: %s", it->name, words);
		free(words);
		rc = -1;
	}
	kube_reply_done(&r);
	return rc;
}

/* Is the evicted pod gone (404, or another pod of its name)?  1 gone, 0
 * still there, -1 no answer. */
static int drain_gone(struct action_ctx *ctx, struct kube_arg *arg, const struct drain_item *it)
{
	struct kube_request req;
	cJSON *obj = NULL;
	const cJSON *uid;
	long status;
	char *why = NULL;
	int rc, gone;

	if (kube_req_pod_get(it->pod->ns, it->pod->name, &req, NULL) != 0)
		return 1;
	rc = kube_fetch(ctx, arg, &req, &obj, &status, &why);
	kube_request_done(&req);
	free(why);
	if (rc == 1)
		return status == 404 ? 1 : 0;
	if (rc < 0)
		return -1;
	uid = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	                                       "uid");
	gone = cJSON_IsString(uid) && it->pod->uid != NULL &&
	       strcmp(uid->valuestring, it->pod->uid) != 0;
	cJSON_Delete(obj);
	return gone;
}

static size_t drain_count(const struct drain_item *items, size_t n, enum drain_state s)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += items[i].state == s;
	return k;
}

static char *drain_end(struct kube_arg *arg, const struct drain_item *items, size_t n,
                       bool timed_out)
{
	const char **blocked = xcalloc(n + 1, sizeof *blocked);
	const char **term = xcalloc(n + 1, sizeof *term);
	size_t nb = 0, nt = 0, evicted = 0;
	char *s;

	for (size_t i = 0; i < n; i++) {
		if (items[i].state == DRAIN_PENDING)
			blocked[nb++] = items[i].name;
		else if (items[i].state == DRAIN_EVICTED)
			term[nt++] = items[i].name;
		if (items[i].state != DRAIN_PENDING)
			evicted++;
	}
	s = kube_drain_summary(arg->node, evicted, arg->plan.nskip_ds, arg->plan.nskip_mirror,
	                       blocked, nb, term, nt, timed_out);
	free(blocked);
	free(term);
	return s;
}

int kube_drain_run(struct action_ctx *ctx, struct kube_arg *arg, char **summary, char **cause)
{
	int wait_ms = arg->req.wait_ms > 0 ? arg->req.wait_ms : KUBE_WAIT_MS;
	int retry_ms = arg->req.retry_ms > 0 ? arg->req.retry_ms : KUBE_RETRY_MS;
	int poll_ms = arg->req.poll_ms > 0 ? arg->req.poll_ms : KUBE_POLL_MS;
	int64_t deadline = time_mono_ms() + wait_ms;
	struct drain_item *items = xcalloc(arg->plan.npods + 1, sizeof *items);
	size_t n = 0, retry = 0;
	char *held = NULL, *end;
	bool timed_out = false;
	int rc;

	rc = drain_cordon(ctx, arg, cause);
	if (rc != 0) {
		free(items);
		return rc;
	}
	for (size_t i = 0; i < arg->plan.npods; i++) {
		if (arg->plan.pods[i].fate != KUBE_DRAIN_EVICT)
			continue;
		items[n].pod = &arg->plan.pods[i];
		snprintf(items[n].name, sizeof items[n].name, "%s/%s", items[n].pod->ns,
		         items[n].pod->name);
		n++;
	}
	/* evict, again and again while a disruption budget holds some */
	while (drain_count(items, n, DRAIN_PENDING) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (items[i].state != DRAIN_PENDING)
				continue;
			rc = drain_evict(ctx, arg, &items[i], &held, cause);
			if (rc == -1 || action_cancelled(ctx))
				goto stop;
		}
		if (drain_count(items, n, DRAIN_PENDING) == 0)
			break;
		if (time_mono_ms() + retry_ms > deadline) {
			timed_out = true;
			/* the evicted ones: gone already, or still terminating */
			for (size_t i = 0; i < n; i++)
				if (items[i].state == DRAIN_EVICTED && drain_gone(ctx, arg, &items[i]) == 1)
					items[i].state = DRAIN_GONE;
			break;
		}
		retry++;
		action_progress(ctx, "waiting: %s (retry %zu)", held != NULL ? held : "", retry);
		if (!kube_nap(ctx, retry_ms))
			goto stop;
	}
	/* wait for the evicted to go */
	while (!timed_out && drain_count(items, n, DRAIN_EVICTED) > 0) {
		size_t left = 0;
		const char *first = NULL;

		for (size_t i = 0; i < n; i++) {
			if (items[i].state != DRAIN_EVICTED)
				continue;
			if (drain_gone(ctx, arg, &items[i]) == 1) {
				items[i].state = DRAIN_GONE;
			} else {
				left++;
				first = first != NULL ? first : items[i].name;
			}
			if (action_cancelled(ctx))
				goto stop;
		}
		if (left == 0)
			break;
		if (time_mono_ms() + poll_ms > deadline) {
			timed_out = true;
			break;
		}
		action_progress(ctx, "waiting for %zu pod%s to terminate: %s%s", left,
		                left == 1 ? "" : "s", first, left > 1 ? ", ..." : "");
		if (!kube_nap(ctx, poll_ms))
			goto stop;
	}
	free(held);
	end = drain_end(arg, items, n, timed_out);
	free(items);
	if (timed_out) {
		*cause = end;
		return -1;
	}
	*summary = end;
	return 0;
stop:
	free(held);
	end = drain_end(arg, items, n, false);
	if (*cause == NULL)
		util_set_cause(cause, "cancelled: %s", end);
	else {
		char *c = *cause;

		*cause = xasprintf("%s; %s", c, end);
		free(c);
	}
	free(end);
	free(items);
	return -1;
}
