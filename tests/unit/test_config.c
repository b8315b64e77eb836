/* Unit tests of core/config's parser: the KiteStacks example (examples/),
 * defaults, every kind of bad input with its line number, secrets.  Paths,
 * lookup and the default configuration are in test_config_env.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config/config.h"
#include "core/base/util.h"
#include "tests/support/config_test.h"

#define FIXTURE CONFIG_TEST_FIXTURE

/* ---- the example ---------------------------------------------------------------- */

static void test_kitestacks_example_loads_every_setting(void **state)
{
	char *cause = NULL, *p;
	struct config *cfg = config_load(FIXTURE, &cause);
	const struct config_host *monk, *ks;

	if (cfg == NULL)
		fail_msg("%s", cause);
	assert_string_equal(cfg->path, FIXTURE);
	assert_int_equal(cfg->refresh_ms, 2000);
	assert_int_equal(cfg->timeout_ms, 5000);
	assert_string_equal(cfg->theme, "cyberpunk");
	assert_false(cfg->read_only);
	p = config_test_home_path(".local/state/kitetop/audit.log");
	assert_string_equal(cfg->audit_log, p);
	free(p);
	assert_false(cfg->bell);
	assert_true(cfg->mouse);

	assert_int_equal(cfg->nhosts, 2);
	monk = config_host_by_name(cfg, "monk");
	assert_ptr_equal(monk, &cfg->hosts[0]);
	assert_int_equal(monk->line, 7);
	assert_string_equal(monk->address, "100.101.1.10");
	assert_string_equal(monk->ssh, "kite@100.101.1.10:22");
	p = config_test_home_path(".ssh/id_ed25519");
	assert_string_equal(monk->identity_file, p);
	free(p);
	p = config_test_home_path(".ssh/known_hosts");
	assert_string_equal(monk->known_hosts, p);
	free(p);
	assert_int_equal(monk->docker, CONFIG_DOCKER_SSH);
	assert_null(monk->docker_url);
	assert_string_equal(monk->docker_socket, "/var/run/docker.sock");
	assert_null(monk->tls_ca);
	assert_string_equal(monk->prom_selector, "instance=\"100.101.1.10:9100\"");
	assert_string_equal(monk->tunnel_container, "cloudflared");
	assert_string_equal(monk->tunnel_ready, "http://127.0.0.1:2000/ready");
	assert_null(monk->tunnel_origin_ip);
	assert_int_equal(monk->stop_timeout, 35);
	assert_false(monk->implicit);

	ks = config_host_by_name(cfg, "kscloud1");
	assert_non_null(ks);
	assert_int_equal(ks->line, 18);
	assert_string_equal(ks->address, "100.101.1.20");   /* from ssh */
	assert_string_equal(ks->ssh, "kite@100.101.1.20");
	assert_null(ks->identity_file);
	assert_int_equal(ks->docker, CONFIG_DOCKER_SSH);
	assert_null(ks->docker_socket);
	assert_string_equal(ks->prom_selector, "instance=\"100.101.1.20:9100\"");
	assert_string_equal(ks->tunnel_container, "cloudflared");
	assert_null(ks->tunnel_ready);
	assert_null(config_host_by_name(cfg, "nope"));

	assert_non_null(cfg->prometheus);
	assert_int_equal(cfg->prometheus->line, 24);
	assert_string_equal(cfg->prometheus->url, "http://127.0.0.1:9090");
	assert_string_equal(cfg->prometheus->via, "monk");
	assert_null(cfg->prometheus->user);
	assert_null(cfg->prometheus->password.value);
	assert_null(cfg->prometheus->token.value);
	assert_false(cfg->prometheus->insecure);

	assert_non_null(cfg->postgres);
	assert_int_equal(cfg->postgres->line, 28);
	assert_string_equal(cfg->postgres->conninfo,
	                    "host=127.0.0.1 port=5432 dbname=postgres user=kitetop connect_timeout=5");
	p = config_test_home_path(".config/kitetop/pg.pass");
	assert_string_equal(cfg->postgres->password.file, p);
	free(p);
	assert_null(cfg->postgres->password.env);
	assert_string_equal(cfg->postgres->password.value, "pg-secret");
	assert_string_equal(cfg->postgres->via, "kscloud1");
	assert_false(cfg->postgres->show_queries);

	assert_non_null(cfg->redis);
	assert_string_equal(cfg->redis->address, "127.0.0.1:6379");
	assert_string_equal(cfg->redis->via, "kscloud1");
	assert_null(cfg->redis->user);
	assert_null(cfg->redis->password.value);

	assert_non_null(cfg->authentik);
	assert_string_equal(cfg->authentik->url, "http://127.0.0.1:9000");
	assert_string_equal(cfg->authentik->public_url, "https://auth.kitestacks.com");
	assert_string_equal(cfg->authentik->token.value, "ak-token");   /* \r\n stripped */
	assert_false(cfg->authentik->insecure);

	assert_non_null(cfg->cloudflare);
	assert_int_equal(cfg->cloudflare->line, 42);
	assert_string_equal(cfg->cloudflare->account_id, "0123abcd");
	assert_string_equal(cfg->cloudflare->tunnel_id, "6ff42ae2-765d-4adf-8112-31c55c1551ef");
	assert_string_equal(cfg->cloudflare->token.value, "cf-token");
	assert_string_equal(cfg->cloudflare->api_url, "https://api.cloudflare.com/client/v4");
	assert_int_equal(cfg->cloudflare->refresh_ms, 30000);

	assert_int_equal(cfg->nservices, 1);
	assert_string_equal(cfg->services[0].name, "grafana");
	assert_int_equal(cfg->services[0].line, 48);
	assert_string_equal(cfg->services[0].container, "grafana");
	assert_string_equal(cfg->services[0].health, "http://127.0.0.1:3000/api/health");
	assert_int_equal(cfg->services[0].expect_min, 200);
	assert_int_equal(cfg->services[0].expect_max, 299);
	assert_string_equal(cfg->services[0].public_url, "https://grafana.kitestacks.com/api/health");

	assert_int_equal(cfg->npanels, 1);
	assert_string_equal(cfg->panels[0].title, "HTTP 5xx / s");
	assert_int_equal(cfg->panels[0].line, 53);
	assert_string_equal(cfg->panels[0].query,
	                    "sum(rate(traefik_service_requests_total{code=~\"5..\"}[5m]))");
	assert_int_equal(cfg->panels[0].unit, CONFIG_UNIT_PLAIN);
	assert_false(cfg->panels[0].has_warn);
	assert_false(cfg->panels[0].has_crit);
	assert_false(cfg->panels[0].per_host);
	config_free(cfg);
}

