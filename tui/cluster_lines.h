/* cluster_lines — the words of the Cluster view (tui/view_cluster.c), as
 * pure text functions a unit test checks without a terminal: the API line,
 * the strip under the node columns (GitOps: Argo CD or Flux; Longhorn;
 * CloudNativePG; workloads not done, a DaemonSet missing on a node as ≠;
 * Warning events), a node's lines, a pod's row, and the worst-first list of
 * problems of a small screen.  Each line function appends to out and
 * returns the worst level it shows (for its colour); a line with nothing to
 * say appends nothing.  utf8 false: ASCII marks ("*", "!", "X", "!=").
 * now_ms is the frame's time. */
#ifndef KITETOP_TUI_CLUSTER_LINES_H
#define KITETOP_TUI_CLUSTER_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/kube_types.h"
#include "core/base/buf.h"
#include "core/model/cluster_nodes.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

/* "●" ok, "▲" warn, "✖" crit, "?" unknown (ASCII without UTF-8). */
const char *cluster_lines_mark(enum verdict_level l, bool utf8);

/* "k3s v1.33.6+k3s1  api ● via neko  etcd 2 ▲ even: losing either member
 * stops the API"; the API down: "api ✖ down: WHY (nodes as last seen)". */
enum verdict_level cluster_lines_api(const struct frame_cluster *c, bool utf8, struct buf *out);

/* "Argo CD 7 apps  5 ● Synced·Healthy  campfire OutOfSync  ✖ n8n Degraded
 * \"...\"" and, with Flux, "Flux ks 7: 6 ● ✖ apps HealthCheckFailed ..."
 * (a line per controller found); nothing without GitOps objects. */
enum verdict_level cluster_lines_gitops(const struct kube_cluster *k, bool utf8, struct buf *out);
/* "Longhorn 3 vol  2 ● healthy  ▲ pvc-n8n-data degraded 2/3 (neko)". */
enum verdict_level cluster_lines_longhorn(const struct kube_cluster *k, bool utf8, struct buf *out);
/* "CNPG 1 cluster  postgres 3/3 ● primary postgres-1@neko". */
enum verdict_level cluster_lines_cnpg(const struct kube_cluster *k, bool utf8, struct buf *out);
/* "Workloads ✖ n8n 0/1 failed  ▲ plane-api 0/1  ds ≠longhorn-manager 3/4";
 * "Workloads ● all at their desired state" when none is short. */
enum verdict_level cluster_lines_workloads(const struct kube_cluster *k, bool utf8, struct buf *out);
/* "Events ▲ 1m Pod/n8n/n8n-7c9d8f-q8zx BackOff: Back-off ... (x12)  ▲ 6m
 * ..." newest first, at most max of them. */
enum verdict_level cluster_lines_events(const struct kube_cluster *k, int64_t now_ms, size_t max,
                                        bool utf8, struct buf *out);

/* Whether pod p is a DaemonSet's pod not healthy on its node while that
 * DaemonSet is short of ready pods (the ≠ of a node column): its
 * ownerReference, or, without one (a recorded frame), a name of the
 * DaemonSet's followed by '-'. */
bool cluster_lines_ds_missing(const struct kube_cluster *k, const struct kube_pod *p);

/* A node's title ("neko · ctrl·etcd") and its right title ("● Ready",
 * "✖ NotReady", "▲ Ready, cordoned"), with the level. */
enum verdict_level cluster_lines_node_title(const struct kube_node *n, bool utf8, char *title, size_t tn,
                                            char *right, size_t rn);
/* The node's lines after the host's figures, each ending in '\n':
 *   "REQ cpu 62%  mem 48%   pods 34/110"
 *   "USED cpu 38%  mem 61%  (metrics.k8s.io)"  (when no [host] gives figures)
 *   "k3s v1.33.6+k3s1  ≠ (the others v1.33.6)"   (kubelet skew marked)
 *   "Mem ok  Disk ok  PID ok   sched on" or the pressures / NotReady reason
 *   "PG postgres-1 [P]   LH 2 vol ▲1 degraded"   (when there are any) */
void cluster_lines_node(const struct kube_cluster *k, const struct cluster_node_sum *s, bool utf8,
                        struct buf *out);
/* The header of the pod rows ("  POD  STATE  RST LAST"), aligned with them. */
void cluster_lines_pod_header(int width, char *out, size_t n);
/* A pod's row in width columns: mark, namespace/name, status, restarts,
 * last reason from 64 columns ("✖ n8n/n8n-7c9d8f-q8zx  CrashLoopBackOff  14 OOMKilled");
 * differs adds ≠ before the name. */
void cluster_lines_pod(const struct kube_pod *p, int width, bool differs, bool utf8, char *out, size_t n);
/* The cluster's problems worst first, a line each with its mark ("✖ API
 * down: ...", "▲ bobcat NotReady"), for the phone layout; "● no problem"
 * when there is none.  Returns the cluster's level. */
enum verdict_level cluster_lines_problems(const struct frame_cluster *c, int64_t now_ms, bool utf8,
                                          struct buf *out);

#endif
