/* view_overview — the default view: one column per host, side by side, with
 * this host's machine figures as gauges and sparklines, each with its age.
 * On a narrow terminal (< UI_NARROW_COLS) one host at a time with a tab strip. */
#include "tui/view_overview.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/metrics.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/verdict.h"
#include "tui/overview_list.h"
#include "tui/overview_plan.h"
#include "tui/rows.h"
#include "tui/view_events.h"
#include "tui/ui_history.h"
#include "tui/strip_authentik.h"
#include "tui/ui_changes.h"
#include "tui/view_data.h"
#include "tui/view_traffic.h"
#include "widgets/gauge.h"
#include "widgets/panel.h"
#include "widgets/text.h"

/* The gauge's word for a verdict on one figure. */
static enum gauge_alert overview_alert(enum verdict_level l)
{
	return l == VERDICT_CRIT ? GAUGE_ALERT_CRIT : l == VERDICT_WARN ? GAUGE_ALERT_WARN : GAUGE_ALERT_NONE;
}

/* One figure row: a gauge (label, bar, " 12.3%  4s") and its sparkline row;
 * a figure over a threshold also gets its mark ("▲ 87.0%", "✖ 97.0%") so
 * that it shows without colour. */
static void overview_pct_row(struct ui *ui, WINDOW *w, struct rect *body, const char *label,
                             const struct frame_host *h, enum metrics_figure f,
                             enum config_alert_figure af, double pct,
                             const struct sparkline *spark, const char *age, bool stale)
{
	const struct metrics *m = h->metrics.value;
	char value[48], num[16];
	struct rect row;
	enum verdict_level lvl;
	struct gauge_style st;
	const char *mark;

	if (body->h <= 0)
		return;
	row = rect_cut_top(body, 1);
	if (m == NULL || !m->valid[f]) {
		text_put(w, row.y, row.x, 5, ui->pal.attr[THEME_LABEL], label);
		text_put(w, row.y, row.x + 5, row.w - 5, ui->pal.attr[THEME_ERROR],
		         m != NULL && m->error[f] != NULL ? m->error[f] : "no data yet");
		return;
	}
	lvl = verdict_host_figure_level(h->cfg, af, pct);
	st = gauge_alert_style(overview_alert(lvl), pct);
	mark = verdict_mark(lvl, ui->utf8);
	format_pct(num, sizeof num, pct);
	snprintf(value, sizeof value, "%s%6s %4s", mark[0] != '\0' ? mark : " ", num, age);
	gauge_draw_styled(w, row, &ui->pal, label, pct, value, stale, &st);
	if (spark != NULL && body->h > 0 && sparkline_len(spark) > 1) {
		row = rect_cut_top(body, 1);
		sparkline_draw(spark, w, rect_make(row.y, row.x + 5, 1, row.w - 5), &ui->pal, 100);
	}
}

