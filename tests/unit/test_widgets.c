/* test_widgets — the widgets' pure formatters: gauge bar, sparkline encoder,
 * UTF-8 clipping, key bar fitting. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "widgets/gauge.h"
#include "widgets/keybar.h"
#include "widgets/sparkline.h"
#include "widgets/text.h"

int main(void);

static void expect_bar(double pct, int width, bool utf8, const char *want, size_t want_filled)
{
	char out[256];
	size_t filled = gauge_format_bar(out, sizeof out, pct, width, utf8);

	if (strcmp(out, want) != 0 || filled != want_filled)
		fail_msg("bar(%g, %d, %s) = \"%s\" (filled %zu), want \"%s\" (filled %zu)", pct,
			 width, utf8 ? "utf8" : "ascii", out, filled, want, want_filled);
}

static void test_gauge_bar_utf8(void **state)
{
	expect_bar(45.0, 10, true, "████▌·····", 15);
	expect_bar(0.0, 10, true, "··········", 0);
	expect_bar(100.0, 4, true, "████", 12);
	expect_bar(250.0, 4, true, "████", 12);
	expect_bar(99.9, 10, true, "█████████▉", 30);    /* never full below 100 */
	expect_bar(0.1, 10, true, "▏·········", 3);       /* never empty above 0 */
	expect_bar(12.5, 1, true, "▏", 3);
	expect_bar(25.0, 1, true, "▎", 3);
	expect_bar(37.5, 1, true, "▍", 3);
	expect_bar(50.0, 1, true, "▌", 3);
	expect_bar(62.5, 1, true, "▋", 3);
	expect_bar(75.0, 1, true, "▊", 3);
	expect_bar(87.5, 1, true, "▉", 3);
	expect_bar(-1.0, 10, true, "····?·····", 0);
	expect_bar(NAN, 3, true, "·?·", 0);
	expect_bar(50.0, 0, true, "", 0);
	expect_bar(50.0, -3, true, "", 0);
}

static void test_gauge_bar_ascii(void **state)
{
	char small[6];

	expect_bar(50.0, 12, false, "[#####-----]", 6);
	expect_bar(0.0, 12, false, "[----------]", 0);
	expect_bar(100.0, 7, false, "[#####]", 6);
	expect_bar(99.0, 7, false, "[####-]", 5);
	expect_bar(1.0, 7, false, "[#----]", 2);
	expect_bar(-5.0, 7, false, "[--?--]", 0);
	expect_bar(50.0, 2, false, "#-", 1);     /* too narrow for brackets */
	expect_bar(50.0, 1, false, "#", 1);
	expect_bar(50.0, 3, false, "[#]", 2);
	/* Cut short by a small buffer: NUL-terminated, the filled length clamped. */
	assert_int_equal(gauge_format_bar(small, sizeof small, 100.0, 12, false), 5);
	assert_string_equal(small, "[####");
	assert_int_equal(gauge_format_bar(small, 0, 100.0, 12, false), 0);
}

static void test_gauge_level(void **state)
{
	assert_int_equal(gauge_level(0.0), THEME_GAUGE_LOW);
	assert_int_equal(gauge_level(59.9), THEME_GAUGE_LOW);
	assert_int_equal(gauge_level(60.0), THEME_GAUGE_MID);
	assert_int_equal(gauge_level(84.9), THEME_GAUGE_MID);
	assert_int_equal(gauge_level(85.0), THEME_GAUGE_HIGH);
	assert_int_equal(gauge_level(120.0), THEME_GAUGE_HIGH);
}

static void expect_spark(const double *v, size_t n, double max, int rows,
			 enum sparkline_glyphs g, const char *want)
{
	char out[512];
	size_t len = sparkline_encode(v, n, max, rows, g, out, sizeof out);

	if (strcmp(out, want) != 0 || len != strlen(want))
		fail_msg("encode(n=%zu, max=%g, rows=%d, glyphs=%d) = \"%s\" (%zu), want \"%s\"", n,
			 max, rows, (int)g, out, len, want);
}

/* htop's GraphMeterMode_dotsUtf8 / btop's braille_up, typed in independently:
 * row = left sample's dots, column = right sample's. */
