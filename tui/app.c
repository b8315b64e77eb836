/* app — see app.h. */
#include "tui/app.h"

#include <errno.h>
#include <langinfo.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/metrics.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/base/wake.h"
#include "core/history/errlog.h"
#include "core/feeds/feeds.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "tui/actions_ui.h"
#include "tui/screen.h"
#include "tui/term_check.h"
#include "tui/changes.h"
#include "tui/replay.h"
#include "tui/keynames.h"
#include "tui/keys.h"
#include "tui/kube_pick.h"
#include "tui/ui.h"
#include "tui/ui_changes.h"
#include "tui/ui_history.h"
#include "tui/view_detail.h"
#include "tui/view_help.h"
#include "tui/view_logs.h"
#include "tui/view_svclogs.h"
#include "tui/viewer.h"
#include "tui/views.h"
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
	/* USR1, USR2 and ALRM mean nothing to kitetop: their default action is
	 * to end the process, so they end it the orderly way (threads joined,
	 * the terminal restored, 128 + the signal).  QUIT (Ctrl-\) is asked for
	 * a core dump, so it is treated as a crash: the terminal restored, then
	 * the same signal again for the dump. */
	static const int quit[] = { SIGTERM, SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGALRM };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT };

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

/* Draws f on the terminal; fresh: f holds new data (its metrics feed the
 * sparklines, its changes for the worse are noted first). */
static void app_draw(struct ui *ui, const struct frame *f, bool fresh)
{
	/* until every host's containers answered once, each first answer is
	 * drawn as it comes (a slow link's hosts answer seconds apart) */
	ui->first_answers = false;
	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].docker.feed.configured && !f->hosts[i].docker.feed.polled)
			ui->first_answers = true;
	if (fresh) {
		screen_update_history(ui, f);
		ui_changes_scan(ui, f);
	}
	ui->nseen = 0;
	screen_draw(ui, f, stdscr, LINES, COLS, time_mono_ms());
	ui_seen_publish(ui);   /* the rows on screen: the engines' stats asked for those only */
	wnoutrefresh(stdscr);
	doupdate();
}

/* One redraw: a frame of the feeds taken, drawn and released; one of new
 * data is compared with the one before for the history first, and kept
 * for the next (ui_history_frame). */
static void app_redraw(struct ui *ui, bool fresh)
{
	struct frame f;

	frame_take(&f, ui->feeds);
	if (fresh) {
		if (ui->errlog != NULL)
			errlog_frame(ui->errlog, &f);
		ui_history_frame(ui, &f);
		if (ui->have_prev) {
			app_draw(ui, &ui->prev, fresh);
			return;
		}
		frame_take(&f, ui->feeds);   /* no history kept: f was released */
	}
	app_draw(ui, &f, fresh);
	frame_release(&f);
}

#ifdef BUTTON5_PRESSED
#define APP_WHEEL_DOWN BUTTON5_PRESSED
#else
#define APP_WHEEL_DOWN 0
#endif

static void app_click(struct ui *ui)
{
	const struct view *v = views_active(ui);
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | APP_WHEEL_DOWN)) {
		/* the wheel scrolls the focused list: a viewer's lines or the containers */
		if (v->wheel != NULL)
			v->wheel(ui, ev.bstate & BUTTON4_PRESSED ? -3 : 3);
		return;
	}
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED) &&
	    screen_tab_at(ui, ev.y, ev.x) >= 0) {
		/* a header tab shows its view */
		views_cmd_select(ui, views_tabs[screen_tab_at(ui, ev.y, ev.x)]->select);
		return;
	}
	if (v->click != NULL)
		v->click(ui, ev.y, ev.x);
}

/* A key: the open dialog, the mouse and the open prompt come first; else
 * the key table's binding in the scope of what is shown, whose action the
 * help (when open) or the view shown may take for their own meaning, and
 * whose command runs otherwise. */
