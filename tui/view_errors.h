/* view_errors — a host's errors in full, over the views (Enter on a host
 * with no container to show: an unreachable one): the SSH session's error
 * with its fix, then each of its sources' (Docker, /proc or Prometheus,
 * the tunnel, Tailscale), wrapped to the width, scrolling with the
 * viewers' keys and saying what it hides above and below; Esc or q closes
 * it.  The text is the frame's when it opened. */
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

/* Pure: s cut into lines of at most width columns, at spaces where it can
 * (a word longer than width is cut); *n lines, each and the array freed by
 * the caller.  An empty s is one empty line. */
char **view_errors_wrap(const char *s, int width, size_t *n);

extern const struct view view_errors;

#endif
