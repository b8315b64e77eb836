/* verdict_marks — the verdicts of verdict.h that mark single things: the
 * level names and order, a container's severity, the `≠` marks and the
 * split-brain check.  (verdict_overall is in verdict.c.) */
#include "core/model/verdict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/model/verdict_drift.h"

const char *verdict_level_name(enum verdict_level l)
{
	switch (l) {
	case VERDICT_OK: return "ok";
	case VERDICT_WARN: return "warn";
	case VERDICT_CRIT: return "crit";
	default: return "unknown";
	}
}

enum verdict_level verdict_worst(enum verdict_level a, enum verdict_level b)
{
	/* unknown ranks between warn and crit, as Nagios treats it */
	static const int rank[] = { 0, 1, 3, 2 };

	return rank[b] > rank[a] ? b : a;
}

int verdict_container_severity(const struct docker_container *c)
{
	switch (c->state) {
	case DOCKER_STATE_RUNNING:
		if (c->health == DOCKER_HEALTH_UNHEALTHY)
			return 2;
		return c->health == DOCKER_HEALTH_STARTING ? 1 : 0;
	case DOCKER_STATE_RESTARTING:
	case DOCKER_STATE_REMOVING:
		return 2;
	case DOCKER_STATE_PAUSED:
	case DOCKER_STATE_CREATED:
		return 1;
	default:
		return 3;
	}
}

bool verdict_differs(const struct frame *f, const char *container)
{
	int best = 9, worst = -1;
	struct verdict_drift drift;

	if (verdict_drift(f, container, &drift))
		return true;     /* the hosts run different images of it */
	if (frame_service_first(f, container) == SIZE_MAX)
		return false;    /* not configured */
	for (size_t h = 0; h < f->nhosts; h++) {
		const struct docker_container *dc;
		int sev;

		if (f->hosts[h].docker.feed.error != NULL || f->hosts[h].docker.value == NULL)
			continue;    /* unknown now (its last list failed): no verdict */
		dc = frame_host_container(&f->hosts[h], container);
		sev = dc != NULL ? verdict_container_severity(dc) : 3;
		best = sev < best ? sev : best;
		worst = sev > worst ? sev : worst;
	}
	return worst >= 2 && best == 0;
}

bool verdict_splitbrain(const struct frame *f, struct splitbrain_host *hosts, struct splitbrain *sb)
{
	const struct feed_tailscale **v = xcalloc(f->nhosts + 1, sizeof *v);
	const struct frame_feed *pg = &f->postgres.feed;
	const char **apps;

	for (size_t i = 0; i < f->nhosts; i++)
		v[i] = f->hosts[i].tailscale.value;
	feed_tailscale_hosts(f->cfg, v, hosts);
	free(v);
	if (!pg->configured) {
		splitbrain_done(sb);
		util_strlcpy(sb->error, "postgres is not configured", sizeof sb->error);
		return false;
	}
	apps = xcalloc(f->cfg->nservices + 1, sizeof *apps);
	for (size_t i = 0; i < f->cfg->nservices; i++)
		apps[i] = f->cfg->services[i].name;
	splitbrain_check(f->postgres.value, pg->polled && pg->error == NULL, pg->error,
	                 hosts, f->nhosts, apps, f->cfg->nservices, sb);
	free(apps);
	return true;
}

static bool verdict_failed(const struct frame_feed *feed)
{
	return feed->configured && feed->polled && feed->error != NULL;
}

static bool verdict_via(const char *via, const struct frame_host *h)
{
	return via != NULL && strcmp(via, h->name) == 0;
}

enum verdict_level verdict_host_link(const struct frame *f, const struct frame_host *h,
                                     const char **why)
{
	const struct config *c = f->cfg;
	const char *name = "";

	if (!h->reach.connected)
		name = "";
	else if (verdict_failed(&h->docker.feed))
		name = "docker";
	else if (verdict_failed(&h->tunnel.feed))
		name = "tunnel";
	else if (c->redis != NULL && verdict_via(c->redis->via, h) && verdict_failed(&f->redis.feed))
		name = "redis";
	else if (c->postgres != NULL && verdict_via(c->postgres->via, h) &&
	         verdict_failed(&f->postgres.feed))
		name = "postgres";
	else if (c->prometheus != NULL && verdict_via(c->prometheus->via, h)) {
		for (size_t i = 0; i < f->nhosts && *name == '\0'; i++)
			if (verdict_failed(&f->hosts[i].metrics.feed))
				name = "prometheus";
	}
	if (why != NULL)
		*why = name;
	return *name != '\0' ? VERDICT_WARN : VERDICT_OK;
}
