/* overview_list — see overview_list.h. */
#include "tui/overview_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/base/buf.h"
#include "core/base/format.h"
#include "core/base/util.h"
#include "core/feeds/feed_docker.h"
#include "core/model/verdict.h"
#include "tui/row_order.h"
#include "tui/rows.h"
#include "tui/ui_changes.h"
#include "widgets/text.h"

/* The rows of host hi's table: its containers that match the filter, and
 * the configured ones it lacks as "missing" placeholders (in *missing, freed
 * by the caller with v), in the order in force.  NULL when the engine has
 * not answered (or failed). */
const struct docker_container **overview_rows(struct ui *ui, const struct frame *f, size_t hi,
                                              size_t *np, struct docker_container **missingp)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct frame_feed *feed = &h->docker.feed;
	const struct feed_containers *c = feed->error == NULL ? h->docker.value : NULL;
	const struct docker_container **v;
	struct docker_container *missing;
	size_t n = 0, nmissing = 0;

	*np = 0;
	*missingp = NULL;
	if (!feed->configured || c == NULL)
		return NULL;
	v = xcalloc(c->n + ui->cfg->nservices + 1, sizeof *v);
	missing = xcalloc(ui->cfg->nservices + 1, sizeof *missing);
	for (size_t i = 0; i < ui->cfg->nservices; i++) {
		const char *want = ui->cfg->services[i].container;
		/* a container named by several services is listed once */
		bool dup = frame_service_first(f, want) != i;

		if (dup || frame_host_container(h, want) != NULL || !rows_name_match(want, ui->filter))
			continue;
		missing[nmissing++] = feed_missing_container(want);
	}
	/* the order of the last frame, when its list was of this version */
	if (hi < FLEET_MAX_HOSTS && row_order_take(&ui->row_order[hi], c->version, ui->sort, ui->filter,
	                                           v, &n, c->items, c->n, missing, nmissing)) {
		*np = n;
		*missingp = missing;
		return v;
	}
	for (size_t i = 0; i < c->n; i++)
		if (rows_name_match(c->items[i].name, ui->filter))
			v[n++] = &c->items[i];
	for (size_t i = 0; i < nmissing; i++)
		v[n++] = &missing[i];
	rows_sort_containers_by(v, n, ui->sort);
	if (hi < FLEET_MAX_HOSTS)
		row_order_keep(&ui->row_order[hi], c->version, ui->sort, ui->filter, v, n, c->items, c->n,
		               missing, nmissing);
	*np = n;
	*missingp = missing;
	return v;
}

/* The figures in one line when the column is short of rows: "CPU 23.4%
 * MEM ✖61.2%  DISK 71.8%  LOAD 1.87", each over a threshold with its mark. */
void overview_figures_line(struct ui *ui, WINDOW *w, struct rect row, const struct frame_host *h,
                           bool stale)
{
	static const struct {
		const char *label;
		enum metrics_figure fig;
		enum config_alert_figure alert;
	} pcts[] = {
		{ "CPU", METRICS_CPU, CONFIG_ALERT_CPU },
		{ "MEM", METRICS_MEM, CONFIG_ALERT_MEM },
		{ "DISK", METRICS_DISK, CONFIG_ALERT_DISK },
	};
	const struct metrics *m = h->metrics.value;
	double v[3] = { m->cpu_pct, m->mem_pct, m->disk_pct };
	int x = row.x, end = row.x + row.w;
	char num[16], cell[48];

	for (size_t i = 0; i < UTIL_ARRAY_LEN(pcts) && x < end; i++) {
		enum verdict_level lvl;
		static const enum theme_role role[] = { THEME_VALUE, THEME_WARN, THEME_CRIT, THEME_VALUE };

		x += text_put(w, row.y, x, end - x, ui->pal.attr[THEME_LABEL], pcts[i].label);
		x += 1;
		if (!m->valid[pcts[i].fig]) {
			x += text_put(w, row.y, x, end - x, ui->pal.attr[THEME_ERROR], "?  ");
			continue;
		}
		lvl = verdict_host_figure_level(h->cfg, pcts[i].alert, v[i]);
		format_pct(num, sizeof num, v[i]);
		snprintf(cell, sizeof cell, "%s%s  ", verdict_mark(lvl, ui->utf8), num);
		x += text_put(w, row.y, x, end - x, stale ? ui->pal.attr[THEME_DIM] : ui->pal.attr[role[lvl]],
		              cell);
	}
	if (m->valid[METRICS_LOAD] && x < end) {
		x += text_put(w, row.y, x, end - x, ui->pal.attr[THEME_LABEL], "LOAD ");
		snprintf(cell, sizeof cell, "%.2f", m->load1);
		text_put(w, row.y, x, end - x, ui->pal.attr[stale ? THEME_DIM : THEME_VALUE], cell);
	}
}

