/* Unit tests of the files and values a configuration points at that are not
 * what they claim: a configuration or a file kitetop reads that is a FIFO,
 * a directory or a device; a private key others can read; a Prometheus
 * selector that does not parse.  Each used to
 * hang, fail late or pass unnoticed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/util.h"
#include "core/config/config.h"
#include "tests/support/config_test.h"

/* A FIFO nobody writes to used to block open() for ever: the alarm turns a
 * hang into a failure instead of a stuck test run. */
static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("a read of a FIFO hung");
}

static void test_config_load_refuses_what_is_not_a_regular_file(void **state)
{
	char *fifo = config_test_home_path("fifo.conf");
	char *dir = config_test_home_path(".config");
	char *cause = NULL;
	char *want;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	assert_null(config_load(fifo, &cause));
	want = xasprintf("%s is not a regular file", fifo);
	assert_string_equal(cause, want);
	free(want);

	assert_null(config_load(dir, &cause));
	want = xasprintf("%s is not a regular file", dir);
	assert_string_equal(cause, want);
	free(want);

	assert_null(config_load("/dev/zero", &cause));
	assert_string_equal(cause, "/dev/zero is not a regular file");
	alarm(0);
	free(cause);
	unlink(fifo);
	free(fifo);
	free(dir);
}

static void test_config_load_reads_a_regular_file(void **state)
{
	char *path = config_test_home_path("ok.conf");
	struct config *cfg;
	char *cause = NULL;

	config_test_write_file(path, "[host here]\n", 0644);
	cfg = config_load(path, &cause);
	assert_non_null(cfg);
	assert_null(cause);
	config_free(cfg);
	free(path);
}

/* util_read_file reads the identity files, ssh_config and the themes */
static void test_read_file_refuses_what_is_not_a_regular_file(void **state)
{
	char *fifo = config_test_home_path("fifo.key");
	char *dir = config_test_home_path(".config");
	char *text = NULL, *cause = NULL;
	char *want;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	assert_int_equal(util_read_file(fifo, 4096, &text, NULL, &cause), -1);
	want = xasprintf("%s is not a regular file", fifo);
	assert_string_equal(cause, want);
	free(want);
	assert_int_equal(util_read_file(dir, 4096, &text, NULL, &cause), -1);
	want = xasprintf("%s is not a regular file", dir);
	assert_string_equal(cause, want);
	free(want);
	assert_int_equal(util_read_file("/dev/zero", 4096, &text, NULL, &cause), -1);
	assert_string_equal(cause, "/dev/zero is not a regular file");
	alarm(0);
	assert_null(text);
	free(cause);
	unlink(fifo);
	free(fifo);
	free(dir);
}

static void test_secret_file_fifo_refused(void **state)
{
	char *fifo = config_test_home_path("fifo.token");

	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/fifo.token\n", 3,
	    "not a regular file");
	alarm(0);
	unlink(fifo);
	free(fifo);
}

/* as ssh(1) and as password_file: a private key others can read is refused */
static void test_identity_file_open_to_others_refused(void **state)
{
	struct config *cfg;

	config_test_write_home_file("open_key", "key\n", 0644);
	config_test_write_home_file("group_key", "key\n", 0640);
	config_test_write_home_file("own_key", "key\n", 0600);
	config_test_expect_error_s("[host a]\nssh = a@h\n\nidentity_file = ~/open_key\n", 4,
	    "open_key is open to group or others (mode 0644): run chmod 600 ");
	config_test_expect_error_s("[host a]\nssh = a@h\nidentity_file = ~/group_key\n", 3, "mode 0640");
	config_test_expect_error_s("[host a]\nssh = a@h\nidentity_file = ~/.config\n", 3,
	    "is not a regular file");
	cfg = config_test_parse_ok("[host a]\nssh = a@h\nidentity_file = ~/own_key\n");
	config_free(cfg);
	/* a missing key is the connection's business, as with ssh(1) */
	cfg = config_test_parse_ok("[host a]\nssh = a@h\nidentity_file = ~/no_such_key\n");
	config_free(cfg);
}

/* found at load, with its line, instead of by Prometheus at every poll */
static void test_prom_selector_syntax_checked(void **state)
{
	static const char *const good[] = {
		"instance=\"127.0.0.2:9100\"",
		" job = \"node\" , instance=~\"10\\\\.0\\\\..*\" ",
		"job!=\"a\\\"b\",env!~'pr.*',x=`raw\\`",
		"__name__=\"up\",",
	};
	static const struct { const char *sel, *phrase; } bad[] = {
		{ "instance=\"127.0.0.2:9100", "the value of instance has no closing \"" },
		{ "instance='a", "has no closing '" },
		{ "instance=\"a\\\"", "no closing \"" },
		{ "instance=127.0.0.2", "the value of instance must be quoted" },
		{ "instance==\"a\"", "must be quoted" },
		{ "instance \"a\"", "=, !=, =~ or !~ is expected after instance" },
		{ "1x=\"a\"", "a label name is expected at \"1x" },
		{ "a=\"1\" b=\"2\"", "a comma is expected between matchers" },
		{ "a=\"1\",,b=\"2\"", "a label name is expected" },
	};
	struct config *cfg;
	char *text;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		text = xasprintf("[host a]\nprom_selector = %s\n", good[i]);
		cfg = config_test_parse_ok(text);
		config_free(cfg);
		free(text);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		text = xasprintf("[host a]\n\nprom_selector = %s\n", bad[i].sel);
		config_test_expect_error_s(text, 3, bad[i].phrase);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_config_load_refuses_what_is_not_a_regular_file, config_test_setup),
		cmocka_unit_test_setup(test_config_load_reads_a_regular_file, config_test_setup),
		cmocka_unit_test_setup(test_read_file_refuses_what_is_not_a_regular_file, config_test_setup),
		cmocka_unit_test_setup(test_secret_file_fifo_refused, config_test_setup),
		cmocka_unit_test_setup(test_identity_file_open_to_others_refused, config_test_setup),
		cmocka_unit_test_setup(test_prom_selector_syntax_checked, config_test_setup),
	};

	return cmocka_run_group_tests(tests, config_test_group_setup, config_test_group_teardown);
}
