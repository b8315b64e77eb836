/* Unit tests of backends/authentik: the decoders on responses recorded from
 * the lab's stand-in and hand-made ones (tests/fixtures/authentik/README.md),
 * the health judge, failure descriptions, and authentik_fetch() against the
 * local test server on 127.0.0.22 (fixtures, a proxy's 502 page, a core
 * that is starting, a wrong token, a refused port). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/authentik.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"
#include "tests/support/probes_testserver.h"

/* the recorded outpost health's last_seen is 2026-11-23T12:02:27Z */
#define RECORDED_MS 1795435347000LL

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

static void test_fixtures_recorded_time_is_recorded_ms(void **state)
{
	int64_t ms;

	assert_int_equal(time_parse_iso8601("2026-11-23T12:02:27Z", &ms), 0);
	assert_true(ms == RECORDED_MS);
}

static void test_version_parsed_and_bad_answers_worded(void **state)
{
	size_t len;
	char *body = fixture_read("authentik", "version.json", &len), *cause = NULL;
	struct authentik_version v;

	assert_int_equal(authentik_parse_version(body, len, &v, &cause), 0);
	assert_string_equal(v.current, "2025.10.1");
	assert_string_equal(v.latest, "2025.10.2");
	assert_true(v.latest_valid);
	assert_true(v.outdated);
	assert_false(v.outpost_outdated);
	free(body);

	body = fixture_read("authentik", "starting-200.json", &len);
	assert_int_equal(authentik_parse_version(body, len, &v, &cause), -1);
	assert_string_equal(cause, "authentik: starting (authentik starting)");
	free(cause);
	cause = NULL;
	free(body);

	body = fixture_read("authentik", "error-502-proxy.html", &len);
	assert_int_equal(authentik_parse_version(body, len, &v, &cause), -1);
	assert_non_null(strstr(cause, "an HTML page where JSON was expected"));
	free(cause);
	cause = NULL;
	free(body);

	body = fixture_read("authentik", "workers.json", &len);   /* JSON, but not the version */
	assert_int_equal(authentik_parse_version(body, len, &v, &cause), -1);
	assert_string_equal(cause, "authentik: version: no version_current in the answer");
	free(cause);
	cause = NULL;
	free(body);

	assert_int_equal(authentik_parse_version("{\"version_cur", 12, &v, &cause), -1);
	assert_string_equal(cause, "authentik: version: not JSON");
	free(cause);
}

