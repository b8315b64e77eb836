/* Unit tests of backends/docker_parse: fixtures recorded from a real dockerd
 * 20.10.24 (API 1.41, cgroup v1) in tests/fixtures/docker/, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/docker.h"
#include "backends/docker_parse.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"


static const struct docker_container *find(const struct docker_container *l, size_t n,
                                           const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].name, name) == 0)
			return &l[i];
	fail_msg("no container %s", name);
	return NULL;
}

static void test_list_fixture(void **state)
{
	size_t len, n;
	char *json = fixture_read("docker", "containers.json", &len), *cause = NULL;
	struct docker_container *l;
	const struct docker_container *c;

	assert_int_equal(docker_parse_containers(json, len, &l, &n, &cause), 0);
	assert_int_equal(n, 9);

	c = find(l, n, "grafana");
	assert_string_equal(c->id, "71d420b09aef");
	assert_string_equal(c->full_id,
	                    "71d420b09aef9a45177cd42404c62a7a719a9e9541e88d724b46ff06ef937ffc");
	assert_string_equal(c->image, "kt-busybox:dev");
	assert_string_equal(c->image_id,
	                    "sha256:ba70b4845907c3065ba3bd987de980736a109685e5273649c61e59752d984cb5");
	assert_int_equal(c->state, DOCKER_STATE_RUNNING);
	assert_int_equal(c->health, DOCKER_HEALTH_HEALTHY);
	assert_string_equal(c->compose_project, "lab");
	assert_string_equal(c->compose_service, "grafana");
	assert_int_equal(c->restarts, -1);     /* the list does not say */
	assert_true(c->cpu_pct < 0);
	assert_true(c->mem_bytes < 0);

	c = find(l, n, "authentik-server");
	assert_int_equal(c->health, DOCKER_HEALTH_UNHEALTHY);
	assert_string_equal(c->compose_service, "server");

	c = find(l, n, "slowstart");
	assert_int_equal(c->health, DOCKER_HEALTH_STARTING);
	assert_null(c->compose_project);

	c = find(l, n, "oneshot");
	assert_int_equal(c->state, DOCKER_STATE_EXITED);
	assert_int_equal(c->exit_code, 3);
	assert_int_equal(c->health, DOCKER_HEALTH_NONE);

	c = find(l, n, "flappy");
	assert_int_equal(c->state, DOCKER_STATE_RESTARTING);
	assert_int_equal(c->exit_code, 2);

	assert_int_equal(find(l, n, "pausy")->state, DOCKER_STATE_PAUSED);
	assert_int_equal(find(l, n, "freshly")->state, DOCKER_STATE_CREATED);
	assert_string_equal(find(l, n, "freshly")->status, "Created");
	assert_int_equal(find(l, n, "ttybox")->state, DOCKER_STATE_RUNNING);
	assert_int_equal(find(l, n, "logger")->exit_code, -1);

	{
		/* the copy the feed keeps between lists has its own image id */
		struct docker_container *cp = docker_containers_copy(l, n);

		assert_string_equal(cp[0].image_id, l[0].image_id);
		assert_ptr_not_equal(cp[0].image_id, l[0].image_id);
		docker_containers_free(cp, n);
	}
	docker_containers_free(l, n);
	free(json);
}

