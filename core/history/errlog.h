/* errlog — the error log (`--log FILE`, or `log = yes`:
 * $XDG_STATE_HOME/kitetop/kitetop.log): every source's errors in full, with
 * their times, one line per change of a source's error state, never one per
 * refresh:
 *   2026-12-06T22:04:30.123Z monk ssh: error: ssh: cannot connect to 127.0.0.2 port 22: Connection refused
 *   2026-12-06T22:04:41.502Z monk ssh: ok again after 11 s
 *   2026-12-06T22:05:00.007Z postgres: error: postgres: connection refused
 * The sources are each host's ssh, metrics, docker, tunnel and tailscale, and
 * the shared postgres, redis, cloudflare, panels, probes and authentik.  A
 * change is a new error, a different one (two texts that differ only in their
 * numbers, "took 5003 ms" / "took 5004 ms", are the same state), or the end of
 * one.  A first frame's errors are logged; its sources without one are not.
 *
 * Bounded: when a line would take the file past ERRLOG_MAX_BYTES, the file is
 * renamed to FILE.1 (replacing the one before) and a new FILE begun, so the
 * log never holds more than twice that.
 *
 * One thread (the UI's, or the CLI's main thread) uses a struct errlog. */
#ifndef KITETOP_CORE_HISTORY_ERRLOG_H
#define KITETOP_CORE_HISTORY_ERRLOG_H

#include "core/model/frame.h"

#define ERRLOG_MAX_BYTES (1024 * 1024)

struct errlog;

/* $XDG_STATE_HOME/kitetop/kitetop.log (~/.local/state/...).  Caller frees. */
char *errlog_default_path(void);

/* Opens path for appending (its directory made, 0700; the file 0600).
 * max_bytes 0: ERRLOG_MAX_BYTES.  NULL and *cause on error. */
struct errlog *errlog_open(const char *path, long max_bytes, char **cause);

/* Compares f's sources with what the last frame had, and appends a line for
 * each change (time: the source's poll, else f's).  A failed write is kept
 * in errlog_error(). */
void errlog_frame(struct errlog *l, const struct frame *f);

/* The last write's error, or NULL. */
const char *errlog_error(const struct errlog *l);

void errlog_free(struct errlog *l);

#endif
