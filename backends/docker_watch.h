/* docker_watch — tells whether a container list is still true without
 * asking for it again.
 *
 * A thread holds Docker's event stream open (GET /events, container events
 * only, on a connection of its own: through SSH one more `docker system
 * dial-stdio`) and bumps a counter at every event and every (re)start of the
 * stream.  A list taken while docker_watch_mark() gave M is still the daemon's
 * truth as long as the mark is still M: no container was created, started,
 * stopped, renamed, destroyed or changed health meanwhile.  So an idle
 * dashboard lists each engine's containers only now and then, and a change
 * reaches the screen at once instead of at the next refresh (on_event is
 * called, from the watch thread, at every event).
 *
 * Gaps are covered: each (re)start asks for the events of the last
 * DOCKER_WATCH_REPLAY_S seconds too (a margin for clocks that disagree), and
 * bumps the mark, so a change made while the stream was down or starting is
 * never taken for "nothing happened".  While the stream is down the mark is 0
 * and the caller must list.  A failing stream is retried after 1 s, doubling
 * to DOCKER_WATCH_BACKOFF_MAX_MS.
 *
 * Thread safety: docker_watch_mark() from any thread; new/free from the
 * owner's. */
#ifndef KITETOP_BACKENDS_DOCKER_WATCH_H
#define KITETOP_BACKENDS_DOCKER_WATCH_H

#include <stdint.h>

#include "backends/docker_types.h"

#define DOCKER_WATCH_REPLAY_S 300
#define DOCKER_WATCH_BACKOFF_MAX_MS 30000

struct docker_watch;

/* Starts the watch thread, connecting as opt says (strings copied; opt's
 * cancel flag is not used: the watch has its own).  on_event (may be NULL) is
 * called on the watch thread after each event and each stream start.  NULL
 * when the thread cannot be started (the caller then just lists every time). */
struct docker_watch *docker_watch_new(const struct docker_options *opt,
                                      void (*on_event)(void *arg), void *arg);
/* Stops the thread (a stream in progress ends at once) and frees.  NULL: no-op. */
void docker_watch_free(struct docker_watch *w);

/* 0 while the stream is down or w is NULL; else a number that changes at
 * every container event and stream start. */
uint64_t docker_watch_mark(struct docker_watch *w);

/* The full ids the events named since the last drain, each once with its
 * latest event's time (epoch ms; 0 unknown), to cb
 * (under the watch's lock: cb must not call back into w); then forgotten.
 * Those containers are inspected again (docker_inspect_again()): that, the
 * list's state and a relist when the stream (re)starts are what keeps
 * restarts and start times true without inspecting every container
 * periodically.  At most DOCKER_WATCH_MAX_NAMED are kept between drains (a
 * flood beyond that relists, and the list's states tell the rest). */
#define DOCKER_WATCH_MAX_NAMED 1024
void docker_watch_drain(struct docker_watch *w,
                        void (*cb)(const char *full_id, int64_t time_ms, void *arg), void *arg);
/* Events seen and streams started so far (for tests and the note). */
void docker_watch_counts(struct docker_watch *w, long *events, long *starts);

/* Coalescing the relists that events cause.  An engine busy with short-lived
 * containers sends tens of events a second, and listing on each would keep
 * the engine and the SSH link busy for nothing: the first event after a
 * quiet time lists at once; the events within DOCKER_WATCH_COALESCE_MS of
 * a list leave one pending list, due when that window ends.  Pure: the
 * caller passes the monotonic time. */
#define DOCKER_WATCH_COALESCE_MS 250

struct docker_watch_gate {
	int64_t last_at;            /* the last list; -1 before the first */
	int64_t due;                /* when the pending list is due; -1: none */
};

#define DOCKER_WATCH_GATE_INIT { .last_at = -1, .due = -1 }

/* An event (or anything that makes the kept list stale) at now. */
void docker_watch_gate_event(struct docker_watch_gate *g, int64_t now);
/* When the pending list is due (may be <= now), or -1 when none is. */
int64_t docker_watch_gate_due(const struct docker_watch_gate *g);
/* A list made at now: it serves whatever was pending. */
void docker_watch_gate_listed(struct docker_watch_gate *g, int64_t now);

#endif
