/* events_shared — the parts of events_diff (events.h) that are alike for
 * many things: a source failing or recovering, a tunnel connector, a
 * service probe; and the shared layer: Postgres, Redis, Cloudflare,
 * Authentik, the public probes and split brain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/history/events.h"
#include "core/history/events_internal.h"
#include "core/model/verdict.h"

/* ---- sources ---- */

/* "ok", "failing", or NULL while there is nothing to say (not configured,
 * no poll yet). */
static const char *source_word(const struct frame_feed *f)
{
	if (!f->configured || !f->polled)
		return NULL;
	return f->error == NULL ? "ok" : "failing";
}

void events_source(struct events_ctx *cx, const char *host, const char *object,
                   const struct frame_feed *prev, const struct frame_feed *cur,
                   const char *recovered_detail)
{
	const char *from = source_word(prev), *to = source_word(cur);

	if (from == NULL || to == NULL || strcmp(from, to) == 0)
		return;
	if (cur->error != NULL)
		events_emit(cx, EVENT_SOURCE, EVENT_LEVEL_WARN, host, object, from, to, cur->error);
	else
		events_emit(cx, EVENT_SOURCE, EVENT_LEVEL_OK, host, object, from, to, recovered_detail);
}

/* ---- tunnel connectors ---- */

/* "ready", "not ready", "gone" (its container missing), "drained" (there
 * but not running); NULL when unknown (Docker or /ready did not answer),
 * which is no news: a blip is not an event. */
static const char *tunnel_word(const struct tunnel_state *ts)
{
	if (ts == NULL || !ts->configured)
		return NULL;
	if (strcmp(ts->docker_state, "missing") == 0)
		return "gone";
	if (ts->drained)
		return "drained";
	if (strcmp(ts->docker_state, "unknown") == 0)
		return NULL;
	if (ts->ready == 1)
		return "ready";
	return ts->ready == 0 ? "not ready" : NULL;
}

void events_tunnel(struct events_ctx *cx, const struct frame_host *ph, const struct frame_host *ch)
{
	const struct tunnel_state *ts = ch->tunnel.value;
	const char *from, *to;
	char why[EVENT_DETAIL_MAX] = "";

	if (!events_feed_fresh(&ph->tunnel.feed) || !events_feed_fresh(&ch->tunnel.feed))
		return;
	from = tunnel_word(ph->tunnel.value);
	to = tunnel_word(ts);
	if (from == NULL || to == NULL || strcmp(from, to) == 0)
		return;
	if (strcmp(to, "ready") == 0) {
		events_emit(cx, EVENT_TUNNEL, EVENT_LEVEL_OK, ch->name, ts->container, from, to, NULL);
		return;
	}
	/* the check that failed, in tunnel's own words ("cloudflared is exited") */
	(void)tunnel_healthy(ts, false, why, sizeof why);
	events_emit(cx, EVENT_TUNNEL, EVENT_LEVEL_WARN, ch->name, ts->container, from, to, why);
}

/* ---- probes ---- */

/* The probes of both frames when both rounds are current and alike. */
static bool probes_comparable(const struct events_ctx *cx)
{
	const struct feed_probes *p = cx->prev->probes.value, *c = cx->cur->probes.value;

	return events_feed_fresh(&cx->prev->probes.feed) && events_feed_fresh(&cx->cur->probes.feed) &&
	       p != NULL && c != NULL && p->nservices == c->nservices && p->nhosts == c->nhosts;
}

/* One probe ok <-> failing (both probed); failing says why: the probe's
 * error ("HTTP 503", "connection refused"). */
static void probe_event(struct events_ctx *cx, const char *host, const char *service,
                        const struct probe_result *p, const struct probe_result *c,
                        enum event_level bad)
{
	char status[32];
	const char *why = c->error;

	if (p == NULL || c == NULL || !p->done || !c->done || p->ok == c->ok)
		return;
	if (c->ok) {
		events_emit(cx, EVENT_PROBE, EVENT_LEVEL_OK, host, service, "failing", "ok", NULL);
		return;
	}
	if (why == NULL && c->status != 0) {
		snprintf(status, sizeof status, "HTTP %ld", c->status);
		why = status;
	}
	events_emit(cx, EVENT_PROBE, bad, host, service, "ok", "failing", why);
}

void events_host_probes(struct events_ctx *cx, size_t i)
{
	const struct config *cfg = cx->cur->cfg;
	const struct feed_probes *p = cx->prev->probes.value, *c = cx->cur->probes.value;

	if (!probes_comparable(cx) || i >= c->nhosts)
		return;
	for (size_t s = 0; s < c->nservices && s < cfg->nservices; s++)
		probe_event(cx, cx->cur->hosts[i].name, cfg->services[s].name, feed_probes_host(p, s, i),
		            feed_probes_host(c, s, i), EVENT_LEVEL_WARN);
}

