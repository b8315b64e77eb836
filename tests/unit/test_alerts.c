/* Unit tests: [alerts] — the thresholds in the configuration (defaults,
 * per-host and per-service overrides, errors with their lines), the
 * verdicts they drive on the recorded KiteStacks-lab frames
 * (tests/fixtures/frames) read with variants of its configuration, and
 * `check`'s perfdata. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/postgres.h"
#include "cli/status_check.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/panels.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"
#include "widgets/gauge.h"
#include "tests/support/fixture.h"

static struct config *parse_ok(const char *text)
{
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("config: %s", cause);
	return cfg;
}

/* The error of text, which must not parse. */
static void assert_parse_error(const char *text, const char *want)
{
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, strlen(text), &cause);

	if (cfg != NULL)
		fail_msg("parsed: %s", text);
	assert_string_equal(cause, want);
	free(cause);
}

/* The lab's configuration with edits: each of n (from, to) pairs replaces
 * the first `from` (a line of the file) by `to`. */
static struct config *lab_cfg(const char *const *edits, size_t n)
{
	char *cause = NULL, *text = fixture_read("frames", "kitestacks-lab.conf", NULL);
	struct config *cfg;

	setenv("KITETOP_FRAMES_SECRET", "not-a-secret", 1);
	for (size_t i = 0; i + 1 < n; i += 2) {
		char *at = strstr(text, edits[i]), *next;

		if (at == NULL)
			fail_msg("no \"%s\" in the lab's configuration", edits[i]);
		next = xasprintf("%.*s%s%s", (int)(at - text), text, edits[i + 1], at + strlen(edits[i]));
		free(text);
		text = next;
	}
	cfg = config_parse("kitestacks-lab.conf", text, strlen(text), &cause);
	free(text);
	if (cfg == NULL)
		fail_msg("config: %s", cause);
	return cfg;
}

