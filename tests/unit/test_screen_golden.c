/* test_screen_golden — the overview drawn from a recorded frame (a frame's
 * JSON, tests/fixtures/frames/kitestacks-lab.json, read by frame_json) at
 * 200x50, 80x24, 50x20 and 40x15, compared line by line with the golden
 * screens in tests/fixtures/screens/; what the header and the selection
 * say at those sizes.  No daemon and no terminal: the screen is a
 * curses pad on /dev/null, read back cell by cell.
 *
 * After a deliberate change of the overview, KT_UPDATE_GOLDEN=1 rewrites the
 * golden files from what is drawn (then read the diff before committing). */
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"
#include "core/model/frame_json.h"
#include "tui/keys.h"
#include "tui/screen.h"
#include "tui/ui.h"
#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/theme.h"
#include "tests/support/fixture.h"

/* The text of a drawn window, a line per row, trailing blanks cut. */
static void window_text(WINDOW *w, int rows, int cols, struct buf *out)
{
	for (int y = 0; y < rows; y++) {
		size_t start = out->len, keep;

		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1] = { 0 };
			attr_t a;
			short pair;
			char mb[MB_LEN_MAX + 1];
			size_t n;

			if (mvwin_wch(w, y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
				fail_msg("no cell at %d,%d", y, x);
			n = wcrtomb(mb, wc[0] != 0 ? wc[0] : L' ', NULL);
			buf_append(out, mb, n == (size_t)-1 ? 0 : n);
		}
		keep = out->len;
		while (keep > start && out->data[keep - 1] == ' ')
			keep--;
		out->len = keep;
		buf_append(out, "\n", 1);
	}
}

/* Called (when set) after the draw with the ui and the frame drawn; then
 * prepare (when set) before it. */
static void (*inspect)(struct ui *ui, const struct frame *f);
static void (*prepare)(struct ui *ui);

/* The overview of the recorded frame at rows x cols, as text, with the
 * lab's configuration and extra (may be NULL) appended to it. */
