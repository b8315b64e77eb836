/* Unit tests of widgets/textview (scrolling, search, the highlight drawn on
 * a real curses screen), widgets/lineedit (the prompt's keys) and the key
 * table's entries for the viewers, the filter and the sort toggle. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/keys.h"
#include "widgets/lineedit.h"
#include "widgets/provide_curses.h"
#include "widgets/textview.h"

int main(void);

static void test_match(void **state)
{
	(void)state;
	assert_int_equal(textview_match("GET /api/health 200", "HEALTH", 0), 9);
	assert_int_equal(textview_match("GET /api/health 200", "health", 10), -1);
	assert_int_equal(textview_match("aaa", "aa", 1), 1);
	assert_int_equal(textview_match("aaa", "aa", 2), -1);
	assert_int_equal(textview_match("abc", "", 0), -1);
	assert_int_equal(textview_match("abc", NULL, 0), -1);
	assert_int_equal(textview_match("", "a", 0), -1);
	assert_int_equal(textview_match("ab", "abc", 0), -1);
	assert_int_equal(textview_match("Grafana", "gra", 0), 0);
}

static void test_find_wraps(void **state)
{
	const char *const lines[] = { "start", "error one", "ok", "ERROR two", "end" };

	(void)state;
	assert_int_equal(textview_find(lines, 5, -1, 1, "error"), 1);
	assert_int_equal(textview_find(lines, 5, 1, 1, "error"), 3);
	assert_int_equal(textview_find(lines, 5, 3, 1, "error"), 1);    /* wraps */
	assert_int_equal(textview_find(lines, 5, 3, -1, "error"), 1);
	assert_int_equal(textview_find(lines, 5, 1, -1, "error"), 3);   /* wraps back */
	assert_int_equal(textview_find(lines, 5, -1, -1, "error"), 3);  /* from the end */
	assert_int_equal(textview_find(lines, 5, 0, 1, "nothing"), -1);
	assert_int_equal(textview_find(lines, 5, 0, 1, ""), -1);
	assert_int_equal(textview_find(lines, 0, -1, 1, "x"), -1);
	assert_int_equal(textview_find(lines, 5, 2, 1, "ok"), 2);      /* the only one: itself */
}

static void test_scroll_and_follow(void **state)
{
	struct textview tv;

	(void)state;
	textview_init(&tv, true);
	assert_int_equal(textview_layout(&tv, 100, 10), 90);      /* following: the end */
	assert_int_equal(textview_layout(&tv, 105, 10), 95);      /* new lines: still the end */
	textview_scroll(&tv, -3);
	assert_false(tv.follow);
	assert_int_equal(textview_layout(&tv, 110, 10), 92);      /* stays where it was */
	textview_scroll(&tv, -1000);
	assert_int_equal(textview_layout(&tv, 110, 10), 0);
	textview_scroll(&tv, 1000);
	assert_int_equal(textview_layout(&tv, 110, 10), 100);     /* clamped at the end */
	assert_int_equal(textview_page(&tv), 9);
	textview_home(&tv);
	assert_int_equal(textview_layout(&tv, 110, 10), 0);
	textview_end(&tv);
	assert_true(tv.follow);
	assert_int_equal(textview_layout(&tv, 5, 10), 0);         /* fewer lines than rows */
	textview_init(&tv, false);
	textview_layout(&tv, 100, 9);
	textview_show(&tv, 50);                                   /* a third down the page */
	assert_int_equal(tv.top, 47);
	textview_show(&tv, 52);                                   /* in view: no move */
	assert_int_equal(tv.top, 47);
	textview_show(&tv, 1);
	assert_int_equal(tv.top, 0);
}

/* Lines dropped at the start (the cap): the place and the match stay on
 * their lines; a match that went away is none. */
static void test_dropped(void **state)
{
	struct textview tv;
	const char *const lines[] = { "a", "b error", "c", "d error", "e" };

	(void)state;
	textview_init(&tv, false);
	textview_layout(&tv, 5, 2);
	tv.top = 3;
	tv.match = textview_find(lines, 5, 1, 1, "error");   /* the next after "b": "d" */
	assert_int_equal(tv.match, 3);
	textview_dropped(&tv, 2);                            /* "a", "b error" gone */
	assert_int_equal(tv.top, 1);
	assert_int_equal(tv.match, 1);
	/* n again: from "d error" (now 1) on, wrapping, finds itself */
	assert_int_equal(textview_find(lines + 2, 3, tv.match, 1, "error"), 1);
	textview_dropped(&tv, 2);                            /* "d error" gone too */
	assert_int_equal(tv.top, 0);
	assert_int_equal(tv.match, -1);
	textview_dropped(&tv, 0);
	assert_int_equal(tv.top, 0);
	assert_int_equal(tv.match, -1);
}

