/* verdict — the overall level of a frame (see verdict.h): each host's
 * reachability, figures and configured containers, the images that differ
 * between hosts, then the tunnel connectors, Cloudflare, PostgreSQL and
 * Redis, the split-brain check, and the services' probes and Authentik,
 * the Kubernetes clusters (verdict_cluster.c), then what the [alerts] thresholds add, their reasons in that order.  The
 * tunnel's part is in verdict_tunnel.c, the services' in verdict_services.c,
 * the images' in verdict_drift.c, the thresholds' in verdict_alerts.c. */
#include "core/model/verdict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/metrics.h"
#include "core/base/util.h"
#include "core/model/implicit.h"
#include "core/model/verdict_cluster.h"
#include "core/model/verdict_drift.h"

/* "who: what\n" into reasons (may be NULL). */
static void verdict_note(struct buf *reasons, const char *who, const char *what)
{
	size_t wl = strlen(who);

	/* an error that names its source already ("postgres: timeout") is
	 * not named twice */
	if (reasons != NULL && strncmp(what, who, wl) == 0 && what[wl] == ':' && what[wl + 1] == ' ')
		buf_printf(reasons, "%s\n", what);
	else if (reasons != NULL)
		buf_printf(reasons, "%s: %s\n", who, what);
}

/* A host's figures against its thresholds ([alerts], or its own); a source
 * that failed is a warning of its own (its figures are not known, the rest
 * of the host is), one that has not answered yet unknown. */
static enum verdict_level verdict_host_metrics(const struct frame_host *h, struct buf *reasons)
{
	const struct frame_feed *feed = &h->metrics.feed;
	const struct metrics *m = h->metrics.value;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured)
		return VERDICT_OK;
	if (!feed->polled) {
		verdict_note(reasons, h->name, "metrics: no answer yet");
		return VERDICT_UNKNOWN;
	}
	if (feed->error != NULL) {
		char *w = xasprintf("metrics: %s", feed->error);

		verdict_note(reasons, h->name, w);
		free(w);
		return VERDICT_WARN;
	}
	if (m == NULL)
		return VERDICT_OK;
	const struct {
		enum metrics_figure fig;
		enum config_alert_figure alert;
		const char *name;
		double v;
	} pcts[] = {
		{ METRICS_CPU, CONFIG_ALERT_CPU, "cpu", m->cpu_pct },
		{ METRICS_MEM, CONFIG_ALERT_MEM, "memory", m->mem_pct },
		{ METRICS_DISK, CONFIG_ALERT_DISK, "disk", m->disk_pct },
	};
	for (size_t i = 0; i < UTIL_ARRAY_LEN(pcts); i++) {
		enum verdict_level l;
		char *w;

		if (!m->valid[pcts[i].fig])
			continue;
		l = verdict_host_figure_level(h->cfg, pcts[i].alert, pcts[i].v);
		if (l == VERDICT_OK)
			continue;
		w = xasprintf("%s %.1f%% >= %s %g%%", pcts[i].name, pcts[i].v,
		              l == VERDICT_CRIT ? "crit" : "warn",
		              l == VERDICT_CRIT ? h->cfg->alerts.crit[pcts[i].alert] :
		              h->cfg->alerts.warn[pcts[i].alert]);
		verdict_note(reasons, h->name, w);
		free(w);
		lvl = verdict_worst(lvl, l);
	}
	return lvl;
}

char *verdict_docker_error(const struct frame_feed *docker)
{
	if (!docker->polled || docker->error == NULL)
		return xstrdup("docker: no answer yet");
	if (strncmp(docker->error, "docker:", 7) == 0)
		return xstrdup(docker->error);
	return xasprintf("docker: %s", docker->error);
}

/* A host's Docker: failed is critical, not answered yet unknown; each
 * configured service's container missing, not running or unhealthy a
 * warning. */
