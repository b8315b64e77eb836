/* view_services — the services matrix: configured services down, hosts
 * across; each cell the service's container state and health on that host
 * and its health probe's result and latency (through that host), then a
 * PUBLIC column with the public_url probe when any service has one.  A
 * service marked `≠` differs between the hosts (verdict_differs).  Under
 * the matrix: every failed probe in full, then every service whose hosts
 * run different images (core/model/verdict_drift.h), as room allows. */
#include "tui/view_services.h"

#include <stdio.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/feeds/feed_probes.h"
#include "core/model/implicit.h"
#include "core/model/verdict.h"
#include "core/model/verdict_drift.h"
#include "tui/keynames.h"
#include "tui/rows.h"
#include "tui/rows_probe.h"
#include "tui/ui_history.h"
#include "tui/view_svclogs.h"
#include "widgets/panel.h"
#include "widgets/text.h"

#define SERVICES_STATE_W 15

/* Whether the filter leaves service i. */
static bool services_shown(const struct ui *ui, size_t i)
{
	const struct config_service *svc = &ui->cfg->services[i];

	return rows_name_match(svc->name, ui->filter) || rows_name_match(svc->container, ui->filter);
}

/* The selected service as drawn: the one chosen while the filter leaves
 * it (so a filter that keeps it keeps the selection), else the first row;
 * cfg->nservices when no row is left. */
static size_t services_selected(const struct ui *ui)
{
	size_t first = ui->cfg->nservices;

	for (size_t i = 0; i < ui->cfg->nservices; i++) {
		if (!services_shown(ui, i))
			continue;
		if (i == ui->services_sel)
			return i;
		if (first == ui->cfg->nservices)
			first = i;
	}
	return first;
}

/* Moves the selection by delta shown rows, clamped at both ends. */
static void services_move(struct ui *ui, long delta)
{
	size_t cur = services_selected(ui), i = cur;

	if (cur == ui->cfg->nservices)
		return;
	while (delta != 0) {
		size_t j = i;

		do
			j = delta > 0 ? j + 1 : j - 1;
		while (j < ui->cfg->nservices && !services_shown(ui, j));   /* j wraps below 0 to SIZE_MAX */
		if (j >= ui->cfg->nservices)
			break;
		i = j;
		delta += delta > 0 ? -1 : 1;
	}
	ui->services_sel = i;
}

static bool services_key(struct ui *ui, enum key_action a)
{
	struct frame f;

	switch (a) {
	case KEY_ACT_DOWN: services_move(ui, 1); return true;
	case KEY_ACT_UP: services_move(ui, -1); return true;
	case KEY_ACT_PAGE_DOWN: services_move(ui, 10); return true;
	case KEY_ACT_PAGE_UP: services_move(ui, -10); return true;
	case KEY_ACT_TOP: services_move(ui, -(long)ui->cfg->nservices); return true;
	case KEY_ACT_BOTTOM: services_move(ui, (long)ui->cfg->nservices); return true;
	case KEY_ACT_LOGS:
		if (ui->feeds == NULL)
			return false;   /* a replay: no live hosts (it says so) */
		if (services_selected(ui) == ui->cfg->nservices) {
			ui_toast(ui, "no service selected");
			return true;
		}
		frame_take(&f, ui->feeds);
		view_svclogs_open(ui, &f, services_selected(ui));
		frame_release(&f);
		return true;
	default:
		return false;
	}
}

/* The container part of a cell: glyph and state, or why there is none. */
static enum theme_role services_container(struct ui *ui, const struct frame_host *h,
                                          const struct config_service *svc, char *out, size_t n)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_WARN, THEME_CRIT };
	const struct frame_feed *feed = &h->docker.feed;
	char state[48];

	if (!feed->configured) {
		snprintf(out, n, "no docker");
		return THEME_DIM;
	}
	if (!feed->polled) {
		snprintf(out, n, "waiting...");
		return THEME_DIM;
	}
	if (feed->error != NULL) {
		snprintf(out, n, "%s ?", ui->utf8 ? "\xe2\x9c\x96" : "x");
		return THEME_ERROR;
	} else {
		const struct docker_container *dc = frame_host_container(h, svc->container);
		struct docker_container missing = feed_missing_container(svc->container);

		if (dc == NULL)
			dc = &missing;
		rows_container_state(state, sizeof state, dc);
		snprintf(out, n, "%s %s", rows_container_glyph(dc, ui->utf8), state);
		return role[verdict_container_severity(dc)];
	}
}