static void test_inspect_fixtures(void **state)
{
	struct {
		const char *file;
		enum docker_state st;
		enum docker_health h;
		int restarts, exit_code;
		bool tty, started;
	} cases[] = {
		{ "inspect_grafana.json", DOCKER_STATE_RUNNING, DOCKER_HEALTH_HEALTHY, 0, 0, false, true },
		{ "inspect_authentik-server.json", DOCKER_STATE_RUNNING, DOCKER_HEALTH_UNHEALTHY, 0, 0, false, true },
		{ "inspect_slowstart.json", DOCKER_STATE_RUNNING, DOCKER_HEALTH_STARTING, 0, 0, false, true },
		{ "inspect_oneshot.json", DOCKER_STATE_EXITED, DOCKER_HEALTH_NONE, 0, 3, false, true },
		{ "inspect_flappy.json", DOCKER_STATE_RESTARTING, DOCKER_HEALTH_NONE, 7, 2, false, true },
		{ "inspect_ttybox.json", DOCKER_STATE_RUNNING, DOCKER_HEALTH_NONE, 0, 0, true, true },
		{ "inspect_logger.json", DOCKER_STATE_RUNNING, DOCKER_HEALTH_NONE, 0, 0, false, true },
		{ "inspect_pausy.json", DOCKER_STATE_PAUSED, DOCKER_HEALTH_NONE, 0, 0, false, true },
		{ "inspect_freshly.json", DOCKER_STATE_CREATED, DOCKER_HEALTH_NONE, 0, 0, false, false },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		size_t len;
		char *json = fixture_read("docker", cases[i].file, &len), *cause = NULL;
		struct docker_inspect in;

		assert_int_equal(docker_parse_inspect(json, len, &in, &cause), 0);
		assert_int_equal(in.state, cases[i].st);
		assert_int_equal(in.health, cases[i].h);
		assert_int_equal(in.restarts, cases[i].restarts);
		assert_int_equal(in.exit_code, cases[i].exit_code);
		assert_int_equal(in.tty, cases[i].tty);
		assert_int_equal(in.started_at_ms != 0, cases[i].started);
		free(json);
	}
	{
		size_t len;
		char *json = fixture_read("docker", "inspect_grafana.json", &len), *cause = NULL;
		struct docker_inspect in;

		assert_int_equal(docker_parse_inspect(json, len, &in, &cause), 0);
		/* StartedAt 2026-11-23T09:10:37.660114494Z; `date -d ... +%s%3N` */
		assert_int_equal(in.started_at_ms, 1795425037660LL);
		assert_int_equal(in.finished_at_ms, 0);   /* 0001-01-01T00:00:00Z */
		free(json);
	}
}

static void test_stats_fixtures(void **state)
{
	size_t l1, l2, l3, l4;
	char *j1 = fixture_read("docker", "stats_grafana_1.json", &l1), *j2 = fixture_read("docker", "stats_grafana_2.json", &l2);
	char *j3 = fixture_read("docker", "stats_grafana_twosample.json", &l3);
	char *j4 = fixture_read("docker", "stats_oneshot_exited.json", &l4), *cause = NULL;
	struct docker_stats_sample a, b, pre, cur, ex;

	assert_int_equal(docker_parse_stats(j1, l1, &a, &pre, &cause), 0);
	assert_true(a.has_cpu);
	assert_false(pre.has_cpu);                  /* one-shot: no precpu */
	assert_true(docker_stats_cpu_pct(&pre, &a) < 0);
	assert_int_equal(a.online_cpus, 2);
	/* usage 17907712 - total_inactive_file 16777216 (the 16 MB file it wrote) */
	assert_int_equal(a.mem_bytes, 1130496);
	assert_int_equal(a.mem_limit_bytes, 25276026880LL);

	assert_int_equal(docker_parse_stats(j2, l2, &b, NULL, &cause), 0);
	assert_int_equal(b.mem_bytes, 17846272 - 16777216);
	/* (1504939409 - 1355552452) / (22496690000000 - 22492670000000) * 2 * 100 */
	assert_float_equal(docker_stats_cpu_pct(&a, &b), 7.4321869154, 1e-6);
	/* backwards (a restart between samples): unknown, not negative */
	assert_true(docker_stats_cpu_pct(&b, &a) < 0);
	assert_float_equal(docker_stats_cpu_pct(&a, &a), 0.0, 0);

	/* without one-shot the daemon fills precpu_stats itself */
	assert_int_equal(docker_parse_stats(j3, l3, &cur, &pre, &cause), 0);
	assert_true(pre.has_cpu);
	/* (1660156591 - 1578259094) / (22500680000000 - 22498680000000) * 2 * 100 */
	assert_float_equal(docker_stats_cpu_pct(&pre, &cur), 8.1897497, 1e-6);

	/* a stopped container: almost empty */
	assert_int_equal(docker_parse_stats(j4, l4, &ex, NULL, &cause), 0);
	assert_false(ex.has_cpu);
	assert_true(ex.mem_bytes < 0);
	free(j1);
	free(j2);
	free(j3);
	free(j4);
}

