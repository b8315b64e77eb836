/* http_internal — what the modules of the HTTP wrapper share and no other
 * file sees: the client, one transfer's state and the steps of a transfer.
 * http.c runs one request; http_many.c runs several at once on a client's
 * multi handle; http_error.c puts a failed transfer into words. */
#ifndef KITETOP_BACKENDS_HTTP_INTERNAL_H
#define KITETOP_BACKENDS_HTTP_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "backends/http.h"

#define HTTP_POLL_MS 1000        /* a safety net: every cancel is raised with cancel_raise() */
#define HTTP_STREAM_POLL_MS 30000 /* the same for an open-ended stream (no total and no
                                   * stall timeout: Docker's events, a followed log),
                                   * which may idle for hours: a look every second
                                   * would be its only wake-up */
#define HTTP_MAX_REDIRECTS 5L

enum http_abort {
	HTTP_ABORT_NONE,
	HTTP_ABORT_CANCEL,
	HTTP_ABORT_STALL,
	HTTP_ABORT_CAP,
	HTTP_ABORT_STOP,
};

/* One request in progress: its easy handle and what its callbacks need. */
struct http_xfer {
	CURL *easy;
	const struct http_request *req;
	struct http_response *resp;
	size_t max_bytes;
	long cur_status;             /* from the last status line seen */
	int64_t start, last_activity_ms;
	long connect_ms, timeout_ms, stall_ms;
	enum http_abort abort;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
};

struct http_client {
	struct http_xfer x;          /* http_request's */
	CURLM *multi;
	const atomic_int *cancel;
	struct http_async *asyncs;   /* http_async.c's transfers, started and not ended */
	struct http_client *prev, *next;   /* http_clients, under http_clients_mu */
};

bool http_is_cancelled(const struct http_client *c);

/* Empties a response for a new request (its body memory kept). */
void http_response_reset(struct http_response *r);

/* Starts a transfer: checks the request and sets its options.  -1 with
 * *cause when it cannot run (nothing to end then). */
int http_xfer_begin(const struct http_client *c, struct http_xfer *x,
                    const struct http_request *req, struct http_response *resp,
                    char **cause);

/* Ends a begun transfer whose result is rc: the response's status and time,
 * or the failure in words.  Returns what http_request returns. */
int http_xfer_end(struct http_xfer *x, CURLcode rc, char **cause);

/* The wait for curl_multi_poll, at most wait ms: libcurl shortens it to its
 * own timers (timeouts); a cancel wakes it (http_wake_all); a stall check
 * needs a wakeup of its own. */
long http_wait_ms(const struct http_xfer *x, long wait);

/* True, with x's abort set, when x's stream got no byte for its stall time. */
bool http_stalled(struct http_xfer *x);

/* http_error.c: the words for a failed connect (curl's OS errno; unix_socket
 * NULL for TCP): "connection refused", "connection closed before any
 * response" (a Unix socket closed by its other end as soon as accepted),
 * "cannot connect[ to PATH]: REASON". */
char *http_connect_error_words(int oserr, const char *unix_socket);

/* http_error.c: the words for a failed transfer (rc, or x->abort), without
 * the request's secrets.  Caller frees. */
char *http_xfer_error(struct http_xfer *x, CURLcode rc);

#endif
