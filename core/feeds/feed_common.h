/* feed_common — what the feeds (core/feeds/feed_*.c) share: how often each
 * kind of source is asked, and the naming of a host's sources.  A leaf: it
 * knows the fleet and the source runtime, and no feed. */
#ifndef KITETOP_CORE_FEEDS_FEED_COMMON_H
#define KITETOP_CORE_FEEDS_FEED_COMMON_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

/* Health probes (services, Authentik) run at most this often, however short
 * the refresh: each is an HTTP request and, through SSH, a channel opened
 * and closed, which at a 2 s refresh would be most of an idle dashboard's
 * CPU.  30 s is Docker's own HEALTHCHECK default (Uptime Kuma's is 60 s); an
 * action, or the refresh key, probes at once. */
#define FEED_PROBE_MIN_INTERVAL_MS 30000
/* A ready tunnel connector's /ready is asked again this often (sooner when
 * its container changes; every refresh while it is not ready). */
#define FEED_READY_INTERVAL_MS 10000
/* A failed read of a host's cgroup files is tried again after this long
 * (the engine's stats meanwhile: feed_docker.c). */
#define FEED_DOCKER_CG_RETRY_MS 30000
/* A host's container list is asked at every poll while its event stream is
 * down, and at least this often while it is up and has said nothing since
 * the last list: every change a list would show (created, started, died,
 * renamed, destroyed, health) comes as an event, and a (re)started stream
 * lists at once; this is a safety net.  A list of 500 containers is ~4 MB
 * of JSON to parse: at 8 such hosts a list every 30 s each was most of an
 * idle dashboard's CPU. */
#define FEED_DOCKER_RELIST_QUIET_MS 300000
/* A host's first read of its containers' cgroup files is followed by a
 * second this much later, so that the first snapshot (a one-shot status's
 * only one) has CPU % too: the usage between the two over the wall time. */
#define FEED_DOCKER_CG_FIRST_MS 1000
/* Cgroup files that held none of an engine's running containers (another
 * machine's) are read again only after this long: two reads of them each
 * time, and the engine's stats meanwhile give the same figures. */
#define FEED_DOCKER_CG_FOREIGN_MS 300000
/* Prometheus (the hosts' figures and the panels) is asked at most this
 * often: its answers change only when it scrapes (every 15 s in most setups,
 * every minute by default), so asking at a 2 s refresh would get the same
 * figures most of the time; sparklines hold one sample per poll. */
#define FEED_PROM_MIN_INTERVAL_MS 5000   /* rounded up to whole refreshes: 6 s at 2 s */

/* At least min_ms, and a whole number of refreshes (refresh_ms <= 0: 2 s):
 * the slower sources then poll on refresh ticks and answer into the same
 * frames as the others (Cloudflare's `refresh = 5` at a 2 s refresh is
 * polled every 6 s, not every 5 s in frames of its own). */
int feed_whole_refreshes_ms(int refresh_ms, int min_ms);
int feed_probe_interval_ms(const struct config *cfg);
int feed_prom_interval_ms(const struct config *cfg);

/* A source of host h named "HOST/kind" (p's name is set here). */
struct source *feed_host_source_new(const struct fleet_host *h, const char *kind,
                                    struct source_params p, const struct source_ops *ops,
                                    void *arg, struct wake *wake);

#endif
