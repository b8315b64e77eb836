/* kube_reflector — list + watch of a cluster's resources on one client's
 * multi handle (kube_reflector.h): the streams, their states and what each
 * answer or event does to the caches (kube_reflector_store.c). */
#include "backends/kube_reflector.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_reflector_internal.h"
#include "backends/kube_watch.h"
#include "core/base/backoff.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct res_def {
	const char *name;
	int group;                  /* enum kube_group, or -1: core or apps */
	const char *prefix;         /* "/api/v1", "/apis/apps/v1", NULL: the group's */
	bool per_namespace;         /* narrowed by the configured namespaces */
	const char *selector;       /* an extra query, or NULL */
};

static const struct res_def defs[KUBE_R_N] = {
	[KUBE_R_NODES] = { "nodes", -1, "/api/v1", false, NULL },
	[KUBE_R_PODS] = { "pods", -1, "/api/v1", true, NULL },
	[KUBE_R_DEPLOYMENTS] = { "deployments", -1, "/apis/apps/v1", false, NULL },
	[KUBE_R_STATEFULSETS] = { "statefulsets", -1, "/apis/apps/v1", false, NULL },
	[KUBE_R_DAEMONSETS] = { "daemonsets", -1, "/apis/apps/v1", false, NULL },
	[KUBE_R_EVENTS] = { "events", -1, "/api/v1", true, "fieldSelector=type%3DWarning" },
	[KUBE_R_KUSTOMIZATIONS] = { "kustomizations", KUBE_G_KUSTOMIZE, NULL, false, NULL },
	[KUBE_R_HELMRELEASES] = { "helmreleases", KUBE_G_HELM, NULL, false, NULL },
	[KUBE_R_GITREPOSITORIES] = { "gitrepositories", KUBE_G_SOURCE, NULL, false, NULL },
	[KUBE_R_APPLICATIONS] = { "applications", KUBE_G_ARGO, NULL, false, NULL },
	[KUBE_R_LH_VOLUMES] = { "volumes", KUBE_G_LONGHORN, NULL, false, NULL },
	[KUBE_R_LH_REPLICAS] = { "replicas", KUBE_G_LONGHORN, NULL, false, NULL },
	[KUBE_R_CNPG_CLUSTERS] = { "clusters", KUBE_G_CNPG, NULL, false, NULL },
};

#define KUBE_LIST_TIMEOUTS 6

enum stream_state { ST_LIST_DUE, ST_LISTING, ST_WATCH_DUE, ST_WATCHING };

struct stream {
	struct kube_reflector *r;   /* its reflector (for the data callback) */
	enum kube_res res;
	char *ns;                   /* a namespace, or NULL: all */
	char *prefix;               /* "/apis/longhorn.io/v1beta2" */
	enum stream_state state;
	int64_t due_at;             /* mono ms, for the *_DUE states */
	char *rv;                   /* the last resourceVersion seen */
	char *cont;                 /* the list's continue token between pages */
	size_t list_bytes;          /* the list's pages so far */
	struct kube_store pending;  /* a list's pages so far */
	bool listed;                /* since the last start */
	struct kube_watch_state ws;
	/* the transfer running */
	struct http_async *a;
	struct http_request req;
	struct http_response resp;
	char *url;
	struct kube_lines lines;
	int64_t opened_at;
	unsigned nevents;
	bool expired;               /* an ERROR event said 410 */
	char *event_error;          /* another ERROR event's message */
	char *error;                /* the resource's problem, or NULL */
};

struct kube_reflector {
	struct kube_client *kc;
	char *const *namespaces;
	size_t nnamespaces;
	struct kube_store stores[KUBE_R_N];
	struct stream *streams;
	size_t nstreams;
	bool changed;
	uint64_t rnd;
	struct kube_reflector_stats stats;
	struct stream *cur;         /* the stream whose data is being handled */
};

const char *kube_res_name(enum kube_res r)
{
	return r < KUBE_R_N ? defs[r].name : "?";
}

struct kube_reflector *kube_reflector_new(struct kube_client *kc, char *const *namespaces,
                                          size_t nnamespaces)
{
	struct kube_reflector *r = xcalloc(1, sizeof *r);

	r->kc = kc;
	r->namespaces = namespaces;
	r->nnamespaces = nnamespaces;
	return r;
}

