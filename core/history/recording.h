/* recording — frames to a file and back: `kitetop record FILE` writes one
 * frame per refresh, `kitetop replay FILE` draws them again.
 *
 * A frame is kept as the document `status --json` writes for it (so
 * frame_json_read gives it back, byte for byte).  The file is a gzip
 * stream (zlib) of lines:
 *   a header: {"kitetop_recording":1,"version":"0.1.0","config_path":"...",
 *              "config":"the configuration's text, lines naming secret files
 *              or variables left out","started_at":"..."}
 *   then per frame: {"t":MS,"key":"the whole document"} every
 *   RECORDING_KEY_EVERY frames (and the first), else {"t":MS,"delta":[...]}:
 *   the document as lines of the previous one's copied ([start, count])
 *   and new lines (strings), so a frame where a few figures changed takes a
 *   few lines.
 * Each frame is flushed (Z_SYNC_FLUSH) as it is written, so a recording
 * cut short (killed, disk full) is readable up to its last whole frame.
 *
 * The reader keeps the deltas in memory, not the documents, and rebuilds
 * a frame's document from the keyframe before it (the last one built is
 * cached, so stepping forward costs one delta).  Hostile input never
 * crashes it: a line that does not parse ends the recording there (what
 * came before is kept, and `truncated` says so). */
#ifndef KITETOP_CORE_HISTORY_RECORDING_H
#define KITETOP_CORE_HISTORY_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORDING_KEY_EVERY 60
#define RECORDING_MAX_FRAMES 1000000

struct recorder;

/* Creates path (0600; an existing file is replaced) and writes the header
 * with the configuration config_path / config_text (len bytes).  NULL with
 * *cause. */
struct recorder *recorder_open(const char *path, const char *config_path,
                               const char *config_text, size_t len, char **cause);
/* Appends one frame: its time and its status document.  0, or -1 with
 * *cause (a write error: the recording so far stays readable). */
int recorder_add(struct recorder *r, int64_t time_ms, const char *doc, size_t len, char **cause);
/* Ends the stream and closes the file.  0, or -1 with *cause; r is freed. */
int recorder_close(struct recorder *r, char **cause);

struct recording;

/* Reads path.  NULL with *cause when it is not a recording at all (not
 * gzip, no header). */
struct recording *recording_load(const char *path, char **cause);
/* The same from the file's bytes in memory (tests, fuzzing). */
struct recording *recording_load_mem(const void *data, size_t len, char **cause);
void recording_free(struct recording *rec);

size_t recording_count(const struct recording *rec);
/* True when the file ended inside a frame or with a line that did not parse. */
bool recording_truncated(const struct recording *rec);
/* The header's configuration text (secrets left out; "" for the built-in
 * default) and its path (NULL: there was no file). */
const char *recording_config_text(const struct recording *rec, size_t *len);
const char *recording_config_path(const struct recording *rec);
/* Frame i's time (wall clock ms). */
int64_t recording_time(const struct recording *rec, size_t i);
/* Frame i's document, NUL-terminated, borrowed until the next call on rec;
 * NULL (with *cause) when i is out of range or its delta is corrupt. */
const char *recording_doc(struct recording *rec, size_t i, size_t *len, char **cause);

/* Pure: config text with the lines that name secrets (password_file,
 * password_env, token_file, token_env) left out.  Caller frees. */
char *recording_strip_secrets(const char *text, size_t len, size_t *out_len);

#endif
