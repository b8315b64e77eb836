/* traffic — move a fleet's traffic between hosts by stopping and starting
 * their Cloudflare Tunnel connectors, safely: a host whose cloudflared is
 * stopped has no connections at the edge, so Cloudflare sends every request
 * to the other hosts' connectors.
 *
 *   drain HOST    stop HOST's tunnel_container (docker stop, t = the host's
 *                 stop_timeout, which must cover cloudflared's grace period
 *                 + 5 s), so that the edge sends everything elsewhere;
 *   undrain HOST  start it again;
 *   flip FROM TO  undrain TO when it is drained, verify it, then drain FROM.
 *
 * The interlock: a drain is refused unless at least one OTHER host has a
 * healthy connector, checked afresh at action time (tunnel_check): its
 * container running, its /ready (through that host) 200 with
 * readyConnections > 0, and, when [cloudflare] is configured, its connector
 * listed in the tunnel's connections with a live connection.  The refusal
 * names every other host and the check that failed for it.  force (the
 * command line's --force) skips it; the audit log then says forced.
 *
 * Verification: after a drain, the container no longer runs and, with the
 * API, the connector has no live connection left within TRAFFIC_VERIFY_MS
 * (the API is polled); after an undrain, /ready is 200 with connections and,
 * with the API, the new connector is listed with a live connection within
 * TRAFFIC_VERIFY_MS.
 *
 * Each action runs on core/action's thread (progress, audit log, read-only,
 * dry run: see action.h). */
#ifndef KITETOP_CORE_ACTIONS_TRAFFIC_H
#define KITETOP_CORE_ACTIONS_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/feeds/tunnel.h"
#include "core/base/wake.h"

#define TRAFFIC_VERIFY_MS 60000
#define TRAFFIC_POLL_MS 2000

struct fleet;
struct action;

enum traffic_verb { TRAFFIC_DRAIN, TRAFFIC_UNDRAIN, TRAFFIC_FLIP };

/* "drain", "undrain", "flip" (static). */
const char *traffic_verb_name(enum traffic_verb v);
/* true and *out for "drain", "undrain", "flip". */
bool traffic_verb_parse(const char *s, enum traffic_verb *out);

/* Pure: the interlock's verdict on draining host `drain` of n hosts, given
 * their fresh states (names[i] for states[i]; hosts without a tunnel are
 * not counted).  0 when allowed, *detail = which host(s) keep the traffic
 * ("kscloud1: ready, 4 connections"); -1 when refused, *detail = why:
 * "no other host has a healthy connector: kscloud1: cloudflared is exited".
 * Caller frees *detail. */
int traffic_interlock(const char *const *names, const struct tunnel_state *states, size_t n,
                      size_t drain, bool use_api, char **detail);

/* The question to confirm verb (pure; caller frees):
 * "Drain monk? All traffic goes to kscloud1.", "Undrain monk? Its connector
 * takes traffic again.", "Flip traffic from monk to kscloud1?". */
char *traffic_question(const struct fleet *fleet, enum traffic_verb verb, const char *host,
                       const char *to);

/* Whether verb on host (and to) can be a request at all: 0, or -1 with
 * *cause ("no host kitchen in the configuration", "monk has no
 * tunnel_container in the configuration", "flip needs two different
 * hosts").  Pure. */
int traffic_validate(const struct fleet *fleet, enum traffic_verb verb, const char *host,
                     const char *to, char **cause);

/* Starts verb on host (flip: from host to `to`; else to is NULL).  fleet must
 * outlive the action.  NULL with *cause for a request that cannot be one
 * ("no host kitchen", "monk has no tunnel_container", "flip needs two
 * different hosts"); else the action (core/action.h: action_status,
 * action_wait, action_free).  The owner calls feeds_refresh_now() when it
 * finished. */
struct action *traffic_start(struct fleet *fleet, enum traffic_verb verb, const char *host,
                             const char *to, bool force, bool dry_run, struct wake *wake,
                             char **cause);

#endif
