/* Unit tests: the action runner (core/action) with small real ops, and its
 * audit lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/actions/action.h"
#include "core/config/config.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static char tmpdir[64];
static struct config *cfg;

struct probe {
	int check_rc;               /* what check returns */
	int run_rc;
	atomic_int ran;             /* run was called */
	atomic_int release;         /* run waits for it (when wait is set) */
	bool wait;
	bool freed;
};

static int probe_check(struct action_ctx *ctx, void *arg, char **summary, char **cause)
{
	struct probe *p = arg;

	action_progress(ctx, "checking %d", 1);
	if (p->check_rc == ACTION_NOTHING_CHECK)
		*summary = xstrdup("monk is not drained: cloudflared runs");
	else if (p->check_rc != 0)
		util_set_cause(cause, "no healthy connector on kscloud1");
	else
		*summary = xstrdup("grafana is running");
	return p->check_rc;
}

static int probe_run(struct action_ctx *ctx, void *arg, char **summary, char **cause)
{
	struct probe *p = arg;

	atomic_store(&p->ran, 1);
	action_progress(ctx, "restarting");
	while (p->wait && !atomic_load(&p->release) && !action_cancelled(ctx))
		time_sleep_ms(5);
	if (action_cancelled(ctx)) {
		util_set_cause(cause, "cancelled");
		return -1;
	}
	if (p->run_rc == ACTION_UNKNOWN_RUN) {
		util_set_cause(cause, "the link to monk died after the restart was sent");
		return ACTION_UNKNOWN_RUN;
	}
	if (p->run_rc != 0) {
		util_set_cause(cause, "docker: HTTP 500: boom");
		return -1;
	}
	*summary = xstrdup("monk: grafana restarted");
	return 0;
}

static void probe_free(void *arg)
{
	((struct probe *)arg)->freed = true;
}

static const struct action_ops probe_ops = { probe_check, probe_run, probe_free };

static struct action *start(struct probe *p, bool dry_run)
{
	struct action_spec spec = { .action = "restart", .host = "monk", .target = "grafana",
	                            .dry_run = dry_run, .ops = &probe_ops, .arg = p };

	return action_start(cfg, &spec, NULL);
}

static char *audit_path(void)
{
	return xasprintf("%s/audit.log", tmpdir);
}

/* The audit log's text ("" when absent). */
static char *audit_text(void)
{
	char *path = audit_path(), *text = NULL;
	size_t len;

	if (util_read_file(path, 1 << 20, &text, &len, NULL) != 0)
		text = xstrdup("");
	free(path);
	return text;
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int setup(void **state)
{
	util_strlcpy(tmpdir, "/tmp/kt-action-XXXXXX", sizeof tmpdir);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	cfg = config_default();
	free(cfg->audit_log);
	cfg->audit_log = audit_path();
	return 0;
}

static int teardown(void **state)
{
	char *path = audit_path();

	unlink(path);
	free(path);
	rmdir(tmpdir);
	config_free(cfg);
	return 0;
}

static void test_success_reports_restarted_and_audits_started_ok(void **state)
{
	struct probe p = { 0 };
	struct action *a = start(&p, false);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_OK);
	assert_string_equal(st.message, "monk: grafana restarted");
	assert_string_equal(st.progress, "restarting");
	assert_string_equal(st.action, "restart");
	assert_true(action_finished(a));
	action_free(a);
	assert_true(p.freed);
	text = audit_text();
	assert_int_equal(count(text, "\n"), 2);
	assert_int_equal(count(text, "\"result\":\"started\""), 1);
	assert_int_equal(count(text, "\"result\":\"ok\""), 1);
	assert_int_equal(count(text, "\"target\":\"grafana\""), 2);
	free(text);
}

static void test_failure_reports_and_audits_the_error(void **state)
{
	struct probe p = { .run_rc = -1 };
	struct action *a = start(&p, false);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_FAILED);
	assert_string_equal(st.message, "docker: HTTP 500: boom");
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"failed\",\"error\":\"docker: HTTP 500: boom\""), 1);
	free(text);
}

