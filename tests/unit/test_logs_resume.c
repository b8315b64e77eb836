/* Unit tests of logs_resume: after a stream is asked again from its last
 * line's millisecond, what it repeats is skipped and nothing new is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/feeds/logs_resume.h"

static bool take(struct logs_resume *r, int64_t ts, const char *text)
{
	return logs_resume_take(r, ts, text, strlen(text));
}

/* Before any break every line is news, out of order ones too. */
static void all_news_at_first(void **state)
{
	struct logs_resume r;

	(void)state;
	logs_resume_init(&r);
	assert_true(take(&r, 1000, "a"));
	assert_true(take(&r, 1000, "a"));   /* the same line twice is the program's */
	assert_true(take(&r, 900, "late"));
	assert_true(take(&r, 2000, "b"));
	assert_int_equal(r.last_ts_ms, 2000);
}

/* The stream asked again from 2000: it repeats 2000's lines (and, rounded
 * down, older ones); the first new line ends the skipping. */
static void repeats_skipped(void **state)
{
	struct logs_resume r;

	(void)state;
	logs_resume_init(&r);
	assert_true(take(&r, 1000, "a"));
	assert_true(take(&r, 2000, "b"));
	assert_true(take(&r, 2000, "c"));
	logs_resume_again(&r);
	assert_false(take(&r, 1000, "a"));
	assert_false(take(&r, 2000, "b"));
	assert_false(take(&r, 2000, "c"));
	/* a line of the same millisecond not seen before is news */
	assert_true(take(&r, 2000, "d"));
	assert_false(r.resuming);
	assert_true(take(&r, 3000, "e"));
	/* no longer resuming: a repeat of text is the program's own */
	assert_true(take(&r, 3000, "e"));
}

static void newer_ends_skipping(void **state)
{
	struct logs_resume r;

	(void)state;
	logs_resume_init(&r);
	assert_true(take(&r, 5000, "x"));
	logs_resume_again(&r);
	assert_true(take(&r, 5001, "y"));
	assert_true(take(&r, 4000, "old but after the resume"));
	assert_int_equal(r.last_ts_ms, 5001);
}

/* Asked again before any line came: nothing to skip. */
static void nothing_yet(void **state)
{
	struct logs_resume r;

	(void)state;
	logs_resume_init(&r);
	logs_resume_again(&r);
	assert_false(r.resuming);
	assert_true(take(&r, 10, "first"));
}

/* Two breaks in a row, the second before any new line. */
static void twice(void **state)
{
	struct logs_resume r;

	(void)state;
	logs_resume_init(&r);
	assert_true(take(&r, 7000, "p"));
	logs_resume_again(&r);
	assert_false(take(&r, 7000, "p"));
	logs_resume_again(&r);
	assert_false(take(&r, 7000, "p"));
	assert_true(take(&r, 8000, "q"));
}

/* More lines in one millisecond than it remembers: the ones it forgot
 * come out again rather than new ones being lost. */
static void many_in_one_ms(void **state)
{
	struct logs_resume r;
	char t[16];
	int again = 0;

	(void)state;
	logs_resume_init(&r);
	for (int i = 0; i < LOGS_RESUME_SEEN + 10; i++) {
		snprintf(t, sizeof t, "l%d", i);
		assert_true(take(&r, 100, t));
	}
	logs_resume_again(&r);
	for (int i = 0; i < LOGS_RESUME_SEEN; i++) {
		snprintf(t, sizeof t, "l%d", i);
		assert_false(take(&r, 100, t));
	}
	for (int i = LOGS_RESUME_SEEN; i < LOGS_RESUME_SEEN + 10; i++) {
		snprintf(t, sizeof t, "l%d", i);
		again += take(&r, 100, t);
	}
	assert_int_equal(again, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_news_at_first),
		cmocka_unit_test(repeats_skipped),
		cmocka_unit_test(newer_ends_skipping),
		cmocka_unit_test(nothing_yet),
		cmocka_unit_test(twice),
		cmocka_unit_test(many_in_one_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
