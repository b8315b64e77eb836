/* Unit tests: the feeds' sources on this machine, the status JSON and text
 * rendered from a frame of them (the fixed field names, null for unbuilt
 * sections), and the verdicts on frames built by hand. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/cloudflare.h"
#include "backends/metrics.h"
#include "cli/status_check.h"
#include "cli/status_json.h"
#include "cli/status_services.h"
#include "cli/status_text.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "core/base/timeutil.h"

static struct config *parse(const char *text)
{
	char *cause = NULL;
	struct config *cfg = config_parse("test.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("config: %s", cause);
	return cfg;
}

static void test_local_host_json(void **state)
{
	struct config *cfg = parse("[kitetop]\nrefresh = 0.5\n[host here]\n");
	struct feeds *feeds = feeds_new(cfg, NULL);
	struct frame f;
	cJSON *root, *h, *m;
	char *json;

	assert_int_equal(feeds->nhosts, 1);
	assert_true(feeds->fleet->hosts[0].local);
	assert_non_null(feeds->hosts[0].metrics);
	assert_int_equal(feeds_start(feeds, NULL), 0);
	assert_true(feeds_wait_all(feeds, time_mono_ms() + 3000));
	frame_take(&f, feeds);
	assert_true(f.hosts[0].local);
	assert_true(f.hosts[0].metrics.feed.configured);
	assert_true(f.hosts[0].metrics.feed.polled);
	json = status_json(&f);
	root = cJSON_Parse(json);
	assert_non_null(root);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "generated_at")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "overall")));
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "name")->valuestring, "here");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "reachable")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "error")));
	m = cJSON_GetObjectItem(h, "metrics");
	assert_string_equal(cJSON_GetObjectItem(m, "source")->valuestring, "proc");
	/* the baseline sample makes the first CPU figure a real rate */
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "cpu_pct")));
	assert_true(cJSON_GetObjectItem(m, "cpu_pct")->valuedouble >= 0);
	assert_true(cJSON_GetObjectItem(m, "cpu_pct")->valuedouble <= 100);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "mem_pct")));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "disk_pct")));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(m, "uptime_s")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "error")));
	for (size_t i = 0; i < 5; i++) {
		static const char *const k[] = { "services", "authentik", "postgres", "redis", "cloudflare" };

		assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, k[i])));
	}
	cJSON_Delete(root);
	free(json);
	frame_release(&f);
	assert_true(feeds_generation(feeds) >= 1);
	assert_true(feeds_stop(feeds));
	feeds_free(feeds);
	config_free(cfg);
}

static void test_remote_host_is_not_faked(void **state)
{
	/* port 1 on the lab's address: nothing listens there, refused at once */
	struct config *cfg = parse("[host monk]\nssh = kite@127.0.0.2:1\ndocker = none\n");
	struct feeds *feeds = feeds_new(cfg, NULL);
	struct frame f;
	cJSON *root, *h, *m;
	char *json;
	struct buf text;

	assert_false(feeds->fleet->hosts[0].local);
	/* its figures would come from its /proc over ssh, never from this machine's */
	assert_non_null(feeds->hosts[0].metrics);
	assert_int_equal(feeds_start(feeds, NULL), 0);
	/* its sources (metrics over ssh, tailscale) fail as soon as ssh is refused */
	assert_true(feeds_wait_all(feeds, time_mono_ms() + 3000));
	frame_take(&f, feeds);
	json = status_json(&f);
	root = cJSON_Parse(json);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0);
	/* null while the first attempt runs, false once refused: never true */
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(h, "reachable")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(h, "error")));
	m = cJSON_GetObjectItem(h, "metrics");
	assert_string_equal(cJSON_GetObjectItem(m, "source")->valuestring, "ssh");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "cpu_pct")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "mem_pct")));
	assert_non_null(strstr(cJSON_GetObjectItem(m, "error")->valuestring,
	                       "/proc: ssh: cannot connect to 127.0.0.2 port 1"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "containers")));
	cJSON_Delete(root);
	free(json);
	buf_init(&text);
	status_text(&f, &text);
	assert_non_null(strstr(buf_cstr(&text), "monk (kite@127.0.0.2:1) unreachable"));
	assert_non_null(strstr(buf_cstr(&text), "metrics: /proc: ssh: cannot connect"));
	buf_done(&text);
	frame_release(&f);
	feeds_free(feeds);
	config_free(cfg);
}

