/* feed_cloudflare — the Cloudflare API's source: struct cf_tunnel
 * (backends/cloudflare.h), its connectors matched to hosts by the
 * connectorId each host's cloudflared reports (from the host's tunnel
 * snapshot when fresh); NULL without [cloudflare]. */
#ifndef KITETOP_CORE_FEEDS_FEED_CLOUDFLARE_H
#define KITETOP_CORE_FEEDS_FEED_CLOUDFLARE_H

#include "backends/cloudflare.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

/* tunnels: the hosts' tunnel sources, [fleet->nhosts], borrowed; the
 * caller fills it (NULL for a host without one) before the source starts,
 * and keeps it until the source is freed. */
struct source *feed_cloudflare_new(struct fleet *fleet, struct source *const *tunnels,
                                   struct wake *wake);
const struct cf_tunnel *feed_cloudflare_value(const struct snapshot *s);

#endif
