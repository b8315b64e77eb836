/* view_cluster — view 7, a Kubernetes cluster: its nodes side by side as the
 * Overview's hosts are (each column a node merged with its [host]: the
 * host's figures, then the node's, then its pods worst first with kubectl's
 * status word), the cluster strip under them (GitOps, Longhorn,
 * CloudNativePG, workloads, Warning events), the API and etcd in its top
 * line.  Narrower than two columns: one node at a time with a node tab
 * strip; very small: the cluster's problems, worst first.  Tab / h / l
 * change the node, j / k select a pod, Enter shows the node in full (every
 * pod, the selected one's detail), Esc goes back; 7 again shows the next
 * cluster.  Without a [cluster]: how to configure one.  Its words are
 * tui/cluster_lines.h's. */
#ifndef KITETOP_TUI_VIEW_CLUSTER_H
#define KITETOP_TUI_VIEW_CLUSTER_H

#include "tui/views.h"

#define VIEW_CLUSTER_COL_MIN 48   /* a node column narrower than this: one node at a time */

extern const struct view view_cluster;

#endif
