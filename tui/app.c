/* app — see app.h. */
#include "tui/app.h"

#include <errno.h>
#include <langinfo.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/lab.h"
#include "backends/metrics.h"
#include "core/status.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "core/wake.h"
#include "tui/changes.h"
#include "tui/actions_ui.h"
#include "tui/view_traffic.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "widgets/keybar.h"
#include "widgets/text.h"

#define APP_IDLE_MS 60000   /* the longest sleep: every redraw that is due sets its own time */
/* Library pages (start-up's: TLS and SSH handshakes, curses set-up; and
 * those a while of polling touched once) are dropped from the resident set
 * once everything has connected, then every minute, with the free heap
 * memory the polls leave between glibc's pages: see util_trim_file_pages(). */
#define APP_TRIM_AFTER_MS 20000
#define APP_TRIM_EVERY_MS 60000
#define APP_COALESCE_MS 250   /* new data waits this long for more before a frame */
#define APP_TOAST_MS 3000
#define APP_HISTORY 240          /* samples kept per sparkline */

static volatile sig_atomic_t app_quit_signal;
static struct wake *app_wake;    /* for the signal handler only */
static bool app_curses_up;

static void app_restore_terminal(void)
{
	if (app_curses_up) {
		app_curses_up = false;
		endwin();
	}
}

static void app_on_quit_signal(int sig)
{
	app_quit_signal = sig;
	wake_signal(app_wake);
}

/* A crash: give the terminal back, then die of the same signal (for the
 * core dump and the shell's message). */
