/* Unit tests of the traffic actions' outcome logic (core/actions/traffic.c:
 * traffic_drain_edge, traffic_wait_verdict, traffic_flip_goes_on) and of
 * tunnel_unseen (core/feeds/tunnel.c): when a drain or undrain is verified,
 * failed (an answer says no), or unknown (no answer, never "failed"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "core/actions/action.h"
#include "core/actions/traffic.h"
#include "core/feeds/feed_docker.h"
#include "core/feeds/feeds.h"
#include "core/feeds/tunnel.h"
#include "core/base/util.h"

#define MONK_ID "adf151ed-055c-477f-a682-c5d15fa594ba"
#define KS_ID "667d7ad7-016b-468d-ad4e-5fdf36cb66d6"

static void parse_api(struct cf_tunnel *t)
{
	char *body = NULL, *cause = NULL;
	size_t len;

	if (util_read_file("tests/fixtures/cloudflare/connections.json", 1 << 20, &body, &len,
	                   &cause) != 0)
		fail_msg("%s", cause);
	cf_tunnel_init(t);
	assert_int_equal(cf_parse_connections(body, len, t, &cause), 0);
	free(body);
}

static struct docker_container container(enum docker_state s)
{
	struct docker_container dc = feed_missing_container("cloudflared");

	dc.state = s;
	return dc;
}

static void running_ready(struct tunnel_state *ts, const char *id)
{
	struct docker_container dc = container(DOCKER_STATE_RUNNING);
	char *body = xasprintf("{\"status\":200,\"readyConnections\":4,\"connectorId\":\"%s\"}", id);

	tunnel_state_init(ts, "cloudflared");
	tunnel_apply_docker(ts, &dc, NULL);
	tunnel_apply_ready(ts, 200, body, strlen(body), NULL);
	free(body);
}

/* The connector of a drained host in one answer of the API. */
static void test_drain_edge(void **state)
{
	const struct cf_connector *c = NULL;
	struct cf_tunnel t;

	(void)state;
	parse_api(&t);
	/* no answer: unseen, whatever the id */
	assert_int_equal(traffic_drain_edge(NULL, MONK_ID, 0, &c), TRAFFIC_EDGE_UNSEEN);
	assert_null(c);
	/* listed with live connections: still live */
	assert_int_equal(traffic_drain_edge(&t, MONK_ID, 0, &c), TRAFFIC_EDGE_LIVE);
	assert_non_null(c);
	assert_string_equal(c->id, MONK_ID);
	/* an id the API does not list: it left */
	assert_int_equal(traffic_drain_edge(&t, "11111111-2222-3333-4444-555555555555", 0, &c),
	                 TRAFFIC_EDGE_GONE);
	assert_null(c);
	/* no id known: the one matched to the host's index */
	for (size_t k = 0; k < t.n_connectors; k++)
		t.connectors[k].host = strcmp(t.connectors[k].id, KS_ID) == 0 ? 1 : -1;
	assert_int_equal(traffic_drain_edge(&t, "", 1, &c), TRAFFIC_EDGE_LIVE);
	assert_string_equal(c->id, KS_ID);
	assert_int_equal(traffic_drain_edge(&t, "", 0, NULL), TRAFFIC_EDGE_GONE);
	/* listed but every connection pending reconnect: no live one, gone */
	for (size_t k = 0; k < t.n_connectors; k++)
		if (strcmp(t.connectors[k].id, MONK_ID) == 0)
			t.connectors[k].live = 0;
	assert_int_equal(traffic_drain_edge(&t, MONK_ID, 0, &c), TRAFFIC_EDGE_GONE);
	assert_non_null(c);
	cf_tunnel_done(&t);
}

