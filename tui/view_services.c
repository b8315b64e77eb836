/* view_services — the services matrix: configured services down, hosts
 * across; each cell the service's container state and health on that host
 * and its health probe's result and latency (through that host), then a
 * PUBLIC column with the public_url probe when any service has one.  A
 * service marked `≠` differs between the hosts (verdict_differs).  Under
 * the matrix: every failed probe in full, then every service whose hosts
 * run different images (core/model/verdict_drift.h), as room allows. */
#include "tui/view_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_probes.h"
#include "core/model/implicit.h"
#include "core/model/verdict.h"
#include "core/model/verdict_drift.h"
#include "tui/keynames.h"
#include "tui/rows.h"
#include "tui/rows_probe.h"
#include "tui/svcmatrix.h"
#include "tui/ui_history.h"
#include "tui/view_errors.h"
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
 * it (so a filter that keeps it keeps the selection), else the first row
 * in the order drawn; cfg->nservices when no row is left. */
static size_t services_selected(const struct ui *ui)
{
	size_t first = ui->cfg->nservices;

	if (ui->services_rows != NULL) {
		for (size_t k = 0; k < ui->services_nrows; k++)
			if (ui->services_rows[k] == ui->services_sel)
				return ui->services_sel;
		return ui->services_nrows > 0 ? ui->services_rows[0] : ui->cfg->nservices;
	}
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

/* Moves the selection by delta rows of the order drawn, clamped at both
 * ends (before the first draw: in configuration order). */
static void services_move(struct ui *ui, long delta)
{
	size_t cur = services_selected(ui), i = cur;

	if (cur == ui->cfg->nservices)
		return;
	if (ui->services_rows != NULL) {
		size_t k = 0;
		long to;

		while (k < ui->services_nrows && ui->services_rows[k] != cur)
			k++;
		to = (long)k + delta;
		if (to < 0)
			to = 0;
		if (to >= (long)ui->services_nrows)
			to = (long)ui->services_nrows - 1;
		if (to >= 0)
			ui->services_sel = ui->services_rows[to];
		return;
	}
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
	case KEY_ACT_HOST_NEXT:
		/* the matrix's hosts one column on (the draw clamps it) */
		ui->services_hfirst++;
		return true;
	case KEY_ACT_HOST_PREV:
		if (ui->services_hfirst > 0)
			ui->services_hfirst--;
		return true;
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
	case KEY_ACT_DETAIL:
		view_errors_open_cut(ui, "Services");
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
		view_errors_put(ui, w, row.y, row.x, row.w, ui->pal.attr[THEME_WARN], line);
	}
}

/* The name column's header, the order o chose marked as in the Overview:
 * "SERVICE▲" by name, "SERVICE  CPU▼", the default unmarked. */
static void services_header(const struct ui *ui, const char *word, char *out, size_t n)
{
	static const char *const col[ROWS_ORDER_COUNT] = {
		[ROWS_ORDER_CPU] = "CPU", [ROWS_ORDER_MEM] = "MEM", [ROWS_ORDER_RESTARTS] = "RST",
		[ROWS_ORDER_UPTIME] = "UP",
	};

	if (ui->sort == ROWS_ORDER_NAME)
		snprintf(out, n, "%s%s", word, rows_order_mark(ui->sort, ui->utf8));
	else if (ui->sort >= ROWS_ORDER_COUNT || col[ui->sort] == NULL)
		snprintf(out, n, "%s", word);
	else
		snprintf(out, n, "%s  %s%s", word, col[ui->sort], rows_order_mark(ui->sort, ui->utf8));
}

/* The panel's border again, the hosts off-screen ("◂ 2 more · 3 more ▸")
 * and the view's key on it; the inside. */
static struct rect services_border(struct ui *ui, WINDOW *w, struct rect r, const struct svcmatrix_window *win)
{
	char key[24], mark[64], right[96];

	svcmatrix_mark(mark, sizeof mark, win, ui->utf8);
	keynames_hint(&(struct keynames_hint){ "view-services", NULL }, key, sizeof key);
	snprintf(right, sizeof right, "%s%s%s", mark, mark[0] != '\0' ? "  " : "", key);
	return panel_draw(w, r, &ui->pal, "Services", right, true);
}