static enum verdict_level verdict_host_docker(const struct frame *f, const struct frame_host *h,
                                              struct buf *reasons)
{
	const struct frame_feed *feed = &h->docker.feed;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured)
		return VERDICT_OK;
	if (!feed->polled || feed->error != NULL) {
		char *w = verdict_docker_error(feed);

		verdict_note(reasons, h->name, w);
		free(w);
		return feed->polled ? VERDICT_CRIT : VERDICT_UNKNOWN;
	}
	for (size_t i = 0; i < f->cfg->nservices; i++) {
		const char *want = f->cfg->services[i].container;
		const struct docker_container *dc = frame_host_container(h, want);
		char *w = NULL;

		if (!verdict_container_bad(dc))
			continue;
		lvl = VERDICT_WARN;
		if (reasons == NULL)
			continue;    /* the screen wants the level only: no words to make */
		if (dc == NULL)
			w = xasprintf("%s missing", want);
		else if (dc->state != DOCKER_STATE_RUNNING)
			w = xasprintf("%s %s", want, docker_state_name(dc->state));
		else if (dc->health == DOCKER_HEALTH_UNHEALTHY)
			w = xasprintf("%s unhealthy", want);
		if (w != NULL) {
			verdict_note(reasons, h->name, w);
			free(w);
		}
	}
	return lvl;
}

/* Without [service] sections, the implicit services (core/model/implicit.h):
 * a container missing, restarting, unhealthy or exited with a non-zero
 * code on a connected host whose Docker answered is a warning, on every
 * such host of the service critical: "kscloud1: karakeep unhealthy". */
static enum verdict_level verdict_implicit(const struct frame *f, struct buf *reasons)
{
	struct implicit_services is;
	enum verdict_level lvl = VERDICT_OK;

	if (f->cfg->nservices > 0)
		return VERDICT_OK;
	implicit_services_build(f, &is);
	for (size_t i = 0; i < is.n; i++) {
		size_t known = 0, bad = 0;

		for (size_t h = 0; h < f->nhosts; h++) {
			const struct frame_host *fh = &f->hosts[h];
			char words[64], *w;

			if (!fh->reach.connected || !fh->docker.feed.polled || fh->docker.feed.error != NULL)
				continue;
			known++;
			if (!implicit_container_bad(is.v[i].dc[h]))
				continue;
			bad++;
			implicit_container_words(is.v[i].dc[h], words, sizeof words);
			w = xasprintf("%s %s", is.v[i].name, words);
			verdict_note(reasons, fh->name, w);
			free(w);
		}
		if (bad > 0)
			lvl = verdict_worst(lvl, bad == known ? VERDICT_CRIT : VERDICT_WARN);
	}
	implicit_services_done(&is);
	return lvl;
}

/* Critical when an app that connects to the shared database from one host
 * has no connection from another (core/model/splitbrain). */
static enum verdict_level verdict_split_brain(const struct frame *f, struct buf *reasons)
{
	struct splitbrain_host *hosts = xcalloc(f->nhosts + 1, sizeof *hosts);
	struct splitbrain sb;
	enum verdict_level lvl = VERDICT_OK;

	splitbrain_init(&sb);
	if (verdict_splitbrain(f, hosts, &sb)) {
		for (size_t i = 0; i < sb.n; i++) {
			char line[256];

			if (sb.entries[i].verdict != SPLITBRAIN_SPLIT)
				continue;
			splitbrain_line(&sb, &sb.entries[i], hosts, f->nhosts, false, line, sizeof line);
			verdict_note(reasons, "split brain", line);
			lvl = VERDICT_CRIT;
		}
	}
	splitbrain_done(&sb);
	free(hosts);
	return lvl;
}

/* The Cloudflare API failing is a warning (the API, not the traffic); the
 * tunnel degraded a warning, any other status but healthy critical. */
static enum verdict_level verdict_cloudflare(const struct frame *f, struct buf *reasons)
{
	const struct frame_feed *feed = &f->cloudflare.feed;
	const struct cf_tunnel *t = feed->error == NULL ? f->cloudflare.value : NULL;

