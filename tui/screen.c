/* screen — see screen.h. */
#include "tui/screen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/history.h"
#include "core/model/verdict.h"
#include "tui/actions_ui.h"
#include "tui/keynames.h"
#include "tui/keys.h"
#include "tui/kube_pick.h"
#include "tui/replay.h"
#include "tui/view_errors.h"
#include "tui/view_help.h"
#include "tui/viewer.h"
#include "tui/views.h"
#include "widgets/keybar.h"
#include "widgets/text.h"

/* Prefills a host's sparklines with the past its source fetched (Prometheus'
 * query_range at the first poll); gaps are left out. */
static void screen_seed_history(struct ui_host_hist *hist, const struct metrics_history *h)
{
	sparkline_clear(hist->cpu);
	sparkline_clear(hist->mem);
	sparkline_clear(hist->net);
	for (size_t i = 0; i < h->n; i++) {
		if (!isnan(h->cpu[i]))
			sparkline_push(hist->cpu, h->cpu[i]);
		if (!isnan(h->mem[i]))
			sparkline_push(hist->mem, h->mem[i]);
		if (!isnan(h->net[i]))
			sparkline_push(hist->net, h->net[i]);
	}
}

/* Feeds the frame's new metrics into the sparkline histories. */
void screen_update_history(struct ui *ui, const struct frame *f)
{
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_feed *feed = &f->hosts[i].metrics.feed;
		struct ui_host_hist *hist = &ui->hist[i];
		const struct metrics *m;

		if (!feed->configured || feed->seq == hist->seen_seq || !feed->polled)
			continue;
		hist->seen_seq = feed->seq;
		m = feed->error == NULL ? f->hosts[i].metrics.value : NULL;
		if (m != NULL && m->history != NULL)
			screen_seed_history(hist, m->history);
		if (m != NULL) {
			if (m->valid[METRICS_CPU])
				sparkline_push(hist->cpu, m->cpu_pct);
			if (m->valid[METRICS_MEM])
				sparkline_push(hist->mem, m->mem_pct);
			if (m->valid[METRICS_NET])
				sparkline_push(hist->net, m->net_rx_bps + m->net_tx_bps);
		}
	}
}

/* The tabs as drawn: TABS_FULL every name, TABS_SHORT the shown view's
 * name and the others' keys, TABS_ONE the shown view's only. */
enum screen_tabs { TABS_FULL, TABS_SHORT, TABS_ONE };

static int screen_tabs_draw(struct ui *ui, WINDOW *w, int y, int x, int end, enum screen_tabs form,
                            bool draw)
{
	int x0 = x;

	for (size_t i = 0; i < UI_VIEW_COUNT; i++) {
		/* the tab: the (first) key that shows the view, then its name */
		const struct key_binding *b = keys_for(views_tabs[i]->select);
		char tab[64], key[24];
		bool shown = ui->view == i;
		int tw;

		ui->tab_x[i] = ui->tab_w[i] = 0;
		if (form == TABS_ONE && !shown)
			continue;
		if (b != NULL)
			keynames_code(b->codes[0], key, sizeof key);
		else
			snprintf(key, sizeof key, "?");
		if (form == TABS_SHORT && !shown)
			snprintf(tab, sizeof tab, " %s ", key);
		else
			snprintf(tab, sizeof tab, " %s %s ", key, views_tabs[i]->name);
		tw = text_width(tab);
		if (draw) {
			tw = text_put(w, y, x, end - x, ui->pal.attr[shown ? THEME_SELECTION : THEME_TITLE], tab);
			ui->tab_x[i] = x;
			ui->tab_w[i] = tw;
		}
		x += tw;
	}
	return x - x0;
}

int screen_tab_at(const struct ui *ui, int y, int x)
{
	if (y != 0)
		return -1;
	for (size_t i = 0; i < UI_VIEW_COUNT; i++)
		if (ui->tab_w[i] > 0 && x >= ui->tab_x[i] && x < ui->tab_x[i] + ui->tab_w[i])
			return (int)i;
	return -1;
}

#define SCREEN_REASON_MIN 16   /* the reason's cells kept before the age shrinks */

/* The cells left for the reason itself (before its ellipsis). */
static int screen_reason_room(int room, const char *lead, const char *tail, const char *more,
                              enum verdict_level lvl)
{
	return room - text_width(lead) - text_width(tail) - text_width(more) -
	       (int)strlen(verdict_level_name(lvl)) - 2 - 1;
}