static void test_workers_counted_with_mismatched_versions(void **state)
{
	static const struct {
		const char *file;
		int count, mismatched;
	} cases[] = {
		{ "workers.json", 2, 0 },
		{ "workers-old.json", 1, 0 },
		{ "workers-mismatch.json", 2, 1 },
	};
	char *cause = NULL;
	int n, m;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		size_t len;
		char *body = fixture_read("authentik", cases[i].file, &len);

		assert_int_equal(authentik_parse_workers(body, len, &n, &m, &cause), 0);
		assert_int_equal(n, cases[i].count);
		assert_int_equal(m, cases[i].mismatched);
		free(body);
	}
	assert_int_equal(authentik_parse_workers("[]", 2, &n, &m, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(authentik_parse_workers("{\"count\": \"x\"}", 14, &n, &m, &cause), -1);
	assert_string_equal(cause, "authentik: workers: neither a list nor a count");
	assert_int_equal(n, -1);
	free(cause);
}

static void test_outposts_paged_and_health_stale_after_an_hour(void **state)
{
	struct authentik_outpost *o = NULL;
	size_t n = 0, len;
	int next = -1;
	char *body = fixture_read("authentik", "outposts.json", &len), *cause = NULL;

	assert_int_equal(authentik_parse_outposts(body, len, &o, &n, &next, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(next, 0);
	assert_string_equal(o[0].pk, "3f9d8a52-6c1e-4c1b-9a57-2f0e5d6c7b81");
	assert_string_equal(o[0].name, "authentik Embedded Outpost");
	assert_string_equal(o[0].type, "proxy");
	assert_int_equal(o[0].instances, -1);
	free(body);
	body = fixture_read("authentik", "outposts-page1.json", &len);
	assert_int_equal(authentik_parse_outposts(body, len, &o, &n, &next, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(next, 2);
	assert_string_equal(o[2].type, "radius");
	free(body);

	body = fixture_read("authentik", "outpost-health.json", &len);
	assert_int_equal(authentik_parse_outpost_health(body, len, RECORDED_MS + 1000, &o[0], &cause), 0);
	assert_int_equal(o[0].instances, 2);
	assert_int_equal(o[0].healthy, 2);
	assert_int_equal(o[0].outdated, 0);
	/* an hour later the same report is stale: down */
	assert_int_equal(authentik_parse_outpost_health(body, len, RECORDED_MS + 3600 * 1000, &o[0], &cause), 0);
	assert_int_equal(o[0].healthy, 0);
	free(body);
	body = fixture_read("authentik", "outpost-health-stale.json", &len);
	assert_int_equal(authentik_parse_outpost_health(body, len, RECORDED_MS, &o[1], &cause), 0);
	assert_int_equal(o[1].instances, 2);
	assert_int_equal(o[1].healthy, 0);
	assert_int_equal(o[1].outdated, 2);
	free(body);
	body = fixture_read("authentik", "outpost-health-empty.json", &len);
	assert_int_equal(authentik_parse_outpost_health(body, len, RECORDED_MS, &o[2], &cause), 0);
	assert_int_equal(o[2].instances, 0);
	free(body);
	assert_int_equal(authentik_parse_outpost_health("{}", 2, RECORDED_MS, &o[2], &cause), -1);
	assert_string_equal(cause, "authentik: outpost health: not a list");
	free(cause);
	free(o);
}

static void test_describe_failure_words_token_proxy_and_http(void **state)
{
	size_t len;
	char *body = fixture_read("authentik", "error-403-token.json", &len);
	char *s = authentik_describe_failure("version", 403, body, len);

	assert_string_equal(s, "authentik: token refused (Token invalid/expired)");
	free(s);
	free(body);
	body = fixture_read("authentik", "error-403-noauth.json", &len);
	s = authentik_describe_failure("version", 403, body, len);
	assert_string_equal(s, "authentik: token refused (Authentication credentials were not provided.)");
	free(s);
	free(body);
	body = fixture_read("authentik", "error-502-proxy.html", &len);
	s = authentik_describe_failure("version", 502, body, len);
	assert_string_equal(s, "authentik: version: HTTP 502 from a proxy (an HTML page)");
	free(s);
	free(body);
	body = fixture_read("authentik", "starting-502.txt", &len);
	s = authentik_describe_failure("workers", 502, body, len);
	assert_string_equal(s, "authentik: workers: HTTP 502: authentik starting...");
	free(s);
	free(body);
	s = authentik_describe_failure("outposts", 500, "{\"detail\":\"boom\"}", 17);
	assert_string_equal(s, "authentik: outposts: HTTP 500: boom");
	free(s);
	s = authentik_describe_failure("version", 503, NULL, 0);
	assert_string_equal(s, "authentik: version: HTTP 503");
	free(s);
}

static void test_health_judges_live_and_ready_with_reasons(void **state)
{
	struct probe_result ok = { .done = true, .ok = true, .status = 200, .ms = 12 };
	struct probe_result live204 = { .done = true, .ok = true, .status = 204, .ms = 3 };
	struct probe_result r503 = { .done = true, .status = 503, .ms = 5, .error = (char *)"HTTP 503" };
	struct probe_result r502 = { .done = true, .status = 502, .ms = 5,
	                             .error = (char *)"HTTP 502: authentik starting..." };
	struct probe_result refused = { .done = true, .ms = 1, .error = (char *)"connection refused" };
	struct probe_result none = { .ms = -1 };
	struct authentik_health h;
	char *live, *ready;

	authentik_health_judge(&ok, &ok, &h);
	assert_true(h.live && h.ready);
	assert_null(h.error);
	assert_true(h.live_ms == 12);
	authentik_health_done(&h);
	authentik_health_judge(&live204, &r503, &h);
	assert_true(h.live);
	assert_false(h.ready);
	assert_string_equal(h.error, "not ready: HTTP 503 (database or cache unreachable)");
	authentik_health_done(&h);
	authentik_health_judge(&r502, &r502, &h);
	assert_false(h.live || h.ready);
	assert_string_equal(h.error, "live: HTTP 502: authentik starting...");
	authentik_health_done(&h);
	authentik_health_judge(&refused, &refused, &h);
	assert_string_equal(h.error, "live: connection refused");
	assert_true(h.live_ms < 0);
	authentik_health_done(&h);
	authentik_health_judge(&ok, &none, &h);
	assert_string_equal(h.error, "not ready: not probed");
	authentik_health_done(&h);

	authentik_health_paths("http://127.0.0.2:9000/", &live, &ready);
	assert_string_equal(live, "http://127.0.0.2:9000/-/health/live/");
	assert_string_equal(ready, "http://127.0.0.2:9000/-/health/ready/");
	free(live);
	free(ready);
}

static int fetch(const char *prefix, const char *token, struct authentik_info *info, char **cause)
{
	struct http_client *c = http_client_new(NULL);
	char *base = xasprintf("%s%s", probes_testserver_base(srv), prefix);
	struct authentik_api api = { .http = c, .base_url = base, .token = token,
	                             .timeout_ms = 2000, .now_ms = RECORDED_MS + 5000 };
	int rc = authentik_fetch(&api, info, cause);

	free(base);
	http_client_free(c);
	return rc;
}

static void test_fetch_gathers_all_or_fails_in_words_without_token(void **state)
{
	struct authentik_info info;
	char *cause = NULL;

	authentik_info_init(&info);
	assert_int_equal(fetch("/ak/", PROBES_TESTSERVER_TOKEN, &info, &cause), 0);
	assert_null(cause);
	assert_true(info.have_version);
	assert_string_equal(info.version.current, "2025.10.1");
	assert_true(info.version.outdated);
	assert_int_equal(info.workers, 2);
	assert_int_equal(info.n_outposts, 1);
	assert_int_equal(info.outposts[0].instances, 2);
	assert_int_equal(info.outposts[0].healthy, 2);
	assert_null(info.outposts[0].error);
	assert_null(info.error);

	assert_int_equal(fetch("/ak", "wrong-token", &info, &cause), -1);
	assert_string_equal(cause, "authentik: token refused (Token invalid/expired)");
	assert_string_equal(info.error, cause);
	assert_false(info.have_version);
	assert_null(strstr(cause, "wrong-token"));
	free(cause);
	cause = NULL;

	assert_int_equal(fetch("/ak502", PROBES_TESTSERVER_TOKEN, &info, &cause), -1);
	assert_string_equal(cause, "authentik: version: HTTP 502 from a proxy (an HTML page)");
	free(cause);
	cause = NULL;

	assert_int_equal(fetch("/akstart", PROBES_TESTSERVER_TOKEN, &info, &cause), -1);
	assert_string_equal(cause, "authentik: starting (authentik starting)");
	free(cause);
	cause = NULL;

	assert_int_equal(fetch("/ak", NULL, &info, &cause), -1);
	assert_non_null(strstr(cause, "no token"));
	free(cause);
	cause = NULL;
	authentik_info_done(&info);

	{
		struct http_client *c = http_client_new(NULL);
		struct authentik_api api = { .http = c, .base_url = "http://127.0.0.22:1",
		                             .token = "a-longer-token", .timeout_ms = 1000 };

		assert_int_equal(authentik_fetch(&api, &info, &cause), -1);
		assert_string_equal(cause, "authentik: version: connection refused");
		free(cause);
		authentik_info_done(&info);
		http_client_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_recorded_time_is_recorded_ms),
		cmocka_unit_test(test_version_parsed_and_bad_answers_worded),
		cmocka_unit_test(test_workers_counted_with_mismatched_versions),
		cmocka_unit_test(test_outposts_paged_and_health_stale_after_an_hour),
		cmocka_unit_test(test_describe_failure_words_token_proxy_and_http),
		cmocka_unit_test(test_health_judges_live_and_ready_with_reasons),
		cmocka_unit_test(test_fetch_gathers_all_or_fails_in_words_without_token),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
