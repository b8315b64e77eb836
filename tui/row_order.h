/* row_order — a host's rows in the order in force, kept from one frame to
 * the next by the list's version (struct feed_containers.version): sorting
 * 500 containers by state and name three times a redraw, for each host,
 * gives the same order while the list is the same.  An order by CPU or
 * memory is not kept (their figures change with every poll).  The order
 * is kept as indexes: a container i of the list (0 <= i < nitems) or a
 * placeholder k of the missing ones (nitems + k), so that it applies to
 * the next value of the same version, whose items are a copy. */
#ifndef KITETOP_TUI_ROW_ORDER_H
#define KITETOP_TUI_ROW_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker.h"
#include "tui/rows.h"

struct row_order {
	uint64_t version;           /* 0: nothing kept */
	enum rows_order sort;
	char *filter;
	size_t nitems, nmissing;    /* the list's containers and the placeholders */
	size_t n;                   /* the rows */
	size_t *idx;
};

/* Whether an order depends on the list only (not its CPU and memory). */
bool row_order_keepable(enum rows_order sort);
/* Keeps the order of the rows v[0..n), each &items[i] or &missing[k], as
 * that of version (nothing for 0 or an order by figures). */
void row_order_keep(struct row_order *o, uint64_t version, enum rows_order sort, const char *filter,
                    const struct docker_container *const *v, size_t n,
                    const struct docker_container *items, size_t nitems,
                    const struct docker_container *missing, size_t nmissing);
/* The rows in the order kept, into v (room for nitems + nmissing) and *n,
 * when it is that of this version, order, filter and counts: true; else
 * false (v untouched). */
bool row_order_take(const struct row_order *o, uint64_t version, enum rows_order sort,
                    const char *filter, const struct docker_container **v, size_t *n,
                    const struct docker_container *items, size_t nitems,
                    const struct docker_container *missing, size_t nmissing);
void row_order_done(struct row_order *o);   /* frees; leaves it empty */

#endif