/* The header: the title and the tabs on the left; on the right the
 * badges, the overall level and the worst reason, the age of the last
 * change, then the hosts and the refresh.  The level, the badges and the
 * age are never left out: the tabs shrink first (the other views' keys
 * only, then the shown view's tab only, then no title; at UI_NARROW_COLS
 * and less the shown view's tab alone), the rest after. */
static void screen_header(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT, THEME_DIM };
	char *worst = NULL, lead[96] = "", tail[160] = "", age[16] = "", more[32] = "", why[512];
	size_t nreasons = 0;
	enum verdict_level lvl = verdict_overall_memo(f, &ui->verdict_memo, NULL, &worst, &nreasons);
	int64_t last = ui->history != NULL ? history_last_change_ms(ui->history) : 0;
	int x = r.x, end = r.x + r.w, room, need;
	bool title = r.w > UI_NARROW_COLS;   /* narrow: their cells go to the reason */
	enum screen_tabs form = title ? TABS_FULL : TABS_ONE;

	wattrset(w, ui->pal.attr[THEME_TITLE]);
	wmove(w, r.y, r.x);
	whline(w, ' ', r.w);
	if (ui->replay != NULL) {
		replay_badge(ui->replay, lead, sizeof lead - 2);
		snprintf(lead + strlen(lead), sizeof lead - strlen(lead), "  ");
	} else if (ui->cfg->read_only) {
		snprintf(lead, sizeof lead, r.w > UI_NARROW_COLS ? "[read-only]  " : "[ro] ");
	}
	if (ui->paused)
		snprintf(lead + strlen(lead), sizeof lead - strlen(lead), "PAUSED  ");
	if (last > 0) {
		/* what moved last, at a glance: the time since the newest event */
		time_format_age(age, sizeof age, f->taken_ms > last ? f->taken_ms - last : 0);
	}
	if (worst != NULL && nreasons > 1 && r.w > UI_NARROW_COLS)
		snprintf(more, sizeof more, " %s %zu more", ui->utf8 ? "\xc2\xb7" : "+", nreasons - 1);
	else if (worst != NULL && nreasons > 1)
		snprintf(more, sizeof more, " +%zu", nreasons - 1);   /* narrow: the reason's room */
	/* the room the right part needs at least: the badges, the level, some
	 * of the reason, the age */
	need = text_width(lead) + (int)strlen(verdict_level_name(lvl)) + 2 +
	       (worst != NULL ? SCREEN_REASON_MIN : 0) + (age[0] != '\0' ? (int)strlen(age) + 2 : 0);
	for (;;) {
		room = r.w - (title ? 9 : 0) - screen_tabs_draw(ui, w, r.y, x, end, form, false);
		if (room >= need || (form == TABS_ONE && !title))
			break;
		if (form != TABS_ONE)
			form++;
		else
			title = false;
	}
	if (title)
		x += text_put(w, r.y, x, r.w, ui->pal.attr[THEME_TITLE], " kitetop ");
	x += screen_tabs_draw(ui, w, r.y, x, end, form, true);
	room = end - x - 1;
	/* the right part, from what is dropped first: hosts and refresh, then
	 * "changed", then the reason is cut */
	snprintf(tail, sizeof tail, "%s%s%s  %zu host%s  refresh %gs ", age[0] != '\0' ? "  changed " : "",
	         age, age[0] != '\0' ? " ago" : "", f->nhosts, f->nhosts == 1 ? "" : "s",
	         ui->cfg->refresh_ms / 1000.0);
	snprintf(why, sizeof why, "%s%s%s%s", verdict_level_name(lvl), worst != NULL ? ": " : "",
	         worst != NULL ? worst : "", more);
	if (text_width(lead) + text_width(why) + text_width(tail) > room)
		snprintf(tail, sizeof tail, "%s%s%s ", age[0] != '\0' ? "  changed " : "", age,
		         age[0] != '\0' ? " ago" : "");
	/* the reason cut to SCREEN_REASON_MIN before "changed ... ago" shrinks */
	if (text_width(lead) + text_width(why) + text_width(tail) > room && worst != NULL &&
	    screen_reason_room(room, lead, tail, more, lvl) < SCREEN_REASON_MIN)
		snprintf(tail, sizeof tail, "%s%s ", age[0] != '\0' ? "  " : "", age);
	if (text_width(lead) + text_width(why) + text_width(tail) > room && worst == NULL)
		snprintf(tail, sizeof tail, "%s%s ", age[0] != '\0' ? "  " : "", age);
	if (text_width(lead) + text_width(why) + text_width(tail) > room && worst != NULL) {
		/* cut the reason, keep how many more there are */
		int keep = screen_reason_room(room, lead, tail, more, lvl);
		size_t b = keep > 0 ? text_clip(worst, keep, NULL) : 0;

		snprintf(why, sizeof why, "%s: %.*s%s%s", verdict_level_name(lvl), (int)b, worst,
		         ui->utf8 ? "\xe2\x80\xa6" : "~", more);
	}
	{
		int lw = text_width(lead), ww = text_width(why), tw = text_width(tail);
		int at = end - lw - ww - tw;

		if (at < x + 1)
			at = x + 1;
		at += text_put(w, r.y, at, end - at, ui->pal.attr[THEME_TITLE] | A_BOLD, lead);
		at += text_put(w, r.y, at, end - at, ui->pal.attr[role[lvl]] | A_BOLD, why);
		text_put(w, r.y, at, end - at, ui->pal.attr[THEME_TITLE], tail);
	}
	free(worst);
}