static void stream_end(struct stream *s)
{
	char *cause = NULL;

	if (s->a != NULL) {
		http_async_end(s->a, &cause);
		s->a = NULL;
	}
	free(cause);
	free(s->url);
	s->url = NULL;
	kube_lines_done(&s->lines);
	kube_lines_init(&s->lines);
}

static void stream_free(struct stream *s)
{
	stream_end(s);
	kube_lines_done(&s->lines);
	http_response_done(&s->resp);
	kube_store_done(&s->pending, s->res);
	free(s->ns);
	free(s->prefix);
	free(s->rv);
	free(s->cont);
	free(s->event_error);
	free(s->error);
}

void kube_reflector_stop(struct kube_reflector *r)
{
	for (size_t i = 0; i < r->nstreams; i++)
		stream_free(&r->streams[i]);
	free(r->streams);
	r->streams = NULL;
	r->nstreams = 0;
}

void kube_reflector_free(struct kube_reflector *r)
{
	if (r == NULL)
		return;
	kube_reflector_stop(r);
	for (int k = 0; k < KUBE_R_N; k++)
		kube_store_done(&r->stores[k], (enum kube_res)k);
	free(r);
}

static void add_stream(struct kube_reflector *r, enum kube_res res, const char *prefix, const char *ns)
{
	struct stream *s;

	r->streams = xrealloc(r->streams, (r->nstreams + 1) * sizeof(*r->streams));
	s = &r->streams[r->nstreams++];
	memset(s, 0, sizeof *s);
	s->r = r;
	s->res = res;
	s->prefix = xstrdup(prefix);
	s->ns = ns != NULL ? xstrdup(ns) : NULL;
	s->state = ST_LIST_DUE;
	http_response_init(&s->resp);
	kube_lines_init(&s->lines);
}

/* Entries that no stream has listed since the last start. */
#define UNCLAIMED (-2)

void kube_reflector_start(struct kube_reflector *r, const struct kube_apis *apis)
{
	kube_reflector_stop(r);
	/* the streams are made anew (their numbers may change): the objects
	 * stay until their resource's next list replaces them */
	for (int k = 0; k < KUBE_R_N; k++)
		for (size_t i = 0; i < r->stores[k].n; i++)
			r->stores[k].e[i].stream = UNCLAIMED;
	(void)apis;   /* the client's group versions say the same, with the version */
	for (int k = 0; k < KUBE_R_N; k++) {
		const struct res_def *d = &defs[k];
		char *prefix;

		if (d->group >= 0) {
			const char *v = kube_client_group_version(r->kc, (enum kube_group)d->group);

			if (v == NULL) {   /* not in this cluster: not watched, not an error */
				kube_store_clear(&r->stores[k], (enum kube_res)k, -1);
				continue;
			}
			prefix = xasprintf("/apis/%s/%s", kube_group_name((enum kube_group)d->group), v);
		} else {
			prefix = xstrdup(d->prefix);
		}
		if (d->per_namespace && r->nnamespaces > 0)
			for (size_t i = 0; i < r->nnamespaces; i++)
				add_stream(r, (enum kube_res)k, prefix, r->namespaces[i]);
		else
			add_stream(r, (enum kube_res)k, prefix, NULL);
		free(prefix);
	}
}

bool kube_reflector_synced(const struct kube_reflector *r)
{
	for (size_t i = 0; i < r->nstreams; i++)
		if (!r->streams[i].listed)
			return false;
	return r->nstreams > 0;
}

void kube_reflector_stats(const struct kube_reflector *r, struct kube_reflector_stats *out)
{
	*out = r->stats;
}

static void set_error(struct stream *s, char *why)
{
	free(s->error);
	s->error = why;
}

static char *stream_path(const struct stream *s, bool watch, int timeout_s)
{
	struct buf b;
	const char *sel = defs[s->res].selector;

	buf_init(&b);
	buf_puts(&b, s->prefix);
	if (s->ns != NULL)
		buf_printf(&b, "/namespaces/%s", s->ns);
	buf_printf(&b, "/%s?", defs[s->res].name);
	if (watch) {
		char *rv = http_escape(s->rv != NULL ? s->rv : "0");

		buf_printf(&b, "watch=1&resourceVersion=%s&allowWatchBookmarks=true&timeoutSeconds=%d", rv,
		           timeout_s);
		free(rv);
	} else {
		buf_printf(&b, "limit=%d", KUBE_LIST_LIMIT);
		if (s->cont != NULL) {
			char *c = http_escape(s->cont);

			buf_printf(&b, "&continue=%s", c);
			free(c);
		}
	}
	if (sel != NULL)
		buf_printf(&b, "&%s", sel);
	return buf_steal(&b);
}

