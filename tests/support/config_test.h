/* config_test — shared set-up of the config unit tests (test_config.c,
 * test_config_env.c): a temporary HOME holding the secret files that the
 * KiteStacks example names, and checks of parse results. */
#ifndef KITETOP_TESTS_CONFIG_TEST_H
#define KITETOP_TESTS_CONFIG_TEST_H

#include <stddef.h>
#include <sys/types.h>

#include "core/config/config.h"

#define CONFIG_TEST_FIXTURE "tests/fixtures/config/kitestacks.conf"

/* The temporary HOME, set by config_test_group_setup(). */
extern char config_test_home[64];

/* cmocka group set-up: makes HOME with ~/.config/kitetop/{pg.pass,
 * authentik.token,cloudflare.token} (mode 0600); teardown removes it all. */
int config_test_group_setup(void **state);
int config_test_group_teardown(void **state);
/* Per test: HOME back to the temporary one, XDG_*, KITETOP_CONFIG, DOCKER_* unset. */
int config_test_setup(void **state);

void config_test_write_file(const char *path, const char *text, mode_t mode);
void config_test_write_home_file(const char *rel, const char *text, mode_t mode);
/* HOME/rel; caller frees. */
char *config_test_home_path(const char *rel);
/* config_parse("t.conf", text) that must succeed; caller frees with config_free. */
struct config *config_test_parse_ok(const char *text);
/* config_parse("t.conf", text) that must fail with "t.conf:LINE: ...phrase...". */
void config_test_expect_error(const char *text, size_t len, int line, const char *phrase);
void config_test_expect_error_s(const char *text, int line, const char *phrase);

#endif
