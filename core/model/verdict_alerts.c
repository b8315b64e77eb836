/* verdict_alerts — the parts of the overall verdict that the [alerts]
 * thresholds drive (see verdict.h): a host's figures, restarting
 * containers, slow probes, the panels' warn/crit and PostgreSQL's
 * connections; and the figures `check` gives as perfdata. */
#include "core/model/verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define VERDICT_HOUR_MS (3600 * 1000)

enum verdict_level verdict_pct_level(double pct, double warn, double crit)
{
	if (isnan(pct))
		return VERDICT_OK;
	if (pct >= crit)
		return VERDICT_CRIT;
	if (pct >= warn)
		return VERDICT_WARN;
	return VERDICT_OK;
}

enum verdict_level verdict_host_figure_level(const struct config_host *h,
                                             enum config_alert_figure fig, double pct)
{
	return verdict_pct_level(pct, h->alerts.warn[fig], h->alerts.crit[fig]);
}

const char *verdict_mark(enum verdict_level l, bool utf8)
{
	switch (l) {
	case VERDICT_WARN:
		return utf8 ? "\xe2\x96\xb2" : "!";        /* ▲ */
	case VERDICT_CRIT:
		return utf8 ? "\xe2\x9c\x96" : "X";        /* ✖ */
	default:
		return "";
	}
}

bool verdict_container_bad(const struct docker_container *dc)
{
	return dc == NULL || dc->state != DOCKER_STATE_RUNNING || dc->health == DOCKER_HEALTH_UNHEALTHY;
}

/* "who: what\n" into reasons (may be NULL); takes what. */
static void verdict_alerts_note(struct buf *reasons, const char *who, char *what)
{
	size_t wl = strlen(who);

	/* an error that names its source already ("postgres: timeout") is
	 * not named twice */
	if (reasons != NULL && strncmp(what, who, wl) == 0 && what[wl] == ':' && what[wl + 1] == ' ')
		buf_printf(reasons, "%s\n", what);
	else if (reasons != NULL)
		buf_printf(reasons, "%s: %s\n", who, what);
	free(what);
}

/* A frame holds one RestartCount per container and no history of it, so
 * "restarts per hour" is read as: at least restarts_warn restarts while
 * the container's latest start is less than an hour old.  A container that
 * restarted often long ago but has run for an hour since is left alone; one
 * that keeps crashing always has a recent start. */
enum verdict_level verdict_alerts_host(const struct frame *f, const struct frame_host *h,
                                       struct buf *reasons)
{
	const struct frame_feed *feed = &h->docker.feed;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured || !feed->polled || feed->error != NULL)
		return VERDICT_OK;
	for (size_t i = 0; i < f->cfg->nservices; i++) {
		const struct config_service *svc = &f->cfg->services[i];
		const struct docker_container *dc = frame_host_container(h, svc->container);
		int64_t up_ms;
		char ago[16];

		if (dc == NULL || svc->restarts_warn <= 0 || dc->restarts < svc->restarts_warn ||
		    dc->started_at_ms <= 0)
			continue;
		up_ms = f->taken_ms > dc->started_at_ms ? f->taken_ms - dc->started_at_ms : 0;
		if (up_ms >= VERDICT_HOUR_MS)
			continue;
		time_format_age(ago, sizeof ago, up_ms);
		verdict_alerts_note(reasons, h->name,
		                    xasprintf("%s restarted %d times, the last %s ago (restarts_warn %d)",
		                              svc->container, dc->restarts, ago, svc->restarts_warn));
		lvl = VERDICT_WARN;
	}
	return lvl;
}

/* A probe that answered as expected but slower than the service's
 * probe_ms_warn: a warning (failed probes are verdict_services_level's). */
static enum verdict_level verdict_alerts_slow(const char *who,
                                              const struct config_service *svc,
                                              const char *what, const struct probe_result *r,
                                              struct buf *reasons)
{
	if (r == NULL || !r->done || !r->ok || svc->probe_ms_warn <= 0 || r->ms <= svc->probe_ms_warn)
		return VERDICT_OK;
	verdict_alerts_note(reasons, who, xasprintf("%s %s slow: %.0f ms > probe_ms_warn %d",
	                                            svc->name, what, r->ms, svc->probe_ms_warn));
	return VERDICT_WARN;
}

