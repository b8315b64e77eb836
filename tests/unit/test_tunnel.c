/* Unit tests of core/feeds/tunnel (the readiness decision, the API's
 * connector, health), core/actions/traffic's interlock verdict and
 * question, cli/status_tunnel (hosts[].tunnel JSON and text) and the
 * tunnel's part of the overall verdict (core/model/verdict_tunnel.c). */
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
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "cli/status_tunnel.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "core/actions/traffic.h"
#include "core/feeds/tunnel.h"
#include "core/base/util.h"

#define FIX "tests/fixtures/cloudflare/"
#define MONK_ID "adf151ed-055c-477f-a682-c5d15fa594ba"
#define KS_ID "667d7ad7-016b-468d-ad4e-5fdf36cb66d6"

static char *fixture(const char *name, size_t *len)
{
	char *path = xasprintf(FIX "%s", name), *data = NULL, *cause = NULL;

	if (util_read_file(path, 1 << 20, &data, len, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	return data;
}

static struct docker_container container(enum docker_state s)
{
	struct docker_container dc = feed_missing_container("cloudflared");

	dc.state = s;
	return dc;
}

/* A healthy connector as the lab has it: running, /ready 200 with 4. */
static void healthy_state(struct tunnel_state *ts, const char *id)
{
	struct docker_container dc = container(DOCKER_STATE_RUNNING);
	char *body = xasprintf("{\"status\":200,\"readyConnections\":4,\"connectorId\":\"%s\"}", id);

	tunnel_state_init(ts, "cloudflared");
	tunnel_apply_docker(ts, &dc, NULL);
	tunnel_apply_ready(ts, 200, body, strlen(body), NULL);
	free(body);
}

static void drained_state(struct tunnel_state *ts)
{
	struct docker_container dc = container(DOCKER_STATE_EXITED);

	tunnel_state_init(ts, "cloudflared");
	tunnel_apply_docker(ts, &dc, NULL);
	tunnel_apply_ready(ts, 0, NULL, 0, "connection refused");
}

static void test_ready_decision(void **state)
{
	struct tunnel_state ts;
	size_t len;
	char *body = fixture("ready-monk.json", &len), *b503 = fixture("ready-503.json", &len);
	struct docker_container run = container(DOCKER_STATE_RUNNING);

	(void)state;
	healthy_state(&ts, MONK_ID);
	assert_int_equal(ts.ready, 1);
	assert_int_equal(ts.ready_connections, 4);
	assert_string_equal(ts.connector_id, MONK_ID);
	assert_false(ts.drained);

	/* 503: not ready, whatever the body says */
	tunnel_state_init(&ts, "cloudflared");
	tunnel_apply_docker(&ts, &run, NULL);
	tunnel_apply_ready(&ts, 503, b503, strlen(b503), NULL);
	assert_int_equal(ts.ready, 0);
	/* 200 with 0 ready connections: not ready */
	tunnel_apply_ready(&ts, 200, "{\"status\":200,\"readyConnections\":0}", 36, NULL);
	assert_int_equal(ts.ready, 0);
	/* 200 and garbage: ready by status, connections unknown, error said */
	tunnel_apply_ready(&ts, 200, "<html>", 6, NULL);
	assert_int_equal(ts.ready, 1);
	assert_int_equal(ts.ready_connections, -1);
	assert_non_null(strstr(ts.ready_error, "not JSON"));
	/* no answer while running: unknown; while exited: not ready */
	tunnel_apply_ready(&ts, 0, NULL, 0, "timeout after 5 s");
	assert_int_equal(ts.ready, -1);
	assert_string_equal(ts.ready_error, "timeout after 5 s");
	drained_state(&ts);
	assert_int_equal(ts.ready, 0);
	assert_true(ts.drained);
	assert_string_equal(ts.docker_state, "exited");
	/* missing is not drained; an unknown docker state is not either */
	tunnel_apply_docker(&ts, NULL, NULL);
	assert_string_equal(ts.docker_state, "missing");
	assert_false(ts.drained);
	tunnel_apply_docker(&ts, NULL, "docker: connection refused");
	assert_string_equal(ts.docker_state, "unknown");
	assert_false(ts.drained);
	free(body);
	free(b503);
}

static void parse_api(struct cf_tunnel *t)
{
	size_t len;
	char *body = fixture("connections.json", &len), *cause = NULL;

	cf_tunnel_init(t);
	assert_int_equal(cf_parse_connections(body, len, t, &cause), 0);
	free(body);
}

static void test_cloudflare_part(void **state)
{
	struct cf_tunnel t;
	struct tunnel_state ts;

	(void)state;
	parse_api(&t);
	healthy_state(&ts, KS_ID);
	tunnel_apply_cloudflare(&ts, &t, 0, NULL);   /* matched by id, not by the index */
	assert_int_equal(ts.api_listed, 1);
	assert_string_equal(ts.api_connector, KS_ID);
	assert_int_equal(ts.api_live, 4);
	assert_string_equal(ts.colos, "fra02 cdg01");
	assert_string_equal(ts.opened_at, "2026-11-23T10:50:41.418138Z");
	assert_true(tunnel_healthy(&ts, true, NULL, 0));

	/* a new connector id that the API does not list (yet) */
	healthy_state(&ts, "11111111-2222-3333-4444-555555555555");
	tunnel_apply_cloudflare(&ts, &t, -1, NULL);
	assert_int_equal(ts.api_listed, 0);
	{
		char why[200];

		assert_false(tunnel_healthy(&ts, true, why, sizeof why));
		assert_string_equal(why, "its connector 11111111-2222 is not in the tunnel's connections");
		assert_true(tunnel_healthy(&ts, false, why, sizeof why));
	}
	/* all connections pending: listed, no live one */
	for (size_t i = 0; i < t.connectors[0].n_conns; i++)
		t.connectors[0].conns[i].pending = true;
	t.connectors[0].live = 0;
	healthy_state(&ts, MONK_ID);
	tunnel_apply_cloudflare(&ts, &t, 0, NULL);
	assert_int_equal(ts.api_listed, 1);
	assert_int_equal(ts.api_live, 0);
	assert_string_equal(ts.colos, "");
	assert_false(tunnel_healthy(&ts, true, NULL, 0));
	/* the API failed */
	tunnel_apply_cloudflare(&ts, NULL, 0, "cloudflare: HTTP 429, retry after 30 s");
	{
		char why[200];

		assert_false(tunnel_healthy(&ts, true, why, sizeof why));
		assert_string_equal(why, "the Cloudflare API: cloudflare: HTTP 429, retry after 30 s");
	}
	cf_tunnel_done(&t);
}

static void test_healthy_reasons(void **state)
{
	struct tunnel_state ts;
	struct docker_container run = container(DOCKER_STATE_RUNNING);
	char why[200];

	(void)state;
	drained_state(&ts);
	assert_false(tunnel_healthy(&ts, false, why, sizeof why));
	assert_string_equal(why, "cloudflared is exited");
	tunnel_state_init(&ts, "cloudflared");
	tunnel_apply_docker(&ts, &run, NULL);
	tunnel_apply_ready(&ts, 503, "{\"status\":503,\"readyConnections\":0}", 36, NULL);
	assert_false(tunnel_healthy(&ts, false, why, sizeof why));
	assert_string_equal(why, "/ready answers 503");
	tunnel_apply_ready(&ts, 0, NULL, 0, "connection refused");
	assert_false(tunnel_healthy(&ts, false, why, sizeof why));
	assert_string_equal(why, "/ready: connection refused");
	tunnel_state_init(&ts, NULL);
	assert_false(tunnel_healthy(&ts, false, why, sizeof why));
}

static void test_interlock(void **state)
{
	const char *names[] = { "monk", "kscloud1", "nas" };
	struct tunnel_state st[3];
	char *detail = NULL;

	(void)state;
	healthy_state(&st[0], MONK_ID);
	healthy_state(&st[1], KS_ID);
	tunnel_state_init(&st[2], NULL);   /* no tunnel: not counted */
	assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), 0);
	assert_string_equal(detail, "kscloud1: ready, 4 connections");
	free(detail);

	/* kscloud1 drained: draining monk is refused, and says why */
	drained_state(&st[1]);
	assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), -1);
	assert_string_equal(detail, "no other host has a healthy connector: kscloud1: cloudflared is exited");
	free(detail);
	/* ... but draining kscloud1 itself is allowed (monk is healthy) */
	assert_int_equal(traffic_interlock(names, st, 3, 1, false, &detail), 0);
	free(detail);

	/* with the API: kscloud1 runs and is ready but the API does not list it */
	{
		struct cf_tunnel t;

		parse_api(&t);
		healthy_state(&st[1], "99999999-0000-0000-0000-000000000000");
		tunnel_apply_cloudflare(&st[1], &t, -1, NULL);
		assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), 0);
		free(detail);
		assert_int_equal(traffic_interlock(names, st, 3, 0, true, &detail), -1);
		assert_string_equal(detail, "no other host has a healthy connector: kscloud1: its connector "
		                    "99999999-0000 is not in the tunnel's connections");
		free(detail);
		cf_tunnel_done(&t);
	}
	/* kscloud1's Docker does not answer (its SSH is down): refused, with the reason */
	tunnel_state_init(&st[1], "cloudflared");
	tunnel_apply_docker(&st[1], NULL, "cannot reach kscloud1 over SSH: connection refused");
	tunnel_apply_ready(&st[1], 0, NULL, 0, "connection refused");
	assert_int_equal(st[1].ready, -1);
	assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), -1);
	assert_string_equal(detail, "no other host has a healthy connector: kscloud1: cloudflared state "
	                    "unknown: cannot reach kscloud1 over SSH: connection refused");
	free(detail);
	/* three hosts: one healthy other is enough, the unhealthy ones are not listed */
	healthy_state(&st[2], KS_ID);
	assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), 0);
	assert_string_equal(detail, "nas: ready, 4 connections");
	free(detail);
	tunnel_state_init(&st[2], NULL);
	/* only one host with a tunnel */
	tunnel_state_init(&st[1], NULL);
	assert_int_equal(traffic_interlock(names, st, 3, 0, false, &detail), -1);
	assert_non_null(strstr(detail, "no other host has a tunnel_container"));
	free(detail);
}

