/* Unit test: the example configuration shipped in examples/ parses (its
 * hosts are Tailscale addresses: parsed only, never contacted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config/config.h"
#include "tui/keys.h"

static void test_kitestacks_example(void **state)
{
	char *cause = NULL;
	struct config *cfg;

	setenv("KITETOP_PG_PASSWORD", "x", 1);
	setenv("KITETOP_AUTHENTIK_TOKEN", "x", 1);
	setenv("KITETOP_CLOUDFLARE_TOKEN", "x", 1);
	cfg = config_load("examples/kitestacks.conf", &cause);
	if (cfg == NULL)
		fail_msg("examples/kitestacks.conf: %s", cause);
	assert_int_equal(cfg->nhosts, 2);
	assert_string_equal(cfg->hosts[0].name, "monk");
	assert_string_equal(cfg->hosts[1].name, "kscloud1");
	assert_non_null(cfg->prometheus);
	assert_non_null(cfg->postgres);
	assert_non_null(cfg->redis);
	assert_non_null(cfg->authentik);
	assert_non_null(cfg->cloudflare);
	assert_true(cfg->nservices >= 8);
	assert_int_equal(cfg->npanels, 2);
	/* its [keys] goes on the key table as the dashboard would put it */
	assert_int_equal(cfg->keys.n, 1);
	assert_int_equal(keys_apply(&cfg->keys, &cause), 0);
	assert_int_equal(keys_lookup('6', KEY_SCOPE_ANY), KEY_ACT_VIEW_EVENTS);
	assert_int_equal(keys_apply(NULL, NULL), 0);
	config_free(cfg);
	/* without its secrets' variables it says which one is missing */
	unsetenv("KITETOP_PG_PASSWORD");
	assert_null(config_load("examples/kitestacks.conf", &cause));
	assert_non_null(strstr(cause, "KITETOP_PG_PASSWORD"));
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kitestacks_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