static void app_on_crash(int sig)
{
	app_restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void app_signals(void)
{
	struct sigaction sa;
	static const int quit[] = { SIGTERM, SIGHUP, SIGINT };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = app_on_quit_signal;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(quit); i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = app_on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(crash); i++)
		sigaction(crash[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void app_toast(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void app_toast(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	free(ui->toast);
	va_start(ap, fmt);
	ui->toast = xvasprintf(fmt, ap);
	va_end(ap);
	ui->toast_until = time_mono_ms() + APP_TOAST_MS;
}

void ui_toast(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	app_toast(ui, "%s", text);
	free(text);
}

/* Prefills a host's sparklines with the past its source fetched (Prometheus'
 * query_range at the first poll); gaps are left out. */
static void app_seed_history(struct ui_host_hist *hist, const struct metrics_history *h)
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

/* Feeds new metrics snapshots into the sparkline histories. */
static void app_update_history(struct ui *ui)
{
	for (size_t i = 0; i < ui->lab->nhosts; i++) {
		struct lab_host *h = &ui->lab->hosts[i];
		struct ui_host_hist *hist = &ui->hist[i];
		struct snapshot *snap;
		const struct metrics *m;

		if (h->metrics == NULL || source_seq(h->metrics) == hist->seen_seq)
			continue;
		snap = source_get(h->metrics);
		if (snap == NULL)
			continue;
		hist->seen_seq = snap->seq;
		m = snap->error == NULL ? snap->value : NULL;
		if (m != NULL && m->history != NULL)
			app_seed_history(hist, m->history);
		if (m != NULL) {
			if (m->valid[METRICS_CPU])
				sparkline_push(hist->cpu, m->cpu_pct);
			if (m->valid[METRICS_MEM])
				sparkline_push(hist->mem, m->mem_pct);
			if (m->valid[METRICS_NET])
				sparkline_push(hist->net, m->net_rx_bps + m->net_tx_bps);
		}
		snapshot_unref(snap);
	}
}

static void app_draw_header(struct ui *ui, WINDOW *w, struct rect r)
{
	enum status_level lvl = status_overall(ui->lab, NULL);
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT, THEME_DIM };
	char right[96];
	int x = r.x, rw;

	wattrset(w, ui->pal.attr[THEME_TITLE]);
	wmove(w, r.y, r.x);
	whline(w, ' ', r.w);
	x += text_put(w, r.y, x, r.w, ui->pal.attr[THEME_TITLE], " kitetop ");
	x += text_put(w, r.y, x, r.x + r.w - x, ui->pal.attr[ui->view == UI_VIEW_OVERVIEW ?
	              THEME_SELECTION : THEME_TITLE], " 1 Overview ");
	x += text_put(w, r.y, x, r.x + r.w - x, ui->pal.attr[ui->view == UI_VIEW_SERVICES ?
	              THEME_SELECTION : THEME_TITLE], " 2 Services ");
	x += text_put(w, r.y, x, r.x + r.w - x, ui->pal.attr[ui->view == UI_VIEW_DATA ?
	              THEME_SELECTION : THEME_TITLE], " 3 Data ");
	x += text_put(w, r.y, x, r.x + r.w - x, ui->pal.attr[ui->view == UI_VIEW_TRAFFIC ?
	              THEME_SELECTION : THEME_TITLE], " 4 Traffic ");
	x += text_put(w, r.y, x, r.x + r.w - x, ui->pal.attr[ui->view == UI_VIEW_METRICS ?
	              THEME_SELECTION : THEME_TITLE], " 5 Metrics ");
	snprintf(right, sizeof right, "%s%zu host%s  refresh %gs  %s ",
	         ui->paused ? "PAUSED  " : "", ui->lab->nhosts, ui->lab->nhosts == 1 ? "" : "s",
	         ui->cfg->refresh_ms / 1000.0, status_level_name(lvl));
	rw = text_width(right);
	if (x + 1 + rw <= r.x + r.w)
		text_put(w, r.y, r.x + r.w - rw, rw, ui->pal.attr[role[lvl]] | A_BOLD, right);
}

static void app_draw_footer(struct ui *ui, WINDOW *w, struct rect r)
{
	static const struct keybar_item items[] = {
		{ "?", "help" }, { "Tab", "host" }, { "R", "refresh" }, { "p", "pause" },
		{ "T", "theme" }, { "q", "quit" },
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
	static const struct keybar_item logs_items[] = {
		{ "Esc", "back" }, { "f", "follow" }, { "t", "timestamps" }, { "/", "search" },
		{ "n N", "next/prev" }, { "j k", "scroll" }, { "g G", "top/end" }, { "?", "help" },
	};
	static const struct keybar_item detail_items[] = {
		{ "Esc", "back" }, { "/", "search" }, { "n N", "next/prev" }, { "j k", "scroll" },
		{ "g G", "top/end" }, { "?", "help" },
	};

	if (ui->logs != NULL)
		keybar_draw(w, r, &ui->pal, logs_items, UTIL_ARRAY_LEN(logs_items));
	else if (ui->detail != NULL)
		keybar_draw(w, r, &ui->pal, detail_items, UTIL_ARRAY_LEN(detail_items));
	else if (ui->filter[0] != '\0')
		;   /* the filter line, drawn above */
	else
		keybar_draw(w, r, &ui->pal, items, UTIL_ARRAY_LEN(items));
}

static void app_draw(struct ui *ui)
{
	WINDOW *w = stdscr;
	int rows = LINES, cols = COLS;
	struct rect all = rect_make(0, 0, rows, cols);

	ui->now_mono = time_mono_ms();
	ui->next_change = 0;
	wattrset(w, ui->pal.attr[THEME_DEFAULT]);
	werase(w);
	if (cols < UI_MIN_COLS || rows < UI_MIN_ROWS) {
		static const char msg[] = "terminal too small";
		int len = (int)sizeof msg - 1;

		text_put(w, rows / 2, cols > len ? (cols - len) / 2 : 0, cols,
		         ui->pal.attr[THEME_WARN], msg);
	} else {
		app_draw_header(ui, w, rect_cut_top(&all, 1));
		app_draw_footer(ui, w, rect_make(all.y + all.h - 1, 0, 1, cols));
		all.h -= 1;
		if (ui->logs != NULL)
			view_logs_draw(ui, w, all);
		else if (ui->detail != NULL)
			view_detail_draw(ui, w, all);
		else if (ui->view == UI_VIEW_SERVICES)
			view_services_draw(ui, w, all);
		else if (ui->view == UI_VIEW_DATA)
			view_data_draw(ui, w, all);
		else if (ui->view == UI_VIEW_TRAFFIC)
			view_traffic_draw(ui, w, all);
		else if (ui->view == UI_VIEW_METRICS)
			view_metrics_draw(ui, w, all);
		else
			view_overview_draw(ui, w, all);
		if (ui->help)
			view_help_draw(ui, w, all);
		actions_ui_draw(ui, ui->actions, w, all);
	}
	wnoutrefresh(w);
	doupdate();
}

static void app_next_theme(struct ui *ui)
{
	const char *next = theme_next_name(theme_name(ui->theme));
	struct theme *t;
	char *cause = NULL;

	t = theme_load(next, KITETOP_DATADIR, &cause);
	if (t == NULL) {
		app_toast(ui, "theme %s: %s", next, cause);
		free(cause);
		return;
	}
	theme_free(ui->theme);
	ui->theme = t;
	palette_init(&ui->pal, ui->theme, ui->utf8);
	wbkgd(stdscr, ui->pal.attr[THEME_DEFAULT]);
	app_toast(ui, "theme: %s", theme_name(t));
}

#ifdef BUTTON5_PRESSED
#define APP_WHEEL_DOWN BUTTON5_PRESSED
#else
#define APP_WHEEL_DOWN 0
#endif

static void app_move(struct ui *ui, long delta);

static void app_click(struct ui *ui)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | APP_WHEEL_DOWN)) {
		/* the wheel scrolls the focused list: a viewer's lines or the containers */
		long d = ev.bstate & BUTTON4_PRESSED ? -3 : 3;

		if (ui->logs != NULL)
			textview_scroll(&ui->logs_tv, d);
		else if (ui->detail != NULL)
			textview_scroll(&ui->detail_tv, d);
		else if (ui->view == UI_VIEW_OVERVIEW)
			app_move(ui, d);
		return;
	}
	if (ui->logs != NULL || ui->detail != NULL || ui->view != UI_VIEW_OVERVIEW)
		return;
	for (size_t i = 0; i < ui->ncols; i++)
		if (ev.x >= ui->col_x[i] && ev.x < ui->col_x[i] + ui->col_w[i]) {
			ui->host = ui->col_host[i];
			ui->click_pending = true;    /* the row: chosen when the column is drawn */
			ui->click_y = ev.y;
		}
}

/* Moves the selection of the focused host column by delta rows (clamped). */
static void app_move(struct ui *ui, long delta)
{
	long cur = 0, next;

	if (ui->nrows == 0 || ui->host >= 64)
		return;
	for (size_t i = 0; i < ui->nrows; i++)
		if (ui->sel[ui->host] != NULL && strcmp(ui->rows[i], ui->sel[ui->host]) == 0)
			cur = (long)i;
	next = cur + delta;
	if (next < 0)
		next = 0;
	if (next >= (long)ui->nrows)
		next = (long)ui->nrows - 1;
	free(ui->sel[ui->host]);
	ui->sel[ui->host] = xstrdup(ui->rows[next]);
}

static void app_logs_open(struct ui *ui)
{
	struct lab_host *h;
	const char *name;

	if (ui->host >= ui->lab->nhosts || ui->host >= 64)
		return;
	h = &ui->lab->hosts[ui->host];
	name = ui_selected_name(ui);
	if (h->docker == NULL || name == NULL) {
		app_toast(ui, "no container selected (j k choose one in the overview)");
		return;
	}
	ui->logs = logs_open(ui->lab, h, name, app_wake);
	free(ui->logs_title);
	ui->logs_title = xasprintf("logs: %s on %s", name, h->name);
	textview_init(&ui->logs_tv, true);
	ui->logs_dropped = 0;
}

static void app_logs_close(struct ui *ui)
{
	logs_close(ui->logs);
	ui->logs = NULL;
}

/* Keys of the logs view (scrolling and search: viewer_key); true when handled. */
static bool app_logs_key(struct ui *ui, enum key_action a)
{
	switch (a) {
	case KEY_ACT_CLOSE: app_logs_close(ui); return true;
	case KEY_ACT_FOLLOW: ui->logs_tv.follow = !ui->logs_tv.follow; return true;
	case KEY_ACT_TIMESTAMPS: ui->logs_ts = !ui->logs_ts; return true;
	case KEY_ACT_LOGS: return true;
	default: return false;
	}
}

/* Returns false when the app must quit. */
static bool app_key(struct ui *ui, int key)
{
	enum key_action a;

	if (actions_ui_key(ui, ui->actions, key))
		return true;
	if (key == KEY_MOUSE) {
		app_click(ui);
		return true;
	}
	if (!ui->help && viewer_input_key(ui, key))
		return true;
	a = keys_lookup(key, ui->help ? KEY_SCOPE_HELP : ui->logs != NULL ? KEY_SCOPE_LOGS :
	                ui->detail != NULL ? KEY_SCOPE_DETAIL : KEY_SCOPE_ANY);
	if (viewer_key(ui, a))
		return true;
	if (ui->logs != NULL && !ui->help && app_logs_key(ui, a))
		return true;
	if (ui->view == UI_VIEW_METRICS && ui->logs == NULL && !ui->help && view_metrics_key(ui, a))
		return true;
	switch (a) {
	case KEY_ACT_QUIT:
		return false;
	case KEY_ACT_HELP:
		ui->help = true;
		textview_init(&ui->help_tv, false);
		break;
	case KEY_ACT_CLOSE:
		ui->help = false;
		break;
	case KEY_ACT_VIEW_OVERVIEW:
		ui->view = UI_VIEW_OVERVIEW;
		ui->help = false;
		break;
	case KEY_ACT_VIEW_SERVICES:
		ui->view = UI_VIEW_SERVICES;
		ui->help = false;
		break;
	case KEY_ACT_VIEW_DATA:
		ui->view = UI_VIEW_DATA;
		ui->help = false;
		break;
	case KEY_ACT_VIEW_METRICS:
		ui->view = UI_VIEW_METRICS;
		ui->help = false;
		break;
	case KEY_ACT_HOST_NEXT:
		if (ui->lab->nhosts > 0)
			ui->host = (ui->host + 1) % ui->lab->nhosts;
		break;
	case KEY_ACT_HOST_PREV:
		if (ui->lab->nhosts > 0)
			ui->host = (ui->host + ui->lab->nhosts - 1) % ui->lab->nhosts;
		break;
	case KEY_ACT_DOWN: app_move(ui, 1); break;
	case KEY_ACT_UP: app_move(ui, -1); break;
	case KEY_ACT_PAGE_DOWN: app_move(ui, ui->page > 1 ? ui->page - 1 : 1); break;
	case KEY_ACT_PAGE_UP: app_move(ui, -(ui->page > 1 ? ui->page - 1 : 1)); break;
	case KEY_ACT_TOP: app_move(ui, -1000000); break;
	case KEY_ACT_BOTTOM: app_move(ui, 1000000); break;
	case KEY_ACT_LOGS:
		app_logs_open(ui);
		break;
	case KEY_ACT_FOLLOW:
	case KEY_ACT_TIMESTAMPS:
	case KEY_ACT_DETAIL:
	case KEY_ACT_FILTER:
	case KEY_ACT_SEARCH:
	case KEY_ACT_SEARCH_NEXT:
	case KEY_ACT_SEARCH_PREV:
	case KEY_ACT_SORT:
		break;
	case KEY_ACT_REFRESH:
		lab_refresh_now(ui->lab);
		app_toast(ui, "refreshing every source");
		break;
	case KEY_ACT_PAUSE:
		ui->paused = !ui->paused;
		lab_set_paused(ui->lab, ui->paused);
		app_toast(ui, ui->paused ? "refresh paused (p resumes, R refreshes once)" : "refresh resumed");
		break;
	case KEY_ACT_THEME_NEXT:
		app_next_theme(ui);
		break;
	case KEY_ACT_VIEW_TRAFFIC:
		ui->view = UI_VIEW_TRAFFIC;
		ui->help = false;
		break;
	case KEY_ACT_DRAIN:
	case KEY_ACT_UNDRAIN:
	case KEY_ACT_FLIP:
		view_traffic_action(ui, ui->actions, a);
		break;
	case KEY_ACT_RESTART:
	case KEY_ACT_STOPSTART:
		actions_ui_start(ui, ui->actions, a);
		break;
	case KEY_ACT_NONE:
		break;
	}
	return true;
}

static void app_ui_init(struct ui *ui, struct config *cfg, struct lab *lab, struct theme *t)
{
	memset(ui, 0, sizeof *ui);
	ui->cfg = cfg;
	ui->lab = lab;
	ui->theme = t;
	ui->hist = xcalloc(lab->nhosts > 0 ? lab->nhosts : 1, sizeof *ui->hist);
	for (size_t i = 0; i < lab->nhosts; i++) {
		ui->hist[i].cpu = sparkline_new(APP_HISTORY);
		ui->hist[i].mem = sparkline_new(APP_HISTORY);
		ui->hist[i].net = sparkline_new(APP_HISTORY);
	}
}

static void app_ui_done(struct ui *ui)
{
	for (size_t i = 0; i < ui->lab->nhosts; i++) {
		sparkline_free(ui->hist[i].cpu);
		sparkline_free(ui->hist[i].mem);
		sparkline_free(ui->hist[i].net);
	}
	changes_free(ui->changes);
	free(ui->hist);
	free(ui->toast);
	free(ui->logs_title);
	for (size_t i = 0; i < 64; i++)
		free(ui->sel[i]);
	for (size_t i = 0; i < ui->nrows; i++)
		free(ui->rows[i]);
	free(ui->rows);
	theme_free(ui->theme);
}

static void app_curses_start(struct ui *ui)
{
	initscr();
	app_curses_up = true;
	util_set_fatal_hook(app_restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* no typeahead check during refresh: it polls stdin and flushes the
	 * output between lines, dozens of writes a frame instead of one */
	typeahead(-1);
	/* ncurses 6.4 flushes its output at every cursor move until the screen
	 * has been through endwin() once (its "initial" state is taken for a
	 * low-level terminfo program): ~35 writes a frame instead of one or two */
	endwin();
	refresh();
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	if (ui->cfg->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | APP_WHEEL_DOWN, NULL);
	keys_init(&(struct keys_special){ .btab = KEY_BTAB, .left = KEY_LEFT, .right = KEY_RIGHT,
		.down = KEY_DOWN, .up = KEY_UP, .npage = KEY_NPAGE, .ppage = KEY_PPAGE,
		.home = KEY_HOME, .end = KEY_END, .enter = KEY_ENTER });
	ui->utf8 = palette_want_utf8(nl_langinfo(CODESET), getenv("TERM"));
	palette_init(&ui->pal, ui->theme, ui->utf8);
	wbkgd(stdscr, ui->pal.attr[THEME_DEFAULT]);
}

static void app_loop(struct ui *ui)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = wake_fd(app_wake), .events = POLLIN },
	};
	uint64_t drawn_gen = (uint64_t)-1;
	int64_t trim_at = time_mono_ms() + APP_TRIM_AFTER_MS;
	bool dirty = true;          /* a key or a resize: draw now */
	int64_t due = 0;            /* new data or a label to change: draw then (0: nothing) */

	while (app_quit_signal == 0) {
		int64_t now = time_mono_ms(), timeout = APP_IDLE_MS, at;
		uint64_t gen;
		int key;

		/* a frame falls due: what the signals during its coalescing
		 * time announced is drawn now (gen is read after), so their
		 * byte must not wake the loop again afterwards */
		if (due != 0 && now >= due)
			wake_drain(app_wake);
		gen = lab_generation(ui->lab);

		/* Data and labels wait APP_COALESCE_MS, so that the sources
		 * answering one refresh tick (they poll on the same ticks) and
		 * the labels turning over together make one frame, not five. */
		if (gen != drawn_gen && (due == 0 || now + APP_COALESCE_MS < due))
			due = now + APP_COALESCE_MS;
		at = ui->next_change != 0 ? ui->next_change + APP_COALESCE_MS : 0;
		if (at != 0 && (due == 0 || at < due))
			due = at;
		if (actions_ui_poll(ui, ui->actions))
			dirty = true;   /* an action's progress or result */
		if (dirty || (due != 0 && now >= due)) {
			if (gen != drawn_gen) {
				app_update_history(ui);
				ui_changes_scan(ui);
			}
			app_draw(ui);
			drawn_gen = gen;
			dirty = false;
			due = 0;
			continue;   /* the frame set a new next_change */
		}
		if (due != 0 && due - now < timeout)
			timeout = due - now;
		if (trim_at - now < timeout)
			timeout = trim_at - now > 0 ? trim_at - now : 0;
		if (now >= trim_at) {
			util_trim_file_pages();
			malloc_trim(0);
			trim_at = now + APP_TRIM_EVERY_MS;
		}
		/* a frame is due within the coalescing time: what else arrives
		 * meanwhile joins it, so the wake pipe is not even looked at
		 * until then (a later one, a label's, must not hide new data) */
		pfd[1].fd = due != 0 && due - now <= APP_COALESCE_MS ? -1 : wake_fd(app_wake);
		if (poll(pfd, 2, (int)timeout) == -1 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN) {
			/* the logs and detail threads wake us with new text */
			int64_t soon = time_mono_ms() + APP_COALESCE_MS;

			wake_drain(app_wake);
			if ((ui->logs != NULL || ui->detail != NULL) && (due == 0 || due > soon))
				due = soon;
		}
		while ((key = getch()) != ERR) {
			dirty = true;
			if (key == KEY_RESIZE)
				continue;
			if (!app_key(ui, key))
				return;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;   /* the terminal went away */
	}
}

