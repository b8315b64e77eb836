/* http — the one libcurl wrapper every HTTP backend uses.
 *
 * A struct http_client owns one curl easy handle and is used by one thread at
 * a time (the source or action thread that created it); connections are kept
 * alive between requests.  http_global_init() runs once, before any thread.
 *
 * Every request is bounded: a connect timeout, a total timeout (except for
 * streams, which have a stall timeout instead), a response size cap (default
 * HTTP_DEFAULT_MAX_BYTES; exceeding it is an error, never a truncated body),
 * and the client's cancel flag, so that a source's thread can be stopped
 * while it waits on a hung peer: raised with cancel_raise() (core/cancel.h)
 * it ends the request at once; set otherwise, within a second.
 *
 * Errors are words a person understands, never holding the bearer token or
 * the password:
 *   "connection refused", "cannot connect to /run/x.sock: No such file or directory",
 *   "cannot resolve host.example",
 *   "timeout after 5 s" / "timeout after 300 ms" (the total timeout),
 *   "connect timeout after 2 s" (no connection within connect_timeout_ms),
 *   "stalled: no data for 30 s" (a stream's stall timeout),
 *   "response over 8 MB" (the cap, in MB, KB or bytes),
 *   "connection closed before the response was complete",
 *   "connection reset by the server" (a TCP reset),
 *   "connection closed before any response",
 *   "too many redirects (over 5)", "cancelled",
 *   "TLS: certificate problem: self-signed certificate", "TLS: ...".
 * A status such as 503 is not a failure: see http_status_error().
 *
 * How: the easy handle runs inside the client's own multi handle, in a loop
 * of curl_multi_perform and curl_multi_poll that checks the cancel flag and
 * the stall timeout on every turn; cancel_raise() wakes the poll.  The multi handle holds the
 * connection cache, so curl_easy_reset() between requests keeps connections
 * alive. */
#ifndef KITETOP_BACKENDS_HTTP_H
#define KITETOP_BACKENDS_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/base/buf.h"

#define HTTP_DEFAULT_MAX_BYTES ((size_t)8 * 1024 * 1024)
#define HTTP_DEFAULT_CONNECT_MS 5000
#define HTTP_DEFAULT_TIMEOUT_MS 5000

struct http_client;

/* Streaming: called with each piece of the body as it arrives (not
 * NUL-terminated; pieces split anywhere).  Return 0 to go on, -1 to stop the
 * transfer (the request then ends with 0 and resp->stopped = true).  The
 * pointer is valid only during the call: copy what you keep.
 * Only a 2xx body is streamed: the body of any other status is collected into
 * resp->body (under max_bytes) so that http_status_error() can describe it.
 * max_bytes does not limit a streamed body: the callback decides. */
typedef int (*http_stream_cb)(const char *data, size_t len, void *arg);

struct http_request {
	const char *method;          /* NULL = GET; "POST", "DELETE", ... */
	const char *url;             /* "http://localhost/v1.41/_ping" */
	const char *unix_socket;     /* CURLOPT_UNIX_SOCKET_PATH; NULL = TCP */
	long connect_timeout_ms;     /* 0 = HTTP_DEFAULT_CONNECT_MS */
	long timeout_ms;             /* total; 0 = HTTP_DEFAULT_TIMEOUT_MS; -1 = none (streams) */
	long stall_timeout_ms;       /* streams: fail when no byte came for this long (0 = none) */
	size_t max_bytes;            /* 0 = HTTP_DEFAULT_MAX_BYTES; a larger
	                              * Content-Length is refused before the body */
	const char *body;            /* request body, or NULL */
	size_t body_len;
	const char *content_type;    /* with body, e.g. "application/json" */
	const char *bearer_token;    /* Authorization: Bearer ...; never logged */
	const char *basic_user;      /* HTTP basic auth (with basic_password) */
	const char *basic_password;
	const char *ca_file;         /* TLS */
	const char *cert_file;
	const char *key_file;
	/* TLS material in memory (a kubeconfig's): PEM, borrowed for the
	 * transfer and never copied (CURL_BLOB_NOCOPY), so that the owner can
	 * wipe it; never written to disk, never in a message.  Used instead of
	 * the *_file of the same role when set. */
	const char *ca_pem;          /* CURLOPT_CAINFO_BLOB */
	size_t ca_pem_len;
	const char *cert_pem;        /* CURLOPT_SSLCERT_BLOB, type PEM */
	size_t cert_pem_len;
	const char *key_pem;         /* CURLOPT_SSLKEY_BLOB */
	size_t key_pem_len;
	bool insecure;               /* skip TLS verification: only when configured */
	bool gzip;                   /* Accept-Encoding: every encoding libcurl decodes */
	bool follow_redirects;       /* at most 5 */
	const char *const *headers;  /* extra "Name: value" lines, NULL-terminated */
	http_stream_cb on_data;      /* NULL = collect the body into resp->body */
	void *on_data_arg;
};

