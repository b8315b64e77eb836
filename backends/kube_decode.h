/* kube_decode — the Kubernetes API's JSON objects into kube_types' structs.
 *
 * Each decoder takes one object (an item of a list, or a watch event's
 * "object") as cJSON and fills *out, which the caller then owns (free with
 * the type's _done).  They are pure: no clock, no I/O, no global state; an
 * object missing the fields kitetop needs (metadata.name above all) is
 * refused with -1 and *cause in words, and *out is left empty.  Fields of
 * the wrong JSON type are treated as absent, never trusted.
 *
 * Quantities ("250m", "1.5Gi", "329087452n", "2e3") are parsed with
 * kube_quantity_parse.  Times (RFC 3339, with or without fraction and
 * offset) with kube_time_parse. */
#ifndef KITETOP_BACKENDS_KUBE_DECODE_H
#define KITETOP_BACKENDS_KUBE_DECODE_H

#include <stdint.h>

#include "backends/kube_types.h"

struct cJSON;

/* A quantity in thousandths of its unit (millicores for CPU, millibytes for
 * memory: divide by 1000), rounded up as the API does.  -1 on a malformed
 * one or an overflow (beyond int64 thousandths). */
int kube_quantity_parse(const char *s, int64_t *milli);
/* An RFC 3339 time into ms since the epoch; -1 when malformed. */
int kube_time_parse(const char *s, int64_t *ms);

int kube_decode_node(const struct cJSON *obj, struct kube_node *out, char **cause);
/* Also computes status (printPod), ready/containers, restarts, requests. */
int kube_decode_pod(const struct cJSON *obj, struct kube_pod *out, char **cause);
/* kind from the object's "kind", or from `kind` when the object has none
 * (watch events and list items carry none). */
int kube_decode_workload(const struct cJSON *obj, enum kube_workload_kind kind,
                         struct kube_workload *out, char **cause);
int kube_decode_gitops(const struct cJSON *obj, enum kube_gitops_kind kind,
                       struct kube_gitops *out, char **cause);
/* A Longhorn volume; healthy_replicas and replica_nodes are filled later by
 * kube_volumes_join from the replicas. */
int kube_decode_volume(const struct cJSON *obj, struct kube_volume *out, char **cause);
/* A Longhorn replica: its volume, node, and whether it is healthy (running,
 * no failedAt).  Strings are the caller's (free both). */
int kube_decode_replica(const struct cJSON *obj, char **volume, char **node, bool *healthy,
                        char **cause);
int kube_decode_database(const struct cJSON *obj, struct kube_database *out, char **cause);
/* Only Warning events are kept: a Normal one returns 1 with *out empty. */
int kube_decode_event(const struct cJSON *obj, struct kube_event *out, char **cause);
int kube_decode_usage(const struct cJSON *obj, struct kube_usage *out, char **cause);

/* The whole /version object's gitVersion (caller frees), or NULL. */
char *kube_decode_version(const char *json, size_t len);

/* Joins that need several kinds of object: a database's primary_node from
 * the pods, and each volume's healthy replicas from the replicas decoded
 * with kube_decode_replica (parallel arrays of n).  Pure. */
void kube_databases_join(struct kube_database *dbs, size_t ndbs, const struct kube_pod *pods,
                         size_t npods);
void kube_volumes_join(struct kube_volume *vols, size_t nvols, char *const *rep_volume,
                       char *const *rep_node, const bool *rep_healthy, size_t nrep);

/* kubectl's printPod STATUS word for a pod object; caller frees.  Exposed
 * for tests; kube_decode_pod sets it. */
char *kube_pod_status_word(const struct cJSON *pod);

#endif
