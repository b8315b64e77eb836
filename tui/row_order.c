/* row_order — see row_order.h. */
#include "tui/row_order.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

bool row_order_keepable(enum rows_order sort)
{
	return sort != ROWS_ORDER_CPU && sort != ROWS_ORDER_MEM;
}

void row_order_done(struct row_order *o)
{
	free(o->filter);
	free(o->idx);
	*o = (struct row_order){ 0 };
}

void row_order_keep(struct row_order *o, uint64_t version, enum rows_order sort, const char *filter,
                    const struct docker_container *const *v, size_t n,
                    const struct docker_container *items, size_t nitems,
                    const struct docker_container *missing, size_t nmissing)
{
	row_order_done(o);
	if (version == 0 || !row_order_keepable(sort))
		return;
	o->idx = xcalloc(n + 1, sizeof *o->idx);
	for (size_t i = 0; i < n; i++) {
		/* (as addresses: v[i] is of one of the two arrays) */
		uintptr_t p = (uintptr_t)v[i], a = (uintptr_t)items, m = (uintptr_t)missing;

		if (items != NULL && p >= a && p < a + nitems * sizeof *items) {
			o->idx[i] = (p - a) / sizeof *items;
		} else if (missing != NULL && p >= m && p < m + nmissing * sizeof *missing) {
			o->idx[i] = nitems + (p - m) / sizeof *missing;
		} else {   /* none of either: nothing kept */
			row_order_done(o);
			return;
		}
	}
	o->version = version;
	o->sort = sort;
	o->filter = xstrdup(filter != NULL ? filter : "");
	o->nitems = nitems;
	o->nmissing = nmissing;
	o->n = n;
}

bool row_order_take(const struct row_order *o, uint64_t version, enum rows_order sort,
                    const char *filter, const struct docker_container **v, size_t *n,
                    const struct docker_container *items, size_t nitems,
                    const struct docker_container *missing, size_t nmissing)
{
	if (o->version == 0 || o->version != version || o->sort != sort || o->nitems != nitems ||
	    o->nmissing != nmissing || strcmp(o->filter, filter != NULL ? filter : "") != 0)
		return false;
	for (size_t i = 0; i < o->n; i++)
		v[i] = o->idx[i] < nitems ? &items[o->idx[i]] : &missing[o->idx[i] - nitems];
	*n = o->n;
	return true;
}
