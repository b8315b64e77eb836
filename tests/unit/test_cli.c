/* Unit tests: the command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/verbs.h"
#include "core/base/util.h"

#define ARGV(...) ((const char *const[]){ "kitetop", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((const char *[]){ "kitetop", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(out, cause, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out, cause)

static void test_defaults(void **state)
{
	struct cli c;
	const char *const argv[] = { "kitetop", NULL };

	assert_int_equal(cli_parse(1, argv, &c, NULL), 0);
	assert_int_equal(c.verb, CLI_TUI);
	assert_null(c.config);
	assert_null(c.theme);
	assert_false(c.read_only);
	assert_int_equal(c.refresh_ms, 0);
}

static void test_global_options_anywhere(void **state)
{
	struct cli a, b;

	assert_int_equal(PARSE(&a, NULL, "-c", "lab.conf", "status", "--json"), 0);
	assert_int_equal(PARSE(&b, NULL, "status", "--json", "-c", "lab.conf"), 0);
	assert_int_equal(a.verb, CLI_STATUS);
	assert_int_equal(b.verb, CLI_STATUS);
	assert_true(a.json && b.json);
	assert_string_equal(a.config, "lab.conf");
	assert_string_equal(b.config, "lab.conf");
	assert_false(a.status_all);
	/* status --all: every pod of a cluster; no other verb takes it */
	assert_int_equal(PARSE(&a, NULL, "status", "--all", "--json"), 0);
	assert_true(a.status_all && a.json);
	assert_int_equal(PARSE(&a, NULL, "check", "--all"), -1);
}

static void test_forms(void **state)
{
	struct cli c;

	assert_int_equal(PARSE(&c, NULL, "-clab.conf", "--theme=mono", "--refresh", "0.5", "--read-only"), 0);
	assert_string_equal(c.config, "lab.conf");
	assert_string_equal(c.theme, "mono");
	assert_int_equal(c.refresh_ms, 500);
	assert_true(c.read_only);
	assert_int_equal(PARSE(&c, NULL, "--config=x.conf", "--refresh=3", "--theme", "light"), 0);
	assert_string_equal(c.config, "x.conf");
	assert_int_equal(c.refresh_ms, 3000);
	assert_string_equal(c.theme, "light");
	assert_int_equal(PARSE(&c, NULL, "check", "-c", "x.conf"), 0);
	assert_int_equal(c.verb, CLI_CHECK);
	assert_string_equal(c.config, "x.conf");
	assert_int_equal(PARSE(&c, NULL, "status", "--help"), 0);
	assert_int_equal(c.verb, CLI_HELP);
	assert_int_equal(PARSE(&c, NULL, "-V"), 0);
	assert_int_equal(c.verb, CLI_VERSION);
}

static void expect_error(int rc, char *cause, const char *phrase)
{
	assert_int_equal(rc, -1);
	if (cause == NULL || strstr(cause, phrase) == NULL)
		fail_msg("'%s' not in '%s'", phrase, cause);
	free(cause);
}

static void test_errors(void **state)
{
	struct cli c;
	char *cause = NULL;
	int rc;

	rc = PARSE(&c, &cause, "--frobnicate");
	expect_error(rc, cause, "unknown option --frobnicate");
	cause = NULL;
	rc = PARSE(&c, &cause, "bogus");
	expect_error(rc, cause, "unknown command 'bogus'");
	cause = NULL;
	rc = PARSE(&c, &cause, "status", "extra");
	expect_error(rc, cause, "unexpected argument 'extra'");
	cause = NULL;
	rc = PARSE(&c, &cause, "-c");
	expect_error(rc, cause, "-c needs a value");
	cause = NULL;
	rc = PARSE(&c, &cause, "--theme=");
	expect_error(rc, cause, "needs a value");
	cause = NULL;
	rc = PARSE(&c, &cause, "--refresh", "fast");
	expect_error(rc, cause, "--refresh wants seconds");
	cause = NULL;
	rc = PARSE(&c, &cause, "--refresh", "0");
	expect_error(rc, cause, "--refresh wants seconds");
	cause = NULL;
	rc = PARSE(&c, &cause, "--json");
	expect_error(rc, cause, "unknown option --json");
	cause = NULL;
	rc = PARSE(&c, &cause, "check", "--json");
	expect_error(rc, cause, "unknown option --json");
	cause = NULL;
	rc = PARSE(&c, &cause, "--themex");
	expect_error(rc, cause, "unknown option --themex");
	cause = NULL;
	rc = PARSE(&c, &cause, "--", "-c");
	expect_error(rc, cause, "unknown command '-c'");
}