static void read_lab(struct frame *f, const struct config *cfg, const char *name)
{
	char *cause = NULL, *doc;
	size_t len;

	doc = fixture_read("frames", name, &len);
	if (frame_json_read(f, cfg, doc, len, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(doc);
}

/* ---- the configuration ------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct config *cfg = parse_ok("[host a]\n[service s]\ncontainer = s\n");
	struct config *def = config_default();

	(void)state;
	for (int i = 0; i < CONFIG_ALERT_NFIGURES; i++) {
		assert_true(cfg->alerts.host.warn[i] == 85 && cfg->alerts.host.crit[i] == 95);
		assert_true(cfg->hosts[0].alerts.warn[i] == 85 && cfg->hosts[0].alerts.crit[i] == 95);
		assert_true(def->hosts[0].alerts.warn[i] == 85 && def->hosts[0].alerts.crit[i] == 95);
	}
	assert_int_equal(cfg->alerts.line, 0);
	assert_int_equal(cfg->alerts.restarts_warn, 3);
	assert_int_equal(cfg->alerts.probe_ms_warn, 0);
	assert_true(cfg->alerts.pg_conn_warn == 80 && cfg->alerts.pg_conn_crit == 95);
	assert_int_equal(cfg->services[0].restarts_warn, 3);
	assert_int_equal(cfg->services[0].probe_ms_warn, 0);
	config_free(def);
	config_free(cfg);
}

/* A host or service inherits what it does not set, wherever [alerts] is. */
static void test_overrides(void **state)
{
	struct config *cfg = parse_ok("[host a]\ndisk_crit = 99.5\n"
	                              "[host b]\ncpu_warn = 50\ncpu_crit = 60\n"
	                              "[service s]\ncontainer = s\nrestarts_warn = 0\n"
	                              "[service t]\ncontainer = t\nprobe_ms_warn = 800\n"
	                              "[alerts]\ncpu_warn = 70\nmem_warn = 80.5\ndisk_warn = 90\n"
	                              "restarts_warn = 5\nprobe_ms_warn = 250\n"
	                              "pg_conn_warn = 60\npg_conn_crit = 70\n");
	const struct config_host *a = &cfg->hosts[0], *b = &cfg->hosts[1];

	(void)state;
	assert_int_equal(cfg->alerts.line, 12);
	assert_true(a->alerts.warn[CONFIG_ALERT_CPU] == 70 && a->alerts.crit[CONFIG_ALERT_CPU] == 95);
	assert_true(a->alerts.warn[CONFIG_ALERT_MEM] == 80.5 && a->alerts.crit[CONFIG_ALERT_MEM] == 95);
	assert_true(a->alerts.warn[CONFIG_ALERT_DISK] == 90 && a->alerts.crit[CONFIG_ALERT_DISK] == 99.5);
	assert_true(b->alerts.warn[CONFIG_ALERT_CPU] == 50 && b->alerts.crit[CONFIG_ALERT_CPU] == 60);
	assert_true(b->alerts.warn[CONFIG_ALERT_DISK] == 90 && b->alerts.crit[CONFIG_ALERT_DISK] == 95);
	assert_int_equal(cfg->services[0].restarts_warn, 0);
	assert_int_equal(cfg->services[0].probe_ms_warn, 250);
	assert_int_equal(cfg->services[1].restarts_warn, 5);
	assert_int_equal(cfg->services[1].probe_ms_warn, 800);
	assert_true(cfg->alerts.pg_conn_warn == 60 && cfg->alerts.pg_conn_crit == 70);
	config_free(cfg);
}

static void test_errors_with_lines(void **state)
{
	(void)state;
	assert_parse_error("[alerts]\ncpu_warn = 101\n", "t.conf:2: cpu_warn = 101: a percentage from 0 to 100");
	assert_parse_error("[alerts]\nmem_crit = -1\n", "t.conf:2: mem_crit = -1: a percentage from 0 to 100");
	assert_parse_error("[alerts]\ndisk_warn = lots\n", "t.conf:2: \"lots\" is not a number");
	assert_parse_error("[alerts]\n\ncpu_warn = 96\n", "t.conf:3: cpu_warn (96) must be below cpu_crit (95)");
	assert_parse_error("[alerts]\ncpu_crit = 80\n", "t.conf:2: cpu_crit (80) must be above cpu_warn (85)");
	assert_parse_error("[alerts]\ndisk_warn = 90\ndisk_crit = 90\n",
	                   "t.conf:2: disk_warn (90) must be below disk_crit (90)");
	assert_parse_error("[alerts]\npg_conn_crit = 50\n",
	                   "t.conf:2: pg_conn_warn (80) must be below pg_conn_crit (50)");
	assert_parse_error("[alerts]\nrestarts_warn = 1001\n",
	                   "t.conf:2: \"1001\" is not a whole number from 0 to 1000");
	assert_parse_error("[alerts]\nprobe_ms_warn = 1.5\n",
	                   "t.conf:2: \"1.5\" is not a whole number from 0 to 600000");
	assert_parse_error("[alerts]\ncpu_warm = 1\n",
	                   "t.conf:2: unknown key cpu_warm in [alerts] (did you mean cpu_warn?)");
	assert_parse_error("[alerts]\ncpu_warn = 1\ncpu_warn = 2\n",
	                   "t.conf:3: cpu_warn is set twice in [alerts] (first on line 2)");
	assert_parse_error("[alerts]\n[alerts]\n", "t.conf:2: [alerts] appears twice (first on line 1)");
	assert_parse_error("[alerts x]\n", "t.conf:1: [alerts] takes no name");
	/* an override against the other half from [alerts], on the override's line */
	assert_parse_error("[host a]\naddress = 10.0.0.1\nmem_warn = 97\n",
	                   "t.conf:3: mem_warn (97) must be below mem_crit (95, from [alerts])");
	assert_parse_error("[host a]\ndisk_crit = 60\n[alerts]\ndisk_warn = 70\ndisk_crit = 80\n",
	                   "t.conf:2: disk_crit (60) must be above disk_warn (70, from [alerts])");
	assert_parse_error("[host a]\ncpu_warn = 50\ncpu_crit = 40\n",
	                   "t.conf:2: cpu_warn (50) must be below cpu_crit (40)");
	/* the keys each section takes */
	assert_parse_error("[host a]\nrestarts_warn = 1\n",
	                   "t.conf:2: unknown key restarts_warn in [host a]");
	assert_parse_error("[service s]\ncontainer = s\ncpu_warn = 1\n",
	                   "t.conf:3: unknown key cpu_warn in [service s]");
	assert_parse_error("[service s]\ncontainer = s\nprobe_ms_warn = -5\n",
	                   "t.conf:3: \"-5\" is not a whole number from 0 to 600000");
}

/* ---- the verdicts on the lab's frames ------------------------------------------ */

/* The first line under 200 characters, the perfdata of the figures on a
 * line of its own after the reasons that did not fit. */
static const char LAB_CHECK[] =
	"KITETOP WARNING - 2 hosts: monk: kavita exited; "
	"monk: kavita restarted 3 times, the last 3m ago (restarts_warn 3); "
	"kscloud1: karakeep unhealthy; and 4 more"
	" | hosts_up=2;;;0;2 containers_bad=3;;;0\n"
	"kscloud1: kite-litellm missing\n"
	"kscloud1: karakeep probe: HTTP 404\n"
	"monk: kavita probe: connection refused\n"
	"kscloud1: kite-litellm probe: connection refused\n"
	"| monk_cpu=23.4%;85;95;0;100 monk_mem=61.2%;85;95;0;100 monk_disk=71.8%;85;95;0;100 "
	"kscloud1_cpu=17.9%;85;95;0;100 kscloud1_mem=58.3%;85;95;0;100 kscloud1_disk=71.8%;85;95;0;100 "
	"pg_connections=0.0%;80;95;0;100\n";

/* The lab as designed, with the defaults: kavita's three restarts in its
 * last hour are a warning of their own. */
static void test_lab_defaults(void **state)
{
	struct config *cfg = lab_cfg(NULL, 0);
	struct frame f;
	struct buf out;

	(void)state;
	read_lab(&f, cfg, "kitestacks-lab.json");
	buf_init(&out);
	assert_int_equal(status_check_line(&f, &out), VERDICT_WARN);
	assert_string_equal(buf_cstr(&out), LAB_CHECK);
	/* an hour and more after kavita's last start, its restarts are old news */
	f.taken_ms += 3600 * 1000;
	buf_reset(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_WARN);
	assert_null(strstr(buf_cstr(&out), "restarted"));
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* [alerts] disk thresholds both hosts cross; monk's own crit keeps it at warn. */
static void test_lab_host_override(void **state)
{
	static const char *const edits[] = {
		"[host kscloud1]\n", "disk_crit = 80\n\n[host kscloud1]\n",
		"[prometheus]\n", "[alerts]\ndisk_warn = 60\ndisk_crit = 70\n\n[prometheus]\n",
	};
	struct config *cfg = lab_cfg(edits, UTIL_ARRAY_LEN(edits));
	struct frame f;
	struct buf out;

	(void)state;
	read_lab(&f, cfg, "kitestacks-lab.json");
	buf_init(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&out), "monk: disk 71.8% >= warn 60%\nmonk: kavita exited\n"));
	assert_non_null(strstr(buf_cstr(&out), "kscloud1: disk 71.8% >= crit 70%\nkscloud1: karakeep unhealthy\n"));
	buf_reset(&out);
	status_check_perfdata(&f, &out);
	assert_string_equal(buf_cstr(&out), "hosts_up=2;;;0;2 containers_bad=3;;;0 "
	                    "monk_cpu=23.4%;85;95;0;100 monk_mem=61.2%;85;95;0;100 monk_disk=71.8%;60;80;0;100 "
	                    "kscloud1_cpu=17.9%;85;95;0;100 kscloud1_mem=58.3%;85;95;0;100 "
	                    "kscloud1_disk=71.8%;60;70;0;100 pg_connections=0.0%;80;95;0;100");
	assert_int_equal(verdict_host_figure_level(f.hosts[0].cfg, CONFIG_ALERT_DISK, 79.9), VERDICT_WARN);
	assert_int_equal(verdict_host_figure_level(f.hosts[0].cfg, CONFIG_ALERT_DISK, 80), VERDICT_CRIT);
	assert_int_equal(verdict_host_figure_level(f.hosts[1].cfg, CONFIG_ALERT_DISK, 59.9), VERDICT_OK);
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* kavita's own restarts_warn above its count: no warning of restarts;
 * forgejo's probe_ms_warn: its 5 ms probe on kscloud1 is slow. */
static void test_lab_service_override(void **state)
{
	static const char *const edits[] = {
		"[service grafana]\n", "restarts_warn = 4\n\n[service grafana]\n",
		"[service kite-openwebui]\n", "probe_ms_warn = 4\n\n[service kite-openwebui]\n",
	};
	struct config *cfg = lab_cfg(edits, UTIL_ARRAY_LEN(edits));
	struct frame f;
	struct buf out;

	(void)state;
	read_lab(&f, cfg, "kitestacks-lab.json");
	buf_init(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_WARN);
	assert_null(strstr(buf_cstr(&out), "restarted"));
	assert_non_null(strstr(buf_cstr(&out), "\nkscloud1: forgejo probe slow: 5 ms > probe_ms_warn 4\n"));
	assert_null(strstr(buf_cstr(&out), "monk: forgejo probe slow"));   /* 4 ms: not over */
	assert_null(strstr(buf_cstr(&out), "openwebui probe slow"));       /* 6 ms, but not set */
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* PostgreSQL's connections against pg_conn_warn/crit, in the verdict and the perfdata. */
static void test_lab_pg_connections(void **state)
{
	struct config *cfg = lab_cfg(NULL, 0);
	struct frame f;
	struct pg_status st;
	struct buf out;

	(void)state;
	read_lab(&f, cfg, "kitestacks-lab.json");
	st = *f.postgres.value;   /* borrowed strings: not freed here */
	f.postgres.value = &st;
	buf_init(&out);
	/* 3 of the 100 reserved for superusers: the apps' base is 97, and
	 * 78 of it (80.4%) is a warning where 78 of 100 was not */
	assert_int_equal(st.reserved_connections, 3);
	assert_int_equal(verdict_pg_conn_base(&st), 97);
	st.connections = 78;
	assert_int_equal(verdict_overall(&f, &out), VERDICT_WARN);
	assert_non_null(strstr(buf_cstr(&out), "\npostgres: 78 of 97 connections (80.4%) >= warn 80%\n"));
	st.connections = 93;
	buf_reset(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&out), "\npostgres: 93 of 97 connections (95.9%) >= crit 95%\n"));
	buf_reset(&out);
	status_check_perfdata(&f, &out);
	assert_non_null(strstr(buf_cstr(&out), " pg_connections=95.9%;80;95;0;100"));
	/* the reserve not known (an older recording): all of max_connections */
	st.reserved_connections = -1;
	st.connections = 96;
	buf_reset(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&out), "\npostgres: 96 of 100 connections (96.0%) >= crit 95%\n"));
	/* no figures while the feed fails */
	f.postgres.feed.error = "postgres: timeout";
	buf_reset(&out);
	status_check_perfdata(&f, &out);
	assert_non_null(strstr(buf_cstr(&out), " pg_connections=U;80;95;0;100"));
	/* the error names its source already: said once, not "postgres: postgres:" */
	buf_reset(&out);
	verdict_overall(&f, &out);
	assert_non_null(strstr(buf_cstr(&out), "postgres: timeout\n"));
	assert_null(strstr(buf_cstr(&out), "postgres: postgres:"));
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* Series labels and an error as the panels' structs hold them (not const). */
static char label_monk[] = "monk", label_kscloud1[] = "kscloud1", label_none[] = "";
static char error_timeout[] = "prometheus: timeout";