/* A level's glyph: ● ▲ ✖ ◌ (+ ! x ~). */
static const char *list_glyph(enum verdict_level l, bool utf8)
{
	static const char *const g[2][4] = {
		{ "+", "!", "x", "~" },
		{ "\xe2\x97\x8f", "\xe2\x96\xb2", "\xe2\x9c\x96", "\xe2\x97\x8c" },
	};

	return g[utf8 ? 1 : 0][l];
}

static const enum theme_role list_role[] = { THEME_OK, THEME_WARN, THEME_CRIT, THEME_DIM };

void overview_strip_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r, size_t first,
                         size_t per, bool paging)
{
	size_t n = f->nhosts, start = 0;
	int *tw = xcalloc(n + 1, sizeof *tw), x = r.x, end = r.x + r.w, fixed;
	char before[32] = "", after[32] = "", tab[128];
	size_t hidden_before = paging ? first : 0, hidden_after = paging && first + per < n ? n - first - per : 0;

	ui->strip_y = r.y;
	for (size_t i = 0; i < FLEET_MAX_HOSTS; i++)
		ui->strip_w[i] = 0;
	if (hidden_before > 0)
		snprintf(before, sizeof before, "%s %zu more ", ui->utf8 ? "\xe2\x97\x82" : "<", hidden_before);
	if (hidden_after > 0)
		snprintf(after, sizeof after, " %zu more %s", hidden_after, ui->utf8 ? "\xe2\x96\xb8" : ">");
	for (size_t i = 0; i < n; i++)
		tw[i] = text_width(f->hosts[i].name) + 4;   /* " ● name " */
	fixed = text_width(before) + text_width(after);
	/* the first tab drawn: the selected host's must fit */
	for (;;) {
		int used = fixed;
		bool fits = false;

		for (size_t i = start; i < n && used + tw[i] <= r.w; i++) {
			used += tw[i];
			if (i == ui->host)
				fits = true;
		}
		if (fits || start >= ui->host || start + 1 >= n)
			break;
		start++;
	}
	x += text_put(w, r.y, x, end - x, ui->pal.attr[THEME_LABEL] | A_BOLD, before);
	for (size_t i = start; i < n && x + tw[i] <= end - text_width(after); i++) {
		enum verdict_level l = verdict_host_level(f, &f->hosts[i]);
		bool shown = i >= first && i < first + per, sel = i == ui->host;
		attr_t a = sel ? ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color :
		           shown ? ui->pal.attr[THEME_LABEL] | A_BOLD : ui->pal.attr[THEME_DIM];
		int x0 = x;

		snprintf(tab, sizeof tab, " %s ", list_glyph(l, ui->utf8));
		x += text_put(w, r.y, x, end - x, sel ? a : ui->pal.attr[list_role[l]] | A_BOLD, tab);
		snprintf(tab, sizeof tab, "%s ", f->hosts[i].name);
		x += text_put(w, r.y, x, end - x, a, tab);
		if (i < FLEET_MAX_HOSTS) {
			ui->strip_x[i] = x0;
			ui->strip_w[i] = x - x0;
		}
	}
	if (after[0] != '\0')
		text_put(w, r.y, end - text_width(after), text_width(after), ui->pal.attr[THEME_LABEL] | A_BOLD,
		         after);
	free(tw);
}