static void test_unset_keys_take_defaults_and_xdg_state_home(void **state)
{
	struct config *cfg = config_test_parse_ok("[host a]\n");
	char *p = config_test_home_path(".local/state/kitetop/audit.log");

	assert_int_equal(cfg->refresh_ms, CONFIG_DEFAULT_REFRESH_MS);
	assert_int_equal(cfg->timeout_ms, CONFIG_DEFAULT_TIMEOUT_MS);
	assert_true(cfg->mouse);
	assert_false(cfg->read_only);
	assert_false(cfg->bell);
	assert_null(cfg->theme);
	assert_string_equal(cfg->audit_log, p);
	assert_int_equal(cfg->nhosts, 1);
	assert_string_equal(cfg->hosts[0].name, "a");
	assert_null(cfg->hosts[0].address);
	assert_null(cfg->hosts[0].ssh);
	assert_int_not_equal(cfg->hosts[0].docker, CONFIG_DOCKER_DEFAULT);
	assert_int_equal(cfg->hosts[0].stop_timeout, 35);
	assert_null(cfg->prometheus);
	assert_null(cfg->cloudflare);
	free(p);
	config_free(cfg);

	setenv("XDG_STATE_HOME", "/srv/state", 1);
	cfg = config_test_parse_ok("[kitetop]\nbell = yes\nmouse = off\nread_only = true\ntimeout = 1.5\n");
	assert_string_equal(cfg->audit_log, "/srv/state/kitetop/audit.log");
	assert_true(cfg->bell);
	assert_false(cfg->mouse);
	assert_true(cfg->read_only);
	assert_int_equal(cfg->timeout_ms, 1500);
	config_free(cfg);
}

static void test_every_key_parsed_into_its_field(void **state)
{
	struct config *cfg;

	setenv("KT_TEST_PROM_TOKEN", "prom-token", 1);
	setenv("KT_TEST_REDIS_PW", "redis-pw", 1);
	cfg = config_test_parse_ok(
		"[kitetop]\n"
		"refresh = 0.5\n"
		"theme = ~/themes/mine.theme\n"
		"audit_log = $XDG_STATE_HOME/x.log\n"
		"[host box]\n"
		"address = box.lan\n"
		"docker = tcp://10.0.0.5:2376\n"
		"tls_ca = ~/ca.pem\n"
		"tls_cert = ~/cert.pem\n"
		"tls_key = ~/key.pem\n"
		"tunnel_origin_ip = 203.0.113.7\n"
		"stop_timeout = 60\n"
		"[host alias]\n"
		"ssh = kscloud1\n"
		"[prometheus]\n"
		"url = https://prom.example:9090/\n"
		"token_env = KT_TEST_PROM_TOKEN\n"
		"tls_ca = /etc/ssl/ca.pem\n"
		"insecure = yes\n"
		"via = alias\n"
		"[redis]\n"
		"address = [fd00::1]:6379\n"
		"user = kitetop\n"
		"password_env = KT_TEST_REDIS_PW\n"
		"[authentik]\n"
		"public_url = https://auth.example\n"
		"[cloudflare]\n"
		"account_id = abc\n"
		"tunnel_id = 6FF42AE2-765D-4ADF-8112-31C55C1551EF\n"
		"token_env = KT_TEST_PROM_TOKEN\n"
		"refresh = 60\n"
		"[service web]\n"
		"container = web-1\n"
		"expect = 200-399\n"
		"[service api]\n"
		"container = api\n"
		"expect = 3xx\n"
		"health = http://{address}:8080/{name}\n"
		"[service one]\n"
		"container = one\n"
		"expect = 204\n"
		"[panel \"Disk # used ; root\"]\n"
		"query = node_filesystem_avail_bytes\n"
		"unit = bytes\n"
		"warn = 1e9\n"
		"crit = -2.5\n"
		"per_host = yes\n");
	assert_int_equal(cfg->refresh_ms, 500);
	assert_true(strstr(cfg->theme, "/themes/mine.theme") != NULL && cfg->theme[0] == '/');
	assert_true(strstr(cfg->audit_log, "/.local/state/x.log") != NULL);
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_TCP);
	assert_string_equal(cfg->hosts[0].docker_url, "10.0.0.5:2376");
	assert_string_equal(cfg->hosts[0].address, "box.lan");
	assert_non_null(cfg->hosts[0].tls_key);
	assert_string_equal(cfg->hosts[0].tunnel_origin_ip, "203.0.113.7");
	assert_int_equal(cfg->hosts[0].stop_timeout, 60);
	assert_string_equal(cfg->hosts[1].address, "kscloud1");
	assert_int_equal(cfg->hosts[1].docker, CONFIG_DOCKER_SSH);
	assert_string_equal(cfg->prometheus->token.env, "KT_TEST_PROM_TOKEN");
	assert_string_equal(cfg->prometheus->token.value, "prom-token");
	assert_null(cfg->prometheus->token.file);
	assert_true(cfg->prometheus->insecure);
	assert_string_equal(cfg->redis->password.value, "redis-pw");
	assert_string_equal(cfg->redis->address, "[fd00::1]:6379");
	assert_null(cfg->authentik->url);
	assert_int_equal(cfg->cloudflare->refresh_ms, 60000);
	assert_string_equal(cfg->cloudflare->api_url, CONFIG_DEFAULT_CLOUDFLARE_API);
	assert_int_equal(cfg->services[0].expect_min, 200);
	assert_int_equal(cfg->services[0].expect_max, 399);
	assert_int_equal(cfg->services[1].expect_min, 300);
	assert_int_equal(cfg->services[1].expect_max, 399);
	assert_int_equal(cfg->services[2].expect_min, 204);
	assert_int_equal(cfg->services[2].expect_max, 204);
	assert_string_equal(cfg->panels[0].title, "Disk # used ; root");
	assert_int_equal(cfg->panels[0].unit, CONFIG_UNIT_BYTES);
	assert_true(cfg->panels[0].has_warn);
	assert_true(cfg->panels[0].has_crit);
	assert_true(cfg->panels[0].warn == 1e9);
	assert_true(cfg->panels[0].crit == -2.5);
	assert_true(cfg->panels[0].per_host);
	config_free(cfg);
	unsetenv("KT_TEST_PROM_TOKEN");
	unsetenv("KT_TEST_REDIS_PW");
}