static enum verdict_level verdict_alerts_probes(const struct frame *f, struct buf *reasons)
{
	const struct frame_feed *feed = &f->probes.feed;
	const struct feed_probes *p = feed->polled && feed->error == NULL ? f->probes.value : NULL;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured || p == NULL)
		return VERDICT_OK;
	for (size_t s = 0; s < f->cfg->nservices && s < p->nservices; s++) {
		const struct config_service *svc = &f->cfg->services[s];

		for (size_t h = 0; h < p->nhosts && h < f->nhosts; h++)
			lvl = verdict_worst(lvl, verdict_alerts_slow(f->hosts[h].name, svc, "probe",
			                                             feed_probes_host(p, s, h), reasons));
		lvl = verdict_worst(lvl, verdict_alerts_slow(svc->name, svc, "public_url",
		                                             feed_probes_public(p, s), reasons));
	}
	return lvl;
}

/* One series against its panel's warn/crit: "panel 'Disk I/O' monk: 97 >=
 * crit 90" (<= for a panel where lower is worse). */
static enum verdict_level verdict_alerts_series(const struct config_panel *pc,
                                                const struct panel_series *ps,
                                                struct buf *reasons)
{
	enum panels_level pl = panels_level(pc, ps->value);
	bool lower = pc->has_warn && pc->has_crit && pc->crit < pc->warn;
	char v[32], t[32];

	if (pl == PANELS_OK)
		return VERDICT_OK;
	panels_format_value(v, sizeof v, pc->unit, ps->value);
	panels_format_value(t, sizeof t, pc->unit, pl == PANELS_CRIT ? pc->crit : pc->warn);
	if (reasons != NULL)
		buf_printf(reasons, "panel '%s'%s%s: %s %s %s %s\n", pc->title, ps->label[0] != '\0' ? " " : "",
		           ps->label, v, lower ? "<=" : ">=", pl == PANELS_CRIT ? "crit" : "warn", t);
	return pl == PANELS_CRIT ? VERDICT_CRIT : VERDICT_WARN;
}

/* The panels' series over their warn/crit.  A panel whose query failed, or
 * figures that are stale, are not judged (the Metrics view says why). */
static enum verdict_level verdict_alerts_panels(const struct frame *f, struct buf *reasons)
{
	const struct frame_feed *feed = &f->panels.feed;
	const struct panels *p = feed->polled && feed->error == NULL ? f->panels.value : NULL;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured || p == NULL)
		return VERDICT_OK;
	for (size_t i = 0; i < p->n; i++) {
		const struct panel_data *pd = &p->items[i];

		if (pd->cfg == NULL || pd->error != NULL || (!pd->cfg->has_warn && !pd->cfg->has_crit))
			continue;
		for (size_t k = 0; k < pd->n; k++)
			lvl = verdict_worst(lvl, verdict_alerts_series(pd->cfg, &pd->series[k], reasons));
	}
	return lvl;
}

int verdict_pg_conn_base(const struct pg_status *st)
{
	if (st->reserved_connections > 0 && st->reserved_connections < st->max_connections)
		return st->max_connections - st->reserved_connections;
	return st->max_connections;
}

bool verdict_pg_conn_pct(const struct frame *f, double *pct)
{
	const struct frame_feed *feed = &f->postgres.feed;
	const struct pg_status *st = f->postgres.value;

	if (!feed->configured || !feed->polled || feed->error != NULL || st == NULL ||
	    st->max_connections <= 0 || st->connections < 0)
		return false;
	*pct = 100.0 * st->connections / verdict_pg_conn_base(st);
	return true;
}

/* The share of the connections the apps may open in use (see
 * verdict_pg_conn_base). */
static enum verdict_level verdict_alerts_pg(const struct frame *f, struct buf *reasons)
{
	const struct config_alerts *a = &f->cfg->alerts;
	enum verdict_level l;
	double pct;

	if (!verdict_pg_conn_pct(f, &pct))
		return VERDICT_OK;
	l = verdict_pct_level(pct, a->pg_conn_warn, a->pg_conn_crit);
	if (l != VERDICT_OK)
		verdict_alerts_note(reasons, "postgres",
		                    xasprintf("%d of %d connections (%.1f%%) >= %s %g%%",
		                              f->postgres.value->connections,
		                              verdict_pg_conn_base(f->postgres.value), pct,
		                              l == VERDICT_CRIT ? "crit" : "warn",
		                              l == VERDICT_CRIT ? a->pg_conn_crit : a->pg_conn_warn));
	return l;
}

enum verdict_level verdict_alerts_level(const struct frame *f, struct buf *reasons)
{
	enum verdict_level lvl = verdict_alerts_pg(f, reasons);

	lvl = verdict_worst(lvl, verdict_alerts_probes(f, reasons));
	return verdict_worst(lvl, verdict_alerts_panels(f, reasons));
}