static void overview_metrics(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *bodyp,
                             size_t hi, int figures, bool sparks)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct frame_feed *feed = &h->metrics.feed;
	struct ui_host_hist *hist = &ui->hist[hi], none = { 0 };
	const struct metrics *m;
	bool stale;
	char age[16], rx[32], tx[32], line[128], up[32];
	struct rect row, body = *bodyp;
	attr_t dim;

	if (figures <= 0 || bodyp->h <= 0)
		return;
	if (!feed->configured) {
		row = rect_cut_top(bodyp, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM],
		         "metrics: none (needs SSH, or [prometheus] and this host's prom_selector)");
		return;
	}
	if (!feed->polled) {
		row = rect_cut_top(bodyp, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], "waiting for the first sample...");
		return;
	}
	m = h->metrics.value;
	/* the SSH session's error is said once, above (Enter shows them all) */
	if (feed->error != NULL && !(h->reach.known && !h->reach.connected && h->reach.error[0] != '\0' &&
	                             strstr(feed->error, h->reach.error) != NULL)) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], feed->error);
	}
	if (m == NULL) {
		*bodyp = body;
		return;
	}
	stale = feed->stale || ui_is_stale(ui, feed);
	ui_age_label(ui, feed->value_mono_ms, feed->interval_ms, age, sizeof age);
	if (figures < OVERVIEW_FIGURES_FULL) {
		/* short of rows: the figures in one line */
		row = rect_cut_top(&body, 1);
		overview_figures_line(ui, w, row, h, stale);
		*bodyp = body;
		return;
	}
	if (!sparks)
		hist = &none;

	overview_pct_row(ui, w, &body, "CPU", h, METRICS_CPU, CONFIG_ALERT_CPU, m->cpu_pct, hist->cpu,
	                 age, stale);
	overview_pct_row(ui, w, &body, "MEM", h, METRICS_MEM, CONFIG_ALERT_MEM, m->mem_pct, hist->mem,
	                 age, stale);
	overview_pct_row(ui, w, &body, "DISK", h, METRICS_DISK, CONFIG_ALERT_DISK, m->disk_pct, NULL,
	                 age, stale);

	dim = stale ? ui->pal.attr[THEME_DIM] : ui->pal.attr[THEME_VALUE];
	if (body.h > 0) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, 5, ui->pal.attr[THEME_LABEL], "NET");
		if (m->valid[METRICS_NET]) {
			format_rate(rx, sizeof rx, m->net_rx_bps);
			format_rate(tx, sizeof tx, m->net_tx_bps);
			snprintf(line, sizeof line, "%s %s  %s %s", ui->utf8 ? "\xe2\x86\x93" : "rx", rx,
			         ui->utf8 ? "\xe2\x86\x91" : "tx", tx);
			int aw = text_width(age);

			text_put(w, row.y, row.x + 5, row.w - 5 - aw - 1, dim, line);
			text_put(w, row.y, row.x + row.w - aw, aw, ui->pal.attr[THEME_DIM], age);
		} else {
			text_put(w, row.y, row.x + 5, row.w - 5, ui->pal.attr[THEME_ERROR],
			         m->error[METRICS_NET] != NULL ? m->error[METRICS_NET] : "no data yet");
		}
	}
	if (body.h > 0 && m->valid[METRICS_NET] && hist->net != NULL && sparkline_len(hist->net) > 1) {
		row = rect_cut_top(&body, 1);
		sparkline_draw(hist->net, w, rect_make(row.y, row.x + 5, 1, row.w - 5), &ui->pal, 0);
	}
	if (body.h > 0) {
		int x;

		row = rect_cut_top(&body, 1);
		x = row.x + text_put(w, row.y, row.x, 5, ui->pal.attr[THEME_LABEL], "LOAD");
		x += 1;
		if (m->valid[METRICS_LOAD])
			snprintf(line, sizeof line, "%.2f", m->load1);
		else
			snprintf(line, sizeof line, "?");
		x += text_put(w, row.y, x, row.x + row.w - x, m->valid[METRICS_LOAD] ? dim :
		              ui->pal.attr[THEME_ERROR], line);
		x += text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[THEME_LABEL], "   UP ");
		if (m->valid[METRICS_UPTIME])
			time_format_duration(up, sizeof up, (int64_t)m->uptime_s);
		else
			snprintf(up, sizeof up, "?");
		text_put(w, row.y, x, row.x + row.w - x, dim, up);
	}
	*bodyp = body;
}

/* The containers' table in body: its header, then the rows, problems first;
 * when they do not all fit the last line says how many are folded and how
 * many of those are healthy ("+ 9 more, all healthy"). */