/* cgroup v2 shapes (written by hand: this machine runs cgroup v1) */
static void test_stats_cgroup_v2(void **state)
{
	static const char v2[] = "{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":5000},"
	                         "\"system_cpu_usage\":100000,\"online_cpus\":4},"
	                         "\"memory_stats\":{\"usage\":1000,\"stats\":{\"inactive_file\":300,"
	                         "\"active_file\":10},\"limit\":4096}}";
	static const char v2big[] = "{\"memory_stats\":{\"usage\":1000,\"stats\":{\"inactive_file\":1000}}}";
	static const char percpu[] = "{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":7000,"
	                             "\"percpu_usage\":[1,2,3]},\"system_cpu_usage\":200000}}";
	struct docker_stats_sample s, t;
	char *cause = NULL;

	assert_int_equal(docker_parse_stats(v2, sizeof(v2) - 1, &s, NULL, &cause), 0);
	assert_int_equal(s.mem_bytes, 700);
	assert_int_equal(s.mem_limit_bytes, 4096);
	assert_int_equal(s.online_cpus, 4);
	assert_int_equal(docker_parse_stats(v2big, sizeof(v2big) - 1, &t, NULL, &cause), 0);
	assert_int_equal(t.mem_bytes, 1000);       /* not below usage: usage as is */
	assert_false(t.has_cpu);
	assert_int_equal(docker_parse_stats(percpu, sizeof(percpu) - 1, &t, NULL, &cause), 0);
	assert_int_equal(t.online_cpus, 3);        /* no online_cpus: len(percpu_usage) */
	/* (7000-5000)/(200000-100000)*3*100 = 6 */
	assert_float_equal(docker_stats_cpu_pct(&s, &t), 6.0, 1e-9);
}

static void test_version_fixture(void **state)
{
	size_t len;
	char *json = fixture_read("docker", "version.json", &len), *cause = NULL;
	struct docker_version v;
	int api;

	assert_int_equal(docker_parse_version(json, len, &v, &cause), 0);
	assert_string_equal(v.version, "20.10.24+dfsg1");
	assert_int_equal(v.api_max, DOCKER_API(1, 41));
	assert_int_equal(v.api_min, DOCKER_API(1, 12));
	free(json);

	assert_int_equal(docker_api_parse("1.44", &api), 0);
	assert_int_equal(api, 1044);
	assert_int_equal(docker_api_parse("1.", &api), -1);
	assert_int_equal(docker_api_parse("x.41", &api), -1);
	assert_int_equal(docker_api_parse("1.41a", &api), -1);
	assert_int_equal(docker_api_parse("123456.1", &api), -1);
	assert_int_equal(docker_api_parse(NULL, &api), -1);
}

static void test_status_text(void **state)
{
	assert_int_equal(docker_health_from_status("Up 3 hours (healthy)"), DOCKER_HEALTH_HEALTHY);
	assert_int_equal(docker_health_from_status("Up 3 hours (unhealthy)"), DOCKER_HEALTH_UNHEALTHY);
	assert_int_equal(docker_health_from_status("Up 1 second (health: starting)"),
	                 DOCKER_HEALTH_STARTING);
	assert_int_equal(docker_health_from_status("Up 2 days (Paused)"), DOCKER_HEALTH_NONE);
	assert_int_equal(docker_exit_code_from_status("Exited (137) 5 minutes ago"), 137);
	assert_int_equal(docker_exit_code_from_status("Restarting (1) 2 seconds ago"), 1);
	assert_int_equal(docker_exit_code_from_status("Exited (x) ago"), -1);
	assert_int_equal(docker_exit_code_from_status("Exited (99999999999999) ago"), -1);
	assert_int_equal(docker_exit_code_from_status("Up"), -1);
	{
		static const struct {
			const char *text;
			int64_t lo, hi;
		} up[] = {
			{ "Up Less than a second", 0, 1 },
			{ "Up 1 second", 1, 2 },
			{ "Up 42 seconds (health: starting)", 42, 43 },
			{ "Up About a minute (healthy)", 60, 120 },
			{ "Up 5 minutes", 300, 360 },
			{ "Up About an hour", 3600, 7200 },
			{ "Up 47 hours (Paused)", 47 * 3600, 48 * 3600 },
			{ "Up 13 days", 13 * 86400, 14 * 86400 },
			{ "Up 8 weeks", 8 * 7 * 86400, 9 * 7 * 86400 },
			{ "Up 23 months", 23 * 30 * 86400LL, 24 * 30 * 86400LL },
			{ "Up 3 years", 3 * 365 * 86400LL, 4 * 365 * 86400LL },
		};
		size_t i;
		int64_t lo, hi;

		for (i = 0; i < UTIL_ARRAY_LEN(up); i++) {
			assert_int_equal(docker_uptime_from_status(up[i].text, &lo, &hi), 0);
			assert_int_equal(lo, up[i].lo);
			assert_int_equal(hi, up[i].hi);
		}
		assert_int_equal(docker_uptime_from_status("Exited (0) 3 seconds ago", &lo, &hi), -1);
		assert_int_equal(docker_uptime_from_status("Up 3 eons", &lo, &hi), -1);
		assert_int_equal(docker_uptime_from_status("Up 9999999 years", &lo, &hi), -1);
		assert_int_equal(docker_uptime_from_status("Up ", &lo, &hi), -1);
		assert_int_equal(docker_uptime_from_status(NULL, &lo, &hi), -1);
	}
	assert_int_equal(docker_state_parse("removing"), DOCKER_STATE_REMOVING);
	assert_int_equal(docker_state_parse("missing"), DOCKER_STATE_UNKNOWN);
	assert_int_equal(docker_state_parse("Running"), DOCKER_STATE_UNKNOWN);
	assert_string_equal(docker_state_name(DOCKER_STATE_DEAD), "dead");
	assert_string_equal(docker_state_name(DOCKER_STATE_MISSING), "missing");
	assert_string_equal(docker_health_name(DOCKER_HEALTH_STARTING), "starting");
}

