/* view_logs — the selected container's logs (L): the last lines and then
 * new ones as they come (f toggles following), scrolling, timestamps (t),
 * search.  The lines are streamed by core/feeds/logs on a thread of their
 * own; the view is drawn instead of the chosen tab while it is open. */
#ifndef KITETOP_TUI_VIEW_LOGS_H
#define KITETOP_TUI_VIEW_LOGS_H

#include "core/model/frame.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_logs;

void view_logs_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
/* Opens the logs of the focused column's selected container, on the host
 * as f shows it (a toast says why not). */
void view_logs_open(struct ui *ui, const struct frame *f);
void view_logs_close(struct ui *ui);   /* NULL-safe: nothing open */

/* Commands (tui/keys.c): L opens (on a frame of its own), Esc q close,
 * f toggles following, t the timestamps. */
void view_logs_cmd_open(struct ui *ui, enum key_action a);
void view_logs_cmd_close(struct ui *ui, enum key_action a);
void view_logs_cmd_follow(struct ui *ui, enum key_action a);
void view_logs_cmd_timestamps(struct ui *ui, enum key_action a);
/* The keys of a service's logs (tui/view_svclogs.h) in one container's:
 * a toast says where they work. */
void view_logs_cmd_service_only(struct ui *ui, enum key_action a);

#endif
