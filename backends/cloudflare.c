/* cloudflare — see cloudflare.h. */
#include "backends/cloudflare.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define CF_MAX_BYTES ((size_t)4 * 1024 * 1024)

const char *cf_status_name(enum cf_status s)
{
	switch (s) {
	case CF_STATUS_HEALTHY: return "healthy";
	case CF_STATUS_DEGRADED: return "degraded";
	case CF_STATUS_DOWN: return "down";
	case CF_STATUS_INACTIVE: return "inactive";
	default: return "unknown";
	}
}

static enum cf_status status_parse(const char *s)
{
	if (s == NULL)
		return CF_STATUS_UNKNOWN;
	if (strcmp(s, "healthy") == 0)
		return CF_STATUS_HEALTHY;
	if (strcmp(s, "degraded") == 0)
		return CF_STATUS_DEGRADED;
	if (strcmp(s, "down") == 0)
		return CF_STATUS_DOWN;
	if (strcmp(s, "inactive") == 0)
		return CF_STATUS_INACTIVE;
	return CF_STATUS_UNKNOWN;
}

void cf_tunnel_init(struct cf_tunnel *t)
{
	memset(t, 0, sizeof(*t));
}

void cf_tunnel_done(struct cf_tunnel *t)
{
	free(t->connectors);
	cf_tunnel_init(t);
}

size_t cf_tunnel_live(const struct cf_tunnel *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->n_connectors; i++)
		n += t->connectors[i].live;
	return n;
}

/* ---- typed field access: a field of the wrong type is absent ---- */

static const char *get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool get_bool(const cJSON *o, const char *key, bool dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

/* A JSON number that is an int, else dflt. */
static int get_int(const cJSON *o, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= INT_MIN && v->valuedouble <= INT_MAX))
		return dflt;
	return (int)v->valuedouble;
}

/* Sanitised copy of s (NULL: "") into dst of size n. */
static void copy_text(char *dst, size_t n, const char *s)
{
	char *clean = util_text_sanitize(s != NULL ? s : "", n - 1);

	util_strlcpy(dst, clean, n);
	free(clean);
}

/* ---- the envelope ---- */

static bool looks_html(const char *body, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return i < len && body[i] == '<';
}

