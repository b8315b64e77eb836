/* ui_changes — what changed for the worse lately, from frame to frame (a
 * host unreachable, a container in trouble or missing): tui/changes fed
 * with each new frame, the bell rung once per change when `bell = yes`, and
 * the highlights the views draw for 10 s. */
#ifndef KITETOP_TUI_UI_CHANGES_H
#define KITETOP_TUI_UI_CHANGES_H

#include <stdbool.h>

#include "core/model/frame.h"
#include "tui/ui.h"

/* Notes f's state (call it with each frame of new data). */
void ui_changes_scan(struct ui *ui, const struct frame *f);
/* Whether a host (container NULL) or a container on it changed for the
 * worse in the last 10 s (and wakes the loop when that ends). */
bool ui_changed(struct ui *ui, const char *host, const char *container);

#endif
