/* cluster_nodes — a Kubernetes node as kitetop's columns show it: merged
 * with the [host] of the same name (or whose address is the node's
 * InternalIP or Hostname), its figures worked out from the cluster's value:
 * CPU and memory used (metrics.k8s.io usage against allocatable), requested
 * (the requests of the pods charged to it against allocatable, as kubectl
 * describe node), pods n/max; and a node's pods worst first.  Pure. */
#ifndef KITETOP_CORE_MODEL_CLUSTER_NODES_H
#define KITETOP_CORE_MODEL_CLUSTER_NODES_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/kube_types.h"
#include "core/model/frame.h"

struct cluster_node_sum {
	const struct kube_node *node;
	const struct frame_host *host;   /* the [host] merged with it, or NULL */
	int pods;                        /* pods charged to it */
	int pods_max;                    /* allocatable pods, -1 unknown */
	int bad;                         /* its pods not healthy */
	double cpu_pct, mem_pct;         /* used, to 0.1; NAN unknown (no metrics) */
	double req_cpu_pct, req_mem_pct; /* requested, to 0.1; NAN unknown */
};

/* The [host] of f merged with node n, or NULL. */
const struct frame_host *cluster_node_host(const struct frame *f, const struct kube_node *n);
/* Node k->nodes[i]'s figures. */
void cluster_node_sum(const struct frame *f, const struct kube_cluster *k, size_t i,
                      struct cluster_node_sum *out);
/* The pods of node (NULL: not scheduled on any node), worst first (severity,
 * then restarts, then namespace/name); pods without a name (a recording's
 * healthy pods, frame_json) are left out.  *n gets the count; caller frees
 * the array (not the pods). */
const struct kube_pod **cluster_node_pods(const struct kube_cluster *k, const char *node, size_t *n);
/* All pods not healthy in the cluster, worst first; the same rules. */
const struct kube_pod **cluster_bad_pods(const struct kube_cluster *k, size_t *n);

#endif
