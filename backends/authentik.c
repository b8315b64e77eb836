/* authentik — see authentik.h. */
#include "backends/authentik.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define AUTHENTIK_MAX_BYTES ((size_t)4 * 1024 * 1024)
#define AUTHENTIK_MAX_PAGES 10

void authentik_info_init(struct authentik_info *i)
{
	memset(i, 0, sizeof *i);
	i->workers = -1;
}

void authentik_info_done(struct authentik_info *i)
{
	for (size_t k = 0; k < i->n_outposts; k++)
		free(i->outposts[k].error);
	free(i->outposts);
	free(i->error);
	authentik_info_init(i);
}

void authentik_health_done(struct authentik_health *h)
{
	free(h->error);
	*h = (struct authentik_health){ .live_ms = -1 };
}

void authentik_health_paths(const char *base, char **live, char **ready)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	*live = xasprintf("%.*s/-/health/live/", (int)n, base);
	*ready = xasprintf("%.*s/-/health/ready/", (int)n, base);
}

static bool authentik_2xx(const struct probe_result *r)
{
	return r->done && r->status >= 200 && r->status <= 299;
}

void authentik_health_judge(const struct probe_result *live, const struct probe_result *ready,
                            struct authentik_health *h)
{
	*h = (struct authentik_health){ .live_ms = -1 };
	h->live = authentik_2xx(live);
	h->ready = authentik_2xx(ready);
	if (live->done && live->status > 0)
		h->live_ms = live->ms;
	if (!h->live) {
		h->error = xasprintf("live: %s", live->error != NULL ? live->error :
		                     live->done ? "no answer" : "not probed");
	} else if (!h->ready) {
		const char *why = ready->error != NULL ? ready->error :
		                  ready->done ? "no answer" : "not probed";

		if (ready->status == 503 && strcmp(why, "HTTP 503") == 0)
			h->error = xstrdup("not ready: HTTP 503 (database or cache unreachable)");
		else
			h->error = xasprintf("not ready: %s", why);
	}
}

/* The body's first non-blank byte, or 0. */
static char authentik_first(const char *body, size_t len)
{
	for (size_t i = 0; body != NULL && i < len; i++)
		if (!isspace((unsigned char)body[i]))
			return body[i];
	return 0;
}

/* A JSON object's "detail" or "error" string, or NULL. */
static const char *authentik_json_message(const cJSON *root)
{
	static const char *const keys[] = { "detail", "error", "message" };

	if (!cJSON_IsObject(root))
		return NULL;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, keys[i]);

		if (cJSON_IsString(m) && m->valuestring[0] != '\0')
			return m->valuestring;
	}
	return NULL;
}

/* s cut at 120 bytes, control characters as spaces.  Caller frees. */
static char *authentik_clean(const char *s)
{
	size_t n = strnlen(s, 120);
	char *out = xstrndup(s, n);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	return out;
}

char *authentik_describe_failure(const char *what, long status, const char *body, size_t len)
{
	char first = authentik_first(body, len);
	char *msg = NULL, *out;

	if (first == '{') {
		cJSON *root = cJSON_ParseWithLength(body, len);
		const char *m = authentik_json_message(root);

		if (m != NULL)
			msg = authentik_clean(m);
		cJSON_Delete(root);
	}
	if (status == 401 || status == 403)
		out = xasprintf("authentik: token refused (%s)", msg != NULL ? msg : "HTTP 403");
	else if (first == '<')
		out = xasprintf("authentik: %s: HTTP %ld%s (an HTML page)", what, status,
		                status == 502 || status == 503 || status == 504 ? " from a proxy" : "");
	else if (msg != NULL)
		out = xasprintf("authentik: %s: HTTP %ld: %s", what, status, msg);
	else {
		struct http_response resp;
		char *s;

		http_response_init(&resp);
		resp.status = status;
		if (body != NULL && len > 0)
			buf_append(&resp.body, body, len);
		s = http_status_error(&resp);
		http_response_done(&resp);
		out = xasprintf("authentik: %s: %s", what, s);
		free(s);
	}
	free(msg);
	return out;
}

/* Parses body as JSON; NULL and *cause when it is not, or when it is
 * authentik's {"error": "..."} (a starting core answers that with 200). */
