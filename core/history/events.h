/* events — the changes between two consecutive frames, as events: a pure
 * function of the two (no clock: an event's time is the later frame's
 * taken_ms; no I/O), so that tests feed it fixture frames.
 *
 * What is an event (core/history/event.h has the words):
 *   - a container's state (exited, restarting, missing, ...), its health,
 *     its restart count going up, a container appearing or going away;
 *   - a host unreachable or back (with the SSH error);
 *   - a service probe failing or recovering (with the HTTP status or error),
 *     per host and for the public URL;
 *   - a tunnel connector ready, not ready, gone, drained;
 *   - split brain appearing or gone (core/model/splitbrain.h);
 *   - Postgres, Redis, Prometheus (a host's metrics), Authentik, Cloudflare,
 *     a host's docker failing or recovering.
 * Rules:
 *   - nothing for what is first seen: a feed not polled in prev (or prev
 *     NULL) gives no event for what it shows in cur;
 *   - no flood: when a host comes back (or its docker recovers), one event
 *     for it with the count of what changed under it in its detail ("4
 *     changes while away"), not one per container; while a feed has failed
 *     its stale value gives no event;
 *   - a figure that wobbles (CPU, memory) is never an event. */
#ifndef KITETOP_CORE_HISTORY_EVENTS_H
#define KITETOP_CORE_HISTORY_EVENTS_H

#include "core/history/event.h"
#include "core/model/frame.h"

/* Appends to out the events from prev to cur (prev NULL: none).  Both
 * frames have the same configuration.  Returns how many were appended. */
size_t events_diff(const struct frame *prev, const struct frame *cur, struct event_list *out);

/* Ties effects to their cause: each container, health or restarts event in
 * l[from..] (host and object equal to an action's host and target) within
 * EVENTS_CAUSE_MS after an action event of actions (its "started") gets
 * that action's id. */
#define EVENTS_CAUSE_MS 120000
void events_link(struct event_list *l, size_t from, const struct event *actions, size_t nactions);

#endif
