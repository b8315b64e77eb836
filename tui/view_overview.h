/* view_overview — the default view (1): one column per host, side by side,
 * with its machine figures, its tunnel and its containers; on a narrow
 * terminal one host at a time with a tab strip; the shared Postgres, Redis
 * and Authentik in a strip at the bottom. */
#ifndef KITETOP_TUI_VIEW_OVERVIEW_H
#define KITETOP_TUI_VIEW_OVERVIEW_H

#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_overview;

void view_overview_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
/* A click at y, x: focuses the host column there (its row is chosen when
 * the column is drawn next). */
void view_overview_click(struct ui *ui, int y, int x);

#endif