static void test_levels(void **state)
{
	assert_string_equal(verdict_level_name(VERDICT_OK), "ok");
	assert_string_equal(verdict_level_name(VERDICT_WARN), "warn");
	assert_string_equal(verdict_level_name(VERDICT_CRIT), "crit");
	assert_string_equal(verdict_level_name(VERDICT_UNKNOWN), "unknown");
	/* Nagios' order: ok < warn < unknown < crit */
	assert_int_equal(verdict_worst(VERDICT_WARN, VERDICT_UNKNOWN), VERDICT_UNKNOWN);
	assert_int_equal(verdict_worst(VERDICT_CRIT, VERDICT_UNKNOWN), VERDICT_CRIT);
	assert_int_equal(verdict_worst(VERDICT_OK, VERDICT_WARN), VERDICT_WARN);
}

/* The names of o's members, comma-separated, in order. */
static char *keys_of(const cJSON *o)
{
	struct buf b;
	const cJSON *c;

	buf_init(&b);
	cJSON_ArrayForEach(c, o)
		buf_printf(&b, "%s%s", b.len > 0 ? "," : "", c->string);
	return buf_steal(&b);
}

static const char TWO_HOSTS[] =
	"[host monk]\n[host kscloud1]\n"
	"[service kavita]\ncontainer = kavita\n";

