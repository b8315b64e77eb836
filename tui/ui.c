/* ui — helpers shared by the views: ages and staleness that also tell the
 * loop when the next redraw is due, the toast, and the focused column's
 * selection. */
#include "tui/ui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/interest.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feeds.h"
#include "tui/changes.h"
#include "tui/rows.h"

void ui_change_at(struct ui *ui, int64_t mono)
{
	if (mono > ui->now_mono && (ui->next_change == 0 || mono < ui->next_change))
		ui->next_change = mono;
}

void ui_age_label(struct ui *ui, int64_t fetched_mono, int interval_ms, char *out, size_t n)
{
	int64_t age = ui->now_mono - fetched_mono, unit;
	int64_t fresh = (int64_t)(interval_ms > 0 ? interval_ms : ui->cfg->refresh_ms) +
	    UI_AGE_GRACE_MS;

	if (age < 0)
		age = 0;
	time_format_age(out, n, age);
	/* While the figure is fresh its source answers again within a
	 * refresh, and that answer's frame draws the label anew: no frame is
	 * due for the label alone (a frame a second would double an idle
	 * dashboard's work).  Once late, the label ticks by its unit. */
	if (age < fresh) {
		ui_change_at(ui, fetched_mono + fresh);
		return;
	}
	/* the label changes when the age crosses its next whole unit */
	unit = age < 60000 ? 1000 : age < 3600000 ? 60000 : age < 86400000 ? 3600000 : 86400000;
	ui_change_at(ui, fetched_mono + (age / unit + 1) * unit);
}

bool ui_is_stale(struct ui *ui, const struct frame_feed *feed)
{
	int64_t limit = (int64_t)UI_STALE_INTERVALS * feed->interval_ms;
	int64_t when = feed->polled_mono_ms + limit;

	if (ui->now_mono >= when)
		return true;
	ui_change_at(ui, when);
	return false;
}

void ui_toast(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	free(ui->toast);
	va_start(ap, fmt);
	ui->toast = xvasprintf(fmt, ap);
	va_end(ap);
	ui->toast_until = time_mono_ms() + UI_TOAST_MS;
}

const char *ui_selected_name(const struct ui *ui)
{
	const char *first = NULL;

	if (ui->view != UI_VIEW_OVERVIEW || ui->svclogs != NULL || ui->host >= FLEET_MAX_HOSTS)
		return NULL;
	/* keys typed faster than a frame come before the next draw: honour the
	 * filter here as the draw will */
	for (size_t i = 0; i < ui->nrows; i++) {
		if (!rows_name_match(ui->rows[i], ui->filter))
			continue;
		if (ui->row_host[i] != ui->host)
			continue;
		if (ui->sel[ui->host] != NULL && strcmp(ui->rows[i], ui->sel[ui->host]) == 0)
			return ui->rows[i];
		if (first == NULL)
			first = ui->rows[i];
	}
	return ui->rows_list ? NULL : first;
}

void ui_list_move(struct ui *ui, long delta)
{
	long cur = -1, first = -1, next;

	if (ui->nrows == 0 || ui->host >= FLEET_MAX_HOSTS)
		return;
	for (size_t i = 0; i < ui->nrows; i++) {
		if (ui->row_host[i] != ui->host)
			continue;
		if (first < 0)
			first = (long)i;
		if (ui->sel[ui->host] != NULL && strcmp(ui->rows[i], ui->sel[ui->host]) == 0)
			cur = (long)i;
	}
	if (!ui->rows_list && first < 0)
		return;    /* the rows are another host's: the focus moved since they were drawn */
	if (!ui->rows_list && cur < 0)
		cur = first;   /* the first row is shown selected */
	next = cur < 0 && delta > 0 ? delta - 1 : cur + delta;
	if (next < 0)
		next = 0;
	if (next >= (long)ui->nrows)
		next = (long)ui->nrows - 1;
	if (ui->rows_list && ui->row_host[next] < FLEET_MAX_HOSTS)
		ui->host = ui->row_host[next];   /* the single list: the row's host becomes the focus */
	free(ui->sel[ui->host]);
	ui->sel[ui->host] = xstrdup(ui->rows[next]);
}

