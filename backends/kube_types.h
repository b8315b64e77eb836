/* kube_types — what kitetop keeps of a Kubernetes cluster: the few fields of
 * each object it shows or acts on, decoded from the API's JSON
 * (backends/kube_decode*.c) and nothing else (no managedFields, no specs it
 * does not read).
 *
 * One `struct kube_cluster` is the whole published value of a cluster's
 * feed: immutable once published, owned by its snapshot, freed with
 * kube_cluster_free().  Every string is owned by the struct that holds it;
 * a NULL string means "absent from the object".  Times are wall-clock
 * milliseconds since the epoch, 0 when absent.
 *
 * Decoding is pure (no clock, no I/O): the same JSON always gives the same
 * struct, so tests feed recorded shapes and assert fields. */
#ifndef KITETOP_BACKENDS_KUBE_TYPES_H
#define KITETOP_BACKENDS_KUBE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A condition's status: "True", "False", "Unknown", or absent. */
enum kube_tri { KUBE_ABSENT = 0, KUBE_TRUE, KUBE_FALSE, KUBE_UNKNOWN };

/* Node pressure conditions with status "True" (bits of kube_node.pressure). */
enum {
	KUBE_PRESSURE_MEMORY = 1u << 0,
	KUBE_PRESSURE_DISK = 1u << 1,
	KUBE_PRESSURE_PID = 1u << 2,
	KUBE_NETWORK_UNAVAILABLE = 1u << 3,
};

struct kube_node {
	char *name;
	char *internal_ip;          /* status.addresses[type=InternalIP] */
	char *hostname;             /* status.addresses[type=Hostname] */
	char **roles;               /* from node-role.kubernetes.io/<role> labels, sorted */
	size_t nroles;
	bool etcd;                  /* node-role.kubernetes.io/etcd label present */
	char *arch;                 /* kubernetes.io/arch label or nodeInfo.architecture */
	char *kubelet;              /* status.nodeInfo.kubeletVersion */
	char *runtime;              /* status.nodeInfo.containerRuntimeVersion */
	bool unschedulable;         /* spec.unschedulable (cordoned) */
	enum kube_tri ready;        /* condition Ready */
	char *ready_reason;         /* its reason (KubeletReady, NodeStatusUnknown, ...) */
	int64_t ready_since_ms;     /* its lastTransitionTime */
	unsigned pressure;          /* KUBE_PRESSURE_* bits */
	char **taints;              /* "key:Effect" */
	size_t ntaints;
	int64_t alloc_cpu_m;        /* status.allocatable.cpu in millicores, -1 absent */
	int64_t alloc_mem_bytes;    /* status.allocatable.memory, -1 absent */
	int64_t alloc_pods;         /* status.allocatable.pods, -1 absent */
	int64_t created_ms;
};

struct kube_pod {
	char *ns, *name, *uid;
	char *node;                 /* spec.nodeName, NULL when not scheduled */
	char *phase;                /* status.phase */
	char *status;               /* kubectl's STATUS word (printPod): Running,
	                             * CrashLoopBackOff, Init:0/2, OOMKilled,
	                             * Terminating, Evicted, Completed, ... */
	int ready, containers;      /* READY column: ready/containers */
	int restarts;               /* sum of containerStatuses[].restartCount */
	char *last_reason;          /* the latest lastState.terminated.reason (OOMKilled, Error) or NULL */
	int64_t last_restart_ms;    /* its finishedAt */
	char *owner_kind;           /* the controller ownerReference: ReplicaSet, DaemonSet, ... */
	char *owner_name;
	bool mirror;                /* static pod (kubernetes.io/config.mirror annotation) */
	bool emptydir;              /* has an emptyDir volume (drain needs --delete-emptydir-data) */
	char *cnpg_cluster;         /* label cnpg.io/cluster, or NULL */
	bool cnpg_primary;          /* label cnpg.io/instanceRole=primary (or role=primary) */
	int64_t req_cpu_m;          /* kubectl describe's rule: max(max(init), sum(containers)) + overhead */
	int64_t req_mem_bytes;
	bool counts_for_node;       /* not Succeeded/Failed: charged to its node's requests */
	bool healthy;               /* Running and every container ready, or Succeeded */
	int64_t created_ms;
	int64_t deleting_ms;        /* metadata.deletionTimestamp, 0 when not set */
};

enum kube_workload_kind { KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET };

/* kubectl rollout status's verdict. */
enum kube_rollout { KUBE_ROLLOUT_DONE, KUBE_ROLLOUT_PROGRESSING, KUBE_ROLLOUT_FAILED, KUBE_ROLLOUT_PAUSED };

struct kube_workload {
	enum kube_workload_kind kind;
	char *ns, *name;
	int desired;                /* spec.replicas, or DaemonSet desiredNumberScheduled */
	int ready;                  /* readyReplicas / numberReady */
	int updated;                /* updatedReplicas / updatedNumberScheduled */
	int available;              /* availableReplicas / numberAvailable */
	int misscheduled;           /* DaemonSet numberMisscheduled, 0 otherwise */
	enum kube_rollout state;
	char *message;              /* rollout status's words when not done, e.g.
	                             * "Waiting for rollout to finish: 0 of 1 updated replicas are available..." */
	int64_t restarted_ms;       /* template annotation kubectl.kubernetes.io/restartedAt, 0 none */
	int64_t generation, observed_generation;
};

enum kube_gitops_kind { KUBE_KUSTOMIZATION, KUBE_HELMRELEASE, KUBE_GITREPOSITORY, KUBE_APPLICATION };