/* A frame built by hand: each finding of the overall verdict, in order. */
static void test_overall_from_frame(void **state)
{
	struct config *cfg = parse(TWO_HOSTS);
	struct frame f;
	struct metrics m;
	struct feed_containers none = { 0 };
	struct cf_tunnel t;
	struct buf r, line;
	cJSON *root, *h;
	char *json, *keys;

	metrics_init(&m);
	m.cpu_pct = 99.5;
	m.mem_pct = 50;
	m.disk_pct = 96.04;
	m.valid[METRICS_CPU] = m.valid[METRICS_MEM] = m.valid[METRICS_DISK] = true;
	cf_tunnel_init(&t);
	t.status = CF_STATUS_DEGRADED;
	frame_init(&f, cfg);
	assert_int_equal(f.nhosts, 2);
	assert_true(f.hosts[0].local && f.hosts[0].reach.connected);
	f.hosts[0].metrics.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.hosts[0].metrics.value = &m;
	f.hosts[0].docker.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.hosts[0].docker.value = &none;
	f.hosts[1].reach = (struct fleet_reach){ .known = true, .connected = false, .rtt_ms = -1 };
	strcpy(f.hosts[1].reach.error, "connection refused");
	f.hosts[1].metrics.feed = (struct frame_feed){ .configured = true };   /* not asked: unreachable */
	f.cloudflare.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.cloudflare.value = &t;
	f.postgres.feed = (struct frame_feed){ .configured = true };
	f.redis.feed = (struct frame_feed){ .configured = true, .polled = true, .error = "connection refused" };

	buf_init(&r);
	assert_int_equal(verdict_overall(&f, &r), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&r), "monk: cpu 99.5% >= crit 95%\nmonk: disk 96.0% >= crit 95%\n"
	                    "monk: kavita missing\n"
	                    "kscloud1: unreachable: connection refused\ncloudflare: degraded\n"
	                    "postgres: no answer yet\nredis: connection refused\n");
	assert_int_equal(verdict_overall(&f, NULL), VERDICT_CRIT);
	buf_init(&line);
	assert_int_equal(status_check_line(&f, &line), VERDICT_CRIT);
	/* the first line under 200 characters, perfdata of the counts included;
	 * the reasons that did not fit on the lines after it, then the figures'
	 * perfdata after a '|' (kscloud1 unreachable: its figures U) */
	assert_string_equal(buf_cstr(&line), "KITETOP CRITICAL - 2 hosts: monk: cpu 99.5% >= crit 95%; "
	                    "monk: disk 96.0% >= crit 95%; monk: kavita missing; and 4 more"
	                    " | hosts_up=1;;;0;2 containers_bad=1;;;0\n"
	                    "kscloud1: unreachable: connection refused\ncloudflare: degraded\n"
	                    "postgres: no answer yet\nredis: connection refused\n"
	                    "| monk_cpu=99.5%;85;95;0;100 monk_mem=50.0%;85;95;0;100 monk_disk=96.0%;85;95;0;100 "
	                    "kscloud1_cpu=U;85;95;0;100 kscloud1_mem=U;85;95;0;100 kscloud1_disk=U;85;95;0;100 "
	                    "pg_connections=U;80;95;0;100\n");
	assert_true(strcspn(buf_cstr(&line), "\n") < 200);
	/* a first reason longer than the line: cut there, whole on the next */
	strcpy(f.hosts[1].reach.error, "ssh: kscloud1 (127.0.0.3:22) is not a known host. Its ed25519 "
	       "key has the fingerprint SHA256:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ; add it "
	       "with ssh-keyscan -t ed25519 -p 22 127.0.0.3 >> ~/.ssh/known_hosts after checking it");
	f.hosts[0].metrics.feed.configured = false;
	f.hosts[0].docker.feed.configured = false;
	buf_reset(&line);
	assert_int_equal(status_check_line(&f, &line), VERDICT_CRIT);
	assert_true(strcspn(buf_cstr(&line), "\n") < 200);
	assert_non_null(strstr(buf_cstr(&line), "KITETOP CRITICAL - 2 hosts: kscloud1: unreachable: ssh: "
	                       "kscloud1 (127.0.0.3:22) is not a known host."));
	assert_non_null(strstr(buf_cstr(&line), "...; and 4 more | hosts_up=1;;;0;2 containers_bad=1;;;0\n"
	                       "kscloud1: unreachable: ssh: kscloud1 (127.0.0.3:22) is not a known host. "));
	assert_non_null(strstr(buf_cstr(&line), " after checking it\ncloudflare: degraded\n"));
	f.hosts[0].metrics.feed.configured = true;
	f.hosts[0].docker.feed.configured = true;
	strcpy(f.hosts[1].reach.error, "connection refused");
	buf_done(&line);

	/* the document's fields, in their fixed order */
	json = status_json(&f);
	root = cJSON_Parse(json);
	assert_non_null(root);
	keys = keys_of(root);
	assert_string_equal(keys, "schema,generated_at,overall,hosts,services,authentik,postgres,redis,cloudflare,panels,clusters");
	assert_int_equal(cJSON_GetObjectItem(root, "schema")->valueint, STATUS_JSON_SCHEMA);
	free(keys);
	assert_string_equal(cJSON_GetObjectItem(root, "overall")->valuestring, "crit");
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0);
	keys = keys_of(h);
	assert_string_equal(keys, "name,reachable,error,ssh_rtt_ms,metrics,tunnel,containers,tailscale");
	free(keys);
	keys = keys_of(cJSON_GetObjectItem(h, "metrics"));
	assert_string_equal(keys, "source,cpu_pct,mem_pct,disk_pct,net_rx_bps,net_tx_bps,load1,uptime_s,error");
	free(keys);
	assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "metrics"), "disk_pct")->valuedouble == 96.0);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(h, "containers"), 0);   /* the configured one, missing */
	assert_string_equal(cJSON_GetObjectItem(h, "name")->valuestring, "kavita");
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "missing");
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 1);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(h, "reachable")));
	assert_string_equal(cJSON_GetObjectItem(h, "error")->valuestring, "connection refused");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "containers")));
	h = cJSON_GetObjectItem(root, "postgres");
	keys = keys_of(h);
	assert_string_equal(keys, "ok,version,connections,max_connections,reserved_connections,clients,databases,"
	                    "longest_query_s,waiting_locks,error,split_brain");
	free(keys);
	assert_string_equal(cJSON_GetObjectItem(h, "error")->valuestring, "no answer yet");
	h = cJSON_GetObjectItem(root, "redis");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(h, "ok")));
	assert_string_equal(cJSON_GetObjectItem(h, "error")->valuestring, "connection refused");
	h = cJSON_GetObjectItem(root, "cloudflare");
	assert_string_equal(cJSON_GetObjectItem(h, "status")->valuestring, "degraded");
	cJSON_Delete(root);
	free(json);

	/* a failed poll: the last good figures (still the value) are not judged nor shown */
	f.hosts[0].metrics.feed.error = "prometheus: timeout";
	f.hosts[0].metrics.feed.stale = true;
	buf_reset(&r);
	assert_int_equal(verdict_overall(&f, &r), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&r), "monk: metrics: prometheus: timeout\nmonk: kavita missing\n"));
	assert_null(strstr(buf_cstr(&r), "disk"));
	json = status_json(&f);
	root = cJSON_Parse(json);
	h = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "hosts"), 0), "metrics");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "disk_pct")));
	assert_string_equal(cJSON_GetObjectItem(h, "error")->valuestring, "prometheus: timeout");
	cJSON_Delete(root);
	free(json);

	/* the same frame as text */
	buf_reset(&r);
	status_text(&f, &r);
	assert_non_null(strstr(buf_cstr(&r), ": crit\nmonk: metrics: prometheus: timeout\n"));
	assert_non_null(strstr(buf_cstr(&r), "\nmonk (this machine)\n  metrics: prometheus: timeout\n"
	                       "  kavita                       missing\n"));
	assert_non_null(strstr(buf_cstr(&r), "\nkscloud1 (this machine)\n"));
	buf_done(&r);
	frame_release(&f);
	cf_tunnel_done(&t);
	config_free(cfg);
}

