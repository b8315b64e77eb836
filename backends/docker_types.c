/* docker_types — see docker_types.h. */
#include "backends/docker_types.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

static const char *const state_names[] = {
	[DOCKER_STATE_UNKNOWN] = "unknown",
	[DOCKER_STATE_RUNNING] = "running",
	[DOCKER_STATE_EXITED] = "exited",
	[DOCKER_STATE_RESTARTING] = "restarting",
	[DOCKER_STATE_PAUSED] = "paused",
	[DOCKER_STATE_CREATED] = "created",
	[DOCKER_STATE_DEAD] = "dead",
	[DOCKER_STATE_REMOVING] = "removing",
	[DOCKER_STATE_MISSING] = "missing",
};

static const char *const health_names[] = {
	[DOCKER_HEALTH_NONE] = "none",
	[DOCKER_HEALTH_STARTING] = "starting",
	[DOCKER_HEALTH_HEALTHY] = "healthy",
	[DOCKER_HEALTH_UNHEALTHY] = "unhealthy",
};

const char *docker_state_name(enum docker_state s)
{
	if ((size_t)s >= UTIL_ARRAY_LEN(state_names))
		return "unknown";
	return state_names[s];
}

const char *docker_health_name(enum docker_health h)
{
	if ((size_t)h >= UTIL_ARRAY_LEN(health_names))
		return "none";
	return health_names[h];
}

enum docker_state docker_state_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return DOCKER_STATE_UNKNOWN;
	/* "missing" is ours, never the daemon's. */
	for (i = DOCKER_STATE_RUNNING; i < DOCKER_STATE_MISSING; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (enum docker_state)i;
	return DOCKER_STATE_UNKNOWN;
}

enum docker_health docker_health_parse(const char *s)
{
	if (s == NULL)
		return DOCKER_HEALTH_NONE;
	if (strcmp(s, "healthy") == 0)
		return DOCKER_HEALTH_HEALTHY;
	if (strcmp(s, "unhealthy") == 0)
		return DOCKER_HEALTH_UNHEALTHY;
	if (strcmp(s, "starting") == 0)
		return DOCKER_HEALTH_STARTING;
	return DOCKER_HEALTH_NONE;
}

struct docker_container *docker_containers_copy(const struct docker_container *list, size_t n)
{
	struct docker_container *c = xreallocarray(NULL, n + 1, sizeof *c);

	for (size_t i = 0; i < n; i++) {
		c[i] = list[i];
		c[i].name = xstrdup(list[i].name);
		c[i].image = xstrdup(list[i].image);
		c[i].image_id = xstrdup(list[i].image_id);
		c[i].status = xstrdup(list[i].status);
		c[i].compose_project = xstrdup(list[i].compose_project);
		c[i].compose_service = xstrdup(list[i].compose_service);
	}
	return c;
}

static bool docker_str_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool docker_containers_alike(const struct docker_container *a, const struct docker_container *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct docker_container *x = &a[i], *y = &b[i];

		if (strcmp(x->id, y->id) != 0 || strcmp(x->full_id, y->full_id) != 0 ||
		    !docker_str_same(x->name, y->name) || !docker_str_same(x->image, y->image) ||
		    !docker_str_same(x->image_id, y->image_id) ||
		    !docker_str_same(x->compose_project, y->compose_project) ||
		    !docker_str_same(x->compose_service, y->compose_service) || x->state != y->state ||
		    x->health != y->health || x->restarts != y->restarts || x->exit_code != y->exit_code ||
		    x->started_at_ms != y->started_at_ms || x->tty != y->tty)
			return false;
	}
	return true;
}

void docker_containers_free(struct docker_container *list, size_t n)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].image);
		free(list[i].image_id);
		free(list[i].status);
		free(list[i].compose_project);
		free(list[i].compose_service);
	}
	free(list);
}
