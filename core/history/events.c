/* events — see events.h.  This half walks the hosts: reachability, the
 * docker source, each container; and ties effects to actions.  The rest is
 * in events_shared.c. */
#include "core/history/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/history/events_internal.h"
#include "core/model/verdict.h"

void events_emit(struct events_ctx *cx, enum event_kind kind, enum event_level level,
                 const char *host, const char *object, const char *from, const char *to,
                 const char *detail)
{
	struct event e = { .time_ms = cx->cur->taken_ms, .kind = kind, .level = level };

	EVENT_SET(e.host, host);
	EVENT_SET(e.object, object);
	EVENT_SET(e.from, from);
	EVENT_SET(e.to, to);
	EVENT_SET(e.detail, detail);
	event_list_push(cx->out, &e);
	cx->n++;
}

bool events_feed_fresh(const struct frame_feed *f)
{
	return f->configured && f->polled && f->error == NULL;
}

/* ---- containers ---- */

/* A host's containers sorted by name, so that matching two lists of
 * thousands stays n log n. */
struct cindex {
	const struct docker_container **v;
	size_t n;
};

static const char *cname(const struct docker_container *c)
{
	return c->name != NULL ? c->name : "";
}

static int cindex_cmp(const void *a, const void *b)
{
	return strcmp(cname(*(const struct docker_container *const *)a),
	              cname(*(const struct docker_container *const *)b));
}

static void cindex_build(struct cindex *ix, const struct feed_containers *c)
{
	ix->n = c != NULL ? c->n : 0;
	ix->v = xcalloc(ix->n + 1, sizeof *ix->v);
	for (size_t i = 0; i < ix->n; i++)
		ix->v[i] = &c->items[i];
	qsort(ix->v, ix->n, sizeof *ix->v, cindex_cmp);
}

static const struct docker_container *cindex_find(const struct cindex *ix, const char *name)
{
	struct docker_container key = { .name = (char *)name };
	const struct docker_container *k = &key, *const *hit;

	hit = bsearch(&k, ix->v, ix->n, sizeof *ix->v, cindex_cmp);
	return hit != NULL ? *hit : NULL;
}

/* The state in the words the rows use: "running", "exited (1)",
 * "restarting", "paused", "missing" (health is an event of its own). */
static void container_word(char *out, size_t n, const struct docker_container *c)
{
	if ((c->state == DOCKER_STATE_EXITED || c->state == DOCKER_STATE_DEAD) && c->exit_code >= 0)
		snprintf(out, n, "%s (%d)", docker_state_name(c->state), c->exit_code);
	else
		snprintf(out, n, "%s", docker_state_name(c->state));
}

/* How bad the state is, leaving health out: a running container whose
 * check fails is the health event's to judge. */
static enum event_level container_level(const struct docker_container *c)
{
	struct docker_container bare = *c;
	int sev;

	bare.health = DOCKER_HEALTH_NONE;
	sev = verdict_container_severity(&bare);
	return sev >= 3 ? EVENT_LEVEL_CRIT : sev == 2 ? EVENT_LEVEL_WARN : EVENT_LEVEL_OK;
}

static bool container_configured(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].container, name) == 0)
			return true;
	return false;
}

/* True when a service before the s-th has the same container. */
static bool container_configured_before(const struct config *cfg, size_t s, const char *name)
{
	for (size_t i = 0; i < s; i++)
		if (strcmp(cfg->services[i].container, name) == 0)
			return true;
	return false;
}

/* One container seen in both frames (a configured one absent in either is
 * feed_missing_container): its state, its health while it runs in both
 * (a stopped container's health is no news), its restart count going up. */
