/* test_widgets_draw — the widgets drawing on a real curses screen (newterm on
 * TERM=xterm-256color writing to /dev/null), read back cell by cell. */
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

#include "widgets/gauge.h"
#include "widgets/keybar.h"
#include "widgets/palette.h"
#include "widgets/panel.h"
#include "widgets/provide_curses.h"
#include "widgets/sparkline.h"
#include "widgets/text.h"
#include "widgets/theme.h"

int main(void);

struct screen_fixture {
	FILE *out, *in;
	SCREEN *screen;
	WINDOW *win;
	struct theme *theme;
	struct palette pal;
};

static int setup(void **state)
{
	struct screen_fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	f->out = fopen("/dev/null", "w");
	f->in = fopen("/dev/null", "r");
	if (f->out == NULL || f->in == NULL)
		return -1;
	f->screen = newterm("xterm-256color", f->out, f->in);
	if (f->screen == NULL)
		return -1;
	set_term(f->screen);
	start_color();
	use_default_colors();
	f->win = newwin(12, 40, 0, 0);
	f->theme = theme_new_default();
	palette_init(&f->pal, f->theme, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct screen_fixture *f = *state;

	delwin(f->win);
	endwin();
	delscreen(f->screen);
	fclose(f->out);
	fclose(f->in);
	theme_free(f->theme);
	free(f);
	return 0;
}

/* The character and colour pair of a cell. */
static wchar_t cell(WINDOW *w, int y, int x, short *pair, attr_t *attrs)
{
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a = 0;
	short p = 0;

	if (mvwin_wch(w, y, x, &cc) == ERR)
		fail_msg("no cell at %d,%d", y, x);
	getcchar(&cc, wc, &a, &p, NULL);
	if (pair != NULL)
		*pair = p;
	if (attrs != NULL)
		*attrs = a;
	return wc[0];
}

static void expect_cell(WINDOW *w, int y, int x, wchar_t want, enum theme_role role,
			const struct palette *pal)
{
	short pair;
	attr_t a;
	wchar_t got = cell(w, y, x, &pair, &a);

	if (got != want)
		fail_msg("cell %d,%d is U+%04X, want U+%04X", y, x, (unsigned)got, (unsigned)want);
	if ((int)role >= 0 && pair != PAIR_NUMBER(pal->attr[role]))
		fail_msg("cell %d,%d has pair %d, want %d (%s)", y, x, pair,
			 (int)PAIR_NUMBER(pal->attr[role]), theme_role_name(role));
}

/* The row's text from x, n cells, as UTF-8. */
static void row_text(WINDOW *w, int y, int x, int n, char *out, size_t outsz)
{
	size_t used = 0;
	int i;

	for (i = 0; i < n; i++) {
		char mb[MB_LEN_MAX + 1];
		mbstate_t st;
		size_t k;

		memset(&st, 0, sizeof st);
		k = wcrtomb(mb, cell(w, y, x + i, NULL, NULL), &st);
		if (k == (size_t)-1 || used + k >= outsz)
			break;
		memcpy(out + used, mb, k);
		used += k;
	}
	out[used] = '\0';
}

static void test_palette_pairs_match_the_theme_in_256_colours(void **state)
{
	struct screen_fixture *f = *state;
	int i;

	assert_true(f->pal.color);
	assert_int_equal(COLORS, 256);
	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_color *c = theme_get(f->theme, (enum theme_role)i);
		short fg, bg;

		assert_int_equal(PAIR_NUMBER(f->pal.attr[i]), i + 1);
		assert_int_equal(pair_content((short)(i + 1), &fg, &bg), OK);
		assert_int_equal(fg, palette_color_number(&c->fg, 256));
		assert_int_equal(bg, palette_color_number(&c->bg, 256));
	}
	/* The title is #7aa2f7 bold: 256-colour 111, bold. */
	assert_int_equal(palette_color_number(&theme_get(f->theme, THEME_TITLE)->fg, 256), 111);
	assert_true(f->pal.attr[THEME_TITLE] & A_BOLD);
	assert_int_equal(palette_color_number(&theme_get(f->theme, THEME_TITLE)->fg, 16), 12);
	assert_int_equal(palette_color_number(&theme_get(f->theme, THEME_TITLE)->fg, 8), 4);
	assert_int_equal(palette_color_number(&theme_get(f->theme, THEME_DEFAULT)->fg, 256), -1);
}

