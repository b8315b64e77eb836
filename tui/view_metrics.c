/* view_metrics — the Metrics view (5): one box per [panel], one row per
 * series: its label, its value in the panel's unit with a glyph and a word
 * for warn/crit (so the state shows without colour), and a sparkline of its
 * history.  A failed query is an error in words inside its box; the data's
 * age is in the box's top right, dimmed with the values when stale.  Two
 * columns of boxes from 160 columns on; j k scroll when they do not fit.
 * The filter (/) keeps the panels whose title matches and, of the others,
 * the series whose label matches (rows_series_match). */
#include "tui/view_metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/feeds/panels.h"
#include "tui/rows.h"
#include "tui/view_errors.h"
#include "widgets/panel.h"
#include "widgets/sparkline.h"
#include "widgets/text.h"

#define VIEW_METRICS_WIDE 160     /* two columns of boxes from here on */
#define VIEW_METRICS_VALUE_W 14   /* "✖ 100% crit" */

/* The series of pd the filter leaves. */
static size_t metrics_shown(const struct panel_data *pd, const char *filter)
{
	size_t k = 0;

	for (size_t i = 0; i < pd->n; i++)
		k += rows_series_match(pd->cfg->title, pd->series[i].label, filter);
	return k;
}

/* The rows an error takes wrapped to width. */
static int metrics_error_rows(const char *error, int width)
{
	size_t n;
	char **v = view_errors_wrap(error, width, &n);

	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return (int)n;
}

/* The rows a panel's box of width w takes (its error whole). */
static int metrics_box_h(const struct panel_data *pd, const char *filter, int w)
{
	size_t shown = metrics_shown(pd, filter);
	int h = 2 + (pd->n > 0 ? (shown > 0 ? (int)shown : 1) : 0);

	if (pd->total > pd->n)
		h++;
	if (pd->error != NULL)
		h += metrics_error_rows(pd->error, w - 2);
	else if (pd->n == 0)
		h++;       /* "no data" */
	return h;
}

/* An error wrapped into the rows left of body, in THEME_ERROR. */
static void metrics_error(struct ui *ui, WINDOW *w, struct rect *body, const char *error)
{
	size_t n;
	char **v = view_errors_wrap(error, body->w, &n);

	for (size_t i = 0; i < n; i++) {
		if (body->h > 0) {
			struct rect row = rect_cut_top(body, 1);

			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], v[i]);
		}
		free(v[i]);
	}
	free(v);
}

void view_metrics_label_fit(const char *label, int width, bool utf8, char *out, size_t n)
{
	const char *dots = utf8 ? "\xe2\x80\xa6" : "...";
	int dw = utf8 ? 1 : 3, head, tail, cols;
	size_t hb, len = strlen(label), tb;

	if (n == 0)
		return;
	if (text_width(label) <= width || width <= dw + 1) {
		hb = text_clip(label, width, NULL);
		snprintf(out, n, "%.*s", (int)hb, label);
		return;
	}
	head = (width - dw + 1) / 2;
	tail = width - dw - head;
	hb = text_clip(label, head, NULL);
	/* the tail: the shortest suffix of at most tail columns */
	tb = len;
	while (tb > 0) {
		size_t k = tb - 1;

		while (k > 0 && ((unsigned char)label[k] & 0xC0) == 0x80)
			k--;
		text_clip(label + k, 1000, &cols);
		if (cols > tail)
			break;
		tb = k;
	}
	snprintf(out, n, "%.*s%s%s", (int)hb, label, dots, label + tb);
}

