/* Unit tests: core/model/frame_json, a frame read back from a status JSON
 * document.  The recorded KiteStacks-lab frames of tests/fixtures/frames
 * (the lab as designed, and the lab with monk's sshd down) give typed values
 * as their feeds would have published them, and the verdicts run on them;
 * small documents check the rules (stale, figure errors, no answer yet, a
 * host the document lacks) and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/config/config.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"
#include "cli/status_check.h"
#include "cli/status_json.h"
#include "tests/support/fixture.h"

/* Service indices of the lab's configuration. */
enum { SVC_HOMEPAGE = 0, SVC_KARAKEEP = 4, SVC_KAVITA = 5, SVC_WATCHTOWER = 12, NSERVICES = 13 };
enum { MONK = 0, KSCLOUD1 = 1 };

static struct config *lab_cfg;

static int group_setup(void **state)
{
	char *cause = NULL, *text;
	size_t len;

	(void)state;
	setenv("KITETOP_FRAMES_SECRET", "not-a-secret", 1);
	text = fixture_read("frames", "kitestacks-lab.conf", &len);
	lab_cfg = config_parse("kitestacks-lab.conf", text, len, &cause);
	free(text);
	if (lab_cfg == NULL) {
		print_error("config: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	config_free(lab_cfg);
	return 0;
}

/* Reads the fixture name into *f; must succeed. */
static void read_fixture(struct frame *f, const char *name)
{
	char *cause = NULL, *doc;
	size_t len;

	doc = fixture_read("frames", name, &len);
	if (frame_json_read(f, lab_cfg, doc, len, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(doc);
}

/* Reads doc (a string) into *f; returns what frame_json_read did. */
static int read_doc(struct frame *f, const char *doc, char **cause)
{
	return frame_json_read(f, lab_cfg, doc, strlen(doc), cause);
}

static int64_t iso_ms(const char *s)
{
	int64_t ms = 0;

	assert_int_equal(time_parse_iso8601(s, &ms), 0);
	return ms;
}

static void assert_fresh(const struct frame *f, const struct frame_feed *feed)
{
	assert_true(feed->configured);
	assert_true(feed->polled);
	assert_null(feed->error);
	assert_false(feed->stale);
	assert_int_equal(feed->polled_ms, f->taken_ms);
	assert_int_equal(feed->last_ok_ms, f->taken_ms);
	assert_int_equal(feed->value_mono_ms, f->taken_mono_ms);
	assert_int_equal(frame_feed_age_ms(f, feed), 0);
	assert_int_equal(feed->interval_ms, 2000);
}

static void test_lab_hosts(void **state)
{
	struct frame f;
	const struct metrics *m;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	assert_int_equal(f.taken_ms, iso_ms("2026-11-23T11:42:07Z"));
	assert_int_equal(f.nhosts, 2);
	assert_string_equal(f.hosts[MONK].name, "monk");
	assert_string_equal(f.hosts[KSCLOUD1].name, "kscloud1");
	assert_ptr_equal(frame_host_named(&f, "kscloud1"), &f.hosts[KSCLOUD1]);
	for (size_t i = 0; i < 2; i++) {
		assert_false(f.hosts[i].local);
		assert_true(f.hosts[i].reach.known);
		assert_true(f.hosts[i].reach.connected);
		assert_string_equal(f.hosts[i].reach.error, "");
	}
	assert_int_equal(f.hosts[MONK].reach.rtt_ms, 2);
	assert_int_equal(f.hosts[KSCLOUD1].reach.rtt_ms, 3);

	assert_fresh(&f, &f.hosts[MONK].metrics.feed);
	m = f.hosts[MONK].metrics.value;
	assert_non_null(m);
	assert_int_equal(m->origin, METRICS_FROM_PROMETHEUS);
	for (int fig = 0; fig < METRICS_NFIGURES; fig++) {
		assert_true(m->valid[fig]);
		assert_null(m->error[fig]);
	}
	assert_true(m->cpu_pct == 23.4);
	assert_true(m->mem_pct == 61.2);
	assert_true(m->disk_pct == 71.8);
	assert_true(m->net_rx_bps == 18234 && m->net_tx_bps == 9120);
	assert_true(m->load1 == 1.87);
	assert_true(m->uptime_s == 86712);
	assert_null(m->history);

	assert_fresh(&f, &f.hosts[MONK].tailscale.feed);
	assert_false(f.hosts[MONK].tailscale.value->installed);
	frame_release(&f);
}

static void test_lab_containers(void **state)
{
	struct frame f;
	const struct feed_containers *c;
	const struct docker_container *dc;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	assert_fresh(&f, &f.hosts[MONK].docker.feed);
	c = f.hosts[MONK].docker.value;
	assert_int_equal(c->n, 13);
	dc = feed_containers_find(c, "homepage");
	assert_non_null(dc);
	assert_string_equal(dc->id, "3f2a9c41d7e0");
	assert_string_equal(dc->image, "kitestacks/busybox:lab");
	assert_int_equal(dc->state, DOCKER_STATE_RUNNING);
	assert_int_equal(dc->health, DOCKER_HEALTH_HEALTHY);
	assert_int_equal(dc->restarts, 0);
	assert_int_equal(dc->started_at_ms, iso_ms("2026-11-23T10:50:30Z"));
	assert_true(dc->cpu_pct == 0.03);
	assert_int_equal(dc->mem_bytes, 1404928);
	dc = feed_containers_find(c, "kavita");
	assert_int_equal(dc->state, DOCKER_STATE_EXITED);
	assert_int_equal(dc->health, DOCKER_HEALTH_NONE);
	assert_int_equal(dc->restarts, 3);
	assert_true(dc->cpu_pct < 0);
	assert_true(dc->mem_bytes < 0);
	assert_int_equal(feed_containers_find(c, "watchtower")->health, DOCKER_HEALTH_NONE);

	c = f.hosts[KSCLOUD1].docker.value;
	assert_int_equal(c->n, 12);   /* kite-litellm is "missing": not a container */
	assert_null(feed_containers_find(c, "kite-litellm"));
	dc = feed_containers_find(c, "karakeep");
	assert_int_equal(dc->state, DOCKER_STATE_RUNNING);
	assert_int_equal(dc->health, DOCKER_HEALTH_UNHEALTHY);
	frame_release(&f);
}

static void test_lab_tunnels_and_cloudflare(void **state)
{
	struct frame f;
	const struct tunnel_state *ts;
	const struct cf_tunnel *t;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	assert_fresh(&f, &f.cloudflare.feed);
	t = f.cloudflare.value;
	assert_int_equal(t->status, CF_STATUS_HEALTHY);
	assert_string_equal(t->id, "6ff42ae2-765d-4adf-8112-31c55c1551ef");
	assert_int_equal(t->n_connectors, 2);
	assert_string_equal(t->connectors[0].id, "adf151ed-055c-477f-a682-c5d15fa594ba");
	assert_int_equal(t->connectors[0].host, MONK);
	assert_int_equal(t->connectors[1].host, KSCLOUD1);
	assert_int_equal(t->connectors[0].n_conns, 4);
	assert_int_equal(t->connectors[0].live, 4);
	assert_int_equal(cf_tunnel_live(t), 8);
	assert_string_equal(t->connectors[0].conns[0].colo, "fra08");
	assert_string_equal(t->connectors[0].conns[1].colo, "ams01");
	assert_string_equal(t->connectors[1].conns[0].origin_ip, "127.0.0.3");
	assert_int_equal(t->connectors[0].conns[3].opened_at_ms, iso_ms("2026-11-23T10:50:39.375108Z"));

	assert_fresh(&f, &f.hosts[MONK].tunnel.feed);
	ts = f.hosts[MONK].tunnel.value;
	assert_true(ts->configured);
	assert_string_equal(ts->container, "cloudflared");
	assert_string_equal(ts->docker_state, "running");
	assert_false(ts->drained);
	assert_int_equal(ts->ready, 1);
	assert_int_equal(ts->ready_connections, 4);
	/* the API's view, applied as the tunnel feed does */
	assert_int_equal(ts->api_listed, 1);
	assert_int_equal(ts->api_live, 4);
	assert_string_equal(ts->colos, "fra08 ams01");
	assert_string_equal(ts->connector_id, "adf151ed-055c-477f-a682-c5d15fa594ba");
	assert_true(tunnel_healthy(ts, true, NULL, 0));
	frame_release(&f);
}

static void test_lab_shared(void **state)
{
	struct frame f;
	const struct pg_status *ps;
	const struct redis_status *rs;
	const struct feed_authentik *a;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	assert_fresh(&f, &f.postgres.feed);
	ps = f.postgres.value;
	assert_string_equal(ps->version, "15.14");
	assert_int_equal(ps->version_num, 150014);
	assert_int_equal(ps->connections, 0);
	assert_int_equal(ps->max_connections, 100);
	assert_int_equal(ps->n_clients, 0);
	assert_int_equal(ps->n_databases, 3);
	assert_string_equal(ps->databases[1].name, "forgejo");
	assert_int_equal(ps->databases[1].size_bytes, 7832111);
	assert_true(ps->longest_query_s < 0);
	assert_int_equal(ps->waiting_locks, 0);
	assert_true(ps->sees_all);

	assert_fresh(&f, &f.redis.feed);
	rs = f.redis.value;
	assert_string_equal(rs->version, "7.0.15");
	assert_int_equal(rs->used_memory_bytes, 990928);
	assert_int_equal(rs->connected_clients, 1);
	assert_int_equal(rs->uptime_s, -1);

	assert_fresh(&f, &f.authentik.feed);
	a = f.authentik.value;
	assert_int_equal(a->nhosts, 2);
	assert_true(a->have_url && a->have_public && a->have_api);
	assert_true(a->hosts[MONK].live && a->hosts[MONK].ready);
	assert_null(a->hosts[KSCLOUD1].error);
	assert_true(a->pub.live && a->pub.ready);
	assert_true(a->info.have_version);
	assert_string_equal(a->info.version.current, "2025.10.1");
	assert_int_equal(a->info.workers, 2);
	assert_null(a->info.error);

	/* Prometheus panels: configured, not in the document */
	assert_true(f.panels.feed.configured);
	assert_false(f.panels.feed.polled);
	assert_null(f.panels.value);
	frame_release(&f);
}

static void test_lab_probes(void **state)
{
	struct frame f;
	const struct feed_probes *p;
	const struct probe_result *r;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	assert_fresh(&f, &f.probes.feed);
	p = f.probes.value;
	assert_int_equal(p->nservices, NSERVICES);
	assert_int_equal(p->nhosts, 2);
	r = feed_probes_host(p, SVC_HOMEPAGE, MONK);
	assert_true(r->done && r->ok);
	assert_int_equal(r->status, 200);
	assert_true(r->ms == 2);
	assert_null(r->error);
	r = feed_probes_host(p, SVC_KARAKEEP, KSCLOUD1);
	assert_true(r->done);
	assert_false(r->ok);
	assert_int_equal(r->status, 404);
	assert_string_equal(r->error, "HTTP 404");
	r = feed_probes_host(p, SVC_KAVITA, MONK);
	assert_false(r->ok);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->error, "connection refused");
	assert_false(feed_probes_host(p, SVC_WATCHTOWER, MONK)->done);   /* no health */
	assert_false(feed_probes_public(p, SVC_HOMEPAGE)->done);        /* no public_url */
	frame_release(&f);
}

static void test_lab_verdicts(void **state)
{
	struct frame f;
	struct buf reasons;

	(void)state;
	read_fixture(&f, "kitestacks-lab.json");
	buf_init(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_WARN);   /* the document's "overall" */
	assert_non_null(strstr(buf_cstr(&reasons), "monk: kavita exited\n"));
	assert_non_null(strstr(buf_cstr(&reasons), "kscloud1: karakeep unhealthy\n"));
	assert_non_null(strstr(buf_cstr(&reasons), "kscloud1: kite-litellm missing\n"));
	assert_true(verdict_differs(&f, "kavita"));
	assert_false(verdict_differs(&f, "homepage"));
	buf_done(&reasons);
	frame_release(&f);
}

/* doc with the first from replaced by to; caller frees. */
static char *doc_subst(const char *doc, const char *from, const char *to)
{
	const char *at = strstr(doc, from);
	struct buf b;

	assert_non_null(at);
	buf_init(&b);
	buf_append(&b, doc, (size_t)(at - doc));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	return buf_steal(&b);
}

/* kscloud1's Prometheus answering an error envelope: a warning of its own,
 * which hides neither the missing container nor the unhealthy one; the
 * JSON says "warn" (not "unknown") and names the configured source. */
static void test_lab_prometheus_error_is_a_warning(void **state)
{
	static const char figures[] =
		"\"source\":\t\"prometheus\",\n\t\t\t\t\"cpu_pct\":\t17.9,\n\t\t\t\t\"mem_pct\":\t58.3,\n"
		"\t\t\t\t\"disk_pct\":\t71.8,\n\t\t\t\t\"net_rx_bps\":\t11502,\n\t\t\t\t\"net_tx_bps\":\t20477,\n"
		"\t\t\t\t\"load1\":\t1.87,\n\t\t\t\t\"uptime_s\":\t86712,\n\t\t\t\t\"error\":\tnull";
	static const char failed[] =
		"\"source\":\t\"prometheus\",\n\t\t\t\t\"cpu_pct\":\tnull,\n\t\t\t\t\"mem_pct\":\tnull,\n"
		"\t\t\t\t\"disk_pct\":\tnull,\n\t\t\t\t\"net_rx_bps\":\tnull,\n\t\t\t\t\"net_tx_bps\":\tnull,\n"
		"\t\t\t\t\"load1\":\tnull,\n\t\t\t\t\"uptime_s\":\tnull,\n"
		"\t\t\t\t\"error\":\t\"prometheus: bad_data: invalid parameter\"";
	char *lab, *doc, *cause = NULL, *json;
	struct frame f;
	struct buf reasons, line;

	(void)state;
	lab = fixture_read("frames", "kitestacks-lab.json", NULL);
	doc = doc_subst(lab, figures, failed);
	assert_int_equal(read_doc(&f, doc, &cause), 0);
	assert_string_equal(f.hosts[KSCLOUD1].metrics.feed.error, "prometheus: bad_data: invalid parameter");
	buf_init(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_WARN);
	assert_non_null(strstr(buf_cstr(&reasons), "kscloud1: metrics: prometheus: bad_data: invalid parameter\n"
	                       "kscloud1: karakeep unhealthy\n"));
	assert_non_null(strstr(buf_cstr(&reasons), "kscloud1: kite-litellm missing\n"));
	buf_init(&line);
	assert_int_equal(status_check_line(&f, &line), VERDICT_WARN);   /* exit 1, not 3 */
	assert_true(strncmp(buf_cstr(&line), "KITETOP WARNING - ", 18) == 0);
	json = status_json(&f);
	assert_non_null(strstr(json, "\"overall\":\t\"warn\""));
	assert_non_null(strstr(json, failed));   /* still "prometheus", its error set */

	/* Prometheus unreachable: the same */
	frame_release(&f);
	free(doc);
	doc = doc_subst(lab, figures, "\"source\":\t\"prometheus\",\n\t\t\t\t\"error\":\t\"prometheus: unreachable: "
	                "Connection refused\"");
	assert_int_equal(read_doc(&f, doc, &cause), 0);
	assert_int_equal(verdict_overall(&f, NULL), VERDICT_WARN);
	free(json);
	json = status_json(&f);
	assert_non_null(strstr(json, "\"overall\":\t\"warn\""));
	assert_non_null(strstr(json, "\"source\":\t\"prometheus\",\n\t\t\t\t\"cpu_pct\":\tnull,"));
	free(json);
	buf_done(&line);
	buf_done(&reasons);
	frame_release(&f);
	free(doc);
	free(lab);
}

static void test_degraded_hosts(void **state)
{
	struct frame f;
	const struct frame_host *monk, *ks;
	const struct feed_containers *c;
	const struct feed_tailscale *tv;

	(void)state;
	read_fixture(&f, "kitestacks-lab-degraded.json");
	monk = &f.hosts[MONK];
	ks = &f.hosts[KSCLOUD1];
	assert_true(monk->reach.known);
	assert_false(monk->reach.connected);
	assert_string_equal(monk->reach.error, "ssh: connect to 127.0.0.2:22: Connection refused");
	assert_int_equal(monk->reach.rtt_ms, -1);

	/* a failed poll: its error, no value */
	for (size_t i = 0; i < 2; i++) {
		const struct frame_feed *feed = &f.hosts[i].metrics.feed;

		assert_true(feed->configured && feed->polled);
		assert_string_equal(feed->error, "prometheus: unreachable: ssh: connect to 127.0.0.2:22: "
		                    "Connection refused");
		assert_false(feed->stale);
		assert_int_equal(feed->last_ok_ms, 0);
		assert_null(f.hosts[i].metrics.value);
	}

	/* monk's containers from services[], as its docker feed last had them */
	assert_fresh(&f, &monk->docker.feed);
	c = monk->docker.value;
	assert_int_equal(c->n, 13);
	assert_int_equal(feed_containers_find(c, "kavita")->state, DOCKER_STATE_EXITED);
	assert_int_equal(feed_containers_find(c, "forgejo")->health, DOCKER_HEALTH_HEALTHY);
	assert_int_equal(feed_containers_find(c, "forgejo")->restarts, -1);
	assert_int_equal(ks->docker.value->n, 12);

	/* monk's tunnel: state unknown, the API's failure applied */
	assert_string_equal(monk->tunnel.value->docker_state, "unknown");
	assert_int_equal(monk->tunnel.value->ready, -1);
	assert_string_equal(monk->tunnel.value->api_error, "cloudflare: HTTP 429, retry after 30 s");
	assert_int_equal(monk->tunnel.value->api_listed, -1);

	assert_true(monk->tailscale.feed.polled);
	assert_non_null(monk->tailscale.feed.error);
	assert_null(monk->tailscale.value);
	tv = ks->tailscale.value;
	assert_non_null(tv);
	assert_true(tv->installed);
	assert_string_equal(tv->st.backend_state, "Running");
	assert_string_equal(tv->st.version, "1.70.0");
	assert_true(tv->st.has_self && tv->st.self.online);
	assert_int_equal(tv->st.self.n_ips, 2);
	assert_string_equal(tv->st.self.ips[1], "fd7a:115c:a1e0::c");
	assert_int_equal(tv->st.n_peers, 1);   /* monk, read back from the summary */
	assert_string_equal(tv->st.peers[0].host_name, "monk");
	assert_true(tv->st.peers[0].online);
	assert_false(tv->st.peers[0].direct);
	assert_string_equal(tv->st.peers[0].relay, "fra");
	frame_release(&f);
}

static void test_degraded_shared(void **state)
{
	struct frame f;
	const struct pg_status *ps;
	const struct feed_authentik *a;
	const struct probe_result *r;

	(void)state;
	read_fixture(&f, "kitestacks-lab-degraded.json");
	ps = f.postgres.value;
	assert_int_equal(ps->connections, 9);
	assert_int_equal(ps->n_clients, 5);
	assert_string_equal(ps->clients[0].database, "forgejo");
	assert_string_equal(ps->clients[0].application, "forgejo");
	assert_string_equal(ps->clients[0].client_addr, "127.0.0.2");
	assert_string_equal(ps->clients[0].state, "idle");
	assert_int_equal(ps->clients[0].count, 3);
	assert_string_equal(ps->clients[4].client_addr, "");   /* a unix socket */
	assert_true(ps->longest_query_s == 0.4);

	assert_true(f.redis.feed.polled);
	assert_string_equal(f.redis.feed.error, "redis: cannot connect to 127.0.0.3:6379: Connection refused");
	assert_null(f.redis.value);
	assert_string_equal(f.cloudflare.feed.error, "cloudflare: HTTP 429, retry after 30 s");
	assert_null(f.cloudflare.value);

	r = feed_probes_host(f.probes.value, SVC_HOMEPAGE, MONK);
	assert_true(r->done);
	assert_false(r->ok);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->error, "unreachable: ssh: connect to 127.0.0.2:22: Connection refused");
	assert_true(feed_probes_host(f.probes.value, SVC_HOMEPAGE, KSCLOUD1)->ok);

	a = f.authentik.value;
	assert_false(a->hosts[MONK].live);
	assert_string_equal(a->hosts[MONK].error, "live: unreachable: ssh: connect to 127.0.0.2:22: "
	                    "Connection refused");
	assert_true(a->hosts[KSCLOUD1].live && a->hosts[KSCLOUD1].ready);
	assert_true(a->pub.live);
	assert_false(a->pub.ready);
	assert_string_equal(a->pub.error, "not ready: HTTP 503 (database or cache unreachable)");
	assert_null(a->info.error);
	frame_release(&f);
}

static void test_degraded_verdicts(void **state)
{
	struct frame f;
	struct buf reasons;
	struct splitbrain_host hosts[2];
	struct splitbrain sb;
	bool split = false;

	(void)state;
	read_fixture(&f, "kitestacks-lab-degraded.json");
	buf_init(&reasons);
	assert_int_equal(verdict_overall(&f, &reasons), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&reasons), "monk: unreachable: ssh: connect to 127.0.0.2:22"));
	buf_done(&reasons);
	splitbrain_init(&sb);
	assert_true(verdict_splitbrain(&f, hosts, &sb));
	for (size_t i = 0; i < sb.n; i++)
		if (strcmp(sb.entries[i].app, "forgejo") == 0 && sb.entries[i].host == KSCLOUD1)
			split = sb.entries[i].verdict == SPLITBRAIN_SPLIT;
	assert_true(split);
	splitbrain_done(&sb);
	frame_release(&f);
}