static const char *const braille_table[25] = {
	" ", "⢀", "⢠", "⢰", "⢸",
	"⡀", "⣀", "⣠", "⣰", "⣸",
	"⡄", "⣄", "⣤", "⣴", "⣼",
	"⡆", "⣆", "⣦", "⣶", "⣾",
	"⡇", "⣇", "⣧", "⣷", "⣿",
};

static void test_sparkline_braille(void **state)
{
	double v[2];
	int l, r;

	for (l = 0; l <= 4; l++) {
		for (r = 0; r <= 4; r++) {
			v[0] = l;
			v[1] = r;
			expect_spark(v, 2, 4.0, 1, SPARK_BRAILLE, braille_table[l * 5 + r]);
		}
	}
	{
		static const double ramp[] = { 0, 1, 2, 3, 4 };   /* odd: padded on the left */
		static const double two[] = { 8, 4 };
		static const double odd[] = { 3, 0, 100, -2, NAN, 0.001 };

		expect_spark(ramp, 5, 4.0, 1, SPARK_BRAILLE, " ⣠⣾");
		expect_spark(ramp, 5, 0.0, 1, SPARK_BRAILLE, " ⣠⣾");   /* auto max = 4 */
		expect_spark(ramp, 4, 0.0, 1, SPARK_BRAILLE, "⢀⣾");     /* auto max = 3: 0 1 3 4 dots */
		expect_spark(two, 2, 8.0, 2, SPARK_BRAILLE, "⡇\n⣿");
		expect_spark(two, 2, 8.0, 3, SPARK_BRAILLE, "⡇\n⣧\n⣿");   /* 12 of 12 dots, 6 of 12 */
		/* Over max is full, negative and NaN are empty, tiny is one dot. */
		expect_spark(odd, 6, 4.0, 1, SPARK_BRAILLE, "⡆⡇⢀");
		expect_spark(ramp, 0, 4.0, 1, SPARK_BRAILLE, "");
		expect_spark(ramp, 0, 4.0, 2, SPARK_BRAILLE, "\n");
	}
}