static void app_key(struct ui *ui, int key)
{
	const struct view *v = views_active(ui);
	const struct key_binding *b;

	if (ui->actions != NULL && actions_ui_key(ui, ui->actions, key))
		return;
	if (kube_pick_key(ui, key))
		return;
	if (key == KEY_MOUSE) {
		app_click(ui);
		return;
	}
	if (!ui->help && viewer_input_key(ui, key))
		return;
	b = ui->replay != NULL && !ui->help ? keys_binding(key, KEY_SCOPE_REPLAY) : NULL;
	if (b != NULL && b->scope == KEY_SCOPE_REPLAY) {
		b->run(ui, b->action);
		return;
	}
	b = keys_binding(key, ui->help ? KEY_SCOPE_HELP : v->scope);
	if (b == NULL) {
		char name[32], help[24];

		/* a key that does nothing says so, rather than nothing at all */
		if (key != ERR && key != KEY_RESIZE)
			ui_toast(ui, "%s does nothing here (%s lists the keys)", keynames_code(key, name, sizeof name),
			         keynames_hint(&(struct keynames_hint){ "help", NULL }, help, sizeof help));
		return;
	}
	if (ui->help ? view_help_key(ui, b->action) : v->key != NULL && v->key(ui, b->action))
		return;
	if (ui->replay != NULL && b->action == KEY_ACT_PAUSE) {
		replay_cmd(ui, b->action);
		return;
	}
	if (ui->replay != NULL && replay_refuses(ui, b->action))
		return;
	b->run(ui, b->action);
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
	ui->utf8 = palette_want_utf8(nl_langinfo(CODESET), getenv("TERM"));
	palette_init(&ui->pal, ui->theme, ui->utf8);
	wbkgd(stdscr, ui->pal.attr[THEME_DEFAULT]);
}

/* The key table with curses' values of the special keys, and the
 * configuration's [keys] on it (k: NULL for none).  Before curses starts,
 * so that an error is said on a plain terminal: -1 once said. */
static int app_keys(const struct config_keys *k)
{
	char *cause = NULL;

	keys_init(&(struct keys_special){ .btab = KEY_BTAB, .left = KEY_LEFT, .right = KEY_RIGHT,
		.down = KEY_DOWN, .up = KEY_UP, .npage = KEY_NPAGE, .ppage = KEY_PPAGE,
		.home = KEY_HOME, .end = KEY_END, .enter = KEY_ENTER, .backspace = KEY_BACKSPACE,
		.f0 = KEY_F0 });
	if (keys_apply(k, &cause) == 0)
		return 0;
	fprintf(stderr, "kitetop: %s\n", cause);
	free(cause);
	return -1;
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
		gen = feeds_generation(ui->feeds);

		/* Data and labels wait APP_COALESCE_MS, so that the sources
		 * answering one refresh tick (they poll on the same ticks) and
		 * the labels turning over together make one frame, not five. */
		if (gen != drawn_gen && ui->first_answers)
			due = now;
		else if (gen != drawn_gen && (due == 0 || now + APP_COALESCE_MS < due))
			due = now + APP_COALESCE_MS;
		at = ui->next_change != 0 ? ui->next_change + APP_COALESCE_MS : 0;
		if (at != 0 && (due == 0 || at < due))
			due = at;
		if (actions_ui_poll(ui, ui->actions))
			dirty = true;   /* an action's progress or result */
		if (dirty || (due != 0 && now >= due)) {
			app_redraw(ui, gen != drawn_gen);
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
			if ((ui->logs != NULL || ui->detail != NULL || ui->svclogs != NULL) && (due == 0 || due > soon))
				due = soon;
		}
		while ((key = getch()) != ERR) {
			dirty = true;
			if (key == KEY_RESIZE)
				continue;
			app_key(ui, key);
			if (ui->quit)
				return;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;   /* the terminal went away */
	}
}

/* The theme asked for (else the configuration's, else the default), or
 * NULL with the reason on stderr. */
static struct theme *app_theme(const struct config *cfg, const char *theme)
{
	char *cause = NULL;
	struct theme *t = theme_load(theme != NULL ? theme : cfg->theme != NULL ? cfg->theme :
	                             "default", KITETOP_DATADIR, &cause);