static void test_refused(void **state)
{
	static const struct {
		const char *doc, *cause;
	} cases[] = {
		{ "kitetop status: ok", "status JSON: not JSON" },
		{ "", "status JSON: not JSON" },
		{ "[{\"name\": \"monk\"}]", "status JSON: not an object" },
		{ "{\"overall\": \"ok\"}", "status JSON: no \"hosts\" array" },
		{ "{\"hosts\": {\"monk\": {}}}", "status JSON: no \"hosts\" array" },
		{ "{\"hosts\": [{\"name\": \"nas\"}]}", "status JSON: host \"nas\" is not in the configuration" },
		{ "{\"hosts\": [{\"name\": \"monk\"}, {\"name\": \"monk\"}]}",
		  "status JSON: host \"monk\" is listed twice" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct frame f;
		char *cause = NULL;

		assert_int_equal(read_doc(&f, cases[i].doc, &cause), -1);
		assert_string_equal(cause, cases[i].cause);
		assert_int_equal(f.nhosts, 0);
		assert_int_equal(f.nrefs, 0);
		frame_release(&f);   /* harmless */
		free(cause);
	}
}

static void test_rules(void **state)
{
	struct frame f;
	const struct metrics *m;
	char *cause = NULL;

	(void)state;
	/* a configured host the document lacks stays unconfigured; a null
	 * section is no source; an entry without a name is skipped */
	assert_int_equal(read_doc(&f, "{\"hosts\": [7, {\"name\": 1}, {\"name\": \"kscloud1\", "
	                          "\"reachable\": true, \"metrics\": null, \"tunnel\": null}]}", &cause), 0);
	assert_false(f.hosts[MONK].metrics.feed.configured);
	assert_false(f.hosts[MONK].reach.known);
	assert_false(f.hosts[KSCLOUD1].metrics.feed.configured);
	assert_false(f.hosts[KSCLOUD1].tunnel.feed.configured);
	assert_false(f.hosts[KSCLOUD1].docker.feed.configured);   /* reachable, no containers, no error */
	assert_null(f.postgres.value);
	assert_false(f.postgres.feed.configured);
	assert_true(f.probes.feed.configured);   /* the configuration's probes */
	assert_false(f.probes.feed.polled);
	frame_release(&f);

	/* figures and an error: the last good value, stale */
	assert_int_equal(read_doc(&f, "{\"hosts\": [{\"name\": \"monk\", \"reachable\": true, "
	                          "\"metrics\": {\"source\": \"prometheus\", \"cpu_pct\": 5, "
	                          "\"error\": \"prometheus: timeout after 5 s\"}}]}", &cause), 0);
	assert_true(f.hosts[MONK].metrics.feed.stale);
	assert_string_equal(f.hosts[MONK].metrics.feed.error, "prometheus: timeout after 5 s");
	assert_true(f.hosts[MONK].metrics.feed.last_ok_ms == f.taken_ms);
	m = f.hosts[MONK].metrics.value;
	assert_true(m->valid[METRICS_CPU] && m->cpu_pct == 5);
	assert_false(m->valid[METRICS_MEM]);
	frame_release(&f);

	/* the figures' own errors, as status joins them: the poll succeeded */
	assert_int_equal(read_doc(&f, "{\"hosts\": [{\"name\": \"monk\", \"reachable\": true, "
	                          "\"metrics\": {\"source\": \"prometheus\", \"cpu_pct\": 5, \"mem_pct\": null, "
	                          "\"net_rx_bps\": 1, \"error\": \"mem: no series; net: bad; values\"}}]}",
	                          &cause), 0);
	assert_null(f.hosts[MONK].metrics.feed.error);
	m = f.hosts[MONK].metrics.value;
	assert_string_equal(m->error[METRICS_MEM], "no series");
	assert_string_equal(m->error[METRICS_NET], "bad; values");
	assert_false(m->valid[METRICS_NET]);   /* rx without tx */
	assert_null(m->error[METRICS_CPU]);
	frame_release(&f);

	/* "no answer yet": configured, not polled, whatever else is there */
	assert_int_equal(read_doc(&f, "{\"hosts\": [{\"name\": \"monk\", \"reachable\": true, "
	                          "\"error\": \"docker: no answer yet\", \"containers\": null, "
	                          "\"metrics\": {\"cpu_pct\": 1, \"error\": \"no answer yet\"}}], "
	                          "\"redis\": {\"ok\": false, \"error\": \"no answer yet\"}}", &cause), 0);
	assert_true(f.hosts[MONK].metrics.feed.configured);
	assert_false(f.hosts[MONK].metrics.feed.polled);
	assert_null(f.hosts[MONK].metrics.value);
	assert_true(f.hosts[MONK].docker.feed.configured);
	assert_false(f.hosts[MONK].docker.feed.polled);
	assert_true(f.redis.feed.configured);
	assert_false(f.redis.feed.polled);
	assert_int_equal(f.nrefs, 0);
	frame_release(&f);
}

static void test_hostile(void **state)
{
	struct frame f;
	struct buf doc;
	char *cause = NULL;
	const struct docker_container *dc;

	(void)state;
	/* wrong types are absent; text is made safe; sizes are capped */
	buf_init(&doc);
	buf_puts(&doc, "{\"generated_at\": 5, \"hosts\": [{\"name\": \"monk\", \"reachable\": \"yes\", "
	         "\"ssh_rtt_ms\": \"2\", \"metrics\": [], \"containers\": [1, {\"name\": \"a\\u001b[2Jb\", "
	         "\"id\": \"0123456789abcdef\", \"restarts\": 1e40, \"cpu_pct\": \"3\", \"state\": 4}");
	for (int i = 0; i < FRAME_JSON_MAX_ITEMS + 10; i++)
		buf_puts(&doc, ", {\"name\": \"x\"}");
	buf_puts(&doc, "]}], \"postgres\": \"ok\", \"cloudflare\": {\"status\": 1, \"connectors\": 2}}");
	assert_int_equal(read_doc(&f, buf_cstr(&doc), &cause), 0);
	assert_false(f.hosts[MONK].reach.known);
	assert_int_equal(f.hosts[MONK].reach.rtt_ms, -1);
	assert_false(f.hosts[MONK].metrics.feed.configured);
	assert_false(f.postgres.feed.configured);
	assert_true(f.cloudflare.feed.configured);   /* an object without figures or error */
	assert_false(f.cloudflare.feed.polled);
	assert_int_equal(f.hosts[MONK].docker.value->n, FRAME_JSON_MAX_ITEMS);
	dc = &f.hosts[MONK].docker.value->items[0];
	assert_string_equal(dc->name, "a?[2Jb");
	assert_string_equal(dc->id, "0123456789ab");
	assert_int_equal(dc->restarts, -1);
	assert_true(dc->cpu_pct < 0);
	assert_int_equal(dc->state, DOCKER_STATE_UNKNOWN);
	frame_release(&f);
	buf_done(&doc);
}

/* A frame's JSON is `status --json`: both recorded documents read back into
 * a frame and written again give the same text, byte for byte. */
static void test_status_json_of_the_read_frame_is_the_document(void **state)
{
	static const char *const names[] = { "kitestacks-lab.json", "kitestacks-lab-degraded.json" };

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct frame f;
		size_t len;
		char *doc = fixture_read("frames", names[i], &len), *again;

		read_fixture(&f, names[i]);
		again = status_json(&f);
		if (strcmp(again, doc) != 0)
			fail_msg("%s: status_json of the frame read differs:\n%s", names[i], again);
		free(again);
		free(doc);
		frame_release(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_hosts),
		cmocka_unit_test(test_lab_containers),
		cmocka_unit_test(test_lab_tunnels_and_cloudflare),
		cmocka_unit_test(test_lab_shared),
		cmocka_unit_test(test_lab_probes),
		cmocka_unit_test(test_lab_verdicts),
		cmocka_unit_test(test_lab_prometheus_error_is_a_warning),
		cmocka_unit_test(test_degraded_hosts),
		cmocka_unit_test(test_degraded_shared),
		cmocka_unit_test(test_degraded_verdicts),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_status_json_of_the_read_frame_is_the_document),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