static void test_endpoint(void **state)
{
	static const struct {
		const char *spec;
		bool tls;
		const char *sock, *url;
	} ok[] = {
		{ "unix:///var/run/docker.sock", false, "/var/run/docker.sock", "http://localhost" },
		{ "/run/user/1000/docker.sock", true, "/run/user/1000/docker.sock", "http://localhost" },
		{ "tcp://10.0.0.2:2376", true, NULL, "https://10.0.0.2:2376" },
		{ "tcp://docker.example", true, NULL, "https://docker.example:2376" },
		{ "tcp://docker.example/", false, NULL, "http://docker.example:2375" },
		{ "tcp://[::1]:2376", true, NULL, "https://[::1]:2376" },
		{ "tcp://[::1]", true, NULL, "https://[::1]:2376" },
	};
	static const char *const bad[] = { "", "ssh", "unix://relative", "tcp://", "tcp://a b",
	                                   "tcp://host/path", "http://x", NULL };
	size_t i;
	char *sock, *url, *cause = NULL;

	for (i = 0; i < UTIL_ARRAY_LEN(ok); i++) {
		if (docker_endpoint_parse(ok[i].spec, ok[i].tls, &sock, &url, &cause) != 0)
			fail_msg("%s: %s", ok[i].spec, cause);
		if (ok[i].sock == NULL)
			assert_null(sock);
		else
			assert_string_equal(sock, ok[i].sock);
		assert_string_equal(url, ok[i].url);
		free(sock);
		free(url);
	}
	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_int_equal(docker_endpoint_parse(bad[i], true, &sock, &url, &cause), -1);
		assert_null(sock);
		assert_null(url);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
}

static void test_sanitize(void **state)
{
	char *s;

	s = util_text_sanitize("a\x1b[2Jb\tc\x7f", 100);
	assert_string_equal(s, "a?[2Jb?c?");
	free(s);
	s = util_text_sanitize("caf\xc3\xa9 \xe2\x9c\x93", 100);     /* valid UTF-8 stays */
	assert_string_equal(s, "caf\xc3\xa9 \xe2\x9c\x93");
	free(s);
	s = util_text_sanitize("x\xc3(\xff\xc2\x85y", 100);           /* invalid, C1 NEL */
	assert_string_equal(s, "x?(???y");
	free(s);
	s = util_text_sanitize("ab\xe2\x9c\x93", 4);                   /* no half character */
	assert_string_equal(s, "ab");
	free(s);
	s = util_text_sanitize("\xed\xa0\x80", 10);                    /* a surrogate */
	assert_string_equal(s, "???");
	free(s);
	assert_null(util_text_sanitize(NULL, 10));
}

