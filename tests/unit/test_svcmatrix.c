/* Unit tests of tui/svcmatrix (the Services matrix's host window, its
 * off-screen mark, the rows' fold and order) and of tui/rows' orders (o)
 * and sorted header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tui/rows.h"
#include "tui/svcmatrix.h"

int main(void);

static struct docker_container mk(const char *name, double cpu, int64_t mem, int rst, int64_t started)
{
	struct docker_container c = { .name = (char *)(uintptr_t)name, .state = DOCKER_STATE_RUNNING,
		.health = DOCKER_HEALTH_HEALTHY, .restarts = rst, .exit_code = -1, .cpu_pct = cpu,
		.mem_bytes = mem, .started_at_ms = started };
	return c;
}

static void check_order(struct docker_container *c, size_t n, enum rows_order o, const char *const *want)
{
	const struct docker_container *v[8];

	for (size_t i = 0; i < n; i++)
		v[i] = &c[n - 1 - i];   /* reversed: the order must not come from the input */
	rows_sort_containers_by(v, n, o);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i]->name, want[i]);
}

static void test_orders(void **state)
{
	struct docker_container c[] = {
		mk("alpha", 5.0, 100, 0, 1000),
		mk("bravo", 50.0, -1, 3, 3000),
		mk("charlie", -1, 300, -1, 2000),
		mk("delta", 5.0, 300, 3, 0),       /* never started: last by uptime */
		mk("echo", 0.5, 200, 1, 3000),
	};
	static const char *const cpu[] = { "bravo", "alpha", "delta", "echo", "charlie" };
	static const char *const mem[] = { "charlie", "delta", "echo", "alpha", "bravo" };
	static const char *const rst[] = { "bravo", "delta", "echo", "alpha", "charlie" };
	static const char *const up[] = { "bravo", "echo", "charlie", "alpha", "delta" };
	static const char *const name[] = { "alpha", "bravo", "charlie", "delta", "echo" };
	static const char *const problems[] = { "charlie", "alpha", "bravo", "delta", "echo" };

	(void)state;
	c[2].health = DOCKER_HEALTH_UNHEALTHY;
	check_order(c, 5, ROWS_ORDER_CPU, cpu);          /* ties (5.0) by name, unknown last */
	check_order(c, 5, ROWS_ORDER_MEM, mem);
	check_order(c, 5, ROWS_ORDER_RESTARTS, rst);
	check_order(c, 5, ROWS_ORDER_UPTIME, up);        /* the latest start first */
	check_order(c, 5, ROWS_ORDER_NAME, name);
	check_order(c, 5, ROWS_ORDER_PROBLEMS, problems);
	/* an exited container's start is no uptime */
	c[1].state = DOCKER_STATE_EXITED;
	assert_true(rows_compare(&c[4], &c[1], ROWS_ORDER_UPTIME) < 0);
	assert_int_equal(rows_compare(&c[0], &c[0], ROWS_ORDER_CPU), 0);
}

static void test_order_cycle(void **state)
{
	enum rows_order o = ROWS_ORDER_PROBLEMS;
	static const char *const names[] = { "state (problems first)", "name", "CPU, highest first",
		"memory, most first", "restarts, most first", "uptime, shortest first" };

	(void)state;
	for (int i = 0; i < ROWS_ORDER_COUNT; i++) {
		assert_string_equal(rows_order_name(o), names[i]);
		o = rows_order_next(o);
	}
	assert_int_equal(o, ROWS_ORDER_PROBLEMS);
}

static void test_header_mark(void **state)
{
	char h[256];

	(void)state;
	rows_container_header_sorted(h, sizeof h, 80, ROWS_ORDER_CPU, true);
	assert_non_null(strstr(h, "CPU\xe2\x96\xbc"));
	assert_null(strstr(h, "MEM\xe2\x96\xbc"));
	rows_container_header_sorted(h, sizeof h, 80, ROWS_ORDER_UPTIME, false);
	assert_non_null(strstr(h, "UP ^"));
	rows_container_header_sorted(h, sizeof h, 80, ROWS_ORDER_NAME, true);
	assert_non_null(strstr(h, "CONTAINER\xe2\x96\xb2"));
	/* RST is 3 wide: the word gives way to the mark */
	rows_container_header_sorted(h, sizeof h, 80, ROWS_ORDER_RESTARTS, true);
	assert_non_null(strstr(h, " RS\xe2\x96\xbc "));
	/* the default order: no mark */
	rows_container_header_sorted(h, sizeof h, 80, ROWS_ORDER_PROBLEMS, true);
	assert_null(strstr(h, "\xe2\x96"));
	/* 40 wide: no CPU column, CONTAINER names the order */
	rows_container_header_sorted(h, sizeof h, 40, ROWS_ORDER_CPU, true);
	assert_non_null(strstr(h, "CONTAINER CPU\xe2\x96\xbc"));
	/* 30 wide: the name column is 13, "MEM▼" alone */
	rows_container_header_sorted(h, sizeof h, 30, ROWS_ORDER_MEM, true);
	assert_non_null(strstr(h, "  MEM\xe2\x96\xbc "));
	rows_container_header_sorted(h, sizeof h, 40, ROWS_ORDER_RESTARTS, false);
	assert_non_null(strstr(h, "R v"));
	assert_null(strstr(h, "CONTAINER R"));   /* RST is shown: marked in place */
	/* the unsorted header is the old one */
	{
		char a[256], b[256];

		rows_container_header(a, sizeof a, 80);
		rows_container_header_sorted(b, sizeof b, 80, ROWS_ORDER_COUNT, true);
		assert_string_equal(a, b);
		assert_null(strstr(a, "\xe2\x96"));
	}
}

