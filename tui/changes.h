/* changes — which items (a host, a container on a host) just changed for
 * the worse, so the UI highlights them for CHANGES_HIGHLIGHT_MS and may ring
 * the bell once per change.  Pure: no curses, no clock (times are passed in),
 * so unit tests feed it sequences of states.
 *
 * Levels are severities: a container's is verdict_container_severity() (0 fine,
 * 1 starting/paused/created, 2 unhealthy/restarting, 3 exited/dead/missing),
 * a host's 0 reachable, 3 unreachable.  A change for the worse is a level of
 * 2 or more that is higher than the previous known one; the first level seen
 * for an item is no change (it was not seen to change). */
#ifndef KITETOP_TUI_CHANGES_H
#define KITETOP_TUI_CHANGES_H

#include <stdbool.h>
#include <stdint.h>

#define CHANGES_HIGHLIGHT_MS 10000
#define CHANGES_BAD 2

struct changes;

struct changes *changes_new(void);
void changes_free(struct changes *c);

/* The rule: going from prev (< 0: unknown) to cur is a change to highlight. */
bool changes_is_worse(int prev, int cur);
/* Records the level of item `key` (copied) at now_ms; true when it just got
 * worse (a highlight starts, until now_ms + CHANGES_HIGHLIGHT_MS). */
bool changes_note(struct changes *c, const char *key, int level, int64_t now_ms);
/* When key's highlight ends, if it is highlighted at now_ms; else 0. */
int64_t changes_until(const struct changes *c, const char *key, int64_t now_ms);

#endif
