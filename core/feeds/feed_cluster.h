/* feed_cluster — a [cluster NAME]: the source whose value is a struct
 * kube_cluster (backends/kube_types.h).
 *
 * Threads: the source's own thread only copies the latest value; a thread
 * of the cluster's (started and joined by the source's thread) holds the
 * connection: it reaches the API through the first `via` host whose SSH
 * session answers (core/fleet/route.h), reads the credentials (K3s's
 * kubeconfig over that session, a local kubeconfig, or the token), runs
 * discovery, then holds every list + watch at once on one curl multi handle
 * (backends/kube_reflector.h) and asks /readyz and metrics.k8s.io once a
 * refresh.  A change is published at most FEED_CLUSTER_COALESCE_MS after it
 * came (bursts in one value), by asking the source to poll at once; idle
 * with its watches held it sleeps in poll(2) until the next refresh.  When
 * the API cannot be reached (every via tried), the source's error says why
 * and the last value stays. */
#ifndef KITETOP_CORE_FEEDS_FEED_CLUSTER_H
#define KITETOP_CORE_FEEDS_FEED_CLUSTER_H

#include <stddef.h>

#include "backends/kube_types.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

#define FEED_CLUSTER_COALESCE_MS 150

/* The source of the i-th [cluster], or NULL when there is none.  fleet must
 * outlive it. */
struct source *feed_cluster_new(struct fleet *fleet, size_t i, struct wake *wake);

/* The value of one of these sources' snapshots, typed; NULL when none. */
const struct kube_cluster *feed_cluster_value(const struct snapshot *s);

#endif