static void test_bom_crlf_indents_and_comments_keep_values(void **state)
{
	/* BOM, CRLF, indented keys, inline comments after a blank, ';' and '#' kept
	 * when not after a blank, full-line comments of both kinds */
	struct config *cfg = config_test_parse_ok(
		"\xef\xbb\xbf# a comment\r\n"
		"; another\r\n"
		"[ host  a ]   ; trailing comment\r\n"
		"   prom_selector = job=\"a;b#c\"\t# comment\r\n"
		"\t\ttunnel_ready = http://h/x#frag ; comment\r\n"
		"\n"
		"[panel \"P\"]#comment\n"
		"query = up{job=~\"a|b\"} # why\n"
		"unit = percent");
	assert_string_equal(cfg->hosts[0].name, "a");
	assert_string_equal(cfg->hosts[0].prom_selector, "job=\"a;b#c\"");
	assert_string_equal(cfg->hosts[0].tunnel_ready, "http://h/x#frag");
	assert_string_equal(cfg->panels[0].query, "up{job=~\"a|b\"}");
	assert_int_equal(cfg->panels[0].unit, CONFIG_UNIT_PERCENT);
	config_free(cfg);
}

static void test_empty_file_errors_kitetop_alone_is_this_machine(void **state)
{
	struct config *cfg;

	/* empty, or comments only: an error that names the file and line */
	config_test_expect_error_s("", 1, "no sections");
	config_test_expect_error_s("# only comments\n\n   \n", 4, "no sections");
	/* [kitetop] settings alone: this machine is the one host */
	cfg = config_test_parse_ok("# only comments\n\n   \n[kitetop]\nrefresh = 10\n");
	assert_int_equal(cfg->nhosts, 1);
	assert_true(cfg->hosts[0].implicit);
	assert_null(cfg->hosts[0].ssh);
	assert_int_equal(cfg->refresh_ms, 10000);
	config_free(cfg);
}

/* ---- bad input ------------------------------------------------------------------- */

static void test_bad_refresh_or_stop_timeout_is_an_error(void **state)
{
	config_test_expect_error_s("[kitetop]\nrefresh = fast\n", 2, "not a number of seconds");
	config_test_expect_error_s("[kitetop]\nrefresh = 0\n", 2, "out of range");
	config_test_expect_error_s("[kitetop]\nrefresh = -1\n", 2, "not a number of seconds");
	config_test_expect_error_s("[kitetop]\nrefresh = 0.1\n", 2, "out of range");
	config_test_expect_error_s("[kitetop]\nrefresh = 3601\n", 2, "out of range");
	config_test_expect_error_s("[kitetop]\nrefresh = 1e3\n", 2, "not a number of seconds");
	config_test_expect_error_s("[kitetop]\nrefresh = 2s\n", 2, "not a number of seconds");
	config_test_expect_error_s("[kitetop]\n\nrefresh = 99999999999999999999\n", 3, "out of range");
	config_test_expect_error_s("[cloudflare]\nrefresh = 0.5\n", 2, "out of range");
	config_test_expect_error_s("[host a]\nstop_timeout = 1.5\n", 2, "whole number");
}

