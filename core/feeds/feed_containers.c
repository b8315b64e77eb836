/* feed_containers — see feed_containers.h. */
#include "core/feeds/feed_containers.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

struct feed_docker_list {
	atomic_int refs;
	struct docker_container *items;
	size_t n;
};

uint64_t feed_containers_new_version(void)
{
	static atomic_uint_fast64_t last;

	return (uint64_t)atomic_fetch_add(&last, 1) + 1;
}

struct feed_docker_list *feed_docker_list_adopt(struct docker_container *items, size_t n)
{
	struct feed_docker_list *l = xcalloc(1, sizeof *l);

	atomic_init(&l->refs, 1);
	l->items = items;
	l->n = n;
	return l;
}

struct feed_docker_list *feed_docker_list_ref(struct feed_docker_list *l)
{
	atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
	return l;
}

bool feed_docker_list_alike(const struct feed_docker_list *l, const struct docker_container *items,
                            size_t n)
{
	return l != NULL && l->n == n && docker_containers_alike(l->items, items, n);
}

void feed_docker_list_unref(struct feed_docker_list *l)
{
	if (l == NULL || atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) != 1)
		return;
	docker_containers_free(l->items, l->n);
	free(l);
}

void feed_docker_list_share(struct feed_docker_list *l, struct feed_containers *c)
{
	c->items = xreallocarray(NULL, l->n + 1, sizeof *c->items);
	memcpy(c->items, l->items, l->n * sizeof *c->items);
	c->n = l->n;
	c->shared = l;
	atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
}

const struct docker_container *feed_containers_find(const struct feed_containers *c, const char *name)
{
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

struct docker_container feed_missing_container(const char *name)
{
	return (struct docker_container){
		.name = (char *)(uintptr_t)name, .state = DOCKER_STATE_MISSING,
		.health = DOCKER_HEALTH_NONE, .restarts = -1, .exit_code = -1,
		.cpu_pct = -1, .mem_bytes = -1, .mem_limit_bytes = -1,
	};
}

void feed_containers_free(void *v)
{
	struct feed_containers *c = v;

	if (c->shared != NULL) {
		free(c->items);
		feed_docker_list_unref(c->shared);
	} else {
		docker_containers_free(c->items, c->n);
	}
	free(c->engine_version);
	free(c);
}