bool overview_strip_hit(const struct ui *ui, int y, int x, size_t *host)
{
	if (y != ui->strip_y)
		return false;
	for (size_t i = 0; i < FLEET_MAX_HOSTS; i++)
		if (ui->strip_w[i] > 0 && x >= ui->strip_x[i] && x < ui->strip_x[i] + ui->strip_w[i]) {
			*host = i;
			return true;
		}
	return false;
}

/* A container row of the list: host and container. */
struct list_row {
	size_t host;
	const struct docker_container *c;
	int sev;
};

static int list_row_cmp(const void *a, const void *b)
{
	const struct list_row *x = a, *y = b;

	if (x->sev != y->sev)
		return y->sev - x->sev;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return strcmp(x->c->name, y->c->name);
}

/* One line of text in *body (if it has a row left). */
static void list_line(WINDOW *w, struct rect *body, attr_t a, const char *text)
{
	struct rect row;

	if (body->h <= 0)
		return;
	row = rect_cut_top(body, 1);
	text_put(w, row.y, row.x, row.w, a, text);
}

void overview_list_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	size_t n = f->nhosts, nrows = 0, cap = 0, healthy = 0, nother = 0;
	const struct docker_container ***lists = xcalloc(n + 1, sizeof *lists);
	struct docker_container **missing = xcalloc(n + 1, sizeof *missing);
	struct list_row *rows = NULL;
	struct buf other;
	char line[1024], state[64];
	struct rect body = r;

	ui->strip_y = -1;
	if (n > 1)
		overview_strip_draw(ui, f, w, rect_cut_top(&body, 1), ui->host, 1, false);
	/* 1: the hosts unreachable, the engines that failed */
	for (size_t i = 0; i < n; i++) {
		const struct frame_host *h = &f->hosts[i];
		size_t nr;

		if (h->reach.known && !h->reach.connected) {
			snprintf(line, sizeof line, "%s %s unreachable: %s", list_glyph(VERDICT_CRIT, ui->utf8),
			         h->name, h->reach.error);
			list_line(w, &body, ui->pal.attr[THEME_CRIT], line);
			continue;
		}
		if (h->reach.connected && h->docker.feed.configured && h->docker.feed.polled &&
		    h->docker.feed.error != NULL) {
			snprintf(line, sizeof line, "%s %s %s", list_glyph(VERDICT_CRIT, ui->utf8), h->name,
			         h->docker.feed.error);
			list_line(w, &body, ui->pal.attr[THEME_CRIT], line);
		}
		lists[i] = overview_rows(ui, f, i, &nr, &missing[i]);
		for (size_t k = 0; lists[i] != NULL && k < nr; k++) {
			int sev = verdict_container_severity(lists[i][k]);

			if (sev == 0) {
				healthy++;
				continue;
			}
			if (nrows == cap) {
				cap = cap * 2 + 8;
				rows = xrealloc(rows, cap * sizeof *rows);
			}
			rows[nrows++] = (struct list_row){ i, lists[i][k], sev };
		}
	}
	/* 3, 4: the tunnels, the shared databases (kept for after the containers) */
	buf_init(&other);
	verdict_tunnel_level(f, &other);
	if (f->postgres.feed.configured && f->postgres.feed.polled && f->postgres.feed.error != NULL)
		buf_printf(&other, "postgres: %s\n", f->postgres.feed.error);
	if (f->redis.feed.configured && f->redis.feed.polled && f->redis.feed.error != NULL)
		buf_printf(&other, "redis: %s\n", f->redis.feed.error);
	for (const char *p = buf_cstr(&other); *p != '\0'; p++)
		nother += *p == '\n';
	/* 2: the containers not healthy, worst first; the selection among them */
	qsort(rows, nrows, sizeof *rows, list_row_cmp);
	ui_rows_clear(ui);
	ui->rows = xcalloc(nrows + 1, sizeof *ui->rows);
	ui->row_host = xcalloc(nrows + 1, sizeof *ui->row_host);
	ui->rows_list = true;
	ui->nrows = nrows;
	{
		size_t selected = (size_t)-1, first = 0, shown;
		int room = body.h - (int)(nother < (size_t)body.h ? nother : 0);

		for (size_t i = 0; i < nrows; i++) {
			ui->rows[i] = xstrdup(rows[i].c->name);
			ui->row_host[i] = rows[i].host;
			if (rows[i].host == ui->host && rows[i].host < FLEET_MAX_HOSTS &&
			    ui->sel[rows[i].host] != NULL && strcmp(ui->sel[rows[i].host], rows[i].c->name) == 0)
				selected = i;
		}
		if (room < 1)
			room = body.h;
		shown = nrows <= (size_t)room ? nrows : (size_t)(room > 1 ? room - 1 : room);
		if (selected != (size_t)-1 && selected >= shown)
			first = selected - shown + 1;
		ui->page = (int)shown;
		for (size_t i = first; i < first + shown && i < nrows && body.h > 0; i++) {
			const struct frame_host *h = &f->hosts[rows[i].host];
			static const enum theme_role role[] = { THEME_DEFAULT, THEME_WARN, THEME_WARN, THEME_CRIT };
			attr_t a = ui->pal.attr[role[rows[i].sev]];
			struct rect row = rect_cut_top(&body, 1);

			rows_container_state(state, sizeof state, rows[i].c);
			snprintf(line, sizeof line, "%s %s@%s %s", rows_container_glyph(rows[i].c, ui->utf8),
			         rows[i].c->name, h->name, state);
			if (i == selected) {
				a = ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color;
				wattrset(w, a);
				wmove(w, row.y, row.x);
				whline(w, ' ', row.w);
			}
			text_put(w, row.y, row.x, row.w, a, line);
		}
		if (first + shown < nrows) {
			snprintf(line, sizeof line, "+ %zu more not healthy (j k)", nrows - first - shown);
			list_line(w, &body, ui->pal.attr[THEME_WARN], line);
		}
	}
	for (const char *p = buf_cstr(&other); *p != '\0' && body.h > 0;) {
		size_t len = strcspn(p, "\n");

		snprintf(line, sizeof line, "%s %.*s", list_glyph(VERDICT_WARN, ui->utf8), (int)len, p);
		list_line(w, &body, ui->pal.attr[THEME_WARN], line);
		p += len + (p[len] == '\n');
	}
	buf_done(&other);
	/* 5: how many healthy are folded, then the figures */
	if (healthy > 0) {
		snprintf(line, sizeof line, "%s %zu healthy folded", list_glyph(VERDICT_OK, ui->utf8), healthy);
		list_line(w, &body, ui->pal.attr[THEME_DIM], line);
	} else if (nrows == 0 && body.h > 0) {
		list_line(w, &body, ui->pal.attr[THEME_DIM], "no container known yet");
	}
	for (size_t i = 0; i < n && body.h > 0; i++) {
		const struct frame_host *h = &f->hosts[i];
		struct rect row;
		int nw;

		if (!h->reach.connected || !h->metrics.feed.polled || h->metrics.value == NULL)
			continue;
		row = rect_cut_top(&body, 1);
		nw = text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_LABEL] | A_BOLD, h->name) + 1;
		overview_figures_line(ui, w, rect_make(row.y, row.x + nw, 1, row.w - nw), h,
		                      ui_is_stale(ui, &h->metrics.feed));
	}
	for (size_t i = 0; i < n; i++) {
		free(lists[i]);
		free(missing[i]);
	}
	free(lists);
	free(missing);
	free(rows);
}
