/* feed_authentik — the Authentik source ([authentik]): live/ready per host
 * (through that host), live/ready at public_url, and with a token the admin
 * API's version, workers and outposts.  Value: struct feed_authentik.
 *
 * Where the admin API is asked: at public_url when set (the deployment's one
 * answer, the same from every host since they share the database, and the
 * end-to-end path through the tunnel), else at `url` through the first host. */
#ifndef KITETOP_CORE_FEEDS_FEED_AUTHENTIK_H
#define KITETOP_CORE_FEEDS_FEED_AUTHENTIK_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/authentik.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

struct feed_authentik {
	size_t nhosts;
	bool have_url;               /* [authentik] url set: hosts[] are probed */
	struct authentik_health *hosts;   /* [host] */
	bool have_public;            /* public_url set: pub is its live/ready (end to end) */
	struct authentik_health pub;
	bool have_api;               /* a token: info was asked */
	char *api_url;               /* where the API was asked (no secrets), or NULL */
	struct authentik_info info;
};

/* Frees a struct feed_authentik made by the feed (or a reader of its JSON). */
void feed_authentik_free(void *v);

/* The authentik source, or NULL without [authentik]. */
struct source *feed_authentik_new(struct fleet *fleet, struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct feed_authentik *feed_authentik_value(const struct snapshot *s);

#endif