static void container_changes(struct events_ctx *cx, const char *host,
                              const struct docker_container *p, const struct docker_container *c)
{
	char from[EVENT_STATE_MAX], to[EVENT_STATE_MAX];

	container_word(from, sizeof from, p);
	container_word(to, sizeof to, c);
	if (strcmp(from, to) != 0)
		events_emit(cx, EVENT_CONTAINER, container_level(c), host, cname(c), from, to, NULL);
	if (p->state == DOCKER_STATE_RUNNING && c->state == DOCKER_STATE_RUNNING &&
	    p->health != c->health)
		events_emit(cx, EVENT_HEALTH,
		            c->health == DOCKER_HEALTH_UNHEALTHY ? EVENT_LEVEL_WARN : EVENT_LEVEL_OK,
		            host, cname(c), docker_health_name(p->health),
		            docker_health_name(c->health), NULL);
	if (p->restarts >= 0 && c->restarts > p->restarts) {
		snprintf(from, sizeof from, "%d", p->restarts);
		snprintf(to, sizeof to, "%d", c->restarts);
		events_emit(cx, EVENT_RESTARTS, EVENT_LEVEL_WARN, host, cname(c), from, to, NULL);
	}
}

/* The containers of cur's list in its order, then configured ones that
 * went missing (configuration order), then others that went away. */
static void containers_diff(struct events_ctx *cx, const char *host,
                            const struct feed_containers *p, const struct feed_containers *c)
{
	const struct config *cfg = cx->cur->cfg;
	struct cindex pi, ci;
	char word[EVENT_STATE_MAX];

	/* one version of a list: the same containers, alike in all but their
	 * CPU and memory figures, which no event is about */
	if (p->version != 0 && p->version == c->version)
		return;
	cindex_build(&pi, p);
	cindex_build(&ci, c);
	for (size_t k = 0; k < c->n; k++) {
		const struct docker_container *x = &c->items[k], *px = cindex_find(&pi, cname(x));
		struct docker_container missing = feed_missing_container(cname(x));

		if (px == NULL && !container_configured(cfg, cname(x))) {
			container_word(word, sizeof word, x);
			events_emit(cx, EVENT_CONTAINER, container_level(x), host, cname(x), "", word, NULL);
			continue;
		}
		container_changes(cx, host, px != NULL ? px : &missing, x);
	}
	for (size_t s = 0; s < cfg->nservices; s++) {
		const char *name = cfg->services[s].container;
		const struct docker_container *px = cindex_find(&pi, name);
		struct docker_container missing = feed_missing_container(name);

		/* (two services may share a container: it went missing once) */
		if (px == NULL || cindex_find(&ci, name) != NULL ||
		    container_configured_before(cfg, s, name))
			continue;
		container_changes(cx, host, px, &missing);
	}
	for (size_t k = 0; k < p->n; k++) {
		const struct docker_container *y = &p->items[k];

		if (cindex_find(&ci, cname(y)) != NULL || container_configured(cfg, cname(y)))
			continue;
		container_word(word, sizeof word, y);
		events_emit(cx, EVENT_CONTAINER, EVENT_LEVEL_WARN, host, cname(y), word, "gone", NULL);
	}
	free(pi.v);
	free(ci.v);
}

/* How many container events the lists p (the last known before the host
 * went away or its docker failed) and c would give: the count a return
 * shows instead of one event per container. */
static size_t containers_count(const struct events_ctx *cx, const char *host,
                               const struct feed_containers *p, const struct feed_containers *c)
{
	struct event_list scratch = { 0 };
	struct events_ctx sub = { .prev = cx->prev, .cur = cx->cur, .out = &scratch };

	if (p == NULL || c == NULL)
		return 0;
	containers_diff(&sub, host, p, c);
	event_list_free(&scratch);
	return sub.n;
}

/* "4 changes while away"; "" for none. */
static void away_detail(char *out, size_t n, size_t changes)
{
	if (changes == 0)
		out[0] = '\0';
	else
		snprintf(out, n, "%zu change%s while away", changes, changes == 1 ? "" : "s");
}

/* ---- hosts ---- */

/* unreachable <-> reachable, when both frames know.  Coming back, the
 * containers' changes since the host went away are counted in the one
 * event (when its docker answers already; else docker's recovery counts
 * them). */
static void host_reach(struct events_ctx *cx, const struct frame_host *ph, const struct frame_host *ch)
{
	char detail[EVENT_DETAIL_MAX];
	size_t n = 0;

	if (!ph->reach.known || !ch->reach.known || ph->reach.connected == ch->reach.connected)
		return;
	if (!ch->reach.connected) {
		events_emit(cx, EVENT_HOST, EVENT_LEVEL_CRIT, ch->name, ch->name, "reachable",
		            "unreachable", ch->reach.error);
		return;
	}
	if (events_feed_fresh(&ch->docker.feed))
		n = containers_count(cx, ch->name, ph->docker.value, ch->docker.value);
	away_detail(detail, sizeof detail, n);
	events_emit(cx, EVENT_HOST, EVENT_LEVEL_OK, ch->name, ch->name, "unreachable", "reachable",
	            detail);
}

