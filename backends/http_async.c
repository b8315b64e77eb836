/* http_async — transfers that run side by side on a client's multi handle
 * for as long as they last, started and ended by the caller as it goes
 * (http.h): a cluster's watch streams, each of which may end at any time and
 * be started again, next to one-off requests. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "backends/http.h"
#include "backends/http_internal.h"
#include "core/base/util.h"

struct http_async {
	struct http_xfer x;
	struct http_client *c;
	bool added;                  /* in the multi handle */
	bool done;
	CURLcode rc;
	struct http_async *next;     /* c->asyncs */
};

static void async_finish(struct http_async *a, CURLcode rc)
{
	if (a->added)
		curl_multi_remove_handle(a->c->multi, a->x.easy);
	a->added = false;
	a->done = true;
	a->rc = rc;
}

struct http_async *http_async_start(struct http_client *c, const struct http_request *req,
                                    struct http_response *resp, char **cause)
{
	struct http_async *a = xcalloc(1, sizeof *a);

	a->c = c;
	if ((a->x.easy = curl_easy_init()) == NULL)
		fatal("cannot create a curl handle");
	if (http_xfer_begin(c, &a->x, req, resp, cause) != 0) {
		curl_easy_cleanup(a->x.easy);
		free(a);
		return NULL;
	}
	curl_easy_setopt(a->x.easy, CURLOPT_PRIVATE, a);
	if (curl_multi_add_handle(c->multi, a->x.easy) != CURLM_OK) {
		http_xfer_end(&a->x, CURLE_FAILED_INIT, cause);
		curl_easy_cleanup(a->x.easy);
		free(a);
		return NULL;
	}
	a->added = true;
	a->next = c->asyncs;
	c->asyncs = a;
	return a;
}

/* Collects the ends libcurl reports, then the stalls and a cancel. */
static int async_collect(struct http_client *c, long *wait)
{
	CURLMsg *msg;
	int left, ndone = 0;
	bool cancelled = http_is_cancelled(c);

	while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
		struct http_async *a = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&a);
		if (a != NULL && !a->done)
			async_finish(a, msg->data.result);
	}
	for (struct http_async *a = c->asyncs; a != NULL; a = a->next) {
		if (!a->done && cancelled) {
			a->x.abort = HTTP_ABORT_CANCEL;
			async_finish(a, CURLE_ABORTED_BY_CALLBACK);
		} else if (!a->done && http_stalled(&a->x)) {
			async_finish(a, CURLE_ABORTED_BY_CALLBACK);
		} else if (!a->done && wait != NULL) {
			*wait = http_wait_ms(&a->x, *wait);
		}
		ndone += a->done;
	}
	return ndone;
}

int http_async_run(struct http_client *c, long wait_ms)
{
	int running, ndone;
	long wait = wait_ms;

	curl_multi_perform(c->multi, &running);
	ndone = async_collect(c, &wait);
	if (ndone > 0 || http_is_cancelled(c))
		return ndone;
	if (wait > 0)
		curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
	curl_multi_perform(c->multi, &running);
	return async_collect(c, NULL);
}

bool http_async_done(const struct http_async *a)
{
	return a->done;
}

int http_async_end(struct http_async *a, char **cause)
{
	struct http_client *c = a->c;
	int rc;

	if (!a->done) {
		a->x.abort = HTTP_ABORT_STOP;   /* ended by its owner: not a failure */
		async_finish(a, CURLE_ABORTED_BY_CALLBACK);
	}
	rc = http_xfer_end(&a->x, a->rc, cause);
	for (struct http_async **p = &c->asyncs; *p != NULL; p = &(*p)->next)
		if (*p == a) {
			*p = a->next;
			break;
		}
	curl_easy_cleanup(a->x.easy);
	free(a);
	return rc;
}

void http_client_wakeup(struct http_client *c)
{
	curl_multi_wakeup(c->multi);
}