	if (!feed->configured)
		return VERDICT_OK;
	if (feed->polled && feed->error != NULL) {
		verdict_note(reasons, "cloudflare", feed->error);
		return VERDICT_WARN;
	}
	if (t != NULL && t->status != CF_STATUS_HEALTHY) {
		verdict_note(reasons, "cloudflare", cf_status_name(t->status));
		return t->status == CF_STATUS_DEGRADED ? VERDICT_WARN : VERDICT_CRIT;
	}
	return VERDICT_OK;
}

/* A shared database (PostgreSQL, Redis) that failed is critical, one that
 * has not answered yet unknown. */
static enum verdict_level verdict_shared(const struct frame_feed *feed, const char *name,
                                         struct buf *reasons)
{
	if (!feed->configured || (feed->polled && feed->error == NULL))
		return VERDICT_OK;
	verdict_note(reasons, name, feed->polled ? feed->error : "no answer yet");
	return feed->polled ? VERDICT_CRIT : VERDICT_UNKNOWN;
}

/* Whether anything at all has been learnt: a host's connection attempt
 * ended (either way), or a shared source answered. */
static bool verdict_anything_known(const struct frame *f)
{
	const struct frame_feed *shared[] = { &f->postgres.feed, &f->redis.feed, &f->cloudflare.feed,
		&f->probes.feed, &f->authentik.feed };

	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].reach.known || f->hosts[i].reach.connected)
			return true;
	for (size_t i = 0; i < f->nclusters; i++)
		if (f->clusters[i].feed.configured && f->clusters[i].feed.polled)
			return true;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(shared); i++)
		if (shared[i]->configured && shared[i]->polled)
			return true;
	return false;
}

/* The parts' levels and lines as they come: the overall level, every line
 * (into reasons), and the first line of the worst part (ranked as
 * verdict_worst ranks levels; between parts of one level, by prio: what
 * is down or missing before a figure over its threshold). */
struct verdict_acc {
	enum verdict_level lvl, worst_lvl;
	int worst_prio;
	struct buf *reasons, part;
	char *worst;
	size_t nlines;
};

static int verdict_rank(enum verdict_level l)
{
	return l == VERDICT_OK ? 0 : l == VERDICT_WARN ? 1 : l == VERDICT_UNKNOWN ? 2 : 3;
}

static void verdict_take(struct verdict_acc *a, enum verdict_level l, int prio)
{
	const char *text = buf_cstr(&a->part);
	size_t lines = 0;

	for (const char *p = text; *p != '\0'; p++)
		lines += *p == '\n';
	a->nlines += lines;
	if (lines > 0 && l != VERDICT_OK &&
	    (a->worst == NULL || verdict_rank(l) > verdict_rank(a->worst_lvl) ||
	     (verdict_rank(l) == verdict_rank(a->worst_lvl) && prio > a->worst_prio))) {
		free(a->worst);
		a->worst = xstrndup(text, strcspn(text, "\n"));
		a->worst_lvl = l;
		a->worst_prio = prio;
	}
	if (a->reasons != NULL)
		buf_puts(a->reasons, text);
	buf_reset(&a->part);
	a->lvl = verdict_worst(a->lvl, l);
}

/* ---- verdict_differs_memo ---- */

struct verdict_memo_mark {
	char *name;                 /* NULL: empty slot */
	bool differs;
};

static void verdict_memo_marks_done(struct verdict_memo *m)
{
	for (size_t i = 0; i < m->marks_cap; i++)
		free(m->marks[i].name);
	free(m->marks);
	m->marks = NULL;
	m->nmarks = m->marks_cap = 0;
}

static size_t mark_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of name in m's table, or of the empty slot where it goes. */
static struct verdict_memo_mark *mark_slot(const struct verdict_memo *m, const char *name)
{
	size_t k = mark_hash(name) & (m->marks_cap - 1);

	while (m->marks[k].name != NULL && strcmp(m->marks[k].name, name) != 0)
		k = (k + 1) & (m->marks_cap - 1);
	return &m->marks[k];
}

