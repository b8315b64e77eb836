/* Unit tests: backends/transport/ssh_config_g (ssh -G's output read; ssh -G
 * itself run on fixture configs given with -F). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/transport/ssh_config.h"
#include "core/base/timeutil.h"

static const struct ssh_config_env env = { .home = "/home/kite", .local_user = "kite" };

/* What OpenSSH 9.2's ssh -G printed for a Host block (trimmed of the
 * algorithm lists, which kitetop does not read). */
static const char g_alpha[] =
	"host alpha\n"
	"user bob\n"
	"hostname 127.0.0.9\n"
	"port 2222\n"
	"addressfamily any\n"
	"batchmode no\n"
	"identitiesonly yes\n"
	"serveraliveinterval 4\n"
	"identityagent /home/kite/.1password/agent.sock\n"
	"identityfile ~/.ssh/%h_key\n"
	"identityfile /x/kite monk\n"
	"certificatefile ~/.ssh/%r-cert.pub\n"
	"userknownhostsfile /home/kite/.ssh/kh1 /tmp/kh2\n"
	"connecttimeout 7\n"
	"proxyjump me@bast:22,other\n"
	"controlpersist no\n";

static const char g_defaults[] =
	"host h\nuser root\nhostname h\nport 22\nidentitiesonly no\nserveraliveinterval 0\n"
	"identityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ecdsa\nidentityfile ~/.ssh/id_ecdsa_sk\n"
	"identityfile ~/.ssh/id_ed25519\nidentityfile ~/.ssh/id_ed25519_sk\n"
	"identityfile ~/.ssh/id_xmss\nidentityfile ~/.ssh/id_dsa\n"
	"userknownhostsfile /home/kite/.ssh/known_hosts /home/kite/.ssh/known_hosts2\n"
	"connecttimeout none\n";

static void test_parse_g_reads_every_key_kitetop_uses(void **state)
{
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_parse_g("alpha", g_alpha, strlen(g_alpha), &env, &t, &cause), 0);
	assert_string_equal(t.resolved_by, "ssh -G");
	assert_string_equal(t.alias, "alpha");
	assert_string_equal(t.user, "bob");
	assert_string_equal(t.hostname, "127.0.0.9");
	assert_int_equal(t.port, 2222);
	assert_true(t.identities_only);
	assert_int_equal(t.alive_interval_s, 4);
	assert_int_equal(t.connect_timeout_s, 7);
	assert_string_equal(t.identity_agent, "/home/kite/.1password/agent.sock");
	assert_false(t.agent_none);
	assert_false(t.identities_default);
	assert_int_equal(t.nidentity_files, 2);
	/* ssh -G prints IdentityFile's tokens unexpanded: kitetop expands them */
	assert_string_equal(t.identity_files[0], "/home/kite/.ssh/127.0.0.9_key");
	assert_string_equal(t.identity_files[1], "/x/kite monk");
	assert_int_equal(t.ncertificate_files, 1);
	assert_string_equal(t.certificate_files[0], "/home/kite/.ssh/bob-cert.pub");
	assert_int_equal(t.nknown_hosts_files, 2);
	assert_string_equal(t.known_hosts_files[0], "/home/kite/.ssh/kh1");
	assert_string_equal(t.known_hosts_files[1], "/tmp/kh2");
	assert_string_equal(t.proxy_jump, "me@bast:22,other");
	assert_null(t.proxy_command);
	ssh_target_done(&t);
	assert_null(t.proxy_jump);
}

static void test_parse_g_default_identities_and_none_values(void **state)
{
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_parse_g("h", g_defaults, strlen(g_defaults), &env, &t, &cause),
	    0);
	/* ssh's own default list is kitetop's: ed25519 first, no sk/xmss/dsa */
	assert_true(t.identities_default);
	assert_int_equal(t.nidentity_files, 3);
	assert_string_equal(t.identity_files[0], "/home/kite/.ssh/id_ed25519");
	assert_int_equal(t.connect_timeout_s, 0);
	assert_int_equal(t.alive_interval_s, SSH_CONFIG_DEFAULT_ALIVE_S);
	assert_false(t.identities_only);
	assert_null(t.identity_agent);
	assert_null(t.proxy_jump);
	assert_int_equal(t.ncertificate_files, 0);
	ssh_target_done(&t);
}

static void test_parse_g_agent_tokens_and_proxycommand(void **state)
{
	static const char none[] = "user u\nhostname h\nport 22\nidentityagent none\n"
	    "proxycommand ssh -W %h:%p bastion\n";
	static const char sock[] = "user u\nhostname h\nport 22\nidentityagent SSH_AUTH_SOCK\r\n"
	    "proxyjump none\n";
	static const char var[] = "user u\nhostname h\nport 22\nidentityagent $KT_TEST_AGENT\n";
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_parse_g("h", none, strlen(none), &env, &t, &cause), 0);
	assert_true(t.agent_none);
	assert_string_equal(t.proxy_command, "ssh -W %h:%p bastion");
	ssh_target_done(&t);
	assert_int_equal(ssh_config_parse_g("h", sock, strlen(sock), &env, &t, &cause), 0);
	assert_false(t.agent_none);
	assert_null(t.identity_agent);      /* $SSH_AUTH_SOCK, as without the key */
	assert_null(t.proxy_jump);
	ssh_target_done(&t);
	setenv("KT_TEST_AGENT", "/run/bw.sock", 1);
	assert_int_equal(ssh_config_parse_g("h", var, strlen(var), &env, &t, &cause), 0);
	assert_string_equal(t.identity_agent, "/run/bw.sock");
	ssh_target_done(&t);
	unsetenv("KT_TEST_AGENT");
	assert_int_equal(ssh_config_parse_g("h", var, strlen(var), &env, &t, &cause), 0);
	assert_true(t.agent_none);          /* the variable is not set: no agent */
	ssh_target_done(&t);
}