static void test_bad_booleans_and_enums(void **state)
{
	config_test_expect_error_s("[kitetop]\nread_only = maybe\n", 2, "use yes or no");
	config_test_expect_error_s("[kitetop]\nmouse = \n", 2, "mouse has no value");
	config_test_expect_error_s("[prometheus]\nurl = http://p\ninsecure = 2\n", 3, "use yes or no");
	config_test_expect_error_s("[panel \"p\"]\nquery = up\nunit = furlongs\n", 3, "use bytes, percent");
	config_test_expect_error_s("[panel \"p\"]\nquery = up\nwarn = lots\n", 3, "not a number");
	config_test_expect_error_s("[panel \"p\"]\nquery = up\ncrit = inf\n", 3, "not a number");
	config_test_expect_error_s("[service s]\ncontainer = s\nexpect = ok\n", 3, "expect");
	config_test_expect_error_s("[service s]\ncontainer = s\nexpect = 600\n", 3, "expect");
	config_test_expect_error_s("[service s]\ncontainer = s\nexpect = 399-200\n", 3, "expect");
	config_test_expect_error_s("[service s]\ncontainer = -bad\n", 2, "not a container name");
}

static void test_bad_docker(void **state)
{
	config_test_expect_error_s("[host a]\ndocker = podman\n", 2, "use ssh, unix:///path");
	config_test_expect_error_s("[host a]\ndocker = unix://var/run/docker.sock\n", 2, "absolute socket path");
	config_test_expect_error_s("[host a]\ndocker = tcp://10.0.0.1\n", 2, "no port");
	config_test_expect_error_s("[host a]\ndocker = tcp://10.0.0.1:99999\n", 2, "port must be");
	config_test_expect_error_s("[host a]\naddress = a\n\ndocker = ssh\n", 4, "has no ssh");
	config_test_expect_error_s("[host a]\ndocker_socket = /run/docker.sock\n", 2, "docker = ssh");
	config_test_expect_error_s("[host a]\nssh = a\ndocker_socket = run/docker.sock\n", 3, "absolute path");
	config_test_expect_error_s("[host a]\ndocker = unix:///s\ntls_ca = /ca\n", 3, "tcp://");
	config_test_expect_error_s("[host a]\ndocker = tcp://h:2376\ntls_cert = /c\n", 3, "go together");
}

static void test_bad_urls_are_errors_without_the_secret(void **state)
{
	config_test_expect_error_s("[prometheus]\nurl = ftp://p:21\n", 2, "http:// or https://");
	config_test_expect_error_s("[prometheus]\nurl = 127.0.0.1:9090\n", 2, "http:// or https://");
	config_test_expect_error_s("[prometheus]\nurl = http://\n", 2, "host is empty");
	config_test_expect_error_s("[prometheus]\nurl = http://user:s3cr3t@p/\n", 2, "credentials");
	{
		const char *text = "[prometheus]\nurl = http://user:s3cr3t@p/\n";
		char *cause = NULL;

		assert_null(config_parse("t.conf", text, strlen(text), &cause));
		assert_null(strstr(cause, "s3cr3t"));   /* a secret is never repeated */
		free(cause);
	}
	config_test_expect_error_s("[prometheus]\nurl = http://p:0/\n", 2, "port");
	config_test_expect_error_s("[authentik]\nurl = http://{host}:9000\n", 2, "unknown placeholder");
	config_test_expect_error_s("[authentik]\npublic_url = https://{address}/\n", 2, "placeholders are not replaced");
	config_test_expect_error_s("[cloudflare]\napi_url = api.cloudflare.com\n", 2, "http:// or https://");
	config_test_expect_error_s("[service s]\ncontainer = s\nhealth = http://a b/\n", 3, "space");
}

static void test_bad_ssh_and_addresses(void **state)
{
	config_test_expect_error_s("[host a]\nssh = -oProxyCommand=x\n", 2, "not an ssh target");
	config_test_expect_error_s("[host a]\nssh = @host\n", 2, "user before @ is empty");
	config_test_expect_error_s("[host a]\nssh = kite@\n", 2, "host after @ is empty");
	config_test_expect_error_s("[host a]\nssh = kite@h:ssh\n", 2, "port must be");
	config_test_expect_error_s("[host a]\nssh = kite@[fd00::1\n", 2, "closing ]");
	config_test_expect_error_s("[host a]\naddress = 10.0.0.1:22\n", 2, "not an IPv4 or IPv6 address");
	config_test_expect_error_s("[host a]\naddress = a/b\n", 2, "not a host name");
	config_test_expect_error_s("[host a]\ntunnel_origin_ip = 300.1.1.1\n", 2, "not an IPv4");
	config_test_expect_error_s("[redis]\naddress = localhost\n", 2, "has no port");
	config_test_expect_error_s("[host a]\nprom_selector = {instance=\"x\"}\n", 2, "without braces");
	config_test_expect_error_s("[cloudflare]\ntunnel_id = 1234\n", 2, "not a UUID");
	config_test_expect_error_s("[cloudflare]\naccount_id = ab-cd\n", 2, "letters and digits");
}

static void test_ssh_target_forms_give_the_address(void **state)
{
	struct config *cfg = config_test_parse_ok("[host a]\nssh = kite@[fd00::1]:2222\n[host b]\nssh = root@fd00::2\n"
	                              "[host c]\nssh = c.example:22\n");

	assert_string_equal(cfg->hosts[0].address, "fd00::1");
	assert_string_equal(cfg->hosts[1].address, "fd00::2");
	assert_string_equal(cfg->hosts[2].address, "c.example");
	config_free(cfg);
}

