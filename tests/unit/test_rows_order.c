/* Unit tests of tui/rows: the filter match (/) and both orders of the
 * container tables (o). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tui/rows.h"

int main(void);

static struct docker_container mk(const char *name, enum docker_state st, enum docker_health h)
{
	struct docker_container c = { .name = (char *)(uintptr_t)name, .state = st, .health = h,
		.restarts = 0, .exit_code = -1, .cpu_pct = -1, .mem_bytes = -1 };
	return c;
}

static void test_name_match(void **state)
{
	(void)state;
	assert_true(rows_name_match("grafana", "gra"));
	assert_true(rows_name_match("grafana", "GRA"));
	assert_true(rows_name_match("Grafana", "afa"));
	assert_true(rows_name_match("kite-litellm", "LITE"));
	assert_true(rows_name_match("grafana", ""));
	assert_true(rows_name_match("grafana", NULL));
	assert_true(rows_name_match("grafana", "grafana"));
	assert_false(rows_name_match("grafana", "grafanas"));
	assert_false(rows_name_match("homepage", "gra"));
	assert_false(rows_name_match("", "a"));
	assert_false(rows_name_match("ab", "abc"));
}

static void test_series_match(void **state)
{
	(void)state;
	/* the title keeps every series of its panel */
	assert_true(rows_series_match("CPU busy %", "monk", "cpu"));
	assert_true(rows_series_match("CPU busy %", "kscloud1", "CPU"));
	/* else the series by its own label */
	assert_true(rows_series_match("Memory used %", "kscloud1", "cloud"));
	assert_false(rows_series_match("Memory used %", "monk", "cloud"));
	assert_false(rows_series_match("Load (1 min)", "monk mode=user", "kscloud"));
	assert_true(rows_series_match("Load (1 min)", "monk mode=user", "MODE=u"));
	assert_true(rows_series_match("Load (1 min)", "monk", ""));
}

static void test_orders(void **state)
{
	struct docker_container a = mk("b-ok", DOCKER_STATE_RUNNING, DOCKER_HEALTH_HEALTHY);
	struct docker_container b = mk("a-ok", DOCKER_STATE_RUNNING, DOCKER_HEALTH_NONE);
	struct docker_container c = mk("z-exited", DOCKER_STATE_EXITED, DOCKER_HEALTH_NONE);
	struct docker_container d = mk("m-unhealthy", DOCKER_STATE_RUNNING, DOCKER_HEALTH_UNHEALTHY);
	struct docker_container e = mk("c-missing", DOCKER_STATE_MISSING, DOCKER_HEALTH_NONE);
	struct docker_container f = mk("d-starting", DOCKER_STATE_RUNNING, DOCKER_HEALTH_STARTING);
	const struct docker_container *v[] = { &a, &b, &c, &d, &e, &f };
	static const char *const problems[] = { "c-missing", "z-exited", "m-unhealthy", "d-starting", "a-ok", "b-ok" };
	static const char *const names[] = { "a-ok", "b-ok", "c-missing", "d-starting", "m-unhealthy", "z-exited" };

	(void)state;
	rows_sort_containers_by(v, 6, ROWS_ORDER_PROBLEMS);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(v[i]->name, problems[i]);
	rows_sort_containers_by(v, 6, ROWS_ORDER_NAME);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(v[i]->name, names[i]);
	/* and back: the toggle is its own inverse */
	rows_sort_containers_by(v, 6, ROWS_ORDER_PROBLEMS);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(v[i]->name, problems[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_match),
		cmocka_unit_test(test_series_match),
		cmocka_unit_test(test_orders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
