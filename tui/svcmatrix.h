/* svcmatrix — the Services matrix's arithmetic, no curses: which host
 * columns fit (the window h l scroll, service names pinned at the left),
 * the mark of the hosts off-screen ("◂ 2 more", "3 more ▸"), and the
 * rows' order (o) from each service's containers on every host. */
#ifndef KITETOP_TUI_SVCMATRIX_H
#define KITETOP_TUI_SVCMATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model/frame.h"
#include "tui/rows.h"

/* A host cell's least width before the matrix scrolls: the state (15)
 * and a probe "200 1234ms" (11), a space between. */
#define SVCMATRIX_CELL_MIN 27
/* A narrow cell: the state only ("✖ unhealthy"). */
#define SVCMATRIX_CELL_NARROW 16

struct svcmatrix_window {
	size_t first;    /* the first host column shown */
	size_t count;    /* how many are shown (at least 1 when nh > 0) */
	int cellw;       /* each one's width */
	size_t left;     /* hosts off-screen to the left (== first) */
	size_t right;    /* and to the right */
};

/* The window over nh host columns in avail cells: as many as fit
 * SVCMATRIX_CELL_MIN wide, but two narrow ones (SVCMATRIX_CELL_NARROW)
 * rather than one when there is room for them; starting at *first (clamped, so that no room is left empty at the
 * right: the last window ends at the last host; *first gets the clamped
 * value). */
void svcmatrix_window(size_t nh, int avail, size_t *first, struct svcmatrix_window *w);

/* The mark of the hosts off-screen: "◂ 2 more", "3 more ▸",
 * "◂ 2 more · 3 more ▸" (ASCII "<", ">", "|"); "" when every host shows. */
void svcmatrix_mark(char *out, size_t n, const struct svcmatrix_window *w, bool utf8);

/* A service's containers (named container) on the frame's hosts folded
 * into one for the orders of tui/rows.h, named name: the worst state,
 * CPU, memory and restarts summed over the hosts that know them, the
 * latest start of a running one (the uptime order puts a service whose
 * worst state is not running last).  Borrows name. */
void svcmatrix_fold(const struct frame *f, const char *container, const char *name,
                    struct docker_container *out);

/* The same of the containers dc[0..nh) (NULL: none there, not counted),
 * as the implicit services give them. */
void svcmatrix_fold_hosts(const struct docker_container *const *dc, size_t nh, const char *name,
                          struct docker_container *out);

/* idx[0..n) (configuration indexes of services) sorted by order, from
 * their folded containers (folded[i] is service idx[i]'s); ties by name. */
void svcmatrix_sort(size_t *idx, const struct docker_container *folded, size_t n, enum rows_order order);

#endif