static void test_ssh_url_and_quoted_host_names(void **state)
{
	struct config *cfg = config_test_parse_ok("[host \"alpha\"]\nssh = ssh://root@10.0.0.5:2022\n"
	                                          "[host beta]\nssh = ssh://kite@beta.lab/\n");

	assert_string_equal(cfg->hosts[0].name, "alpha");
	assert_string_equal(cfg->hosts[0].address, "10.0.0.5");   /* not "ssh://root@..." */
	assert_string_equal(cfg->hosts[0].ssh, "ssh://root@10.0.0.5:2022");
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_SSH);
	assert_string_equal(cfg->hosts[1].address, "beta.lab");
	config_free(cfg);
	config_test_expect_error_s("[host a]\nssh = ssh://h/var/run/docker.sock\n", 2, "(no path)");
	config_test_expect_error_s("[host \"al pha\"]\n", 1, "may only contain letters");
	config_test_expect_error_s("[host \"alpha]\n", 1, "host name needs its closing \"");
}

static void test_duplicate_sections_and_keys_are_errors(void **state)
{
	config_test_expect_error_s("[host a]\n[host b]\n\n[host a]\n", 4, "appears twice (first on line 1)");
	config_test_expect_error_s("[service s]\ncontainer = s\n[service s]\n", 3, "appears twice (first on line 1)");
	config_test_expect_error_s("[panel \"A b\"]\nquery = up\n[panel \"A b\"]\n", 3, "appears twice (first on line 1)");
	config_test_expect_error_s("[kitetop]\n[prometheus]\nurl = http://p\n[kitetop]\n", 4, "[kitetop] appears twice");
	config_test_expect_error_s("[redis]\naddress = r:1\n[redis]\n", 3, "[redis] appears twice");
	config_test_expect_error_s("[host a]\nssh = a\nssh = b\n", 3, "set twice in [host a] (first on line 2)");
}

static void test_unknown_via_and_missing_required_keys_are_errors(void **state)
{
	config_test_expect_error_s("[prometheus]\nurl = http://p\nvia = ghost\n", 3, "there is no [host ghost]");
	config_test_expect_error_s("[host local]\n[redis]\naddress = r:1\nvia = local\n", 4, "has no ssh");
	config_test_expect_error_s("[host a]\nssh = a\n[service web]\nhealth = http://x/\n", 3, "[service web] needs container");
	config_test_expect_error_s("[panel \"Load\"]\nunit = plain\n", 1, "[panel \"Load\"] needs query");
	config_test_expect_error_s("[kitetop]\n[prometheus]\nvia = x\n", 2, "needs url");
	config_test_expect_error_s("[postgres]\nshow_queries = yes\n", 1, "needs conninfo");
	config_test_expect_error_s("[redis]\n", 1, "needs address");
	config_test_expect_error_s("[authentik]\ninsecure = no\n", 1, "needs url or public_url");
	config_test_expect_error_s("[cloudflare]\ntunnel_id = 6ff42ae2-765d-4adf-8112-31c55c1551ef\n"
	               "token_file = ~/.config/kitetop/cloudflare.token\n", 1, "needs account_id");
	config_test_expect_error_s("[cloudflare]\naccount_id = a\ntoken_file = ~/.config/kitetop/cloudflare.token\n",
	               1, "needs tunnel_id");
	config_test_expect_error_s("[cloudflare]\naccount_id = a\ntunnel_id = 6ff42ae2-765d-4adf-8112-31c55c1551ef\n",
	               1, "needs token_file or token_env");
	config_test_expect_error_s("[redis]\naddress = r:1\nuser = u\n", 3, "no password");
	config_test_expect_error_s("[prometheus]\nurl = http://p\npassword_file = ~/.config/kitetop/pg.pass\n", 1,
	               "password but no user");
}

static void test_unknown_sections_and_keys(void **state)
{
	config_test_expect_error_s("[kitetop]\n\n[mysql]\n", 3, "unknown section [mysql]");
	config_test_expect_error_s("[Host a]\n", 1, "unknown section [Host a]");
	config_test_expect_error_s("[kitetop]\nrefesh = 2\n", 2, "unknown key refesh in [kitetop] (did you mean refresh?)");
	config_test_expect_error_s("[host a]\nhostname = x\n", 2, "unknown key hostname in [host a]");
	config_test_expect_error_s("[service s]\ncontainer = s\nread-only = 1\n", 3, "unknown key read-only");
	config_test_expect_error_s("[kitetop extra]\n", 1, "[kitetop] takes no name");
	config_test_expect_error_s("[host a] junk\n", 1, "unexpected text after the section header");
}

static void test_malformed_section_headers_are_errors(void **state)
{
	config_test_expect_error_s("[kitetop]\n[host]\n", 2, "[host] needs a name");
	config_test_expect_error_s("[service   ]\n", 1, "[service] needs a name");
	config_test_expect_error_s("\n[]\n", 2, "empty section header");
	config_test_expect_error_s("[panel]\n", 1, "[panel] needs a title");
	config_test_expect_error_s("[panel Load]\n", 1, "must be in double quotes");
	config_test_expect_error_s("[panel \"Load]\n", 1, "closing \"");
	config_test_expect_error_s("[panel \"\"]\n", 1, "title is empty");
	config_test_expect_error_s("[host a\n", 1, "no closing ]");
}