/* "▲ 85.3% warn": the value with its state as a glyph and a word. */
static enum theme_role metrics_value_text(const struct ui *ui, const struct config_panel *cfg,
                                          double v, char *out, size_t n)
{
	char num[32];
	enum panels_level lvl = panels_level(cfg, v);

	panels_format_value(num, sizeof num, cfg->unit, v);
	if (!cfg->has_warn && !cfg->has_crit) {
		snprintf(out, n, "%s", num);
		return THEME_VALUE;
	}
	switch (lvl) {
	case PANELS_CRIT:
		snprintf(out, n, "%s %s crit", ui->utf8 ? "\xe2\x9c\x96" : "X", num);
		return THEME_CRIT;
	case PANELS_WARN:
		snprintf(out, n, "%s %s warn", ui->utf8 ? "\xe2\x96\xb2" : "!", num);
		return THEME_WARN;
	default:
		snprintf(out, n, "%s %s", ui->utf8 ? "\xe2\x97\x8f" : "o", num);
		return THEME_OK;
	}
}

static void metrics_box(struct ui *ui, WINDOW *w, struct rect r, const struct panel_data *pd,
                        const char *age, bool stale)
{
	struct rect body = panel_draw(w, r, &ui->pal, pd->cfg->title, age, false), row;
	int label_w = 0;

	if (body.h <= 0 || body.w <= 0)
		return;
	if (pd->n == 0) {
		metrics_error(ui, w, &body, pd->error != NULL ? pd->error : "no data");
		return;
	}
	for (size_t i = 0; i < pd->n; i++) {
		int lw = text_width(pd->series[i].label);

		if (lw > label_w)
			label_w = lw;
	}
	/* the labels whole when the box has room, the sparkline keeping 10
	 * columns; at least a third of the box */
	{
		int room = body.w - VIEW_METRICS_VALUE_W - 2 - 10;

		if (room < body.w / 3)
			room = body.w / 3;
		if (label_w > room)
			label_w = room;
	}
	for (size_t i = 0; i < pd->n && body.h > 0; i++) {
		const struct panel_series *ps = &pd->series[i];
		char value[64], label[256];
		enum theme_role role;
		int x, spark_w;

		if (!rows_series_match(pd->cfg->title, ps->label, ui->filter))
			continue;
		role = metrics_value_text(ui, pd->cfg, ps->value, value, sizeof value);

		row = rect_cut_top(&body, 1);
		view_metrics_label_fit(ps->label, label_w, ui->utf8, label, sizeof label);
		text_put(w, row.y, row.x, label_w, ui->pal.attr[THEME_LABEL], label);
		x = row.x + label_w + 1;
		text_put(w, row.y, x, VIEW_METRICS_VALUE_W, ui->pal.attr[stale ? THEME_DIM : role] |
		         (role == THEME_CRIT && !stale ? A_BOLD : 0), value);
		x += VIEW_METRICS_VALUE_W + 1;
		spark_w = row.x + row.w - x;
		if (spark_w > 2 && ps->nhist > 1) {
			struct sparkline *sp = sparkline_new(ps->nhist);

			for (size_t k = 0; k < ps->nhist; k++)
				sparkline_push(sp, isfinite(ps->hist[k]) ? ps->hist[k] : 0);
			sparkline_draw(sp, w, rect_make(row.y, x, 1, spark_w), &ui->pal,
			               pd->cfg->unit == CONFIG_UNIT_PERCENT ? 100 : 0);
			sparkline_free(sp);
		}
	}
	if (pd->total > pd->n && body.h > 0) {
		char line[96];

		row = rect_cut_top(&body, 1);
		snprintf(line, sizeof line, "%zu of %zu series shown (at most %d a panel)", pd->n,
		         pd->total, PANELS_MAX_SERIES);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], line);
	}
	if (pd->error != NULL)
		metrics_error(ui, w, &body, pd->error);
}

bool view_metrics_key(struct ui *ui, enum key_action a)
{
	switch (a) {
	case KEY_ACT_DOWN:
	case KEY_ACT_PAGE_DOWN:
		ui->metrics_top++;   /* clamped when drawn */
		return true;
	case KEY_ACT_UP:
	case KEY_ACT_PAGE_UP:
		if (ui->metrics_top > 0)
			ui->metrics_top--;
		return true;
	case KEY_ACT_TOP:
		ui->metrics_top = 0;
		return true;
	case KEY_ACT_BOTTOM:
		ui->metrics_top = (size_t)-1 / 2;
		return true;
	default:
		return false;
	}
}

