/* status_tunnel — the hosts[].tunnel part of `kitetop status`: the JSON
 * object {container, state, ready, connections, drained} and its text
 * line, from a host of the frame.  Pure renderers: no I/O. */
#ifndef KITETOP_CLI_STATUS_TUNNEL_H
#define KITETOP_CLI_STATUS_TUNNEL_H

#include <cjson/cJSON.h>

#include "core/base/buf.h"
#include "core/feeds/tunnel.h"
#include "core/model/frame.h"

/* The object for one state (NULL or not configured: JSON null).  Caller
 * deletes.  ready: true / false / null (unknown); connections: /ready's
 * readyConnections, else the API's live connections, else null. */
cJSON *status_tunnel_state_json(const struct tunnel_state *ts);
/* The object for host h (null when it has no tunnel_container; a source
 * without an answer yet, or whose latest poll failed: state "unknown",
 * the rest null). */
cJSON *status_tunnel_json(const struct frame_host *h);
/* One text line for host h, "  tunnel  cloudflared running, ready, 4 connections\n";
 * nothing when it has no tunnel. */
void status_tunnel_text(const struct frame_host *h, struct buf *out);

#endif