static void test_list_hostile(void **state)
{
	struct docker_container *l;
	size_t n;
	char *cause = NULL;
	static const char *const bad[] = { "", "{}", "[", "null", "\"x\"", "[1,2", "{\"a\":[]}" };
	static const char odd[] =
		"[1, null, \"x\", {}, {\"Id\":5}, {\"Id\":\"../../etc\"},"
		" {\"Id\":\"abc\",\"Names\":\"notalist\",\"State\":7,\"Status\":[],\"Labels\":[]},"
		" {\"Id\":\"def\",\"Names\":[3,\"/\",\"/x/y\",\"/ok\\u001b[31m\"],\"State\":\"dead\","
		"  \"ImageID\":\"sha256:\\u001b\",\"Status\":\"Dead\",\"Labels\":{\"com.docker.compose.service\":1}},"
		" {\"Id\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}]";
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_int_equal(docker_parse_containers(bad[i], strlen(bad[i]), &l, &n, &cause), -1);
		assert_non_null(cause);
		assert_null(l);
		assert_int_equal(n, 0);
		free(cause);
		cause = NULL;
	}
	assert_int_equal(docker_parse_containers(odd, sizeof(odd) - 1, &l, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].id, "abc");
	assert_string_equal(l[0].name, "abc");           /* no name: the id */
	assert_int_equal(l[0].state, DOCKER_STATE_UNKNOWN);
	assert_string_equal(l[0].status, "");
	assert_string_equal(l[0].image, "");
	assert_null(l[0].image_id);                     /* the list did not say */
	assert_null(l[0].compose_service);
	assert_string_equal(l[1].name, "ok?[31m");      /* "/x/y" is a link alias */
	assert_int_equal(l[1].state, DOCKER_STATE_DEAD);
	assert_string_equal(l[1].image_id, "sha256:?");  /* made safe to show */
	assert_null(l[1].compose_service);
	docker_containers_free(l, n);
}

static void test_list_long_and_many(void **state)
{
	struct buf b;
	struct docker_container *l;
	size_t n, i;
	char *cause = NULL;

	buf_init(&b);
	buf_puts(&b, "[{\"Id\":\"aaaa\",\"Names\":[\"/");
	for (i = 0; i < 4096; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "\"],\"Image\":\"");
	for (i = 0; i < 4096; i++)
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "\"}]");
	assert_int_equal(docker_parse_containers(b.data, b.len, &l, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(l[0].name), DOCKER_MAX_TEXT);
	assert_int_equal(strlen(l[0].image), DOCKER_MAX_TEXT);
	docker_containers_free(l, n);

	buf_reset(&b);
	buf_putc(&b, '[');
	for (i = 0; i < DOCKER_MAX_CONTAINERS + 5; i++)
		buf_printf(&b, "%s{\"Id\":\"c%zu\",\"State\":\"running\"}", i ? "," : "", i);
	buf_putc(&b, ']');
	assert_int_equal(docker_parse_containers(b.data, b.len, &l, &n, &cause), 0);
	assert_int_equal(n, DOCKER_MAX_CONTAINERS);
	assert_string_equal(l[n - 1].id, "c9999");
	docker_containers_free(l, n);
	buf_done(&b);
}

