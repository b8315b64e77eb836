/* frame_json — a frame read back from its JSON, the document that
 * `kitetop status --json` writes, so that the verdicts and the views can be
 * run on a frame recorded from a lab, without its daemons.
 *
 * The hosts come from the configuration: each host of the document is the
 * configured host of that name (one the configuration lacks is an error), a
 * configured host the document lacks stays as frame_init leaves it (every
 * feed unconfigured).  A feed is configured when the configuration makes
 * its source (as the feeds' constructors decide: a host's metrics with
 * [prometheus] and a prom_selector or on this machine, its tunnel with
 * tunnel_container, its Tailscale with ssh, [postgres], ...) and the
 * document's section for it is not null (status writes null only for a
 * source that does not exist).  Two follow the configuration alone: a
 * host's docker (its "containers" are null also while the host is
 * unreachable or docker fails) and the service probes (whose "no answer
 * yet" status writes alike for no source).  A configured feed is not polled
 * when the document says "no answer yet" (whatever else it says), failed
 * with its "error" and no figures, else has a value (and an error with
 * figures: the value is stale).  The panels (the document has none) are
 * configured with [prometheus] and a [panel], never polled.
 *
 * The document's "clusters" (frame_json_cluster.c) are the configured
 * [cluster]s of their names, or clusters added with cfg NULL when the
 * configuration has none of that name; a cluster's figures the document
 * does not carry (a node's allocatable, its healthy pods) are made up so
 * that they give the same percentages and counts again.
 *
 * Each value is built as its feed builds it (struct metrics, struct
 * feed_containers, struct tunnel_state, ...), with what the document has:
 * the rest is what that feed leaves for "unknown" (-1, "", NULL), and a few
 * fields are inferred where the document implies them (frame_json.c and
 * frame_json_shared.c say which).  For a document that status wrote with
 * the same configuration, status_json() of the frame read is that document
 * again, byte for byte (generated_at being the frame's taken_ms).
 *
 * Times: the frame's taken_ms is generated_at (now when the document has
 * none), taken_mono_ms now; every polled feed has value_mono_ms =
 * polled_mono_ms = taken_mono_ms (age 0), polled_ms = taken_ms, last_ok_ms
 * = taken_ms when it has a value (0 after an error without one), seq 1,
 * interval_ms the configuration's refresh.
 *
 * Hostile input never crashes the reader: a field of the wrong type is
 * absent, text is sanitised (control characters and invalid UTF-8 become
 * '?') and cut to its field's size, arrays are capped. */
#ifndef KITETOP_CORE_MODEL_FRAME_JSON_H
#define KITETOP_CORE_MODEL_FRAME_JSON_H

#include <stddef.h>

#include "core/config/config.h"
#include "core/model/frame.h"

#define FRAME_JSON_MAX_BYTES (64u * 1024 * 1024)   /* a larger document is refused */
#define FRAME_JSON_MAX_ITEMS 4096    /* containers per host, postgres clients, databases */
#define FRAME_JSON_MAX_TEXT 4096     /* bytes of an error or a name kept */

/* Reads the status JSON json (len bytes, not necessarily NUL-terminated)
 * into *f, a frame of cfg's hosts (cfg must outlive it); release it with
 * frame_release().  0, or -1 and *cause (caller frees; cause may be NULL)
 * when json is not a status document at all: not JSON, not an object, no
 * "hosts" array, a host not in cfg or listed twice.  After -1, *f holds
 * nothing (frame_release is harmless). */
int frame_json_read(struct frame *f, const struct config *cfg, const char *json, size_t len,
                    char **cause);

#endif
