#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/util.h"
#include "tests/support/config_test.h"

char config_test_home[64];

void config_test_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(util_write_all(fd, text, strlen(text)), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

char *config_test_home_path(const char *rel)
{
	return xasprintf("%s/%s", config_test_home, rel);
}

void config_test_write_home_file(const char *rel, const char *text, mode_t mode)
{
	char *p = config_test_home_path(rel);

	config_test_write_file(p, text, mode);
	free(p);
}

static void clear_env(void)
{
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("KITETOP_CONFIG");
	unsetenv("DOCKER_HOST");
	unsetenv("DOCKER_TLS_VERIFY");
	unsetenv("DOCKER_CERT_PATH");
	setenv("HOME", config_test_home, 1);
}

int config_test_group_setup(void **state)
{
	char *dir;

	util_strlcpy(config_test_home, "/tmp/kt-test-config-XXXXXX", sizeof(config_test_home));
	if (mkdtemp(config_test_home) == NULL)
		return -1;
	clear_env();
	dir = config_test_home_path(".config");
	mkdir(dir, 0700);
	free(dir);
	dir = config_test_home_path(".config/kitetop");
	mkdir(dir, 0700);
	free(dir);
	config_test_write_home_file(".config/kitetop/pg.pass", "pg-secret\n", 0600);
	config_test_write_home_file(".config/kitetop/authentik.token", "ak-token\r\n", 0600);
	config_test_write_home_file(".config/kitetop/cloudflare.token", "cf-token", 0600);
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int config_test_group_teardown(void **state)
{
	return nftw(config_test_home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int config_test_setup(void **state)
{
	clear_env();
	return 0;
}

struct config *config_test_parse_ok(const char *text)
{
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("unexpected error: %s", cause);
	return cfg;
}

void config_test_expect_error(const char *text, size_t len, int line, const char *phrase)
{
	char *cause = NULL, prefix[64];
	struct config *cfg = config_parse("t.conf", text, len, &cause);

	if (cfg != NULL) {
		config_free(cfg);
		fail_msg("parsed, expected an error on line %d (%s)", line, phrase);
	}
	assert_non_null(cause);
	snprintf(prefix, sizeof(prefix), "t.conf:%d: ", line);
	if (strncmp(cause, prefix, strlen(prefix)) != 0 || strstr(cause, phrase) == NULL)
		fail_msg("got \"%s\", expected \"%s...%s...\"", cause, prefix, phrase);
	free(cause);
}

void config_test_expect_error_s(const char *text, int line, const char *phrase)
{
	config_test_expect_error(text, strlen(text), line, phrase);
}

