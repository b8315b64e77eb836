/* history — what the dashboard remembers of the events: the latest
 * HISTORY_MAX of them (older ones dropped first), the time of the last
 * change, and for each object the latest event about it, so that a problem
 * row shows since when ("unhealthy 14m").  In memory only, for one thread
 * (the UI's); core/history/eventlog.h persists.  Pure: no clock, no I/O. */
#ifndef KITETOP_CORE_HISTORY_HISTORY_H
#define KITETOP_CORE_HISTORY_HISTORY_H

#include "core/history/event.h"

/* An event is about 700 bytes: 1000 of them keep the dashboard's memory
 * within its budget (about 0.7 MB when full); the log on disk keeps more
 * (`kitetop events`). */
#define HISTORY_MAX 1000

struct history;

struct history *history_new(void);
void history_free(struct history *h);

/* Adds n events (oldest first, as events_diff and eventlog_read give them). */
void history_add(struct history *h, const struct event *ev, size_t n);

/* How many are kept, and the i-th newest (0: the newest), or NULL. */
size_t history_count(const struct history *h);
const struct event *history_get(const struct history *h, size_t i);

/* Wall-clock ms of the newest event that is not an action (0: none). */
int64_t history_last_change_ms(const struct history *h);

/* The newest event about an object, or NULL.  Container rows ask with
 * EVENT_CONTAINER and get the newest of EVENT_CONTAINER, EVENT_HEALTH and
 * EVENT_RESTARTS for (host, object); the other kinds match exactly. */
const struct event *history_latest(const struct history *h, enum event_kind kind,
                                   const char *host, const char *object);

#endif