static cJSON *authentik_parse(const char *what, const char *body, size_t len, char **cause)
{
	cJSON *root;
	const cJSON *err;
	char first = authentik_first(body, len);

	if (first == '<') {
		util_set_cause(cause, "authentik: %s: an HTML page where JSON was expected (a proxy's or login page?)", what);
		return NULL;
	}
	root = body != NULL ? cJSON_ParseWithLength(body, len) : NULL;
	if (root == NULL) {
		util_set_cause(cause, "authentik: %s: not JSON", what);
		return NULL;
	}
	err = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "error") : NULL;
	if (cJSON_IsString(err)) {
		char *m = authentik_clean(err->valuestring);

		if (strstr(m, "starting") != NULL)
			util_set_cause(cause, "authentik: starting (%s)", m);
		else
			util_set_cause(cause, "authentik: %s: %s", what, m);
		free(m);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static void authentik_copy(char *dst, size_t n, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	dst[0] = '\0';
	if (cJSON_IsString(v))
		util_strlcpy(dst, v->valuestring, n);
	else if (cJSON_IsNumber(v))
		snprintf(dst, n, "%.0f", v->valuedouble);
}

static bool authentik_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

int authentik_parse_version(const char *body, size_t len, struct authentik_version *v,
                            char **cause)
{
	cJSON *root = authentik_parse("version", body, len, cause);

	memset(v, 0, sizeof *v);
	if (root == NULL)
		return -1;
	if (!cJSON_IsObject(root) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "version_current"))) {
		util_set_cause(cause, "authentik: version: no version_current in the answer");
		cJSON_Delete(root);
		return -1;
	}
	authentik_copy(v->current, sizeof v->current, root, "version_current");
	authentik_copy(v->latest, sizeof v->latest, root, "version_latest");
	v->latest_valid = authentik_bool(root, "version_latest_valid");
	v->outdated = authentik_bool(root, "outdated");
	v->outpost_outdated = authentik_bool(root, "outpost_outdated");
	cJSON_Delete(root);
	return 0;
}

int authentik_parse_workers(const char *body, size_t len, int *count, int *mismatched,
                            char **cause)
{
	cJSON *root = authentik_parse("workers", body, len, cause);
	const cJSON *c, *w;

	*count = -1;
	*mismatched = 0;
	if (root == NULL)
		return -1;
	if (cJSON_IsArray(root)) {
		int n = 0;

		cJSON_ArrayForEach(w, root) {
			if (!cJSON_IsObject(w))
				continue;
			n++;
			c = cJSON_GetObjectItemCaseSensitive(w, "version_matching");
			if (cJSON_IsFalse(c))
				(*mismatched)++;
		}
		*count = n;
	} else if (cJSON_IsObject(root) &&
	           cJSON_IsNumber(c = cJSON_GetObjectItemCaseSensitive(root, "count")) &&
	           c->valuedouble >= 0 && c->valuedouble < 1e6) {
		*count = (int)c->valuedouble;
	} else {
		util_set_cause(cause, "authentik: workers: neither a list nor a count");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_Delete(root);
	return 0;
}

int authentik_parse_outposts(const char *body, size_t len, struct authentik_outpost **out,
                             size_t *n, int *next, char **cause)
{
	cJSON *root = authentik_parse("outposts", body, len, cause);
	const cJSON *results, *r, *pg, *nx;

	*next = 0;
	if (root == NULL)
		return -1;
	results = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "results") : NULL;
	if (!cJSON_IsArray(results)) {
		util_set_cause(cause, "authentik: outposts: no results list in the answer");
		cJSON_Delete(root);
		return -1;
	}
	pg = cJSON_GetObjectItemCaseSensitive(root, "pagination");
	nx = cJSON_IsObject(pg) ? cJSON_GetObjectItemCaseSensitive(pg, "next") : NULL;
	if (cJSON_IsNumber(nx) && nx->valuedouble >= 1 && nx->valuedouble < 1e6)
		*next = (int)nx->valuedouble;
	cJSON_ArrayForEach(r, results) {
		struct authentik_outpost o = { .instances = -1 };

		if (*n >= AUTHENTIK_MAX_OUTPOSTS)
			break;
		if (!cJSON_IsObject(r))
			continue;
		authentik_copy(o.pk, sizeof o.pk, r, "pk");
		if (o.pk[0] == '\0')
			continue;
		authentik_copy(o.name, sizeof o.name, r, "name");
		authentik_copy(o.type, sizeof o.type, r, "type");
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = o;
	}
	cJSON_Delete(root);
	return 0;
}

