/* feed_containers — the docker feed's value (struct feed_containers,
 * core/feeds/feed_docker.h): its list versions, and the list whose strings
 * the values of one version share.  A list asked of the engine is adopted
 * by a struct feed_docker_list; each value published from it (the first,
 * and each poll's while the list is reused with fresh figures) has an
 * array of its own, a copy of the list's items whose strings stay the
 * list's, and a reference to it; the list is freed with the last of its
 * values and the feed's own reference.  The reference counts are atomic:
 * a value is freed on whichever thread drops its snapshot last. */
#ifndef KITETOP_CORE_FEEDS_FEED_CONTAINERS_H
#define KITETOP_CORE_FEEDS_FEED_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker.h"
#include "core/feeds/feed_docker.h"

/* A new list version: never 0, never given twice in the process, whichever
 * host's. */
uint64_t feed_containers_new_version(void);

/* A list that takes items[0..n) over, with one reference (the caller's). */
struct feed_docker_list *feed_docker_list_adopt(struct docker_container *items, size_t n);
/* Another reference to l. */
struct feed_docker_list *feed_docker_list_ref(struct feed_docker_list *l);
/* Whether l (NULL: no) holds items[0..n): the same containers, alike in
 * all but their figures (docker_containers_alike). */
bool feed_docker_list_alike(const struct feed_docker_list *l, const struct docker_container *items,
                            size_t n);
/* Drops a reference (NULL: nothing); the last frees the list. */
void feed_docker_list_unref(struct feed_docker_list *l);
/* c's items and n: l's, in an array of c's own (its figures c's to fill),
 * the strings l's; c takes a reference (freed by feed_containers_free). */
void feed_docker_list_share(struct feed_docker_list *l, struct feed_containers *c);

#endif