static const char LAB2[] =
	"[host monk]\ntunnel_container = cloudflared\n"
	"[host kscloud1]\ntunnel_container = cloudflared\n"
	"[host nas]\n";

static void test_question_and_verbs(void **state)
{
	char *cause = NULL, *q;
	struct config *cfg = config_parse("t.conf", LAB2, strlen(LAB2), &cause);
	struct feeds *feeds;
	enum traffic_verb v;

	(void)state;
	assert_non_null(cfg);
	feeds = feeds_new(cfg, NULL);
	q = traffic_question(feeds->fleet, TRAFFIC_DRAIN, "monk", NULL);
	assert_string_equal(q, "Drain monk? All traffic goes to kscloud1.");
	free(q);
	q = traffic_question(feeds->fleet, TRAFFIC_FLIP, "monk", "kscloud1");
	assert_string_equal(q, "Flip traffic from monk to kscloud1?");
	free(q);
	assert_true(traffic_verb_parse("undrain", &v));
	assert_int_equal(v, TRAFFIC_UNDRAIN);
	assert_false(traffic_verb_parse("drainn", &v));
	/* requests that cannot be one: no action starts */
	assert_null(traffic_start(feeds->fleet, TRAFFIC_DRAIN, "kitchen", NULL, false, true, NULL, &cause));
	assert_string_equal(cause, "no host kitchen in the configuration");
	assert_null(traffic_start(feeds->fleet, TRAFFIC_DRAIN, "nas", NULL, false, true, NULL, &cause));
	assert_string_equal(cause, "nas has no tunnel_container in the configuration");
	assert_null(traffic_start(feeds->fleet, TRAFFIC_FLIP, "monk", "monk", false, true, NULL, &cause));
	assert_string_equal(cause, "flip needs two different hosts");
	free(cause);
	/* the sources: one tunnel source per host with a tunnel_container */
	assert_non_null(feeds->hosts[0].tunnel);
	assert_non_null(feeds->hosts[1].tunnel);
	assert_null(feeds->hosts[2].tunnel);
	feeds_free(feeds);
	config_free(cfg);
}

