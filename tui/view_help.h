/* view_help — every key, generated from the key table (tui/keys.c), so the
 * help can never drift from what the keys do.  Drawn over the view while
 * ui->help is set (tui/cmd.c opens and closes it). */
#ifndef KITETOP_TUI_VIEW_HELP_H
#define KITETOP_TUI_VIEW_HELP_H

#include <stdbool.h>

#include "tui/keys.h"
#include "tui/ui.h"

void view_help_draw(struct ui *ui, WINDOW *w, struct rect r);
/* The help's own keys, before the key table's commands: j k and the pages
 * scroll it; Enter, / and o (which act on the view's list) do nothing under
 * it.  True when it took the action. */
bool view_help_key(struct ui *ui, enum key_action a);

#endif
