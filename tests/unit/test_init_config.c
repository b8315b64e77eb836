/* Unit tests: `kitetop init`'s pure half (cli/init_config): detection by
 * image and name, host names, fixes, the configuration written (it must load
 * as kitetop loads it) and the report; the Host entries of ~/.ssh/config
 * (backends/transport/ssh_config) and init's command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/transport/ssh_config.h"
#include "cli/cli.h"
#include "cli/init_config.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"

static void test_detect_by_image(void **state)
{
	static const struct { const char *image; int kind; } cases[] = {
		{ "cloudflare/cloudflared:2024.6.1", INIT_CLOUDFLARED },
		{ "cloudflare/cloudflared", INIT_CLOUDFLARED },
		{ "ghcr.io/goauthentik/server:2024.6.3", INIT_AUTHENTIK },
		{ "ghcr.io/goauthentik/server@sha256:0123abcd", INIT_AUTHENTIK },
		{ "ghcr.io/goauthentik/ldap:2024.6", -1 },          /* an outpost, not the server */
		{ "prom/node-exporter:v1.8.1", INIT_NODE_EXPORTER },
		{ "quay.io/prometheus/node-exporter:latest", INIT_NODE_EXPORTER },
		{ "prom/prometheus:v2.53.0", INIT_PROMETHEUS },
		{ "quay.io/prometheus/prometheus", INIT_PROMETHEUS },
		{ "postgres:16-alpine", INIT_POSTGRES },
		{ "docker.io/library/postgres:15", INIT_POSTGRES },
		{ "bitnami/postgresql:16", INIT_POSTGRES },
		{ "postgis/postgis:16-3.4", INIT_POSTGRES },
		{ "redis:7.2", INIT_REDIS },
		{ "REDIS:7", INIT_REDIS },
		{ "redis/redis-stack-server:latest", INIT_REDIS },
		{ "valkey/valkey:8", INIT_REDIS },
		{ "localhost:5000/redis:7", INIT_REDIS },
		{ "prometheuscommunity/postgres-exporter", -1 },  /* an exporter is not postgres */
		{ "oliver006/redis_exporter:v1.62", -1 },
		{ "grafana/grafana:11.2.0", -1 },
		{ "nginx", -1 },
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		int k = init_detect(cases[i].image, "app");

		if (k != cases[i].kind)
			fail_msg("%s: %d, not %d", cases[i].image, k, cases[i].kind);
	}
}

static void test_detect_by_name_when_the_image_says_nothing(void **state)
{
	assert_int_equal(init_detect("kitestacks/busybox:lab", "cloudflared"), INIT_CLOUDFLARED);
	assert_int_equal(init_detect("kitestacks/busybox:lab", "authentik"), INIT_AUTHENTIK);
	assert_int_equal(init_detect("sha256:0123", "stack-redis-1"), INIT_REDIS);
	assert_int_equal(init_detect("", "stack_postgres_1"), INIT_POSTGRES);
	assert_int_equal(init_detect(NULL, "postgres-2"), INIT_POSTGRES);
	assert_int_equal(init_detect("myapp:1", "node-exporter"), INIT_NODE_EXPORTER);
	assert_int_equal(init_detect("myapp:1", "grafana"), -1);
	assert_int_equal(init_detect("myapp:1", "redis-exporter"), -1);
	/* the image wins over the name */
	assert_int_equal(init_detect("redis:7", "cache"), INIT_REDIS);
	assert_string_equal(init_kind_name(INIT_NODE_EXPORTER), "node-exporter");
}

static void test_host_name_of_a_target(void **state)
{
	static const char *const cases[][2] = {
		{ "monk", "monk" },
		{ "root@127.0.0.2:22", "127.0.0.2" },
		{ "admin@nas.lan", "nas.lan" },
		{ "[::1]:2222", "--1" },
		{ "we!rd host", "we-rd-host" },
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		char *n = init_host_name(cases[i][0]);

		assert_string_equal(n, cases[i][1]);
		free(n);
	}
}

static void test_fix_for_each_kind_of_error(void **state)
{
	static const struct { const char *error, *phrase; } cases[] = {
		{ "ssh: cannot connect to 10.0.0.9 port 22: Connection refused", "is sshd running" },
		{ "ssh: cannot resolve nas: Name or service not known", "HostName" },
		{ "ssh: no answer from 10.0.0.9 port 22 within 8 s", "firewall" },
		{ "ssh: nas (10.0.0.9:22) is not a known host. Its ed25519 key has the fingerprint",
		  "accept its host key" },
		{ "ssh: host key mismatch for nas (10.0.0.9:22): its ed25519 key is now", "ssh-keygen -R" },
		{ "ssh: no key to offer to nas for user root: no ssh-agent key", "keys only" },
		{ "ssh: nas refused every key offered for user root (publickey)", "keys only" },
		{ "docker: permission denied on /var/run/docker.sock", "docker group" },
		{ "docker: connection refused (is dockerd running?)", "start the Docker engine" },
		{ "docker: sh: 1: docker: not found", "install Docker" },
	};
	char *fix;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		fix = init_fix(cases[i].error, "nas");
		assert_non_null(fix);
		if (strstr(fix, cases[i].phrase) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].error, fix, cases[i].phrase);
		free(fix);
	}
	assert_null(init_fix(NULL, "nas"));
	assert_null(init_fix("something else entirely", "nas"));
}