static enum theme_role services_probe_role(const struct probe_result *r, bool stale)
{
	if (r == NULL || !r->done || stale)
		return THEME_DIM;
	return r->ok ? THEME_VALUE : THEME_CRIT;
}

/* Under the matrix: "grafana: image differs on monk and kscloud1: 11.2.0
 * vs 11.3.0" for each drifted service the filter leaves. */
static void services_drift_lines(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *body)
{
	for (size_t i = 0; i < ui->cfg->nservices && body->h > 0; i++) {
		const struct config_service *svc = &ui->cfg->services[i];
		struct verdict_drift d;
		char why[2 * VERDICT_DRIFT_WHAT + 96], line[sizeof why + 64];
		struct rect row;

		if ((!rows_name_match(svc->name, ui->filter) && !rows_name_match(svc->container, ui->filter)) ||
		    !verdict_drift(f, svc->container, &d))
			continue;
		row = rect_cut_top(body, 1);
		verdict_drift_reason_hosts(f, &d, why, sizeof why);
		snprintf(line, sizeof line, "%s: %s", svc->name, why);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_WARN], line);
	}
}

/* Without [service] sections: the implicit services (core/model/implicit.h),
 * each a row of its containers' states, no probes. */
static void services_implicit_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect body)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_WARN, THEME_CRIT };
	size_t nh = f->nhosts < FLEET_MAX_HOSTS ? f->nhosts : FLEET_MAX_HOSTS;
	int namew = body.w / 4 < 24 ? body.w / 4 : 24, cellw;
	struct implicit_services is;
	struct rect row;
	size_t shown = 0;

	implicit_services_build(f, &is);
	cellw = nh > 0 ? (body.w - namew) / (int)nh : 0;
	row = rect_cut_top(&body, 1);
	text_put(w, row.y, row.x, namew, ui->pal.attr[THEME_HEADER], "SERVICE (implicit)");
	for (size_t h = 0; h < nh; h++)
		text_put(w, row.y, row.x + namew + (int)h * cellw, cellw - 1, ui->pal.attr[THEME_HEADER],
		         f->hosts[h].name);
	for (size_t i = 0; i < is.n && body.h > 0; i++) {
		if (!rows_name_match(is.v[i].name, ui->filter))
			continue;
		shown++;
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, namew - 1, ui->pal.attr[THEME_LABEL], is.v[i].name);
		for (size_t h = 0; h < nh; h++) {
			const struct frame_feed *feed = &f->hosts[h].docker.feed;
			const struct docker_container *dc = is.v[i].dc[h];
			struct docker_container missing = feed_missing_container(is.v[i].name);
			char state[48], cell[96];
			enum theme_role cr;

			if (!feed->configured || !feed->polled || feed->error != NULL) {
				text_put(w, row.y, row.x + namew + (int)h * cellw, cellw - 1, ui->pal.attr[THEME_DIM],
				         !feed->configured ? "no docker" : !feed->polled ? "waiting..." : "?");
				continue;
			}
			if (dc == NULL)
				dc = &missing;
			rows_container_state(state, sizeof state, dc);
			snprintf(cell, sizeof cell, "%s %s", rows_container_glyph(dc, ui->utf8), state);
			/* an exit with 0 is a job done, not a problem */
			cr = implicit_container_bad(dc) ? role[verdict_container_severity(dc)] :
			     verdict_container_severity(dc) >= 3 ? THEME_DIM : role[verdict_container_severity(dc)];
			text_put(w, row.y, row.x + namew + (int)h * cellw, cellw - 1, ui->pal.attr[cr], cell);
		}
	}
	if (body.h > 1) {
		rect_cut_top(&body, 1);
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], is.n == 0 ?
		         "no [service NAME] sections, and no container of one name (or compose service) on two hosts" :
		         shown == 0 ? "no service matches the filter" :
		         "No [service NAME] sections: a row is a container name (or compose service) found on "
		         "more than one host.");
	}
	implicit_services_done(&is);
}