static void test_no_color_is_mono_without_pairs_empty_ignored(void **state)
{
	struct screen_fixture *f = *state;
	struct palette p;

	setenv("NO_COLOR", "1", 1);
	palette_init(&p, f->theme, false);
	unsetenv("NO_COLOR");
	assert_false(p.color);
	assert_false(p.utf8);
	/* Meaning still there: attributes only, no pair. */
	assert_int_equal(p.attr[THEME_SELECTION], A_REVERSE);
	assert_int_equal(p.attr[THEME_DIM], A_DIM);
	assert_int_equal(p.attr[THEME_CRIT], A_BOLD | A_REVERSE);
	assert_int_equal(p.attr[THEME_DEFAULT], A_NORMAL);
	assert_int_equal(PAIR_NUMBER(p.attr[THEME_TITLE]), 0);

	/* What NO_COLOR gives is what mono.theme says, less the colour pairs. */
	{
		char *cause = NULL;
		struct theme *mono = theme_load("mono", NULL, &cause);
		struct palette m;
		int i;

		assert_non_null(mono);
		palette_init(&m, mono, false);
		assert_true(m.color);
		for (i = 0; i < THEME_NROLES; i++)
			if ((m.attr[i] & ~A_COLOR) != p.attr[i])
				fail_msg("mono.theme and NO_COLOR differ for %s",
					 theme_role_name((enum theme_role)i));
		theme_free(mono);
	}

	/* An empty NO_COLOR does not count (no-color.org). */
	setenv("NO_COLOR", "", 1);
	palette_init(&p, f->theme, true);
	unsetenv("NO_COLOR");
	assert_true(p.color);

	/* Re-callable: switching themes redefines the pairs. */
	{
		char *cause = NULL;
		struct theme *hc = theme_load("high-contrast", NULL, &cause);
		short fg, bg;

		assert_non_null(hc);
		palette_init(&p, hc, true);
		assert_int_equal(pair_content(THEME_TITLE + 1, &fg, &bg), OK);
		assert_int_equal(fg, 226);   /* #ffff00 */
		assert_int_equal(bg, 16);    /* #000000 */
		theme_free(hc);
		palette_init(&f->pal, f->theme, true);
	}
}

static void test_utf8_wanted_for_utf8_locales_but_not_linux_vt(void **state)
{
	assert_true(palette_want_utf8("UTF-8", "xterm-256color"));
	assert_true(palette_want_utf8("utf8", "tmux-256color"));
	assert_true(palette_want_utf8("UTF-8", NULL));
	assert_false(palette_want_utf8("ANSI_X3.4-1968", "xterm-256color"));
	assert_false(palette_want_utf8("ISO-8859-1", "xterm"));
	assert_false(palette_want_utf8(NULL, "xterm"));
	assert_false(palette_want_utf8("UTF-8", "linux"));
	assert_false(palette_want_utf8("UTF-8", "vt100"));
	assert_false(palette_want_utf8("UTF-8", "vt220"));
	assert_false(palette_want_utf8("UTF-8", "dumb"));
}

static void test_panel_utf8_borders_titles_focus_and_clipping(void **state)
{
	struct screen_fixture *f = *state;
	struct rect in;
	char text[128];

	werase(f->win);
	in = panel_draw(f->win, rect_make(1, 2, 5, 20), &f->pal, "CPU", "3s", false);
	assert_int_equal(in.y, 2);
	assert_int_equal(in.x, 3);
	assert_int_equal(in.h, 3);
	assert_int_equal(in.w, 18);
	expect_cell(f->win, 1, 2, 0x250c, THEME_BORDER, &f->pal);    /* ┌ */
	expect_cell(f->win, 1, 21, 0x2510, THEME_BORDER, &f->pal);   /* ┐ */
	expect_cell(f->win, 5, 2, 0x2514, THEME_BORDER, &f->pal);    /* └ */
	expect_cell(f->win, 5, 21, 0x2518, THEME_BORDER, &f->pal);   /* ┘ */
	expect_cell(f->win, 1, 3, 0x2500, THEME_BORDER, &f->pal);    /* ─ */
	expect_cell(f->win, 5, 10, 0x2500, THEME_BORDER, &f->pal);
	expect_cell(f->win, 3, 2, 0x2502, THEME_BORDER, &f->pal);    /* │ */
	expect_cell(f->win, 3, 21, 0x2502, THEME_BORDER, &f->pal);
	expect_cell(f->win, 1, 5, L'C', THEME_TITLE, &f->pal);
	row_text(f->win, 1, 2, 20, text, sizeof text);
	assert_string_equal(text, "┌─ CPU ─────── 3s ─┐");
	row_text(f->win, 3, 2, 20, text, sizeof text);
	assert_string_equal(text, "│                  │");

	/* Focused: heavy lines, in the focus colour. */
	panel_draw(f->win, rect_make(1, 2, 5, 20), &f->pal, "CPU", NULL, true);
	expect_cell(f->win, 1, 2, 0x250f, THEME_BORDER_FOCUS, &f->pal);   /* ┏ */
	expect_cell(f->win, 5, 21, 0x251b, THEME_BORDER_FOCUS, &f->pal);  /* ┛ */
	row_text(f->win, 1, 2, 20, text, sizeof text);
	assert_string_equal(text, "┏━ CPU ━━━━━━━━━━━━┓");

	/* A long title is clipped, and the right title dropped, inside the border. */
	panel_draw(f->win, rect_make(1, 2, 3, 12), &f->pal, "a very long title", "12s", false);
	row_text(f->win, 1, 2, 12, text, sizeof text);
	assert_string_equal(text, "┌─ a very ─┐");

	/* Too small to draw. */
	in = panel_draw(f->win, rect_make(0, 0, 1, 10), &f->pal, "x", NULL, false);
	assert_int_equal(in.h, 0);
	assert_int_equal(in.w, 0);
}

