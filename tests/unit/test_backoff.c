/* Unit tests: the backoff sequence (doubling, cap) and its jitter, with the
 * random value given, and the random source's range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/backoff.h"
#include "core/feeds/source.h"

static void test_doubles_up_to_the_cap(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay_ms(1000, 0, 15000), 1000);
	assert_int_equal(backoff_delay_ms(1000, 1, 15000), 2000);
	assert_int_equal(backoff_delay_ms(1000, 3, 15000), 8000);
	assert_int_equal(backoff_delay_ms(1000, 4, 15000), 15000);
	assert_int_equal(backoff_delay_ms(1000, 1000, 15000), 15000);
	assert_int_equal(backoff_delay_ms(0, 0, 15000), 1000);
	assert_int_equal(backoff_delay_ms(-5, 2, 15000), 4000);
}

static void test_jitter_spreads_by_a_fifth(void **state)
{
	(void)state;
	assert_int_equal(backoff_jitter_ms(15000, 0.0), 12000);
	assert_int_equal(backoff_jitter_ms(15000, 0.5), 15000);
	assert_int_equal(backoff_jitter_ms(15000, 0.75), 16500);
	/* r just below 1 stays below the upper end */
	assert_true(backoff_jitter_ms(15000, 0.9999999) < 18000);
	assert_true(backoff_jitter_ms(15000, 0.9999999) >= 17999);
	/* out of range is clamped, never a wait of 0 */
	assert_int_equal(backoff_jitter_ms(15000, -3.0), 12000);
	assert_true(backoff_jitter_ms(15000, 7.0) < 18000);
	assert_int_equal(backoff_jitter_ms(1, 0.0), 1);
	assert_int_equal(backoff_jitter_ms(0, 0.5), 1);
}

static void test_random_is_in_range_and_moves(void **state)
{
	uint64_t st = 0, st2 = 42;
	double lo = 1.0, hi = 0.0, prev = -1.0;
	int same = 0;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		double r = backoff_random(&st);

		assert_true(r >= 0.0 && r < 1.0);
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
		same += r == prev;
		prev = r;
	}
	assert_true(st != 0);
	assert_true(lo < 0.05 && hi > 0.95);
	assert_int_equal(same, 0);
	/* a given state gives a given sequence */
	{
		uint64_t a = 42;
		double r1 = backoff_random(&st2), r2 = backoff_random(&a);

		assert_true(r1 == r2);
	}
}

/* The SSH reconnection and the sources' polls after failures: both stop
 * growing at 15 s, so that a host that comes back is seen within 15 s at
 * worst even without the wake-ups; with the jitter 18 s. */
static void test_the_caps(void **state)
{
	(void)state;
	assert_int_equal(TRANSPORT_SSH_BACKOFF_MIN_MS, 1000);
	assert_int_equal(TRANSPORT_SSH_BACKOFF_MAX_MS, 15000);
	assert_int_equal(SOURCE_MAX_BACKOFF_MS, 15000);
	assert_int_equal(backoff_delay_ms(TRANSPORT_SSH_BACKOFF_MIN_MS, 30,
	                                  TRANSPORT_SSH_BACKOFF_MAX_MS), 15000);
	assert_true(backoff_jitter_ms(TRANSPORT_SSH_BACKOFF_MAX_MS, 0.999) <= 18000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_up_to_the_cap),
		cmocka_unit_test(test_jitter_spreads_by_a_fifth),
		cmocka_unit_test(test_random_is_in_range_and_moves),
		cmocka_unit_test(test_the_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