	if (t == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
	}
	return t;
}

/* The theme file's unknown keys: accepted (the rest of the file applies,
 * so an older kitetop reads a newer theme), but said: each on stderr,
 * which stays on the terminal after the dashboard leaves, and the first
 * in a toast at start. */
static void app_theme_warnings(struct ui *ui, const struct theme *t)
{
	size_t n = 0;
	const char *const *w = theme_warnings(t, &n);

	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "kitetop: theme %s: %s\n", theme_name(t), w[i]);
	if (n > 0)
		ui_toast(ui, "theme %s: %s%s", theme_name(t), w[0],
		         n > 1 ? " (and more: listed on the terminal after you quit)" : "");
}

int app_run(struct config *cfg, const char *theme)
{
	struct theme *t;
	struct feeds *feeds;
	struct errlog *errlog = NULL;
	struct ui ui;
	char *cause = NULL, *notice = NULL;

	if (app_keys(&cfg->keys) != 0)
		return 2;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kitetop: the dashboard needs a terminal (for scripts: kitetop status --json)\n");
		return 2;
	}
	if (term_check_cursor(&notice) != 0)
		return 2;
	if (notice != NULL)
		fprintf(stderr, "kitetop: %s\n", notice);
#ifdef M_ARENA_MAX
	/* a dozen threads that mostly wait: glibc would give each an arena of
	 * its own (about 1 MB resident more); two are plenty */
	mallopt(M_ARENA_MAX, 2);
#endif
	t = app_theme(cfg, theme);
	if (t == NULL)
		return 2;
	app_wake = wake_new(&cause);
	if (app_wake == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		theme_free(t);
		return 1;
	}
	if (cfg->log_path != NULL && (errlog = errlog_open(cfg->log_path, 0, &cause)) == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		free(notice);
		wake_free(app_wake);
		app_wake = NULL;
		theme_free(t);
		return 1;
	}
	feeds = feeds_new(cfg, app_wake);
	ui_init(&ui, cfg, feeds, app_wake, t);
	if (notice != NULL)
		ui_toast(&ui, "%s", notice);
	free(notice);
	app_theme_warnings(&ui, t);
	ui.errlog = errlog;
	ui.actions = actions_ui_new(app_wake);
	app_signals();
	app_curses_start(&ui);
	app_redraw(&ui, false);   /* the first frame, before any source answered */
	/* the event log is read after it: a month of a busy lab's events is a
	 * few hundred milliseconds, which the first frame must not wait for */
	ui_history_start(&ui);
	if (feeds_start(feeds, &cause) == -1) {
		app_restore_terminal();
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		actions_ui_free(ui.actions);
		ui_history_done(&ui);
		ui_done(&ui);
		feeds_free(feeds);
		errlog_free(errlog);
		return 1;
	}
	app_loop(&ui);
	app_restore_terminal();
	if (ui.logs != NULL)
		view_logs_close(&ui);   /* its thread uses the fleet's SSH session */
	view_svclogs_close(&ui);   /* so do a service's logs */
	view_detail_close(&ui);   /* so does the detail's */
	actions_ui_free(ui.actions);   /* so does a running action */
	kube_pick_free(&ui);
	ui_history_done(&ui);   /* its frame holds the feeds' snapshots */
	ui_done(&ui);
	feeds_free(feeds);
	errlog_free(errlog);
	wake_free(app_wake);
	app_wake = NULL;
	return app_quit_signal != 0 ? 128 + app_quit_signal : 0;
}

#define APP_REPLAY_SPARK_BACK 60   /* frames read back into the sparklines after a seek */

/* A recorded frame's figures into the sparklines (every recorded frame is
 * its sources' first poll: seq 1). */
static void app_replay_push(struct ui *ui, const struct frame *f)
{
	for (size_t h = 0; h < ui->cfg->nhosts; h++)
		ui->hist[h].seen_seq = 0;
	screen_update_history(ui, f);
}