/* The highlight, read back from a real curses window. */
static void test_draw_highlight(void **state)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	WINDOW *w;
	chtype ch[40];

	(void)state;
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm("xterm-256color", out, in);
	assert_non_null(scr);
	set_term(scr);
	w = newwin(2, 30, 0, 0);
	textview_draw_line(w, 0, 0, 30, A_NORMAL, A_REVERSE, "a Gra gra x", "gra");
	mvwinchnstr(w, 0, 0, ch, 11);
	for (int i = 0; i < 11; i++) {
		bool hl = (i >= 2 && i <= 4) || (i >= 6 && i <= 8);

		assert_int_equal((ch[i] & A_REVERSE) != 0, hl);
		assert_int_equal((int)(ch[i] & A_CHARTEXT), "a Gra gra x"[i]);
	}
	/* clipped to the width, a match across the edge cut too */
	textview_draw_line(w, 1, 0, 4, A_NORMAL, A_REVERSE, "xxgraaaa", "gra");
	mvwinchnstr(w, 1, 0, ch, 5);
	assert_int_equal((int)(ch[3] & A_CHARTEXT), 'r');
	assert_true((ch[3] & A_REVERSE) != 0);
	assert_int_equal((int)(ch[4] & A_CHARTEXT), ' ');
	delwin(w);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

static void test_lineedit(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, "gr");
	assert_int_equal(lineedit_key(&le, 'a'), LINEEDIT_GOING);
	assert_string_equal(le.text, "gra");
	assert_int_equal(lineedit_key(&le, KEY_BACKSPACE), LINEEDIT_GOING);
	assert_string_equal(le.text, "gr");
	lineedit_key(&le, 0xc3);            /* é, byte by byte */
	lineedit_key(&le, 0xa9);
	assert_string_equal(le.text, "gr\xc3\xa9");
	lineedit_key(&le, 127);             /* DEL removes the whole character */
	assert_string_equal(le.text, "gr");
	lineedit_key(&le, KEY_LEFT);        /* ignored */
	lineedit_key(&le, 0x01);
	assert_string_equal(le.text, "gr");
	lineedit_key(&le, 0x15);            /* ^U */
	assert_string_equal(le.text, "");
	lineedit_key(&le, 8);               /* nothing to remove */
	assert_int_equal(le.len, 0);
	assert_int_equal(lineedit_key(&le, '\r'), LINEEDIT_DONE);
	assert_int_equal(lineedit_key(&le, KEY_ENTER), LINEEDIT_DONE);
	assert_int_equal(lineedit_key(&le, 27), LINEEDIT_CANCEL);
	for (int i = 0; i < 300; i++)
		lineedit_key(&le, 'x');
	assert_int_equal(le.len, LINEEDIT_MAX);
	assert_int_equal(strlen(le.text), LINEEDIT_MAX);
	lineedit_init(&le, NULL);
	assert_string_equal(le.text, "");
}

static void test_keys(void **state)
{
	struct keys_special k = { .btab = 353, .left = 260, .right = 261, .down = 258, .up = 259,
		.npage = 338, .ppage = 339, .home = 262, .end = 360, .enter = 343 };
	size_t n;
	const struct key_binding *t;
	bool seen_o = false;

	(void)state;
	keys_init(&k);
	assert_int_equal(keys_lookup('\r', KEY_SCOPE_ANY), KEY_ACT_DETAIL);
	assert_int_equal(keys_lookup(343, KEY_SCOPE_ANY), KEY_ACT_DETAIL);
	assert_int_equal(keys_lookup('/', KEY_SCOPE_ANY), KEY_ACT_FILTER);
	assert_int_equal(keys_lookup(27, KEY_SCOPE_ANY), KEY_ACT_CLOSE);    /* clears the filter */
	assert_int_equal(keys_lookup('o', KEY_SCOPE_ANY), KEY_ACT_SORT);
	/* in the viewers: / searches, n N move, Esc closes, j still scrolls */
	assert_int_equal(keys_lookup('/', KEY_SCOPE_LOGS), KEY_ACT_SEARCH);
	assert_int_equal(keys_lookup('/', KEY_SCOPE_DETAIL), KEY_ACT_SEARCH);
	assert_int_equal(keys_lookup('n', KEY_SCOPE_LOGS), KEY_ACT_SEARCH_NEXT);
	assert_int_equal(keys_lookup('N', KEY_SCOPE_DETAIL), KEY_ACT_SEARCH_PREV);
	assert_int_equal(keys_lookup('n', KEY_SCOPE_ANY), KEY_ACT_NONE);
	assert_int_equal(keys_lookup('q', KEY_SCOPE_DETAIL), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup(27, KEY_SCOPE_DETAIL), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup('j', KEY_SCOPE_DETAIL), KEY_ACT_DOWN);
	assert_int_equal(keys_lookup('f', KEY_SCOPE_DETAIL), KEY_ACT_NONE);
	t = keys_table(&n);
	for (size_t i = 0; i < n; i++)
		if (t[i].action == KEY_ACT_SORT)
			seen_o = strcmp(t[i].label, "o") == 0 && strstr(t[i].help, "problems first") != NULL;
	assert_true(seen_o);    /* the help, generated from the table, shows it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_find_wraps),
		cmocka_unit_test(test_scroll_and_follow),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_draw_highlight),
		cmocka_unit_test(test_lineedit),
		cmocka_unit_test(test_keys),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
