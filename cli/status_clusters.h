/* status_clusters — the Kubernetes clusters in `kitetop status`: the
 * document's "clusters" array (null when no [cluster] is configured) and
 * the text block.  Per cluster: name, error (the API's failure in words, or
 * "no answer yet"; null when it answered), api {ok, version, via,
 * etcd_members}, nodes (each merged with its [host]: ready, roles, kubelet,
 * unschedulable, pressure, CPU/memory used and requested in %, pods n/max),
 * pods (every pod not Running-and-ready, worst first; with all, every pod),
 * workloads (not at their desired state), gitops, volumes (Longhorn),
 * databases (CloudNativePG) and the Warning events, newest first.  The
 * sections of a cluster whose feed has no value are null; with an error
 * and a value, they are the last value's (stale).  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_CLUSTERS_H
#define KITETOP_CLI_STATUS_CLUSTERS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/base/buf.h"
#include "core/model/frame.h"

/* Caller deletes. */
cJSON *status_clusters_json(const struct frame *f, bool all);
/* Appends the text lines (nothing without a [cluster]). */
void status_clusters_text(const struct frame *f, struct buf *out);

#endif
