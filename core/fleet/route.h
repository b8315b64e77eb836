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
/* The words for a failure reached through relay (a host's name; NULL:
 * direct, err returned as it is).  When the relay's SSH session is down
 * (reach->connected false) the far end is not to blame: err's "source: "
 * prefix (postgres, redis, prometheus, docker) is kept and the rest
 * becomes "RELAY unreachable: <its SSH error>" ("connecting" before the
 * first attempt ended).  Otherwise every word beginning with sock (the
 * private socket path kitetop forwards through, which means nothing to the
 * reader) becomes "via RELAY to TARGET".  sock and target may be NULL.
 * Pure.  Caller frees. */
char *route_error_words(const char *err, const char *relay, const struct fleet_reach *reach,
                        const char *sock, const char *target);
/* route_error_words for a host's relay (via may be NULL) into *cause, in
 * place; nothing when *cause is NULL. */
void route_error_blame(struct fleet_host *via, const char *sock, const char *target, char **cause);
struct docker *route_docker_open(struct fleet_host *host, int timeout_ms, int stats_workers,
                                 const atomic_int *cancel, char **cause);

#endif