static void test_summary(void **state)
{
	struct tunnel_state ts;
	struct docker_container run = container(DOCKER_STATE_RUNNING);
	char sum[200];

	(void)state;
	healthy_state(&ts, MONK_ID);
	tunnel_summary(&ts, sum, sizeof sum);
	assert_string_equal(sum, "ready, 4 connections");
	drained_state(&ts);
	tunnel_summary(&ts, sum, sizeof sum);
	assert_string_equal(sum, "DRAINED (cloudflared exited)");
	tunnel_state_init(&ts, "cloudflared");
	tunnel_apply_docker(&ts, &run, NULL);
	tunnel_apply_ready(&ts, 503, "{}", 2, NULL);
	tunnel_summary(&ts, sum, sizeof sum);
	assert_string_equal(sum, "not ready (/ready 503)");
	tunnel_apply_docker(&ts, NULL, NULL);
	tunnel_summary(&ts, sum, sizeof sum);
	assert_string_equal(sum, "cloudflared missing");
	tunnel_state_init(&ts, NULL);
	tunnel_summary(&ts, sum, sizeof sum);
	assert_string_equal(sum, "no tunnel");
	/* a tiny buffer is cut, never overrun */
	healthy_state(&ts, MONK_ID);
	tunnel_summary(&ts, sum, 6);
	assert_string_equal(sum, "ready");
}

static void test_status_json(void **state)
{
	struct tunnel_state ts;
	cJSON *o;
	char *s;

	(void)state;
	healthy_state(&ts, MONK_ID);
	o = status_tunnel_state_json(&ts);
	s = cJSON_PrintUnformatted(o);
	assert_string_equal(s, "{\"container\":\"cloudflared\",\"state\":\"running\",\"ready\":true,"
	                    "\"connections\":4,\"drained\":false}");
	cJSON_free(s);
	cJSON_Delete(o);
	drained_state(&ts);
	o = status_tunnel_state_json(&ts);
	s = cJSON_PrintUnformatted(o);
	assert_string_equal(s, "{\"container\":\"cloudflared\",\"state\":\"exited\",\"ready\":false,"
	                    "\"connections\":null,\"drained\":true}");
	cJSON_free(s);
	cJSON_Delete(o);
	tunnel_state_init(&ts, NULL);
	o = status_tunnel_state_json(&ts);
	assert_true(cJSON_IsNull(o));
	cJSON_Delete(o);
}