/* ---- watch events ---- */

static void take_rv(struct stream *s, const cJSON *obj)
{
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	                                                   "resourceVersion");

	if (cJSON_IsString(rv) && rv->valuestring[0] != '\0') {
		free(s->rv);
		s->rv = xstrdup(rv->valuestring);
	}
}

static int on_line(const char *line, size_t n, void *arg)
{
	struct kube_reflector *r = arg;
	struct stream *s = r->cur;
	cJSON *j = cJSON_ParseWithLength(line, n);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(j, "object");
	const char *t = cJSON_IsString(type) ? type->valuestring : "";
	int rc = 0;

	if (!cJSON_IsObject(obj)) {
		free(s->event_error);
		s->event_error = xstrdup("a watch event that is not JSON");
		cJSON_Delete(j);
		return -1;
	}
	s->nevents++;
	if (strcmp(t, "ERROR") == 0) {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, "code");
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(obj, "message");

		if (cJSON_IsNumber(code) && code->valueint == 410) {
			s->expired = true;
		} else {
			free(s->event_error);
			s->event_error = xasprintf("watch error: %s", cJSON_IsString(msg) ? msg->valuestring : "?");
		}
		rc = -1;
	} else if (strcmp(t, "BOOKMARK") == 0) {
		take_rv(s, obj);
		r->stats.bookmarks++;
	} else {
		char *key = kube_object_key(obj), *cause = NULL;
		void *o = NULL;

		take_rv(s, obj);
		r->stats.events++;
		if (key == NULL) {
			/* an object without a name: skipped */
		} else if (strcmp(t, "DELETED") == 0) {
			r->changed |= kube_store_del(&r->stores[s->res], s->res, key);
		} else if (kube_res_decode(s->res, obj, &o, &cause) == 0) {
			kube_store_put(&r->stores[s->res], s->res, key, (int)(s - r->streams), o);
			key = NULL;
			r->changed = true;
		} else {
			/* not kept (a Normal event) or undecodable: gone from the cache */
			r->changed |= kube_store_del(&r->stores[s->res], s->res, key);
		}
		free(key);
		free(cause);
	}
	cJSON_Delete(j);
	return rc;
}

static int on_data(const char *data, size_t len, void *arg)
{
	struct stream *s = arg;

	s->r->cur = s;
	if (kube_lines_feed(&s->lines, data, len, on_line, s->r) == 0)
		return 0;
	if (s->lines.overflow && s->event_error == NULL)
		s->event_error = xstrdup("a watch event over 8 MB");
	return -1;
}

static struct stream *stream_of(const struct kube_reflector *r, enum kube_res res)
{
	for (size_t i = 0; i < r->nstreams; i++)
		if (r->streams[i].res == res)
			return &r->streams[i];
	return NULL;
}

int kube_reflector_feed(struct kube_reflector *r, enum kube_res res, const char *data, size_t len)
{
	struct stream *s = stream_of(r, res);

	return s != NULL ? on_data(data, len, s) : -1;
}

const char *kube_reflector_rv(const struct kube_reflector *r, enum kube_res res)
{
	const struct stream *s = stream_of(r, res);

	return s != NULL ? s->rv : NULL;
}

/* ---- starting and ending transfers ---- */

static void stream_due(struct kube_reflector *r, struct stream *s, enum stream_state st, int64_t delay)
{
	s->state = st;
	s->due_at = time_mono_ms() + (delay > 0 ? backoff_jitter_ms(delay, backoff_random(&r->rnd)) : 0);
}