/* Without [service] sections: the implicit services (core/model/implicit.h),
 * each a row of its containers' states, no probes. */
static void services_implicit_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r,
                                   struct rect body)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_WARN, THEME_CRIT };
	size_t nh = f->nhosts < FLEET_MAX_HOSTS ? f->nhosts : FLEET_MAX_HOSTS;
	int namew = body.w / 4 < 24 ? body.w / 4 : 24, cellw;
	struct implicit_services is;
	struct rect row;
	size_t shown = 0;
	struct svcmatrix_window win;
	char hdr[64];

	implicit_services_build(f, &is);
	/* the hosts that fit, names pinned at the left: scrolled as the matrix */
	svcmatrix_window(nh, body.w - namew, &ui->services_hfirst, &win);
	cellw = win.cellw;
	services_border(ui, w, r, &win);
	row = rect_cut_top(&body, 1);
	/* "SERVICE (implicit)"; sorted, "SERVICE  CPU▼" (the line under the rows says implicit) */
	services_header(ui, "SERVICE", hdr, sizeof hdr);
	if (strcmp(hdr, "SERVICE") == 0)
		snprintf(hdr, sizeof hdr, "SERVICE (implicit)");
	text_put(w, row.y, row.x, namew, ui->pal.attr[THEME_HEADER], hdr);
	for (size_t h = win.first; h < win.first + win.count; h++)
		text_put(w, row.y, row.x + namew + (int)(h - win.first) * cellw, cellw - 1,
		         ui->pal.attr[THEME_HEADER], f->hosts[h].name);
	/* the rows in the order o chose */
	size_t *order = xcalloc(is.n + 1, sizeof *order), nshown = 0;
	struct docker_container *folded = xcalloc(is.n + 1, sizeof *folded);

	for (size_t i = 0; i < is.n; i++) {
		if (!rows_name_match(is.v[i].name, ui->filter))
			continue;
		svcmatrix_fold_hosts(is.v[i].dc, nh, is.v[i].name, &folded[nshown]);
		order[nshown++] = i;
	}
	svcmatrix_sort(order, folded, nshown, ui->sort);
	for (size_t k = 0; k < nshown && body.h > 0; k++) {
		size_t i = order[k];

		shown++;
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, namew - 1, ui->pal.attr[THEME_LABEL], is.v[i].name);
		for (size_t h = win.first; h < win.first + win.count; h++) {
			int x = row.x + namew + (int)(h - win.first) * cellw;
			const struct frame_feed *feed = &f->hosts[h].docker.feed;
			const struct docker_container *dc = is.v[i].dc[h];
			struct docker_container missing = feed_missing_container(is.v[i].name);
			char state[48], cell[96];
			enum theme_role cr;

			if (!feed->configured || !feed->polled || feed->error != NULL) {
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[THEME_DIM],
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
			text_put(w, row.y, x, cellw - 1, ui->pal.attr[cr], cell);
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
	free(folded);
	free(order);
	implicit_services_done(&is);
}

/* The shown services in the order o chose, into ui->services_rows (j k
 * walk it). */
static void services_order(struct ui *ui, const struct frame *f)
{
	size_t n = 0;
	struct docker_container *folded = xcalloc(ui->cfg->nservices + 1, sizeof *folded);

	free(ui->services_rows);
	ui->services_rows = xcalloc(ui->cfg->nservices + 1, sizeof *ui->services_rows);
	for (size_t i = 0; i < ui->cfg->nservices; i++) {
		if (!services_shown(ui, i))
			continue;
		svcmatrix_fold(f, ui->cfg->services[i].container, ui->cfg->services[i].name, &folded[n]);
		ui->services_rows[n++] = i;
	}
	svcmatrix_sort(ui->services_rows, folded, n, ui->sort);
	ui->services_nrows = n;
	free(folded);
}

void view_services_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	const struct frame_feed *ps = &f->probes.feed;
	const struct feed_probes *probes = f->probes.value;
	size_t nh = f->nhosts < FLEET_MAX_HOSTS ? f->nhosts : FLEET_MAX_HOSTS;
	char hdr[48];
	struct rect body = panel_draw(w, r, &ui->pal, "Services", NULL, true), row;
	int namew = 24, cellw, pubw = 0, probew;
	bool any_public = false, stale;
	struct svcmatrix_window win;
	size_t sel, top = 0, k;

	if (body.h <= 0 || body.w <= 0)
		return;
	if (ui->cfg->nservices == 0) {
		services_implicit_draw(ui, f, w, r, body);
		return;
	}
	for (size_t i = 0; i < ui->cfg->nservices; i++)
		any_public = any_public || ui->cfg->services[i].public_url != NULL;
	if (namew > body.w / 4)
		namew = body.w / 4;
	if (any_public)
		pubw = (body.w - namew) / (int)(nh + 1) < 18 ? (body.w - namew) / (int)(nh + 1) : 18;
	if (any_public && pubw < 12)
		pubw = (body.w - namew) / 3 < 12 ? (body.w - namew) / 3 : 12;
	/* the hosts that fit, from the one h l scrolled to; names pinned at the left */
	svcmatrix_window(nh, body.w - namew - pubw, &ui->services_hfirst, &win);
	cellw = win.cellw;
	/* the state in 15 cells, then the probe in the rest, when "200 1234ms" fits */
	probew = cellw - 1 - SERVICES_STATE_W >= 11 ? cellw - 1 - SERVICES_STATE_W : 0;
	stale = ps->polled && (ps->stale || ui_is_stale(ui, ps));
	body = services_border(ui, w, r, &win);
	services_order(ui, f);
	sel = services_selected(ui);

	row = rect_cut_top(&body, 1);
	/* the order o chose, marked like the Overview's columns */
	services_header(ui, "SERVICE", hdr, sizeof hdr);
	text_put(w, row.y, row.x, namew - 1, ui->pal.attr[THEME_HEADER], hdr);
	for (size_t h = win.first; h < win.first + win.count; h++)
		text_put(w, row.y, row.x + namew + (int)(h - win.first) * cellw, cellw - 1,
		         ui->pal.attr[THEME_HEADER], f->hosts[h].name);
	if (pubw > 0)
		text_put(w, row.y, row.x + namew + (int)win.count * cellw, pubw - 1, ui->pal.attr[THEME_HEADER],
		         "PUBLIC");
	/* the matrix scrolls to keep the selection in view, leaving two rows
	 * for the note under it when the box has them */
	int rows = body.h > 6 ? body.h - 2 : body.h;

	for (k = 0; k < ui->services_nrows && ui->services_rows[k] != sel; k++)
		;
	if (rows < 1)
		rows = 1;
	if (k < ui->services_nrows) {
		if (k < ui->services_top)
			ui->services_top = k;
		else if (k >= ui->services_top + (size_t)rows)
			ui->services_top = k - (size_t)rows + 1;
	}
	if (ui->services_top + (size_t)rows > ui->services_nrows)
		ui->services_top = ui->services_nrows > (size_t)rows ? ui->services_nrows - (size_t)rows : 0;
	top = ui->services_top;
	panel_more(w, r, &ui->pal, top, ui->services_nrows > top + (size_t)rows ?
	           ui->services_nrows - top - (size_t)rows : 0);
	for (size_t kk = top; kk < ui->services_nrows && body.h > 0; kk++) {
		size_t i = ui->services_rows[kk];
		const struct config_service *svc = &ui->cfg->services[i];
		char name[160];
		attr_t na = ui->pal.attr[THEME_LABEL];

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
		for (size_t h = win.first; h < win.first + win.count; h++) {
			int x = row.x + namew + (int)(h - win.first) * cellw;
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
			text_put(w, row.y, row.x + namew + (int)win.count * cellw, pubw - 1,
			         ui->pal.attr[services_probe_role(pr, stale)], !ps->polled ? "waiting..." : probe);
		}
	}
	if (body.h > 1) {
		char line[640], age[16];

		rect_cut_top(&body, 1);
		row = rect_cut_top(&body, 1);
		if (ps->error != NULL) {
			snprintf(line, sizeof line, "probes: %s", ps->error);
			view_errors_put(ui, w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
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
			view_errors_put(ui, w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
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
