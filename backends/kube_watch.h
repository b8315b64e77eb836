/* kube_watch — the pure parts of a Kubernetes reflector (list + watch):
 * the watch stream's line splitter, the jittered watch timeout, what to do
 * when a watch ends, and the backoff of a watch that keeps closing at once.
 * No I/O, no clock: the caller passes times and random values, so tests
 * replay sequences.  The running reflector is kube_reflector.c. */
#ifndef KITETOP_BACKENDS_KUBE_WATCH_H
#define KITETOP_BACKENDS_KUBE_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"

/* A watch event's line may hold an object of a few MB (managedFields,
 * a big ConfigMap): longer ones end the stream with an error. */
#define KUBE_WATCH_MAX_LINE ((size_t)8 * 1024 * 1024)

/* The server's watch timeout: client-go's 5 min × (1 + r), r in [0, 1). */
#define KUBE_WATCH_MIN_TIMEOUT_S 300
int kube_watch_timeout_s(double r);

/* Splits a watch stream (NDJSON over chunked HTTP, pieces split anywhere)
 * into lines.  The partial line is kept in pending between pieces. */
struct kube_lines {
	struct buf pending;
	bool overflow;              /* a line went over KUBE_WATCH_MAX_LINE */
};
void kube_lines_init(struct kube_lines *l);
void kube_lines_done(struct kube_lines *l);
/* Feeds a piece: calls on_line for each complete non-empty line (without its
 * newline, not NUL-terminated; valid during the call).  Returns -1 when a
 * line is too long (overflow set) or on_line returned -1, else 0. */
int kube_lines_feed(struct kube_lines *l, const char *data, size_t len,
                    int (*on_line)(const char *line, size_t n, void *arg), void *arg);

/* How a watch ended, and what comes next. */
enum kube_watch_end {
	KUBE_END_CLEAN,             /* closed by the server (its timeout, a restart) */
	KUBE_END_EXPIRED,           /* HTTP 410, or an ERROR event with code 410 */
	KUBE_END_HTTP_ERROR,        /* another status, or another ERROR event */
	KUBE_END_TRANSPORT,         /* connection failed, timed out, reset */
};
enum kube_watch_next {
	KUBE_NEXT_REWATCH,          /* watch again from the last resourceVersion */
	KUBE_NEXT_RELIST,           /* list again (the cache is replaced), then watch */
};

/* A watch that closes within this long of opening, with no event, counts
 * as closing at once (the events API's stale-RV quirk: an empty 200). */
#define KUBE_WATCH_QUICK_MS 1000
/* That many quick closes in a row: relist (the RV is probably stale). */
#define KUBE_WATCH_QUICK_RELIST 3
#define KUBE_WATCH_BACKOFF_BASE_MS 1000
#define KUBE_WATCH_BACKOFF_CAP_MS 30000

struct kube_watch_state {
	int quick_closes;           /* quick closes in a row */
	int failures;               /* errors in a row (HTTP or transport) */
};

/* Decides after a watch ended how, having lasted lasted_ms with nevents
 * events (bookmarks included).  *delay_ms: the wait before it (backoff,
 * before jitter), 0 for at once.  Updates st.  Pure. */
enum kube_watch_next kube_watch_after(struct kube_watch_state *st, enum kube_watch_end end,
                                      int64_t lasted_ms, unsigned nevents, int64_t *delay_ms);
/* After a list: done (ok) resets the failures; a failed one counts. *delay_ms
 * as above, for the next list. */
void kube_watch_list_result(struct kube_watch_state *st, bool ok, int64_t *delay_ms);

#endif