static void test_window(void **state)
{
	struct svcmatrix_window w;
	size_t first = 0;
	char m[64];

	(void)state;
	/* 8 hosts in a 200-column matrix (156 cells): 5 shown, 3 off to the right */
	svcmatrix_window(8, 156, &first, &w);
	assert_int_equal(w.first, 0);
	assert_int_equal(w.count, 5);
	assert_int_equal(w.cellw, 31);
	assert_int_equal(w.left, 0);
	assert_int_equal(w.right, 3);
	svcmatrix_mark(m, sizeof m, &w, true);
	assert_string_equal(m, "3 more \xe2\x96\xb8");
	/* one on: both sides */
	first = 1;
	svcmatrix_window(8, 156, &first, &w);
	assert_int_equal(w.left, 1);
	assert_int_equal(w.right, 2);
	svcmatrix_mark(m, sizeof m, &w, true);
	assert_string_equal(m, "\xe2\x97\x82 1 more \xc2\xb7 2 more \xe2\x96\xb8");
	svcmatrix_mark(m, sizeof m, &w, false);
	assert_string_equal(m, "< 1 more | 2 more >");
	/* past the end: clamped so that the last window ends at the last host */
	first = 7;
	svcmatrix_window(8, 156, &first, &w);
	assert_int_equal(first, 3);
	assert_int_equal(w.first, 3);
	assert_int_equal(w.right, 0);
	svcmatrix_mark(m, sizeof m, &w, true);
	assert_string_equal(m, "\xe2\x97\x82 3 more");
	/* everything fits: no mark, the scroll forgotten */
	first = 2;
	svcmatrix_window(2, 156, &first, &w);
	assert_int_equal(first, 0);
	assert_int_equal(w.count, 2);
	assert_int_equal(w.cellw, 78);
	svcmatrix_mark(m, sizeof m, &w, true);
	assert_string_equal(m, "");
	/* 80 columns, two hosts and a PUBLIC column (41 cells): two narrow cells, not one */
	first = 0;
	svcmatrix_window(2, 41, &first, &w);
	assert_int_equal(w.count, 2);
	assert_int_equal(w.cellw, 20);
	/* too narrow for two: one, scrolled */
	svcmatrix_window(3, 20, &first, &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.right, 2);
	/* no hosts, no room */
	svcmatrix_window(0, 100, &first, &w);
	assert_int_equal(w.count, 0);
	svcmatrix_window(4, 0, &first, &w);
	assert_int_equal(w.count, 0);
}

static void test_sort_services(void **state)
{
	struct docker_container folded[] = {
		mk("web", 10, 100, 0, 1000), mk("db", 30, 50, 2, 500), mk("cache", 30, 70, 0, 2000),
	};
	size_t idx[] = { 4, 7, 9 };

	(void)state;
	svcmatrix_sort(idx, folded, 3, ROWS_ORDER_CPU);
	assert_int_equal(idx[0], 9);   /* cache: 30, ties with db by name */
	assert_int_equal(idx[1], 7);
	assert_int_equal(idx[2], 4);
}

static void test_fold(void **state)
{
	struct docker_container a = mk("web", 10, 100, 1, 1000);
	struct docker_container b = mk("web", -1, 50, 2, 3000);
	struct docker_container c = mk("web", 5, -1, -1, 2000);
	const struct docker_container *two[] = { &a, &b, &c };
	const struct docker_container *gap[] = { &a, NULL };
	struct docker_container out;

	(void)state;
	b.health = DOCKER_HEALTH_UNHEALTHY;
	svcmatrix_fold_hosts(two, 3, "web", &out);
	assert_string_equal(out.name, "web");
	assert_int_equal(out.health, DOCKER_HEALTH_UNHEALTHY);    /* the worst host's */
	assert_true(out.cpu_pct > 14.9 && out.cpu_pct < 15.1);    /* summed where known */
	assert_int_equal(out.mem_bytes, 150);
	assert_int_equal(out.restarts, 3);
	assert_int_equal(out.started_at_ms, 3000);                 /* the latest start */
	/* a host without one: nothing counted for it */
	svcmatrix_fold_hosts(gap, 2, "web", &out);
	assert_int_equal(out.state, DOCKER_STATE_RUNNING);
	assert_int_equal(out.restarts, 1);
	/* none anywhere: every figure unknown */
	svcmatrix_fold_hosts(gap + 1, 1, "web", &out);
	assert_int_equal(out.state, DOCKER_STATE_MISSING);
	assert_true(out.cpu_pct < 0);
	assert_true(out.mem_bytes < 0);
	assert_int_equal(out.restarts, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_order_cycle),
		cmocka_unit_test(test_header_mark),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_sort_services),
		cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
