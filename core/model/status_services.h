/* status_services — the services[] and authentik sections of `kitetop
 * status` (JSON and text), and their part of the overall verdict.  Called by
 * core/status.c; reads snapshots only.
 *
 * Verdict: a service's probe failing on some of the hosts it is probed on
 * is a warning (another host still serves it), on every one of them
 * critical, as is a failing public URL (users cannot reach it).  Authentik
 * not live or not ready on some hosts is a warning, on all of them
 * critical (no one can log in), as is its public_url not live or not
 * ready (end to end); an API failure is a warning.  A probe
 * round not yet done is unknown. */
#ifndef KITETOP_CORE_MODEL_STATUS_SERVICES_H
#define KITETOP_CORE_MODEL_STATUS_SERVICES_H

#include <cjson/cJSON.h>

#include "core/base/buf.h"
#include "core/fleet/fleet.h"
#include "core/model/status.h"

/* The services array (null when no [service]).  Caller deletes. */
cJSON *status_services_json(struct lab *lab);
/* The authentik object (null when no [authentik]).  Caller deletes. */
cJSON *status_authentik_json(struct lab *lab);
/* The worst level of the probes and authentik; one line per finding in
 * reasons (may be NULL): "kscloud1: karakeep probe: HTTP 404". */
enum status_level status_services_level(struct lab *lab, struct buf *reasons);
/* Text lines: a "services" block and an "authentik" block. */
void status_services_text(struct lab *lab, struct buf *out);

#endif