/* The lab's panels ("CPU busy %" warn 80 crit 95, "Memory used %" 85/95,
 * "Load (1 min)" none) with figures set by hand. */
static void test_lab_panels(void **state)
{
	struct config *cfg = lab_cfg(NULL, 0);
	struct frame f;
	struct panel_series cpu[] = {
		{ .label = label_monk, .host = 0, .value = 97 },
		{ .label = label_kscloud1, .host = 1, .value = 82.5 },
	};
	struct panel_series mem[] = { { .label = label_monk, .host = 0, .value = 50 } };
	struct panel_series load[] = { { .label = label_none, .host = -1, .value = 1e6 } };
	struct panel_data items[] = {
		{ .cfg = &cfg->panels[0], .series = cpu, .n = 2, .total = 2 },
		{ .cfg = &cfg->panels[1], .series = mem, .n = 1, .total = 1 },
		{ .cfg = &cfg->panels[2], .series = load, .n = 1, .total = 1 },
	};
	struct panels p = { .items = items, .n = 3 };
	struct buf out;

	(void)state;
	read_lab(&f, cfg, "kitestacks-lab.json");
	f.panels.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.panels.value = &p;
	buf_init(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_CRIT);
	assert_non_null(strstr(buf_cstr(&out), "\npanel 'CPU busy %' monk: 97.0% >= crit 95.0%\n"
	                       "panel 'CPU busy %' kscloud1: 82.5% >= warn 80.0%\n"));
	assert_null(strstr(buf_cstr(&out), "Memory"));
	assert_null(strstr(buf_cstr(&out), "Load"));
	/* a panel whose query failed, or stale figures, are not judged */
	items[0].error = error_timeout;
	buf_reset(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_WARN);
	assert_null(strstr(buf_cstr(&out), "panel"));
	items[0].error = NULL;
	f.panels.feed.error = "prometheus: timeout";
	assert_int_equal(verdict_overall(&f, NULL), VERDICT_WARN);
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* A panel where lower is worse (crit < warn), with a label-less series. */
static void test_panel_lower_is_worse(void **state)
{
	struct config *cfg = parse_ok("[host a]\n[panel \"Free GiB\"]\nquery = x\nwarn = 10\ncrit = 5\n");
	struct frame f;
	struct panel_series s[] = { { .label = label_none, .host = -1, .value = 4 } };
	struct panel_data items[] = { { .cfg = &cfg->panels[0], .series = s, .n = 1, .total = 1 } };
	struct panels p = { .items = items, .n = 1 };
	struct buf out;

	(void)state;
	frame_init(&f, cfg);
	f.panels.feed = (struct frame_feed){ .configured = true, .polled = true };
	f.panels.value = &p;
	buf_init(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&out), "panel 'Free GiB': 4 <= crit 5\n");
	s[0].value = 7;
	buf_reset(&out);
	assert_int_equal(verdict_overall(&f, &out), VERDICT_WARN);
	assert_string_equal(buf_cstr(&out), "panel 'Free GiB': 7 <= warn 10\n");
	buf_done(&out);
	frame_release(&f);
	config_free(cfg);
}

