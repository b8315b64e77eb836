/* frame_json_internal — what the two halves of the status JSON reader share:
 * frame_json.c (the document, its hosts and their feeds) and
 * frame_json_shared.c (the shared sections: postgres, redis, cloudflare,
 * the service probes, authentik).  Not for other modules. */
#ifndef KITETOP_CORE_MODEL_FRAME_JSON_INTERNAL_H
#define KITETOP_CORE_MODEL_FRAME_JSON_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/base/snapshot.h"
#include "core/model/frame.h"

/* What status --json writes for a source that has not answered yet. */
#define FRAME_JSON_NO_ANSWER "no answer yet"

/* One reading: the frame being filled and the document. */
struct frame_json {
	struct frame *f;
	const struct config *cfg;
	const cJSON *root;
	size_t cap;                 /* room in f->refs */
};

/* Member key of object o (NULL when o is not an object or has none). */
const cJSON *frame_json_item(const cJSON *o, const char *key);
/* Member key as a string, or NULL when absent or not a string. */
const char *frame_json_string(const cJSON *o, const char *key);
/* Member key as a finite number into *out; false when it is none. */
bool frame_json_number(const cJSON *o, const char *key, double *out);
/* Member key as a whole number within [min, max] into *out; false else. */
bool frame_json_int(const cJSON *o, const char *key, long long min, long long max, long long *out);
/* Member key as a boolean: 1, 0, or -1 when absent or not a boolean. */
int frame_json_bool(const cJSON *o, const char *key);
/* A copy of s safe to show, at most FRAME_JSON_MAX_TEXT bytes; NULL in,
 * NULL out.  Caller frees. */
char *frame_json_text(const char *s);
/* s made safe to show into dst (size n, cut at a character); "" for NULL. */
void frame_json_copy(char *dst, size_t n, const char *s);
/* The index of the configured host called name, or -1. */
int frame_json_host_index(const struct config *cfg, const char *name);

/* What a feed's source published, held by the frame as frame_take holds a
 * snapshot: value (taken over, freed by free_value at frame_release; may be
 * NULL) and error (copied; may be NULL).  A value with an error is the last
 * good one (stale).  *feed is set (configured, polled, the times).  Returns
 * the value held, for the typed pointer: NULL when there is none, and when
 * error is "no answer yet" (value freed, the feed not polled: status writes
 * that for a source without a poll, never for a failed one). */
void *frame_json_hold(struct frame_json *fj, struct frame_feed *feed, void *value,
                      snapshot_free_fn free_value, const char *error);
/* A feed whose source exists but has nothing in the document. */
void frame_json_unpolled(const struct frame_json *fj, struct frame_feed *feed);

/* The shared sections into fj->f (postgres, redis, cloudflare, probes,
 * authentik; the panels configured, never polled: the document has none). */
void frame_json_shared(struct frame_json *fj);

/* The document's "clusters" into fj->f (frame_json_cluster.c): at most
 * FRAME_JSON_MAX_CLUSTERS, each taking two of f->refs at most. */
#define FRAME_JSON_MAX_CLUSTERS 64
void frame_json_clusters(struct frame_json *fj);

#endif
