/* status_tunnel — the hosts[].tunnel part of `kitetop status` (DESIGN.md's
 * JSON: {container, state, ready, connections, drained}), its text line and
 * its share of the overall verdict.  Read from the hosts' tunnel sources
 * (core/lab_tunnel.c); the *_state functions are pure, for tests. */
#ifndef KITETOP_CORE_MODEL_STATUS_TUNNEL_H
#define KITETOP_CORE_MODEL_STATUS_TUNNEL_H

#include <cjson/cJSON.h>

#include "core/base/buf.h"
#include "core/fleet/fleet.h"
#include "core/model/status.h"
#include "core/feeds/tunnel.h"

/* The object for one state (NULL or not configured: JSON null).  Caller
 * deletes.  ready: true / false / null (unknown); connections: /ready's
 * readyConnections, else the API's live connections, else null. */
cJSON *status_tunnel_state_json(const struct tunnel_state *ts);
/* The object for host h (null when it has no tunnel_container; a source
 * without a snapshot yet: state "unknown", the rest null). */
cJSON *status_tunnel_json(const struct lab_host *h);
/* One text line for host h, "  tunnel  cloudflared running, ready, 4 connections\n";
 * nothing when it has no tunnel. */
void status_tunnel_text(const struct lab_host *h, struct buf *out);

/* Pure: the level of n states: a drained host or a connector not ready is
 * a warning, every configured connector down is critical; reasons (may be
 * NULL) get "monk: tunnel drained (cloudflared exited)" lines. */
enum status_level status_tunnel_level_states(const char *const *names,
                                             const struct tunnel_state *states, size_t n,
                                             struct buf *reasons);
/* The same over the lab's tunnel sources (hosts not connected are left to
 * the reachability verdict). */
enum status_level status_tunnel_level(struct lab *lab, struct buf *reasons);

#endif