static void test_inspect_stats_hostile(void **state)
{
	static const char odd_inspect[] =
		"{\"RestartCount\":-4,\"State\":{\"Status\":\"running\",\"ExitCode\":1e300,"
		"\"StartedAt\":\"yesterday\",\"Health\":null,\"OOMKilled\":\"yes\"},\"Config\":[]}";
	static const char odd_stats[] =
		"{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":-5},\"system_cpu_usage\":\"9\","
		"\"online_cpus\":1e9},\"memory_stats\":{\"usage\":1e400,\"stats\":[]},"
		"\"precpu_stats\":7}";
	static const char inf_stats[] =
		"{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":1e30},\"system_cpu_usage\":5},"
		"\"memory_stats\":{\"usage\":100,\"stats\":{\"total_inactive_file\":\"x\"}}}";
	struct docker_inspect in;
	struct docker_stats_sample s, p;
	struct docker_version v;
	char *cause = NULL;

	assert_int_equal(docker_parse_inspect(odd_inspect, sizeof(odd_inspect) - 1, &in, &cause), 0);
	assert_int_equal(in.restarts, -1);
	assert_int_equal(in.exit_code, -1);
	assert_int_equal(in.started_at_ms, 0);
	assert_int_equal(in.health, DOCKER_HEALTH_NONE);
	assert_false(in.oom_killed);
	assert_false(in.tty);
	assert_int_equal(docker_parse_inspect("[]", 2, &in, &cause), -1);
	free(cause);
	cause = NULL;

	assert_int_equal(docker_parse_stats(odd_stats, sizeof(odd_stats) - 1, &s, &p, &cause), 0);
	assert_false(s.has_cpu);
	assert_int_equal(s.online_cpus, 0);
	assert_true(s.mem_bytes < 0);
	assert_false(p.has_cpu);
	assert_int_equal(docker_parse_stats(inf_stats, sizeof(inf_stats) - 1, &s, NULL, &cause), 0);
	assert_false(s.has_cpu);                   /* past 2^53: not an exact counter */
	assert_int_equal(s.mem_bytes, 100);        /* a v1 key of the wrong type: usage as is */
	assert_int_equal(docker_parse_stats("{", 1, &s, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(docker_parse_version("{\"ApiVersion\":1.41,\"Version\":\"\\u0007x\"}", 40,
	                                      &v, &cause), 0);
	assert_int_equal(v.api_max, 0);
	assert_string_equal(v.version, "?x");
}

/* ---- logs ---- */

struct collected {
	struct buf text;     /* "O:line\n" / "E:line\n" */
	int lines;
	int stop_after;      /* stop once this many lines came; 0 never */
	int64_t first_ts;
};

static int collect(const struct docker_log_line *line, void *arg)
{
	struct collected *c = arg;

	buf_putc(&c->text, line->stream == DOCKER_STREAM_STDERR ? 'E' : 'O');
	buf_putc(&c->text, ':');
	buf_append(&c->text, line->text, line->len);
	buf_putc(&c->text, '\n');
	if (c->lines == 0)
		c->first_ts = line->ts_ms;
	c->lines++;
	return c->stop_after && c->lines >= c->stop_after ? -1 : 0;
}

/* Decodes data fed in pieces of `step` bytes; returns what came out. */
static char *demux(const char *data, size_t len, bool tty, bool ts, size_t step, int *rc_out,
                   int64_t *first_ts)
{
	struct docker_logdemux m;
	struct collected c = { .lines = 0 };
	size_t off;
	int rc = 0;

	buf_init(&c.text);
	docker_logdemux_init(&m, tty, ts, collect, &c);
	for (off = 0; off < len && rc == 0; off += step)
		rc = docker_logdemux_feed(&m, data + off, len - off < step ? len - off : step);
	if (rc == 0)
		rc = docker_logdemux_finish(&m);
	*rc_out = rc;
	if (first_ts != NULL)
		*first_ts = c.first_ts;
	docker_logdemux_done(&m);
	return buf_steal(&c.text);
}

static const char logger_expected[] =
	"E:err line 1\nE:err line 2\nE:err line 3\nE:err line 4\nE:err line 5\n"
	"O:out line 1\nO:out line 2\nO:out line 3\nO:out line 4\nO:out line 5\n";
/* (The container's final "no newline at end" is not in the recording: the
 * json-file driver keeps a partial line until the container exits.) */

static void test_logs_framed_fixture(void **state)
{
	size_t len, step;
	char *raw = fixture_read("docker", "logs_logger.raw", &len), *out;
	int rc;

	/* every piece size, 1 byte up: frames and headers split at every offset */
	for (step = 1; step <= len; step++) {
		out = demux(raw, len, false, false, step, &rc, NULL);
		assert_int_equal(rc, 0);
		assert_string_equal(out, logger_expected);
		free(out);
	}
	free(raw);
}

static void test_logs_timestamps_fixture(void **state)
{
	size_t len;
	char *raw = fixture_read("docker", "logs_logger_timestamps.raw", &len), *out;
	int64_t ts, want;
	int rc;

	out = demux(raw, len, false, true, 7, &rc, &ts);
	assert_int_equal(rc, 0);
	assert_string_equal(out, logger_expected);
	assert_int_equal(time_parse_iso8601("2026-11-23T09:10:39.120328233Z", &want), 0);
	assert_int_equal(ts, want);
	free(out);
	/* without the option the stamp stays in the text */
	out = demux(raw, len, false, false, 64, &rc, &ts);
	assert_non_null(strstr(out, "E:2026-11-23T09:10:39.120328233Z err line 1\n"));
	assert_int_equal(ts, 0);
	free(out);
	free(raw);
}

static void test_logs_tty_fixture(void **state)
{
	size_t len;
	char *raw = fixture_read("docker", "logs_ttybox_tty.raw", &len), *out;
	int rc;

	out = demux(raw, len, true, false, 3, &rc, NULL);
	assert_int_equal(rc, 0);
	/* a TTY merges the streams and ends lines with "\r\n" */
	assert_string_equal(out, "O:tick 23\nO:err 23\nO:tick 24\nO:err 24\n");
	free(out);
	free(raw);
}

static void test_logs_hostile(void **state)
{
	static const char bad_stream[] = "\x07\0\0\0\0\0\0\x01x";
	static const char cut[] = "\x01\0\0\0\0\0\0\x10short";
	static const char syserr[] = "\x01\0\0\0\0\0\0\x03ok\n\x03\0\0\0\0\0\0\x09log gone\n";
	static const char empty_frames[] = "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\x02z\n";
	static const char partial_end[] = "\x01\0\0\0\0\0\0\x05" "ab\ncd\x02\0\0\0\0\0\0\x01" "e";
	char *out;
	int rc;
	struct buf big;
	size_t i;

	out = demux(bad_stream, sizeof(bad_stream) - 1, false, false, 100, &rc, NULL);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "");
	free(out);

	out = demux(cut, sizeof(cut) - 1, false, false, 2, &rc, NULL);
	assert_int_equal(rc, -1);                 /* what came is shown, then the error */
	assert_string_equal(out, "O:short\n");
	free(out);

	out = demux(syserr, sizeof(syserr) - 1, false, false, 5, &rc, NULL);
	assert_int_equal(rc, -1);
	assert_string_equal(out, "O:ok\n");
	free(out);
	{
		struct docker_logdemux m;
		struct collected c = { .lines = 0 };

		buf_init(&c.text);
		docker_logdemux_init(&m, false, false, collect, &c);
		assert_int_equal(docker_logdemux_feed(&m, syserr, sizeof(syserr) - 1), -1);
		assert_string_equal(docker_logdemux_error(&m), "docker: logs: log gone");
		assert_int_equal(docker_logdemux_feed(&m, "x", 1), -1);
		docker_logdemux_done(&m);
		buf_done(&c.text);
	}

	out = demux(empty_frames, sizeof(empty_frames) - 1, false, false, 1, &rc, NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "E:z\n");
	free(out);

	out = demux(partial_end, sizeof(partial_end) - 1, false, false, 3, &rc, NULL);
	assert_int_equal(rc, 0);                  /* unfinished lines at the end come out */
	assert_string_equal(out, "O:ab\nO:cd\nE:e\n");
	free(out);

	/* a 150,000-byte line without a newline comes out in capped pieces */
	buf_init(&big);
	for (i = 0; i < 150000; i++)
		buf_putc(&big, 'a');
	{
		struct docker_logdemux m;
		struct collected c = { .lines = 0 };

		buf_init(&c.text);
		docker_logdemux_init(&m, true, true, collect, &c);
		assert_int_equal(docker_logdemux_feed(&m, big.data, big.len), 0);
		assert_int_equal(docker_logdemux_finish(&m), 0);
		assert_int_equal(c.lines, 3);
		assert_int_equal(c.text.len, 150000 + 3 * 3);
		docker_logdemux_done(&m);
		buf_done(&c.text);
	}
	buf_done(&big);

	/* the callback stops: no more lines, -1 */
	{
		struct docker_logdemux m;
		struct collected c = { .stop_after = 2 };
		static const char three[] = "a\nb\nc\nd\n";

		buf_init(&c.text);
		docker_logdemux_init(&m, true, false, collect, &c);
		assert_int_equal(docker_logdemux_feed(&m, three, sizeof(three) - 1), -1);
		assert_null(docker_logdemux_error(&m));
		assert_int_equal(c.lines, 2);
		docker_logdemux_done(&m);
		buf_done(&c.text);
	}
}

