/* Unit tests of backends/cloudflare: fixtures recorded from the lab's Cloudflare
 * stand-in and hand-made error bodies (tests/fixtures/cloudflare/README.md),
 * the matcher, and cf_fetch() against the HTTP wrapper's test server (429,
 * HTML, a status without an envelope, a refused connection). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/cloudflare.h"
#include "backends/http.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"
#include "tests/support/http_testserver.h"

#define TOKEN "s3cr3t-T0KEN-never-shown"

/* cf_parse_tunnel on a fixture: its return, *cause freed into msg. */
static int parse_tunnel_fix(const char *name, struct cf_tunnel *t, char *msg, size_t n)
{
	size_t len;
	char *json = fixture_read("cloudflare", name, &len), *cause = NULL;
	int rc = cf_parse_tunnel(json, len, t, &cause);

	util_strlcpy(msg, cause != NULL ? cause : "", n);
	free(cause);
	free(json);
	return rc;
}

static int parse_conns_fix(const char *name, struct cf_tunnel *t, char *msg, size_t n)
{
	size_t len;
	char *json = fixture_read("cloudflare", name, &len), *cause = NULL;
	int rc = cf_parse_connections(json, len, t, &cause);

	util_strlcpy(msg, cause != NULL ? cause : "", n);
	free(cause);
	free(json);
	return rc;
}