static void test_wait_verdict(void **state)
{
	(void)state;
	/* verified wins, also at the deadline or cancelled */
	assert_int_equal(traffic_wait_verdict(true, false, false, false), ACTION_OK);
	assert_int_equal(traffic_wait_verdict(true, true, true, true), ACTION_OK);
	/* before the deadline: look again, seen or not */
	assert_int_equal(traffic_wait_verdict(false, false, false, false), ACTION_RUNNING);
	assert_int_equal(traffic_wait_verdict(false, true, false, false), ACTION_RUNNING);
	/* at the deadline: an answer that says no is a failure ... */
	assert_int_equal(traffic_wait_verdict(false, false, true, false), ACTION_FAILED);
	/* ... no answer is unknown, never failed */
	assert_int_equal(traffic_wait_verdict(false, true, true, false), ACTION_UNKNOWN);
	/* cancelled by the operator: failed ("cancelled"), as any action */
	assert_int_equal(traffic_wait_verdict(false, true, false, true), ACTION_FAILED);
	assert_int_equal(traffic_wait_verdict(false, false, false, true), ACTION_FAILED);
}

/* A flip drains FROM only after a verified undrain of TO (or none needed). */
static void test_flip_goes_on(void **state)
{
	(void)state;
	assert_true(traffic_flip_goes_on(ACTION_OK));
	assert_true(traffic_flip_goes_on(ACTION_RUNNING));
	assert_false(traffic_flip_goes_on(ACTION_FAILED));
	assert_false(traffic_flip_goes_on(ACTION_UNKNOWN));
	assert_false(traffic_flip_goes_on(ACTION_REFUSED));
}

/* Whether an undrain's "not healthy" is an answer or the lack of one. */
static void test_unseen(void **state)
{
	struct tunnel_state ts;
	struct docker_container dc;
	struct cf_tunnel t;

	(void)state;
	/* healthy: nothing unseen */
	running_ready(&ts, MONK_ID);
	assert_false(tunnel_unseen(&ts, false));
	/* the link to the host died: Docker did not answer */
	tunnel_state_init(&ts, "cloudflared");
	tunnel_apply_docker(&ts, NULL, "cannot reach monk over SSH: connection refused");
	tunnel_apply_ready(&ts, 0, NULL, 0, "cannot reach monk over SSH: connection refused");
	assert_true(tunnel_unseen(&ts, false));
	assert_true(tunnel_unseen(&ts, true));
	/* never looked at: unknown */
	tunnel_state_init(&ts, "cloudflared");
	assert_true(tunnel_unseen(&ts, false));
	/* the engine says exited: an answer */
	tunnel_state_init(&ts, "cloudflared");
	dc = container(DOCKER_STATE_EXITED);
	tunnel_apply_docker(&ts, &dc, NULL);
	assert_false(tunnel_unseen(&ts, false));
	/* missing: an answer */
	tunnel_apply_docker(&ts, NULL, NULL);
	assert_false(tunnel_unseen(&ts, false));
	/* running, /ready not reached: unseen */
	tunnel_state_init(&ts, "cloudflared");
	dc = container(DOCKER_STATE_RUNNING);
	tunnel_apply_docker(&ts, &dc, NULL);
	tunnel_apply_ready(&ts, 0, NULL, 0, "ssh: channel open failed");
	assert_true(tunnel_unseen(&ts, false));
	/* /ready 503: an answer */
	tunnel_apply_ready(&ts, 503, "{\"status\":503,\"readyConnections\":0}", 36, NULL);
	assert_false(tunnel_unseen(&ts, false));
	/* ready, but the API failed: unseen with the API, healthy without */
	running_ready(&ts, MONK_ID);
	tunnel_apply_cloudflare(&ts, NULL, 0, "cloudflare: connection refused");
	assert_true(tunnel_unseen(&ts, true));
	assert_false(tunnel_unseen(&ts, false));
	/* ready, the API answered without it: an answer */
	parse_api(&t);
	running_ready(&ts, "11111111-2222-3333-4444-555555555555");
	tunnel_apply_cloudflare(&ts, &t, -1, NULL);
	assert_false(tunnel_healthy(&ts, true, NULL, 0));
	assert_false(tunnel_unseen(&ts, true));
	cf_tunnel_done(&t);
	/* no tunnel configured: not unseen */
	tunnel_state_init(&ts, NULL);
	assert_false(tunnel_unseen(&ts, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drain_edge),
		cmocka_unit_test(test_wait_verdict),
		cmocka_unit_test(test_flip_goes_on),
		cmocka_unit_test(test_unseen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
