/* fleet_ssh_sessions: the SSH connections a host gets as the fleet grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backends/transport/transport_ssh.h"
#include "core/fleet/fleet.h"

static void test_sessions_within_the_budget(void **state)
{
	(void)state;
	/* a small fleet: the transport's default, every host */
	assert_int_equal(fleet_ssh_sessions(0), TRANSPORT_SSH_DEFAULT_SESSIONS);
	assert_int_equal(fleet_ssh_sessions(1), TRANSPORT_SSH_DEFAULT_SESSIONS);
	assert_int_equal(fleet_ssh_sessions(2), 4);
	assert_int_equal(fleet_ssh_sessions(4), 4);
	/* beyond, the budget shared out, never below one */
	assert_int_equal(fleet_ssh_sessions(5), 3);
	assert_int_equal(fleet_ssh_sessions(8), 2);
	assert_int_equal(fleet_ssh_sessions(9), 1);
	assert_int_equal(fleet_ssh_sessions(40), 1);
	for (size_t n = 1; n <= 64; n++) {
		int s = fleet_ssh_sessions(n);

		assert_true(s >= 1 && s <= TRANSPORT_SSH_DEFAULT_SESSIONS);
		assert_true(s == 1 || (size_t)s * n <= FLEET_SSH_SESSIONS_BUDGET);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sessions_within_the_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