static void test_status_level(void **state)
{
	const char *names[] = { "monk", "kscloud1" };
	struct tunnel_state st[2];
	struct buf r;

	(void)state;
	buf_init(&r);
	healthy_state(&st[0], MONK_ID);
	healthy_state(&st[1], KS_ID);
	assert_int_equal(verdict_tunnel_level_states(names, st, 2, &r), VERDICT_OK);
	assert_int_equal(r.len, 0);
	drained_state(&st[0]);
	assert_int_equal(verdict_tunnel_level_states(names, st, 2, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "monk: tunnel DRAINED (cloudflared exited)\n");
	buf_reset(&r);
	tunnel_apply_ready(&st[1], 503, "{}", 2, NULL);
	assert_int_equal(verdict_tunnel_level_states(names, st, 2, &r), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&r), "kscloud1: tunnel connector not ready (/ready 503)\n"));
	assert_non_null(strstr(buf_cstr(&r), "every tunnel connector is down"));
	buf_done(&r);
}

/* The same verdict, the JSON and the text from a frame of LAB2's hosts:
 * a host not connected is left to the reachability verdict, a failed poll
 * is unknown. */
static void test_frame_level(void **state)
{
	char *cause = NULL, *s;
	struct config *cfg = config_parse("t.conf", LAB2, strlen(LAB2), &cause);
	struct tunnel_state st[2];
	struct frame f;
	struct buf r;
	cJSON *o;

	(void)state;
	assert_non_null(cfg);
	healthy_state(&st[0], MONK_ID);
	drained_state(&st[1]);
	frame_init(&f, cfg);
	for (size_t i = 0; i < 2; i++) {
		f.hosts[i].tunnel.feed = (struct frame_feed){ .configured = true, .polled = true };
		f.hosts[i].tunnel.value = &st[i];
	}
	buf_init(&r);
	assert_int_equal(verdict_tunnel_level(&f, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "kscloud1: tunnel DRAINED (cloudflared exited)\n");
	buf_reset(&r);
	status_tunnel_text(&f.hosts[0], &r);
	assert_string_equal(buf_cstr(&r), "  tunnel  cloudflared running, ready, 4 connections, connector adf151ed-055c-477f-a682-c5d15fa594ba\n");
	buf_reset(&r);
	status_tunnel_text(&f.hosts[1], &r);
	assert_string_equal(buf_cstr(&r), "  tunnel  DRAINED (cloudflared exited)\n");
	buf_reset(&r);
	status_tunnel_text(&f.hosts[2], &r);   /* no tunnel_container: no line */
	assert_int_equal(r.len, 0);
	o = status_tunnel_json(&f.hosts[2]);
	assert_true(cJSON_IsNull(o));
	cJSON_Delete(o);
	/* monk's SSH is down: its state is not judged, kscloud1's alone is every connector */
	f.hosts[0].reach.connected = false;
	assert_int_equal(verdict_tunnel_level(&f, &r), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&r), "kscloud1: tunnel DRAINED (cloudflared exited)\n"
	                    "cloudflare: every tunnel connector is down\n");
	buf_reset(&r);
	/* kscloud1's latest poll failed: its old state is not used, nor shown */
	f.hosts[0].reach.connected = true;
	f.hosts[1].tunnel.feed.error = "docker: timeout";
	f.hosts[1].tunnel.feed.stale = true;
	assert_int_equal(verdict_tunnel_level(&f, &r), VERDICT_OK);
	assert_int_equal(r.len, 0);
	status_tunnel_text(&f.hosts[1], &r);
	assert_string_equal(buf_cstr(&r), "  tunnel  cloudflared: no answer yet\n");
	o = status_tunnel_json(&f.hosts[1]);
	s = cJSON_PrintUnformatted(o);
	assert_string_equal(s, "{\"container\":\"cloudflared\",\"state\":\"unknown\",\"ready\":null,"
	                    "\"connections\":null,\"drained\":false}");
	cJSON_free(s);
	cJSON_Delete(o);
	buf_done(&r);
	frame_release(&f);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_decision),
		cmocka_unit_test(test_cloudflare_part),
		cmocka_unit_test(test_healthy_reasons),
		cmocka_unit_test(test_interlock),
		cmocka_unit_test(test_question_and_verbs),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_status_json),
		cmocka_unit_test(test_status_level),
		cmocka_unit_test(test_frame_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
