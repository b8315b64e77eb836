/* Unit tests of tui/row_order: a host's rows' order kept by list version
 * gives the rows of the next value of that version (a copy of the list) in
 * the order a sort would give them, and is not taken for another version,
 * order, filter or count, nor kept for an order by CPU or memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/util.h"
#include "tui/row_order.h"
#include "tui/rows.h"

int main(void);

#define N 6

/* A list of N containers in an order no sort gives, some in trouble. */
static struct docker_container *list_new(void)
{
	static const char *const names[N] = { "web", "db", "cache", "api", "queue", "auth" };
	static const enum docker_state states[N] = { DOCKER_STATE_RUNNING, DOCKER_STATE_EXITED,
		DOCKER_STATE_RUNNING, DOCKER_STATE_RESTARTING, DOCKER_STATE_RUNNING, DOCKER_STATE_RUNNING };
	struct docker_container *l = xcalloc(N, sizeof *l);

	for (size_t i = 0; i < N; i++)
		l[i] = (struct docker_container){ .name = (char *)(uintptr_t)names[i], .state = states[i],
			.health = DOCKER_HEALTH_NONE, .restarts = (int)i, .exit_code = 1,
			.cpu_pct = (double)i, .mem_bytes = 100 * (int64_t)i, .mem_limit_bytes = -1 };
	return l;
}

/* The rows of items and missing, sorted as overview_rows sorts them. */
static size_t sorted(const struct docker_container **v, struct docker_container *items,
                     struct docker_container *missing, size_t nmissing, enum rows_order sort)
{
	size_t n = 0;

	for (size_t i = 0; i < N; i++)
		v[n++] = &items[i];
	for (size_t i = 0; i < nmissing; i++)
		v[n++] = &missing[i];
	rows_sort_containers_by(v, n, sort);
	return n;
}

static void test_taken_for_a_copy(void **state)
{
	struct docker_container *a = list_new(), *b = list_new();
	struct docker_container miss_a[1] = { { .name = (char *)"kite", .state = DOCKER_STATE_MISSING } };
	struct docker_container miss_b[1] = { { .name = (char *)"kite", .state = DOCKER_STATE_MISSING } };
	const struct docker_container *va[N + 1], *vb[N + 1], *want[N + 1];
	struct row_order o = { 0 };
	size_t n, nb = 0;

	(void)state;
	for (enum rows_order s = 0; s < ROWS_ORDER_COUNT; s++) {
		n = sorted(va, a, miss_a, 1, s);
		row_order_keep(&o, 42, s, "", va, n, a, N, miss_a, 1);
		if (!row_order_keepable(s)) {
			assert_false(row_order_take(&o, 42, s, "", vb, &nb, b, N, miss_b, 1));
			continue;
		}
		/* b: a copy of a's list, other figures (which the order does not read) */
		for (size_t i = 0; i < N; i++)
			b[i].cpu_pct = 50 - (double)i;
		assert_true(row_order_take(&o, 42, s, "", vb, &nb, b, N, miss_b, 1));
		assert_int_equal(nb, N + 1);
		assert_int_equal(sorted(want, b, miss_b, 1, s), N + 1);
		for (size_t i = 0; i < nb; i++)
			assert_ptr_equal(vb[i], want[i]);   /* b's own rows, as a sort of b gives them */
		/* another version, order, filter or count: not taken */
		assert_false(row_order_take(&o, 43, s, "", vb, &nb, b, N, miss_b, 1));
		assert_false(row_order_take(&o, 42, rows_order_next(s), "", vb, &nb, b, N, miss_b, 1));
		assert_false(row_order_take(&o, 42, s, "we", vb, &nb, b, N, miss_b, 1));
		assert_false(row_order_take(&o, 42, s, "", vb, &nb, b, N - 1, miss_b, 1));
		assert_false(row_order_take(&o, 42, s, "", vb, &nb, b, N, miss_b, 0));
	}
	/* version 0 (unknown): never kept */
	n = sorted(va, a, miss_a, 1, ROWS_ORDER_NAME);
	row_order_keep(&o, 0, ROWS_ORDER_NAME, "", va, n, a, N, miss_a, 1);
	assert_false(row_order_take(&o, 0, ROWS_ORDER_NAME, "", vb, &nb, b, N, miss_b, 1));
	/* a row of neither array: nothing kept */
	va[0] = &miss_b[0];
	row_order_keep(&o, 42, ROWS_ORDER_NAME, "", va, n, a, N, miss_a, 1);
	assert_false(row_order_take(&o, 42, ROWS_ORDER_NAME, "", vb, &nb, b, N, miss_b, 1));
	row_order_done(&o);
	free(a);
	free(b);
}

/* A filter: the order of the rows that match, taken for the same filter. */
static void test_filtered(void **state)
{
	struct docker_container *a = list_new(), *b = list_new();
	const struct docker_container *va[N + 1], *vb[N + 1];
	struct row_order o = { 0 };
	size_t n = 0, nb = 0;

	(void)state;
	for (size_t i = 0; i < N; i++)
		if (rows_name_match(a[i].name, "a"))
			va[n++] = &a[i];
	rows_sort_containers_by(va, n, ROWS_ORDER_PROBLEMS);
	assert_int_equal(n, 3);   /* cache, api, auth */
	row_order_keep(&o, 7, ROWS_ORDER_PROBLEMS, "a", va, n, a, N, NULL, 0);
	assert_true(row_order_take(&o, 7, ROWS_ORDER_PROBLEMS, "a", vb, &nb, b, N, NULL, 0));
	assert_int_equal(nb, n);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(vb[i], &b[va[i] - a]);
	row_order_done(&o);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_taken_for_a_copy),
		cmocka_unit_test(test_filtered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
