/* Unit tests of backends/probe: the judge, and rounds against a local test
 * server on 127.0.0.22 (tests/support/probes_testserver): 20 probes run at
 * once and finish within one timeout, the per-group bound holds, a
 * redirect loop, a reset, a refused port and a 502 page are each a clear
 * error on their own job while the others succeed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/http.h"
#include "backends/probe.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/probes_testserver.h"

static struct probes_testserver *srv;

static int setup(void **state)
{
	http_global_init();
	srv = probes_testserver_start();
	return srv == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	probes_testserver_stop(srv);
	http_global_cleanup();
	return 0;
}

static void test_judge_passes_expected_status_and_words_the_rest(void **state)
{
	char *e;

	assert_null(probe_judge(200, 0, 0, NULL, 0));
	assert_null(probe_judge(204, 0, 0, "", 0));
	assert_null(probe_judge(401, 401, 401, NULL, 0));
	e = probe_judge(404, 0, 0, "Not Found", 9);
	assert_string_equal(e, "HTTP 404: Not Found");
	free(e);
	e = probe_judge(503, 0, 0, "{\"message\":\"db down\"}", 21);
	assert_string_equal(e, "HTTP 503: db down");
	free(e);
	e = probe_judge(502, 0, 0, "<html>\n<body>bad gateway</body>\n</html>\n", 40);
	assert_string_equal(e, "HTTP 502 (an HTML page)");
	free(e);
	e = probe_judge(302, 0, 0, NULL, 0);
	assert_string_equal(e, "HTTP 302 (expected 200-299)");
	free(e);
	e = probe_judge(200, 401, 401, NULL, 0);
	assert_string_equal(e, "HTTP 200 (expected 401)");
	free(e);
}

static void job_url(struct probe_job *j, char **keep, const char *path, int group)
{
	*keep = xasprintf("%s%s", probes_testserver_base(srv), path);
	*j = (struct probe_job){ .url = *keep, .group = group, .follow_redirects = true };
}

/* 20 probes of a gate that opens only when 20 requests are in the server
 * at once (else 504 after 4 s), with a 5 s timeout: every probe passes, so
 * all 20 ran at once, and the round ends within one timeout. */
static void test_twenty_probes_run_at_once_within_one_timeout(void **state)
{
	struct probe_pool *pool = probe_pool_new(64, NULL);
	struct probes_testserver *own = probes_testserver_start();
	struct probe_job jobs[20];
	char *urls[20];
	int64_t t0;
	double took;

	assert_non_null(own);
	for (int i = 0; i < 20; i++) {
		urls[i] = xasprintf("%s/gate?n=20&ms=4000", probes_testserver_base(own));
		jobs[i] = (struct probe_job){ .url = urls[i] };
	}
	t0 = time_mono_ms();
	probe_pool_run(pool, jobs, 20, 20, 5000);
	took = (double)(time_mono_ms() - t0);
	print_message("20 probes held until 20 are in at once: round %.0f ms, at most %d at once\n",
	              took, probes_testserver_max_inflight(own));
	for (int i = 0; i < 20; i++) {
		assert_true(jobs[i].result.done);
		if (!jobs[i].result.ok)
			fail_msg("probe %d: %s", i, jobs[i].result.error);
		assert_int_equal(jobs[i].result.status, 200);
		assert_true(jobs[i].result.ms >= 0 && jobs[i].result.ms < 5000);
		assert_null(jobs[i].result.error);
		probe_result_done(&jobs[i].result);
		free(urls[i]);
	}
	assert_int_equal(probes_testserver_max_inflight(own), 20);
	assert_true(took < 5000);
	probes_testserver_stop(own);
	probe_pool_free(pool);
}

/* Twice as many as the bound in one group: the first 20 fill the gate only
 * if no more than 20 run (the server sees at most 20 at once). */
static void test_bound_holds_at_twenty(void **state)
{
	struct probe_pool *pool = probe_pool_new(64, NULL);
	struct probes_testserver *own = probes_testserver_start();
	struct probe_job jobs[40];
	char *urls[40];

	assert_non_null(own);
	for (int i = 0; i < 40; i++) {
		urls[i] = xasprintf("%s/slow?ms=200", probes_testserver_base(own));
		jobs[i] = (struct probe_job){ .url = urls[i] };
	}
	probe_pool_run(pool, jobs, 40, 20, 5000);
	print_message("40 probes, 20 per group: at most %d at once\n", probes_testserver_max_inflight(own));
	assert_true(probes_testserver_max_inflight(own) <= 20);
	for (int i = 0; i < 40; i++) {
		assert_true(jobs[i].result.ok);
		probe_result_done(&jobs[i].result);
		free(urls[i]);
	}
	probes_testserver_stop(own);
	probe_pool_free(pool);
}

/* Two groups of 6 with a bound of 2 per group: never more than 4 at once,
 * and three waves of 300 ms. */
