/* view_errors — text in full, over the views: a host's errors (Enter on a
 * host with no container to show: an unreachable one): the SSH session's
 * error with its fix, then each of its sources' (Docker, /proc or
 * Prometheus, the tunnel, Tailscale); or the lines of the Data, Services or
 * Traffic view that were cut at its edge (Enter there).  Wrapped to the
 * width, scrolling with the viewers' keys and saying what it hides above and
 * below; Esc or q closes it.  The text is the frame's when it opened. */
#ifndef KITETOP_TUI_VIEW_ERRORS_H
#define KITETOP_TUI_VIEW_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

/* Opens it on host h of f; false (nothing opened) when the host has no
 * error. */
bool view_errors_open(struct ui *ui, const struct frame *f, size_t h);
void view_errors_close(struct ui *ui);

/* Draws s at (y, x) of w in at most maxw columns, as text_put; when it does
 * not fit, its last column is "…" (">" without UTF-8) and s is noted, in
 * full, for view_errors_open_cut.  The columns written. */
int view_errors_put(struct ui *ui, WINDOW *w, int y, int x, int maxw, attr_t a, const char *s);
/* Forgets the lines noted (before each frame's view is drawn). */
void view_errors_cut_reset(struct ui *ui);
/* Enter in the Data, Services and Traffic views: the lines of the view
 * that were cut at its edge, each in full and wrapped, in the same text
 * view (title "NAME: in full"); a toast when none was cut. */
void view_errors_open_cut(struct ui *ui, const char *name);

/* Pure: s cut into lines of at most width columns, at spaces where it can
 * (a word longer than width is cut); *n lines, each and the array freed by
 * the caller.  An empty s is one empty line. */
char **view_errors_wrap(const char *s, int width, size_t *n);

extern const struct view view_errors;

#endif
