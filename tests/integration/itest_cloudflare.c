/* Integration tests of backends/cloudflare against the lab's Cloudflare
 * stand-in (tests/lab/cloudflare-standin.py, http://127.0.0.2:8443/client/v4)
 * and each lab host's cloudflared /ready (http://127.0.0.2:2000/ready for
 * monk, http://127.0.0.3:2000/ready for kscloud1), reached directly on
 * loopback.  Skipped when the token file (/run/kitetop-lab/cloudflare.token,
 * or $KT_LAB_CF_TOKEN_FILE) cannot be read or the stand-in does not answer.
 *
 * The lab is shared: a connector may restart between two requests, so the
 * matching test reads /ready, the API, and /ready again, and retries (3
 * times) until both /ready answers are the same before and after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define API "http://127.0.0.2:8443/client/v4"
#define ACCOUNT "0123abcd4567ef890123abcd4567ef89"
#define TUNNEL "6ff42ae2-765d-4adf-8112-31c55c1551ef"

static const struct {
	const char *name, *addr, *ready;
} lab_hosts[] = {
	{ "monk", "127.0.0.2", "http://127.0.0.2:2000/ready" },
	{ "kscloud1", "127.0.0.3", "http://127.0.0.3:2000/ready" },
};

static char *token;          /* NULL: skip */
static struct http_client *client;

static int setup(void **state)
{
	const char *path = getenv("KT_LAB_CF_TOKEN_FILE");
	char *data = NULL, *cause = NULL;
	size_t len;
	struct cf_tunnel t;

	http_global_init();
	client = http_client_new(NULL);
	if (path == NULL)
		path = "/run/kitetop-lab/cloudflare.token";
	if (util_read_file(path, 4096, &data, &len, &cause) != 0) {
		fprintf(stderr, "itest_cloudflare: no lab token (%s): skipping\n", cause);
		free(cause);
		return 0;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
		data[--len] = '\0';
	cf_tunnel_init(&t);
	if (cf_fetch(client, API, ACCOUNT, TUNNEL, data, &t, &cause) != 0 &&
	    strstr(cause, "Authentication") == NULL && strstr(cause, "not found") == NULL) {
		fprintf(stderr, "itest_cloudflare: the stand-in does not answer (%s): skipping\n",
		        cause);
		free(data);
		data = NULL;
	}
	free(cause);
	cf_tunnel_done(&t);
	token = data;
	return 0;
}

static int teardown(void **state)
{
	free(token);
	http_client_free(client);
	http_global_cleanup();
	return 0;
}

#define NEED_LAB() do { if (token == NULL) { skip(); } } while (0)

/* The connectorId of a host's cloudflared /ready (into id), or -1. */
static int ready_id(const char *url, char *id, size_t n)
{
	struct http_request req = { .url = url, .timeout_ms = 3000 };
	struct http_response resp;
	struct cf_ready r;
	char *cause = NULL;
	int rc = -1;

	http_response_init(&resp);
	if (http_request(client, &req, &resp, &cause) == 0 && resp.status == 200 &&
	    cf_parse_ready(resp.body.data, resp.body.len, &r, &cause) == 0 &&
	    r.status == 200 && r.ready_connections > 0 && r.connector_id[0] != '\0') {
		util_strlcpy(id, r.connector_id, n);
		rc = 0;
	} else {
		print_message("%s: %s (HTTP %ld)\n", url, cause != NULL ? cause : "not ready",
		              resp.status);
	}
	free(cause);
	http_response_done(&resp);
	return rc;
}

static void test_connectors_match_hosts_by_id_or_origin_ip(void **state)
{
	char before[2][CF_ID_LEN], after[2][CF_ID_LEN], *cause = NULL;
	struct cf_host hosts[2];
	struct cf_tunnel t;
	int attempt, i, j;
	size_t k;

	NEED_LAB();
	cf_tunnel_init(&t);
	for (attempt = 0;; attempt++) {
		for (i = 0; i < 2; i++)
			assert_int_equal(ready_id(lab_hosts[i].ready, before[i], CF_ID_LEN), 0);
		assert_int_equal(cf_fetch(client, API, ACCOUNT, TUNNEL, token, &t, &cause), 0);
		for (i = 0; i < 2; i++)
			assert_int_equal(ready_id(lab_hosts[i].ready, after[i], CF_ID_LEN), 0);
		if ((strcmp(before[0], after[0]) == 0 && strcmp(before[1], after[1]) == 0) ||
		    attempt == 2)
			break;
		time_sleep_ms(1000);
	}
	assert_string_equal(t.id, TUNNEL);
	assert_string_equal(t.name, "kitestacks");
	assert_int_equal(t.status, CF_STATUS_HEALTHY);

	/* by connectorId alone, with the origin IPs crossed so they cannot help */
	for (i = 0; i < 2; i++) {
		hosts[i].name = lab_hosts[i].name;
		hosts[i].connector_id = after[i];
		hosts[i].origin_ip = lab_hosts[1 - i].addr;
	}
	cf_match(&t, hosts, 2);
	for (i = 0; i < 2; i++) {
		const struct cf_connector *c = NULL;

		for (k = 0; k < t.n_connectors; k++)
			if (t.connectors[k].host == i)
				c = &t.connectors[k];
		assert_non_null(c);
		assert_int_equal(c->matched_by, CF_MATCH_ID);
		assert_string_equal(c->id, after[i]);
		assert_true(c->live >= 1);
		assert_true(c->n_conns <= CF_MAX_CONNS);
		assert_true(c->run_at_ms > 0);
		for (j = 0; j < (int)c->n_conns; j++) {
			assert_string_equal(c->conns[j].origin_ip, lab_hosts[i].addr);
			assert_true(c->conns[j].colo[0] != '\0');
			assert_true(c->conns[j].opened_at_ms > 0);
		}
		print_message("%s: connector %s, %zu live of %zu, %s\n", lab_hosts[i].name, c->id,
		              c->live, c->n_conns, c->conns[0].colo);
	}

	/* by origin IP alone: the same assignment */
	for (i = 0; i < 2; i++) {
		hosts[i].connector_id = NULL;
		hosts[i].origin_ip = lab_hosts[i].addr;
	}
	cf_match(&t, hosts, 2);
	for (k = 0; k < t.n_connectors; k++) {
		const struct cf_connector *c = &t.connectors[k];

		if (c->live == 0)
			continue;   /* a pending connector of an older run */
		assert_int_equal(c->matched_by, CF_MATCH_IP);
		assert_in_range(c->host, 0, 1);
		assert_string_equal(c->id, after[c->host]);
	}
	cf_tunnel_done(&t);
}

static void test_bad_token_or_tunnel_is_worded_without_secret(void **state)
{
	const char *bad = "kt-itest-wrong-token-0123456789";
	struct cf_tunnel t;
	char *cause = NULL;

	NEED_LAB();
	cf_tunnel_init(&t);
	assert_int_equal(cf_fetch(client, API, ACCOUNT, TUNNEL, bad, &t, &cause), -1);
	assert_string_equal(cause, "cloudflare: Authentication error (10000)");
	assert_null(strstr(cause, bad));
	assert_int_equal(cf_fetch(client, API "/", ACCOUNT, "00000000-0000-0000-0000-000000000000",
	                          token, &t, &cause), -1);
	assert_string_equal(cause, "cloudflare: Tunnel not found (1003)");
	assert_null(strstr(cause, token));
	free(cause);
	cf_tunnel_done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connectors_match_hosts_by_id_or_origin_ip),
		cmocka_unit_test(test_bad_token_or_tunnel_is_worded_without_secret),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
