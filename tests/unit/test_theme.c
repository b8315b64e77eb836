/* test_theme — the theme parser, loader, shipped themes and colour reduction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/base/util.h"
#include "widgets/theme.h"

int main(void);

static bool paint_eq(const struct theme_paint *a, const struct theme_paint *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == THEME_PAINT_RGB)
		return a->rgb == b->rgb;
	if (a->kind == THEME_PAINT_INDEX)
		return a->index == b->index;
	return true;
}

/* Asserts two themes have the same colours, naming the first role that differs. */
static void assert_same_colours(const struct theme *a, const struct theme *b)
{
	int i;

	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_color *ca = theme_get(a, (enum theme_role)i);
		const struct theme_color *cb = theme_get(b, (enum theme_role)i);

		if (!paint_eq(&ca->fg, &cb->fg) || !paint_eq(&ca->bg, &cb->bg) ||
		    ca->attr != cb->attr)
			fail_msg("role %s differs between %s and %s",
				 theme_role_name((enum theme_role)i), theme_name(a), theme_name(b));
	}
}

static int parse(struct theme *t, const char *text, char ***w, size_t *nw, char **cause)
{
	return theme_parse(t, text, strlen(text), w, nw, cause);
}

static void test_default_theme_colours_and_role_names(void **state)
{
	struct theme *t = theme_new_default();
	const struct theme_color *c;

	assert_string_equal(theme_name(t), "default");
	c = theme_get(t, THEME_TITLE);
	assert_int_equal(c->fg.kind, THEME_PAINT_RGB);
	assert_int_equal(c->fg.rgb, 0x7aa2f7);
	assert_int_equal(c->bg.kind, THEME_PAINT_DEFAULT);
	assert_int_equal(c->attr, THEME_ATTR_BOLD);
	c = theme_get(t, THEME_VALUE);   /* derived from the default role */
	assert_int_equal(c->fg.kind, THEME_PAINT_DEFAULT);
	c = theme_get(t, THEME_SELECTION);
	assert_int_equal(c->bg.rgb, 0x283457);
	assert_string_equal(theme_role_name(THEME_BORDER_FOCUS), "border_focus");
	assert_null(theme_role_name(THEME_NROLES));
	theme_free(t);
}