static void test_logs(void **state)
{
	struct cli c;
	char *cause = NULL;

	assert_int_equal(PARSE(&c, NULL, "logs", "monk", "grafana"), 0);
	assert_int_equal(c.verb, CLI_LOGS);
	assert_string_equal(c.logs_host, "monk");
	assert_string_equal(c.logs_container, "grafana");
	assert_int_equal(c.logs_tail, -1);
	assert_false(c.logs_follow);
	assert_int_equal(PARSE(&c, NULL, "-c", "lab.conf", "logs", "--tail", "20", "monk", "grafana", "--follow"), 0);
	assert_string_equal(c.config, "lab.conf");
	assert_int_equal(c.logs_tail, 20);
	assert_true(c.logs_follow);
	assert_string_equal(c.logs_container, "grafana");
	assert_int_equal(PARSE(&c, NULL, "logs", "monk", "-f", "grafana", "--tail=0", "-c", "x.conf"), 0);
	assert_int_equal(c.logs_tail, 0);
	assert_true(c.logs_follow);
	assert_string_equal(c.config, "x.conf");
	assert_string_equal(c.logs_host, "monk");

	assert_int_equal(PARSE(&c, &cause, "logs", "monk"), -1);
	assert_non_null(strstr(cause, "logs needs a host and a container"));
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "logs", "monk", "grafana", "--tail", "many"), -1);
	assert_non_null(strstr(cause, "--tail wants a number of lines, not 'many'"));
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "logs", "monk", "grafana", "--tail", "-3"), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "logs", "monk", "grafana", "--tail"), -1);
	assert_non_null(strstr(cause, "--tail needs a value"));
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "logs", "monk", "grafana", "extra"), -1);
	assert_non_null(strstr(cause, "unexpected argument 'extra'"));
	free(cause);
	cause = NULL;
	/* --follow and --tail belong to logs */
	assert_int_equal(PARSE(&c, &cause, "status", "--follow"), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "--tail", "5", "logs", "monk", "grafana"), -1);
	free(cause);
	cause = NULL;
}

static void test_action_verbs(void **state)
{
	struct cli c;
	char *cause = NULL;
	size_t n;

	assert_int_equal(PARSE(&c, NULL, "restart", "monk", "grafana"), 0);
	assert_int_equal(c.verb, CLI_ACTION);
	assert_string_equal(c.action->name, "restart");
	assert_int_equal(c.nargs, 2);
	assert_string_equal(c.args[0], "monk");
	assert_string_equal(c.args[1], "grafana");
	assert_false(c.yes || c.dry_run || c.force);
	/* verb options and global options anywhere after the verb, and -c before */
	assert_int_equal(PARSE(&c, NULL, "-c", "lab.conf", "stop", "--yes", "kscloud1", "--read-only",
	                       "forgejo", "--dry-run"), 0);
	assert_string_equal(c.action->name, "stop");
	assert_string_equal(c.args[0], "kscloud1");
	assert_string_equal(c.args[1], "forgejo");
	assert_true(c.yes && c.dry_run && c.read_only);
	assert_string_equal(c.config, "lab.conf");
	assert_int_equal(PARSE(&c, NULL, "start", "-y", "monk", "kavita"), 0);
	assert_true(c.yes);
	assert_string_equal(c.action->name, "start");
	/* a container named like an option, after -- */
	assert_int_equal(PARSE(&c, NULL, "restart", "monk", "--", "-odd"), 0);
	assert_string_equal(c.args[1], "-odd");

	assert_int_equal(PARSE(&c, &cause, "restart", "monk"), -1);
	assert_string_equal(cause, "restart needs HOST CONTAINER");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "restart", "monk", "grafana", "extra"), -1);
	assert_string_equal(cause, "unexpected argument 'extra'");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "restart", "monk", "grafana", "--force"), -1);
	assert_string_equal(cause, "restart takes no --force");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "status", "--yes"), -1);
	assert_string_equal(cause, "--yes goes with an action (restart, stop, start, ...)");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "--dry-run"), -1);
	assert_non_null(strstr(cause, "--dry-run goes with an action"));
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "restart", "", "grafana"), -1);
	assert_non_null(strstr(cause, "empty argument"));
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "reboot", "monk"), -1);
	assert_string_equal(cause, "unknown command 'reboot'");
	free(cause);

	/* the table: each verb found by name, a HOST first */
	assert_true(cli_action_verbs(&n) != NULL && n >= 3);
	for (size_t i = 0; i < n; i++) {
		const struct cli_action_verb *v = &cli_action_verbs(&n)[i];

		assert_ptr_equal(cli_action_verb_find(v->name), v);
		assert_true(v->min_args >= 1 && v->max_args <= CLI_MAX_ARGS && v->min_args <= v->max_args);
		assert_true(strncmp(v->args, "HOST", 4) == 0);
	}
	assert_null(cli_action_verb_find("status"));
}

