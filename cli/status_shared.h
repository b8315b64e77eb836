/* status_shared — the shared sources in `kitetop status`'s text: PostgreSQL
 * (figures and the split-brain check, app by app and host by host), Redis,
 * the Cloudflare tunnel's connectors (whole ids), and a host's Tailscale.
 * The same facts as status_json's postgres, redis, cloudflare and
 * hosts[].tailscale.  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_SHARED_H
#define KITETOP_CLI_STATUS_SHARED_H

#include "core/base/buf.h"
#include "core/model/frame.h"

/* "  tailscale ..." for host i, nothing when its source is not configured. */
void status_shared_tailscale_text(const struct frame *f, size_t i, struct buf *out);

/* The postgres, redis and cloudflare blocks (each only when configured). */
void status_shared_text(const struct frame *f, struct buf *out);

#endif