static char *draw_overview_with(int rows, int cols, const char *extra, bool utf8)
{
	char *cause = NULL, *json, *conf = fixture_read("frames", "kitestacks-lab.conf", NULL);
	char *text = xasprintf("%s%s", conf, extra != NULL ? extra : "");
	size_t len;
	struct config *cfg = config_parse(FIXTURE_DIR "/frames/kitestacks-lab.conf", text,
	                                  strlen(text), &cause);
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	WINDOW *pad;
	struct frame f;
	struct ui ui;
	struct buf out_text;

	if (cfg == NULL)
		fail_msg("%s", cause);
	json = fixture_read("frames", "kitestacks-lab.json", &len);
	if (frame_json_read(&f, cfg, json, len, &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm("xterm-256color", out, in);
	assert_non_null(scr);
	set_term(scr);
	start_color();
	use_default_colors();
	pad = newpad(rows, cols);
	assert_non_null(pad);
	/* as the app does before its first frame: the footer names the keys */
	keys_init(&(struct keys_special){ .btab = KEY_BTAB, .left = KEY_LEFT, .right = KEY_RIGHT,
		.down = KEY_DOWN, .up = KEY_UP, .npage = KEY_NPAGE, .ppage = KEY_PPAGE,
		.home = KEY_HOME, .end = KEY_END, .enter = KEY_ENTER, .backspace = KEY_BACKSPACE,
		.f0 = KEY_F0 });
	ui_init(&ui, cfg, NULL, NULL, theme_new_default());
	ui.utf8 = utf8;
	palette_init(&ui.pal, ui.theme, ui.utf8);
	if (prepare != NULL)
		prepare(&ui);
	screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
	if (inspect != NULL)
		inspect(&ui, &f);
	buf_init(&out_text);
	window_text(pad, rows, cols, &out_text);
	ui_done(&ui);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	frame_release(&f);
	free(json);
	config_free(cfg);
	free(text);
	free(conf);
	return buf_steal(&out_text);
}

static char *draw_overview(int rows, int cols)
{
	return draw_overview_with(rows, cols, NULL, true);
}

static void compare_with_golden(const char *name, const char *got)
{
	char *path = xasprintf(FIXTURE_DIR "/screens/%s", name), *want;
	size_t len;

	if (getenv("KT_UPDATE_GOLDEN") != NULL) {
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs(got, fp);
		fclose(fp);
	}
	want = fixture_read("screens", name, &len);
	if (strcmp(got, want) != 0) {
		const char *g = got, *w = want;
		int line = 1;

		while (*g != '\0' && *g == *w) {
			line += *g == '\n';
			g++;
			w++;
		}
		print_error("drawn:\n%s", got);
		fail_msg("%s differs from the drawn screen at line %d", path, line);
	}
	free(want);
	free(path);
}

static void test_overview_200x50_matches_golden(void **state)
{
	char *got = draw_overview(50, 200);

	(void)state;
	/* the recorded frame's facts are on the screen */
	assert_non_null(strstr(got, "monk"));
	assert_non_null(strstr(got, "kscloud1"));
	compare_with_golden("overview-200x50.txt", got);
	free(got);
}

static void test_overview_80x24_matches_golden(void **state)
{
	char *got = draw_overview(24, 80);

	(void)state;
	assert_non_null(strstr(got, "monk"));
	compare_with_golden("overview-80x24.txt", got);
	free(got);
}

/* Figures over the thresholds in force carry a mark as well as a colour:
 * monk's CPU (23.4%) over cpu_warn, both hosts' memory over mem_crit;
 * kscloud1's CPU (17.9%) and the disks (71.8%) under theirs, unmarked. */
static void test_overview_marks_figures_over_thresholds(void **state)
{
	static const char extra[] = "\n[alerts]\ncpu_warn = 20\ncpu_crit = 90\nmem_warn = 50\nmem_crit = 55\n";
	char *got = draw_overview_with(24, 80, extra, true);

	(void)state;
	assert_non_null(strstr(got, "\xe2\x94\x83" "CPU \xe2\x96\x88"));
	assert_non_null(strstr(got, "\xe2\x96\xb2 23.4%   0s"));   /* ▲ */
	assert_non_null(strstr(got, "   17.9%   0s"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 61.2%   0s"));   /* ✖ */
	assert_non_null(strstr(got, "\xe2\x9c\x96 58.3%   0s"));
	assert_non_null(strstr(got, "   71.8%   0s"));
	free(got);
	got = draw_overview_with(24, 80, extra, false);
	assert_non_null(strstr(got, "! 23.4%   0s"));
	assert_non_null(strstr(got, "X 61.2%   0s"));
	free(got);
}

/* The first line of a drawn screen (the header). */
static char *first_line(const char *got)
{
	return xstrndup(got, strcspn(got, "\n"));
}

/* B2: at every size the header keeps the overall level and the worst
 * reason (the recorded frame: warn, a container down or missing first). */
static void test_header_keeps_level_and_reason(void **state)
{
	static const int sizes[][2] = { { 50, 200 }, { 24, 80 }, { 24, 88 }, { 20, 50 }, { 15, 40 } };

	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *got = draw_overview(sizes[i][0], sizes[i][1]);
		char *head = first_line(got);

		if (strstr(head, "warn: monk: k") == NULL || (strstr(head, " more") == NULL && strstr(head, " +6") == NULL))
			fail_msg("%dx%d: no level and reason in the header: \"%s\"", sizes[i][1], sizes[i][0], head);
		free(head);
		free(got);
	}
}

static void test_overview_50x20_matches_golden(void **state)
{
	char *got = draw_overview(20, 50);

	(void)state;
	/* one host, its tab and the other's, each with its level's glyph */
	assert_non_null(strstr(got, "\n \xe2\x96\xb2 monk  \xe2\x96\xb2 kscloud1"));
	assert_non_null(strstr(got, "\xe2\x9c\x96 \xe2\x89\xa0kavita"));
	compare_with_golden("overview-50x20.txt", got);
	free(got);
}

static void test_overview_40x15_matches_golden(void **state)
{
	char *got = draw_overview(15, 40);

	(void)state;
	/* one list across the hosts, worst first */
	assert_non_null(strstr(got, "kavita@monk exited"));
	assert_non_null(strstr(got, "kite-litellm@kscloud1 missing"));
	assert_non_null(strstr(got, "karakeep@kscloud1 unhealthy"));
	assert_non_null(strstr(got, "healthy folded"));
	compare_with_golden("overview-40x15.txt", got);
	free(got);
}

static void read_only(struct ui *ui)
{
	ui->cfg->read_only = true;
}

static void test_read_only_badge(void **state)
{
	char *got, *head;

	(void)state;
	prepare = read_only;
	got = draw_overview(24, 80);
	prepare = NULL;
	head = first_line(got);
	assert_non_null(strstr(head, "[read-only]"));
	assert_non_null(strstr(head, "warn: "));
	free(head);
	free(got);
}

/* B23: the header's tabs as drawn, for clicks. */
static void check_tabs(struct ui *ui, const struct frame *f)
{
	(void)f;
	/* 80 columns: " kitetop  1 Overview  2  3  4 ..." */
	assert_int_equal(screen_tab_at(ui, 0, 12), UI_VIEW_OVERVIEW);
	assert_int_equal(screen_tab_at(ui, 0, 25), UI_VIEW_DATA);
	assert_int_equal(screen_tab_at(ui, 0, 2), -1);       /* the title */
	assert_int_equal(screen_tab_at(ui, 1, 25), -1);      /* not the header */
	assert_int_equal(screen_tab_at(ui, 0, 79), -1);      /* the level */
}

static void test_header_tab_hit(void **state)
{
	(void)state;
	inspect = check_tabs;
	free(draw_overview(24, 80));
	inspect = NULL;
}

/* B3: the single list (40x15) shows no row selected: nothing is; in
 * another view the overview's rows are not a selection either. */
static void check_no_selection(struct ui *ui, const struct frame *f)
{
	(void)f;
	assert_null(ui_selected_name(ui));
	ui_list_move(ui, 1);              /* j: the worst row, its host focused */
	assert_string_equal(ui_selected_name(ui), "kavita");
	assert_int_equal(ui->host, 0);
	ui_list_move(ui, 1);
	assert_string_equal(ui_selected_name(ui), "kite-litellm");
	assert_int_equal(ui->host, 1);
}

static void check_other_view(struct ui *ui, const struct frame *f)
{
	(void)f;
	assert_string_equal(ui_selected_name(ui), "kavita");
	ui->view = UI_VIEW_SERVICES;
	assert_null(ui_selected_name(ui));
	ui->view = UI_VIEW_OVERVIEW;
	ui->host = 1;                     /* Tab typed before the next frame */
	assert_null(ui_selected_name(ui));
}

static void test_selection_only_as_shown(void **state)
{
	(void)state;
	inspect = check_no_selection;
	free(draw_overview(15, 40));
	inspect = check_other_view;
	free(draw_overview(24, 80));
	inspect = NULL;
}

/* B16: kscloud1's kite-litellm is a placeholder (configured, not there);
 * karakeep is there. */
static void focus_kscloud1(struct ui *ui)
{
	ui->host = 1;
}

static void check_missing(struct ui *ui, const struct frame *f)
{
	assert_string_equal(ui_selected_name(ui), "kite-litellm");
	assert_true(ui_row_missing(f, 1, "kite-litellm"));
	assert_false(ui_row_missing(f, 1, "karakeep"));
	assert_false(ui_row_missing(f, 0, "kite-litellm"));
}

static void test_missing_row(void **state)
{
	(void)state;
	prepare = focus_kscloud1;
	inspect = check_missing;
	free(draw_overview(24, 80));
	prepare = NULL;
	inspect = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview_200x50_matches_golden),
		cmocka_unit_test(test_overview_80x24_matches_golden),
		cmocka_unit_test(test_overview_marks_figures_over_thresholds),
		cmocka_unit_test(test_header_keeps_level_and_reason),
		cmocka_unit_test(test_overview_50x20_matches_golden),
		cmocka_unit_test(test_overview_40x15_matches_golden),
		cmocka_unit_test(test_read_only_badge),
		cmocka_unit_test(test_header_tab_hit),
		cmocka_unit_test(test_selection_only_as_shown),
		cmocka_unit_test(test_missing_row),
	};

	setlocale(LC_ALL, "C.UTF-8");
	setenv("KITETOP_FRAMES_SECRET", "not-used", 1);   /* the configuration's password_env */
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