/* Two hosts that answered (monk runs cloudflared and postgres, kscloud1
 * redis), one given host that did not, one from ~/.ssh/config without
 * Docker. */
static void make_hosts(struct init_host h[4])
{
	memset(h, 0, 4 * sizeof *h);
	h[0].name = xstrdup("monk");
	h[0].target = xstrdup("monk");
	h[0].address = xstrdup("127.0.0.2");
	h[0].docker_version = xstrdup("20.10.24");
	h[0].ncontainers = 13;
	h[0].found[INIT_CLOUDFLARED] = xstrdup("cloudflared");
	h[0].found[INIT_POSTGRES] = xstrdup("db");
	h[0].found[INIT_NODE_EXPORTER] = xstrdup("node-exporter");
	h[0].ms = 400;
	h[1].name = xstrdup("monk");   /* the same name twice: made unique */
	h[1].target = xstrdup("root@monk:2222");
	h[1].docker_version = xstrdup("27.1.0");
	h[1].ncontainers = 1;
	h[1].found[INIT_REDIS] = xstrdup("cache");
	h[2].name = xstrdup("nas");
	h[2].target = xstrdup("nas");
	h[2].error = xstrdup("ssh: cannot connect to 10.0.0.9 port 22: Connection refused\nmore");
	h[3].name = xstrdup("github.com");
	h[3].target = xstrdup("github.com");
	h[3].from_ssh_config = true;
	h[3].docker_error = xstrdup("docker: sh: docker: not found");
}

static void test_config_text_loads_and_says_what_was_found(void **state)
{
	struct init_host h[4];
	struct config *cfg;
	char *text, *cause = NULL;

	make_hosts(h);
	text = init_config_text(h, 4, "2026-12-06 22:30 UTC");
	cfg = config_parse("init.conf", text, strlen(text), &cause);
	if (cfg == NULL)
		fail_msg("does not load: %s\n%s", cause, text);
	/* monk, monk-2 and nas; github.com commented out (from ssh_config, no Docker) */
	assert_int_equal(cfg->nhosts, 3);
	assert_string_equal(cfg->hosts[0].name, "monk");
	assert_string_equal(cfg->hosts[0].ssh, "monk");
	assert_string_equal(cfg->hosts[0].address, "127.0.0.2");
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_SSH);
	assert_null(cfg->hosts[0].tunnel_container);   /* offered, commented: no readiness URL yet */
	assert_string_equal(cfg->hosts[1].name, "monk-2");
	assert_string_equal(cfg->hosts[1].ssh, "root@monk:2222");
	assert_string_equal(cfg->hosts[2].name, "nas");
	assert_null(config_host_by_name(cfg, "github.com"));
	/* a service a kind found, named by the kind, its container as found */
	assert_int_equal(cfg->nservices, 4);
	assert_string_equal(cfg->services[0].name, "cloudflared");
	assert_string_equal(cfg->services[1].name, "node-exporter");
	assert_string_equal(cfg->services[2].name, "postgres");
	assert_string_equal(cfg->services[2].container, "db");
	assert_string_equal(cfg->services[3].name, "redis");
	assert_string_equal(cfg->services[3].container, "cache");
	/* the shared services that need credentials: offered, commented */
	assert_null(cfg->postgres);
	assert_null(cfg->redis);
	assert_non_null(strstr(text, "; [postgres]\n"));
	assert_non_null(strstr(text, "; via = monk\n"));
	assert_non_null(strstr(text, "; [redis]\n"));
	assert_non_null(strstr(text, "; via = monk-2\n"));
	assert_non_null(strstr(text, "; tunnel_container = cloudflared\n"));
	assert_non_null(strstr(text, "; prom_selector = instance=\"127.0.0.2:9100\"\n"));
	assert_non_null(strstr(text, "2026-12-06 22:30 UTC"));
	/* the error, on one comment line, with its fix */
	assert_non_null(strstr(text, "; nas: NOT reachable: ssh: cannot connect to 10.0.0.9 port 22: "
	                             "Connection refused more\n;   fix: is sshd running"));
	assert_non_null(strstr(text, "; [host github.com]\n"));
	config_free(cfg);
	free(text);
	for (int i = 0; i < 4; i++)
		init_host_done(&h[i]);
}

