/* Unit tests: core/format. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/base/format.h"

static void test_bytes_in_binary_units_unknown_as_question_mark(void **state)
{
	char b[32];

	format_bytes(b, sizeof b, 0);
	assert_string_equal(b, "0 B");
	format_bytes(b, sizeof b, 1023);
	assert_string_equal(b, "1023 B");
	format_bytes(b, sizeof b, 1536);
	assert_string_equal(b, "1.5 KiB");
	format_bytes(b, sizeof b, 5e9);
	assert_string_equal(b, "4.7 GiB");
	format_bytes(b, sizeof b, 200.0 * 1024 * 1024);
	assert_string_equal(b, "200 MiB");
	format_bytes(b, sizeof b, -1);
	assert_string_equal(b, "?");
	format_bytes(b, sizeof b, NAN);
	assert_string_equal(b, "?");
	format_bytes(b, sizeof b, 1e18);
	assert_string_equal(b, "888 PiB");
}

static void test_rate_and_pct_rounded_unknown_and_truncated(void **state)
{
	char b[32];

	format_rate(b, sizeof b, 1200);
	assert_string_equal(b, "1.2 KiB/s");
	format_pct(b, sizeof b, 12.345);
	assert_string_equal(b, "12.3%");
	format_pct(b, sizeof b, 100);
	assert_string_equal(b, "100%");
	format_pct(b, sizeof b, 0);
	assert_string_equal(b, "0.0%");
	format_pct(b, sizeof b, INFINITY);
	assert_string_equal(b, "?");
	/* a small buffer truncates, never overflows */
	format_rate(b, 4, 1200);
	assert_string_equal(b, "1.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_in_binary_units_unknown_as_question_mark),
		cmocka_unit_test(test_rate_and_pct_rounded_unknown_and_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
