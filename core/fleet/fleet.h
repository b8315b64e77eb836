/* lab — the model kitetop watches: the configured hosts, services and shared
 * endpoints, and the sources (core/source.h) that poll them.
 *
 * The lab owns its sources; the configuration is borrowed and must outlive
 * the lab.  lab_start() starts every source thread; lab_stop() stops them all
 * and joins them within LAB_STOP_MS in total, however they are stuck.
 *
 * Thread use: lab_new/_start/_stop/_free and the control calls (refresh,
 * pause) are for the UI (or CLI) thread.  The struct fields below are set by
 * lab_new and never change afterwards, so any thread may read them; the data
 * itself is read only through source_get() snapshots. */
#ifndef KITETOP_CORE_FLEET_FLEET_H
#define KITETOP_CORE_FLEET_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config/config.h"
#include "core/feeds/source.h"
#include "core/base/wake.h"

/* Stats connections per SSH host: each is an SSH channel and a `docker
 * system dial-stdio` on the host, and two workers woke together for each
 * sample.  One answers a container a second (dockerd's tick): 30 idle
 * containers every 30 s, or 10 busy ones every 10 s. */
#define LAB_SSH_STATS_WORKERS 1

#define LAB_STOP_MS 1000

struct transport_ssh;
struct docker_container;

/* The value of a host's docker source. */
struct lab_containers {
	struct docker_container *items;
	size_t n;
	char *engine_version;       /* "20.10.24+dfsg1", or NULL */
};

/* The container called name in c (NULL-safe), or NULL. */
const struct docker_container *lab_containers_find(const struct lab_containers *c, const char *name);
/* A stand-in for a configured container that a host does not have:
 * state "missing", every figure unknown.  name is borrowed. */
struct docker_container lab_missing_container(const char *name);

struct lab_host {
	const struct config_host *cfg;
	const char *name;
	bool local;                 /* no ssh: this machine */
	struct transport_ssh *ssh;  /* the host's SSH session, or NULL (local, or failed: see ssh_error) */
	char *ssh_error;            /* why the transport could not be set up, or NULL */
	struct source *metrics;     /* value: struct metrics, from Prometheus (prom_selector
	                             * and [prometheus]) or this machine's /proc; NULL: none */
	struct source *docker;      /* value: struct lab_containers; NULL for docker = none */
	struct source *tunnel;      /* value: struct tunnel_state (core/tunnel.h); NULL: no tunnel_container */
	struct source *tailscale;   /* value: struct lab_tailscale (core/lab_tailscale.h); NULL without ssh */
};

/* The state of a host's SSH session: *connected, the error in words (empty
 * when none) and the round trip (-1 unknown).  For a local host: connected. */
struct lab_reach {
	bool known;                 /* false before the first connection attempt ended */
	bool connected;
	int rtt_ms;
	int64_t since_ms;
	char error[512];
};
void lab_host_reach(const struct lab_host *h, struct lab_reach *out);

struct lab {
	const struct config *cfg;
	struct lab_host *hosts;
	size_t nhosts;
	struct source **sources;    /* every source, for start/stop/refresh */
	size_t nsources;
	struct wake *wake;          /* borrowed */
	struct source *postgres;    /* value: struct pg_status; NULL when not configured */
	struct source *redis;       /* value: struct redis_status; NULL when not configured */
	struct source *cloudflare;  /* value: struct cf_tunnel, connectors matched to hosts (index) */
	struct source *panels;      /* value: struct panels (core/panels.h); NULL without panels */
	struct source *probes;      /* value: struct lab_probes (core/lab_probes.h); NULL: no probes */
	struct source *authentik;   /* value: struct lab_authentik (core/lab_probes.h); NULL: no [authentik] */
	struct docker_arg *docker_args;   /* private: one per host */
	struct prom_arg *prom_args;       /* private: one per host */
	struct lab_tunnel_arg *tunnel_args;   /* private: core/lab_tunnel.c */
	void *tailscale_args;             /* private: core/lab_tailscale.c's */
};

/* How to reach an HTTP endpoint `url` of a backend: through the SSH tunnels
 * of host `via` (a host name; NULL or a host without ssh: directly).  Sets
 * *unix_socket to a socket path to give libcurl (CURLOPT_UNIX_SOCKET_PATH;
 * NULL when direct; caller frees).  The URL itself is used unchanged: its
 * host:port is what the socket reaches, as seen from that host.  For
 * per-host URLs, {address} and {name} are replaced first (*url_out, caller
 * frees).  Callable from source threads.  -1 and *cause on error. */
int lab_http_endpoint(struct lab *lab, const char *via, const char *url, char **url_out,
                      char **unix_socket, char **cause);

/* A Docker client for host (through its SSH session, socket or tcp), for a
 * thread of its own (logs, actions).  stats_workers as in docker_options
 * (-1: none).  Caller frees with docker_free().  NULL and *cause on error. */
struct docker;
struct docker *lab_docker_open(struct lab_host *host, int timeout_ms, int stats_workers,
                               const atomic_int *cancel, char **cause);

/* wake (borrowed, may be NULL) is signalled on every new snapshot. */
struct lab *lab_new(const struct config *cfg, struct wake *wake);
int lab_start(struct lab *lab, char **cause);
/* Stops and joins every source; false when one did not end in time. */
bool lab_stop(struct lab *lab);
void lab_free(struct lab *lab);

/* Waits until every source published once or deadline (time_mono_ms) passed.
 * true when all did. */
bool lab_wait_all(struct lab *lab, int64_t deadline_mono_ms);
void lab_refresh_now(struct lab *lab);
void lab_set_paused(struct lab *lab, bool paused);
/* Changes whenever any snapshot or any host's SSH state does. */
uint64_t lab_generation(struct lab *lab);

#endif
