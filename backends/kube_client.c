/* kube_client — HTTPS to a Kubernetes API with in-memory credentials
 * (kube_client.h): requests, discovery, readiness, and the words for what
 * the API refuses. */
#include "backends/kube_client.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode.h"
#include "core/base/util.h"

struct kube_client {
	struct http_client *http;   /* one request at a time (http_request) */
	struct http_client *streams;  /* the watches and lists side by side (http_async):
	                             * http_request on a multi handle running
	                             * other transfers would wait for them all */
	long timeout_ms;
	struct kube_target t;
	bool has_target;
	char *versions[KUBE_G_N];
};

static const char *const group_names[KUBE_G_N] = {
	[KUBE_G_METRICS] = "metrics.k8s.io",
	[KUBE_G_KUSTOMIZE] = "kustomize.toolkit.fluxcd.io",
	[KUBE_G_HELM] = "helm.toolkit.fluxcd.io",
	[KUBE_G_SOURCE] = "source.toolkit.fluxcd.io",
	[KUBE_G_ARGO] = "argoproj.io",
	[KUBE_G_LONGHORN] = "longhorn.io",
	[KUBE_G_CNPG] = "postgresql.cnpg.io",
};

static const char *const accept_json[] = { "Accept: application/json", NULL };

const char *kube_group_name(enum kube_group g)
{
	return g < KUBE_G_N ? group_names[g] : "?";
}

void kube_target_done(struct kube_target *t)
{
	free(t->api);
	free(t->unix_socket);
	free(t->via);
	kube_creds_done(&t->creds);
	memset(t, 0, sizeof *t);
}

struct kube_client *kube_client_new(const atomic_int *cancel, long timeout_ms)
{
	struct kube_client *kc = xcalloc(1, sizeof *kc);

	kc->http = http_client_new(cancel);
	kc->streams = http_client_new(cancel);
	kc->timeout_ms = timeout_ms > 0 ? timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	return kc;
}

static void clear_versions(struct kube_client *kc)
{
	for (int g = 0; g < KUBE_G_N; g++) {
		free(kc->versions[g]);
		kc->versions[g] = NULL;
	}
}

void kube_client_free(struct kube_client *kc)
{
	if (kc == NULL)
		return;
	http_client_free(kc->http);
	http_client_free(kc->streams);
	kube_target_done(&kc->t);
	clear_versions(kc);
	free(kc);
}

void kube_client_set_target(struct kube_client *kc, struct kube_target *t)
{
	kube_target_done(&kc->t);
	clear_versions(kc);
	kc->t = *t;
	memset(t, 0, sizeof *t);
	kc->has_target = true;
}

bool kube_client_has_target(const struct kube_client *kc)
{
	return kc->has_target;
}

long kube_client_timeout_ms(const struct kube_client *kc)
{
	return kc->timeout_ms;
}

const char *kube_client_via(const struct kube_client *kc)
{
	return kc->t.via;
}

struct http_client *kube_client_http(struct kube_client *kc)
{
	return kc->streams;
}

const char *kube_client_group_version(const struct kube_client *kc, enum kube_group g)
{
	return g < KUBE_G_N ? kc->versions[g] : NULL;
}

void kube_client_prepare(struct kube_client *kc, const char *path, struct http_request *req,
                         char **url_out)
{
	const struct kube_creds *c = &kc->t.creds;
	const char *api = kc->t.api != NULL ? kc->t.api : "https://127.0.0.1:6443";
	size_t n = strlen(api);

	while (n > 0 && api[n - 1] == '/')
		n--;
	*url_out = xasprintf("%.*s%s", (int)n, api, path);
	req->url = *url_out;
	req->unix_socket = kc->t.unix_socket;
	req->connect_timeout_ms = kc->timeout_ms;
	req->timeout_ms = kc->timeout_ms;
	req->gzip = true;
	req->headers = accept_json;
	req->insecure = c->insecure;
	if (c->ca_pem != NULL)
		req->ca_pem = c->ca_pem, req->ca_pem_len = c->ca_len;
	if (c->cert_pem != NULL && c->key_pem != NULL) {
		req->cert_pem = c->cert_pem, req->cert_pem_len = c->cert_len;
		req->key_pem = c->key_pem, req->key_pem_len = c->key_len;
	}
	req->bearer_token = c->token;
}

/* One request to the API on the client's own connection: method (NULL:
 * GET), body (NULL: none), max_bytes (0: HTTP's default).  As http_request. */
static int kube_client_send(struct kube_client *kc, const char *method, const char *path,
                            const char *content_type, const char *body, size_t max_bytes,
                            struct http_response *resp, char **cause)
{
	struct http_request req = { 0 };
	char *url = NULL;
	int rc;

	if (!kc->has_target) {
		util_set_cause(cause, "not connected");
		return -1;
	}
	kube_client_prepare(kc, path, &req, &url);
	req.method = method;
	req.max_bytes = max_bytes;
	if (body != NULL) {
		req.body = body;
		req.body_len = strlen(body);
		req.content_type = content_type != NULL ? content_type : "application/json";
	}
	rc = http_request(kc->http, &req, resp, cause);
	free(url);
	return rc;
}

int kube_client_request(struct kube_client *kc, const char *method, const char *path,
                        const char *content_type, const char *body, struct http_response *resp,
                        char **cause)
{
	return kube_client_send(kc, method, path, content_type, body, 0, resp, cause);
}

/* The Status object's message, when body is one (caller frees), or NULL. */
static char *status_message(const char *body, size_t len)
{
	cJSON *j = body != NULL && len > 0 ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
	char *r = cJSON_IsString(m) && m->valuestring[0] != '\0' ? xstrndup(m->valuestring, 300) : NULL;

	cJSON_Delete(j);
	return r;
}

