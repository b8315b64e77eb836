/* frame_index — see frame.h: the lookups a redraw makes for every row,
 * indexed once per frame.  A redraw asks, for each of possibly thousands of
 * services, whether each host runs its container; a linear search of each
 * host's list made a key take most of a second at 14,000 services.  The
 * indexes are built on first use, because most frames (a `status` of one
 * host, a test) never need them, and freed with the frame. */
#include "core/model/frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

/* Open addressing over the list's items, twice as many slots as items (a
 * power of two), so a lookup is a hash and one or two comparisons. */
struct frame_host_index {
	const struct feed_containers *of;      /* the value it was built from */
	size_t n;
	size_t mask;                /* slots - 1 */
	const struct docker_container **slot;  /* NULL: empty */
};

struct frame_service_entry {
	const char *container;
	size_t first;               /* the first service (config order) naming it */
};

struct frame_index {
	bool built;
	size_t n;
	struct frame_service_entry *by_container;   /* sorted by container, then first */
};

/* FNV-1a: quick on short names, and spreads the c1, c2, ... of a fleet. */
static size_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static void host_index_build(struct frame_host_index *x, const struct feed_containers *c)
{
	size_t slots = 16;

	while (slots < 2 * c->n)
		slots *= 2;
	free(x->slot);
	x->slot = xcalloc(slots, sizeof *x->slot);
	x->mask = slots - 1;
	for (size_t i = 0; i < c->n; i++) {
		size_t k = name_hash(c->items[i].name) & x->mask;

		/* the first of a name stays, as the linear search finds it */
		while (x->slot[k] != NULL && strcmp(x->slot[k]->name, c->items[i].name) != 0)
			k = (k + 1) & x->mask;
		if (x->slot[k] == NULL)
			x->slot[k] = &c->items[i];
	}
	x->of = c;
	x->n = c->n;
}

void frame_index_init(struct frame *f)
{
	f->index = xcalloc(1, sizeof *f->index);
	for (size_t i = 0; i < f->nhosts; i++)
		f->hosts[i].index = xcalloc(1, sizeof *f->hosts[i].index);
}

void frame_index_free(struct frame *f)
{
	for (size_t i = 0; f->hosts != NULL && i < f->nhosts; i++) {
		if (f->hosts[i].index != NULL)
			free(f->hosts[i].index->slot);
		free(f->hosts[i].index);
	}
	if (f->index != NULL)
		free(f->index->by_container);
	free(f->index);
}

const struct docker_container *frame_host_container(const struct frame_host *h, const char *name)
{
	const struct feed_containers *c = h->docker.value;
	struct frame_host_index *x = h->index;

	if (c == NULL || name == NULL)
		return NULL;
	/* a frame not made by frame_init, or a tiny list: search it */
	if (x == NULL || c->n < 8)
		return feed_containers_find(c, name);
	/* rebuilt when a test (or a reader) swaps the value in after a lookup */
	if (x->of != c || x->n != c->n)
		host_index_build(x, c);
	for (size_t k = name_hash(name) & x->mask; x->slot[k] != NULL; k = (k + 1) & x->mask)
		if (strcmp(x->slot[k]->name, name) == 0)
			return x->slot[k];
	return NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct frame_service_entry *x = a, *y = b;
	int c = strcmp(x->container, y->container);

	return c != 0 ? c : (x->first > y->first) - (x->first < y->first);
}

static int cmp_key_entry(const void *key, const void *elt)
{
	return strcmp(key, ((const struct frame_service_entry *)elt)->container);
}

size_t frame_service_first(const struct frame *f, const char *container)
{
	struct frame_index *x = f->index;
	const struct frame_service_entry *hit;
	size_t n = f->cfg->nservices;

	if (x == NULL) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(f->cfg->services[i].container, container) == 0)
				return i;
		return SIZE_MAX;
	}
	if (!x->built) {
		x->by_container = xcalloc(n + 1, sizeof *x->by_container);
		for (size_t i = 0; i < n; i++)
			x->by_container[i] = (struct frame_service_entry){ f->cfg->services[i].container, i };
		qsort(x->by_container, n, sizeof *x->by_container, cmp_entry);
		x->n = n;
		x->built = true;
	}
	hit = bsearch(container, x->by_container, x->n, sizeof *x->by_container, cmp_key_entry);
	if (hit == NULL)
		return SIZE_MAX;
	while (hit > x->by_container && strcmp(hit[-1].container, container) == 0)
		hit--;
	return hit->first;
}