/* The level, the mark and the gauge's colours of a figure. */
static void test_levels_marks_styles(void **state)
{
	struct gauge_style st;

	(void)state;
	assert_int_equal(verdict_pct_level(84.9, 85, 95), VERDICT_OK);
	assert_int_equal(verdict_pct_level(85, 85, 95), VERDICT_WARN);
	assert_int_equal(verdict_pct_level(95, 85, 95), VERDICT_CRIT);
	assert_string_equal(verdict_mark(VERDICT_WARN, true), "\xe2\x96\xb2");
	assert_string_equal(verdict_mark(VERDICT_CRIT, true), "\xe2\x9c\x96");
	assert_string_equal(verdict_mark(VERDICT_WARN, false), "!");
	assert_string_equal(verdict_mark(VERDICT_CRIT, false), "X");
	assert_string_equal(verdict_mark(VERDICT_OK, true), "");
	st = gauge_alert_style(GAUGE_ALERT_NONE, 90);   /* under its own warn: not the high fill */
	assert_int_equal(st.fill, THEME_GAUGE_MID);
	assert_int_equal(st.value, THEME_VALUE);
	st = gauge_alert_style(GAUGE_ALERT_WARN, 50);
	assert_int_equal(st.fill, THEME_GAUGE_HIGH);
	assert_int_equal(st.value, THEME_WARN);
	st = gauge_alert_style(GAUGE_ALERT_CRIT, 50);
	assert_int_equal(st.fill, THEME_CRIT);
	assert_int_equal(st.value, THEME_CRIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_errors_with_lines),
		cmocka_unit_test(test_lab_defaults),
		cmocka_unit_test(test_lab_host_override),
		cmocka_unit_test(test_lab_service_override),
		cmocka_unit_test(test_lab_pg_connections),
		cmocka_unit_test(test_lab_panels),
		cmocka_unit_test(test_panel_lower_is_worse),
		cmocka_unit_test(test_levels_marks_styles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