struct http_response {
	long status;                 /* HTTP status; 0 when no response */
	struct buf body;             /* the body (unless streamed); empty after a
	                              * failure, never a truncated body.  Its
	                              * memory never exceeds max_bytes + 1. */
	double total_ms;             /* time the request took */
	long retry_after_s;          /* Retry-After header in seconds, or -1 */
	char *api_version;           /* the Api-Version header (Docker), or NULL */
	bool stopped;                /* a stream callback asked to stop */
};

/* Once per process, before threads (curl_global_init).  Also ignores
 * SIGPIPE, which libcurl leaves to us with CURLOPT_NOSIGNAL. */
void http_global_init(void);
void http_global_cleanup(void);

/* cancel may be NULL; when it is raised (cancel_raise), any request in
 * progress ends at once with the error "cancelled" (a flag set without
 * cancel_raise: within HTTP's 1 s safety poll).  The flag is borrowed. */
struct http_client *http_client_new(const atomic_int *cancel);
void http_client_free(struct http_client *c);
/* Keeps up to n idle connections between requests (keep-alive; 0: libcurl's
 * default, 4 per transfer running, which keeps few once a round of many
 * ends).  Each kept connection through an SSH tunnel holds a channel. */
void http_client_keep(struct http_client *c, size_t n);

void http_response_init(struct http_response *r);
void http_response_done(struct http_response *r);

/* Performs the request.  Returns 0 when a complete HTTP response arrived
 * (whatever its status: check resp->status), -1 on a transport failure with
 * *cause set (caller frees; a previous *cause is freed).  resp is reset first
 * (its body memory kept for reuse).  The request's strings are borrowed for
 * the call only.  Only the last response of a redirect chain is seen. */
int http_request(struct http_client *c, const struct http_request *req,
                 struct http_response *resp, char **cause);

/* A request among several that http_request_many() runs at once. */
struct http_many_item {
	const struct http_request *req;   /* borrowed for the call */
	int group;                        /* 0..; at most per_group of a group at once */
	struct http_response *resp;       /* the caller's, initialised */
	char *cause;                      /* on failure (caller frees); NULL before */
	int rc;                           /* set: what http_request would return */
};

/* Runs every item's request in the calling thread, at once (the client's
 * multi handle: its connection cache is theirs), at most max_inflight (0:
 * all) in flight and at most per_group of one group; each one bounded and
 * reported as http_request would.  The client's cancel flag ends them all,
 * and the ones not started, with "cancelled".  Returns when all ended. */
void http_request_many(struct http_client *c, struct http_many_item *items, size_t n,
                       size_t max_inflight, size_t per_group);

/* ---- transfers that run side by side, for as long as they last (http_async.c) ----
 *
 * For a thread that holds several long-lived streams at once (a cluster's
 * watches) and starts and ends them as it goes: each one is a transfer on
 * the client's multi handle, bounded like http_request's (connect, total or
 * stall timeout, size cap, cancel flag).  One thread only, the client's. */
struct http_async;

/* Starts req (borrowed until http_async_end) into resp.  NULL and *cause
 * when it cannot start. */
struct http_async *http_async_start(struct http_client *c, const struct http_request *req,
                                    struct http_response *resp, char **cause);
/* Moves every started transfer on, waiting at most wait_ms for something to
 * happen (data, an end, a timeout, http_client_wakeup, a cancel).  Returns
 * how many transfers have ended and wait for http_async_end. */
int http_async_run(struct http_client *c, long wait_ms);
bool http_async_done(const struct http_async *a);
/* Ends a (finished or not: it is aborted) transfer and frees the handle:
 * what http_request would return, *cause set on -1. */
int http_async_end(struct http_async *a, char **cause);
/* Wakes an http_async_run waiting on another thread (curl_multi_wakeup). */
void http_client_wakeup(struct http_client *c);

/* "HTTP 503" or, when the body is short one-line text or JSON with a
 * "message"/"error" string, "HTTP 503: <that text>".  Caller frees. */
char *http_status_error(const struct http_response *resp);

/* Percent-encodes s for a URL query value.  Caller frees. */
char *http_escape(const char *s);

#endif
