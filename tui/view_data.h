/* view_data — the Data view (3): the shared PostgreSQL and Redis, and
 * whether each host's applications are connected to the shared database
 * (the split-brain check), with each host's Tailscale. */
#ifndef KITETOP_TUI_VIEW_DATA_H
#define KITETOP_TUI_VIEW_DATA_H

#include <stddef.h>

#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_data;

void view_data_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
/* The per-host split-brain verdicts in one short text for the overview's
 * shared strip ("shared db:  monk ✓ 4  kscloud1 ✗ no authentik") and its
 * role; "" when there is nothing to say (no postgres, no app). */
void view_data_shared_summary(struct ui *ui, const struct frame *f, char *out, size_t n,
                              enum theme_role *role);

#endif
