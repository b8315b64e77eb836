/* feed_cluster_internal — shared by feed_cluster.c (the source, the
 * cluster's thread) and feed_cluster_conn.c (reaching the API: the via
 * hosts in order, the credentials, discovery). */
#ifndef KITETOP_CORE_FEEDS_FEED_CLUSTER_INTERNAL_H
#define KITETOP_CORE_FEEDS_FEED_CLUSTER_INTERNAL_H

#include <stdatomic.h>

#include "backends/kube_client.h"
#include "core/config/config.h"
#include "core/fleet/fleet.h"

/* Connects kc to the cluster: for each via host in order (none: directly),
 * the route to cfg->api, the credentials, /version and /apis.  0 with
 * *version (caller frees) and *apis; -1 with *cause naming every host tried
 * ("neko: unreachable: ...; neko2: forbidden ..."). */
int feed_cluster_connect(struct fleet *fleet, const struct config_cluster *cfg,
                         struct kube_client *kc, const atomic_int *cancel, char **version,
                         struct kube_apis *apis, char **cause);

/* The shell command that prints a remote kubeconfig: cat, else sudo -n cat,
 * else a line "KITETOP-UNREADABLE <user>".  Caller frees.  Pure. */
char *feed_cluster_cat_command(const char *path);

#endif