static void test_config_text_with_no_host_answering_still_loads(void **state)
{
	struct init_host h = { .name = xstrdup("a"), .target = xstrdup("a"),
	                       .from_ssh_config = true, .error = xstrdup("ssh: cannot resolve a") };
	char *text = init_config_text(&h, 1, "now"), *cause = NULL;
	struct config *cfg = config_parse("init.conf", text, strlen(text), &cause);

	if (cfg == NULL)
		fail_msg("does not load: %s\n%s", cause, text);
	assert_true(cfg->nhosts == 1 && cfg->hosts[0].implicit);   /* this machine */
	assert_non_null(strstr(text, "No host answered"));
	config_free(cfg);
	free(text);
	init_host_done(&h);
}

static void test_report(void **state)
{
	struct init_host h[4];
	struct buf b;

	make_hosts(h);
	buf_init(&b);
	init_report(h, 4, &b);
	assert_string_equal(buf_cstr(&b),
		"monk: reachable (0.4 s), Docker 20.10.24, 13 containers; found cloudflared, "
		"node-exporter, postgres (db)\n"
		"monk: reachable (0.0 s), Docker 27.1.0, 1 container; found redis (cache)\n"
		"nas: NOT reachable: ssh: cannot connect to 10.0.0.9 port 22: Connection refused more\n"
		"    fix: is sshd running on nas, on that port? `ssh nas` must work first\n"
		"github.com: reachable (0.0 s), Docker NOT reachable: docker: sh: docker: not found\n"
		"    fix: install Docker on github.com, or put the docker command in the PATH of the SSH user\n"
		"3 of 4 hosts reachable, 2 with Docker\n");
	buf_done(&b);
	for (int i = 0; i < 4; i++)
		init_host_done(&h[i]);
}

static void test_ssh_config_hosts_skip_patterns(void **state)
{
	static const char text[] =
		"# mine\n"
		"Host monk kscloud1\n  HostName 127.0.0.2\n"
		"Host *.lan !bad.lan\n  User x\n"
		"host=nas\n"
		"  Host \"quoted\" MONK\n"
		"Match all\n"
		"Host ?x\n"
		"HostName notahost\n"
		"Host *\n  IdentityFile ~/.ssh/k\n";
	size_t n = 0;
	char **hosts = ssh_config_hosts(text, sizeof text - 1, &n);

	assert_int_equal(n, 4);
	assert_string_equal(hosts[0], "monk");
	assert_string_equal(hosts[1], "kscloud1");
	assert_string_equal(hosts[2], "nas");
	assert_string_equal(hosts[3], "quoted");
	ssh_config_hosts_free(hosts, n);
	hosts = ssh_config_hosts("", 0, &n);
	assert_int_equal(n, 0);
	ssh_config_hosts_free(hosts, n);
}

static void test_cli_init(void **state)
{
	struct cli c;
	char *cause = NULL;
	const char *const a1[] = { "kitetop", "init", NULL };
	const char *const a2[] = { "kitetop", "init", "monk", "--stdout", "root@10.0.0.9:2222", NULL };
	const char *const a3[] = { "kitetop", "status", "--stdout", NULL };
	const char *const a4[] = { "kitetop", "status", "--exit-code", "--log", "x.log", NULL };

	assert_int_equal(cli_parse(2, a1, &c, &cause), 0);
	assert_int_equal(c.verb, CLI_INIT);
	assert_int_equal(c.init_nhosts, 0);
	assert_false(c.init_stdout);
	assert_int_equal(cli_parse(5, a2, &c, &cause), 0);
	assert_int_equal(c.init_nhosts, 2);
	assert_string_equal(c.init_hosts[0], "monk");
	assert_string_equal(c.init_hosts[1], "root@10.0.0.9:2222");
	assert_true(c.init_stdout);
	assert_int_equal(cli_parse(3, a3, &c, &cause), -1);
	assert_non_null(strstr(cause, "--stdout"));
	free(cause);
	cause = NULL;
	assert_int_equal(cli_parse(5, a4, &c, &cause), 0);
	assert_true(c.exit_code);
	assert_string_equal(c.log, "x.log");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_by_image),
		cmocka_unit_test(test_detect_by_name_when_the_image_says_nothing),
		cmocka_unit_test(test_host_name_of_a_target),
		cmocka_unit_test(test_fix_for_each_kind_of_error),
		cmocka_unit_test(test_config_text_loads_and_says_what_was_found),
		cmocka_unit_test(test_config_text_with_no_host_answering_still_loads),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_ssh_config_hosts_skip_patterns),
		cmocka_unit_test(test_cli_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
