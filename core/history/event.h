/* event — one change kitetop saw: what a frame says that the frame before
 * it did not (core/history/events.h finds them), or an action taken (from
 * the audit log).  Fixed-size text so that lists of them copy, persist and
 * compare without allocation; longer text is cut at a UTF-8 boundary.
 *
 * Each event has a time (wall clock, ms), where (a host, or "" for what is
 * shared: Postgres, Redis, Cloudflare, a public probe), what (kind and
 * object), and a from -> to in words ("running" -> "exited (1)"), with
 * detail (an error, "4 changes while away") and, for an action or its
 * effect, the audit id that ties them. */
#ifndef KITETOP_CORE_HISTORY_EVENT_H
#define KITETOP_CORE_HISTORY_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_HOST_MAX 64
#define EVENT_OBJECT_MAX 128
#define EVENT_STATE_MAX 96
#define EVENT_DETAIL_MAX 256
#define EVENT_ID_MAX 48

enum event_kind {
	EVENT_CONTAINER,   /* object: container; from/to its state: "running", "exited (1)", "missing" */
	EVENT_HEALTH,      /* object: container; from/to "healthy", "unhealthy", "starting", "none" */
	EVENT_RESTARTS,    /* object: container; from/to the restart count ("3" -> "5") */
	EVENT_HOST,        /* object: the host; "reachable" <-> "unreachable" (detail: error /
	                    * "N changes while away") */
	EVENT_PROBE,       /* object: service; host: the host probed ("" the public URL);
	                    * "ok" <-> "failing" (detail: "HTTP 503", the error) */
	EVENT_TUNNEL,      /* object: connector container; "ready", "not ready", "gone", "drained" */
	EVENT_SPLIT,       /* object: service; "whole" <-> "split" (detail: which hosts) */
	EVENT_SOURCE,      /* object: "postgres", "redis", "prometheus", "authentik", "cloudflare",
	                    * "docker"; "ok" <-> "failing" (detail: the error) */
	EVENT_ACTION,      /* object: target; from: the action ("restart"); to: result
	                    * ("started", "ok", "failed", "refused"); id: the audit id */
	EVENT_KIND_COUNT
};

enum event_level { EVENT_LEVEL_OK, EVENT_LEVEL_WARN, EVENT_LEVEL_CRIT };

struct event {
	int64_t time_ms;                  /* wall clock */
	enum event_kind kind;
	enum event_level level;           /* how bad `to` is: ok for a recovery */
	char host[EVENT_HOST_MAX];        /* "" shared */
	char object[EVENT_OBJECT_MAX];
	char from[EVENT_STATE_MAX];       /* "" when there was nothing before */
	char to[EVENT_STATE_MAX];
	char detail[EVENT_DETAIL_MAX];
	char id[EVENT_ID_MAX];            /* the audit id of the action (or its cause), "" none */
};

/* A growable list of events. */
struct event_list {
	struct event *v;
	size_t n, cap;
};

/* "container", "health", "restarts", "host", "probe", "tunnel", "split",
 * "source", "action"; and back (-1: none of them). */
const char *event_kind_name(enum event_kind k);
int event_kind_from_name(const char *name);
/* "ok", "warn", "crit"; and back (-1). */
const char *event_level_name(enum event_level l);
int event_level_from_name(const char *name);

/* Copies src into a field of n bytes, cut at a UTF-8 boundary. */
void event_set(char *field, size_t n, const char *src);
#define EVENT_SET(field, src) event_set((field), sizeof(field), (src))

/* Appends a copy of e (aborts on out of memory, as util's allocators do). */
void event_list_push(struct event_list *l, const struct event *e);
void event_list_free(struct event_list *l);

/* The line `kitetop events` and the Events view show for e, without its
 * time: "monk  grafana  running → exited (1)  (OOM)" style, host and
 * object first; utf8 false: "->" for the arrow.  Caller frees. */
char *event_describe(const struct event *e, bool utf8);

#endif
