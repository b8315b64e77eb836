/* verdict_cluster — what kitetop concludes about a Kubernetes cluster from
 * the frame (struct frame_cluster: its feed and its struct kube_cluster).
 * Pure: no I/O, no clock (ages are taken against the frame's taken_ms).
 *
 * The rules, each finding one reason line "CLUSTER: what":
 *   - the API: its feed not answered yet is unknown; failed (an error, with
 *     or without a last value) or /readyz not ok is critical ("axiomlayer:
 *     API down: ..."); the rest of a stale value is not judged (the view
 *     shows it, marked stale).
 *   - nodes: a node not Ready (False or Unknown) is a warning while the
 *     cluster can go on without it, critical when it is an etcd member whose
 *     loss leaves etcd without a quorum (ready members <= members / 2), or
 *     when no node is Ready at all; a pressure condition (memory, disk, PID,
 *     network unavailable) on a Ready node is a warning.  A cordoned node is
 *     no problem (someone chose it).
 *   - a two-member etcd is shown (status "etcd_members": 2, the view's ▲
 *     on the API line: losing either member stops the API) but is no
 *     finding of its own while both are Ready: a standing warning would keep
 *     `check` from ever saying OK for such a cluster, and the moment it
 *     matters (one member NotReady) is critical by the rule above.
 *   - pods (not on a NotReady node: the node says it): a container that
 *     crashes or cannot start (CrashLoopBackOff, ImagePullBackOff,
 *     ErrImagePull, CreateContainerConfigError, OOMKilled, Error, ...,
 *     also behind "Init:"), a pod Pending, or Running and not ready, for
 *     more than VERDICT_CLUSTER_POD_GRACE_MS since it was created: a
 *     warning each (at most VERDICT_CLUSTER_MAX_POD_LINES lines, then one
 *     "and N more pods not healthy").
 *   - workloads: a failed rollout (progress deadline exceeded) is
 *     critical when none of its replicas is ready, else a warning; a
 *     rollout in progress or paused is no finding (its pods are judged).
 *   - GitOps: a Flux object not Ready (False; suspended ones are not
 *     judged), an Argo Application Degraded or Missing, or whose last
 *     operation Failed or Errored: a warning.  OutOfSync alone is not
 *     (auto-sync may be off on purpose); the view shows it.
 *   - Longhorn: a faulted volume is critical (no healthy replica), a
 *     degraded one a warning.
 *   - CloudNativePG: a cluster with no ready instance is critical, with
 *     fewer ready than its instances (or not Ready) a warning. */
#ifndef KITETOP_CORE_MODEL_VERDICT_CLUSTER_H
#define KITETOP_CORE_MODEL_VERDICT_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/kube_types.h"
#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

#define VERDICT_CLUSTER_POD_GRACE_MS (5 * 60 * 1000)
#define VERDICT_CLUSTER_MAX_POD_LINES 20

/* The parts of a cluster's verdict, each with its lines appended to reasons
 * (may be NULL).  The API's part first: when it is not ok (or not answered)
 * the other parts are ok and say nothing. */
enum verdict_level verdict_cluster_api(const struct frame_cluster *c, struct buf *reasons);
enum verdict_level verdict_cluster_nodes(const struct frame_cluster *c, struct buf *reasons);
/* Pods, workloads, GitOps, volumes, databases; now_ms is the frame's time. */
enum verdict_level verdict_cluster_objects(const struct frame_cluster *c, int64_t now_ms,
                                           struct buf *reasons);
/* All three: the cluster's level. */
enum verdict_level verdict_cluster_level(const struct frame_cluster *c, int64_t now_ms,
                                         struct buf *reasons);

/* verdict_cluster_level, and also levels (may be NULL) gets a character
 * per reason line, that line's level: 'o' ok, 'w' warn, 'c' crit, 'u'
 * unknown (the small screen's worst-first list). */
enum verdict_level verdict_cluster_lines(const struct frame_cluster *c, int64_t now_ms,
                                         struct buf *reasons, struct buf *levels);

/* The value the verdicts judge: the cluster's value when its feed answered
 * without an error and the API is ok, else NULL. */
const struct kube_cluster *verdict_cluster_fresh(const struct frame_cluster *c);

/* Per object (pure, for the views and status): */
/* A node counts as Ready (condition Ready True). */
bool verdict_kube_node_ready(const struct kube_node *n);
/* How bad a pod is, to sort worst first: 0 healthy (Running and ready, or
 * Succeeded), 1 starting or waiting (Pending, ContainerCreating,
 * Terminating, Running not ready, Init:...), 2 not healthy for long or
 * evicted, 3 crashing or failing (CrashLoopBackOff, ImagePullBackOff,
 * OOMKilled, Error, Unknown, ...). */
int verdict_kube_pod_severity(const struct kube_pod *p);
/* Whether the pod is a finding as of now_ms (the rule above), on a node
 * that is Ready. */
bool verdict_kube_pod_bad(const struct kube_pod *p, int64_t now_ms);
/* A workload's level (failed rollout). */
enum verdict_level verdict_kube_workload_level(const struct kube_workload *w);
/* A GitOps object's level. */
enum verdict_level verdict_kube_gitops_level(const struct kube_gitops *g);
/* A Longhorn volume's level: faulted crit, degraded warn. */
enum verdict_level verdict_kube_volume_level(const struct kube_volume *v);
/* A CloudNativePG cluster's level. */
enum verdict_level verdict_kube_database_level(const struct kube_database *d);
/* The node called name in k, or NULL. */
const struct kube_node *verdict_kube_node_named(const struct kube_cluster *k, const char *name);

/* The counts `check` gives as perfdata: nodes not Ready, failed rollouts,
 * GitOps objects failing, faulted volumes, databases not healthy, over
 * every cluster whose value is fresh. */
struct verdict_cluster_counts {
	size_t nodes, nodes_notready, rollouts_failed, gitops_failed, volumes_faulted, databases_bad;
};
void verdict_cluster_counts(const struct frame *f, struct verdict_cluster_counts *out);

#endif