/* A public URL failing is everyone's problem: critical. */
static void public_probes(struct events_ctx *cx)
{
	const struct config *cfg = cx->cur->cfg;
	const struct feed_probes *p = cx->prev->probes.value, *c = cx->cur->probes.value;

	if (!probes_comparable(cx))
		return;
	for (size_t s = 0; s < c->nservices && s < cfg->nservices; s++)
		probe_event(cx, "", cfg->services[s].name, feed_probes_public(p, s),
		            feed_probes_public(c, s), EVENT_LEVEL_CRIT);
}

/* ---- split brain ---- */

/* The split-brain check of one frame; false when there is none (no
 * [postgres]).  Free with split_done. */
struct split {
	struct splitbrain_host *hosts;
	struct splitbrain sb;
	bool have;
};

static void split_take(struct split *s, const struct frame *f)
{
	s->hosts = xcalloc(f->nhosts + 1, sizeof *s->hosts);
	splitbrain_init(&s->sb);
	s->have = verdict_splitbrain(f, s->hosts, &s->sb);
}

static void split_done(struct split *s)
{
	splitbrain_done(&s->sb);
	free(s->hosts);
}

/* An app's verdict over its hosts: "split" when any host is, "whole"
 * otherwise, NULL when any is unknown (no say). */
static const char *split_word(const struct splitbrain *sb, const char *app)
{
	bool split = false, seen = false;

	for (size_t k = 0; k < sb->n; k++) {
		if (strcmp(sb->entries[k].app, app) != 0)
			continue;
		seen = true;
		if (sb->entries[k].verdict == SPLITBRAIN_UNKNOWN)
			return NULL;
		split = split || sb->entries[k].verdict == SPLITBRAIN_SPLIT;
	}
	return !seen ? NULL : split ? "split" : "whole";
}

/* Which hosts: "no connections from kscloud1 (monk has 4)". */
static char *split_detail(const struct split *s, const char *app)
{
	struct buf apart, with;
	char *out;

	buf_init(&apart);
	buf_init(&with);
	for (size_t k = 0; k < s->sb.n; k++) {
		const struct splitbrain_entry *e = &s->sb.entries[k];

		if (strcmp(e->app, app) != 0)
			continue;
		if (e->verdict == SPLITBRAIN_SPLIT)
			buf_printf(&apart, "%s%s", apart.len > 0 ? ", " : "", s->hosts[e->host].name);
		else if (e->verdict == SPLITBRAIN_OK)
			buf_printf(&with, "%s%s has %d", with.len > 0 ? ", " : "", s->hosts[e->host].name,
			           e->conns);
	}
	out = xasprintf("no connections from %s%s%s%s", buf_cstr(&apart), with.len > 0 ? " (" : "",
	                buf_cstr(&with), with.len > 0 ? ")" : "");
	buf_done(&apart);
	buf_done(&with);
	return out;
}

/* Each app (configuration order, once) whole <-> split. */
static void split_events(struct events_ctx *cx)
{
	struct split p, c;

	split_take(&p, cx->prev);
	split_take(&c, cx->cur);
	for (size_t k = 0; p.have && c.have && k < c.sb.n; k++) {
		const char *app = c.sb.entries[k].app, *from, *to;
		char *detail;

		if (k > 0 && strcmp(c.sb.entries[k - 1].app, app) == 0)
			continue;   /* entries are app by app: one event per app */
		from = split_word(&p.sb, app);
		to = split_word(&c.sb, app);
		if (from == NULL || to == NULL || strcmp(from, to) == 0)
			continue;
		if (strcmp(to, "whole") == 0) {
			events_emit(cx, EVENT_SPLIT, EVENT_LEVEL_OK, "", app, from, to, NULL);
			continue;
		}
		detail = split_detail(&c, app);
		events_emit(cx, EVENT_SPLIT, EVENT_LEVEL_CRIT, "", app, from, to, detail);
		free(detail);
	}
	split_done(&p);
	split_done(&c);
}

void events_shared(struct events_ctx *cx)
{
	const struct frame *p = cx->prev, *c = cx->cur;

	events_source(cx, "", "postgres", &p->postgres.feed, &c->postgres.feed, NULL);
	events_source(cx, "", "redis", &p->redis.feed, &c->redis.feed, NULL);
	events_source(cx, "", "cloudflare", &p->cloudflare.feed, &c->cloudflare.feed, NULL);
	events_source(cx, "", "authentik", &p->authentik.feed, &c->authentik.feed, NULL);
	public_probes(cx);
	split_events(cx);
}