int authentik_parse_outpost_health(const char *body, size_t len, int64_t now_ms,
                                   struct authentik_outpost *o, char **cause)
{
	cJSON *root = authentik_parse("outpost health", body, len, cause);
	const cJSON *e;

	if (root == NULL)
		return -1;
	if (!cJSON_IsArray(root)) {
		util_set_cause(cause, "authentik: outpost health: not a list");
		cJSON_Delete(root);
		return -1;
	}
	o->instances = o->healthy = o->outdated = 0;
	cJSON_ArrayForEach(e, root) {
		const cJSON *seen;
		int64_t when;

		if (!cJSON_IsObject(e))
			continue;
		o->instances++;
		seen = cJSON_GetObjectItemCaseSensitive(e, "last_seen");
		if (cJSON_IsString(seen) && time_parse_iso8601(seen->valuestring, &when) == 0 &&
		    now_ms - when <= AUTHENTIK_OUTPOST_STALE_MS)
			o->healthy++;
		if (authentik_bool(e, "version_outdated"))
			o->outdated++;
	}
	cJSON_Delete(root);
	return 0;
}

/* GET base + path with the token; the body into resp.  0, or -1 and *cause. */
static int authentik_get(const struct authentik_api *api, const char *what, const char *path,
                         struct http_response *resp, char **cause)
{
	size_t n = strlen(api->base_url);
	char *url;
	struct http_request req = { 0 };
	char *err = NULL;
	int rc;

	while (n > 0 && api->base_url[n - 1] == '/')
		n--;
	url = xasprintf("%.*s%s", (int)n, api->base_url, path);
	req.url = url;
	req.unix_socket = api->unix_socket;
	req.timeout_ms = api->timeout_ms;
	req.connect_timeout_ms = api->timeout_ms;
	req.max_bytes = AUTHENTIK_MAX_BYTES;
	req.bearer_token = api->token;
	req.ca_file = api->ca_file;
	req.insecure = api->insecure;
	rc = http_request(api->http, &req, resp, &err);
	free(url);
	if (rc == -1) {
		util_set_cause(cause, "authentik: %s: %s", what, err);
		free(err);
		return -1;
	}
	if (resp->status < 200 || resp->status > 299) {
		free(*cause);
		*cause = authentik_describe_failure(what, resp->status, resp->body.data, resp->body.len);
		return -1;
	}
	return 0;
}

int authentik_fetch(const struct authentik_api *api, struct authentik_info *out, char **cause)
{
	struct http_response resp;
	int64_t now = api->now_ms != 0 ? api->now_ms : time_real_ms();
	int rc = -1, page = 1;

	authentik_info_done(out);
	if (api->token == NULL) {
		util_set_cause(cause, "authentik: no token (token_file or token_env) for the API");
		return -1;
	}
	http_response_init(&resp);
	if (authentik_get(api, "version", "/api/v3/admin/version/", &resp, cause) == -1 ||
	    authentik_parse_version(resp.body.data, resp.body.len, &out->version, cause) == -1)
		goto done;
	out->have_version = true;
	if (authentik_get(api, "workers", "/api/v3/admin/workers/", &resp, cause) == -1 ||
	    authentik_parse_workers(resp.body.data, resp.body.len, &out->workers,
	                            &out->workers_mismatched, cause) == -1)
		goto done;
	for (int pages = 0; page > 0 && pages < AUTHENTIK_MAX_PAGES; pages++) {
		char *path = xasprintf("/api/v3/outposts/instances/?page=%d", page);
		int r = authentik_get(api, "outposts", path, &resp, cause);

		free(path);
		if (r == -1 || authentik_parse_outposts(resp.body.data, resp.body.len, &out->outposts,
		                                        &out->n_outposts, &page, cause) == -1)
			goto done;
	}
	for (size_t i = 0; i < out->n_outposts; i++) {
		struct authentik_outpost *o = &out->outposts[i];
		char *esc = http_escape(o->pk);
		char *path = xasprintf("/api/v3/outposts/instances/%s/health/", esc);
		char *err = NULL;

		if (authentik_get(api, "outpost health", path, &resp, &err) == -1 ||
		    authentik_parse_outpost_health(resp.body.data, resp.body.len, now, o, &err) == -1)
			o->error = err;
		else
			free(err);
		free(path);
		free(esc);
	}
	rc = 0;
done:
	if (rc == -1 && cause != NULL && *cause != NULL)
		out->error = xstrdup(*cause);
	http_response_done(&resp);
	return rc;
}
