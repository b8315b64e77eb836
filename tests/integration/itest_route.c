/* Integration of core/fleet/route: `via = HOST` endpoints through the SSH
 * tunnels of the lab (examples/kitestacks-lab.conf): Prometheus through monk, each host's own
 * health endpoints through that host, and the errors when a tunnel's far end
 * does not answer.  Skipped when the lab is not up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/http.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/fleet/route.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static struct config *cfg;
static struct feeds *feeds;

static int setup(void **state)
{
	char *cause = NULL;

	if (access("tests/lab/run/monk/docker.sock", F_OK) != 0)
		return 0;
	http_global_init();
	cfg = config_load("examples/kitestacks-lab.conf", &cause);
	if (cfg == NULL) {
		print_error("config: %s\n", cause);
		return -1;
	}
	feeds = feeds_new(cfg, NULL);
	return feeds_start(feeds, &cause);
}

static int teardown(void **state)
{
	feeds_free(feeds);
	config_free(cfg);
	return 0;
}

/* GET url through the endpoint of `via`; returns the status, body in *body. */
static long get(const char *via, const char *url, char **body, char **cause)
{
	struct http_client *c = http_client_new(NULL);
	struct http_response resp;
	struct http_request req = { 0 };
	char *u = NULL, *sock = NULL;
	long status = -1;

	if (route_http(feeds->fleet, via, url, &u, &sock, cause) == -1) {
		http_client_free(c);
		return -1;
	}
	http_response_init(&resp);
	req.url = u;
	req.unix_socket = sock;
	req.timeout_ms = 5000;
	if (http_request(c, &req, &resp, cause) == 0) {
		status = resp.status;
		*body = xstrdup(buf_cstr(&resp.body));
	}
	http_response_done(&resp);
	http_client_free(c);
	free(u);
	free(sock);
	return status;
}

static void test_prometheus_via_monk(void **state)
{
	char *body = NULL, *cause = NULL;
	long st;

	if (feeds == NULL)
		skip();
	st = get("monk", "http://127.0.0.2:9090/-/ready", &body, &cause);
	if (st != 200)
		fail_msg("prometheus via monk: %ld %s", st, cause != NULL ? cause : "");
	assert_non_null(strstr(body, "Ready"));
	free(body);
}

static void test_each_host_health_through_itself(void **state)
{
	if (feeds == NULL)
		skip();
	for (size_t i = 0; i < cfg->nhosts; i++) {
		char *body = NULL, *cause = NULL;
		long st = get(cfg->hosts[i].name, "http://{address}:3002/api/health", &body, &cause);

		if (st != 200)
			fail_msg("%s grafana: %ld %s", cfg->hosts[i].name, st, cause != NULL ? cause : "");
		assert_non_null(strstr(body, "database"));   /* grafana's health JSON */
		free(body);
	}
}

static void test_direct_unchanged_unknown_via_or_closed_port_errors(void **state)
{
	char *u = NULL, *sock = NULL, *cause = NULL, *body = NULL;
	long st;

	if (feeds == NULL)
		skip();
	/* direct: no socket, URL unchanged */
	assert_int_equal(route_http(feeds->fleet, NULL, "http://127.0.0.2:9090/", &u, &sock, &cause), 0);
	assert_null(sock);
	assert_string_equal(u, "http://127.0.0.2:9090/");
	free(u);
	assert_int_equal(route_http(feeds->fleet, "nohost", "http://x/", &u, &sock, &cause), -1);
	assert_non_null(strstr(cause, "no host named nohost"));
	free(cause);
	cause = NULL;
	/* a port nobody listens on, on the far side: an error in words, no hang */
	int64_t t0 = time_mono_ms();
	st = get("kscloud1", "http://127.0.0.3:1/", &body, &cause);
	assert_int_equal(st, -1);
	assert_non_null(cause);
	print_message("closed far port: %s (%lld ms)\n", cause, (long long)(time_mono_ms() - t0));
	assert_true(time_mono_ms() - t0 < 6000);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prometheus_via_monk),
		cmocka_unit_test(test_each_host_health_through_itself),
		cmocka_unit_test(test_direct_unchanged_unknown_via_or_closed_port_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
