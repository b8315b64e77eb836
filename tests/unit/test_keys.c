/* Unit tests: the key table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tui/keys.h"

enum { FAKE_BTAB = 353, FAKE_LEFT = 260, FAKE_RIGHT = 261 };   /* curses' values */

static void test_lookup(void **state)
{
	struct keys_special k = { .btab = FAKE_BTAB, .left = FAKE_LEFT, .right = FAKE_RIGHT,
		.down = 258, .up = 259, .npage = 338, .ppage = 339, .home = 262, .end = 360 };

	keys_init(&k);
	assert_int_equal(keys_lookup(258, KEY_SCOPE_ANY), KEY_ACT_DOWN);
	assert_int_equal(keys_lookup('k', KEY_SCOPE_ANY), KEY_ACT_UP);
	assert_int_equal(keys_lookup(338, KEY_SCOPE_ANY), KEY_ACT_PAGE_DOWN);
	assert_int_equal(keys_lookup(360, KEY_SCOPE_ANY), KEY_ACT_BOTTOM);
	assert_int_equal(keys_lookup('q', KEY_SCOPE_ANY), KEY_ACT_QUIT);
	assert_int_equal(keys_lookup('q', KEY_SCOPE_HELP), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup(27, KEY_SCOPE_HELP), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup(27, KEY_SCOPE_ANY), KEY_ACT_CLOSE);   /* clears the filter */
	assert_int_equal(keys_lookup('?', KEY_SCOPE_ANY), KEY_ACT_HELP);
	assert_int_equal(keys_lookup('L', KEY_SCOPE_ANY), KEY_ACT_LOGS);
	assert_int_equal(keys_lookup('5', KEY_SCOPE_ANY), KEY_ACT_VIEW_METRICS);
	assert_int_equal(keys_lookup('q', KEY_SCOPE_LOGS), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup('f', KEY_SCOPE_LOGS), KEY_ACT_FOLLOW);
	assert_int_equal(keys_lookup('f', KEY_SCOPE_ANY), KEY_ACT_NONE);
	assert_int_equal(keys_lookup('j', KEY_SCOPE_LOGS), KEY_ACT_DOWN);
	assert_int_equal(keys_lookup('2', KEY_SCOPE_ANY), KEY_ACT_VIEW_SERVICES);
	assert_int_equal(keys_lookup('3', KEY_SCOPE_ANY), KEY_ACT_VIEW_DATA);
	assert_int_equal(keys_lookup('\t', KEY_SCOPE_ANY), KEY_ACT_HOST_NEXT);
	assert_int_equal(keys_lookup(FAKE_RIGHT, KEY_SCOPE_ANY), KEY_ACT_HOST_NEXT);
	assert_int_equal(keys_lookup(FAKE_BTAB, KEY_SCOPE_ANY), KEY_ACT_HOST_PREV);
	assert_int_equal(keys_lookup(FAKE_LEFT, KEY_SCOPE_ANY), KEY_ACT_HOST_PREV);
	/* help-scope keys fall through to the global ones */
	assert_int_equal(keys_lookup('R', KEY_SCOPE_HELP), KEY_ACT_REFRESH);
	assert_int_equal(keys_lookup('x', KEY_SCOPE_ANY), KEY_ACT_NONE);
	assert_int_equal(keys_lookup(0, KEY_SCOPE_ANY), KEY_ACT_NONE);
}

static void test_table_is_complete(void **state)
{
	size_t n;
	const struct key_binding *t = keys_table(&n);

	assert_true(n >= 8);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(t[i].label);
		assert_true(strlen(t[i].help) > 3);
		assert_int_not_equal(t[i].codes[0], 0);
		assert_int_not_equal(t[i].action, KEY_ACT_NONE);
		/* no code is bound twice in the same scope */
		for (size_t j = i + 1; j < n; j++)
			for (size_t a = 0; a < 4 && t[i].codes[a]; a++)
				for (size_t b = 0; b < 4 && t[j].codes[b]; b++)
					if (t[i].scope == t[j].scope)
						assert_int_not_equal(t[i].codes[a], t[j].codes[b]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_table_is_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