static void test_panel_ascii_borders_plain_and_focused(void **state)
{
	struct screen_fixture *f = *state;
	struct palette p = f->pal;
	char text[128];

	p.utf8 = false;
	werase(f->win);
	panel_draw(f->win, rect_make(0, 0, 3, 10), &p, "Net", NULL, false);
	row_text(f->win, 0, 0, 10, text, sizeof text);
	assert_string_equal(text, "+- Net --+");
	row_text(f->win, 1, 0, 10, text, sizeof text);
	assert_string_equal(text, "|        |");
	row_text(f->win, 2, 0, 10, text, sizeof text);
	assert_string_equal(text, "+--------+");
	assert_int_equal(mvwinch(f->win, 0, 0) & A_CHARTEXT, '+');
	assert_int_equal(PAIR_NUMBER(mvwinch(f->win, 1, 0)), THEME_BORDER + 1);
	panel_draw(f->win, rect_make(0, 0, 3, 10), &p, NULL, NULL, true);
	row_text(f->win, 2, 0, 10, text, sizeof text);
	assert_string_equal(text, "+========+");
}

static void test_gauge_bar_levels_stale_ascii_and_narrow(void **state)
{
	struct screen_fixture *f = *state;
	struct palette p = f->pal;
	char text[128];
	int x;

	werase(f->win);
	/* 20 columns: "CPU" 3, space, bar 12, space, "50%" 3. */
	gauge_draw(f->win, rect_make(6, 0, 1, 20), &f->pal, "CPU", 50.0, "50%", false);
	row_text(f->win, 6, 0, 20, text, sizeof text);
	assert_string_equal(text, "CPU ██████······ 50%");
	expect_cell(f->win, 6, 0, L'C', THEME_LABEL, &f->pal);
	for (x = 4; x < 10; x++)
		expect_cell(f->win, 6, x, 0x2588, THEME_GAUGE_LOW, &f->pal);
	expect_cell(f->win, 6, 10, 0x00b7, THEME_BORDER, &f->pal);
	expect_cell(f->win, 6, 17, L'5', THEME_VALUE, &f->pal);

	/* Level colours; stale is dim all along. */
	gauge_draw(f->win, rect_make(6, 0, 1, 20), &f->pal, "CPU", 70.0, "70%", false);
	expect_cell(f->win, 6, 4, 0x2588, THEME_GAUGE_MID, &f->pal);
	gauge_draw(f->win, rect_make(6, 0, 1, 20), &f->pal, "CPU", 90.0, "90%", false);
	expect_cell(f->win, 6, 4, 0x2588, THEME_GAUGE_HIGH, &f->pal);
	gauge_draw(f->win, rect_make(6, 0, 1, 20), &f->pal, "CPU", 90.0, "90%", true);
	expect_cell(f->win, 6, 0, L'C', THEME_DIM, &f->pal);
	expect_cell(f->win, 6, 4, 0x2588, THEME_DIM, &f->pal);
	expect_cell(f->win, 6, 17, L'9', THEME_DIM, &f->pal);

	/* A shorter value after a longer one leaves nothing behind. */
	gauge_draw(f->win, rect_make(6, 0, 1, 20), &f->pal, "CPU", -1.0, "n/a", false);
	row_text(f->win, 6, 0, 20, text, sizeof text);
	assert_string_equal(text, "CPU ·····?······ n/a");

	/* ASCII. */
	p.utf8 = false;
	gauge_draw(f->win, rect_make(7, 0, 1, 20), &p, "mem", 25.0, "1.0G", false);
	row_text(f->win, 7, 0, 20, text, sizeof text);
	assert_string_equal(text, "mem [##-------] 1.0G");   /* 25 % of 9 */
	expect_cell(f->win, 7, 4, L'[', THEME_BORDER, &p);
	expect_cell(f->win, 7, 5, L'#', THEME_GAUGE_LOW, &p);
	expect_cell(f->win, 7, 7, L'-', THEME_BORDER, &p);

	/* Too narrow for a bar: label and value only, the value clipped. */
	gauge_draw(f->win, rect_make(8, 0, 1, 8), &f->pal, "disk", 10.0, "123.4G", false);
	row_text(f->win, 8, 0, 8, text, sizeof text);
	assert_string_equal(text, "disk 123");
}