static void test_host_names_with_blanks_controls_or_utf8_refused(void **state)
{
	config_test_expect_error_s("[host my host]\n", 1, "host name \"my host\" may only contain");
	config_test_expect_error_s("[host a\tb]\n", 1, "may only contain");
	config_test_expect_error_s("[kitetop]\n[host a\x01]\n", 2, "control character 0x01");
	config_test_expect_error_s("[host \xc3\xa9t\xc3\xa9]\n", 1, "may only contain");
}

static void test_key_without_value_is_an_error(void **state)
{
	config_test_expect_error_s("[kitetop]\nrefresh =\n", 2, "refresh has no value");
	config_test_expect_error_s("[kitetop]\nrefresh = ; comment\n", 2, "refresh has no value");
}

static void test_malformed_key_lines_are_errors(void **state)
{
	config_test_expect_error_s("[kitetop]\nrefresh\n", 2, "found no '='");
	config_test_expect_error_s("[kitetop]\nrefresh: 2\n", 2, "expected KEY = VALUE");
	config_test_expect_error_s("[kitetop]\n= 2\n", 2, "expected KEY = VALUE");
	config_test_expect_error_s("refresh = 2\n[kitetop]\n", 1, "outside any section");
	config_test_expect_error_s("[kitetop]\ntheme = a\rb\n", 2, "control character 0x0d");
	config_test_expect_error_s("[kitetop]\ntheme = bad name\n", 2, "theme name");
}

static void test_binary_or_invalid_utf8_is_an_error(void **state)
{
	static const char nul[] = "[kitetop]\nrefresh = 2\n\x7f" "ELF\x02\x01\x01\0\0\0";
	static const char nul2[] = "[kitetop]\n\nthe\0me = x\n";

	config_test_expect_error(nul, sizeof(nul) - 1, 3, "control character 0x7f");
	config_test_expect_error(nul2, sizeof(nul2) - 1, 3, "binary content");
	config_test_expect_error_s("[kitetop]\ntheme = \xff\xfe\n", 2, "invalid UTF-8");
	config_test_expect_error_s("[kitetop]\ntheme = \xc0\xaf\n", 2, "invalid UTF-8");        /* overlong */
	config_test_expect_error_s("[kitetop]\ntheme = \xed\xa0\x80\n", 2, "invalid UTF-8");    /* surrogate */
	config_test_expect_error_s("[kitetop]\ntheme = \xe2\x82\n", 2, "invalid UTF-8");        /* cut short */
}

static void test_file_over_1_mb_is_an_error_on_its_line(void **state)
{
	size_t big = 10u * 1024 * 1024, i;
	char *text = xmalloc(big + 1), *p, *cause = NULL;
	struct config *cfg;
	int expect_line = CONFIG_MAX_BYTES / 100 + 1;
	char phrase[64];

	/* 10 MB of 100-byte comment lines */
	for (i = 0; i + 100 <= big; i += 100) {
		memset(text + i, 'x', 99);
		text[i] = '#';
		text[i + 99] = '\n';
	}
	memset(text + i, 'x', big - i);
	text[big] = '\0';
	config_test_expect_error(text, big, expect_line, "over 1048576 bytes");
	p = config_test_home_path("big.conf");
	config_test_write_file(p, text, 0644);
	cfg = config_load(p, &cause);
	assert_null(cfg);
	snprintf(phrase, sizeof(phrase), "%s:%d: ", p, expect_line);
	assert_true(strncmp(cause, phrase, strlen(phrase)) == 0);
	free(cause);
	unlink(p);
	free(p);
	free(text);
}

static void test_line_over_4096_bytes_is_an_error(void **state)
{
	char *text = xmalloc(200 * 1024);

	/* a 100 KB line on line 2 */
	memcpy(text, "[kitetop]\ntheme = ", 18);
	memset(text + 18, 'a', 100 * 1024);
	text[18 + 100 * 1024] = '\0';
	config_test_expect_error_s(text, 2, "longer than 4096 bytes");
	/* 4097 bytes is too long, 4096 bytes exactly is fine */
	text[4097 + 10] = '\0';
	config_test_expect_error_s(text, 2, "longer than 4096 bytes");
	text[4096 + 10] = '\0';
	config_test_expect_error_s(text, 2, "theme name is longer");   /* the line passed; the value did not */
	free(text);
}

static void test_long_values_pass_through_inih(void **state)
{
	/* inih's own buffer is 200 bytes: a 4000-byte query must arrive whole */
	char text[4200];
	struct config *cfg;
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "[panel \"q\"]\nquery = ");
	memset(text + n, 'q', 4096 - 8);
	text[n + 4096 - 8] = '\0';
	cfg = config_test_parse_ok(text);
	assert_int_equal(strlen(cfg->panels[0].query), 4096 - 8);
	config_free(cfg);
	/* and inih's settings are back as they were */
	assert_int_equal(ini_max_line, 200);
	assert_true(ini_use_stack);
	assert_true(ini_allow_multiline);
	assert_true(ini_allow_inline_comments);
}

/* ---- secrets --------------------------------------------------------------------- */

static void test_secret_mode_0644_refused(void **state)
{
	config_test_write_home_file("open.token", "tok\n", 0644);
	config_test_write_home_file("group.token", "tok\n", 0620);
	config_test_write_home_file("empty.token", "\n", 0600);
	config_test_expect_error_s("[authentik]\nurl = http://a\n\ntoken_file = ~/open.token\n", 4,
	               "open to group or others (mode 0644)");
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/group.token\n", 3, "mode 0620");
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/missing.token\n", 3,
	               "cannot read secret file");
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/.config\n", 3, "not a regular file");
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/empty.token\n", 3, "is empty");
}

