/* Unit tests: the key table, and [keys] rebinding it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config/config.h"
#include "tui/keynames.h"
#include "tui/keys.h"

enum {   /* curses' values */
	FAKE_BTAB = 353, FAKE_LEFT = 260, FAKE_RIGHT = 261, FAKE_ENTER = 343, FAKE_BACKSPACE = 263,
	FAKE_F0 = 264, FAKE_HOME = 262, FAKE_END = 360,
};

/* The special keys registered and the defaults in force. */
static int setup(void **state)
{
	struct keys_special k = { .btab = FAKE_BTAB, .left = FAKE_LEFT, .right = FAKE_RIGHT,
		.down = 258, .up = 259, .npage = 338, .ppage = 339, .home = FAKE_HOME, .end = FAKE_END,
		.enter = FAKE_ENTER, .backspace = FAKE_BACKSPACE, .f0 = FAKE_F0 };

	keys_init(&k);
	return keys_apply(NULL, NULL);
}

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
			for (size_t a = 0; a < KEYS_MAX_CODES && t[i].codes[a]; a++)
				for (size_t b = 0; b < KEYS_MAX_CODES && t[j].codes[b]; b++)
					if (t[i].scope == t[j].scope)
						assert_int_not_equal(t[i].codes[a], t[j].codes[b]);
	}
}

/* [keys] text applied: 0, or -1 with the cause in *cause (the caller frees). */
static int apply(const char *text, char **cause)
{
	struct config *cfg = config_parse("t.conf", text, strlen(text), cause);
	int rc;

	if (cfg == NULL)
		fail_msg("%s", *cause);
	rc = keys_apply(&cfg->keys, cause);
	config_free(cfg);
	return rc;
}

static void apply_ok(const char *text)
{
	char *cause = NULL;

	if (apply(text, &cause) != 0)
		fail_msg("%s", cause);
}