static void overview_containers(struct ui *ui, const struct frame *f, WINDOW *w, struct rect body,
                                size_t hi)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct frame_feed *feed = &h->docker.feed;
	const struct docker_container **v;
	struct docker_container *missing;
	size_t n;
	char line[512];
	struct rect row;
	int64_t now = f->taken_ms;   /* uptimes as of the frame */
	bool stale;

	if (!feed->configured || body.h < 1)
		return;
	stale = feed->polled && (feed->stale || ui_is_stale(ui, feed));
	v = overview_rows(ui, f, hi, &n, &missing);
	if (v == NULL) {
		/* an engine that cannot answer without the SSH session: the host's
		 * error is said once, above; Enter shows it whole */
		bool same = feed->polled && h->reach.known && !h->reach.connected && h->reach.error[0] != '\0' &&
		            feed->error != NULL && strstr(feed->error, h->reach.error) != NULL;

		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, !feed->polled || same ? ui->pal.attr[THEME_DIM] :
		         ui->pal.attr[THEME_ERROR], !feed->polled ? "containers: waiting for the engine..." :
		         same ? "containers: no answer without the SSH session (Enter: the errors in full)" :
		         feed->error != NULL ? feed->error : "containers: no list yet");
		return;
	}
	row = rect_cut_top(&body, 1);
	rows_container_header_sorted(line, sizeof line, row.w, ui->sort, ui->utf8);
	text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_HEADER], line);
	/* the focused column: remember the order for j/k, keep the selection in view */
	size_t selected = 0, first = 0;
	bool focused = hi == ui->host && hi < FLEET_MAX_HOSTS;

	if (focused && body.h > 0) {
		ui_rows_clear(ui);
		ui->rows = xcalloc(n + 1, sizeof *ui->rows);
		ui->row_host = xcalloc(n + 1, sizeof *ui->row_host);
		ui->nrows = n;
		for (size_t i = 0; i < n; i++) {
			ui->rows[i] = xstrdup(v[i]->name);
			ui->row_host[i] = hi;
			if (ui->sel[hi] != NULL && strcmp(v[i]->name, ui->sel[hi]) == 0)
				selected = i;
		}
		ui->page = body.h;
		/* room for the row and, after it, the "folded" line */
		if (body.h > 0 && selected + 1 >= (size_t)body.h && n > (size_t)body.h)
			first = selected + 2 - (size_t)body.h;
		if (body.h > 0 && selected >= (size_t)body.h && n <= (size_t)body.h)
			first = selected - (size_t)body.h + 1;
		if (ui->click_pending && ui->click_y >= body.y && ui->click_y < body.y + body.h &&
		    first + (size_t)(ui->click_y - body.y) < n) {
			/* a click on a row selects it */
			selected = first + (size_t)(ui->click_y - body.y);
			free(ui->sel[hi]);
			ui->sel[hi] = xstrdup(v[selected]->name);
		}
		ui->click_pending = false;
	}
	for (size_t i = first; i < n && body.h > 0; i++) {
		int sev = verdict_container_severity(v[i]);
		bool differs = verdict_differs_memo(f, &ui->verdict_memo, v[i]->name);
		bool changed = ui_changed(ui, h->name, v[i]->name);
		static const enum theme_role role[] = { THEME_DEFAULT, THEME_WARN, THEME_WARN, THEME_CRIT };
		/* figures older than UI_STALE_INTERVALS refreshes (paused, or the
		 * engine silent) are dimmed, as everywhere */
		attr_t a = ui->pal.attr[stale ? THEME_DIM : role[sev]] | (differs ? A_BOLD : 0) |
		           (changed ? A_REVERSE | A_BOLD : 0);   /* just got worse: 10 s */
		char mark[16], since[16];

		row = rect_cut_top(&body, 1);
		if (body.h == 0 && i + 1 < n && !(focused && i == selected)) {
			size_t healthy = 0;

			for (size_t k = i; k < n; k++)
				healthy += verdict_container_severity(v[k]) == 0;
			if (healthy == n - i)
				snprintf(line, sizeof line, "+ %zu more, all healthy", n - i);
			else
				snprintf(line, sizeof line, "+ %zu more: %zu healthy, %zu not", n - i, healthy,
				         n - i - healthy);
			text_put(w, row.y, row.x, row.w, ui->pal.attr[healthy == n - i ? THEME_DIM : THEME_WARN],
			         line);
			break;
		}
		snprintf(mark, sizeof mark, "%s%s", changed ? (ui->utf8 ? "\xc2\xbb" : ">") : "",
		         differs ? (ui->utf8 ? "\xe2\x89\xa0" : "!") : "");
		since[0] = '\0';
		if (sev >= 2)
			ui_since(ui, EVENT_CONTAINER, h->name, v[i]->name, now, since, sizeof since);
		rows_container(line, sizeof line, v[i], row.w, now, ui->utf8, mark, since);
		if (rows_container_shows_figures(row.w))   /* its CPU and memory on screen */
			ui_seen_add(ui, hi, v[i]->full_id);
		if (focused && i == selected) {
			/* the selection: reverse video as well, so it shows without colour */
			a = ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color;
			wattrset(w, a);
			wmove(w, row.y, row.x);
			whline(w, ' ', row.w);
		}
		text_put(w, row.y, row.x, row.w, a, line);
	}
	free(missing);
	free(v);
}

