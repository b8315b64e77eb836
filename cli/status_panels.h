/* status_panels — the [panel] queries in `kitetop status`: the "panels"
 * section of --json (null without [panel]; an array of {title, unit, warn,
 * crit, level, error, series[]: {label, host, value, level}}) and the text's
 * block.  A panel's level is its worst series' against its warn/crit (what
 * the overall verdict counts); "unknown" while its query failed or has not
 * answered.  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_PANELS_H
#define KITETOP_CLI_STATUS_PANELS_H

#include <cjson/cJSON.h>

#include "core/base/buf.h"
#include "core/model/frame.h"

/* Caller deletes. */
cJSON *status_panels_json(const struct frame *f);
/* The "panels" block of the text, nothing without [panel]. */
void status_panels_text(const struct frame *f, struct buf *out);

#endif