static void test_each_group_keeps_its_own_bound(void **state)
{
	struct probe_pool *pool = probe_pool_new(64, NULL);
	struct probes_testserver *own = probes_testserver_start();
	struct probe_job jobs[12];
	char *urls[12];
	int64_t t0;
	double took;

	assert_non_null(own);
	for (int i = 0; i < 12; i++) {
		urls[i] = xasprintf("%s/slow?ms=300", probes_testserver_base(own));
		jobs[i] = (struct probe_job){ .url = urls[i], .group = i % 2 };
	}
	t0 = time_mono_ms();
	probe_pool_run(pool, jobs, 12, 2, 3000);
	took = (double)(time_mono_ms() - t0);
	print_message("12 probes, 2 per group: %.0f ms, at most %d at once\n", took,
	              probes_testserver_max_inflight(own));
	/* the bound, never more than 2 a group; and some concurrency (exactly 4
	 * at once is what an idle machine shows, a loaded one may start a
	 * worker late); at most 4 at once over 12 jobs of 300 ms is >= 900 ms */
	assert_true(probes_testserver_max_inflight(own) <= 4);
	assert_true(probes_testserver_max_inflight(own) >= 2);
	assert_true(took >= 880);
	for (int i = 0; i < 12; i++) {
		assert_true(jobs[i].result.ok);
		probe_result_done(&jobs[i].result);
		free(urls[i]);
	}
	probes_testserver_stop(own);
	probe_pool_free(pool);
}

/* Each bad case is an error on its own job; the good one beside them is ok. */
static void test_each_bad_probe_fails_alone_beside_a_good_one(void **state)
{
	struct probe_pool *pool = probe_pool_new(8, NULL);
	struct probe_job jobs[7];
	char *urls[7];
	int64_t t0;

	job_url(&jobs[0], &urls[0], "/loop", 0);
	job_url(&jobs[1], &urls[1], "/reset", 0);
	job_url(&jobs[2], &urls[2], "/html502", 0);
	job_url(&jobs[3], &urls[3], "/ok", 0);
	job_url(&jobs[4], &urls[4], "/slow?ms=3000", 1);
	urls[5] = xstrdup("http://127.0.0.22:1/");   /* nothing listens on port 1 */
	jobs[5] = (struct probe_job){ .url = urls[5], .group = 1 };
	urls[6] = NULL;
	jobs[6] = (struct probe_job){ .setup_error = "unreachable: ssh: connecting", .group = 1 };
	t0 = time_mono_ms();
	probe_pool_run(pool, jobs, 7, 4, 800);
	assert_true(time_mono_ms() - t0 < 2500);   /* the 3 s answer was not waited for */
	for (int i = 0; i < 7; i++)
		print_message("job %d: ok=%d status=%ld ms=%.0f error=%s\n", i, jobs[i].result.ok,
		              jobs[i].result.status, jobs[i].result.ms,
		              jobs[i].result.error != NULL ? jobs[i].result.error : "-");
	assert_string_equal(jobs[0].result.error, "too many redirects (over 5)");
	assert_false(jobs[0].result.ok);
	assert_string_equal(jobs[1].result.error, "connection reset by the server");
	assert_int_equal(jobs[1].result.status, 0);
	assert_string_equal(jobs[2].result.error, "HTTP 502 (an HTML page)");
	assert_int_equal(jobs[2].result.status, 502);
	assert_true(jobs[3].result.ok);
	assert_null(jobs[3].result.error);
	assert_string_equal(jobs[4].result.error, "timeout after 800 ms");
	assert_string_equal(jobs[5].result.error, "connection refused");
	assert_string_equal(jobs[6].result.error, "unreachable: ssh: connecting");
	assert_true(jobs[6].result.done);
	for (int i = 0; i < 7; i++) {
		probe_result_done(&jobs[i].result);
		free(urls[i]);
	}
	probe_pool_free(pool);
}

/* A second round on the same pool resets every result. */
static void test_second_round_resets_every_result(void **state)
{
	struct probe_pool *pool = probe_pool_new(2, NULL);
	struct probe_job j;
	char *url;

	job_url(&j, &url, "/status?code=500", 0);
	probe_pool_run(pool, &j, 1, 1, 1000);
	assert_string_equal(j.result.error, "HTTP 500");
	free(url);
	url = xasprintf("%s/ok", probes_testserver_base(srv));
	j.url = url;
	probe_pool_run(pool, &j, 1, 1, 1000);
	assert_true(j.result.ok);
	assert_null(j.result.error);
	probe_result_done(&j.result);
	free(url);
	probe_pool_run(pool, NULL, 0, 1, 1000);
	probe_pool_free(pool);
}

/* The cancel flag ends a round of hung probes promptly. */
static void test_cancel_flag_ends_a_round_of_hung_probes(void **state)
{
	atomic_int cancel = 1;
	struct probe_pool *pool = probe_pool_new(4, &cancel);
	struct probe_job jobs[3];
	char *urls[3];
	int64_t t0 = time_mono_ms();

	for (int i = 0; i < 3; i++)
		job_url(&jobs[i], &urls[i], "/slow?ms=2000", 0);
	probe_pool_run(pool, jobs, 3, 3, 5000);
	assert_true(time_mono_ms() - t0 < 500);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(jobs[i].result.error, "cancelled");
		probe_result_done(&jobs[i].result);
		free(urls[i]);
	}
	probe_pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge_passes_expected_status_and_words_the_rest),
		cmocka_unit_test(test_twenty_probes_run_at_once_within_one_timeout),
		cmocka_unit_test(test_bound_holds_at_twenty),
		cmocka_unit_test(test_each_group_keeps_its_own_bound),
		cmocka_unit_test(test_each_bad_probe_fails_alone_beside_a_good_one),
		cmocka_unit_test(test_second_round_resets_every_result),
		cmocka_unit_test(test_cancel_flag_ends_a_round_of_hung_probes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