/* What host hi's column has to show, for overview_plan. */
static void overview_need(struct ui *ui, const struct frame *f, size_t hi, struct overview_need *need)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct frame_feed *mf = &h->metrics.feed;
	const struct docker_container **v;
	struct docker_container *missing;
	size_t n;

	memset(need, 0, sizeof *need);
	need->unreachable = h->reach.known && !h->reach.connected;
	need->tunnel = h->tunnel.feed.configured;
	need->figures_max = mf->configured && mf->polled && h->metrics.value != NULL ?
	                    OVERVIEW_FIGURES_FULL : 1;
	need->containers = h->docker.feed.configured;
	if (ui->hist != NULL && hi < ui->cfg->nhosts) {
		const struct ui_host_hist *hh = &ui->hist[hi];
		const struct metrics *m = h->metrics.value;

		need->spark_rows = (sparkline_len(hh->cpu) > 1) + (sparkline_len(hh->mem) > 1) +
		                   (m != NULL && m->valid[METRICS_NET] && sparkline_len(hh->net) > 1);
	}
	v = overview_rows(ui, f, hi, &n, &missing);
	need->ntotal = n;
	for (size_t i = 0; i < n; i++)
		need->nbad += verdict_container_severity(v[i]) > 0;
	free(missing);
	free(v);
}

/* A column's heading: the host, and how it is reached. */
static struct rect overview_panel(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r, size_t hi)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct fleet_reach *reach = &h->reach;
	char right[96], rtt[24] = "";
	bool focused = hi == ui->host;
	const char *why = "";
	/* connected, but a source through it failed: a frozen host keeps its
	 * session until the keepalive gives up, its sources time out first */
	enum verdict_level link = verdict_host_link(f, h, &why);
	attr_t ra = link != VERDICT_OK ? ui->pal.attr[THEME_WARN] | A_BOLD : ui->pal.attr[THEME_TITLE];

	if (reach->rtt_ms >= 0)
		snprintf(rtt, sizeof rtt, " %d ms", reach->rtt_ms);
	if (h->local)
		snprintf(right, sizeof right, "%s this machine", ui->utf8 ? "\xe2\x97\x8f" : "*");
	else if (reach->connected && link != VERDICT_OK)
		snprintf(right, sizeof right, "%s ssh%s, %s failing", verdict_mark(link, ui->utf8), rtt, why);
	else if (reach->connected)
		snprintf(right, sizeof right, "%s ssh%s", ui->utf8 ? "\xe2\x97\x8f" : "*", rtt);
	else if (!reach->known)
		snprintf(right, sizeof right, "%s connecting", ui->utf8 ? "\xe2\x97\x8c" : "~");
	else {
		char since[16];

		ui_since(ui, EVENT_HOST, h->name, h->name, f->taken_ms, since, sizeof since);
		snprintf(right, sizeof right, "%s unreachable%s%s", ui->utf8 ? "\xe2\x9c\x96" : "x",
		         since[0] != '\0' ? " " : "", since);
	}
	return panel_draw_right(w, r, &ui->pal, h->name, right, ra, focused);
}

