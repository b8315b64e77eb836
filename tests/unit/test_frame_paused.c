/* test_frame_paused — while the refresh is paused, the frame's SSH round
 * trip is the one measured when it paused (the keepalives go on and must
 * not move the label); whether the session is up is still now's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/model/frame.h"

static void test_rtt_frozen(void **state)
{
	struct fleet_reach at = { .known = true, .connected = true, .rtt_ms = 44 };
	struct fleet_reach now = { .known = true, .connected = true, .rtt_ms = 1 };

	(void)state;
	frame_reach_paused(&now, &at);
	assert_int_equal(now.rtt_ms, 44);
	assert_true(now.connected);
	/* down since: down, no round trip */
	now = (struct fleet_reach){ .known = true, .connected = false, .rtt_ms = -1 };
	frame_reach_paused(&now, &at);
	assert_false(now.connected);
	assert_int_equal(now.rtt_ms, -1);
	/* not measured at the pause: now's */
	at.rtt_ms = -1;
	now = (struct fleet_reach){ .known = true, .connected = true, .rtt_ms = 3 };
	frame_reach_paused(&now, &at);
	assert_int_equal(now.rtt_ms, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtt_frozen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