void view_services_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	const struct frame_feed *ps = &f->probes.feed;
	const struct feed_probes *probes = f->probes.value;
	size_t nh = f->nhosts < FLEET_MAX_HOSTS ? f->nhosts : FLEET_MAX_HOSTS;
	char key[24];
	struct rect body = panel_draw(w, r, &ui->pal, "Services",
	                              keynames_hint(&(struct keynames_hint){ "view-services", NULL }, key, sizeof key),
	                              true), row;
	int namew = 24, cellw, pubw = 0, probew;
	bool any_public = false, stale;

	if (body.h <= 0 || body.w <= 0)
		return;
	if (ui->cfg->nservices == 0) {
		services_implicit_draw(ui, f, w, body);
		return;
	}
	for (size_t i = 0; i < ui->cfg->nservices; i++)
		any_public = any_public || ui->cfg->services[i].public_url != NULL;
	if (namew > body.w / 4)
		namew = body.w / 4;
	if (any_public)
		pubw = (body.w - namew) / (int)(nh + 1) < 18 ? (body.w - namew) / (int)(nh + 1) : 18;
	cellw = nh > 0 ? (body.w - namew - pubw) / (int)nh : 0;
	/* the state in 15 cells, then the probe in the rest, when "200 1234ms" fits */
	probew = cellw - 1 - SERVICES_STATE_W >= 11 ? cellw - 1 - SERVICES_STATE_W : 0;
	stale = ps->polled && (ps->stale || ui_is_stale(ui, ps));

	row = rect_cut_top(&body, 1);
	text_put(w, row.y, row.x, namew, ui->pal.attr[THEME_HEADER], "SERVICE");
	for (size_t h = 0; h < nh; h++)
		text_put(w, row.y, row.x + namew + (int)h * cellw, cellw - 1, ui->pal.attr[THEME_HEADER],
		         f->hosts[h].name);
	if (pubw > 0)
		text_put(w, row.y, row.x + namew + (int)nh * cellw, pubw - 1, ui->pal.attr[THEME_HEADER],
		         "PUBLIC");
	/* the matrix scrolls to keep the selection in view, leaving two rows
	 * for the note under it when the box has them */
	int rows = body.h > 6 ? body.h - 2 : body.h;

	{
		size_t total = 0, at = 0, sel = services_selected(ui);

		for (size_t i = 0; i < ui->cfg->nservices; i++)
			if (services_shown(ui, i)) {
				if (i == sel)
					at = total;
				total++;
			}
		if (rows < 1)
			rows = 1;
		if (at < ui->services_top)
			ui->services_top = at;
		else if (at >= ui->services_top + (size_t)rows)
			ui->services_top = at - (size_t)rows + 1;
		if (ui->services_top + (size_t)rows > total)
			ui->services_top = total > (size_t)rows ? total - (size_t)rows : 0;
		panel_more(w, r, &ui->pal, ui->services_top, total > ui->services_top + (size_t)rows ?
		           total - ui->services_top - (size_t)rows : 0);
	}
	for (size_t i = 0, sel = services_selected(ui), k = 0; i < ui->cfg->nservices && body.h > 0; i++) {
		const struct config_service *svc = &ui->cfg->services[i];
		char name[160];
		attr_t na = ui->pal.attr[THEME_LABEL];

		if (!services_shown(ui, i) || k++ < ui->services_top)
			continue;
		if (rows-- <= 0)
			break;     /* the rows of the note under it */
		row = rect_cut_top(&body, 1);
		snprintf(name, sizeof name, "%s%s", verdict_differs(f, svc->container) ?
		         (ui->utf8 ? "\xe2\x89\xa0" : "!") : "", svc->name);
		if (i == sel) {
			/* the selection: reverse video as well, so it shows without colour */
			na = ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color;
			wattrset(w, na);
			wmove(w, row.y, row.x);
			whline(w, ' ', namew - 1);
		}
		text_put(w, row.y, row.x, namew - 1, na, name);
		for (size_t h = 0; h < nh; h++) {
			int x = row.x + namew + (int)h * cellw;
			const struct probe_result *pr = svc->health != NULL ? feed_probes_host(probes, i, h) : NULL;
			char cell[96], probe[96];
			enum theme_role cr = services_container(ui, &f->hosts[h], svc, cell, sizeof cell);

			if (probew == 0 && pr != NULL && pr->done && !pr->ok) {
				/* narrow: the failed probe replaces the state */
				rows_probe(probe, sizeof probe, pr);
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[THEME_CRIT], probe);
				continue;
			}
			text_put(w, row.y, x, probew > 0 ? SERVICES_STATE_W - 1 : cellw - 1, ui->pal.attr[cr], cell);
			if (probew > 0 && svc->health != NULL) {
				if (!ps->polled)
					snprintf(probe, sizeof probe, "waiting...");
				else if (probes == NULL)
					snprintf(probe, sizeof probe, "?");
				else
					rows_probe(probe, sizeof probe, pr);
				text_put(w, row.y, x + SERVICES_STATE_W, probew, ui->pal.attr[
				         services_probe_role(pr, stale)], probe);
			}
		}
		if (pubw > 0 && svc->public_url != NULL) {
			const struct probe_result *pr = feed_probes_public(probes, i);
			char probe[96];

			rows_probe(probe, sizeof probe, pr);
			text_put(w, row.y, row.x + namew + (int)nh * cellw, pubw - 1,
			         ui->pal.attr[services_probe_role(pr, stale)], !ps->polled ? "waiting..." : probe);
		}
	}
	if (body.h > 1) {
		char line[160], age[16];

		rect_cut_top(&body, 1);
		row = rect_cut_top(&body, 1);
		if (ps->error != NULL) {
			snprintf(line, sizeof line, "probes: %s", ps->error);
			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
		} else if (probes != NULL) {
			ui_age_label(ui, ps->polled_mono_ms, ps->interval_ms, age, sizeof age);
			snprintf(line, sizeof line, "A cell: the container on that host, then its health probe "
			         "(status, latency) through that host.  Probe round %.0f ms, %s ago.",
			         probes->round_ms, age);
			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], line);
		} else {
			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM],
			         "A cell is the service's container on that host; ? means the engine did not answer (see 1).");
		}
	}
	/* every failed probe in full (of the services the filter leaves) */
	for (size_t i = 0; probes != NULL && i < ui->cfg->nservices && body.h > 0; i++) {
		if (!rows_name_match(ui->cfg->services[i].name, ui->filter) &&
		    !rows_name_match(ui->cfg->services[i].container, ui->filter))
			continue;
		for (size_t h = 0; h <= nh && body.h > 0; h++) {
			const struct probe_result *pr = h < nh ? feed_probes_host(probes, i, h) :
			                                feed_probes_public(probes, i);
			char line[640], since[16];

			if (pr == NULL || !pr->done || pr->ok || pr->error == NULL)
				continue;
			row = rect_cut_top(&body, 1);
			ui_since(ui, EVENT_PROBE, h < nh ? f->hosts[h].name : "", ui->cfg->services[i].name,
			         f->taken_ms, since, sizeof since);
			snprintf(line, sizeof line, "%s %s: %s%s%s%s", ui->cfg->services[i].name,
			         h < nh ? f->hosts[h].name : "public", pr->error,
			         since[0] != '\0' ? " (for " : "", since, since[0] != '\0' ? ")" : "");
			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
		}
	}
	services_drift_lines(ui, f, w, &body);
}

const struct view view_services = {
	.name = "Services",
	.select = KEY_ACT_VIEW_SERVICES,
	.scope = KEY_SCOPE_ANY,
	.draw = view_services_draw,
	.key = services_key,
};
