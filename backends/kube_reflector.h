/* kube_reflector — a cluster's resources kept in sync by list + watch, all
 * on one kube_client's multi handle, on the thread that owns the client.
 *
 * For each resource (nodes, pods, deployments, statefulsets, daemonsets,
 * Warning events, and the CRDs discovery found: Flux kustomizations,
 * helmreleases, gitrepositories, Argo applications, Longhorn volumes and
 * replicas, CloudNativePG clusters), and for pods and events once per
 * configured namespace: LIST (limit=500, following continue) then WATCH
 * (allowWatchBookmarks, from the list's resourceVersion, a jittered
 * timeoutSeconds of 5 to 10 min), decoded into a cache keyed by
 * namespace/name.  A clean close rewatches from the last resourceVersion;
 * 410 (an HTTP status or an ERROR event) relists; a watch that keeps closing
 * at once backs off, then relists (kube_watch.h).  A resource that fails
 * keeps its last objects and says why in the snapshot's problems. */
#ifndef KITETOP_BACKENDS_KUBE_REFLECTOR_H
#define KITETOP_BACKENDS_KUBE_REFLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/kube_client.h"
#include "backends/kube_types.h"

enum kube_res {
	KUBE_R_NODES, KUBE_R_PODS, KUBE_R_DEPLOYMENTS, KUBE_R_STATEFULSETS, KUBE_R_DAEMONSETS,
	KUBE_R_EVENTS, KUBE_R_KUSTOMIZATIONS, KUBE_R_HELMRELEASES, KUBE_R_GITREPOSITORIES,
	KUBE_R_APPLICATIONS, KUBE_R_LH_VOLUMES, KUBE_R_LH_REPLICAS, KUBE_R_CNPG_CLUSTERS, KUBE_R_N
};
const char *kube_res_name(enum kube_res r);   /* "pods", "helmreleases" */

struct kube_reflector;

/* kc is borrowed (outlives the reflector); namespaces too (NULL/0: all). */
struct kube_reflector *kube_reflector_new(struct kube_client *kc, char *const *namespaces,
                                          size_t nnamespaces);
void kube_reflector_free(struct kube_reflector *r);

/* After a (re)connection and discovery: ends every stream, then holds the
 * resources that exist (the core ones always; the CRDs per apis), each
 * listed again at once.  The caches of resources no longer there are
 * emptied; the others keep their objects until the new list replaces them. */
void kube_reflector_start(struct kube_reflector *r, const struct kube_apis *apis);
/* Ends every stream (the connection is going away); caches are kept. */
void kube_reflector_stop(struct kube_reflector *r);

/* Runs the streams for at most wait_ms (less when one is due sooner; an
 * http_client_wakeup or the cancel flag end it early).  True when a cache
 * changed since the last call. */
bool kube_reflector_step(struct kube_reflector *r, long wait_ms);

/* True when every held resource has been listed since the last start. */
bool kube_reflector_synced(const struct kube_reflector *r);

/* A new value with the caches' objects (nodes, pods, workloads, gitops,
 * volumes joined with their replicas, databases joined with the pods,
 * events newest first, at most KUBE_MAX_EVENTS) and each failing
 * resource's problem.  The caller fills name, api, apis and usage, and
 * frees it with kube_cluster_free. */
struct kube_cluster *kube_reflector_snapshot(struct kube_reflector *r);

/* For tests and fuzzing: bytes of a watch stream given to the (first)
 * stream of res, as if the API had sent them (after kube_reflector_start;
 * no network).  -1 when the stream would end there (an ERROR event, an
 * event too long, a line that is not JSON). */
int kube_reflector_feed(struct kube_reflector *r, enum kube_res res, const char *data, size_t len);
/* The resourceVersion res's (first) stream would watch from, or NULL. */
const char *kube_reflector_rv(const struct kube_reflector *r, enum kube_res res);

/* Counters for tests and the bench: lists and watches started. */
struct kube_reflector_stats {
	unsigned lists, watches, relists, bookmarks, events;
};
void kube_reflector_stats(const struct kube_reflector *r, struct kube_reflector_stats *out);

#endif