/* The frame shown changed from `from` to `to`: the sparklines as they were
 * at `to` (one push when it moved one frame on, else the frames before it
 * read again), and its changes for the worse highlighted. */
static void app_replay_sync(struct ui *ui, size_t from, size_t to)
{
	size_t first = to > APP_REPLAY_SPARK_BACK ? to - APP_REPLAY_SPARK_BACK : 0;
	const struct frame *cur;

	if (from != (size_t)-1 && to == from + 1) {
		first = to;
	} else {
		for (size_t h = 0; h < ui->cfg->nhosts; h++) {
			sparkline_clear(ui->hist[h].cpu);
			sparkline_clear(ui->hist[h].mem);
			sparkline_clear(ui->hist[h].net);
		}
	}
	for (size_t i = first; i < to; i++) {
		struct frame f;

		if (replay_read_frame(ui->replay, i, &f) == 0) {
			app_replay_push(ui, &f);
			frame_release(&f);
		}
	}
	cur = replay_frame(ui->replay);
	if (cur != NULL) {
		app_replay_push(ui, cur);
		ui_changes_scan(ui, cur);
	}
}

/* One redraw of the replay: its frame (an empty one with the reason when
 * it cannot be read). */
static void app_replay_draw(struct ui *ui)
{
	const struct frame *f = replay_frame(ui->replay);
	struct frame empty;

	if (f != NULL) {
		app_draw(ui, f, false);
		return;
	}
	frame_init(&empty, ui->cfg);
	ui_toast(ui, "%s", replay_error(ui->replay));
	app_draw(ui, &empty, false);
	frame_release(&empty);
}

static void app_replay_loop(struct ui *ui)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = wake_fd(app_wake), .events = POLLIN },
	};
	bool dirty = true;

	while (app_quit_signal == 0) {
		int64_t now = time_mono_ms(), due = 0, timeout = APP_IDLE_MS;
		size_t from, to;
		int key;

		if (replay_tick(ui, now, &due))
			dirty = true;
		if (replay_moved(ui->replay, &from, &to)) {
			app_replay_sync(ui, from, to);
			dirty = true;
		}
		if (dirty || (ui->next_change != 0 && now >= ui->next_change)) {
			app_replay_draw(ui);
			dirty = false;
		}
		if (due != 0)
			timeout = due > now ? due - now : 0;
		if (ui->next_change != 0 && ui->next_change - now < timeout)
			timeout = ui->next_change > now ? ui->next_change - now : 0;
		if (poll(pfd, 2, (int)timeout) == -1 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN)
			wake_drain(app_wake);
		while ((key = getch()) != ERR) {
			dirty = true;
			if (key == KEY_RESIZE)
				continue;
			app_key(ui, key);
			if (ui->quit)
				return;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
	}
}

int app_replay(const char *path, const char *theme)
{
	struct replay *r;
	struct theme *t;
	struct ui ui;
	char *cause = NULL, *notice = NULL;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kitetop: a replay needs a terminal\n");
		return 2;
	}
	if (term_check_cursor(&notice) != 0)
		return 2;
	if (notice != NULL)
		fprintf(stderr, "kitetop: %s\n", notice);
	free(notice);
	if (app_keys(NULL) != 0)
		return 2;
	r = replay_open(path, &cause);
	if (r == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return 1;
	}
	t = app_theme(replay_config(r), theme);
	app_wake = t != NULL ? wake_new(&cause) : NULL;
	if (app_wake == NULL) {
		if (t != NULL)
			fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		theme_free(t);
		replay_free(r);
		return 2;
	}
	ui_init(&ui, replay_config(r), NULL, app_wake, t);
	ui.replay = r;
	app_signals();
	app_curses_start(&ui);
	app_replay_loop(&ui);
	app_restore_terminal();
	ui_history_done(&ui);
	ui_done(&ui);
	replay_free(r);
	wake_free(app_wake);
	app_wake = NULL;
	return app_quit_signal != 0 ? 128 + app_quit_signal : 0;
}
