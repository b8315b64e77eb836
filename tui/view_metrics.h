/* view_metrics — the Metrics view (5): one box per [panel], one row per
 * series with its value, state and sparkline; j k scroll the boxes. */
#ifndef KITETOP_TUI_VIEW_METRICS_H
#define KITETOP_TUI_VIEW_METRICS_H

#include <stdbool.h>

#include "core/model/frame.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_metrics;

void view_metrics_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
/* Its keys (j k and the pages scroll its panels); true when it took a. */
bool view_metrics_key(struct ui *ui, enum key_action a);

/* Pure: label in at most width columns into out (size n): whole when it
 * fits, else its start and its end around "…" ("..." without utf8), so
 * that labels that differ at their end still read differently. */
void view_metrics_label_fit(const char *label, int width, bool utf8, char *out, size_t n);

#endif
