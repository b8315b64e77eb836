/* http_many — several HTTP requests at once (http_request_many, http.h):
 * each a transfer of its own in a slot, all on the client's multi handle,
 * started as the limits allow and ended as they finish, stall or are
 * cancelled. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "backends/http.h"
#include "backends/http_internal.h"
#include "core/base/util.h"

struct http_many_slot {
	struct http_xfer x;
	struct http_many_item *item;
	bool active;
};

/* The next item that may start (its group under per_group), or NULL. */
static struct http_many_item *http_many_pick(struct http_many_item *items, size_t n,
                                             size_t *next, const size_t *inflight,
                                             size_t per_group)
{
	for (size_t i = *next; i < n; i++) {
		if (items[i].rc != 1)
			continue;
		if (inflight[items[i].group] < per_group) {
			if (i == *next)
				(*next)++;
			return &items[i];
		}
	}
	return NULL;
}

/* Ends a slot's transfer with rc (out of the multi first) and frees the slot. */
static void http_many_finish(struct http_client *c, struct http_many_slot *sl, CURLcode rc,
                             size_t *inflight)
{
	curl_multi_remove_handle(c->multi, sl->x.easy);
	sl->item->rc = http_xfer_end(&sl->x, rc, &sl->item->cause);
	sl->active = false;
	inflight[sl->item->group]--;
}

void http_request_many(struct http_client *c, struct http_many_item *items, size_t n,
                       size_t max_inflight, size_t per_group)
{
	struct http_many_slot *slots;
	size_t ngroups = 1, nslots, active = 0, next = 0, *inflight;
	bool cancelled = false;

	for (size_t i = 0; i < n; i++) {
		if (items[i].group < 0)
			items[i].group = 0;
		if ((size_t)items[i].group + 1 > ngroups)
			ngroups = (size_t)items[i].group + 1;
		items[i].rc = 1;   /* not started */
	}
	if (n == 0)
		return;
	per_group = per_group > 0 ? per_group : 1;
	nslots = max_inflight > 0 && max_inflight < n ? max_inflight : n;
	slots = xcalloc(nslots, sizeof *slots);
	inflight = xcalloc(ngroups, sizeof *inflight);
	for (;;) {
		CURLMsg *msg;
		int running, left;
		long wait = HTTP_POLL_MS;

		/* start what may start, each in a free slot */
		for (size_t k = 0; k < nslots && !cancelled; k++) {
			struct http_many_slot *sl = &slots[k];
			struct http_many_item *it;

			while (!sl->active &&
			       (it = http_many_pick(items, n, &next, inflight, per_group)) != NULL) {
				if (sl->x.easy == NULL && (sl->x.easy = curl_easy_init()) == NULL)
					fatal("cannot create a curl handle");
				it->rc = -1;
				if (http_xfer_begin(c, &sl->x, it->req, it->resp, &it->cause) != 0)
					continue;   /* it ended there: the next one takes the slot */
				if (curl_multi_add_handle(c->multi, sl->x.easy) != CURLM_OK) {
					it->rc = http_xfer_end(&sl->x, CURLE_FAILED_INIT, &it->cause);
					continue;
				}
				sl->item = it;
				sl->active = true;
				inflight[it->group]++;
				active++;
			}
		}
		if (active == 0)
			break;
		if (curl_multi_perform(c->multi, &running) != CURLM_OK)
			cancelled = true;   /* ends them below, as failed */
		while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (size_t k = 0; k < nslots; k++) {
				struct http_many_slot *sl = &slots[k];

				if (!sl->active || sl->x.easy != msg->easy_handle)
					continue;
				http_many_finish(c, sl, msg->data.result, inflight);
				active--;
				break;
			}
		}
		if (!cancelled && http_is_cancelled(c))
			cancelled = true;
		/* a cancel, or a stall, ends what runs */
		for (size_t k = 0; k < nslots; k++) {
			struct http_many_slot *sl = &slots[k];

			if (!sl->active)
				continue;
			if (cancelled)
				sl->x.abort = HTTP_ABORT_CANCEL;
			else if (!http_stalled(&sl->x)) {
				wait = http_wait_ms(&sl->x, wait);
				continue;
			}
			http_many_finish(c, sl, CURLE_ABORTED_BY_CALLBACK, inflight);
			active--;
		}
		if (cancelled && active == 0)
			break;
		if (active > 0 && curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL) != CURLM_OK)
			cancelled = true;
	}
	/* what never started */
	for (size_t i = 0; i < n; i++) {
		if (items[i].rc == 1) {
			http_response_reset(items[i].resp);
			util_set_cause(&items[i].cause, "cancelled");
			items[i].rc = -1;
		}
	}
	for (size_t k = 0; k < nslots; k++)
		if (slots[k].x.easy != NULL)
			curl_easy_cleanup(slots[k].x.easy);
	free(slots);
	free(inflight);
}