struct events {
	struct buf text;     /* "action name id\n" */
	int count;
	int stop_after;
	int64_t first_ms;
};

static int collect_event(const struct docker_event *ev, void *arg)
{
	struct events *e = arg;

	buf_printf(&e->text, "%s %s %s\n", ev->action, ev->name, ev->id);
	if (e->count++ == 0)
		e->first_ms = ev->time_ms;
	return e->stop_after && e->count >= e->stop_after ? -1 : 0;
}

static void test_events_fixture(void **state)
{
	size_t len, step;
	char *raw = fixture_read("docker", "events_stream.raw", &len), *first = NULL;

	for (step = 1; step <= len; step += step < 64 ? 1 : 997) {
		struct docker_eventdec d;
		struct events e = { .count = 0 };
		size_t off;

		buf_init(&e.text);
		docker_eventdec_init(&d, collect_event, &e);
		for (off = 0; off < len; off += step)
			assert_int_equal(docker_eventdec_feed(&d, raw + off,
			                                      len - off < step ? len - off : step), 0);
		docker_eventdec_done(&d);
		assert_int_equal(e.count, 38);
		/* the first line: {"status":"start",...,"timeNano":1795426110660316044} */
		assert_int_equal(e.first_ms, 1795426110660LL);
		if (first == NULL) {
			first = buf_steal(&e.text);
			assert_non_null(strstr(first, "start kt-itest-7948-b32 9d3ae13f434b\n"));
			assert_non_null(strstr(first, "health_status: healthy evbox "));
			assert_non_null(strstr(first, "pause evbox "));
			assert_non_null(strstr(first, "destroy evbox "));
		} else {
			assert_string_equal(e.text.data, first);
			buf_done(&e.text);
		}
	}
	free(first);
	free(raw);
}

