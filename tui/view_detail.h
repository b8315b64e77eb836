/* view_detail — the selected container's detail (Enter in the overview):
 * what its inspect says (tui/detail_text), in a scrollable text viewer with
 * search.  The inspect is fetched by core/feeds/detail on a thread of its
 * own, again every refresh interval while the view is open; the UI only
 * takes the latest result.  Drawn instead of the chosen tab while open. */
#ifndef KITETOP_TUI_VIEW_DETAIL_H
#define KITETOP_TUI_VIEW_DETAIL_H

#include "core/model/frame.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_detail;

void view_detail_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
/* Opens the detail of the focused column's selected container, on the
 * host as f shows it (a toast says why not). */
void view_detail_open(struct ui *ui, const struct frame *f);
void view_detail_close(struct ui *ui);   /* nothing open: nothing done */

/* Commands (tui/keys.c): Enter opens (in the overview, on a frame of its
 * own), Esc q close. */
void view_detail_cmd_open(struct ui *ui, enum key_action a);
void view_detail_cmd_close(struct ui *ui, enum key_action a);

#endif
