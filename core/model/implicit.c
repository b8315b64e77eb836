/* implicit — see implicit.h. */
#include "core/model/implicit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/feeds/feed_docker.h"

/* One container of one host, keyed by name or compose service. */
struct implicit_entry {
	const char *key;
	size_t host;
	const struct docker_container *dc;
	bool used;
};

static int implicit_entry_cmp(const void *a, const void *b)
{
	const struct implicit_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return x->dc < y->dc ? -1 : x->dc > y->dc;
}

static int implicit_service_cmp(const void *a, const void *b)
{
	return strcmp(((const struct implicit_service *)a)->name,
	              ((const struct implicit_service *)b)->name);
}

/* Whether one of the services s->v[0..nsorted) (sorted by name) is called
 * name: a binary search (at thousands of containers, a scan for each was
 * most of the build). */
static bool implicit_named(const struct implicit_services *s, size_t nsorted, const char *name)
{
	size_t lo = 0, hi = nsorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid].name, name);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The groups of e[0..n) (sorted by key) on two hosts or more become
 * services, unless one of out's first nsorted (sorted by name) has the
 * name already (the groups of one call have keys of their own); their
 * entries are marked used. */
static void implicit_group(struct implicit_entry *e, size_t n, size_t nsorted,
                           struct implicit_services *out, size_t *cap)
{
	for (size_t i = 0, j; i < n; i = j) {
		size_t hosts = 0;
		struct implicit_service *s;

		for (j = i; j < n && strcmp(e[j].key, e[i].key) == 0; j++)
			hosts += j == i || e[j].host != e[j - 1].host;
		if (hosts < 2 || implicit_named(out, nsorted, e[i].key))
			continue;
		if (out->n == *cap) {
			*cap = *cap == 0 ? 16 : *cap * 2;
			out->v = xreallocarray(out->v, *cap, sizeof *out->v);
		}
		s = &out->v[out->n++];
		s->name = xstrdup(e[i].key);
		s->dc = xcalloc(out->nhosts > 0 ? out->nhosts : 1, sizeof *s->dc);
		s->present = hosts;
		for (size_t k = i; k < j; k++) {
			if (s->dc[e[k].host] == NULL)
				s->dc[e[k].host] = e[k].dc;   /* a host's first of the group */
			e[k].used = true;
		}
	}
}

void implicit_services_build(const struct frame *f, struct implicit_services *out)
{
	struct implicit_entry *e = NULL;
	size_t n = 0, cap = 0, scap = 0, m = 0;

	*out = (struct implicit_services){ .nhosts = f->nhosts };
	for (size_t h = 0; h < f->nhosts; h++) {
		const struct frame_host *fh = &f->hosts[h];
		const struct feed_containers *c = fh->docker.value;

		if (!fh->docker.feed.polled || fh->docker.feed.error != NULL || c == NULL)
			continue;
		for (size_t i = 0; i < c->n; i++) {
			if (c->items[i].name == NULL)
				continue;
			if (n == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				e = xreallocarray(e, cap, sizeof *e);
			}
			e[n++] = (struct implicit_entry){ c->items[i].name, h, &c->items[i], false };
		}
	}
	if (n > 0)
		qsort(e, n, sizeof *e, implicit_entry_cmp);
	/* by name: out's services come in name order, none named twice */
	implicit_group(e, n, 0, out, &scap);
	/* the containers left, by compose service */
	for (size_t i = 0; i < n; i++) {
		if (!e[i].used && e[i].dc->compose_service != NULL && e[i].dc->compose_service[0] != '\0') {
			e[m] = e[i];
			e[m++].key = e[i].dc->compose_service;
		}
	}
	if (m > 0)
		qsort(e, m, sizeof *e, implicit_entry_cmp);
	/* by compose service: not a name taken above (those are sorted) */
	implicit_group(e, m, out->n, out, &scap);
	free(e);
	if (out->n > 0)
		qsort(out->v, out->n, sizeof *out->v, implicit_service_cmp);
}

void implicit_services_done(struct implicit_services *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].dc);
	}
	free(s->v);
	*s = (struct implicit_services){ 0 };
}

bool implicit_container_bad(const struct docker_container *dc)
{
	if (dc == NULL)
		return true;
	switch (dc->state) {
	case DOCKER_STATE_RESTARTING:
	case DOCKER_STATE_MISSING:
		return true;
	case DOCKER_STATE_EXITED:
	case DOCKER_STATE_DEAD:
		return dc->exit_code != 0;
	default:
		return dc->health == DOCKER_HEALTH_UNHEALTHY;
	}
}

void implicit_container_words(const struct docker_container *dc, char *out, size_t n)
{
	if (dc == NULL || dc->state == DOCKER_STATE_MISSING)
		snprintf(out, n, "missing");
	else if ((dc->state == DOCKER_STATE_EXITED || dc->state == DOCKER_STATE_DEAD) && dc->exit_code >= 0)
		snprintf(out, n, "%s (%d)", docker_state_name(dc->state), dc->exit_code);
	else if (dc->state == DOCKER_STATE_RUNNING && dc->health == DOCKER_HEALTH_UNHEALTHY)
		snprintf(out, n, "unhealthy");
	else
		snprintf(out, n, "%s", docker_state_name(dc->state));
}
