/* feed_tunnel — a host's Cloudflare Tunnel connector: the source whose value
 * is a struct tunnel_state (core/feeds/tunnel.h), built from the host's
 * docker snapshot, its cloudflared /ready (through the host) and its
 * connector in the cloudflare source's snapshot. */
#ifndef KITETOP_CORE_FEEDS_FEED_TUNNEL_H
#define KITETOP_CORE_FEEDS_FEED_TUNNEL_H

#include <stddef.h>

#include "core/feeds/tunnel.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

/* The tunnel source of fleet->hosts[host], or NULL when it has no
 * tunnel_container.  docker and cloudflare (each may be NULL) are read, not
 * owned: they must outlive it. */
struct source *feed_tunnel_new(struct fleet *fleet, size_t host, struct source *docker,
                               struct source *cloudflare, struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct tunnel_state *feed_tunnel_value(const struct snapshot *s);

#endif