static void test_sparkline_newest_values_right_aligned(void **state)
{
	struct screen_fixture *f = *state;
	struct sparkline *s = sparkline_new(64);
	struct palette p = f->pal;
	char text[128], want[128];
	double v[8];
	int i;

	werase(f->win);
	for (i = 0; i < 20; i++)
		sparkline_push(s, i % 5);
	/* 4 cells of braille: the newest 8 values. */
	for (i = 0; i < 8; i++)
		v[i] = sparkline_at(s, 12 + (size_t)i);
	sparkline_encode(v, 8, 4.0, 1, SPARK_BRAILLE, want, sizeof want);
	sparkline_draw(s, f->win, rect_make(9, 10, 1, 4), &f->pal, 4.0);
	row_text(f->win, 9, 10, 4, text, sizeof text);
	assert_string_equal(text, want);
	assert_string_equal(text, "⣴⡇⣠⣾");   /* 2 3, 4 0, 1 2, 3 4 */
	expect_cell(f->win, 9, 10, 0x28f4, THEME_SPARK, &f->pal);

	/* Fewer values than room: right-aligned. */
	sparkline_clear(s);
	sparkline_push(s, 4);
	sparkline_push(s, 4);
	sparkline_draw(s, f->win, rect_make(9, 10, 1, 4), &f->pal, 4.0);
	row_text(f->win, 9, 10, 4, text, sizeof text);
	assert_string_equal(text, "   ⣿");

	/* ASCII, two rows. */
	p.utf8 = false;
	sparkline_push(s, 1);
	sparkline_push(s, 2);
	sparkline_draw(s, f->win, rect_make(9, 10, 2, 4), &p, 4.0);
	row_text(f->win, 9, 10, 4, text, sizeof text);
	assert_string_equal(text, "||  ");
	row_text(f->win, 10, 10, 4, text, sizeof text);
	assert_string_equal(text, "||:|");
	sparkline_free(s);
}

static void test_keybar_draws_the_items_that_fit(void **state)
{
	struct screen_fixture *f = *state;
	static const struct keybar_item items[] = {
		{ "q", "quit" }, { "?", "help" }, { "T", "theme" },
	};
	char text[128];

	werase(f->win);
	keybar_draw(f->win, rect_make(11, 0, 1, 20), &f->pal, items, 3);
	row_text(f->win, 11, 0, 20, text, sizeof text);
	assert_string_equal(text, " q  quit  ?  help   ");
	expect_cell(f->win, 11, 1, L'q', THEME_KEY, &f->pal);
	expect_cell(f->win, 11, 4, L'q', THEME_KEYBAR, &f->pal);
	expect_cell(f->win, 11, 19, L' ', THEME_KEYBAR, &f->pal);
}

static void test_text_put_clips_wide_and_replaces_unprintable(void **state)
{
	struct screen_fixture *f = *state;
	char text[128];

	werase(f->win);
	assert_int_equal(text_put(f->win, 0, 0, 5, f->pal.attr[THEME_VALUE], "日本語"), 4);
	row_text(f->win, 0, 0, 1, text, sizeof text);
	assert_string_equal(text, "日");
	assert_int_equal(text_put(f->win, 1, 0, 10, f->pal.attr[THEME_VALUE], "a\tb\xff"), 4);
	row_text(f->win, 1, 0, 4, text, sizeof text);
	assert_string_equal(text, "a?b?");
	/* Unassigned in Unicode: not printable here, drawn as U+FFFD, one column. */
	assert_int_equal(text_put(f->win, 2, 0, 10, 0, "\xcd\xb8x"), 2);
	assert_int_equal(cell(f->win, 2, 0, NULL, NULL), 0xfffd);
	assert_int_equal(cell(f->win, 2, 1, NULL, NULL), L'x');
	assert_int_equal(text_put(f->win, 3, 0, 0, 0, "x"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_palette_pairs_match_the_theme_in_256_colours),
		cmocka_unit_test(test_no_color_is_mono_without_pairs_empty_ignored),
		cmocka_unit_test(test_utf8_wanted_for_utf8_locales_but_not_linux_vt),
		cmocka_unit_test(test_panel_utf8_borders_titles_focus_and_clipping),
		cmocka_unit_test(test_panel_ascii_borders_plain_and_focused),
		cmocka_unit_test(test_gauge_bar_levels_stale_ascii_and_narrow),
		cmocka_unit_test(test_sparkline_newest_values_right_aligned),
		cmocka_unit_test(test_keybar_draws_the_items_that_fit),
		cmocka_unit_test(test_text_put_clips_wide_and_replaces_unprintable),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