static void expect_error(const char *text, const char *want)
{
	char *cause = NULL;

	assert_int_equal(apply(text, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static const char *label(const char *name)
{
	const struct key_binding *b = keynames_row(name);

	assert_non_null(b);
	return b->label;
}

static void test_remap_round_trip(void **state)
{
	apply_ok("[keys]\nquit = x, ctrl-x\nview-events = F6\nview-services = V\nfollow = F\n");
	assert_int_equal(keys_lookup('x', KEY_SCOPE_ANY), KEY_ACT_QUIT);
	assert_int_equal(keys_lookup(24, KEY_SCOPE_ANY), KEY_ACT_QUIT);
	assert_int_equal(keys_lookup('q', KEY_SCOPE_ANY), KEY_ACT_NONE);      /* the old key is free */
	assert_int_equal(keys_lookup('q', KEY_SCOPE_LOGS), KEY_ACT_CLOSE);    /* close-logs keeps it */
	assert_string_equal(label("quit"), "x, Ctrl-X");
	assert_string_equal(keys_for(KEY_ACT_QUIT)->label, "x, Ctrl-X");
	assert_int_equal(keys_lookup(FAKE_F0 + 6, KEY_SCOPE_ANY), KEY_ACT_VIEW_EVENTS);
	assert_int_equal(keys_lookup('6', KEY_SCOPE_ANY), KEY_ACT_NONE);
	assert_string_equal(keys_for(KEY_ACT_VIEW_EVENTS)->label, "F6");   /* the header's tab */
	assert_int_equal(keys_lookup('V', KEY_SCOPE_ANY), KEY_ACT_VIEW_SERVICES);
	assert_int_equal(keys_lookup('2', KEY_SCOPE_ANY), KEY_ACT_NONE);
	/* a scope's own key hides a global one, as q in the logs does */
	assert_int_equal(keys_lookup('F', KEY_SCOPE_LOGS), KEY_ACT_FOLLOW);
	assert_int_equal(keys_lookup('F', KEY_SCOPE_ANY), KEY_ACT_FLIP);
	assert_int_equal(keys_lookup('f', KEY_SCOPE_LOGS), KEY_ACT_NONE);
	assert_string_equal(label("follow"), "F (logs)");
	assert_string_equal(label("help"), "?");   /* not rebound: its own label */

	/* Enter and Backspace arrive as several codes; one name each in the label */
	apply_ok("[keys]\nreplay-pause = enter, backspace, f1, up\ndetail = o\nsort = ctrl-o\n");
	assert_int_equal(keys_lookup('\r', KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup('\n', KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup(FAKE_ENTER, KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup(127, KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup(FAKE_BACKSPACE, KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup(259, KEY_SCOPE_REPLAY), KEY_ACT_REPLAY_PAUSE);
	assert_int_equal(keys_lookup(' ', KEY_SCOPE_REPLAY), KEY_ACT_NONE);
	assert_string_equal(label("replay-pause"), "Enter, Backspace, F1, \xe2\x86\x91 (replay)");
	assert_int_equal(keys_lookup('o', KEY_SCOPE_ANY), KEY_ACT_DETAIL);
	assert_int_equal(keys_lookup('\r', KEY_SCOPE_ANY), KEY_ACT_NONE);
	/* the first call's rebinding is gone: each call starts from the defaults */
	assert_int_equal(keys_lookup('q', KEY_SCOPE_ANY), KEY_ACT_QUIT);
	assert_string_equal(label("quit"), "q");

	assert_int_equal(keys_apply(NULL, NULL), 0);
	assert_int_equal(keys_lookup('\r', KEY_SCOPE_ANY), KEY_ACT_DETAIL);
	assert_string_equal(label("detail"), "Enter");
}

static void test_rebinding_a_held_key_needs_its_holder_rebound(void **state)
{
	expect_error("[keys]\nrestart = R\n",
	             "t.conf:2: R for restart is already the key of refresh: rebind refresh too, "
	             "or choose another key");
	apply_ok("[keys]\nrestart = R\nrefresh = ctrl-r\n");
	assert_int_equal(keys_lookup('R', KEY_SCOPE_ANY), KEY_ACT_RESTART);
	assert_int_equal(keys_lookup(18, KEY_SCOPE_ANY), KEY_ACT_REFRESH);
	assert_int_equal(keys_lookup('r', KEY_SCOPE_ANY), KEY_ACT_NONE);
	expect_error("[keys]\nlogs = enter\n",
	             "t.conf:2: Enter for logs is already the key of detail: rebind detail too, "
	             "or choose another key");
	expect_error("[keys]\nbottom = home\n",
	             "t.conf:2: Home for bottom is already the key of top: rebind top too, "
	             "or choose another key");
	/* the text viewers' keys meet the logs' and the detail's */
	expect_error("[keys]\nsearch-next = f\n",
	             "t.conf:2: f for search-next is already the key of follow: rebind follow too, "
	             "or choose another key");
	/* the same key twice in [keys], in one scope: said on the later line */
	expect_error("[keys]\nquit = x\n\nhelp = x\n",
	             "t.conf:4: x is given twice in [keys]: for help, and for quit on line 2");
	expect_error("[keys]\nhelp = Q\nquit = Q\n",
	             "t.conf:3: Q is given twice in [keys]: for quit, and for help on line 2");
	/* in scopes that never meet, one key may serve both */
	apply_ok("[keys]\nclose-logs = x\nclose-detail = x\n");
	assert_int_equal(keys_lookup('x', KEY_SCOPE_LOGS), KEY_ACT_CLOSE);
	assert_int_equal(keys_lookup('x', KEY_SCOPE_DETAIL), KEY_ACT_CLOSE);
	assert_string_equal(label("close-logs"), "x (logs)");
}

static void test_unknown_actions_and_errors_change_nothing(void **state)
{
	apply_ok("[keys]\nquit = x\n");
	expect_error("[keys]\nhelp = h\n",
	             "t.conf:2: h for help is already the key of host-prev: rebind host-prev too, "
	             "or choose another key");
	expect_error("[keys]\nhelp = ctrl-h\nquitt = z\n",
	             "t.conf:3: unknown action quitt in [keys] (did you mean quit?)");
	expect_error("[keys]\nfrobnicate = z\n",
	             "t.conf:2: unknown action frobnicate in [keys]: the actions are listed in "
	             "man kitetop (KEYS)");
	/* still the last good call's table */
	assert_int_equal(keys_lookup('x', KEY_SCOPE_ANY), KEY_ACT_QUIT);
	assert_int_equal(keys_lookup('?', KEY_SCOPE_ANY), KEY_ACT_HELP);
	assert_string_equal(label("quit"), "x");
	assert_string_equal(label("help"), "?");
}

static void test_names_and_footer_hints(void **state)
{
	char buf[32];

	assert_string_equal(keynames_code(' ', buf, sizeof buf), "Space");
	assert_string_equal(keynames_code('\t', buf, sizeof buf), "Tab");
	assert_string_equal(keynames_code(27, buf, sizeof buf), "Esc");
	assert_string_equal(keynames_code(1, buf, sizeof buf), "Ctrl-A");
	assert_string_equal(keynames_code(FAKE_ENTER, buf, sizeof buf), "Enter");
	assert_string_equal(keynames_code(127, buf, sizeof buf), "Backspace");
	assert_string_equal(keynames_code(FAKE_F0 + 12, buf, sizeof buf), "F12");
	assert_string_equal(keynames_code(FAKE_BTAB, buf, sizeof buf), "Shift-Tab");
	assert_string_equal(keynames_code(FAKE_LEFT, buf, sizeof buf), "\xe2\x86\x90");
	assert_string_equal(keynames_code('?', buf, sizeof buf), "?");

	assert_string_equal(keynames_hint(&(struct keynames_hint){ "search-next search-prev", "" }, buf,
	                                  sizeof buf), "n N");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "down/up", "" }, buf, sizeof buf), "j/k");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "host-next", "" }, buf, sizeof buf), "Tab");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "close-logs", "" }, buf, sizeof buf), "Esc");
	apply_ok("[keys]\nhelp = F1, ?\ndown = ctrl-n\nup = ctrl-p\nquit = x\n");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "help", "" }, buf, sizeof buf), "F1");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "down/up", "" }, buf, sizeof buf),
	                    "Ctrl-N/Ctrl-P");
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "quit", "" }, buf, sizeof buf), "x");
	/* a short buffer is cut, not overrun */
	assert_string_equal(keynames_hint(&(struct keynames_hint){ "down/up", "" }, buf, 8), "Ctrl-N/");
}