static void test_secret_mode_0600_accepted(void **state)
{
	struct config *cfg;
	char *text;

	config_test_write_home_file("ok.token", "tok\n\n", 0600);
	config_test_write_home_file("ro.token", "ro\n", 0400);
	cfg = config_test_parse_ok("[authentik]\nurl = http://a\ntoken_file = ~/ok.token\n");
	assert_string_equal(cfg->authentik->token.value, "tok");
	config_free(cfg);
	cfg = config_test_parse_ok("[authentik]\nurl = http://a\ntoken_env = HOME\n[prometheus]\nurl = http://p\n"
	               "token_file = ~/ro.token\n");
	assert_string_equal(cfg->prometheus->token.value, "ro");
	assert_string_equal(cfg->authentik->token.value, config_test_home);
	config_free(cfg);

	/* a file over 64 KB */
	text = xmalloc(70 * 1024);
	memset(text, 'k', 70 * 1024 - 1);
	text[70 * 1024 - 1] = '\0';
	config_test_write_home_file("huge.token", text, 0600);
	free(text);
	config_test_expect_error_s("[authentik]\nurl = http://a\ntoken_file = ~/huge.token\n", 3, "over 64 KB");
}

static void test_secret_env_read_and_conninfo_password_refused(void **state)
{
	struct config *cfg;
	char *cause = NULL;
	const char *text = "[postgres]\nconninfo = host=db\npassword_env = KT_TEST_PG\n";

	setenv("KT_TEST_PG", "hunter2", 1);
	cfg = config_test_parse_ok(text);
	assert_string_equal(cfg->postgres->password.value, "hunter2");
	assert_string_equal(cfg->postgres->password.env, "KT_TEST_PG");
	assert_null(cfg->postgres->password.file);
	config_free(cfg);

	setenv("KT_TEST_PG", "", 1);
	config_test_expect_error_s(text, 3, "KT_TEST_PG (password_env) is empty");
	unsetenv("KT_TEST_PG");
	config_test_expect_error_s(text, 3, "environment variable KT_TEST_PG (password_env) is not set");
	config_test_expect_error_s("[postgres]\nconninfo = host=db\npassword_env = 1BAD\n", 3, "not an environment variable name");

	/* both sources of one secret */
	setenv("KT_TEST_PG", "hunter2", 1);
	config_test_expect_error_s("[postgres]\nconninfo = host=db\npassword_env = KT_TEST_PG\n"
	               "password_file = ~/.config/kitetop/pg.pass\n", 4,
	               "password_file and password_env are both set");
	/* a password written into the conninfo is refused, and not repeated */
	text = "[postgres]\nconninfo = host=db password=hunter2\n";
	cfg = config_parse("t.conf", text, strlen(text), &cause);
	assert_null(cfg);
	assert_non_null(strstr(cause, "t.conf:2: conninfo holds a password"));
	assert_null(strstr(cause, "hunter2"));
	free(cause);
	config_test_expect_error_s("[postgres]\nconninfo = host='db\n", 2, "conninfo:");
	unsetenv("KT_TEST_PG");
}


/* ---- [keys] ----------------------------------------------------------------------- */

static void test_keys_section_parsed_with_lines(void **state)
{
	struct config *cfg = config_test_parse_ok("[keys]\nquit = x, CTRL-X\n\n"
	                                          "view-events = F6   # a comment\n"
	                                          "replay-back = comma\nhost-next = tab, shift-tab, ctrl-m\n"
	                                          "filter = hash\nhelp = ?, f12, space\n");
	const struct config_keys *k = &cfg->keys;

	assert_string_equal(k->path, "t.conf");
	assert_int_equal(k->n, 6);
	assert_string_equal(k->bindings[0].action, "quit");
	assert_int_equal(k->bindings[0].line, 2);
	assert_int_equal(k->bindings[0].nkeys, 2);
	assert_int_equal(k->bindings[0].keys[0], 'x');
	assert_int_equal(k->bindings[0].keys[1], 24);
	assert_string_equal(k->bindings[1].action, "view-events");
	assert_int_equal(k->bindings[1].line, 4);
	assert_int_equal(k->bindings[1].keys[0], CONFIG_KEY_F1 + 5);
	assert_int_equal(k->bindings[2].keys[0], ',');
	assert_int_equal(k->bindings[3].nkeys, 3);
	assert_int_equal(k->bindings[3].keys[0], CONFIG_KEY_TAB);
	assert_int_equal(k->bindings[3].keys[1], CONFIG_KEY_BTAB);
	assert_int_equal(k->bindings[3].keys[2], CONFIG_KEY_ENTER);   /* Ctrl-M is Enter's byte */
	assert_int_equal(k->bindings[4].keys[0], '#');
	assert_int_equal(k->bindings[5].keys[1], CONFIG_KEY_F12);
	assert_int_equal(k->bindings[5].keys[2], ' ');
	assert_int_equal(cfg->nhosts, 1);   /* [keys] alone: this machine */
	config_free(cfg);

	cfg = config_test_parse_ok("[kitetop]\nrefresh = 1\n");
	assert_int_equal(cfg->keys.n, 0);
	assert_null(cfg->keys.path);
	config_free(cfg);
}

