/* status_text — `kitetop status` for a terminal, from one frame: the
 * overall level and its reasons, then per host its SSH state, figures,
 * tunnel, Tailscale and containers, then the services, Authentik, PostgreSQL
 * (with the split-brain check), Redis and Cloudflare blocks.  The same
 * facts as status_json.  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_TEXT_H
#define KITETOP_CLI_STATUS_TEXT_H

#include "core/base/buf.h"
#include "core/model/frame.h"

/* Appends the text to out. */
void status_text(const struct frame *f, struct buf *out);

#endif
