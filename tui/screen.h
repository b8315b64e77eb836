/* screen — one whole screen of the TUI drawn from a frame: the header (the
 * view tabs, hosts, refresh, the overall level), the active view, the help
 * and the action dialogs over it, and the footer (key bar, toast or
 * prompt).  The app loop draws it on stdscr; tests draw a recorded frame on
 * a screen of their own and compare it with a golden file. */
#ifndef KITETOP_TUI_SCREEN_H
#define KITETOP_TUI_SCREEN_H

#include <stdint.h>

#include "core/model/frame.h"
#include "tui/ui.h"

/* Draws f into w (rows x cols) as of now_mono (the monotonic clock the
 * ages are counted to).  Does not refresh w. */
void screen_draw(struct ui *ui, const struct frame *f, WINDOW *w, int rows, int cols,
                 int64_t now_mono);
/* Feeds f's new metrics (a feed's seq not seen yet) into the hosts'
 * sparklines, seeding them with the past a first sample carries. */
/* The header's tab at screen cell (y, x) as last drawn: its enum ui_view,
 * or -1 (not on a tab). */
int screen_tab_at(const struct ui *ui, int y, int x);
void screen_update_history(struct ui *ui, const struct frame *f);

#endif
