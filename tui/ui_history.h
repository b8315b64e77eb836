/* ui_history — the dashboard's memory of what changed: each frame of new
 * data is compared with the one before (core/history/events.h), the events
 * found go to the history the views read (the Events view, "since" on
 * problem rows, the header's time since the last change) and are appended
 * to the event log on disk; the audit log's new lines add the actions,
 * whoever took them.  At start the log's recent events are read back, so a
 * restarted wall monitor still knows since when a problem lasts. */
#ifndef KITETOP_TUI_UI_HISTORY_H
#define KITETOP_TUI_UI_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/history/event.h"
#include "core/model/frame.h"
#include "tui/ui.h"

#define UI_HISTORY_LOAD_DAYS 30   /* how far back the log is read at start */

/* Creates the history and reads the log's recent events (and the audit
 * log's actions) into it; the log is $XDG_STATE_HOME/kitetop/events.jsonl
 * unless $KITETOP_EVENTS names another file ("" or "none": no log). */
void ui_history_start(struct ui *ui);
/* A frame of new data: the events since the previous one are remembered
 * and logged, then the frame is kept as the next one's previous (moved:
 * the caller must not release it). */
void ui_history_frame(struct ui *ui, struct frame *f);
void ui_history_done(struct ui *ui);

/* How long an object has been in its bad state, as of now_ms ("14m"), in
 * out; false (out "") when the history has no bad event for it as its
 * latest.  kind and the names as history_latest takes them. */
bool ui_since(const struct ui *ui, enum event_kind kind, const char *host, const char *object,
              int64_t now_ms, char *out, size_t n);

/* Pure: the history's events that match filter (ui's filter rules over
 * host, object, from, to and detail), newest first: their indexes for
 * history_get into idx (at most max), the count returned. */
size_t ui_history_match(const struct history *h, const char *filter, size_t *idx, size_t max);

#endif