int app_run(struct config *cfg, const char *theme)
{
	struct theme *t;
	struct lab *lab;
	struct ui ui;
	char *cause = NULL;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kitetop: the dashboard needs a terminal (for scripts: kitetop status --json)\n");
		return 2;
	}
#ifdef M_ARENA_MAX
	/* a dozen threads that mostly wait: glibc would give each an arena of
	 * its own (about 1 MB resident more); two are plenty */
	mallopt(M_ARENA_MAX, 2);
#endif
	t = theme_load(theme != NULL ? theme : cfg->theme != NULL ? cfg->theme : "default",
	               KITETOP_DATADIR, &cause);
	if (t == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return 2;
	}
	app_wake = wake_new(&cause);
	if (app_wake == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		theme_free(t);
		return 1;
	}
	lab = lab_new(cfg, app_wake);
	app_ui_init(&ui, cfg, lab, t);
	ui.actions = actions_ui_new(app_wake);
	app_signals();
	app_curses_start(&ui);
	app_draw(&ui);   /* the first frame, before any source answered */
	if (lab_start(lab, &cause) == -1) {
		app_restore_terminal();
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		actions_ui_free(ui.actions);
		app_ui_done(&ui);   /* it reads lab->nhosts */
		lab_free(lab);
		return 1;
	}
	app_loop(&ui);
	app_restore_terminal();
	if (ui.logs != NULL)
		app_logs_close(&ui);   /* its thread uses the lab's SSH session */
	view_detail_close(&ui);   /* so does the detail's */
	actions_ui_free(ui.actions);   /* so does a running action */
	app_ui_done(&ui);   /* it reads lab->nhosts */
	lab_free(lab);
	wake_free(app_wake);
	app_wake = NULL;
	return app_quit_signal != 0 ? 128 + app_quit_signal : 0;
}
