/* viewer — what the two text viewers (logs and container detail) share:
 * their scrolling and search keys, the one-line prompt at the bottom (the
 * filter of the views, the viewers' search), and the logs' dropped-line
 * bookkeeping. */
#ifndef KITETOP_TUI_VIEWER_H
#define KITETOP_TUI_VIEWER_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/keys.h"
#include "tui/ui.h"

/* The keys of an open text viewer (scrolling; Enter, o and the filter's
 * / mean nothing or the search there); true when it took the action. */
bool viewer_key(struct ui *ui, enum key_action a);
/* The mouse wheel over an open text viewer. */
void viewer_scroll(struct ui *ui, long delta);
/* Commands (tui/keys.c): / opens the search prompt; n N (KEY_ACT_SEARCH_NEXT,
 * _PREV) move to the next or previous match. */
void viewer_cmd_search(struct ui *ui, enum key_action a);
void viewer_cmd_search_next(struct ui *ui, enum key_action a);

/* A key while a prompt is open (ui->input != UI_INPUT_NONE); true when
 * it was the prompt's. */
bool viewer_input_key(struct ui *ui, int key);
/* Draws the prompt on row r when one is open, or the filter's line when a
 * filter is set (outside the viewers); true when it drew. */
bool viewer_input_draw(struct ui *ui, WINDOW *w, struct rect r);

/* The logs' dropped count is now dropped: the view's place and its match
 * move with their lines. */
void viewer_logs_sync(struct ui *ui, size_t dropped);

#endif
