/* Unit tests of backends/tailscale: hand-written `tailscale status --json`
 * outputs (tests/fixtures/tailscale/README.md: no tailscaled runs here) and
 * hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/tailscale.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"


static int parse_fix(const char *name, struct tailscale_status *s)
{
	size_t len;
	char *data = fixture_read("tailscale", name, &len), *cause = NULL;
	int rc;

	rc = tailscale_parse_status(data, len, s, &cause);
	if (rc != 0)
		print_error("%s\n", cause);
	free(cause);
	free(data);
	return rc;
}

static void test_running_status_gives_self_peers_and_paths(void **state)
{
	struct tailscale_status s;
	const struct tailscale_node *p;
	char path[32];

	tailscale_status_init(&s);
	assert_int_equal(parse_fix("status-a.json", &s), 0);
	assert_true(tailscale_running(&s));
	assert_string_equal(s.version, "1.70.0-t0123456789-gabcdef012");
	assert_true(s.has_self);
	assert_string_equal(s.self.host_name, "monk");
	assert_string_equal(s.self.dns_name, "monk.tail1234.ts.net.");
	assert_true(s.self.online);
	assert_int_equal(s.self.n_ips, 2);
	assert_string_equal(s.self.ips[0], "100.101.1.10");
	assert_string_equal(s.self.ips[1], "fd7a:115c:a1e0::1");
	assert_int_equal(s.n_peers, 3);

	p = tailscale_find_peer(&s, "kscloud1");
	assert_non_null(p);
	assert_true(p->online);
	assert_true(p->direct);
	assert_string_equal(p->cur_addr, "203.0.113.20:41641");
	assert_string_equal(p->ips[0], "100.101.1.20");
	assert_string_equal(tailscale_path(p, path, sizeof(path)), "direct");

	p = tailscale_find_peer(&s, "laptop");
	assert_non_null(p);
	assert_false(p->online);
	assert_false(p->direct);
	assert_string_equal(tailscale_path(p, path, sizeof(path)), "offline");

	/* by host name in another case, by DNS label, by IP */
	p = tailscale_find_peer(&s, "docker-b");
	assert_non_null(p);
	assert_string_equal(p->host_name, "Docker-B");
	assert_true(p->online);
	assert_false(p->direct);
	assert_string_equal(p->relay, "fra");
	assert_string_equal(tailscale_path(p, path, sizeof(path)), "relay fra");
	assert_ptr_equal(tailscale_find_peer(&s, "100.64.0.7"), p);
	assert_ptr_equal(tailscale_find_peer(&s, "kscloud1.tail1234.ts.net."),
	                 tailscale_find_peer(&s, "kscloud1"));
	assert_ptr_equal(tailscale_find_peer(&s, "100.101.1.20"), tailscale_find_peer(&s, "kscloud1"));
	assert_null(tailscale_find_peer(&s, "monk"));       /* self is not a peer */
	assert_null(tailscale_find_peer(&s, "kscloud"));    /* no prefix match */
	assert_null(tailscale_find_peer(&s, ""));
	assert_null(tailscale_find_peer(&s, NULL));
	tailscale_status_done(&s);
}

static void test_needs_login_and_reparse_drops_old_peers(void **state)
{
	struct tailscale_status s;

	tailscale_status_init(&s);
	assert_int_equal(parse_fix("status-needslogin.json", &s), 0);
	assert_false(tailscale_running(&s));
	assert_string_equal(s.backend_state, "NeedsLogin");
	assert_true(s.has_self);
	assert_false(s.self.online);
	assert_int_equal(s.self.n_ips, 0);
	assert_int_equal(s.n_peers, 0);
	assert_null(s.peers);

	/* parsing again resets: the previous peers go */
	assert_int_equal(parse_fix("status-a.json", &s), 0);
	assert_int_equal(parse_fix("status-stopped-noself.json", &s), 0);
	assert_string_equal(s.backend_state, "Stopped");
	assert_false(s.has_self);
	assert_int_equal(s.n_peers, 0);
	assert_int_equal(s.self.n_ips, 1);   /* from the top-level TailscaleIPs */
	assert_string_equal(s.self.ips[0], "100.101.1.20");
	tailscale_status_done(&s);
}

static void test_hostile_status_is_an_error_or_reads_as_absent(void **state)
{
	static const struct { const char *body, *want; } bad[] = {
		{ "", "tailscale status: not JSON" },
		{ "tailscale: command not found", "tailscale status: not JSON" },
		{ "[1,2]", "tailscale status: not an object" },
		{ "\"x\"", "tailscale status: not an object" },
	};
	struct tailscale_status s;
	size_t i;
	const char *odd = "{\"BackendState\":7,\"Self\":[],\"TailscaleIPs\":[1,\"\",\"100.1.1.1\"],"
	                  "\"Peer\":{\"a\":1,\"b\":{\"HostName\":\"x\\u0007y\",\"Online\":\"yes\","
	                  "\"CurAddr\":5,\"TailscaleIPs\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}}}";
	char *cause = NULL;

	tailscale_status_init(&s);
	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_int_equal(tailscale_parse_status(bad[i].body, strlen(bad[i].body), &s, &cause),
		                 -1);
		assert_string_equal(cause, bad[i].want);
	}
	free(cause);
	cause = NULL;
	assert_int_equal(tailscale_parse_status(odd, strlen(odd), &s, &cause), 0);
	assert_string_equal(s.backend_state, "");
	assert_false(s.has_self);
	assert_int_equal(s.self.n_ips, 1);
	assert_string_equal(s.self.ips[0], "100.1.1.1");
	assert_int_equal(s.n_peers, 1);
	assert_string_equal(s.peers[0].host_name, "x?y");
	assert_false(s.peers[0].online);
	assert_false(s.peers[0].direct);
	assert_int_equal(s.peers[0].n_ips, TAILSCALE_MAX_IPS);
	tailscale_status_done(&s);
}

static void test_peers_capped_with_dropped_count(void **state)
{
	struct tailscale_status s;
	struct buf b;
	char *cause = NULL;
	int i;

	buf_init(&b);
	buf_puts(&b, "{\"Peer\":{");
	for (i = 0; i < TAILSCALE_MAX_PEERS + 10; i++)
		buf_printf(&b, "%s\"nodekey:%d\":{\"HostName\":\"h%d\",\"Online\":true}", i ? "," : "",
		           i, i);
	buf_puts(&b, "}}");
	tailscale_status_init(&s);
	assert_int_equal(tailscale_parse_status(b.data, b.len, &s, &cause), 0);
	assert_int_equal(s.n_peers, TAILSCALE_MAX_PEERS);
	assert_int_equal(s.dropped, 10);
	assert_non_null(tailscale_find_peer(&s, "h0"));
	assert_null(tailscale_find_peer(&s, "h1030"));
	tailscale_status_done(&s);
	buf_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_status_gives_self_peers_and_paths),
		cmocka_unit_test(test_needs_login_and_reparse_drops_old_peers),
		cmocka_unit_test(test_hostile_status_is_an_error_or_reads_as_absent),
		cmocka_unit_test(test_peers_capped_with_dropped_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