static void test_parse_g_refuses_incomplete_or_bad_output(void **state)
{
	static const char nohost[] = "user u\nport 22\n";
	static const char badport[] = "user u\nhostname h\nport 70000\n";
	static const char badto[] = "user u\nhostname h\nport 22\nconnecttimeout soon\n";
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_parse_g("h", nohost, strlen(nohost), &env, &t, &cause), -1);
	assert_string_equal(cause, "ssh -G printed no hostname");
	assert_null(t.alias);
	free(cause);
	cause = NULL;
	assert_int_equal(ssh_config_parse_g("h", badport, strlen(badport), &env, &t, &cause), -1);
	assert_string_equal(cause, "ssh -G: bad port \"70000\"");
	free(cause);
	cause = NULL;
	assert_int_equal(ssh_config_parse_g("h", badto, strlen(badto), &env, &t, &cause), -1);
	assert_non_null(strstr(cause, "connecttimeout"));
	free(cause);
	cause = NULL;
	assert_int_equal(ssh_config_parse_g("h", "", 0, &env, &t, &cause), -1);
	free(cause);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The real ssh -G on a fixture config: Include (absolute here: ssh takes a
 * relative one from the passwd entry's ~/.ssh) and Match, which only ssh
 * evaluates fully. */
static void test_resolve_ssh_runs_ssh_g_with_include_and_match(void **state)
{
	char dir[] = "/tmp/kt-sshg-XXXXXX", cfg[256], inc[256], text[1024];
	struct ssh_target t;
	char *cause = NULL;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof cfg, "%s/config", dir);
	snprintf(inc, sizeof inc, "%s/lab", dir);
	snprintf(text, sizeof text, "Include %s/la*\nMatch host 10.9.*\n  ServerAliveInterval 9\n"
	    "Match exec \"false\"\n  Port 1\n", dir);
	write_file(cfg, text);
	write_file(inc, "Host labmonk\n  HostName 10.9.0.2\n  User root\n"
	    "  IdentityFile /keys/op\n  ProxyJump jump@gw:2200\n");
	rc = ssh_config_resolve_ssh(NULL, cfg, "ssh://kite@labmonk:2022/", &env, 5000, &t, &cause);
	if (rc == -2) {
		/* no ssh binary on this machine: nothing to test here */
		free(cause);
		unlink(inc);
		unlink(cfg);
		rmdir(dir);
		skip();
	}
	if (rc != 0)
		fail_msg("ssh -G: %s", cause);
	assert_string_equal(t.hostname, "10.9.0.2");
	assert_string_equal(t.user, "kite");     /* the target's user beats User */
	assert_int_equal(t.port, 2022);          /* and its port beats Port */
	assert_int_equal(t.alive_interval_s, 9); /* Match host, after HostName */
	assert_string_equal(t.identity_files[0], "/keys/op");
	assert_string_equal(t.proxy_jump, "jump@gw:2200");
	ssh_target_done(&t);

	/* ssh refuses: its message, not a fallback */
	write_file(cfg, "Host x\n  Port notaport\n");
	assert_int_equal(ssh_config_resolve_ssh(NULL, cfg, "x", &env, 5000, &t, &cause), -1);
	assert_non_null(strstr(cause, "ssh -G x: "));
	assert_non_null(strstr(cause, "notaport"));
	free(cause);
	unlink(inc);
	unlink(cfg);
	rmdir(dir);
}

static void test_resolve_ssh_missing_binary_and_timeout(void **state)
{
	char dir[] = "/tmp/kt-sshg-XXXXXX", script[256];
	struct ssh_target t;
	char *cause = NULL;
	int64_t start;

	assert_int_equal(ssh_config_resolve_ssh("/nonexistent/ssh", NULL, "h", &env, 1000, &t,
	    &cause), -2);
	assert_non_null(strstr(cause, "cannot run /nonexistent/ssh"));
	free(cause);
	cause = NULL;

	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof script, "%s/slow-ssh", dir);
	write_file(script, "#!/bin/sh\nexec sleep 30\n");
	assert_int_equal(chmod(script, 0700), 0);
	start = time_mono_ms();
	assert_int_equal(ssh_config_resolve_ssh(script, NULL, "h", &env, 300, &t, &cause), -1);
	assert_true(time_mono_ms() - start < 5000);
	assert_non_null(strstr(cause, "did not answer within 300 ms"));
	free(cause);
	unlink(script);
	rmdir(dir);
}

int main(void);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_g_reads_every_key_kitetop_uses),
		cmocka_unit_test(test_parse_g_default_identities_and_none_values),
		cmocka_unit_test(test_parse_g_agent_tokens_and_proxycommand),
		cmocka_unit_test(test_parse_g_refuses_incomplete_or_bad_output),
		cmocka_unit_test(test_resolve_ssh_runs_ssh_g_with_include_and_match),
		cmocka_unit_test(test_resolve_ssh_missing_binary_and_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
