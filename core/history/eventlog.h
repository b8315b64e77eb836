/* eventlog — the events on disk: JSON lines in
 * $XDG_STATE_HOME/kitetop/events.jsonl (~/.local/state/kitetop/...), so
 * history survives a restart, and what `kitetop events` prints.
 *
 * One line per event:
 *   {"time":"2026-12-06T03:10:42.120Z","kind":"container","level":"crit",
 *    "host":"monk","object":"kavita","from":"running","to":"exited (1)",
 *    "detail":"","id":""}
 * The directory is created 0700, the file 0600; each line is one write(2)
 * on an O_APPEND descriptor, so two kitetops on one machine never
 * interleave inside a line.  When the file passes EVENTLOG_ROTATE_BYTES it
 * is renamed to events.jsonl.1 (.1 to .2, ...; EVENTLOG_KEEP old files, the
 * oldest dropped), under an flock(2) of events.jsonl.lock so that two
 * writers rotate once.  Total size stays under
 * (EVENTLOG_KEEP + 1) * EVENTLOG_ROTATE_BYTES.
 *
 * Reading takes the old files then the current one (oldest first); a line
 * that is not a whole event (corrupt, cut by a crash) is skipped and
 * counted, never fatal.  The audit log's lines (core/actions/audit.h) are
 * read as EVENT_ACTION events and merged in time order: actions are kept
 * there only, not copied here. */
#ifndef KITETOP_CORE_HISTORY_EVENTLOG_H
#define KITETOP_CORE_HISTORY_EVENTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/history/event.h"

#define EVENTLOG_ROTATE_BYTES (2L * 1024 * 1024)
#define EVENTLOG_KEEP 3
#define EVENTLOG_MAX_LINE 4096

/* $XDG_STATE_HOME/kitetop/events.jsonl, else $HOME/.local/state/kitetop/
 * events.jsonl; NULL when neither variable is set.  Caller frees. */
char *eventlog_default_path(void);

/* Pure: e as one JSON line with its '\n'.  Caller frees. */
char *eventlog_format(const struct event *e);
/* Pure: one line (len bytes, no NUL needed, the '\n' optional) into *e;
 * 0, or -1 when it is not an event.  Also reads an audit log line (it has
 * "action" and "result"): an EVENT_ACTION. */
int eventlog_parse(const char *line, size_t len, struct event *e);

/* Appends n events to path (creating its directory 0700 and the file
 * 0600), rotating first when due.  0, or -1 with *cause. */
int eventlog_append(const char *path, const struct event *ev, size_t n, char **cause);

struct eventlog_query {
	int64_t since_ms;          /* only events at or after this (0: all) */
	const char *host;          /* only this host's (NULL: all) */
	size_t max;                /* keep only the newest max (0: no limit) */
};

/* Reads path's events (and its rotated files) and audit_path's actions
 * (NULL: none), those q selects, oldest first, into out.  *skipped (may be
 * NULL) gets the count of lines that were not events.  A missing file is
 * no error (no history yet).  0, or -1 with *cause when a file exists but
 * cannot be read. */
int eventlog_read(const char *path, const char *audit_path, const struct eventlog_query *q,
                  struct event_list *out, size_t *skipped, char **cause);

/* Parses --since: a duration ("90s", "15m", "1h", "2d") before now_ms, or
 * a time "2026-12-06T03:00" / "2026-12-06 03:00:00" / "2026-12-06" (local
 * time; a trailing Z: UTC).  0 and *out_ms, or -1 with *cause. */
int eventlog_parse_since(const char *s, int64_t now_ms, int64_t *out_ms, char **cause);

#endif
