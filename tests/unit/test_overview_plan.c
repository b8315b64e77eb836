/* Unit tests of tui/overview_plan: what a host column shows in the rows it
 * has, by priority.  The lab's kscloud1 has 13 containers, 2 of them bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/overview_plan.h"

int main(void);

static const struct overview_need lab = {
	.tunnel = true, .figures_max = OVERVIEW_FIGURES_FULL, .containers = true,
	.nbad = 2, .ntotal = 13, .spark_rows = 3,
};

/* Room for everything: every part, and no more rows used than it needs. */
static void test_tall_column_shows_all(void **state)
{
	struct overview_plan p = overview_plan(45, &lab);

	(void)state;
	assert_true(p.tunnel);
	assert_int_equal(p.figures, OVERVIEW_FIGURES_FULL);
	assert_true(p.sparks);
	assert_true(p.spacer);
	assert_int_equal(p.table, 1 + 13);                  /* header and every row */
	assert_int_equal(p.used, 1 + 5 + 3 + 1 + 14);
}

/* 50x20 (14 rows inside the column): the sparklines go first; the bad rows,
 * the tunnel and the gauges stay, the healthy rows take what is left. */
static void test_50x20_sparklines_go_first(void **state)
{
	struct overview_plan p = overview_plan(14, &lab);

	(void)state;
	assert_false(p.sparks);
	assert_true(p.tunnel);
	assert_int_equal(p.figures, OVERVIEW_FIGURES_FULL);
	assert_int_equal(p.table, 14 - 1 - 5);
	assert_true(p.table >= 1 + 2 + 1);                  /* header, both bad, the folded line */
	assert_int_equal(p.used, 14);
}

/* Short: the figures shrink to one line before a bad row is dropped. */
static void test_short_figures_one_line(void **state)
{
	struct overview_plan p = overview_plan(6, &lab);

	(void)state;
	assert_int_equal(p.table, 1 + 2 + 1);
	assert_true(p.tunnel);
	assert_int_equal(p.figures, 1);
	assert_false(p.sparks);
	assert_false(p.spacer);
}

/* Very short: the container states are the last to go. */
static void test_tiny_keeps_containers(void **state)
{
	struct overview_plan p = overview_plan(3, &lab);

	(void)state;
	assert_int_equal(p.table, 3);
	assert_false(p.tunnel);
	assert_int_equal(p.figures, 0);
}

/* An unreachable host's error line comes before everything. */
static void test_unreachable_first(void **state)
{
	struct overview_need n = lab;
	struct overview_plan p;

	(void)state;
	n.unreachable = true;
	p = overview_plan(2, &n);
	assert_true(p.reach_line);
	assert_int_equal(p.table, 1);
	assert_int_equal(p.used, 2);
}

/* No figures known: one line says why; nothing bad: no folded line needed
 * before the healthy rows. */
static void test_no_figures_all_healthy(void **state)
{
	struct overview_need n = { .figures_max = 1, .containers = true, .nbad = 0, .ntotal = 4 };
	struct overview_plan p = overview_plan(20, &n);

	(void)state;
	assert_int_equal(p.figures, 1);
	assert_false(p.sparks);
	assert_int_equal(p.table, 1 + 4);
	assert_int_equal(p.used, 1 + 1 + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tall_column_shows_all),
		cmocka_unit_test(test_50x20_sparklines_go_first),
		cmocka_unit_test(test_short_figures_one_line),
		cmocka_unit_test(test_tiny_keeps_containers),
		cmocka_unit_test(test_unreachable_first),
		cmocka_unit_test(test_no_figures_all_healthy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