static void test_events_hostile(void **state)
{
	static const char odd[] =
		"{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"abc\"}}\n"
		"not json\n\n[]\n{\"Type\":\"container\",\"Action\":5,\"Actor\":{\"ID\":\"abc\"}}\n"
		"{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"../x\"}}\n"
		"{\"Type\":\"container\",\"Action\":\"die\\u001b\",\"Actor\":{\"ID\":\"abc\","
		"\"Attributes\":{\"name\":7}},\"time\":\"x\"}\n"
		"{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"def\"},\"time\":5}\n";
	struct docker_eventdec d;
	struct events e = { .count = 0 };
	struct buf big;
	size_t i;

	buf_init(&e.text);
	docker_eventdec_init(&d, collect_event, &e);
	assert_int_equal(docker_eventdec_feed(&d, odd, sizeof(odd) - 1), 0);
	assert_string_equal(e.text.data, "die?  abc\nstart  def\n");
	/* an endless line is skipped, the next one still decodes */
	buf_init(&big);
	for (i = 0; i < 200000; i++)
		buf_putc(&big, '{');
	buf_puts(&big, "\n{\"Type\":\"container\",\"Action\":\"oom\",\"Actor\":{\"ID\":\"f1\"}}\n");
	for (i = 0; i < big.len; i += 4000)
		assert_int_equal(docker_eventdec_feed(&d, big.data + i,
		                                      big.len - i < 4000 ? big.len - i : 4000), 0);
	assert_int_equal(e.count, 3);
	e.stop_after = 4;
	assert_int_equal(docker_eventdec_feed(&d, odd, sizeof(odd) - 1), -1);
	assert_int_equal(e.count, 4);
	assert_int_equal(docker_eventdec_feed(&d, "x", 1), -1);
	docker_eventdec_done(&d);
	buf_done(&big);
	buf_done(&e.text);
}

/* A transport failure in words: a reply that is not HTTP says so (curl's
 * own words for it were "unsupported URL scheme"). */
static void test_transport_words(void **state)
{
	char *w;

	(void)state;
	w = docker_transport_words("not an HTTP response");
	assert_string_equal(w, "docker: the engine's reply is not HTTP (is that a Docker socket?)");
	free(w);
	w = docker_transport_words("connection refused");
	assert_string_equal(w, "docker: connection refused (is dockerd running?)");
	free(w);
	w = docker_transport_words("timeout after 5 s");
	assert_string_equal(w, "docker: timeout after 5 s");
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_fixture),
		cmocka_unit_test(test_inspect_fixtures),
		cmocka_unit_test(test_stats_fixtures),
		cmocka_unit_test(test_stats_cgroup_v2),
		cmocka_unit_test(test_version_fixture),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_list_hostile),
		cmocka_unit_test(test_list_long_and_many),
		cmocka_unit_test(test_inspect_stats_hostile),
		cmocka_unit_test(test_logs_framed_fixture),
		cmocka_unit_test(test_logs_timestamps_fixture),
		cmocka_unit_test(test_logs_tty_fixture),
		cmocka_unit_test(test_logs_hostile),
		cmocka_unit_test(test_events_fixture),
		cmocka_unit_test(test_events_hostile),
		cmocka_unit_test(test_transport_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
