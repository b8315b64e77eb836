/* feed_probes — the service probes source: every [service]'s `health`
 * probed on every host through that host, and its `public_url` once,
 * directly; one round per probe interval, all at once (at most
 * FEED_PROBES_PER_HOST in flight per host).  Value: struct feed_probes.
 *
 * Also the helpers the Authentik feed shares: a host's unreachability in
 * words, and the explanation of a probe that its SSH tunnel failed. */
#ifndef KITETOP_CORE_FEEDS_FEED_PROBES_H
#define KITETOP_CORE_FEEDS_FEED_PROBES_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/probe.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

#define FEED_PROBES_PER_HOST 20   /* probes in flight per host (and for the public URLs) */

struct feed_probes {
	size_t nservices, nhosts;
	struct probe_result *host;   /* [service * nhosts + host]; .done false: no `health` */
	struct probe_result *pub;    /* [service]; .done false: no `public_url` */
	double round_ms;             /* how long the whole round took */
};

/* The result of service i on host h, or of its public URL (NULL-safe). */
const struct probe_result *feed_probes_host(const struct feed_probes *p, size_t service, size_t host);
const struct probe_result *feed_probes_public(const struct feed_probes *p, size_t service);

/* Frees a struct feed_probes made by the feed (or a reader of its JSON). */
void feed_probes_free(void *v);

/* The probes source, or NULL when no [service] has health or public_url. */
struct source *feed_probes_new(struct fleet *fleet, struct wake *wake);

/* "unreachable: ..." when h's SSH is down (caller frees), else NULL. */
char *feed_probe_unreachable(const struct fleet_host *h);
/* A probe job through h's tunnel that the tunnel closed or reset: its
 * error becomes the tunnel's own failure ("connection refused (monk could
 * not connect to 127.0.0.2:5000)") when the transport reports one; when its
 * last error names another tunnel, the job is run once more alone (pool). */
void feed_probe_explain(const struct fleet_host *h, struct probe_pool *pool, struct probe_job *job,
                        long timeout_ms);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct feed_probes *feed_probes_value(const struct snapshot *s);

#endif