static void mark_put(struct verdict_memo *m, const char *name, bool differs)
{
	struct verdict_memo_mark *s;

	if (2 * (m->nmarks + 1) > m->marks_cap) {   /* kept under half full */
		struct verdict_memo_mark *old = m->marks;
		size_t oldcap = m->marks_cap;

		m->marks_cap = oldcap != 0 ? 2 * oldcap : 64;
		m->marks = xcalloc(m->marks_cap, sizeof *m->marks);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name != NULL)
				*mark_slot(m, old[i].name) = old[i];
		free(old);
	}
	s = mark_slot(m, name);
	s->name = xstrdup(name);
	s->differs = differs;
	m->nmarks++;
}

bool verdict_differs_memo(const struct frame *f, struct verdict_memo *m, const char *container)
{
	bool d;

	if (m == NULL || container == NULL || !verdict_memo_holds(m, f))
		return verdict_differs(f, container);
	if (m->marks_cap > 0) {
		const struct verdict_memo_mark *s = mark_slot(m, container);

		if (s->name != NULL)
			return s->differs;
	}
	d = verdict_differs(f, container);
	mark_put(m, container, d);
	return d;
}

void verdict_memo_done(struct verdict_memo *m)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(m->lines); i++)
		free(m->lines[i]);
	verdict_memo_marks_done(m);
	*m = (struct verdict_memo){ 0 };
}

/* A host's link and Docker source as the list parts read them. */
static unsigned verdict_memo_state(const struct frame_host *h)
{
	return (h->reach.connected ? 1u : 0u) | (h->docker.feed.polled ? 2u : 0u) |
	       (h->docker.feed.error != NULL ? 4u : 0u) | (h->docker.value != NULL ? 8u : 0u);
}

bool verdict_memo_holds(const struct verdict_memo *m, const struct frame *f)
{
	if (m == NULL || !m->valid || m->cfg != f->cfg || m->nhosts != f->nhosts)
		return false;
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct feed_containers *c = f->hosts[i].docker.value;

		if ((c != NULL && (c->version == 0 || c->version != m->version[i])) ||
		    (c == NULL && m->version[i] != 0) || verdict_memo_state(&f->hosts[i]) != m->state[i])
			return false;
	}
	return true;
}

/* Keeps f's lists and states in m as what its parts are of (not when a
 * list's version is unknown, or there are more hosts than it holds). */
static void verdict_memo_key(struct verdict_memo *m, const struct frame *f)
{
	verdict_memo_done(m);
	if (f->nhosts > FLEET_MAX_HOSTS)
		return;
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct feed_containers *c = f->hosts[i].docker.value;

		if (c != NULL && c->version == 0)
			return;
		m->version[i] = c != NULL ? c->version : 0;
		m->state[i] = verdict_memo_state(&f->hosts[i]);
	}
	m->cfg = f->cfg;
	m->nhosts = f->nhosts;
	m->valid = true;
}

/* Part k of the two that read every container (0: the implicit services,
 * 1: the images that differ): its lines into part, its level; from m when
 * it holds them (hit), else worked out (and kept in m when it is set). */
static enum verdict_level verdict_list_part(const struct frame *f, struct verdict_memo *m, bool hit,
                                            size_t k, struct buf *part)
{
	enum verdict_level l;

	if (hit) {
		if (m->lines[k] != NULL)
			buf_puts(part, m->lines[k]);
		return m->lvl[k];
	}
	l = k == 0 ? verdict_implicit(f, part) : verdict_drift_level(f, part);
	if (m != NULL && m->valid) {
		m->lvl[k] = l;
		m->lines[k] = xstrdup(buf_cstr(part));
	}
	return l;
}

enum verdict_level verdict_overall_worst(const struct frame *f, struct buf *reasons, char **worst,
                                         size_t *nreasons)
{
	return verdict_overall_memo(f, NULL, reasons, worst, nreasons);
}