/* The docker source failing or back (back: with the count of what changed
 * meanwhile, from its last good list), and the containers while it answers. */
static void host_docker(struct events_ctx *cx, const struct frame_host *ph, const struct frame_host *ch)
{
	const struct frame_feed *pf = &ph->docker.feed, *cf = &ch->docker.feed;
	char detail[EVENT_DETAIL_MAX] = "";

	if (pf->polled && pf->error != NULL && events_feed_fresh(cf))
		away_detail(detail, sizeof detail,
		            containers_count(cx, ch->name, ph->docker.value, ch->docker.value));
	events_source(cx, ch->name, "docker", pf, cf, detail);
	if (events_feed_fresh(pf) && events_feed_fresh(cf) && ph->docker.value != NULL &&
	    ch->docker.value != NULL)
		containers_diff(cx, ch->name, ph->docker.value, ch->docker.value);
}

/* A host's machine figures come from Prometheus when it has a selector
 * (else from /proc, this machine's or, over SSH, the host's): the source
 * named after where. */
static const char *metrics_object(const struct frame *f, const struct frame_host *h)
{
	return f->cfg->prometheus != NULL && h->cfg != NULL && h->cfg->prom_selector != NULL ?
	       "prometheus" : "metrics";
}

/* Everything under host i.  While the host is away in either frame, what
 * it shows is stale or its failure is the host's: only the host's own
 * event then. */
static void host_events(struct events_ctx *cx, size_t i, const struct frame_host *ph)
{
	const struct frame_host *ch = &cx->cur->hosts[i];

	host_reach(cx, ph, ch);
	if (!ph->reach.connected || !ch->reach.connected)
		return;
	host_docker(cx, ph, ch);
	events_source(cx, ch->name, metrics_object(cx->cur, ch), &ph->metrics.feed,
	              &ch->metrics.feed, NULL);
	events_tunnel(cx, ph, ch);
	events_host_probes(cx, i);
}

size_t events_diff(const struct frame *prev, const struct frame *cur, struct event_list *out)
{
	struct events_ctx cx = { .prev = prev, .cur = cur, .out = out };

	if (prev == NULL || cur == NULL)
		return 0;
	for (size_t i = 0; i < cur->nhosts; i++) {
		const struct frame_host *ph = frame_host_named(prev, cur->hosts[i].name);

		if (ph != NULL)
			host_events(&cx, i, ph);
	}
	events_shared(&cx);
	return cx.n;
}

/* ---- effects and their causes ---- */

static bool events_is_container_kind(enum event_kind k)
{
	return k == EVENT_CONTAINER || k == EVENT_HEALTH || k == EVENT_RESTARTS;
}

/* The latest action started on e's host and object up to EVENTS_CAUSE_MS
 * before e, or NULL. */
static const struct event *events_cause(const struct event *e, const struct event *actions,
                                        size_t nactions)
{
	const struct event *cause = NULL;

	for (size_t k = 0; k < nactions; k++) {
		const struct event *a = &actions[k];

		if (a->kind != EVENT_ACTION || strcmp(a->to, "started") != 0 || a->id[0] == '\0' ||
		    strcmp(a->host, e->host) != 0 || strcmp(a->object, e->object) != 0)
			continue;
		if (e->time_ms < a->time_ms || e->time_ms - a->time_ms > EVENTS_CAUSE_MS)
			continue;
		if (cause == NULL || a->time_ms >= cause->time_ms)
			cause = a;
	}
	return cause;
}

void events_link(struct event_list *l, size_t from, const struct event *actions, size_t nactions)
{
	for (size_t i = from; i < l->n; i++) {
		struct event *e = &l->v[i];
		const struct event *cause;

		if (!events_is_container_kind(e->kind) || e->id[0] != '\0')
			continue;
		cause = events_cause(e, actions, nactions);
		if (cause != NULL)
			EVENT_SET(e->id, cause->id);
	}
}
