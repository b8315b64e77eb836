/* Unit tests: the dialog widget (widgets/dialog): its keys, wrapping and
 * box, and drawing on a real curses screen (newterm to /dev/null). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <limits.h>

#include <cmocka.h>

#include "widgets/dialog.h"
#include "widgets/palette.h"
#include "widgets/theme.h"

static char *line_of(const char *text, const struct dialog_line *l)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%.*s", (int)l->len, text + l->off);
	return buf;
}

static void test_only_y_confirms_and_enter_means_no(void **state)
{
	assert_int_equal(dialog_confirm_key('y'), DIALOG_YES);
	assert_int_equal(dialog_confirm_key('Y'), DIALOG_YES);
	assert_int_equal(dialog_confirm_key('n'), DIALOG_NO);
	assert_int_equal(dialog_confirm_key(27), DIALOG_NO);     /* Esc */
	assert_int_equal(dialog_confirm_key('\r'), DIALOG_NO);   /* Enter: the default, No */
	assert_int_equal(dialog_confirm_key('r'), DIALOG_NO);    /* a second r does not confirm */
	assert_non_null(strstr(dialog_hint(DIALOG_CONFIRM), "y yes"));
	assert_non_null(strstr(dialog_hint(DIALOG_CONFIRM), "no"));
	assert_non_null(strstr(dialog_hint(DIALOG_PROGRESS), "the action goes on"));
	assert_string_equal(dialog_hint(DIALOG_PROGRESS_CANCEL), "Esc cancels it (what is done stays done)");
}

static void test_wrap_at_words_cuts_long_words_counts_columns(void **state)
{
	struct dialog_line l[8];
	const char *t = "Restart grafana on monk?";
	size_t n;

	n = dialog_wrap(t, 40, l, 8);
	assert_int_equal(n, 1);
	assert_string_equal(line_of(t, &l[0]), t);
	n = dialog_wrap(t, 12, l, 8);
	assert_int_equal(n, 3);
	assert_string_equal(line_of(t, &l[0]), "Restart");
	assert_string_equal(line_of(t, &l[1]), "grafana on");
	assert_string_equal(line_of(t, &l[2]), "monk?");
	/* a word longer than the width is cut */
	t = "kitestacks-metrics-api restarted";
	n = dialog_wrap(t, 10, l, 8);
	assert_int_equal(n, 4);
	assert_string_equal(line_of(t, &l[0]), "kitestacks");
	assert_string_equal(line_of(t, &l[1]), "-metrics-a");
	assert_string_equal(line_of(t, &l[2]), "pi");
	assert_string_equal(line_of(t, &l[3]), "restarted");
	/* a newline ends a line (a drain's plan is lines); the last one's is dropped */
	t = "Drain panther: cordon it\nevict (2): a/b, c/d\n";
	n = dialog_wrap(t, 40, l, 8);
	assert_int_equal(n, 2);
	assert_string_equal(line_of(t, &l[0]), "Drain panther: cordon it");
	assert_string_equal(line_of(t, &l[1]), "evict (2): a/b, c/d");
	n = dialog_wrap(t, 14, l, 8);
	assert_int_equal(n, 4);
	assert_string_equal(line_of(t, &l[0]), "Drain panther:");
	assert_string_equal(line_of(t, &l[1]), "cordon it");
	assert_string_equal(line_of(t, &l[2]), "evict (2):");
	assert_string_equal(line_of(t, &l[3]), "a/b, c/d");
	/* at most max lines; the empty text is one empty line */
	assert_int_equal(dialog_wrap("a b c d e f", 1, l, 3), 3);
	assert_int_equal(dialog_wrap("", 10, l, 8), 1);
	assert_int_equal(l[0].len, 0);
	/* UTF-8 counts columns, not bytes */
	t = "日本語 日本語";
	n = dialog_wrap(t, 6, l, 8);
	assert_int_equal(n, 2);
	assert_string_equal(line_of(t, &l[0]), "日本語");
	assert_string_equal(line_of(t, &l[1]), "日本語");
}