static void test_tunnel_parsed_sanitised_and_list_refused(void **state)
{
	struct cf_tunnel t;
	char msg[256];

	cf_tunnel_init(&t);
	assert_int_equal(parse_tunnel_fix("tunnel.json", &t, msg, sizeof(msg)), 0);
	assert_string_equal(t.id, "6ff42ae2-765d-4adf-8112-31c55c1551ef");
	assert_string_equal(t.name, "kitestacks");
	assert_int_equal(t.status, CF_STATUS_HEALTHY);
	assert_string_equal(cf_status_name(t.status), "healthy");
	assert_int_equal(t.n_connectors, 0);

	assert_int_equal(parse_tunnel_fix("tunnel-degraded.json", &t, msg, sizeof(msg)), 0);
	assert_int_equal(t.status, CF_STATUS_DEGRADED);
	assert_string_equal(t.name, "kite?stacks");   /* the ESC sanitised */
	cf_tunnel_done(&t);

	/* a list where an object is expected */
	assert_int_equal(parse_tunnel_fix("tunnel-list.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: the tunnel is not an object");
	cf_tunnel_done(&t);
}

static void test_connections_parsed_with_times_and_live_count(void **state)
{
	struct cf_tunnel t;
	const struct cf_connector *a, *b;
	char msg[256];

	cf_tunnel_init(&t);
	assert_int_equal(parse_conns_fix("connections.json", &t, msg, sizeof(msg)), 0);
	assert_int_equal(t.n_connectors, 2);
	a = &t.connectors[0];
	b = &t.connectors[1];
	assert_string_equal(a->id, "adf151ed-055c-477f-a682-c5d15fa594ba");
	assert_string_equal(a->arch, "linux_amd64");
	assert_string_equal(a->version, "2024.8.2");
	assert_string_equal(a->run_at, "2026-11-23T10:50:38.375108Z");
	assert_true(a->run_at_ms > 0);
	assert_int_equal(a->n_conns, 4);
	assert_int_equal(a->live, 4);
	assert_string_equal(a->conns[0].colo, "fra08");
	assert_string_equal(a->conns[1].colo, "ams01");
	assert_string_equal(a->conns[0].origin_ip, "127.0.0.2");
	assert_string_equal(a->conns[0].opened_at, "2026-11-23T10:50:39.375108Z");
	assert_int_equal(a->conns[0].opened_at_ms - a->run_at_ms, 1000);
	assert_false(a->conns[0].pending);
	assert_int_equal(a->host, -1);
	assert_string_equal(b->id, "667d7ad7-016b-468d-ad4e-5fdf36cb66d6");
	assert_string_equal(b->conns[0].origin_ip, "127.0.0.3");
	assert_string_equal(b->conns[0].colo, "fra02");
	assert_int_equal(cf_tunnel_live(&t), 8);
	cf_tunnel_done(&t);
}

static void test_pending_counted_and_wrong_types_read_as_absent(void **state)
{
	struct cf_tunnel t;
	char msg[256];

	cf_tunnel_init(&t);
	assert_int_equal(parse_conns_fix("connections-pending.json", &t, msg, sizeof(msg)), 0);
	/* the one without an id and the string are skipped */
	assert_int_equal(t.n_connectors, 3);
	assert_int_equal(t.connectors[0].n_conns, 2);
	assert_int_equal(t.connectors[0].live, 1);
	assert_true(t.connectors[0].conns[1].pending);
	assert_int_equal(t.connectors[1].live, 0);
	assert_string_equal(t.connectors[1].arch, "linux_arm64");
	/* wrong types: absent */
	assert_string_equal(t.connectors[2].version, "");
	assert_int_equal(t.connectors[2].n_conns, 0);
	assert_int_equal(t.connectors[2].run_at_ms, 0);
	assert_int_equal(cf_tunnel_live(&t), 1);
	cf_tunnel_done(&t);
}

static void test_connectors_and_conns_capped_with_dropped_count(void **state)
{
	struct buf b;
	struct cf_tunnel t;
	char *cause = NULL;
	int i, j;

	buf_init(&b);
	buf_puts(&b, "{\"success\":true,\"result\":[");
	for (i = 0; i < CF_MAX_CONNECTORS + 5; i++) {
		buf_printf(&b, "%s{\"id\":\"c%d\",\"conns\":[", i ? "," : "", i);
		for (j = 0; j < CF_MAX_CONNS + 3; j++)
			buf_printf(&b, "%s{\"colo_name\":\"%s\",\"is_pending_reconnect\":false}",
			           j ? "," : "", "colo-name-that-is-far-too-long-for-its-field");
		buf_puts(&b, "]}");
	}
	buf_puts(&b, "]}");
	cf_tunnel_init(&t);
	assert_int_equal(cf_parse_connections(b.data, b.len, &t, &cause), 0);
	assert_int_equal(t.n_connectors, CF_MAX_CONNECTORS);
	assert_int_equal(t.connectors[0].n_conns, CF_MAX_CONNS);
	assert_int_equal(t.dropped, 5 + (size_t)CF_MAX_CONNECTORS * 3);
	assert_int_equal(strlen(t.connectors[0].conns[0].colo), sizeof(t.connectors[0].conns[0].colo) - 1);
	cf_tunnel_done(&t);
	buf_done(&b);
}

static void test_envelope_errors_give_api_messages_and_codes(void **state)
{
	struct cf_tunnel t;
	char msg[512];

	cf_tunnel_init(&t);
	assert_int_equal(parse_tunnel_fix("error-auth-403.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: Authentication error (10000)");
	assert_int_equal(parse_conns_fix("error-notfound-404.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: Tunnel not found (1003)");
	assert_int_equal(parse_tunnel_fix("error-many.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: Invalid request headers (6003); Could not route (7003); "
	                         "no code here; ...");
	assert_int_equal(parse_tunnel_fix("error-html-502.html", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: not JSON (HTML page?)");
	assert_int_equal(parse_conns_fix("ready-monk.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: not an API envelope (no \"success\")");
	assert_int_equal(parse_conns_fix("tunnel.json", &t, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "cloudflare: the connections are not a list");
	assert_int_equal(t.n_connectors, 0);
	cf_tunnel_done(&t);
}

static void test_small_bodies_each_give_their_error(void **state)
{
	static const struct { const char *body, *want; } cases[] = {
		{ "", "cloudflare: not JSON" },
		{ "null", "cloudflare: not an API envelope" },
		{ "[]", "cloudflare: not an API envelope" },
		{ "{\"success\":\"yes\"}", "cloudflare: not an API envelope (no \"success\")" },
		{ "{\"success\":false}", "cloudflare: request failed" },
		{ "{\"success\":false,\"errors\":[1,2]}", "cloudflare: request failed" },
		{ "{\"success\":false,\"errors\":[{\"code\":\"x\",\"message\":\"a\\nb\"}]}",
		  "cloudflare: a?b" },
		{ "{\"success\":true}", "cloudflare: no result" },
		{ "{\"success\":true,\"result\":null}", "cloudflare: no result" },
		{ "  <html>", "cloudflare: not JSON (HTML page?)" },
	};
	struct cf_tunnel t;
	size_t i;

	cf_tunnel_init(&t);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		char *cause = NULL;

		assert_int_equal(cf_parse_tunnel(cases[i].body, strlen(cases[i].body), &t, &cause), -1);
		assert_non_null(cause);
		assert_string_equal(cause, cases[i].want);
		free(cause);
	}
	cf_tunnel_done(&t);
}

static void test_describe_failure_words_429_api_errors_and_html(void **state)
{
	size_t len;
	char *body, *s;

	body = fixture_read("cloudflare", "error-429.json", &len);
	s = cf_describe_failure(429, 30, body, len);
	assert_string_equal(s, "cloudflare: HTTP 429, retry after 30 s");
	free(s);
	s = cf_describe_failure(429, -1, body, len);
	assert_string_equal(s, "cloudflare: HTTP 429, rate-limited");
	free(s);
	free(body);

	body = fixture_read("cloudflare", "error-auth-403.json", &len);
	s = cf_describe_failure(403, -1, body, len);
	assert_string_equal(s, "cloudflare: Authentication error (10000)");
	free(s);
	free(body);

	body = fixture_read("cloudflare", "error-html-502.html", &len);
	s = cf_describe_failure(502, -1, body, len);
	assert_string_equal(s, "cloudflare: HTTP 502, not JSON (HTML page?)");
	free(s);
	free(body);

	s = cf_describe_failure(503, -1, "{\"message\":\"down\"}", 18);
	assert_string_equal(s, "cloudflare: HTTP 503");
	free(s);
	s = cf_describe_failure(500, -1, NULL, 0);
	assert_string_equal(s, "cloudflare: HTTP 500");
	free(s);
}

static void test_ready_parsed_wrong_types_unknown_non_json_error(void **state)
{
	struct cf_ready r;
	size_t len;
	char *body = fixture_read("cloudflare", "ready-kscloud1.json", &len), *cause = NULL;

	assert_int_equal(cf_parse_ready(body, len, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.ready_connections, 4);
	assert_string_equal(r.connector_id, "667d7ad7-016b-468d-ad4e-5fdf36cb66d6");
	free(body);

	body = fixture_read("cloudflare", "ready-503.json", &len);
	assert_int_equal(cf_parse_ready(body, len, &r, &cause), 0);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.ready_connections, 0);
	free(body);

	assert_int_equal(cf_parse_ready("{\"readyConnections\":1e300,\"connectorId\":7}", 42, &r,
	                                &cause), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.ready_connections, -1);
	assert_string_equal(r.connector_id, "");

	assert_int_equal(cf_parse_ready("OK", 2, &r, &cause), -1);
	assert_string_equal(cause, "cloudflared /ready: not JSON");
	assert_int_equal(cf_parse_ready("[1]", 3, &r, &cause), -1);
	assert_string_equal(cause, "cloudflared /ready: not an object");
	free(cause);
}

static void load_lab(struct cf_tunnel *t)
{
	char msg[256];

	cf_tunnel_init(t);
	assert_int_equal(parse_conns_fix("connections.json", t, msg, sizeof(msg)), 0);
	assert_int_equal(t->n_connectors, 2);
}

static void test_match_by_id_wins_over_origin_ip(void **state)
{
	struct cf_tunnel t;
	/* ids cross the origin IPs: the id must win */
	struct cf_host hosts[] = {
		{ "kscloud1", "667d7ad7-016b-468d-ad4e-5fdf36cb66d6", "127.0.0.2" },
		{ "monk", "adf151ed-055c-477f-a682-c5d15fa594ba", "127.0.0.3" },
	};

	load_lab(&t);
	cf_match(&t, hosts, 2);
	assert_int_equal(t.connectors[0].host, 1);
	assert_int_equal(t.connectors[0].matched_by, CF_MATCH_ID);
	assert_int_equal(t.connectors[1].host, 0);
	assert_int_equal(t.connectors[1].matched_by, CF_MATCH_ID);
	cf_tunnel_done(&t);
}

static void test_match_by_ip_unless_ambiguous_or_unknown(void **state)
{
	struct cf_tunnel t;
	struct cf_host hosts[] = {
		{ "monk", NULL, "127.0.0.2" },
		{ "kscloud1", "", "127.0.0.3" },
		{ "other", "no-such-connector", NULL },
	};
	struct cf_host same_ip[] = {
		{ "a", NULL, "127.0.0.2" },
		{ "b", NULL, "127.0.0.2" },
		{ "c", "667d7ad7-016b-468d-ad4e-5fdf36cb66d6", "127.0.0.2" },
	};
	struct cf_host none[] = { { "x", "zzz", "10.0.0.1" } };

	load_lab(&t);
	cf_match(&t, hosts, 3);
	assert_int_equal(t.connectors[0].host, 0);
	assert_int_equal(t.connectors[0].matched_by, CF_MATCH_IP);
	assert_int_equal(t.connectors[1].host, 1);
	assert_int_equal(t.connectors[1].matched_by, CF_MATCH_IP);

	/* two hosts behind one address: ambiguous, unmatched; the id still works */
	cf_match(&t, same_ip, 3);
	assert_int_equal(t.connectors[0].host, -1);
	assert_int_equal(t.connectors[0].matched_by, CF_MATCH_NONE);
	assert_int_equal(t.connectors[1].host, 2);
	assert_int_equal(t.connectors[1].matched_by, CF_MATCH_ID);

	cf_match(&t, none, 1);
	assert_int_equal(t.connectors[0].host, -1);
	assert_int_equal(t.connectors[1].host, -1);
	cf_match(&t, NULL, 0);
	assert_int_equal(t.connectors[1].host, -1);
	cf_tunnel_done(&t);
}

/* cf_fetch against the test server: api_url points at one of its paths with
 * a query that swallows the "/accounts/..." the client appends. */
static void fetch_expect(const char *path, const char *want)
{
	struct http_testserver *s = http_testserver_start();
	struct http_client *c;
	struct cf_tunnel t;
	char *url, *cause = NULL;

	assert_non_null(s);
	c = http_client_new(NULL);
	url = xasprintf("%s%s", http_testserver_base(s), path);
	cf_tunnel_init(&t);
	assert_int_equal(cf_fetch(c, url, "acct", "tun", TOKEN, &t, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	assert_null(strstr(cause, TOKEN));
	cf_tunnel_done(&t);
	free(cause);
	free(url);
	http_client_free(c);
	http_testserver_stop(s);
}

static void test_fetch_429_says_retry_after(void **state)
{
	fetch_expect("/retry?after=30&x=", "cloudflare: HTTP 429, retry after 30 s");
}

static void test_fetch_html_answer_says_not_json(void **state)
{
	fetch_expect("/html?code=200&x=", "cloudflare: not JSON (HTML page?)");
	fetch_expect("/html?code=502&x=", "cloudflare: HTTP 502, not JSON (HTML page?)");
}

static void test_fetch_bad_status_or_echo_hides_the_token(void **state)
{
	fetch_expect("/status?code=503&x=", "cloudflare: HTTP 503");
	/* the echo holds the request head, bearer token included: not in the error */
	fetch_expect("/echo?x=", "cloudflare: not JSON");
}

static void test_fetch_refused_or_unconfigured_is_worded(void **state)
{
	struct http_client *c = http_client_new(NULL);
	struct cf_tunnel t;
	char *cause = NULL;

	cf_tunnel_init(&t);
	/* port 1 on loopback: nothing listens there */
	assert_int_equal(cf_fetch(c, "http://127.0.0.1:1/client/v4", "a", "t", TOKEN, &t, &cause),
	                 -1);
	assert_string_equal(cause, "cloudflare: connection refused");
	assert_int_equal(cf_fetch(c, "http://127.0.0.1:1", "a", "t", "", &t, &cause), -1);
	assert_string_equal(cause, "cloudflare: no API token");
	assert_int_equal(cf_fetch(c, "http://127.0.0.1:1", "", "t", TOKEN, &t, &cause), -1);
	assert_string_equal(cause, "cloudflare: api_url, account_id and tunnel_id are needed");
	free(cause);
	cf_tunnel_done(&t);
	http_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tunnel_parsed_sanitised_and_list_refused),
		cmocka_unit_test(test_connections_parsed_with_times_and_live_count),
		cmocka_unit_test(test_pending_counted_and_wrong_types_read_as_absent),
		cmocka_unit_test(test_connectors_and_conns_capped_with_dropped_count),
		cmocka_unit_test(test_envelope_errors_give_api_messages_and_codes),
		cmocka_unit_test(test_small_bodies_each_give_their_error),
		cmocka_unit_test(test_describe_failure_words_429_api_errors_and_html),
		cmocka_unit_test(test_ready_parsed_wrong_types_unknown_non_json_error),
		cmocka_unit_test(test_match_by_id_wins_over_origin_ip),
		cmocka_unit_test(test_match_by_ip_unless_ambiguous_or_unknown),
		cmocka_unit_test(test_fetch_429_says_retry_after),
		cmocka_unit_test(test_fetch_html_answer_says_not_json),
		cmocka_unit_test(test_fetch_bad_status_or_echo_hides_the_token),
		cmocka_unit_test(test_fetch_refused_or_unconfigured_is_worded),
	};
	int rc;

	http_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	http_global_cleanup();
	return rc;
}