static void test_valid_keys_set_colours_unset_keep_default(void **state)
{
	struct theme *t = theme_new_default();
	char **w = NULL, *cause = NULL;
	size_t nw = 99;
	const char *text =
		"# a comment\n"
		"   \n"
		"theme[title_fg]=\"#FF8000\"\n"
		"theme[title_bg] = \"#abc\"   # trailing comment\n"
		"theme[title_attr]=\"underline, reverse\"\n"
		"theme[ok]=green\r\n"
		"  theme[warn_fg]=\"bright-yellow\"\n"
		"theme[crit_fg]=\"196\"\n"
		"theme[crit_bg]=\"\"\n"
		"theme[dim_fg]=\"Grey\"\n"
		"theme[border_attr]=\"none\"\n"
		"theme[spark_fg]=\"brightcyan\"";   /* no newline at the end */
	const struct theme_color *c;

	assert_int_equal(parse(t, text, &w, &nw, &cause), 0);
	assert_null(cause);
	assert_int_equal(nw, 0);
	assert_null(w);
	c = theme_get(t, THEME_TITLE);
	assert_int_equal(c->fg.kind, THEME_PAINT_RGB);
	assert_int_equal(c->fg.rgb, 0xff8000);
	assert_int_equal(c->bg.rgb, 0xaabbcc);
	assert_int_equal(c->attr, THEME_ATTR_UNDERLINE | THEME_ATTR_REVERSE);
	c = theme_get(t, THEME_OK);
	assert_int_equal(c->fg.kind, THEME_PAINT_INDEX);
	assert_int_equal(c->fg.index, 2);
	assert_int_equal(theme_get(t, THEME_WARN)->fg.index, 11);
	assert_int_equal(theme_get(t, THEME_CRIT)->fg.index, 196);
	assert_int_equal(theme_get(t, THEME_CRIT)->fg.rgb, 0xff0000);
	assert_int_equal(theme_get(t, THEME_CRIT)->bg.kind, THEME_PAINT_DEFAULT);
	assert_int_equal(theme_get(t, THEME_DIM)->fg.index, 8);
	assert_int_equal(theme_get(t, THEME_SPARK)->fg.index, 14);
	assert_int_equal(theme_get(t, THEME_BORDER)->attr, 0);
	/* Keys not set keep the default's values. */
	assert_int_equal(theme_get(t, THEME_HEADER)->fg.rgb, 0xbb9af7);
	assert_int_equal(theme_get(t, THEME_HEADER)->attr, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
	theme_free(t);
}

static void test_parse_starts_from_default(void **state)
{
	struct theme *t = theme_new_default(), *d = theme_new_default();
	char *cause = NULL;

	assert_int_equal(parse(t, "theme[title_fg]=\"#010203\"\n", NULL, NULL, &cause), 0);
	assert_int_equal(parse(t, "theme[ok_fg]=\"#010203\"\n", NULL, NULL, &cause), 0);
	/* The second parse starts again from the default, not from the first. */
	assert_int_equal(theme_get(t, THEME_TITLE)->fg.rgb, 0x7aa2f7);
	assert_int_equal(parse(t, "", NULL, NULL, &cause), 0);
	assert_same_colours(t, d);
	theme_free(t);
	theme_free(d);
}

static void test_derived_backgrounds_follow_default_bg(void **state)
{
	struct theme *t = theme_new_default();
	char *cause = NULL;

	assert_int_equal(parse(t, "theme[default_bg]=\"#fafafa\"\ntheme[default_fg]=black\n",
			       NULL, NULL, &cause), 0);
	/* Backgrounds the default derives from default_bg follow it ... */
	assert_int_equal(theme_get(t, THEME_TITLE)->bg.rgb, 0xfafafa);
	assert_int_equal(theme_get(t, THEME_GAUGE_LOW)->bg.rgb, 0xfafafa);
	/* ... and so does the value colour's foreground ... */
	assert_int_equal(theme_get(t, THEME_VALUE)->fg.kind, THEME_PAINT_INDEX);
	assert_int_equal(theme_get(t, THEME_VALUE)->fg.index, 0);
	/* ... while roles with their own background keep it. */
	assert_int_equal(theme_get(t, THEME_SELECTION)->bg.rgb, 0x283457);
	assert_int_equal(theme_get(t, THEME_KEYBAR)->bg.rgb, 0x1f2335);
	theme_free(t);
}

static void test_unknown_key_warns(void **state)
{
	struct theme *t = theme_new_default();
	char **w = NULL, *cause = NULL;
	size_t nw = 0;

	assert_int_equal(parse(t, "theme[main_bg]=\"#000000\"\n\ntheme[title_fg]=\"#ff0000\"\n"
			       "theme[tit\x01le]=red\n", &w, &nw, &cause), 0);
	assert_null(cause);
	assert_int_equal(nw, 2);
	assert_string_equal(w[0], "line 1: unknown key 'main_bg' (ignored)");
	assert_string_equal(w[1], "line 4: unknown key 'tit\\x01le' (ignored)");
	assert_int_equal(theme_get(t, THEME_TITLE)->fg.rgb, 0xff0000);
	theme_warnings_free(w, nw);
	theme_free(t);
}

static void test_many_warnings_capped(void **state)
{
	struct theme *t = theme_new_default();
	char **w = NULL, *cause = NULL, *text;
	size_t nw = 0, i;
	struct { char *s; size_t n; } acc = { NULL, 0 };

	for (i = 0; i < 100; i++) {
		char *line = xasprintf("%stheme[nokey%zu]=red\n", acc.s ? acc.s : "", i);

		free(acc.s);
		acc.s = line;
	}
	text = acc.s;
	assert_int_equal(parse(t, text, &w, &nw, &cause), 0);
	assert_int_equal(nw, 33);
	assert_string_equal(w[32], "68 more unknown keys not listed");
	theme_warnings_free(w, nw);
	free(text);
	theme_free(t);
}

static void expect_error(const char *text, const char *msg)
{
	struct theme *t = theme_new_default(), *before = theme_new_default();
	char **w = (char **)1, *cause = NULL;
	size_t nw = 7;

	/* A first good parse, so that "left intact" means something. */
	assert_int_equal(parse(t, "theme[title_fg]=\"#123456\"\n", NULL, NULL, &cause), 0);
	assert_int_equal(parse(before, "theme[title_fg]=\"#123456\"\n", NULL, NULL, &cause), 0);
	assert_int_equal(theme_parse(t, text, strlen(text), &w, &nw, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, msg) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, msg);
	assert_null(w);
	assert_int_equal(nw, 0);
	assert_same_colours(t, before);
	free(cause);
	theme_free(t);
	theme_free(before);
}

static void test_errors_give_line_column_and_leave_theme_intact(void **state)
{
	expect_error("# ok\ntheme[ok_fg]=red\ntheme[title_fg]=\"#zzzzzz\"\n",
		     "line 3, column 18: '#zzzzzz' is not a colour");
	expect_error("theme[title_fg]=\"#12345\"\n", "line 1, column 18: '#12345' is not a colour");
	expect_error("theme[title_fg]=256\n", "line 1, column 17: '256' is not a colour");
	expect_error("theme[title_fg]=blurple\n", "'blurple' is not a colour");
	expect_error("theme[title_attr]=\"bold blink\"\n",
		     "line 1, column 25: 'blink' is not an attribute");
	expect_error("theme[title_fg]=\"#ffffff\n", "line 1, column 17: missing closing '\"'");
	expect_error("theme[title_fg\n", "line 1, column 15: missing ']'");
	expect_error("theme[title_fg] \"red\"\n", "line 1, column 17: expected '='");
	expect_error("theme[title_fg]=red blue\n", "line 1, column 21: unexpected text");
	expect_error("title_fg=red\n", "line 1, column 1: expected theme[KEY]=\"VALUE\"");
	/* An unknown key with a bad value is still only a warning; a good key with
	 * a bad value after an unknown one is the error. */
	expect_error("theme[nokey]=%%%\ntheme[ok]=%%%\n", "line 2, column 11");
}

static void test_empty_is_default_and_binary_is_an_error(void **state)
{
	struct theme *t = theme_new_default(), *d = theme_new_default();
	char **w = NULL, *cause = NULL;
	size_t nw = 0;
	static const char bin[] = "theme[ok]=red\n\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe\n";
	static const char high[] = "\xff\xfe\xfd theme\n";

	assert_int_equal(theme_parse(t, "", 0, &w, &nw, &cause), 0);
	assert_int_equal(nw, 0);
	assert_same_colours(t, d);
	assert_int_equal(theme_parse(t, NULL, 0, &w, &nw, &cause), 0);
	assert_int_equal(parse(t, "\n\n# only comments\n\t\n", &w, &nw, &cause), 0);
	assert_same_colours(t, d);

	assert_int_equal(theme_parse(t, bin, sizeof bin - 1, &w, &nw, &cause), -1);
	assert_string_equal(cause, "line 2: a NUL byte (is this a theme file?)");
	free(cause);
	cause = NULL;
	assert_int_equal(theme_parse(t, high, sizeof high - 1, &w, &nw, &cause), -1);
	assert_string_equal(cause, "line 1, column 1: expected theme[KEY]=\"VALUE\"");
	free(cause);
	theme_free(t);
	theme_free(d);
}

static struct theme *load_shipped(const char *name)
{
	char *path = xasprintf("themes/%s.theme", name), *text = NULL, *cause = NULL;
	char **w = NULL;
	size_t len = 0, nw = 0;
	struct theme *t = theme_new_default();

	if (util_read_file(path, 1 << 20, &text, &len, &cause) != 0)
		fail_msg("%s", cause);
	if (theme_parse(t, text, len, &w, &nw, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	if (nw != 0)
		fail_msg("%s: %zu warnings, the first: %s", path, nw, w[0]);
	free(text);
	free(path);
	return t;
}

static void test_shipped_themes_parse_cleanly_and_cycle_in_order(void **state)
{
	const char *const *names = theme_builtin_names();
	struct theme *d = theme_new_default(), *t;
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		t = load_shipped(names[i]);
		if (strcmp(names[i], "default") == 0)
			assert_same_colours(t, d);
		theme_free(t);
	}
	assert_int_equal(i, 5);
	assert_string_equal(names[0], "default");
	assert_string_equal(names[4], "high-contrast");
	assert_string_equal(theme_next_name("default"), "light");
	assert_string_equal(theme_next_name("mono"), "high-contrast");
	assert_string_equal(theme_next_name("high-contrast"), "default");
	assert_string_equal(theme_next_name("mine"), "default");
	assert_string_equal(theme_next_name(NULL), "default");
	/* mono carries no colour at all. */
	t = load_shipped("mono");
	for (i = 0; i < THEME_NROLES; i++) {
		assert_int_equal(theme_get(t, (enum theme_role)i)->fg.kind, THEME_PAINT_DEFAULT);
		assert_int_equal(theme_get(t, (enum theme_role)i)->bg.kind, THEME_PAINT_DEFAULT);
	}
	assert_int_equal(theme_get(t, THEME_SELECTION)->attr, THEME_ATTR_REVERSE);
	theme_free(t);
	theme_free(d);
}

static void test_format_round_trip(void **state)
{
	const char *const *names = theme_builtin_names();
	char *text, *cause = NULL, **w = NULL;
	size_t i, nw = 0;

	for (i = 0; names[i] != NULL; i++) {
		struct theme *t = load_shipped(names[i]), *u = theme_new_default();

		text = theme_format(t);
		assert_int_equal(parse(u, text, &w, &nw, &cause), 0);
		assert_int_equal(nw, 0);
		assert_same_colours(t, u);
		free(text);
		theme_free(t);
		theme_free(u);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_by_name_or_path_in_search_order_or_error(void **state)
{
	char dir[] = "/tmp/kt-theme-XXXXXX", *sub, *path, *cause = NULL;
	const char *const *warn;
	struct theme *t;
	size_t n;

	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/kitetop", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(sub);
	sub = xasprintf("%s/kitetop/themes", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	path = xasprintf("%s/mine.theme", sub);
	write_file(path, "theme[title_fg]=\"#102030\"\ntheme[bogus]=red\n");
	setenv("XDG_CONFIG_HOME", dir, 1);

	/* By name from $XDG_CONFIG_HOME, with its warning kept. */
	t = theme_load("mine", NULL, &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "mine");
	assert_int_equal(theme_get(t, THEME_TITLE)->fg.rgb, 0x102030);
	warn = theme_warnings(t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(warn[0], "line 2: unknown key 'bogus' (ignored)");
	theme_free(t);

	/* By path. */
	t = theme_load(path, NULL, &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "mine");
	theme_free(t);

	/* From the source tree's ./themes. */
	t = theme_load("cyberpunk", "/nonexistent", &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "cyberpunk");
	assert_null(theme_warnings(t, &n));
	assert_int_equal(n, 0);
	theme_free(t);

	/* From DATADIR/themes, before ./themes. */
	free(path);
	path = xasprintf("%s/themes", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/themes/cyberpunk.theme", dir);
	write_file(path, "theme[ok]=\"#0a0b0c\"\n");
	t = theme_load("cyberpunk", dir, &cause);
	assert_non_null(t);
	assert_int_equal(theme_get(t, THEME_OK)->fg.rgb, 0x0a0b0c);
	theme_free(t);
	unlink(path);
	free(path);

	/* Errors. */
	assert_null(theme_load("no-such-theme", NULL, &cause));
	assert_non_null(strstr(cause, "no theme named 'no-such-theme'"));
	free(cause);
	cause = NULL;
	path = xasprintf("%s/bad.theme", sub);
	write_file(path, "theme[ok]=\"#0a0b0cc\"\n");
	assert_null(theme_load(path, NULL, &cause));
	assert_non_null(strstr(cause, "bad.theme: line 1, column 12"));
	free(cause);
	cause = NULL;
	assert_null(theme_load("bad", NULL, &cause));
	assert_non_null(strstr(cause, "line 1"));
	free(cause);
	cause = NULL;
	assert_null(theme_load("", NULL, &cause));
	free(cause);
	unlink(path);
	free(path);
	path = xasprintf("%s/mine.theme", sub);
	unlink(path);
	free(path);
	rmdir(sub);
	free(sub);
	sub = xasprintf("%s/kitetop", dir);
	rmdir(sub);
	free(sub);
	sub = xasprintf("%s/themes", dir);
	rmdir(sub);
	free(sub);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
}

static void test_colours_reduce_to_nearest_256_16_and_8(void **state)
{
	assert_int_equal(theme_index_to_rgb(196), 0xff0000);
	assert_int_equal(theme_index_to_rgb(16), 0x000000);
	assert_int_equal(theme_index_to_rgb(67), 0x5f87af);
	assert_int_equal(theme_index_to_rgb(232), 0x080808);
	assert_int_equal(theme_index_to_rgb(255), 0xeeeeee);
	assert_int_equal(theme_index_to_rgb(7), 0xe5e5e5);
	assert_int_equal(theme_index_to_rgb(-1), 0);
	assert_int_equal(theme_index_to_rgb(256), 0);

	/* Exact cube and grey entries map to themselves. */
	assert_int_equal(theme_rgb_to_256(0xff0000), 196);
	assert_int_equal(theme_rgb_to_256(0x5f87af), 67);
	assert_int_equal(theme_rgb_to_256(0x000000), 16);
	assert_int_equal(theme_rgb_to_256(0xffffff), 231);
	assert_int_equal(theme_rgb_to_256(0x808080), 244);
	assert_int_equal(theme_rgb_to_256(0x121212), 233);
	/* Near ones to the nearest: a dark navy, a grey between ramp steps. */
	assert_int_equal(theme_rgb_to_256(0x1a1b26), 234);
	assert_int_equal(theme_rgb_to_256(0x7aa2f7), 111);
	for (int i = 16; i < 256; i++)
		assert_int_equal(theme_rgb_to_256(theme_index_to_rgb(i)) == i ||
				 theme_index_to_rgb(theme_rgb_to_256(theme_index_to_rgb(i))) ==
				 theme_index_to_rgb(i), 1);

	for (int i = 0; i < 16; i++)
		assert_int_equal(theme_rgb_to_16(theme_index_to_rgb(i)), i);
	assert_int_equal(theme_rgb_to_16(0xf7768e), 9);
	assert_int_equal(theme_rgb_to_16(0x9ece6a), 2);
	assert_int_equal(theme_rgb_to_16(0x1a1b26), 0);   /* dark: black */
	assert_int_equal(theme_rgb_to_16(0x283457), 4);   /* dark navy: blue */
	assert_int_equal(theme_rgb_to_16(0x7aa2f7), 12);
	assert_int_equal(theme_rgb_to_16(0xe0af68), 3);   /* orange: yellow */
	assert_int_equal(theme_rgb_to_16(0xbb9af7), 13);  /* lavender: bright magenta */
	assert_int_equal(theme_rgb_to_16(0xa0a0a0), 8);
	assert_int_equal(theme_rgb_to_16(0xd0d0d0), 7);

	for (int i = 0; i < 8; i++)
		assert_int_equal(theme_rgb_to_8(theme_index_to_rgb(i)), i);
	assert_int_equal(theme_rgb_to_8(0xff0000), 1);
	assert_int_equal(theme_rgb_to_8(0xffffff), 7);
	assert_int_equal(theme_rgb_to_8(0x1a1b26), 0);
	assert_int_equal(theme_rgb_to_8(0x00ffff), 6);
	assert_int_equal(theme_rgb_to_8(0xf7768e), 1);
	assert_int_equal(theme_rgb_to_8(0xa0a0a0), 7);
	assert_int_equal(theme_rgb_to_8(0x505050), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_theme_colours_and_role_names),
		cmocka_unit_test(test_valid_keys_set_colours_unset_keep_default),
		cmocka_unit_test(test_parse_starts_from_default),
		cmocka_unit_test(test_derived_backgrounds_follow_default_bg),
		cmocka_unit_test(test_unknown_key_warns),
		cmocka_unit_test(test_many_warnings_capped),
		cmocka_unit_test(test_errors_give_line_column_and_leave_theme_intact),
		cmocka_unit_test(test_empty_is_default_and_binary_is_an_error),
		cmocka_unit_test(test_shipped_themes_parse_cleanly_and_cycle_in_order),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_load_by_name_or_path_in_search_order_or_error),
		cmocka_unit_test(test_colours_reduce_to_nearest_256_16_and_8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