static void overview_column(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r, size_t hi,
                            const struct overview_plan *p)
{
	const struct frame_host *h = &f->hosts[hi];
	struct rect body = overview_panel(ui, f, w, r, hi), above;

	if (p->reach_line && body.h > 0) {
		struct rect row = rect_cut_top(&body, 1);

		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR] |
		         (ui_changed(ui, h->name, NULL) ? A_REVERSE | A_BOLD : 0), h->reach.error);
	}
	/* what is above the table gets the rows the plan left it; the table
	 * starts where that ends, and has the rest of the column */
	above = body;
	if (p->table > 0 && body.h > p->table)
		above.h -= p->table + (p->spacer ? 1 : 0);
	else if (p->table > 0)
		above.h = 0;
	overview_metrics(ui, f, w, &above, hi, p->figures, p->sparks);
	if (p->tunnel)
		view_traffic_host_line(ui, f, w, &above, hi);
	if (p->table > 0) {
		int top = above.y + (p->spacer ? 1 : 0);

		overview_containers(ui, f, w, rect_make(top, body.x, body.y + body.h - top, body.w), hi);
	}
}

/* The shared layer under the columns: Postgres and Redis in one line. */
static void overview_shared(struct ui *ui, const struct frame *f, WINDOW *w, struct rect row)
{
	const struct frame_feed *feed[2] = { &f->postgres.feed, &f->redis.feed };
	int x = row.x;

	for (int i = 0; i < 2; i++) {
		char text[256], mem[32];

		if (!feed[i]->configured)
			continue;
		if (!feed[i]->polled) {
			snprintf(text, sizeof text, "%s waiting...", i == 0 ? "postgres" : "redis");
		} else if (feed[i]->error != NULL) {
			snprintf(text, sizeof text, "%s %s", ui->utf8 ? "\xe2\x9c\x96" : "x", feed[i]->error);
		} else if (i == 0) {
			const struct pg_status *ps = f->postgres.value;
			char ver[16];

			snprintf(ver, sizeof ver, "%.*s", (int)strcspn(ps->version, " "), ps->version);
			snprintf(text, sizeof text, "%s postgres %s  %d/%d conns  %zu dbs%s",
			         ui->utf8 ? "\xe2\x97\x8f" : "+", ver, ps->connections,
			         ps->max_connections, ps->n_databases, ps->waiting_locks > 0 ? "  locks waiting" : "");
		} else {
			const struct redis_status *rs = f->redis.value;

			format_bytes(mem, sizeof mem, (double)rs->used_memory_bytes);
			snprintf(text, sizeof text, "%s redis %s  %lld clients  %s",
			         ui->utf8 ? "\xe2\x97\x8f" : "+", rs->version, rs->connected_clients, mem);
		}
		/* older than 3 refreshes (paused, or the source silent): dimmed,
		 * with its age */
		bool stale = feed[i]->polled && feed[i]->error == NULL && ui_is_stale(ui, feed[i]);

		if (stale) {
			char age[32];
			size_t l = strlen(text);

			ui_age_label(ui, feed[i]->polled_mono_ms, feed[i]->interval_ms, age, sizeof age);
			snprintf(text + l, sizeof text - l, " (%s old)", age);
		}
		x += text_put(w, row.y, x, row.x + row.w - x,
		              feed[i]->polled && feed[i]->error != NULL ? ui->pal.attr[THEME_ERROR] :
		              ui->pal.attr[stale ? THEME_DIM : THEME_VALUE], text);
		x += text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[THEME_DIM], "   ");
	}
	{       /* per host: its apps connected to the shared database? (view_data.c) */
		char sb[256];
		enum theme_role role;

		view_data_shared_summary(ui, f, sb, sizeof sb, &role);
		x += text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[role], sb);
		if (sb[0] != '\0')
			x += text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[THEME_DIM], "   ");
	}
	x += strip_authentik_draw(ui, f, w, row.y, x, row.x + row.w - x);
}