/* The man page lists every action [keys] can name. */
static void test_man_page_lists_every_action(void **state)
{
	FILE *f = fopen("kitetop.1", "r");
	char *text = calloc(1, 256 * 1024), *p, *q;
	size_t n, len;
	const struct key_binding *t = keys_table(&n);

	assert_non_null(f);
	assert_non_null(text);
	len = fread(text, 1, 256 * 1024 - 1, f);
	fclose(f);
	text[len] = '\0';
	/* roff writes a hyphen as \- */
	for (p = q = text; *p != '\0'; p++)
		if (!(p[0] == '\\' && p[1] == '-'))
			*q++ = *p;
	*q = '\0';
	for (size_t i = 0; i < n; i++)
		if (strstr(text, t[i].name) == NULL)
			fail_msg("kitetop.1 does not name the action %s", t[i].name);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lookup, setup),
		cmocka_unit_test_setup(test_table_is_complete, setup),
		cmocka_unit_test_setup(test_remap_round_trip, setup),
		cmocka_unit_test_setup(test_rebinding_a_held_key_needs_its_holder_rebound, setup),
		cmocka_unit_test_setup(test_unknown_actions_and_errors_change_nothing, setup),
		cmocka_unit_test_setup(test_names_and_footer_hints, setup),
		cmocka_unit_test(test_man_page_lists_every_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