/* The whole message of a configuration that must fail. */
static void expect_cause(const char *text, const char *want)
{
	char *cause = NULL;
	struct config *cfg = config_parse("t.conf", text, strlen(text), &cause);

	assert_null(cfg);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void test_keys_section_errors_with_their_lines(void **state)
{
	expect_cause("[keys]\nquit = x\nhelp = ctrl-1\n",
	             "t.conf:3: unknown key \"ctrl-1\": a key is one character (a, R, ?, /), space, tab, "
	             "enter, esc, backspace, up, down, left, right, pgup, pgdn, home, end, shift-tab, "
	             "ctrl-a .. ctrl-z, f1 .. f12, comma, hash or semicolon");
	config_test_expect_error_s("[keys]\nquit = \xc3\xa9\n", 2, "unknown key \"\xc3\xa9\"");
	config_test_expect_error_s("[keys]\nquit = f13\n", 2, "unknown key \"f13\"");
	config_test_expect_error_s("[keys]\nquit = f0\n", 2, "unknown key \"f0\"");
	config_test_expect_error_s("[keys]\nquit = xy\n", 2, "unknown key \"xy\"");
	expect_cause("[keys]\n\nquit = x, y, x\n", "t.conf:3: quit: the key x is given twice");
	expect_cause("[keys]\nquit = tab, ctrl-i\n", "t.conf:2: quit: tab and ctrl-i are the same key, given twice");
	expect_cause("[keys]\nquit = x\nhelp = y\nquit = z\n",
	             "t.conf:4: quit is set twice in [keys] (first on line 2)");
	expect_cause("[keys]\nquit = x,,y\n",
	             "t.conf:2: quit: an empty key in the list (a comma key is written comma)");
	expect_cause("[keys]\nquit = a, b, c, d, e\n", "t.conf:2: quit: at most 4 keys an action");
	expect_cause("[keys]\nquit = ctrl-c\n",
	             "t.conf:2: ctrl-c never reaches kitetop: the terminal turns it into a signal (interrupt)");
	expect_cause("[keys]\nquit = Ctrl-Q\n",
	             "t.conf:2: Ctrl-Q never reaches kitetop: the terminal keeps it for flow control");
	/* a blank then # starts a comment: the key is written hash */
	config_test_expect_error_s("[keys]\nfilter = #\n", 2, "filter has no value");
	config_test_expect_error_s("[keys]\nquit =\n", 2, "quit has no value");
	config_test_expect_error_s("[keys x]\n", 1, "[keys] takes no name");
	config_test_expect_error_s("[keys]\n[keys]\n", 2, "[keys] appears twice (first on line 1)");
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_kitestacks_example_loads_every_setting, config_test_setup),
		cmocka_unit_test_setup(test_unset_keys_take_defaults_and_xdg_state_home, config_test_setup),
		cmocka_unit_test_setup(test_every_key_parsed_into_its_field, config_test_setup),
		cmocka_unit_test_setup(test_bom_crlf_indents_and_comments_keep_values, config_test_setup),
		cmocka_unit_test_setup(test_empty_file_errors_kitetop_alone_is_this_machine, config_test_setup),
		cmocka_unit_test_setup(test_bad_refresh_or_stop_timeout_is_an_error, config_test_setup),
		cmocka_unit_test_setup(test_bad_booleans_and_enums, config_test_setup),
		cmocka_unit_test_setup(test_bad_docker, config_test_setup),
		cmocka_unit_test_setup(test_bad_urls_are_errors_without_the_secret, config_test_setup),
		cmocka_unit_test_setup(test_bad_ssh_and_addresses, config_test_setup),
		cmocka_unit_test_setup(test_ssh_target_forms_give_the_address, config_test_setup),
		cmocka_unit_test_setup(test_ssh_url_and_quoted_host_names, config_test_setup),
		cmocka_unit_test_setup(test_duplicate_sections_and_keys_are_errors, config_test_setup),
		cmocka_unit_test_setup(test_unknown_via_and_missing_required_keys_are_errors, config_test_setup),
		cmocka_unit_test_setup(test_unknown_sections_and_keys, config_test_setup),
		cmocka_unit_test_setup(test_malformed_section_headers_are_errors, config_test_setup),
		cmocka_unit_test_setup(test_host_names_with_blanks_controls_or_utf8_refused, config_test_setup),
		cmocka_unit_test_setup(test_key_without_value_is_an_error, config_test_setup),
		cmocka_unit_test_setup(test_malformed_key_lines_are_errors, config_test_setup),
		cmocka_unit_test_setup(test_binary_or_invalid_utf8_is_an_error, config_test_setup),
		cmocka_unit_test_setup(test_file_over_1_mb_is_an_error_on_its_line, config_test_setup),
		cmocka_unit_test_setup(test_line_over_4096_bytes_is_an_error, config_test_setup),
		cmocka_unit_test_setup(test_long_values_pass_through_inih, config_test_setup),
		cmocka_unit_test_setup(test_secret_mode_0644_refused, config_test_setup),
		cmocka_unit_test_setup(test_secret_mode_0600_accepted, config_test_setup),
		cmocka_unit_test_setup(test_secret_env_read_and_conninfo_password_refused, config_test_setup),
		cmocka_unit_test_setup(test_keys_section_parsed_with_lines, config_test_setup),
		cmocka_unit_test_setup(test_keys_section_errors_with_their_lines, config_test_setup),
	};

	return cmocka_run_group_tests(tests, config_test_group_setup, config_test_group_teardown);
}
