/* lab_probes — the values of the lab's probe sources (see lab.h):
 *
 *   lab->probes     struct lab_probes: every [service]'s `health` probed on
 *                   every host through that host, and its `public_url` once,
 *                   directly; one round per refresh, all at once (at most
 *                   LAB_PROBES_PER_HOST in flight per host).
 *   lab->authentik  struct lab_authentik: [authentik] live/ready per host
 *                   (through that host), live/ready at public_url, and
 *                   with a token the admin API's version, workers, outposts.
 *
 * Where the admin API is asked: at public_url when set (the deployment's one
 * answer, the same from every host since they share the database, and the
 * end-to-end path through the tunnel), else at `url` through the first host.
 *
 * Both are published as immutable snapshots; read them with source_get(). */
#ifndef KITETOP_CORE_FEEDS_FEED_PROBES_H
#define KITETOP_CORE_FEEDS_FEED_PROBES_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/authentik.h"
#include "backends/probe.h"

#define LAB_PROBES_PER_HOST 20   /* probes in flight per host (and for the public URLs) */

struct lab_probes {
	size_t nservices, nhosts;
	struct probe_result *host;   /* [service * nhosts + host]; .done false: no `health` */
	struct probe_result *pub;    /* [service]; .done false: no `public_url` */
	double round_ms;             /* how long the whole round took */
};

/* The result of service i on host h, or of its public URL. */
const struct probe_result *lab_probes_host(const struct lab_probes *p, size_t service, size_t host);
const struct probe_result *lab_probes_public(const struct lab_probes *p, size_t service);

struct lab_authentik {
	size_t nhosts;
	bool have_url;               /* [authentik] url set: hosts[] are probed */
	struct authentik_health *hosts;   /* [host] */
	bool have_public;            /* public_url set: pub is its live/ready (end to end) */
	struct authentik_health pub;
	bool have_api;               /* a token: info was asked */
	char *api_url;               /* where the API was asked (no secrets), or NULL */
	struct authentik_info info;
};

#endif
