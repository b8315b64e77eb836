/* events_internal — what the two halves of events_diff share: events.c
 * walks the hosts (reachability, docker, containers) and ties effects to
 * actions; events_shared.c has the parts that are alike for many things
 * (a source failing or recovering, a probe, a tunnel connector) and the
 * shared layer (Postgres, Redis, Cloudflare, Authentik, public probes,
 * split brain). */
#ifndef KITETOP_CORE_HISTORY_EVENTS_INTERNAL_H
#define KITETOP_CORE_HISTORY_EVENTS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/history/event.h"
#include "core/model/frame.h"

/* One call of events_diff: the two frames and where events go. */
struct events_ctx {
	const struct frame *prev, *cur;
	struct event_list *out;
	size_t n;                   /* appended so far */
};

/* Appends one event at the later frame's time (detail may be NULL). */
void events_emit(struct events_ctx *cx, enum event_kind kind, enum event_level level,
                 const char *host, const char *object, const char *from, const char *to,
                 const char *detail);

/* True when the feed has a value that is current: polled, no error. */
bool events_feed_fresh(const struct frame_feed *f);

/* A source ok <-> failing (object: "redis", "docker", ...).  Nothing when
 * either frame has no poll of it.  recovered_detail (may be NULL) is the
 * detail of a recovery. */
void events_source(struct events_ctx *cx, const char *host, const char *object,
                   const struct frame_feed *prev, const struct frame_feed *cur,
                   const char *recovered_detail);

/* The tunnel connector and the service probes of host i of cur (prev's
 * host ph), both frames having the host reachable. */
void events_tunnel(struct events_ctx *cx, const struct frame_host *ph, const struct frame_host *ch);
void events_host_probes(struct events_ctx *cx, size_t i);

/* Postgres, Redis, Cloudflare, Authentik, the public probes, split brain. */
void events_shared(struct events_ctx *cx);

#endif