static void test_box_centred_grows_with_detail_and_clips(void **state)
{
	struct dialog d = { DIALOG_CONFIRM, "Restart", "Restart grafana on monk?", NULL, false };
	struct rect r = dialog_rect(&d, rect_make(1, 0, 23, 80));

	/* centred; text, blank, hint inside a border */
	assert_int_equal(r.h, 3 + 2);
	assert_int_equal(r.w, DIALOG_MIN_W);
	assert_int_equal(r.x, (80 - DIALOG_MIN_W) / 2);
	assert_int_equal(r.y, 1 + (23 - 5) / 2);
	d.detail = "grafana is running (up 3h12m)";
	r = dialog_rect(&d, rect_make(0, 0, 24, 80));
	assert_int_equal(r.h, 5 + 2);
	/* a narrow area: the box takes it all and the text wraps */
	r = dialog_rect(&d, rect_make(0, 0, 24, 20));
	assert_int_equal(r.w, 20);
	assert_true(r.h > 7);
	/* a low area: clipped */
	r = dialog_rect(&d, rect_make(0, 0, 4, 80));
	assert_int_equal(r.h, 4);
	r = dialog_rect(&d, rect_make(0, 0, 0, 0));
	assert_int_equal(r.h, 0);
}

static wchar_t cell(WINDOW *w, int y, int x)
{
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short p;

	mvwin_wch(w, y, x, &cc);
	getcchar(&cc, wc, &a, &p, NULL);
	return wc[0];
}

static void row(WINDOW *w, int y, int x, int n, char *out)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (char)(cell(w, y, x + i) < 128 ? cell(w, y, x + i) : '#');
	out[i] = '\0';
}

static void test_draw_confirm_and_progress_inside_the_box(void **state)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *s;
	WINDOW *w;
	struct theme *t = theme_new_default();
	struct palette pal;
	struct dialog d = { DIALOG_CONFIRM, "Restart", "Restart grafana on monk?",
	                    "grafana is running (up 3h12m)", false };
	struct rect r;
	char text[128];

	setenv("TERM", "xterm-256color", 1);
	s = newterm("xterm-256color", out, in);
	assert_non_null(s);
	set_term(s);
	w = newwin(24, 80, 0, 0);
	palette_init(&pal, t, false);
	mvwaddstr(w, 0, 0, "background");
	dialog_draw(w, rect_make(0, 0, 24, 80), &pal, &d);
	r = dialog_rect(&d, rect_make(0, 0, 24, 80));
	row(w, 0, 0, 10, text);
	assert_string_equal(text, "background");   /* outside the box: untouched */
	row(w, r.y, r.x, 11, text);
	assert_string_equal(text, "+= Restart ");   /* ASCII, focused */
	row(w, r.y + 1, r.x + 2, 24, text);
	assert_string_equal(text, "Restart grafana on monk?");
	row(w, r.y + 3, r.x + 2, 29, text);
	assert_string_equal(text, "grafana is running (up 3h12m)");
	row(w, r.y + 5, r.x + 2, 9, text);
	assert_string_equal(text, " y  yes  ");
	/* progress: the hint says it goes on */
	d.kind = DIALOG_PROGRESS;
	d.detail = "monk: restarting grafana";
	werase(w);
	dialog_draw(w, rect_make(0, 0, 24, 80), &pal, &d);
	r = dialog_rect(&d, rect_make(0, 0, 24, 80));
	row(w, r.y + 3, r.x + 2, 24, text);
	assert_string_equal(text, "monk: restarting grafana");
	row(w, r.y + r.h - 2, r.x + 2, 9, text);
	assert_string_equal(text, "Esc hides");
	/* too small to draw: nothing happens */
	werase(w);
	dialog_draw(w, rect_make(0, 0, 2, 3), &pal, &d);
	assert_int_equal(cell(w, 0, 0), L' ');
	delwin(w);
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
	theme_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_y_confirms_and_enter_means_no),
		cmocka_unit_test(test_wrap_at_words_cuts_long_words_counts_columns),
		cmocka_unit_test(test_box_centred_grows_with_detail_and_clips),
		cmocka_unit_test(test_draw_confirm_and_progress_inside_the_box),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
