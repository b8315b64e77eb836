/* test_screen_golden — the overview drawn from a recorded frame (a frame's
 * JSON, tests/fixtures/frames/kitestacks-lab.json, read by frame_json) at
 * 200x50 and 80x24, compared line by line with the golden screens in
 * tests/fixtures/screens/.  No daemon and no terminal: the screen is a
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
	screen_draw(&ui, &f, pad, rows, cols, f.taken_mono_ms);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview_200x50_matches_golden),
		cmocka_unit_test(test_overview_80x24_matches_golden),
		cmocka_unit_test(test_overview_marks_figures_over_thresholds),
	};

	setlocale(LC_ALL, "C.UTF-8");
	setenv("KITETOP_FRAMES_SECRET", "not-used", 1);   /* the configuration's password_env */
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
