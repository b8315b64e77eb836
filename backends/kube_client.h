/* kube_client — HTTPS to a Kubernetes API server with credentials kept in
 * memory (a kubeconfig's PEM blobs or a bearer token, never on disk), over a
 * unix socket that reaches the API (an SSH route: the caller resolves it;
 * backends/ know nothing of SSH) or directly.
 *
 * One thread: the one that created the client (a cluster's reflector
 * thread, or an action's).  Every call is bounded by the client's timeout
 * and its cancel flag.  Errors are words without secrets:
 *   "TLS: certificate problem: certificate has expired",
 *   "unauthorized (401): the API refused the credentials",
 *   "forbidden (403): cannot list pods (cluster scope)",
 *   "timeout after 5 s". */
#ifndef KITETOP_BACKENDS_KUBE_CLIENT_H
#define KITETOP_BACKENDS_KUBE_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "backends/http.h"
#include "backends/kube_types.h"
#include "backends/kubeconfig.h"

/* A list over this (one answer, or its pages together) is refused: a clear
 * error on the resource, its objects not kept. */
#define KUBE_LIST_MAX_BYTES ((size_t)32 * 1024 * 1024)
#define KUBE_LIST_LIMIT 500

/* Where the API is and how to prove who we are. */
struct kube_target {
	char *api;                  /* "https://127.0.0.1:6443", as the via host sees it */
	char *unix_socket;          /* a socket that reaches it, or NULL: direct */
	char *via;                  /* the server host's name (messages), or NULL */
	struct kube_creds creds;    /* server/ca/cert/key/token; wiped when done */
};
void kube_target_done(struct kube_target *t);

struct kube_client;

/* timeout_ms bounds every request but the watches. */
struct kube_client *kube_client_new(const atomic_int *cancel, long timeout_ms);
void kube_client_free(struct kube_client *kc);
/* Takes over *t (left empty); the previous target's secrets are wiped. */
void kube_client_set_target(struct kube_client *kc, struct kube_target *t);
bool kube_client_has_target(const struct kube_client *kc);
long kube_client_timeout_ms(const struct kube_client *kc);
const char *kube_client_via(const struct kube_client *kc);
/* The client's HTTP client for http_async transfers (a multi handle of
 * their own: kube_client_request and the others use another). */
struct http_client *kube_client_http(struct kube_client *kc);

/* Fills req (zeroed by the caller) for path ("/api/v1/pods?limit=500"):
 * url (*url_out, caller frees), socket, TLS blobs or token, timeouts, gzip,
 * Accept: application/json.  The strings stay the client's: valid until the
 * target changes. */
void kube_client_prepare(struct kube_client *kc, const char *path, struct http_request *req,
                         char **url_out);

/* One bounded request (an action's: a PATCH, an eviction; or a GET).
 * body NULL for none.  0 when a response came (any status: see
 * kube_status_words), -1 and *cause otherwise. */
int kube_client_request(struct kube_client *kc, const char *method, const char *path,
                        const char *content_type, const char *body, struct http_response *resp,
                        char **cause);

/* GET path expecting 2xx: the body in resp, or -1 and *cause in words
 * (verb and resource name the failure, e.g. "list", "pods"). */
int kube_client_get(struct kube_client *kc, const char *path, const char *verb,
                    const char *resource, size_t max_bytes, struct http_response *resp,
                    char **cause);

/* The optional API groups discovery looks for. */
enum kube_group {
	KUBE_G_METRICS, KUBE_G_KUSTOMIZE, KUBE_G_HELM, KUBE_G_SOURCE, KUBE_G_ARGO, KUBE_G_LONGHORN,
	KUBE_G_CNPG, KUBE_G_N
};
const char *kube_group_name(enum kube_group g);   /* "metrics.k8s.io" */
/* The version discovery chose for g ("v1beta2"), or NULL when absent. */
const char *kube_client_group_version(const struct kube_client *kc, enum kube_group g);

/* /version and /apis: the version (caller frees) and which optional APIs
 * exist.  -1 and *cause when the API cannot be reached or refuses. */
int kube_client_discover(struct kube_client *kc, char **version, struct kube_apis *apis,
                         char **cause);
/* /readyz?verbose: 0 when ready; 1 with *cause when the API answered but
 * is not ready (the failing checks: "not ready: etcd failed: reason
 * withheld") or refused ("forbidden (403): ..."); -1 with *cause when it
 * cannot be asked (unreachable, a timeout: the connection is in doubt). */
int kube_client_readyz(struct kube_client *kc, char **cause);

/* The words for a non-2xx answer to `verb resource` (namespace NULL: the
 * cluster scope): "forbidden (403): cannot list pods (cluster scope)",
 * "unauthorized (401): the API refused the credentials", "not found (404)",
 * "HTTP 500: <the Status message>".  Pure.  Caller frees. */
char *kube_status_words(long status, const char *body, size_t len, const char *verb,
                        const char *resource, const char *ns);

/* Which optional APIs an APIGroupList (/apis) names, and each one's
 * preferred version (versions[g], caller frees each; NULL when absent).
 * Pure; -1 when the JSON is not one. */
int kube_parse_apis(const char *json, size_t len, struct kube_apis *apis,
                    char *versions[KUBE_G_N]);

#endif
