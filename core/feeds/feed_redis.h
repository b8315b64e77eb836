/* feed_redis — the shared Redis's source: struct redis_status
 * (backends/redis.h), through `via`; NULL without [redis]. */
#ifndef KITETOP_CORE_FEEDS_FEED_REDIS_H
#define KITETOP_CORE_FEEDS_FEED_REDIS_H

#include "backends/redis.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

struct source *feed_redis_new(struct fleet *fleet, struct wake *wake);
const struct redis_status *feed_redis_value(const struct snapshot *s);

#endif
