/* feed_panels — the [panel "TITLE"] sections' figures: the source whose value
 * is a struct panels (core/feeds/panels.h), asked from Prometheus as one
 * combined query a poll. */
#ifndef KITETOP_CORE_FEEDS_FEED_PANELS_H
#define KITETOP_CORE_FEEDS_FEED_PANELS_H

#include "core/feeds/panels.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

/* The panels source, or NULL without [prometheus] or without panels. */
struct source *feed_panels_new(struct fleet *fleet, struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct panels *feed_panels_value(const struct snapshot *s);

#endif
