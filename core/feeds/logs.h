/* logs — one container's logs, streamed by a thread of their own into a
 * bounded buffer the UI reads (the logs view, `L`).
 *
 * logs_open() starts a thread that asks the host's engine for the last
 * LOGS_TAIL lines and follows; each line is appended under the struct's
 * mutex (the oldest dropped beyond LOGS_MAX_LINES) and the UI is woken.  The
 * UI copies what it draws with logs_copy() under that mutex.  logs_close()
 * raises the cancel flag (the HTTP wrapper ends the stream within 100 ms),
 * joins and frees.
 *
 * A followed stream that breaks (the host's SSH session dropped) is asked
 * again, LOGS_RETRY_MIN_MS doubling to LOGS_RETRY_MAX_MS apart while the host
 * stays down (at once when its SSH session comes back), from its last line's
 * timestamp; the lines already held are not
 * added twice, and one line "— connection lost HH:MM:SS, resumed HH:MM:SS —"
 * marks the gap.  Meanwhile the error says why the stream broke. */
#ifndef KITETOP_CORE_FEEDS_LOGS_H
#define KITETOP_CORE_FEEDS_LOGS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fleet/fleet.h"
#include "core/base/wake.h"

#define LOGS_MAX_LINES 10000
#define LOGS_TAIL 1000
/* A followed stream that broke is asked again after these, doubling. */
#define LOGS_RETRY_MIN_MS 1000
#define LOGS_RETRY_MAX_MS 8000

struct logs;

struct logs_line {
	char *text;          /* without the newline; control characters replaced */
	int64_t ts_ms;       /* the engine's timestamp */
	bool stderr_stream;
};

/* What a stream asks its engine for. */
struct logs_options {
	long tail;           /* the last lines first (-1: every line) */
	int64_t since_s;     /* epoch seconds, 0: from the start */
	bool follow;         /* go on with new lines (else the stream ends, no error) */
};

/* host and fleet borrowed (must outlive the logs); container copied.  The
 * last LOGS_TAIL lines, following. */
struct logs *logs_open(struct fleet *fleet, struct fleet_host *host, const char *container,
                       struct wake *wake);
/* The same with options (a service's logs: since a time; the CLI: maybe not
 * following).  wake may be NULL. */
struct logs *logs_open_with(struct fleet *fleet, struct fleet_host *host, const char *container,
                            const struct logs_options *opt, struct wake *wake);
void logs_close(struct logs *l);

/* Under the mutex: the number of lines, the lines dropped so far (beyond the
 * cap), whether the stream still runs, and its error (copied into err, ""
 * when none). */
void logs_state(struct logs *l, size_t *n, size_t *dropped, bool *running, char *err, size_t errsz);
/* Copies lines [first, first+count) (clamped) into out (caller frees each
 * text and the array with logs_lines_free); returns how many. */
size_t logs_copy(struct logs *l, size_t first, size_t count, struct logs_line **out);
void logs_lines_free(struct logs_line *v, size_t n);

/* The wait before a broken stream of host's is asked again: ms, or less when
 * the host's SSH session is seen down and then connected again (its engine
 * answers again), or when *cancel (may be NULL) is raised.  Any thread. */
void logs_wait_retry(struct fleet_host *host, int64_t ms, const atomic_int *cancel);

#endif
