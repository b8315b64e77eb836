/* frame — one consistent, typed view of everything the feeds know, taken
 * once per redraw (and once per `status`, `check`): every source's latest
 * snapshot with its age, and each host's SSH state.  Views, the status
 * renderers and the verdicts read a `const struct frame *` and nothing else;
 * no snapshot pointer or `void *` value crosses into them.
 *
 * A frame is taken from the feeds (frame_take) or built by hand in tests
 * (frame_init, then the typed fields).  Its values are borrowed from the
 * snapshots it holds a reference to, so they stay valid and unchanged until
 * frame_release, whatever the feeds publish meanwhile.
 *
 * Threads: a frame belongs to the thread that took it.  Taking one locks
 * each source's slot for a pointer copy only. */
#ifndef KITETOP_CORE_MODEL_FRAME_H
#define KITETOP_CORE_MODEL_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/cloudflare.h"
#include "backends/kube_types.h"
#include "backends/metrics.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "core/config/config.h"
#include "core/feeds/feed_authentik.h"
#include "core/feeds/feed_docker.h"
#include "core/feeds/feed_probes.h"
#include "core/feeds/feed_tailscale.h"
#include "core/feeds/panels.h"
#include "core/feeds/tunnel.h"
#include "core/fleet/fleet.h"

struct feeds;
struct snapshot;

/* One source as the frame saw it.  All zero: not configured. */
struct frame_feed {
	bool configured;            /* the source exists (its section or key is set) */
	bool polled;                /* a poll has ended: the fields below mean something */
	const char *error;          /* the latest poll's error in words, or NULL */
	bool stale;                 /* error set and the value is the last good one */
	int64_t value_mono_ms;      /* monotonic ms the value shown was fetched */
	int64_t polled_mono_ms;     /* monotonic ms the latest poll ended */
	int64_t polled_ms;          /* wall clock of the latest poll */
	int64_t last_ok_ms;         /* wall clock of the last success, 0 = never */
	double took_ms;             /* how long the latest poll took */
	uint64_t seq;               /* 1, 2, ... per source: changes on each poll */
	int interval_ms;            /* how often the source is asked */
};

struct frame_host {
	const char *name;
	const struct config_host *cfg;
	bool local;                 /* this machine: no SSH */
	struct fleet_reach reach;   /* its SSH session now */
	struct { struct frame_feed feed; const struct metrics *value; } metrics;
	struct { struct frame_feed feed; const struct feed_containers *value; } docker;
	struct { struct frame_feed feed; const struct tunnel_state *value; } tunnel;
	struct { struct frame_feed feed; const struct feed_tailscale *value; } tailscale;
	struct frame_host_index *index;   /* private: frame_host_container's */
};

/* A [cluster] as the frame saw it: its feed's latest value (NULL before the
 * first answer). */
struct frame_cluster {
	const char *name;
	const struct config_cluster *cfg;
	struct frame_feed feed;
	const struct kube_cluster *value;
};

struct frame {
	const struct config *cfg;   /* borrowed: outlives every frame */
	int64_t taken_ms;           /* wall clock when taken */
	int64_t taken_mono_ms;      /* monotonic, for ages */
	size_t nhosts;
	struct frame_host *hosts;   /* [nhosts] */
	size_t nclusters;
	struct frame_cluster *clusters;   /* [nclusters], in configuration order */
	struct { struct frame_feed feed; const struct pg_status *value; } postgres;
	struct { struct frame_feed feed; const struct redis_status *value; } redis;
	struct { struct frame_feed feed; const struct cf_tunnel *value; } cloudflare;
	struct { struct frame_feed feed; const struct panels *value; } panels;
	struct { struct frame_feed feed; const struct feed_probes *value; } probes;
	struct { struct frame_feed feed; const struct feed_authentik *value; } authentik;
	struct frame_index *index;  /* private: frame_service_first's */
	/* private: the snapshot references held, released by frame_release */
	struct snapshot **refs;
	size_t nrefs;
};

/* An empty frame of cfg's hosts (names and configuration set, every feed
 * unconfigured), for tests and for readers that fill the fields. */
void frame_init(struct frame *f, const struct config *cfg);
/* While the refresh is paused, a host's session as now (connected or not:
 * the sessions go on), but its round trip as at_pause measured it, so that
 * the label does not move.  Pure. */
void frame_reach_paused(struct fleet_reach *now, const struct fleet_reach *at_pause);
/* Takes the latest of everything from feeds (while paused, the round trips
 * as when it paused: frame_reach_paused). */
void frame_take(struct frame *f, struct feeds *feeds);
/* Drops the references; f may be taken again. */
void frame_release(struct frame *f);

/* The host called name, or NULL. */
const struct frame_host *frame_host_named(const struct frame *f, const char *name);
/* The container called name in h's list, or NULL: feed_containers_find's
 * answer, through an index built on first use and kept until frame_release
 * (frame_index.c), so that a redraw of thousands of rows stays quick. */
const struct docker_container *frame_host_container(const struct frame_host *h, const char *name);
/* The first service (configuration index) whose container is container, or
 * SIZE_MAX when none: indexed the same way. */
size_t frame_service_first(const struct frame *f, const char *container);
/* For frame.c: the indexes' slots, and their end. */
void frame_index_init(struct frame *f);
void frame_index_free(struct frame *f);

/* Age in ms of the value a feed shows, as of the frame (0 when none). */
int64_t frame_feed_age_ms(const struct frame *f, const struct frame_feed *feed);

#endif
