/* feed_metrics — a host's machine figures: the source whose value is a
 * struct metrics (backends/metrics.h), from Prometheus when [prometheus] is
 * set and the host has a prom_selector, else, for this machine, from /proc,
 * and for a host reached over SSH, from its /proc read over that session
 * (one command a refresh, backends/hostproc.h). */
#ifndef KITETOP_CORE_FEEDS_FEED_METRICS_H
#define KITETOP_CORE_FEEDS_FEED_METRICS_H

#include "backends/metrics.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

/* The metrics source of h, or NULL when it has none (a remote host that is
 * reached neither over SSH nor through Prometheus).  fleet and h must outlive it. */
struct source *feed_metrics_new(struct fleet *fleet, struct fleet_host *h, struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct metrics *feed_metrics_value(const struct snapshot *s);

#endif