/* The answer to "Restart grafana on monk? [y/N]": only a yes is a yes. */
static void test_exec_and_shell(void **state)
{
	struct cli c;
	char *cause = NULL;

	assert_int_equal(PARSE(&c, NULL, "exec", "monk", "grafana"), 0);
	assert_int_equal(c.verb, CLI_EXEC);
	assert_string_equal(c.shell_host, "monk");
	assert_string_equal(c.shell_container, "grafana");
	assert_null(c.shell_argv);
	assert_int_equal(c.shell_argc, 0);
	/* after the container every word is the command's, options too */
	assert_int_equal(PARSE(&c, NULL, "-c", "lab.conf", "exec", "--read-only", "monk", "grafana",
	                       "sh", "-c", "exit 7", "--read-only"), 0);
	assert_string_equal(c.config, "lab.conf");
	assert_true(c.read_only);
	assert_int_equal(c.shell_argc, 4);
	assert_string_equal(c.shell_argv[0], "sh");
	assert_string_equal(c.shell_argv[1], "-c");
	assert_string_equal(c.shell_argv[2], "exit 7");
	assert_string_equal(c.shell_argv[3], "--read-only");
	assert_int_equal(PARSE(&c, NULL, "exec", "monk", "grafana", "--", "ls"), 0);
	assert_int_equal(c.shell_argc, 2);
	assert_string_equal(c.shell_argv[0], "--");

	assert_int_equal(PARSE(&c, NULL, "shell", "kscloud1", "-c", "x.conf"), 0);
	assert_int_equal(c.verb, CLI_SHELL);
	assert_string_equal(c.shell_host, "kscloud1");
	assert_null(c.shell_container);
	assert_string_equal(c.config, "x.conf");

	assert_int_equal(PARSE(&c, &cause, "exec", "monk"), -1);
	assert_string_equal(cause, "exec needs a host and a container: kitetop exec HOST CONTAINER [CMD...]");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "shell"), -1);
	assert_string_equal(cause, "shell needs a host: kitetop shell HOST");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "shell", "monk", "grafana"), -1);
	assert_string_equal(cause, "unexpected argument 'grafana'");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "exec", "", "grafana"), -1);
	assert_string_equal(cause, "exec: an empty argument");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "exec", "monk", "grafana", "ls", "--yes"), 0);
	assert_false(c.yes);
	assert_int_equal(PARSE(&c, &cause, "exec", "--yes", "monk", "grafana"), -1);
	free(cause);
}

static void test_is_yes(void **state)
{
	assert_true(verbs_is_yes("y\n"));
	assert_true(verbs_is_yes("Y"));
	assert_true(verbs_is_yes("  yes \n"));
	assert_true(verbs_is_yes("YES\r\n"));
	assert_false(verbs_is_yes("\n"));          /* Enter: the default, No */
	assert_false(verbs_is_yes(""));
	assert_false(verbs_is_yes("n"));
	assert_false(verbs_is_yes("yy"));
	assert_false(verbs_is_yes("yes please"));
	assert_false(verbs_is_yes("ye"));
}

static void test_history_verbs(void **state)
{
	struct cli c;
	char *cause = NULL;
	int64_t ms;

	assert_int_equal(PARSE(&c, NULL, "events", "--since", "1h", "--host=monk", "--json", "-c", "x"), 0);
	assert_int_equal(c.verb, CLI_EVENTS);
	assert_string_equal(c.since, "1h");
	assert_string_equal(c.host, "monk");
	assert_true(c.json);
	assert_string_equal(c.config, "x");
	assert_int_equal(PARSE(&c, NULL, "events"), 0);
	assert_null(c.since);
	assert_false(c.json);
	assert_int_equal(PARSE(&c, &cause, "events", "extra"), -1);
	assert_string_equal(cause, "unexpected argument 'extra'");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "events", "--since"), -1);
	assert_string_equal(cause, "--since needs a value");
	free(cause);
	cause = NULL;

	assert_int_equal(PARSE(&c, NULL, "record", "lab.rec", "--for", "10m"), 0);
	assert_int_equal(c.verb, CLI_RECORD);
	assert_string_equal(c.file, "lab.rec");
	assert_int_equal(c.for_ms, 600000);
	assert_int_equal(PARSE(&c, NULL, "record", "lab.rec"), 0);
	assert_int_equal(c.for_ms, 0);
	assert_int_equal(PARSE(&c, &cause, "record"), -1);
	assert_string_equal(cause, "record needs a file: kitetop record FILE");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "record", "x", "--for", "soon"), -1);
	assert_string_equal(cause, "--for wants a duration (90s, 10m, 2h), not 'soon'");
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, NULL, "--theme", "mono", "replay", "lab.rec"), 0);
	assert_int_equal(c.verb, CLI_REPLAY);
	assert_string_equal(c.file, "lab.rec");
	assert_string_equal(c.theme, "mono");
	assert_int_equal(PARSE(&c, &cause, "replay", "a", "b"), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(PARSE(&c, &cause, "status", "--since", "1h"), -1);
	free(cause);

	assert_int_equal(cli_duration_ms("90s", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(cli_duration_ms("1.5h", &ms), 0);
	assert_int_equal(ms, 5400000);
	assert_int_equal(cli_duration_ms("2d", &ms), 0);
	assert_int_equal(ms, 172800000);
	assert_int_equal(cli_duration_ms("30", &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(cli_duration_ms("0s", &ms), -1);
	assert_int_equal(cli_duration_ms("-1m", &ms), -1);
	assert_int_equal(cli_duration_ms("5mm", &ms), -1);
	assert_int_equal(cli_duration_ms("m", &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_global_options_anywhere),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_logs),
		cmocka_unit_test(test_action_verbs),
		cmocka_unit_test(test_exec_and_shell),
		cmocka_unit_test(test_is_yes),
		cmocka_unit_test(test_history_verbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
