/* status_json — the document of `kitetop status --json`, from one frame:
 * schema (the document's version, STATUS_JSON_SCHEMA; its JSON Schema is
 * docs/status.schema.json), generated_at (when the frame was taken), overall (verdict_overall), then
 * per host its reachability, metrics, tunnel, containers and Tailscale,
 * then services, authentik, postgres (with its split_brain array), redis,
 * cloudflare and panels (status_panels.h).  The field names and their order are fixed: scripts read
 * them.  Sections whose source is not configured are null; a source that
 * failed has its "error" set and its figures null.  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_JSON_H
#define KITETOP_CLI_STATUS_JSON_H

#include <cjson/cJSON.h>

#include "core/model/frame.h"

/* The version of the document's shape.  1 was the document without the
 * field; fields are added, never renamed, so this moves only when one
 * changes meaning (and docs/status.schema.json with it). */
#define STATUS_JSON_SCHEMA 2

/* The JSON document, pretty-printed and newline-terminated.  Caller frees. */
char *status_json(const struct frame *f);
/* The same; all (status --all): each cluster's "pods" lists every pod, those
 * not Running-and-ready first, not only those. */
char *status_json_all(const struct frame *f, bool all);

/* Host h's containers, then every configured service's container that the
 * host does not have, as "missing"; JSON null without docker, and also
 * when docker failed or has not answered (then *error says so, caller
 * frees).  Caller deletes. */
cJSON *status_json_containers(const struct frame *f, const struct frame_host *h, char **error);

#endif
