/* source — one thread polling one thing on its own interval.
 *
 * A source calls its ops->poll every interval; each poll produces a snapshot
 * (core/snapshot.h) that replaces the previous one and wakes the UI through a
 * struct wake.  After a failure the next poll waits interval * 2^(failures),
 * capped at SOURCE_MAX_BACKOFF_MS (or the interval when longer), moved by a
 * random ±20 %; a success, and source_refresh_now, reset that.
 *
 * Threads and locking: each source owns one thread, which alone calls the ops
 * (so per-thread state, e.g. an HTTP client, lives in the ops' state).  The
 * snapshot slot has its own mutex (see snapshot.h).  A second mutex + condvar
 * (private) guards the control fields: stop, refresh-now, pause and interval.
 * The cancel flag is an atomic that ops pass to their network calls (the HTTP
 * wrapper checks it every 100 ms); source_stop() raises it and signals the
 * condvar, so a thread waiting for its next poll or stuck in a bounded call
 * ends promptly.  pthread_cancel is never used.
 *
 * Lifecycle: source_new → source_start → (source_get, source_refresh_now,
 * source_set_paused from the UI thread) → source_stop on all sources →
 * source_join → source_free. */
#ifndef KITETOP_CORE_FEEDS_SOURCE_H
#define KITETOP_CORE_FEEDS_SOURCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/base/snapshot.h"
#include "core/base/wake.h"

#define SOURCE_MAX_BACKOFF_MS 15000

struct source;

/* Everything runs on the source's thread.  Callbacks may be NULL except poll. */
struct source_ops {
	const char *kind;   /* "metrics", "docker", ... for messages */
	/* Creates the per-thread state from arg; cancel is the source's flag
	 * (borrowed, valid until thread_done returns). */
	void *(*thread_init)(void *arg, const atomic_int *cancel);
	/* One poll.  0 and *value (taken over; may be NULL), or -1 and *cause
	 * (caller frees).  Must return soon after *cancel becomes non-zero.
	 * SOURCE_POLL_PARTIAL and *value: a first part, published at once (a
	 * slow link's first containers before their CPU figures); the next
	 * poll follows without waiting and finishes it. */
	int (*poll)(void *state, void **value, char **cause);
	void (*thread_done)(void *state);
	snapshot_free_fn free_value;
	/* Frees the arg given to source_new when the source is freed (after
	 * its thread ended; never while it may still run).  NULL: the arg is
	 * the caller's. */
	void (*free_arg)(void *arg);
};

struct source_params {
	const char *name;        /* "monk/metrics": copied */
	int interval_ms;         /* between the ends of two polls */
	int first_delay_ms;      /* before the first poll (e.g. to take a rate baseline) */
};

/* ops is borrowed (must outlive the source); arg too, unless ops->free_arg
 * takes it over; wake may be NULL. */
struct source *source_new(const struct source_params *p, const struct source_ops *ops,
                          void *arg, struct wake *wake);
/* Starts the thread.  -1 and *cause when it cannot be created. */
int source_start(struct source *s, char **cause);
/* Asks the thread to end (raises the cancel flag); does not wait. */
void source_stop(struct source *s);
/* Waits for the thread until deadline_mono_ms (time_mono_ms clock).
 * 0 when it ended (or never started), -1 when it is still running. */
int source_join(struct source *s, int64_t deadline_mono_ms);
/* Stops and joins (1 s) if needed, then frees.  A thread that did not end in
 * time is detached and its struct leaked on purpose (it may still use it). */
void source_free(struct source *s);

/* A new reference to the latest snapshot (caller unrefs), or NULL. */
struct snapshot *source_get(struct source *s);
#define SOURCE_POLL_PARTIAL 1
uint64_t source_seq(struct source *s);          /* 0 before the first poll */
/* Whether a poll ended that was not partial (SOURCE_POLL_PARTIAL). */
bool source_complete(struct source *s);
/* Waits, from another source's thread, until s publishes a snapshot newer
 * than seq `after`, the deadline passes, s stops or *cancel is raised (seen
 * within 250 ms); returns the seq then.  Woken by the publish itself, not by
 * polling. */
uint64_t source_wait_seq(struct source *s, uint64_t after, int64_t deadline_mono_ms,
                         const atomic_int *cancel);
const char *source_name(const struct source *s);
/* The arg given to source_new (for the feed that made it). */
void *source_arg(const struct source *s);
int source_interval_ms(const struct source *s);
/* Poll at once and forget the failures (the R key, a relay host that came
 * back). */
void source_refresh_now(struct source *s);
void source_set_paused(struct source *s, bool paused);   /* the p key */
void source_set_interval(struct source *s, int interval_ms);
/* Consecutive failures so far and the current wait before the next poll. */
int source_failures(struct source *s);
/* The wait before the jitter; pure. */
int64_t source_backoff_ms(int interval_ms, int failures);
/* A healthy source's wait after a poll: until the next multiple of the
 * interval on the monotonic clock (at least a tenth of it away), so that
 * sources sharing an interval poll together.  Pure. */
int64_t source_next_tick_ms(int64_t now_mono, int interval_ms);

#endif