static void test_sparkline_block_ascii(void **state)
{
	static const double blocks[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const double two[] = { 1, 2 };
	static const double tall[] = { 6, 3, 0, 1 };
	static const double zeros[] = { 0, 0, 0 };

	expect_spark(blocks, 9, 8.0, 1, SPARK_BLOCK, " ▁▂▃▄▅▆▇█");
	expect_spark(two, 2, 0.0, 1, SPARK_BLOCK, "▄█");
	expect_spark(tall, 4, 6.0, 2, SPARK_BLOCK, "█   \n██ ▃");   /* 16 8 0 3 of 16 */
	expect_spark(blocks, 4, 3.0, 1, SPARK_ASCII, " .:|");
	expect_spark(tall, 4, 6.0, 2, SPARK_ASCII, "|   \n|| .");   /* 6 3 0 1 of 6 */
	expect_spark(zeros, 3, 0.0, 1, SPARK_ASCII, "   ");
	expect_spark(zeros, 3, 0.0, 1, SPARK_BRAILLE, "  ");
}

static void test_sparkline_encode_truncates(void **state)
{
	static const double ramp[] = { 0, 1, 2, 3, 4 };
	char out[5];

	/* " ⣠⣾" needs 7 bytes: the third glyph does not fit whole. */
	assert_int_equal(sparkline_encode(ramp, 5, 4.0, 1, SPARK_BRAILLE, out, sizeof out), 7);
	assert_string_equal(out, " ⣠");
	assert_int_equal(sparkline_encode(ramp, 5, 4.0, 1, SPARK_BRAILLE, NULL, 0), 7);
	assert_int_equal(sparkline_encode(ramp, 5, 4.0, 1, SPARK_ASCII, out, 1), 5);
	assert_string_equal(out, "");
}

static void test_sparkline_ring(void **state)
{
	struct sparkline *s = sparkline_new(3);
	int i;

	assert_int_equal(sparkline_len(s), 0);
	assert_true(isnan(sparkline_at(s, 0)));
	for (i = 1; i <= 5; i++)
		sparkline_push(s, i);
	assert_int_equal(sparkline_len(s), 3);
	assert_true(sparkline_at(s, 0) == 3.0);
	assert_true(sparkline_at(s, 1) == 4.0);
	assert_true(sparkline_at(s, 2) == 5.0);
	assert_true(isnan(sparkline_at(s, 3)));
	sparkline_clear(s);
	assert_int_equal(sparkline_len(s), 0);
	sparkline_push(s, 7);
	assert_true(sparkline_at(s, 0) == 7.0);
	sparkline_free(s);

	s = sparkline_new(0);   /* at least one */
	sparkline_push(s, 1);
	sparkline_push(s, 2);
	assert_int_equal(sparkline_len(s), 1);
	assert_true(sparkline_at(s, 0) == 2.0);
	sparkline_free(s);
	sparkline_free(NULL);
}

static void expect_clip(const char *s, int maxw, size_t want_bytes, int want_cols)
{
	int cols = -1;
	size_t n = text_clip(s, maxw, &cols);

	if (n != want_bytes || cols != want_cols)
		fail_msg("clip(\"%s\", %d) = %zu bytes, %d cols; want %zu, %d", s, maxw, n, cols,
			 want_bytes, want_cols);
}

static void test_text_clip(void **state)
{
	expect_clip("abc", 2, 2, 2);
	expect_clip("abc", 3, 3, 3);
	expect_clip("abc", 10, 3, 3);
	expect_clip("abc", 0, 0, 0);
	expect_clip("abc", -1, 0, 0);
	expect_clip("", 5, 0, 0);
	/* Wide: two columns each; one that would straddle the edge is left out. */
	expect_clip("日本語", 6, 9, 6);
	expect_clip("日本語", 5, 6, 4);
	expect_clip("日本語", 1, 0, 0);
	expect_clip("a日b", 2, 1, 1);
	/* Combining marks stay with their base, even at the edge. */
	expect_clip("e\xcc\x81x", 1, 3, 1);
	expect_clip("e\xcc\x81\xcc\xa3x", 1, 5, 1);
	expect_clip("e\xcc\x81x", 2, 4, 2);
	/* Not UTF-8, controls: one column a byte. */
	expect_clip("\xff\xfe" "a", 2, 2, 2);
	expect_clip("\xe6\x97", 5, 2, 2);      /* a sequence cut short */
	expect_clip("\xc0\xaf", 5, 2, 2);      /* overlong */
	expect_clip("a\tb", 3, 3, 3);
	expect_clip("●▲✖", 3, 9, 3);
	assert_int_equal(text_clip(NULL, 5, NULL), 0);
	assert_int_equal(text_width("日本 ok"), 7);
	assert_int_equal(text_width(NULL), 0);
}

static void test_keybar_fit(void **state)
{
	static const struct keybar_item items[] = {
		{ "q", "quit" },     /* " q " + " quit" = 8 */
		{ "?", "help" },     /* + 1 + 8 = 17 */
		{ "Tab", NULL },     /* + 1 + 5 = 23 */
	};

	assert_int_equal(keybar_fit(items, 3, 7), 0);
	assert_int_equal(keybar_fit(items, 3, 8), 1);
	assert_int_equal(keybar_fit(items, 3, 16), 1);
	assert_int_equal(keybar_fit(items, 3, 17), 2);
	assert_int_equal(keybar_fit(items, 3, 22), 2);
	assert_int_equal(keybar_fit(items, 3, 23), 3);
	assert_int_equal(keybar_fit(items, 3, 200), 3);
	assert_int_equal(keybar_fit(items, 0, 200), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gauge_bar_utf8),
		cmocka_unit_test(test_gauge_bar_ascii),
		cmocka_unit_test(test_gauge_level),
		cmocka_unit_test(test_sparkline_braille),
		cmocka_unit_test(test_sparkline_block_ascii),
		cmocka_unit_test(test_sparkline_encode_truncates),
		cmocka_unit_test(test_sparkline_ring),
		cmocka_unit_test(test_text_clip),
		cmocka_unit_test(test_keybar_fit),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