static void test_unknown_outcome_reports_and_audits_unknown_not_failed(void **state)
{
	struct probe p = { .run_rc = ACTION_UNKNOWN_RUN };
	struct action *a = start(&p, false);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_UNKNOWN);
	assert_string_equal(action_result_name(st.result), "unknown");
	assert_string_equal(st.message, "the link to monk died after the restart was sent");
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"started\""), 1);
	assert_int_equal(count(text, "\"result\":\"unknown\",\"error\":\"the link to monk died"), 1);
	assert_int_equal(count(text, "\"failed\""), 0);
	free(text);
}

/* Which error at which step is failed (nothing happened, or the engine
 * said no) and which is unknown (sent, no answer). */
static void test_classify_error_by_stage_and_answer(void **state)
{
	/* before the request: cannot connect, no such container */
	assert_int_equal(action_classify_error(ACTION_STAGE_BEFORE, false, false), ACTION_FAILED);
	assert_int_equal(action_classify_error(ACTION_STAGE_BEFORE, true, false), ACTION_FAILED);
	/* sent: the engine's error status is its word; silence is not */
	assert_int_equal(action_classify_error(ACTION_STAGE_SENT, true, false), ACTION_FAILED);
	assert_int_equal(action_classify_error(ACTION_STAGE_SENT, false, false), ACTION_UNKNOWN);
	/* verifying: the state says it did not happen, or it could not be seen */
	assert_int_equal(action_classify_error(ACTION_STAGE_VERIFYING, true, false), ACTION_FAILED);
	assert_int_equal(action_classify_error(ACTION_STAGE_VERIFYING, false, false),
	                 ACTION_UNKNOWN);
	/* a cancel stays "failed: cancelled" wherever it came */
	assert_int_equal(action_classify_error(ACTION_STAGE_SENT, false, true), ACTION_FAILED);
	assert_int_equal(action_classify_error(ACTION_STAGE_VERIFYING, false, true), ACTION_FAILED);
}

static void test_refusing_or_failing_check_never_runs_the_action(void **state)
{
	struct probe p = { .check_rc = ACTION_REFUSED_CHECK };
	struct action *a = start(&p, false);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_string_equal(st.message, "no healthy connector on kscloud1");
	assert_false(atomic_load(&p.ran));
	action_free(a);
	p = (struct probe){ .check_rc = -1 };
	a = start(&p, false);
	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_FAILED);
	assert_false(atomic_load(&p.ran));
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\n"), 2);   /* one line each, no "started" */
	assert_int_equal(count(text, "\"result\":\"refused\",\"error\":\"no healthy connector"), 1);
	assert_int_equal(count(text, "\"result\":\"failed\""), 1);
	assert_int_equal(count(text, "started"), 0);
	free(text);
}

static void test_dry_run_describes_neither_runs_nor_audits(void **state)
{
	struct probe p = { 0 };
	struct action *a = start(&p, true);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_OK);
	assert_true(st.dry_run);
	assert_string_equal(st.message, "dry run: would restart grafana on monk; grafana is running");
	assert_false(atomic_load(&p.ran));
	action_free(a);
	text = audit_text();
	assert_string_equal(text, "");
	free(text);
}

/* A check that finds nothing to do: the dry run says so (not "would ..."),
 * a real run goes on as after 0. */
static void test_nothing_to_do_dry_run_says_so(void **state)
{
	struct probe p = { .check_rc = ACTION_NOTHING_CHECK };
	struct action *a = start(&p, true);
	struct action_status st;
	char *text;

	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_OK);
	assert_string_equal(st.message, "dry run: nothing to do: monk is not drained: cloudflared runs");
	assert_null(strstr(st.message, "would"));
	assert_false(atomic_load(&p.ran));
	action_free(a);
	text = audit_text();
	assert_string_equal(text, "");
	free(text);

	a = start(&p, false);
	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_OK);
	assert_true(atomic_load(&p.ran));
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"started\""), 1);
	assert_int_equal(count(text, "\"result\":\"ok\""), 1);
	free(text);
}