/* "Authentication error (10000); ..." from errors[], or NULL when it has none. */
static char *errors_words(const cJSON *root)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors"), *e;
	struct buf b;
	int n = 0;

	if (!cJSON_IsArray(errs))
		return NULL;
	buf_init(&b);
	cJSON_ArrayForEach(e, errs) {
		char msg[CF_TEXT_LEN];
		int code;

		if (!cJSON_IsObject(e))
			continue;
		if (n == CF_MAX_ERRORS) {
			buf_puts(&b, "; ...");
			break;
		}
		copy_text(msg, sizeof(msg), get_str(e, "message"));
		code = get_int(e, "code", -1);
		if (n > 0)
			buf_puts(&b, "; ");
		if (msg[0] == '\0')
			buf_puts(&b, "error");
		else
			buf_puts(&b, msg);
		if (code >= 0)
			buf_printf(&b, " (%d)", code);
		n++;
	}
	if (n == 0) {
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Parses an envelope and returns its result (owned by *root, which the caller
 * deletes), or NULL with *cause. */
static const cJSON *envelope_result(const char *json, size_t len, cJSON **root, char **cause)
{
	const cJSON *success, *result;
	char *words;

	*root = cJSON_ParseWithLength(json, len);
	if (*root == NULL) {
		util_set_cause(cause, "cloudflare: not JSON%s",
		               looks_html(json, len) ? " (HTML page?)" : "");
		return NULL;
	}
	if (!cJSON_IsObject(*root)) {
		util_set_cause(cause, "cloudflare: not an API envelope");
		return NULL;
	}
	success = cJSON_GetObjectItemCaseSensitive(*root, "success");
	if (!cJSON_IsBool(success)) {
		util_set_cause(cause, "cloudflare: not an API envelope (no \"success\")");
		return NULL;
	}
	if (!cJSON_IsTrue(success)) {
		words = errors_words(*root);
		util_set_cause(cause, "cloudflare: %s", words != NULL ? words : "request failed");
		free(words);
		return NULL;
	}
	result = cJSON_GetObjectItemCaseSensitive(*root, "result");
	if (result == NULL || cJSON_IsNull(result)) {
		util_set_cause(cause, "cloudflare: no result");
		return NULL;
	}
	return result;
}

int cf_parse_tunnel(const char *json, size_t len, struct cf_tunnel *t, char **cause)
{
	cJSON *root;
	const cJSON *r = envelope_result(json, len, &root, cause);

	if (r == NULL) {
		cJSON_Delete(root);
		return -1;
	}
	if (!cJSON_IsObject(r)) {
		util_set_cause(cause, "cloudflare: the tunnel is not an object");
		cJSON_Delete(root);
		return -1;
	}
	copy_text(t->id, sizeof(t->id), get_str(r, "id"));
	copy_text(t->name, sizeof(t->name), get_str(r, "name"));
	t->status = status_parse(get_str(r, "status"));
	cJSON_Delete(root);
	return 0;
}

static void parse_time(char *dst, size_t n, int64_t *ms, const char *s)
{
	copy_text(dst, n, s);
	if (s == NULL || time_parse_iso8601(s, ms) != 0)
		*ms = 0;
}

static void parse_connector(const cJSON *e, struct cf_connector *c, size_t *dropped)
{
	const cJSON *conns, *k;

	memset(c, 0, sizeof(*c));
	c->host = -1;
	copy_text(c->id, sizeof(c->id), get_str(e, "id"));
	copy_text(c->arch, sizeof(c->arch), get_str(e, "arch"));
	copy_text(c->version, sizeof(c->version), get_str(e, "version"));
	parse_time(c->run_at, sizeof(c->run_at), &c->run_at_ms, get_str(e, "run_at"));
	conns = cJSON_GetObjectItemCaseSensitive(e, "conns");
	if (!cJSON_IsArray(conns))
		return;
	cJSON_ArrayForEach(k, conns) {
		struct cf_conn *x;

		if (!cJSON_IsObject(k))
			continue;
		if (c->n_conns == CF_MAX_CONNS) {
			(*dropped)++;
			continue;
		}
		x = &c->conns[c->n_conns++];
		copy_text(x->colo, sizeof(x->colo), get_str(k, "colo_name"));
		copy_text(x->origin_ip, sizeof(x->origin_ip), get_str(k, "origin_ip"));
		parse_time(x->opened_at, sizeof(x->opened_at), &x->opened_at_ms,
		           get_str(k, "opened_at"));
		/* absent: count it as live, as the API sends it on every connection */
		x->pending = get_bool(k, "is_pending_reconnect", false);
		if (!x->pending)
			c->live++;
	}
}

int cf_parse_connections(const char *json, size_t len, struct cf_tunnel *t, char **cause)
{
	cJSON *root;
	const cJSON *r, *e;
	size_t n = 0;

	free(t->connectors);
	t->connectors = NULL;
	t->n_connectors = 0;
	t->dropped = 0;
	r = envelope_result(json, len, &root, cause);
	if (r == NULL) {
		cJSON_Delete(root);
		return -1;
	}
	if (!cJSON_IsArray(r)) {
		util_set_cause(cause, "cloudflare: the connections are not a list");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(e, r)
		if (cJSON_IsObject(e) && get_str(e, "id") != NULL && n < CF_MAX_CONNECTORS)
			n++;
	if (n > 0)
		t->connectors = xcalloc(n, sizeof(*t->connectors));
	cJSON_ArrayForEach(e, r) {
		const char *id;

		if (!cJSON_IsObject(e) || (id = get_str(e, "id")) == NULL || id[0] == '\0')
			continue;
		if (t->n_connectors == n) {
			t->dropped++;
			continue;
		}
		parse_connector(e, &t->connectors[t->n_connectors++], &t->dropped);
	}
	cJSON_Delete(root);
	return 0;
}

char *cf_describe_failure(long http_status, long retry_after_s, const char *body, size_t len)
{
	cJSON *root;
	char *words = NULL, *out;

	if (http_status == 429) {
		if (retry_after_s >= 0)
			return xasprintf("cloudflare: HTTP 429, retry after %ld s", retry_after_s);
		return xstrdup("cloudflare: HTTP 429, rate-limited");
	}
	root = body != NULL ? cJSON_ParseWithLength(body, len) : NULL;
	if (root != NULL && cJSON_IsObject(root))
		words = errors_words(root);
	cJSON_Delete(root);
	if (words != NULL) {
		out = xasprintf("cloudflare: %s", words);
		free(words);
		return out;
	}
	if (body != NULL && looks_html(body, len))
		return xasprintf("cloudflare: HTTP %ld, not JSON (HTML page?)", http_status);
	return xasprintf("cloudflare: HTTP %ld", http_status);
}

/* ---- cloudflared /ready ---- */

int cf_parse_ready(const char *json, size_t len, struct cf_ready *out, char **cause)
{
	cJSON *root = cJSON_ParseWithLength(json, len);

	memset(out, 0, sizeof(*out));
	out->ready_connections = -1;
	if (root == NULL) {
		util_set_cause(cause, "cloudflared /ready: not JSON");
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		util_set_cause(cause, "cloudflared /ready: not an object");
		cJSON_Delete(root);
		return -1;
	}
	out->status = get_int(root, "status", 0);
	out->ready_connections = get_int(root, "readyConnections", -1);
	copy_text(out->connector_id, sizeof(out->connector_id), get_str(root, "connectorId"));
	cJSON_Delete(root);
	return 0;
}

/* ---- matching ---- */

static bool known(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static bool has_origin(const struct cf_connector *c, const char *ip)
{
	size_t i;

	for (i = 0; i < c->n_conns; i++)
		if (strcmp(c->conns[i].origin_ip, ip) == 0)
			return true;
	return false;
}

void cf_match(struct cf_tunnel *t, const struct cf_host *hosts, size_t n_hosts)
{
	size_t i, h;

	for (i = 0; i < t->n_connectors; i++) {
		struct cf_connector *c = &t->connectors[i];
		int by_ip = -1, n_ip = 0;

		c->host = -1;
		c->matched_by = CF_MATCH_NONE;
		for (h = 0; h < n_hosts && h < (size_t)INT_MAX; h++) {
			if (known(hosts[h].connector_id) && strcmp(hosts[h].connector_id, c->id) == 0) {
				c->host = (int)h;
				c->matched_by = CF_MATCH_ID;
				break;
			}
			if (known(hosts[h].origin_ip) && has_origin(c, hosts[h].origin_ip)) {
				by_ip = (int)h;
				n_ip++;
			}
		}
		if (c->matched_by == CF_MATCH_NONE && n_ip == 1) {
			c->host = by_ip;
			c->matched_by = CF_MATCH_IP;
		}
	}
}

/* ---- the client ---- */

static int get(struct http_client *c, const char *url, const char *token,
               struct http_response *resp, char **cause)
{
	struct http_request req = {
		.url = url,
		.bearer_token = token,
		.timeout_ms = CF_TIMEOUT_MS,
		.max_bytes = CF_MAX_BYTES,
	};
	char *err = NULL;

	if (http_request(c, &req, resp, &err) != 0) {
		util_set_cause(cause, "cloudflare: %s", err != NULL ? err : "request failed");
		free(err);
		return -1;
	}
	if (resp->status < 200 || resp->status > 299) {
		free(*cause);
		*cause = cf_describe_failure(resp->status, resp->retry_after_s, resp->body.data,
		                             resp->body.len);
		return -1;
	}
	return 0;
}

int cf_fetch(struct http_client *c, const char *api_url, const char *account_id,
             const char *tunnel_id, const char *token, struct cf_tunnel *out, char **cause)
{
	struct http_response resp;
	char *acct, *tun, *url;
	size_t n;
	int rc = -1;

	cf_tunnel_done(out);
	if (!known(api_url) || !known(account_id) || !known(tunnel_id)) {
		util_set_cause(cause, "cloudflare: api_url, account_id and tunnel_id are needed");
		return -1;
	}
	if (!known(token)) {
		util_set_cause(cause, "cloudflare: no API token");
		return -1;
	}
	n = strlen(api_url);
	while (n > 0 && api_url[n - 1] == '/')
		n--;
	acct = http_escape(account_id);
	tun = http_escape(tunnel_id);
	url = xasprintf("%.*s/accounts/%s/cfd_tunnel/%s", (int)(n > 4096 ? 4096 : n), api_url,
	                acct, tun);
	http_response_init(&resp);
	if (get(c, url, token, &resp, cause) == 0 &&
	    cf_parse_tunnel(resp.body.data, resp.body.len, out, cause) == 0) {
		char *curl = xasprintf("%s/connections", url);

		if (get(c, curl, token, &resp, cause) == 0 &&
		    cf_parse_connections(resp.body.data, resp.body.len, out, cause) == 0)
			rc = 0;
		free(curl);
	}
	http_response_done(&resp);
	free(url);
	free(tun);
	free(acct);
	return rc;
}
