/* kube_watch — a reflector's pure parts: lines of a watch stream, the
 * jittered timeout, the decision after a watch ends (kube_watch.h). */
#include "backends/kube_watch.h"

#include <string.h>

#include "core/base/backoff.h"

int kube_watch_timeout_s(double r)
{
	if (!(r >= 0))
		r = 0;
	if (r >= 1)
		r = 0.999;
	return KUBE_WATCH_MIN_TIMEOUT_S + (int)(KUBE_WATCH_MIN_TIMEOUT_S * r);
}

void kube_lines_init(struct kube_lines *l)
{
	buf_init(&l->pending);
	l->overflow = false;
}

void kube_lines_done(struct kube_lines *l)
{
	buf_done(&l->pending);
}

int kube_lines_feed(struct kube_lines *l, const char *data, size_t len,
                    int (*on_line)(const char *line, size_t n, void *arg), void *arg)
{
	const char *end = data + len;

	if (l->overflow)
		return -1;
	while (data < end) {
		const char *nl = memchr(data, '\n', (size_t)(end - data));
		const char *line;
		size_t n;

		if (nl == NULL) {
			if (l->pending.len + (size_t)(end - data) > KUBE_WATCH_MAX_LINE) {
				l->overflow = true;
				return -1;
			}
			buf_append(&l->pending, data, (size_t)(end - data));
			return 0;
		}
		if (l->pending.len > 0) {
			if (l->pending.len + (size_t)(nl - data) > KUBE_WATCH_MAX_LINE) {
				l->overflow = true;
				return -1;
			}
			buf_append(&l->pending, data, (size_t)(nl - data));
			line = l->pending.data;
			n = l->pending.len;
		} else {
			line = data;
			n = (size_t)(nl - data);
		}
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (n > 0 && on_line(line, n, arg) != 0) {
			buf_reset(&l->pending);
			return -1;
		}
		buf_reset(&l->pending);
		data = nl + 1;
	}
	return 0;
}

enum kube_watch_next kube_watch_after(struct kube_watch_state *st, enum kube_watch_end end,
                                      int64_t lasted_ms, unsigned nevents, int64_t *delay_ms)
{
	*delay_ms = 0;
	switch (end) {
	case KUBE_END_EXPIRED:
		/* the RV is gone from the server's history: list again, at once
		 * (the first time) */
		st->quick_closes = 0;
		*delay_ms = st->failures > 0 ? backoff_delay_ms(KUBE_WATCH_BACKOFF_BASE_MS, st->failures - 1,
		                                                KUBE_WATCH_BACKOFF_CAP_MS) : 0;
		st->failures++;
		return KUBE_NEXT_RELIST;
	case KUBE_END_HTTP_ERROR:
	case KUBE_END_TRANSPORT:
		st->quick_closes = 0;
		*delay_ms = backoff_delay_ms(KUBE_WATCH_BACKOFF_BASE_MS, st->failures, KUBE_WATCH_BACKOFF_CAP_MS);
		st->failures++;
		return end == KUBE_END_HTTP_ERROR ? KUBE_NEXT_RELIST : KUBE_NEXT_REWATCH;
	case KUBE_END_CLEAN:
		break;
	}
	if (nevents == 0 && lasted_ms < KUBE_WATCH_QUICK_MS) {
		/* closed at once: never a tight loop */
		*delay_ms = backoff_delay_ms(KUBE_WATCH_BACKOFF_BASE_MS, st->quick_closes,
		                             KUBE_WATCH_BACKOFF_CAP_MS);
		st->quick_closes++;
		return st->quick_closes % KUBE_WATCH_QUICK_RELIST == 0 ? KUBE_NEXT_RELIST : KUBE_NEXT_REWATCH;
	}
	st->quick_closes = 0;
	st->failures = 0;
	return KUBE_NEXT_REWATCH;
}

void kube_watch_list_result(struct kube_watch_state *st, bool ok, int64_t *delay_ms)
{
	if (ok) {
		st->failures = 0;
		*delay_ms = 0;
		return;
	}
	*delay_ms = backoff_delay_ms(KUBE_WATCH_BACKOFF_BASE_MS, st->failures, KUBE_WATCH_BACKOFF_CAP_MS);
	st->failures++;
}
