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
 * Truthful outcomes: when the link to the host dies after docker stop/start
 * was sent, the engine's state is looked at again once the link is back
 * (action_docker_act); when it cannot be seen in time, or the checks that
 * verify (/ready through the host, the Cloudflare API) give no answer until
 * TRAFFIC_VERIFY_MS, the result is unknown (ACTION_UNKNOWN, exit 3, audit
 * "unknown", the message says what to check), never failed: only an answer
 * (the engine's state, a /ready status, the API's list) makes a failure.
 * A flip whose undrain is not verified (failed or unknown) stops there
 * without draining FROM, so that a flip never leaves both hosts drained.
 *
 * Each action runs on core/action's thread (progress, audit log, read-only,
 * dry run: see action.h). */
#ifndef KITETOP_CORE_ACTIONS_TRAFFIC_H
#define KITETOP_CORE_ACTIONS_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/actions/action.h"
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

/* Where a drained host's connector stands in one answer of the API. */
enum traffic_edge {
	TRAFFIC_EDGE_GONE,          /* not listed, or listed without a live connection */
	TRAFFIC_EDGE_LIVE,          /* listed with live connections */
	TRAFFIC_EDGE_UNSEEN,        /* the API did not answer */
};
/* Pure: the connector old (its id; "" unknown: then the one cf_match gave
 * host index `host`) in api (NULL: the API did not answer).  *c (may be
 * NULL) is the listed connector, or NULL. */
enum traffic_edge traffic_drain_edge(const struct cf_tunnel *api, const char *old, int host,
                                     const struct cf_connector **c);

/* Pure: a verification's verdict after one look.  verified: OK.  Else,
 * before the deadline (timed_out false) and not cancelled: RUNNING (look
 * again).  Cancelled: FAILED.  At the deadline: UNKNOWN when the last look
 * got no answer (unseen), FAILED when it answered no. */
enum action_result traffic_wait_verdict(bool verified, bool unseen, bool timed_out,
                                        bool cancelled);

/* Pure: whether a flip goes on to drain FROM after the undrain of TO ended
 * with `undrain` (ACTION_OK; ACTION_RUNNING when TO was not drained and
 * nothing was done).  Not after FAILED or UNKNOWN: FROM stays as it is. */
bool traffic_flip_goes_on(enum action_result undrain);

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
