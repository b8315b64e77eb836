/* status_services — the services[] and authentik sections of `kitetop
 * status`, as JSON and as text, from the frame.  Pure renderers: no I/O.
 * Their part of the overall level is verdict_services_level
 * (core/model/verdict.h). */
#ifndef KITETOP_CLI_STATUS_SERVICES_H
#define KITETOP_CLI_STATUS_SERVICES_H

#include <cjson/cJSON.h>

#include "core/base/buf.h"
#include "core/model/frame.h"

/* The services array (null when no [service]).  Caller deletes. */
cJSON *status_services_json(const struct frame *f);
/* The authentik object (null when no [authentik]).  Caller deletes. */
cJSON *status_services_authentik_json(const struct frame *f);
/* Text lines: a "services" block and an "authentik" block. */
void status_services_text(const struct frame *f, struct buf *out);

#endif
