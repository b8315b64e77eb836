/* feed_postgres — the shared PostgreSQL's source: struct pg_status
 * (backends/postgres.h), through `via`; NULL without [postgres]. */
#ifndef KITETOP_CORE_FEEDS_FEED_POSTGRES_H
#define KITETOP_CORE_FEEDS_FEED_POSTGRES_H

#include "backends/postgres.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

struct source *feed_postgres_new(struct fleet *fleet, struct wake *wake);
const struct pg_status *feed_postgres_value(const struct snapshot *s);

#endif