static void test_read_only_refuses_at_once_and_audits(void **state)
{
	struct probe p = { 0 };
	struct action *a;
	struct action_status st;
	char *text;

	cfg->read_only = true;
	a = start(&p, false);
	action_status(a, &st);   /* refused at once, no thread */
	cfg->read_only = false;
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_string_equal(st.message, "read-only");
	assert_false(atomic_load(&p.ran));
	action_free(a);
	assert_true(p.freed);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"refused\",\"error\":\"read-only\""), 1);
	free(text);
}

/* An audit log that cannot be written refuses the action: run never called. */
static void test_unwritable_audit_refuses(void **state)
{
	struct probe p = { 0 };
	struct action *a;
	struct action_status st;

	free(cfg->audit_log);
	cfg->audit_log = xstrdup("/dev/full");
	a = start(&p, false);
	action_wait(a);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_non_null(strstr(st.message, "cannot write the audit log /dev/full"));
	assert_false(atomic_load(&p.ran));
	action_free(a);
	free(cfg->audit_log);
	cfg->audit_log = audit_path();
}

/* The owner sees progress while it runs; freeing a running action cancels
 * it, and the outcome is audited as failed. */
static void test_progress_shown_and_free_cancels_audited_failed(void **state)
{
	struct probe p = { .wait = true };
	struct action *a = start(&p, false);
	struct action_status st;
	int64_t deadline = time_mono_ms() + 5000;
	char *text;

	while (!atomic_load(&p.ran) && time_mono_ms() < deadline)
		time_sleep_ms(5);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_RUNNING);
	assert_false(action_finished(a));
	assert_string_equal(st.progress, "restarting");
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"failed\",\"error\":\"cancelled\""), 1);
	free(text);
}

/* action_cancel raises the flag and returns at once; the action ends as
 * failed (cancelled) through the ordinary status, audited. */
static void test_cancel_returns_at_once_and_ends_failed(void **state)
{
	struct probe p = { .wait = true };
	struct action *a = start(&p, false);
	struct action_status st;
	int64_t deadline = time_mono_ms() + 5000, t0;
	char *text;

	while (!atomic_load(&p.ran) && time_mono_ms() < deadline)
		time_sleep_ms(5);
	t0 = time_mono_ms();
	action_cancel(a);
	assert_true(time_mono_ms() - t0 < 50);
	while (!action_finished(a) && time_mono_ms() < deadline)
		time_sleep_ms(5);
	action_status(a, &st);
	assert_int_equal(st.result, ACTION_FAILED);
	assert_string_equal(st.message, "cancelled");
	action_free(a);
	text = audit_text();
	assert_int_equal(count(text, "\"result\":\"failed\",\"error\":\"cancelled\""), 1);
	free(text);
	action_cancel(NULL);
}

static void test_question_wording_and_container_verbs(void **state)
{
	char *q = action_question("restart", "grafana", "monk");

	assert_string_equal(q, "Restart grafana on monk?");
	free(q);
	q = action_question("drain", NULL, "kscloud1");
	assert_string_equal(q, "Drain kscloud1?");
	free(q);
	assert_true(action_container_verb("stop"));
	assert_false(action_container_verb("drain"));
	assert_false(action_container_verb(NULL));
	assert_string_equal(action_result_name(ACTION_REFUSED), "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success_reports_restarted_and_audits_started_ok,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_reports_and_audits_the_error,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_outcome_reports_and_audits_unknown_not_failed,
		                                setup, teardown),
		cmocka_unit_test(test_classify_error_by_stage_and_answer),
		cmocka_unit_test_setup_teardown(test_refusing_or_failing_check_never_runs_the_action,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_describes_neither_runs_nor_audits,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_do_dry_run_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_refuses_at_once_and_audits,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_audit_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_shown_and_free_cancels_audited_failed,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_returns_at_once_and_ends_failed, setup,
		                                teardown),
		cmocka_unit_test(test_question_wording_and_container_verbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
