/* screen — see screen.h. */
#include "tui/screen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/history.h"
#include "core/model/verdict.h"
#include "tui/actions_ui.h"
#include "tui/keynames.h"
#include "tui/keys.h"
#include "tui/replay.h"
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

static void screen_header(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	enum verdict_level lvl = verdict_overall(f, NULL);
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT, THEME_DIM };
	char right[160], change[48] = "", badge[64] = "";
	int64_t last = ui->history != NULL ? history_last_change_ms(ui->history) : 0;
	int x = r.x, rw;

	wattrset(w, ui->pal.attr[THEME_TITLE]);
	wmove(w, r.y, r.x);
	whline(w, ' ', r.w);
	x += text_put(w, r.y, x, r.w, ui->pal.attr[THEME_TITLE], " kitetop ");
	for (size_t i = 0; i < UI_VIEW_COUNT; i++) {
		/* the tab: the (first) key that shows the view, then its name */
		const struct key_binding *b = keys_for(views_tabs[i]->select);
		char tab[64], key[24];

		snprintf(tab, sizeof tab, " %s %s ",
		         b != NULL ? keynames_code(b->codes[0], key, sizeof key) : "?", views_tabs[i]->name);
		x += text_put(w, r.y, x, r.x + r.w - x,
		              ui->pal.attr[ui->view == i ? THEME_SELECTION : THEME_TITLE], tab);
	}
	if (last > 0) {
		/* what moved last, at a glance: the time since the newest event */
		char age[16];

		time_format_age(age, sizeof age, f->taken_ms > last ? f->taken_ms - last : 0);
		snprintf(change, sizeof change, "changed %s ago  ", age);
	}
	if (ui->replay != NULL) {
		replay_badge(ui->replay, badge, sizeof badge - 2);
		strcat(badge, "  ");
	}
	snprintf(right, sizeof right, "%s%s%s%zu host%s  refresh %gs  %s ", badge,
	         ui->paused ? "PAUSED  " : "", change, f->nhosts, f->nhosts == 1 ? "" : "s",
	         ui->cfg->refresh_ms / 1000.0, verdict_level_name(lvl));
	rw = text_width(right);
	if (x + 1 + rw > r.x + r.w && change[0] != '\0') {
		/* narrow: the level and the replay badge before the rest */
		snprintf(right, sizeof right, "%s%s%s ", badge, ui->paused ? "PAUSED  " : "",
		         verdict_level_name(lvl));
	}
	rw = text_width(right);
	if (x + 1 + rw <= r.x + r.w)
		text_put(w, r.y, r.x + r.w - rw, rw, ui->pal.attr[role[lvl]] | A_BOLD, right);
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
		views_active(ui)->draw(ui, f, w, all);
		if (ui->help)
			view_help_draw(ui, w, all);
		if (ui->actions != NULL)
			actions_ui_draw(ui, ui->actions, w, all);
	}
}