enum verdict_level verdict_overall_memo(const struct frame *f, struct verdict_memo *m,
                                        struct buf *reasons, char **worst, size_t *nreasons)
{
	bool hit = verdict_memo_holds(m, f);
	struct verdict_acc a = { .lvl = VERDICT_OK, .worst_lvl = VERDICT_OK, .reasons = reasons };

	buf_init(&a.part);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];

		if (!h->reach.connected) {
			char *w = xasprintf("unreachable: %s", h->reach.error[0] != '\0' ? h->reach.error :
			                    "connecting");

			verdict_note(&a.part, h->name, w);
			free(w);
			verdict_take(&a, h->reach.known ? VERDICT_CRIT : VERDICT_UNKNOWN, 5);
			continue;
		}
		verdict_take(&a, verdict_host_metrics(h, &a.part), 1);
		verdict_take(&a, verdict_host_docker(f, h, &a.part), 4);
		verdict_take(&a, verdict_alerts_host(f, h, &a.part), 1);
	}
	if (m != NULL && !hit)
		verdict_memo_key(m, f);
	verdict_take(&a, verdict_list_part(f, m, hit, 0, &a.part), 4);
	verdict_take(&a, verdict_list_part(f, m, hit, 1, &a.part), 0);
	verdict_take(&a, verdict_tunnel_level(f, &a.part), 3);
	verdict_take(&a, verdict_cloudflare(f, &a.part), 2);
	verdict_take(&a, verdict_shared(&f->postgres.feed, "postgres", &a.part), 3);
	verdict_take(&a, verdict_shared(&f->redis.feed, "redis", &a.part), 3);
	verdict_take(&a, verdict_split_brain(f, &a.part), 3);
	verdict_take(&a, verdict_services_level(f, &a.part), 2);
	for (size_t i = 0; i < f->nclusters; i++) {
		/* a cluster's API down as a host unreachable, a node NotReady as a
		 * container missing, the rest as a service failing */
		verdict_take(&a, verdict_cluster_api(&f->clusters[i], &a.part), 5);
		verdict_take(&a, verdict_cluster_nodes(&f->clusters[i], &a.part), 4);
		verdict_take(&a, verdict_cluster_objects(&f->clusters[i], f->taken_ms, &a.part), 3);
	}
	verdict_take(&a, verdict_alerts_level(f, &a.part), 1);
	buf_done(&a.part);
	/* unknown ranks below crit, so here the worst known part is at most a
	 * warning: the parts not answered yet are warnings too (their reason
	 * lines say so), and unknown is kept for a frame that knows nothing */
	if (a.lvl == VERDICT_UNKNOWN && verdict_anything_known(f))
		a.lvl = VERDICT_WARN;
	if (worst != NULL)
		*worst = a.worst;
	else
		free(a.worst);
	if (nreasons != NULL)
		*nreasons = a.nlines;
	return a.lvl;
}

enum verdict_level verdict_overall(const struct frame *f, struct buf *reasons)
{
	return verdict_overall_worst(f, reasons, NULL, NULL);
}

enum verdict_level verdict_host_level(const struct frame *f, const struct frame_host *h)
{
	const struct feed_containers *c = h->docker.feed.error == NULL ? h->docker.value : NULL;
	enum verdict_level part[3], known = VERDICT_OK;
	bool unknown = false;

	if (!h->reach.connected)
		return h->reach.known ? VERDICT_CRIT : VERDICT_UNKNOWN;
	part[0] = verdict_host_metrics(h, NULL);
	part[1] = verdict_host_docker(f, h, NULL);
	part[2] = verdict_alerts_host(f, h, NULL);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(part); i++) {
		if (part[i] == VERDICT_UNKNOWN)
			unknown = true;
		else
			known = verdict_worst(known, part[i]);
	}
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (verdict_container_severity(&c->items[i]) >= 2)   /* as the overall level counts it */
			known = verdict_worst(known, VERDICT_WARN);
	/* a part not answered yet does not hide what the others tell */
	return known == VERDICT_OK && unknown ? VERDICT_UNKNOWN : known;
}