/* Nothing learnt yet (no host's connection attempt ended, no shared source
 * answered): unknown, exit 3.  One host known is enough to judge the rest,
 * the parts not answered then being warnings. */
static void test_overall_unknown_only_when_nothing_known(void **state)
{
	struct config *cfg = parse("[host monk]\nssh = kite@127.0.0.2\n[host kscloud1]\nssh = kite@127.0.0.3\n");
	struct frame f;
	struct buf r;

	(void)state;
	frame_init(&f, cfg);
	buf_init(&r);
	assert_false(f.hosts[0].reach.known || f.hosts[0].reach.connected);
	assert_int_equal(verdict_overall(&f, &r), VERDICT_UNKNOWN);
	assert_int_equal(status_check_line(&f, &r), VERDICT_UNKNOWN);
	f.hosts[0].reach = (struct fleet_reach){ .known = true, .connected = true, .rtt_ms = 3 };
	f.hosts[0].docker.feed = (struct frame_feed){ .configured = true };   /* no answer yet */
	buf_reset(&r);
	assert_int_equal(verdict_overall(&f, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "monk: docker: no answer yet\nkscloud1: unreachable: connecting\n");
	buf_done(&r);
	frame_release(&f);
	config_free(cfg);
}

static const char SERVICES[] =
	"[host monk]\n[host kscloud1]\n"
	"[service karakeep]\ncontainer = karakeep\nhealth = http://127.0.0.1:3000/\n"
	"[service homepage]\ncontainer = homepage\npublic_url = https://home.example.com/\n";

/* The probes' and Authentik's part of the verdict, from a frame. */
static void test_services_from_frame(void **state)
{
	static char e404[] = "HTTP 404", refused[] = "connection refused";
	static char loop[] = "too many redirects (over 5)", e503[] = "not ready: HTTP 503";
	struct config *cfg = parse(SERVICES);
	struct frame f;
	struct probe_result res[4] = {
		{ .done = true, .ok = true, .status = 200, .ms = 12 },
		{ .done = true, .ok = false, .status = 404, .ms = 15, .error = e404 },
	};
	struct probe_result pub[2] = { [1] = { .done = true, .ok = true, .status = 200, .ms = 30 } };
	struct feed_probes p = { .nservices = 2, .nhosts = 2, .host = res, .pub = pub };
	struct authentik_health ah[2] = {
		{ .live = true, .ready = true },
		{ .live = true, .ready = false, .error = e503 },
	};
	struct feed_authentik a = { .nhosts = 2, .have_url = true, .hosts = ah, .info = { .workers = 2 } };
	struct buf r;
	cJSON *arr, *o;

	frame_init(&f, cfg);
	buf_init(&r);
	/* no probes, no Authentik: nothing to say */
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_OK);
	assert_int_equal(r.len, 0);
	/* probes not answered yet: unknown */
	f.probes.feed = (struct frame_feed){ .configured = true };
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_UNKNOWN);
	assert_string_equal(buf_cstr(&r), "probes: no answer yet\n");
	buf_reset(&r);
	/* failing on one of the two hosts: a warning */
	f.probes.feed.polled = true;
	f.probes.value = &p;
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "kscloud1: karakeep probe: HTTP 404\n");
	buf_reset(&r);
	arr = status_services_json(&f);
	o = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "hosts"), "kscloud1");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "state")));   /* no docker */
	o = cJSON_GetObjectItem(o, "probe");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(o, "ok")));
	assert_int_equal(cJSON_GetObjectItem(o, "status")->valueint, 404);
	assert_string_equal(cJSON_GetObjectItem(o, "error")->valuestring, "HTTP 404");
	o = cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "public");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "ok")));
	cJSON_Delete(arr);
	/* on every host, and the public URL failing: critical */
	res[0] = (struct probe_result){ .done = true, .status = 0, .ms = 1, .error = refused };
	pub[1] = (struct probe_result){ .done = true, .status = 0, .ms = 1, .error = loop };
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&r), "monk: karakeep probe: connection refused\n"
	                    "kscloud1: karakeep probe: HTTP 404\n"
	                    "homepage: public_url: too many redirects (over 5)\n");
	buf_reset(&r);
	/* Authentik not ready on one host: its lines come first */
	res[0] = (struct probe_result){ .done = true, .ok = true, .status = 200, .ms = 12 };
	pub[1] = (struct probe_result){ .done = true, .ok = true, .status = 200, .ms = 30 };
	f.authentik.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.authentik.value = &a;
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "kscloud1: authentik not ready: HTTP 503\n"
	                    "kscloud1: karakeep probe: HTTP 404\n");
	buf_reset(&r);
	o = status_services_authentik_json(&f);
	assert_int_equal(cJSON_GetObjectItem(o, "workers")->valueint, 2);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "hosts"),
	                                                                  "kscloud1"), "ready")));
	cJSON_Delete(o);
	/* ... and on both: critical */
	ah[0] = ah[1];
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_CRIT);
	buf_reset(&r);
	/* Authentik's source failed: a warning, its old value not used */
	f.authentik.feed.error = "authentik: timeout";
	assert_int_equal(verdict_services_level(&f, &r), VERDICT_WARN);
	assert_string_equal(buf_cstr(&r), "authentik: authentik: timeout\nkscloud1: karakeep probe: HTTP 404\n");
	buf_done(&r);
	frame_release(&f);
	config_free(cfg);
}

static void test_stop_is_prompt(void **state)
{
	struct config *cfg = parse("[kitetop]\nrefresh = 3600\n[host a]\n[host b]\naddress = x\n");
	struct feeds *feeds = feeds_new(cfg, NULL);
	int64_t t0;

	assert_int_equal(feeds->nsources, 2);
	assert_int_equal(feeds_start(feeds, NULL), 0);
	assert_true(feeds_wait_all(feeds, time_mono_ms() + 3000));
	t0 = time_mono_ms();
	assert_true(feeds_stop(feeds));   /* both wait an hour for their next poll */
	assert_true(time_mono_ms() - t0 < 200);
	feeds_free(feeds);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_host_json),
		cmocka_unit_test(test_remote_host_is_not_faked),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_overall_from_frame),
		cmocka_unit_test(test_overall_unknown_only_when_nothing_known),
		cmocka_unit_test(test_services_from_frame),
		cmocka_unit_test(test_stop_is_prompt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
