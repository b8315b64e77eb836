/* Where themes are looked for: widgets/theme_dirs.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "widgets/theme_dirs.h"

static void expect_dirs(const char *datadir, const struct theme_dirs_env *env,
    const char *const *want)
{
	char *dirs[THEME_DIRS_MAX];
	size_t n = theme_dirs(datadir, env, dirs), i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < n);
		assert_string_equal(dirs[i], want[i]);
	}
	assert_int_equal(n, i);
	theme_dirs_free(dirs, n);
}

/* An installed binary: config, data home, its own prefix, the build's
 * DATADIR, the XDG data dirs, the binary's own themes/, ./themes. */
static void test_installed_binary_finds_its_prefix_first_after_the_user(void **state)
{
	const struct theme_dirs_env env = {
		.home = "/home/op", .exe = "/opt/kt/bin/kitetop",
	};
	static const char *const want[] = {
		"/home/op/.config/kitetop/themes",
		"/home/op/.local/share/kitetop/themes",
		"/opt/kt/share/kitetop/themes",
		"/usr/local/share/kitetop/themes",
		"/usr/share/kitetop/themes",
		"/opt/kt/bin/themes",
		"./themes",
		NULL,
	};

	/* built for /usr/local (make's default), installed under /opt/kt */
	expect_dirs("/usr/local/share/kitetop", &env, want);
}

static void test_xdg_variables_and_duplicates(void **state)
{
	const struct theme_dirs_env env = {
		.xdg_config_home = "/cfg", .xdg_data_home = "/data/",
		.xdg_data_dirs = "/usr/share:relative/ignored::/usr/share/:/srv/share",
		.home = "/home/op", .exe = "/usr/bin/kitetop",
	};
	static const char *const want[] = {
		"/cfg/kitetop/themes",
		"/data/kitetop/themes",
		"/usr/share/kitetop/themes",   /* the prefix, and the data dirs' first: once */
		"/srv/share/kitetop/themes",
		"/usr/bin/themes",
		"./themes",
		NULL,
	};

	expect_dirs("/usr/share/kitetop", &env, want);
}

/* A relative XDG value is invalid (the spec says to ignore it); no HOME. */
static void test_relative_xdg_and_no_home(void **state)
{
	const struct theme_dirs_env env = {
		.xdg_config_home = "rel", .xdg_data_home = "rel2", .home = "",
		.exe = "/src/kitetop/kitetop",
	};
	static const char *const want[] = {
		"/src/share/kitetop/themes",
		"/usr/local/share/kitetop/themes",
		"/usr/share/kitetop/themes",
		"/src/kitetop/themes",
		"./themes",
		NULL,
	};

	expect_dirs(NULL, &env, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_binary_finds_its_prefix_first_after_the_user),
		cmocka_unit_test(test_xdg_variables_and_duplicates),
		cmocka_unit_test(test_relative_xdg_and_no_home),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
