/* status — one snapshot of the whole lab as data: the JSON of
 * `kitetop status --json` (field names fixed by DESIGN.md), its plain-text
 * form, and the overall verdict shared with `kitetop check`.
 *
 * Reads the lab's sources through snapshot references only; callable from
 * any thread.  Sections whose source is not configured (or not built yet)
 * are null; a source that failed has its "error" set and its figures null. */
#ifndef KITETOP_CORE_MODEL_STATUS_H
#define KITETOP_CORE_MODEL_STATUS_H

#include "core/base/buf.h"
#include "core/fleet/fleet.h"

enum status_level { STATUS_OK, STATUS_WARN, STATUS_CRIT, STATUS_UNKNOWN };

/* Figures at or above these are a warning / critical. */
#define STATUS_WARN_PCT 85.0
#define STATUS_CRIT_PCT 95.0

/* "ok", "warn", "crit", "unknown" */
const char *status_level_name(enum status_level l);
/* The worst level over the lab, with one line per finding appended to
 * reasons (may be NULL): "monk: disk 96.0%". */
enum status_level status_overall(struct lab *lab, struct buf *reasons);

/* The JSON document, pretty-printed and newline-terminated.  Caller frees. */
char *status_json(struct lab *lab);
/* The same facts as aligned text for a terminal. */
void status_text(struct lab *lab, struct buf *out);

#endif