struct kube_gitops {
	enum kube_gitops_kind kind;
	char *ns, *name;
	enum kube_tri ready;        /* Flux: condition Ready; Argo: health Healthy → TRUE,
	                             * Degraded/Missing → FALSE, else UNKNOWN */
	char *reason;               /* Ready's reason (Flux), NULL for Argo */
	char *sync;                 /* Argo status.sync.status; NULL for Flux */
	char *health;               /* Argo status.health.status; NULL for Flux */
	char *revision;             /* Flux lastAppliedRevision / artifact.revision /
	                             * history[0].chartVersion; Argo sync.revision */
	char *attempted;            /* Flux lastAttemptedRevision, NULL otherwise */
	bool suspended;             /* Flux spec.suspend */
	bool auto_sync;             /* Argo spec.syncPolicy.automated present */
	char *message;              /* Ready's message (Flux) or health.message /
	                             * operationState.message (Argo) when not healthy */
	char *handled_at;           /* Flux status.lastHandledReconcileAt, verbatim */
	char *op_phase;             /* Argo status.operationState.phase */
	int64_t op_finished_ms;
	bool op_pending;            /* Argo: top-level "operation" set (a sync asked, not started) */
};

struct kube_volume {            /* Longhorn volumes.longhorn.io */
	char *name;
	char *pvc;                  /* kubernetesStatus.namespace/pvcName, or NULL */
	char *state;                /* attached, detached, ... */
	char *robustness;           /* healthy, degraded, faulted, unknown */
	char *node;                 /* status.currentNodeID */
	int replicas;               /* spec.numberOfReplicas */
	int healthy_replicas;       /* replicas.longhorn.io of it running and not failed */
	char **replica_nodes;       /* nodes of those healthy replicas */
	size_t nreplica_nodes;
};

struct kube_database {          /* CloudNativePG clusters.postgresql.cnpg.io */
	char *ns, *name;
	char *phase;                /* a sentence: "Cluster in healthy state" */
	int instances, ready_instances;
	char *primary;              /* status.currentPrimary */
	char *target_primary;       /* status.targetPrimary */
	char *primary_node;         /* the node of the primary's pod (joined), or NULL */
	int nodes_used;             /* status.topology.nodesUsed, -1 absent */
	bool ready;                 /* condition Ready True */
};

struct kube_event {             /* core/v1 Event, Warning only */
	int64_t time_ms;            /* series.lastObservedTime, lastTimestamp, eventTime,
	                             * then metadata.creationTimestamp */
	char *type;                 /* "Warning" */
	char *reason;
	char *object;               /* "Kind/namespace/name" ("Kind/name" when cluster-scoped) */
	char *message;
	int count;                  /* series.count or count, at least 1 */
};

struct kube_usage {             /* metrics.k8s.io NodeMetrics */
	char *node;
	int64_t cpu_m;              /* usage.cpu in millicores */
	int64_t mem_bytes;
};

/* Which optional APIs discovery found. */
struct kube_apis {
	bool metrics;               /* metrics.k8s.io */
	bool flux_kustomize, flux_helm, flux_source;
	bool argo;                  /* argoproj.io Applications */
	bool longhorn;              /* longhorn.io volumes and replicas */
	bool cnpg;                  /* postgresql.cnpg.io clusters */
};

/* A resource the cluster refused or failed to serve, in words:
 * "pods: forbidden: cannot list pods (403)". */
struct kube_problem {
	char *resource;
	char *error;
};

struct kube_cluster {
	char *name;                 /* the [cluster NAME] of the configuration */
	struct {
		bool ok;                /* /readyz answered ok */
		char *version;          /* /version gitVersion: "v1.33.6+k3s1" */
		char *via;              /* the server host the API is reached through */
		int etcd_members;       /* nodes with the etcd role; 0 when none (sqlite, external) */
		char *error;            /* why not ok, or NULL */
	} api;
	struct kube_apis apis;
	struct kube_node *nodes;     size_t nnodes;
	struct kube_pod *pods;       size_t npods;
	struct kube_workload *workloads; size_t nworkloads;
	struct kube_gitops *gitops;  size_t ngitops;
	struct kube_volume *volumes; size_t nvolumes;
	struct kube_database *databases; size_t ndatabases;
	struct kube_event *events;   size_t nevents;    /* newest first, at most KUBE_MAX_EVENTS */
	struct kube_usage *usage;    size_t nusage;     /* empty without metrics.k8s.io */
	struct kube_problem *problems; size_t nproblems;
	int64_t synced_ms;          /* when every watched resource was last in sync */
};

#define KUBE_MAX_EVENTS 200

void kube_node_done(struct kube_node *n);
void kube_pod_done(struct kube_pod *p);
void kube_workload_done(struct kube_workload *w);
void kube_gitops_done(struct kube_gitops *g);
void kube_volume_done(struct kube_volume *v);
void kube_database_done(struct kube_database *d);
void kube_event_done(struct kube_event *e);
void kube_usage_done(struct kube_usage *u);
void kube_cluster_free(struct kube_cluster *c);

/* Deep copies (a reflector's cache into a published value).  NULL only when
 * memory runs out. */
struct kube_cluster *kube_cluster_copy(const struct kube_cluster *c);

/* Names for the JSON and the screen. */
const char *kube_workload_kind_name(enum kube_workload_kind k);   /* "Deployment" */
const char *kube_gitops_kind_name(enum kube_gitops_kind k);       /* "Kustomization" */
const char *kube_rollout_name(enum kube_rollout r);               /* "done", "progressing", "failed", "paused" */

#endif