#define SCREEN_HINTS_MAX 12

/* A footer of hints with the keys in force (a [keys] section may have
 * rebound them). */
static void screen_keybar(struct ui *ui, WINDOW *w, struct rect r, const struct keynames_hint *h,
                          size_t n)
{
	struct keybar_item items[SCREEN_HINTS_MAX];
	char keys[SCREEN_HINTS_MAX][24];

	if (n > SCREEN_HINTS_MAX)
		n = SCREEN_HINTS_MAX;
	for (size_t i = 0; i < n; i++)
		items[i] = (struct keybar_item){ keynames_hint(&h[i], keys[i], sizeof(keys[i])), h[i].label };
	keybar_draw(w, r, &ui->pal, items, n);
}

static void screen_footer(struct ui *ui, WINDOW *w, struct rect r)
{
	static const struct keynames_hint items[] = {
		{ "help", "help" }, { "host-next", "host" }, { "refresh", "refresh" }, { "pause", "pause" },
		{ "theme-next", "theme" }, { "quit", "quit" },
	};

	if (viewer_input_draw(ui, w, r) && ui->input != UI_INPUT_NONE)
		return;
	if (ui->toast != NULL && ui->now_mono < ui->toast_until) {
		wmove(w, r.y, r.x);
		wattrset(w, ui->pal.attr[THEME_TOAST]);
		whline(w, ' ', r.w);
		text_put(w, r.y, r.x + 1, r.w - 1, ui->pal.attr[THEME_TOAST], ui->toast);
		ui_change_at(ui, ui->toast_until);
		return;
	}
	const struct view *v = views_active(ui);

	if (v->keybar != NULL)
		screen_keybar(ui, w, r, v->keybar, v->nkeybar);
	else if (ui->filter[0] != '\0')
		;   /* the filter line, drawn above */
	else
		screen_keybar(ui, w, r, items, UTIL_ARRAY_LEN(items));
}

void screen_draw(struct ui *ui, const struct frame *f, WINDOW *w, int rows, int cols,
                 int64_t now_mono)
{
	struct rect all = rect_make(0, 0, rows, cols);

	ui->now_mono = now_mono;
	ui->next_change = 0;
	wattrset(w, ui->pal.attr[THEME_DEFAULT]);
	werase(w);
	if (cols < UI_MIN_COLS || rows < UI_MIN_ROWS) {
		static const char msg[] = "terminal too small";
		int len = (int)sizeof msg - 1;

		text_put(w, rows / 2, cols > len ? (cols - len) / 2 : 0, cols,
		         ui->pal.attr[THEME_WARN], msg);
	} else {
		screen_header(ui, f, w, rect_cut_top(&all, 1));
		screen_footer(ui, w, rect_make(all.y + all.h - 1, 0, 1, cols));
		all.h -= 1;
		if (ui->replay != NULL && all.h > 2) {
			replay_draw_bar(ui, w, rect_make(all.y + all.h - 1, 0, 1, cols));
			all.h -= 1;
		}
		view_errors_cut_reset(ui);   /* the view notes its cut lines again */
		views_active(ui)->draw(ui, f, w, all);
		if (ui->help)
			view_help_draw(ui, w, all);
		kube_pick_draw(ui, w, all);
		if (ui->actions != NULL)
			actions_ui_draw(ui, ui->actions, w, all);
	}
}