static void stream_begin(struct kube_reflector *r, struct stream *s)
{
	bool watch = s->state == ST_WATCH_DUE;
	int timeout_s = kube_watch_timeout_s(backoff_random(&r->rnd));
	char *path = stream_path(s, watch, timeout_s), *cause = NULL;

	memset(&s->req, 0, sizeof s->req);
	free(s->url);
	s->url = NULL;
	kube_client_prepare(r->kc, path, &s->req, &s->url);
	free(path);
	if (watch) {
		/* the server ends it at timeoutSeconds; ours is a backstop */
		s->req.timeout_ms = (long)(timeout_s + 60) * 1000;
		s->req.on_data = on_data;
		s->req.on_data_arg = s;
		s->req.gzip = false;
		s->expired = false;
		free(s->event_error);
		s->event_error = NULL;
		s->nevents = 0;
		kube_lines_done(&s->lines);
		kube_lines_init(&s->lines);
		r->stats.watches++;
	} else {
		/* a page of 500 big objects over a slow tunnel takes a while:
		 * bounded by several timeouts, and by the stall of one */
		s->req.max_bytes = KUBE_LIST_MAX_BYTES;
		s->req.stall_timeout_ms = s->req.timeout_ms;
		s->req.timeout_ms = KUBE_LIST_TIMEOUTS * s->req.timeout_ms;
		r->stats.lists++;
	}
	s->opened_at = time_mono_ms();
	s->a = http_async_start(kube_client_http(r->kc), &s->req, &s->resp, &cause);
	if (s->a == NULL) {
		int64_t delay;

		set_error(s, xstrdup(cause != NULL ? cause : "cannot start"));
		free(cause);
		kube_watch_list_result(&s->ws, false, &delay);
		stream_due(r, s, ST_LIST_DUE, delay);
		return;
	}
	s->state = watch ? ST_WATCHING : ST_LISTING;
}

/* A list page's items into s->pending; the continue token into s->cont. */
static int list_page(struct kube_reflector *r, struct stream *s, char **cause)
{
	cJSON *j = cJSON_ParseWithLength(s->resp.body.data, s->resp.body.len);
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *it;
	const cJSON *cont = cJSON_GetObjectItemCaseSensitive(md, "continue");

	if (!cJSON_IsArray(items)) {
		cJSON_Delete(j);
		util_set_cause(cause, "the list is not a Kubernetes list");
		return -1;
	}
	take_rv(s, j);
	free(s->cont);
	s->cont = cJSON_IsString(cont) && cont->valuestring[0] != '\0' ? xstrdup(cont->valuestring) : NULL;
	cJSON_ArrayForEach(it, items) {
		char *key = kube_object_key(it), *why = NULL;
		void *o = NULL;

		if (key != NULL && kube_res_decode(s->res, it, &o, &why) == 0)
			kube_store_put(&s->pending, s->res, key, (int)(s - r->streams), o);
		else
			free(key);
		free(why);
	}
	cJSON_Delete(j);
	return 0;
}

/* The list's pages, complete: they replace what the stream had. */
static void list_done(struct kube_reflector *r, struct stream *s)
{
	struct kube_store *st = &r->stores[s->res];

	kube_store_clear(st, s->res, (int)(s - r->streams));
	kube_store_clear(st, s->res, UNCLAIMED);
	for (size_t i = 0; i < s->pending.n; i++)
		kube_store_put(st, s->res, s->pending.e[i].key, s->pending.e[i].stream, s->pending.e[i].obj);
	s->pending.n = 0;
	r->changed = true;
	s->listed = true;
}

static void finish_list(struct kube_reflector *r, struct stream *s, int rc, char *cause)
{
	int64_t delay;

	if (rc == 0 && s->resp.status == 410 && s->cont != NULL) {
		/* the continue token expired: the list from the start */
		free(s->cont);
		s->cont = NULL;
		kube_store_clear(&s->pending, s->res, -1);
		stream_due(r, s, ST_LIST_DUE, 0);
		r->stats.relists++;
		return;
	}
	if (rc == 0 && s->resp.status == 404 && defs[s->res].group >= 0) {
		/* the CRD went away since discovery: not watched, not an error */
		s->state = ST_LIST_DUE;
		s->due_at = INT64_MAX;
		s->listed = true;
		return;
	}
	if (rc == 0 && (s->resp.status < 200 || s->resp.status > 299)) {
		free(cause);
		cause = kube_status_words(s->resp.status, s->resp.body.data, s->resp.body.len, "list",
		                          defs[s->res].name, s->ns);
		rc = -1;
	}
	if (rc == 0) {
		s->list_bytes = s->cont != NULL ? s->list_bytes + s->resp.body.len : s->resp.body.len;
		if (s->list_bytes > KUBE_LIST_MAX_BYTES) {
			/* all pages together: the cache would hold it all */
			free(cause);
			cause = xasprintf("the list is over %zu MB: not kept (namespaces = narrows pods and "
			                  "events)", KUBE_LIST_MAX_BYTES >> 20);
			rc = -1;
		}
	}
	if (rc == 0 && list_page(r, s, &cause) != 0)
		rc = -1;
	if (rc != 0) {
		set_error(s, xstrdup(cause != NULL ? cause : "list failed"));
		free(cause);
		free(s->cont);
		s->cont = NULL;
		kube_store_clear(&s->pending, s->res, -1);
		kube_watch_list_result(&s->ws, false, &delay);
		stream_due(r, s, ST_LIST_DUE, delay);
		return;
	}
	free(cause);
	if (s->cont != NULL) {   /* the next page, at once */
		stream_due(r, s, ST_LIST_DUE, 0);
		return;
	}
	list_done(r, s);
	set_error(s, NULL);
	kube_watch_list_result(&s->ws, true, &delay);
	stream_due(r, s, ST_WATCH_DUE, 0);
}

