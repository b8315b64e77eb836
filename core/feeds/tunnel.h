/* tunnel — one host's Cloudflare Tunnel connector: its container, its
 * readiness (cloudflared's /ready, reached through that host) and, when
 * [cloudflare] is configured, what the Cloudflare API lists for it
 * (GET .../cfd_tunnel/{id}/connections: one entry per connector, its live
 * connections to the edge).
 *
 * The decisions (is it drained, is it ready, is it healthy enough to carry
 * all traffic) are pure functions over a struct tunnel_state, unit-tested
 * without a network.  tunnel_check() fills a state afresh (Docker, /ready
 * and optionally the API, all now) for the traffic actions' interlock and
 * verification; the per-host source (core/feeds/feed_tunnel.c)
 * fills the same struct every refresh from the host's docker snapshot, a
 * fresh /ready and the cloudflare source's snapshot.
 *
 * Thread use: tunnel_check() blocks (bounded by the configured timeout per
 * request): call it from a source or action thread, never the UI's. */
#ifndef KITETOP_CORE_FEEDS_TUNNEL_H
#define KITETOP_CORE_FEEDS_TUNNEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/cloudflare.h"

struct fleet;
struct http_client;
struct docker_container;

#define TUNNEL_COLOS_LEN 64

struct tunnel_state {
	bool configured;            /* the host has a tunnel_container */
	char container[128];        /* its name */
	char docker_state[16];      /* "running", "exited", ..., "missing"; "unknown" when
	                             * Docker did not answer (docker_error says why) */
	bool drained;               /* the container is there but not running */
	int ready;                  /* 1 /ready says ready, 0 not ready, -1 unknown */
	int ready_status;           /* HTTP status of /ready; 0 no answer */
	int ready_connections;      /* readyConnections; -1 unknown */
	char connector_id[CF_ID_LEN];   /* from /ready; "" unknown */
	/* from the Cloudflare API, when [cloudflare] is configured: */
	int api_listed;             /* 1 a connector of this host is listed, 0 none, -1 unknown */
	char api_connector[CF_ID_LEN];  /* the id of the listed one */
	int api_conns;              /* its connections; -1 unknown */
	int api_live;               /* of which not pending reconnect; -1 unknown */
	char colos[TUNNEL_COLOS_LEN];   /* "fra08 ams01" (live connections' colos, once each) */
	char opened_at[40];         /* the earliest live connection's, as sent */
	char docker_error[256];     /* words, "" none */
	char ready_error[256];
	char api_error[256];
	int64_t checked_ms;         /* time_real_ms() of the check */
};

/* An unconfigured, all-unknown state for container (NULL: not configured). */
void tunnel_state_init(struct tunnel_state *ts, const char *container);

/* Docker's view: dc is the container (NULL: the host has none of that name),
 * or error (words) when Docker could not be asked.  Sets docker_state and
 * drained (present and not running). */
void tunnel_apply_docker(struct tunnel_state *ts, const struct docker_container *dc,
                         const char *error);

/* The readiness decision from one /ready exchange: http_status and body of
 * the response (http_status 0 and transport_error when none came).  Ready
 * when the status is 200 and readyConnections (when the body has it) > 0;
 * not ready on any other status, or when nothing answers while the
 * container is known not to run; unknown when the request failed while the
 * container runs or its state is unknown.  Call after tunnel_apply_docker. */
void tunnel_apply_ready(struct tunnel_state *ts, long http_status, const char *body, size_t len,
                        const char *transport_error);

/* The API's view: the connector of t (NULL with error: the API failed; NULL
 * without: not configured) that belongs to this host: the one whose id is
 * ts->connector_id, else the one cf_match() gave host index `host`. */
void tunnel_apply_cloudflare(struct tunnel_state *ts, const struct cf_tunnel *t, int host,
                             const char *error);

/* Whether the connector can carry all traffic: container running, ready (1)
 * with readyConnections > 0, and with the API (use_api) listed with a live
 * connection.  When not, *why (may be NULL) says which check failed, in
 * words: "cloudflared is exited", "/ready answers 503", "/ready: connection
 * refused", "its connector is not in the tunnel's connections",
 * "the Cloudflare API: HTTP 429, ...".  Pure. */
bool tunnel_healthy(const struct tunnel_state *ts, bool use_api, char *why, size_t n);

/* Whether tunnel_healthy()'s "no" (use_api as given it) comes from a check
 * that got no answer: Docker's state unknown (docker_error), no /ready
 * exchange (a transport error, also a link that died), or with the API,
 * the API's error.  false when healthy, or when the failing check answered
 * ("cloudflared is exited", "/ready answers 503", not listed, no live
 * connection): the state itself says no.  Pure. */
bool tunnel_unseen(const struct tunnel_state *ts, bool use_api);

/* A short summary for a line: "DRAINED (cloudflared exited)",
 * "ready, 4 connections", "not ready (/ready 503)", "no tunnel". */
void tunnel_summary(const struct tunnel_state *ts, char *out, size_t n);

/* GET the tunnel's connections now (fleet->cfg->cloudflare must be set),
 * matched to the fleet's hosts by origin ip only (the caller matches by
 * connector id through tunnel_apply_cloudflare).  -1 with *cause. */
int tunnel_fetch_api(struct fleet *fleet, struct http_client *http, struct cf_tunnel *out,
                     char **cause);

/* /ready of host (index into fleet->hosts) now, through that host, into ts
 * (after its docker part).  http is the caller's client (its thread's). */
void tunnel_fetch_ready(struct fleet *fleet, size_t host, struct http_client *http,
                        struct tunnel_state *ts);

/* A fresh check of host's connector: its container's state from Docker
 * now, /ready now, and, when api is not NULL or api_error is set, that
 * API answer (fetched once for all hosts with tunnel_fetch_api).  cancel
 * (may be NULL) ends waits early.  Never fails: what could not be learnt
 * is unknown with its error in words. */
void tunnel_check(struct fleet *fleet, size_t host, struct http_client *http,
                  const struct cf_tunnel *api, const char *api_error, const atomic_int *cancel,
                  struct tunnel_state *out);

#endif