char *kube_status_words(long status, const char *body, size_t len, const char *verb,
                        const char *resource, const char *ns)
{
	char *msg, *r;
	char *scope = ns != NULL ? xasprintf("namespace %s", ns) : xstrdup("cluster scope");

	switch (status) {
	case 401:
		r = xstrdup("unauthorized (401): the API refused the credentials");
		break;
	case 403:
		r = xasprintf("forbidden (403): cannot %s %s (%s)", verb, resource, scope);
		break;
	case 404:
		r = xasprintf("not found (404): %s", resource);
		break;
	case 410:
		r = xstrdup("expired (410): the resource version is too old");
		break;
	case 429:
		r = xstrdup("too many requests (429)");
		break;
	default:
		msg = status_message(body, len);
		r = msg != NULL ? xasprintf("HTTP %ld: %s", status, msg) : xasprintf("HTTP %ld", status);
		free(msg);
		break;
	}
	free(scope);
	return r;
}

int kube_client_get(struct kube_client *kc, const char *path, const char *verb,
                    const char *resource, size_t max_bytes, struct http_response *resp,
                    char **cause)
{
	int rc = kube_client_send(kc, NULL, path, NULL, NULL, max_bytes, resp, cause);

	if (rc == 0 && (resp->status < 200 || resp->status > 299)) {
		free(*cause);
		*cause = kube_status_words(resp->status, resp->body.data, resp->body.len, verb, resource, NULL);
		rc = -1;
	}
	return rc;
}

int kube_parse_apis(const char *json, size_t len, struct kube_apis *apis, char *versions[KUBE_G_N])
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(j, "groups"), *g;

	memset(apis, 0, sizeof *apis);
	for (int k = 0; k < KUBE_G_N; k++)
		versions[k] = NULL;
	if (!cJSON_IsArray(groups)) {
		cJSON_Delete(j);
		return -1;
	}
	cJSON_ArrayForEach(g, groups) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(g, "name");
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(g, "preferredVersion");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(pv, "version");

		if (!cJSON_IsString(name))
			continue;
		if (!cJSON_IsString(v)) {   /* no preferred: the first listed */
			const cJSON *vs = cJSON_GetObjectItemCaseSensitive(g, "versions");

			v = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(vs, 0), "version");
			if (!cJSON_IsString(v))
				continue;
		}
		for (int k = 0; k < KUBE_G_N; k++)
			if (strcmp(name->valuestring, group_names[k]) == 0 && versions[k] == NULL)
				versions[k] = xstrdup(v->valuestring);
	}
	cJSON_Delete(j);
	apis->metrics = versions[KUBE_G_METRICS] != NULL;
	apis->flux_kustomize = versions[KUBE_G_KUSTOMIZE] != NULL;
	apis->flux_helm = versions[KUBE_G_HELM] != NULL;
	apis->flux_source = versions[KUBE_G_SOURCE] != NULL;
	apis->argo = versions[KUBE_G_ARGO] != NULL;
	apis->longhorn = versions[KUBE_G_LONGHORN] != NULL;
	apis->cnpg = versions[KUBE_G_CNPG] != NULL;
	return 0;
}

int kube_client_discover(struct kube_client *kc, char **version, struct kube_apis *apis,
                         char **cause)
{
	struct http_response resp;
	int rc;

	*version = NULL;
	http_response_init(&resp);
	rc = kube_client_get(kc, "/version", "get", "version", 0, &resp, cause);
	if (rc == 0) {
		*version = kube_decode_version(resp.body.data, resp.body.len);
		rc = kube_client_get(kc, "/apis", "get", "API groups", 0, &resp, cause);
	}
	if (rc == 0) {
		clear_versions(kc);
		if (kube_parse_apis(resp.body.data, resp.body.len, apis, kc->versions) != 0) {
			util_set_cause(cause, "/apis: not an API group list");
			rc = -1;
		}
	}
	http_response_done(&resp);
	return rc;
}

int kube_client_readyz(struct kube_client *kc, char **cause)
{
	struct http_response resp;
	struct http_request req = { 0 };
	char *url = NULL;
	int rc;

	if (!kc->has_target) {
		util_set_cause(cause, "not connected");
		return -1;
	}
	http_response_init(&resp);
	kube_client_prepare(kc, "/readyz?verbose", &req, &url);
	req.headers = NULL;
	req.max_bytes = 256 * 1024;
	rc = http_request(kc->http, &req, &resp, cause);
	free(url);
	if (rc == 0 && resp.status != 200) {
		struct buf failed;
		const char *s = buf_cstr(&resp.body);

		/* the failing checks: "[-]etcd failed: reason withheld" lines */
		buf_init(&failed);
		while (s != NULL && *s != '\0') {
			const char *nl = strchr(s, '\n');
			size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);

			if (n > 3 && strncmp(s, "[-]", 3) == 0 && failed.len < 200)
				buf_printf(&failed, "%s%.*s", failed.len > 0 ? ", " : "", (int)(n - 3), s + 3);
			s = nl != NULL ? nl + 1 : NULL;
		}
		free(*cause);
		*cause = failed.len > 0 ? xasprintf("not ready: %s", buf_cstr(&failed))
		                        : kube_status_words(resp.status, resp.body.data, resp.body.len,
		                                            "get", "readyz", NULL);
		buf_done(&failed);
		rc = 1;   /* it answered */
	}
	http_response_done(&resp);
	return rc;
}
