/* feeds — every source that polls the fleet, as one set: per host its
 * metrics, docker, tunnel and tailscale sources, and the shared ones
 * (postgres, redis, cloudflare, panels, probes, authentik).  Each source is
 * one thread publishing immutable snapshots (core/feeds/source.h); the
 * frame (core/model/frame.h) is how the rest of the program reads them.
 *
 * The feeds own the fleet they are made for and every source; the
 * configuration is borrowed and must outlive them.  feeds_start() starts
 * the fleet's transports and every source thread; feeds_stop() stops them
 * all and joins them within FEEDS_STOP_MS in total, however they are stuck.
 *
 * Thread use: feeds_new/_start/_stop/_free and the control calls (refresh,
 * pause) are for the UI (or CLI) thread.  The struct fields are set by
 * feeds_new and never change afterwards, so any thread may read them. */
#ifndef KITETOP_CORE_FEEDS_FEEDS_H
#define KITETOP_CORE_FEEDS_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base/wake.h"
#include "core/config/config.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

#define FEEDS_STOP_MS 1000

/* What a host's SSH transport is given to say it is back (feeds.c). */
struct feeds_relay {
	struct feeds *feeds;
	size_t host;
};

/* A host's sources; each NULL when the host has none of that kind. */
struct feeds_host {
	struct source *metrics;     /* struct metrics (backends/metrics.h): Prometheus or /proc */
	struct source *docker;      /* struct feed_containers (feed_docker.h); NULL: docker = none */
	struct source *tunnel;      /* struct tunnel_state (tunnel.h); NULL: no tunnel_container */
	struct source *tailscale;   /* struct feed_tailscale (feed_tailscale.h); NULL without ssh */
};

struct feeds {
	const struct config *cfg;
	struct fleet *fleet;        /* owned */
	struct feeds_host *hosts;   /* [fleet->nhosts] */
	size_t nhosts;
	struct source *postgres;    /* struct pg_status; NULL when not configured */
	struct source *redis;       /* struct redis_status; NULL when not configured */
	struct source *cloudflare;  /* struct cf_tunnel, connectors matched to hosts */
	struct source *panels;      /* struct panels (panels.h); NULL without panels */
	struct source *probes;      /* struct feed_probes (feed_probes.h); NULL: no probes */
	struct source *authentik;   /* struct feed_authentik (feed_authentik.h); NULL: no [authentik] */
	struct source **clusters;   /* [cfg->nclusters]: struct kube_cluster (feed_cluster.h) */
	struct source **sources;    /* every source above, for start/stop/refresh */
	size_t nsources;
	struct source **tunnels;    /* private: [nhosts], the cloudflare source reads it */
	struct feeds_relay *relays; /* private: [nhosts], the args of the hosts' on_connect */
	struct wake *wake;          /* borrowed */
	struct fleet_reach *paused_reach;  /* [nhosts]: each host's session when paused, else NULL */
};

/* wake (borrowed, may be NULL) is signalled on every new snapshot. */
struct feeds *feeds_new(const struct config *cfg, struct wake *wake);
int feeds_start(struct feeds *feeds, char **cause);
/* Stops and joins every source; false when one did not end in time. */
bool feeds_stop(struct feeds *feeds);
void feeds_free(struct feeds *feeds);   /* NULL-safe */

/* Waits until every source ended a poll (a partial one does not count:
 * source_ops.poll) or deadline (time_mono_ms) passed.
 * true when all did. */
bool feeds_wait_all(struct feeds *feeds, int64_t deadline_mono_ms);
/* The R key: every source polls now, its failures forgotten, and every SSH
 * transport waiting to reconnect tries at once.  (A host whose connection
 * comes back does the same by itself for the sources that go through it.) */
void feeds_refresh_now(struct feeds *feeds);
void feeds_set_paused(struct feeds *feeds, bool paused);
/* Changes whenever any snapshot or any host's SSH state does. */
uint64_t feeds_generation(struct feeds *feeds);

#endif
