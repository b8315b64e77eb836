/* route — how kitetop reaches a host's services: directly, or through the
 * SSH transport of the host named by a `via` (Prometheus, PostgreSQL, Redis,
 * probes, Authentik, a tunnel's /ready) or of the host itself (its Docker
 * engine).  The backends speak plain HTTP or the PostgreSQL protocol to the
 * unix socket this hands them and never know whether SSH is in the path.
 *
 * Callable from any thread (feeds, actions): the fleet is read-only after
 * fleet_new, and the transports lock their own state. */
#ifndef KITETOP_CORE_FLEET_ROUTE_H
#define KITETOP_CORE_FLEET_ROUTE_H

#include <stdatomic.h>

#include "core/fleet/fleet.h"

/* Stats connections per SSH host: each is an SSH channel and a `docker
 * system dial-stdio` on the host, and two workers woke together for each
 * sample.  One answers a container a second (dockerd's tick): 30 idle
 * containers every 30 s, or 10 busy ones every 10 s. */
#define ROUTE_SSH_STATS_WORKERS 1

/* The host named via (NULL: none), or NULL with *cause when there is none. */
struct fleet_host *route_via(struct fleet *fleet, const char *via, char **cause);

/* How to reach an HTTP endpoint `url`: through the SSH tunnels of host `via`
 * (a host name; NULL or a host without ssh: directly).  Sets *unix_socket to
 * a socket path to give libcurl (CURLOPT_UNIX_SOCKET_PATH; NULL when direct;
 * caller frees).  The URL itself is used unchanged: its host:port is what
 * the socket reaches, as seen from that host.  For per-host URLs, {address}
 * and {name} are replaced first (*url_out, caller frees).  -1 and *cause on
 * error. */
int route_http(struct fleet *fleet, const char *via, const char *url, char **url_out,
               char **unix_socket, char **cause);

/* A Docker client for host (through its SSH session, socket or tcp), for a
 * thread of its own (feeds, logs, actions).  stats_workers as in
 * docker_options (-1: none).  Caller frees with docker_free().  NULL and
 * *cause on error. */
struct docker;
struct docker *route_docker_open(struct fleet_host *host, int timeout_ms, int stats_workers,
                                 const atomic_int *cancel, char **cause);

#endif
