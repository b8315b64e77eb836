/* overview_list — the overview's parts for small screens and many hosts:
 * the host strip (every host's name with its level's glyph, the page of
 * columns shown, "◂ 2 more" / "3 more ▸" for the hosts off screen), and
 * the single list across the hosts, worst first, drawn when the screen is
 * too small for a host column: hosts unreachable, the containers not
 * healthy (selectable: the row's host becomes the focus), the tunnels and
 * the shared databases in trouble, then each host's figures in a line and
 * how many healthy containers are folded. */
#ifndef KITETOP_TUI_OVERVIEW_LIST_H
#define KITETOP_TUI_OVERVIEW_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/docker.h"
#include "core/model/frame.h"
#include "tui/ui.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

#define OVERVIEW_LIST_COLS 50    /* the overview narrower than this: the single list */
#define OVERVIEW_LIST_ROWS 12    /* or lower than this */
#define OVERVIEW_EVENTS_MIN 6    /* rows to spare under the columns for the recent events */

/* The rows of host hi's table: its containers that match the filter and the
 * configured ones it lacks as "missing" placeholders (in *missing; the
 * caller frees it and the result), in the order in force; NULL when the
 * engine has not answered (or failed). */
const struct docker_container **overview_rows(struct ui *ui, const struct frame *f, size_t hi,
                                              size_t *np, struct docker_container **missing);

/* A host's figures in one line: "CPU 23.4%  MEM ✖61.2%  DISK 71.8%  LOAD 1.87". */
void overview_figures_line(struct ui *ui, WINDOW *w, struct rect row, const struct frame_host *h,
                           bool stale);

/* The host strip in row r: the hosts first .. first + per - 1 are the
 * columns shown; paging: say how many are off screen on either side. */
void overview_strip_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r, size_t first,
                         size_t per, bool paging);
/* The host under a click at (y, x) on the strip last drawn: true and *host. */
bool overview_strip_hit(const struct ui *ui, int y, int x, size_t *host);

/* The single list in r. */
void overview_list_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);

#endif