void view_metrics_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	const struct frame_feed *feed = &f->panels.feed;
	const struct panels *p;
	bool stale;
	char age[16];
	struct rect row;
	int cols = r.w >= VIEW_METRICS_WIDE ? 2 : 1, col_w = r.w / cols;
	int y[2] = { r.y, r.y };
	size_t i, n = 0, *idx;

	if (!feed->configured) {
		row = rect_cut_top(&r, 1);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_DIM],
		         ui->cfg->npanels == 0 ?
		         "no panels: add [panel \"TITLE\"] sections with query = PROMQL" :
		         "no panels: they need a [prometheus] section");
		return;
	}
	if (!feed->polled) {
		row = rect_cut_top(&r, 1);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_DIM],
		         "waiting for the first answer from Prometheus...");
		return;
	}
	p = f->panels.value;
	if (feed->error != NULL) {
		char line[600];
		struct rect er = rect_make(r.y, r.x + 1, r.h, r.w - 1);

		snprintf(line, sizeof line, "panels: %s", feed->error);
		metrics_error(ui, w, &er, line);
		r.h -= er.y - r.y;
		r.y = er.y;
		y[0] = y[1] = r.y;
	}
	if (p == NULL)
		return;
	stale = feed->stale || ui_is_stale(ui, feed);
	ui_age_label(ui, feed->value_mono_ms, feed->interval_ms, age, sizeof age);
	if (stale) {
		size_t l = strlen(age);

		snprintf(age + l, sizeof age - l, " stale");
	}
	/* the panels the filter leaves (all of them without one) */
	idx = xcalloc(p->n + 1, sizeof *idx);
	for (i = 0; i < p->n; i++)
		if (rows_name_match(p->items[i].cfg->title, ui->filter) ||
		    metrics_shown(&p->items[i], ui->filter) > 0)
			idx[n++] = i;
	if (n == 0 && p->n > 0) {
		char line[LINEEDIT_MAX + 64];

		row = rect_cut_top(&r, 1);
		snprintf(line, sizeof line, "no panel or series matches \"%s\" (Esc clears)",
		         ui->filter);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_DIM], line);
	}
	if (ui->metrics_top >= n)
		ui->metrics_top = n > 0 ? n - 1 : 0;
	for (i = ui->metrics_top; i < n; i++) {
		const struct panel_data *pd = &p->items[idx[i]];
		int c = cols == 2 && y[1] < y[0] ? 1 : 0;
		int bw = c == cols - 1 ? r.w - c * col_w : col_w;
		int h = metrics_box_h(pd, ui->filter, bw), avail = r.y + r.h - y[c];

		if (avail < 3)
			break;
		if (h > avail)
			h = avail;
		metrics_box(ui, w, rect_make(y[c], r.x + c * col_w, h, c == cols - 1 ? r.w - c * col_w :
		            col_w), pd, age, stale);
		y[c] += h;
	}
	if (i < n || ui->metrics_top > 0) {
		char line[96];

		snprintf(line, sizeof line, " panels %zu-%zu of %zu (j k scroll) ", ui->metrics_top + 1,
		         i, n);
		text_put(w, r.y + r.h - 1, r.x + r.w - text_width(line) - 1, text_width(line),
		         ui->pal.attr[THEME_DIM], line);
	}
	free(idx);
}

const struct view view_metrics = {
	.name = "Metrics",
	.select = KEY_ACT_VIEW_METRICS,
	.scope = KEY_SCOPE_ANY,
	.draw = view_metrics_draw,
	.key = view_metrics_key,
};
