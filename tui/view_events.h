/* view_events — the Events view (6): what changed and when, newest first
 * (core/history), each row with its time and age, where, what, from -> to
 * and why; `/` filters, j k move, Enter jumps to the object in its view. */
#ifndef KITETOP_TUI_VIEW_EVENTS_H
#define KITETOP_TUI_VIEW_EVENTS_H

#include "core/history/event.h"
#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_events;

/* Shows the object of e in its view (a container selected in its host's
 * column, a host focused, a service, the tunnel, the shared data). */
/* The newest events in a panel at r (the overview's spare rows), newest
 * first, no selection. */
void view_events_recent(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
void view_events_jump(struct ui *ui, const struct event *e);

#endif