void view_overview_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	size_t n = f->nhosts, per, first;
	struct overview_plan plan[FLEET_MAX_HOSTS];
	int colw, used = 0;
	bool strip;

	ui->ncols = 0;
	ui->strip_y = -1;
	ui_rows_clear(ui);
	ui->page = 0;
	if ((f->postgres.feed.configured || f->redis.feed.configured || f->authentik.feed.configured) &&
	    r.h > 8) {
		overview_shared(ui, f, w, rect_make(r.y + r.h - 1, r.x + 1, 1, r.w - 1));
		r.h -= 1;
	}
	if (n == 0) {
		text_put(w, r.y, r.x, r.w, ui->pal.attr[THEME_DIM], "no hosts configured");
		return;
	}
	if (r.w < OVERVIEW_LIST_COLS || r.h < OVERVIEW_LIST_ROWS) {
		/* too small for a column: one list, worst first, across the hosts */
		overview_list_draw(ui, f, w, r);
		ui->click_pending = false;
		return;
	}
	per = r.w < UI_NARROW_COLS ? 1 : (size_t)(r.w / UI_MIN_COLUMN_W);
	if (per < 1)
		per = 1;
	if (per > n)
		per = n;
	if (per > UTIL_ARRAY_LEN(ui->col_x))
		per = UTIL_ARRAY_LEN(ui->col_x);
	/* the page of columns that holds the selected host */
	first = ui->host / per * per;
	if (first + per > n)
		first = n - per;
	strip = per < n;
	if (strip)
		overview_strip_draw(ui, f, w, rect_cut_top(&r, 1), first, per, true);
	for (size_t i = 0; i < per; i++) {
		struct overview_need need;

		overview_need(ui, f, first + i, &need);
		plan[i] = overview_plan(r.h - 2, &need);
		if (plan[i].used > used)
			used = plan[i].used;
	}
	if (r.h - (used + 2) >= OVERVIEW_EVENTS_MIN) {
		/* room to spare: the columns as tall as their content, the recent
		 * events under them */
		struct rect ev = rect_make(r.y + used + 2, r.x, r.h - used - 2, r.w);

		view_events_recent(ui, f, w, ev);
		r.h = used + 2;
	}
	colw = r.w / (int)per;
	for (size_t i = 0; i < per; i++) {
		int x = r.x + (int)i * colw;
		int wi = i + 1 == per ? r.x + r.w - x : colw;

		overview_column(ui, f, w, rect_make(r.y, x, r.h, wi), first + i, &plan[i]);
		ui->col_x[i] = x;
		ui->col_w[i] = wi;
		ui->col_host[i] = first + i;
		ui->ncols++;
	}
	ui->click_pending = false;
}

void view_overview_click(struct ui *ui, int y, int x)
{
	size_t hi;

	if (overview_strip_hit(ui, y, x, &hi)) {
		ui->host = hi;
		return;
	}
	for (size_t i = 0; i < ui->ncols; i++)
		if (x >= ui->col_x[i] && x < ui->col_x[i] + ui->col_w[i]) {
			ui->host = ui->col_host[i];
			ui->click_pending = true;    /* the row: chosen when the column is drawn */
			ui->click_y = y;
		}
}

const struct view view_overview = {
	.name = "Overview",
	.select = KEY_ACT_VIEW_OVERVIEW,
	.scope = KEY_SCOPE_ANY,
	.draw = view_overview_draw,
	.wheel = ui_list_move,
	.click = view_overview_click,
};
