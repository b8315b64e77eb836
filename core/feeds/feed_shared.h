/* feed_shared — the shared layer's sources, each NULL when its section is
 * not configured:
 *
 *   postgres    struct pg_status (backends/postgres.h), through `via`
 *   redis       struct redis_status (backends/redis.h), through `via`
 *   cloudflare  struct cf_tunnel (backends/cloudflare.h), its connectors
 *               matched to hosts by the connectorId each host's cloudflared
 *               reports (from the host's tunnel snapshot when fresh) */
#ifndef KITETOP_CORE_FEEDS_FEED_SHARED_H
#define KITETOP_CORE_FEEDS_FEED_SHARED_H

#include "backends/postgres.h"
#include "backends/redis.h"
#include "backends/cloudflare.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

struct source *feed_postgres_new(struct fleet *fleet, struct wake *wake);
struct source *feed_redis_new(struct fleet *fleet, struct wake *wake);
/* tunnels: the hosts' tunnel sources, [fleet->nhosts], borrowed; the
 * caller fills it (NULL for a host without one) before the source starts,
 * and keeps it until the source is freed. */
struct source *feed_cloudflare_new(struct fleet *fleet, struct source *const *tunnels,
                                   struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct pg_status *feed_postgres_value(const struct snapshot *s);
const struct redis_status *feed_redis_value(const struct snapshot *s);
const struct cf_tunnel *feed_cloudflare_value(const struct snapshot *s);

#endif
