/* Unit tests of tui/changes: what counts as a change for the worse, and how
 * long it stays highlighted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tui/changes.h"

int main(void);

static void test_rule(void **state)
{
	(void)state;
	assert_true(changes_is_worse(0, 2));     /* healthy -> unhealthy */
	assert_true(changes_is_worse(0, 3));     /* running -> exited / missing / unreachable */
	assert_true(changes_is_worse(1, 2));     /* starting -> unhealthy */
	assert_true(changes_is_worse(2, 3));     /* unhealthy -> exited */
	assert_false(changes_is_worse(0, 1));    /* -> starting: not a problem yet */
	assert_false(changes_is_worse(3, 2));    /* better */
	assert_false(changes_is_worse(2, 2));    /* the same */
	assert_false(changes_is_worse(3, 0));
	assert_false(changes_is_worse(-1, 3));   /* first seen: no change */
}

static void test_sequence(void **state)
{
	struct changes *c = changes_new();

	(void)state;
	/* first sight of a bad container: not highlighted (not seen to change) */
	assert_false(changes_note(c, "kscloud1\x1f" "karakeep", 2, 1000));
	assert_int_equal(changes_until(c, "kscloud1\x1f" "karakeep", 1000), 0);
	assert_false(changes_note(c, "monk\x1fgrafana", 0, 1000));
	assert_false(changes_note(c, "monk", 0, 1000));
	assert_false(changes_note(c, "monk\x1fgrafana", 0, 3000));
	/* grafana goes unhealthy at 5 s: highlighted until 15 s */
	assert_true(changes_note(c, "monk\x1fgrafana", 2, 5000));
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 5000), 15000);
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 14999), 15000);
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 15000), 0);
	/* still unhealthy: no new change, no second bell */
	assert_false(changes_note(c, "monk\x1fgrafana", 2, 7000));
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 8000), 15000);
	/* then exited: worse again, a new highlight from then */
	assert_true(changes_note(c, "monk\x1fgrafana", 3, 9000));
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 9000), 19000);
	/* back to healthy: the highlight ends at once */
	assert_false(changes_note(c, "monk\x1fgrafana", 0, 10000));
	assert_int_equal(changes_until(c, "monk\x1fgrafana", 10000), 0);
	/* the host becomes unreachable */
	assert_true(changes_note(c, "monk", 3, 20000));
	assert_int_equal(changes_until(c, "monk", 21000), 30000);
	/* other items are untouched; unknown keys are not highlighted */
	assert_int_equal(changes_until(c, "kscloud1\x1f" "karakeep", 21000), 0);
	assert_int_equal(changes_until(c, "nowhere", 21000), 0);
	assert_int_equal(changes_until(NULL, "monk", 21000), 0);
	changes_free(c);
}

static void test_many(void **state)
{
	struct changes *c = changes_new();
	char key[32];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "h\x1f%04d", (i * 7919) % 1000);
		assert_false(changes_note(c, key, 0, 0));
	}
	for (int i = 0; i < 1000; i += 3) {
		snprintf(key, sizeof key, "h\x1f%04d", i);
		assert_true(changes_note(c, key, 3, 100));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "h\x1f%04d", i);
		assert_int_equal(changes_until(c, key, 200), i % 3 == 0 ? 10100 : 0);
	}
	changes_free(c);
}

/* Noting an item again at the level it has changes nothing, whenever:
 * ui_changes_scan skips a host whose list is of the version it scanned
 * last, which would note every container again at its level. */
static void test_same_level_again(void **state)
{
	static const int seq[] = { 0, 2, 3, 1, 3, 0, 2, 2 };
	struct changes *c = changes_new();

	(void)state;
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		int64_t t = 1000 * (int64_t)(i + 1);
		int64_t until;

		changes_note(c, "h\x1f" "x", seq[i], t);
		until = changes_until(c, "h\x1f" "x", t);
		for (int64_t later = t; later < t + 3000; later += 700) {
			assert_false(changes_note(c, "h\x1f" "x", seq[i], later));
			assert_int_equal(changes_until(c, "h\x1f" "x", t), until);
		}
	}
	changes_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_same_level_again),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