static void finish_watch(struct kube_reflector *r, struct stream *s, int rc, char *cause)
{
	enum kube_watch_end end = KUBE_END_CLEAN;
	enum kube_watch_next next;
	int64_t delay;

	if (s->expired || (rc == 0 && s->resp.status == 410)) {
		end = KUBE_END_EXPIRED;
	} else if (s->event_error != NULL) {
		end = KUBE_END_HTTP_ERROR;
		set_error(s, xstrdup(s->event_error));
	} else if (rc != 0) {
		end = KUBE_END_TRANSPORT;
		set_error(s, xasprintf("watch: %s", cause != NULL ? cause : "failed"));
	} else if (s->resp.status < 200 || s->resp.status > 299) {
		char *w = kube_status_words(s->resp.status, s->resp.body.data, s->resp.body.len, "watch",
		                            defs[s->res].name, s->ns);

		end = KUBE_END_HTTP_ERROR;
		set_error(s, w);
	}
	free(cause);
	next = kube_watch_after(&s->ws, end, time_mono_ms() - s->opened_at, s->nevents, &delay);
	if (end == KUBE_END_CLEAN && s->ws.quick_closes == 0)
		set_error(s, NULL);
	else if (end == KUBE_END_CLEAN && s->ws.quick_closes >= 2)
		set_error(s, xasprintf("the watch closes at once (%d times in a row): retried in %lld s",
		                       s->ws.quick_closes, (long long)(delay + 999) / 1000));
	if (next == KUBE_NEXT_RELIST) {
		r->stats.relists++;
		stream_due(r, s, ST_LIST_DUE, delay);
	} else {
		stream_due(r, s, ST_WATCH_DUE, delay);
	}
}

static void stream_finish(struct kube_reflector *r, struct stream *s)
{
	char *cause = NULL;
	int rc = http_async_end(s->a, &cause);
	bool listing = s->state == ST_LISTING;

	s->a = NULL;
	if (listing)
		finish_list(r, s, rc, cause);
	else
		finish_watch(r, s, rc, cause);
}

bool kube_reflector_step(struct kube_reflector *r, long wait_ms)
{
	int64_t now = time_mono_ms();
	long wait = wait_ms;
	bool changed;

	for (size_t i = 0; i < r->nstreams && kube_client_has_target(r->kc); i++) {
		struct stream *s = &r->streams[i];

		if ((s->state == ST_LIST_DUE || s->state == ST_WATCH_DUE) && s->due_at <= now)
			stream_begin(r, s);
		if ((s->state == ST_LIST_DUE || s->state == ST_WATCH_DUE) && s->due_at != INT64_MAX) {
			int64_t d = s->due_at - now;

			if (d < wait)
				wait = d < 1 ? 1 : (long)d;
		}
	}
	if (http_async_run(kube_client_http(r->kc), wait) > 0)
		for (size_t i = 0; i < r->nstreams; i++) {
			struct stream *s = &r->streams[i];

			if (s->a != NULL && http_async_done(s->a))
				stream_finish(r, s);
		}
	changed = r->changed;
	r->changed = false;
	return changed;
}

struct kube_cluster *kube_reflector_snapshot(struct kube_reflector *r)
{
	const char **res = xcalloc(r->nstreams + 1, sizeof(*res));
	const char **err = xcalloc(r->nstreams + 1, sizeof(*err));
	size_t n = 0;
	struct kube_cluster *c;

	for (size_t i = 0; i < r->nstreams; i++)
		if (r->streams[i].error != NULL) {
			res[n] = defs[r->streams[i].res].name;
			err[n++] = r->streams[i].error;
		}
	c = kube_store_snapshot(r->stores, res, err, n);
	free(res);
	free(err);
	return c;
}