void ui_rows_clear(struct ui *ui)
{
	for (size_t i = 0; i < ui->nrows; i++)
		free(ui->rows[i]);
	free(ui->rows);
	free(ui->row_host);
	ui->rows = NULL;
	ui->row_host = NULL;
	ui->rows_list = false;
	ui->nrows = 0;
}

bool ui_row_missing(const struct frame *f, size_t hi, const char *name)
{
	const struct frame_host *h = hi < f->nhosts ? &f->hosts[hi] : NULL;

	return h != NULL && name != NULL && h->docker.feed.error == NULL && h->docker.value != NULL &&
	       frame_host_container(h, name) == NULL;
}

void ui_seen_add(struct ui *ui, size_t hi, const char *full_id)
{
	if (full_id == NULL || full_id[0] == '\0')
		return;
	if (ui->nseen == ui->seen_cap) {
		ui->seen_cap = ui->seen_cap ? ui->seen_cap * 2 : 64;
		ui->seen = xreallocarray(ui->seen, ui->seen_cap, sizeof *ui->seen);
		ui->seen_host = xreallocarray(ui->seen_host, ui->seen_cap, sizeof *ui->seen_host);
	}
	ui->seen[ui->nseen] = full_id;
	ui->seen_host[ui->nseen++] = hi;
}

void ui_seen_publish(struct ui *ui)
{
	const char **ids;

	if (ui->feeds == NULL) {   /* a recorded frame: no feed to tell */
		ui->nseen = 0;
		return;
	}
	/* rows in the order of their figures (the overview's, the Services
	 * view's sums): that order needs every container's */
	if ((ui->sort == ROWS_ORDER_CPU || ui->sort == ROWS_ORDER_MEM) &&
	    (ui->view == UI_VIEW_OVERVIEW || ui->view == UI_VIEW_SERVICES)) {
		for (size_t h = 0; h < ui->feeds->fleet->nhosts; h++)
			interest_publish_all(ui->feeds->fleet->hosts[h].interest);
		ui->nseen = 0;
		return;
	}
	ids = xreallocarray(NULL, ui->nseen + 1, sizeof *ids);
	for (size_t h = 0; h < ui->feeds->fleet->nhosts; h++) {
		size_t n = 0;

		for (size_t i = 0; i < ui->nseen; i++)
			if (ui->seen_host[i] == h)
				ids[n++] = ui->seen[i];
		interest_publish(ui->feeds->fleet->hosts[h].interest, ids, n);
	}
	free(ids);
	ui->nseen = 0;
}

void ui_init(struct ui *ui, struct config *cfg, struct feeds *feeds, struct wake *wake,
             struct theme *t)
{
	memset(ui, 0, sizeof *ui);
	ui->cfg = cfg;
	ui->feeds = feeds;
	ui->wake = wake;
	ui->theme = t;
	ui->hist = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *ui->hist);
	for (size_t i = 0; i < cfg->nhosts; i++) {
		ui->hist[i].cpu = sparkline_new(UI_HISTORY);
		ui->hist[i].mem = sparkline_new(UI_HISTORY);
		ui->hist[i].net = sparkline_new(UI_HISTORY);
	}
}

void ui_done(struct ui *ui)
{
	for (size_t i = 0; i < ui->cfg->nhosts; i++) {
		sparkline_free(ui->hist[i].cpu);
		sparkline_free(ui->hist[i].mem);
		sparkline_free(ui->hist[i].net);
	}
	changes_free(ui->changes);
	verdict_memo_done(&ui->verdict_memo);
	for (size_t i = 0; i < FLEET_MAX_HOSTS; i++)
		row_order_done(&ui->row_order[i]);
	free(ui->hist);
	free(ui->toast);
	free(ui->logs_title);
	for (size_t i = 0; i < ui->nerrview; i++)
		free(ui->errview[i]);
	free(ui->errview);
	free(ui->errview_title);
	for (size_t i = 0; i < ui->ncut; i++)
		free(ui->cut[i]);
	free(ui->cut);
	for (size_t i = 0; i < FLEET_MAX_HOSTS; i++)
		free(ui->sel[i]);
	ui_rows_clear(ui);
	free(ui->seen);
	free(ui->seen_host);
	free(ui->services_rows);
	theme_free(ui->theme);
}
