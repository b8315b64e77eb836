/* Unit tests: backends/transport/ssh_config's own parser (the fallback when
 * ssh -G cannot be used): Include, Match, IdentityAgent, CertificateFile,
 * ProxyJump, ProxyCommand, ssh:// targets. */
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

static const struct ssh_config_env env = { .home = "/home/kite", .local_user = "kite" };

static void
resolve_ok(const char *target, const char *text, struct ssh_target *t)
{
	char *cause = NULL;

	if (ssh_config_resolve(target, "cfg", text, strlen(text), &env, t, &cause) != 0)
		fail_msg("resolve %s: %s", target, cause);
}

static void test_ssh_url_targets_split_like_docker_host(void **state)
{
	char *user, *host, *cause = NULL;
	int port;

	assert_int_equal(ssh_config_split_target("ssh://root@host:2022", &user, &host, &port,
	    &cause), 0);
	assert_string_equal(user, "root");   /* not "ssh://root" */
	assert_string_equal(host, "host");
	assert_int_equal(port, 2022);
	free(user);
	free(host);
	assert_int_equal(ssh_config_split_target("SSH://h/", &user, &host, &port, &cause), 0);
	assert_null(user);
	assert_string_equal(host, "h");
	assert_int_equal(port, 0);
	free(host);
	assert_int_equal(ssh_config_split_target("ssh://u@[fd00::1]:22", &user, &host, &port,
	    &cause), 0);
	assert_string_equal(host, "fd00::1");
	free(user);
	free(host);
	assert_int_equal(ssh_config_split_target("ssh://u@h/var/run", &user, &host, &port,
	    &cause), -1);
	assert_non_null(strstr(cause, "a path after the host"));
	free(cause);
}

static void test_match_criteria_host_user_and_unknown_ones(void **state)
{
	struct ssh_target t;

	resolve_ok("kite@db.lab",
	    "Match exec \"true\"\n  Port 1\n"                 /* only ssh can run it */
	    "Match canonical host *.lab\n  Port 2\n"           /* canonical: never here */
	    "Match originalhost db.lab user kite\n  ServerAliveInterval 3\n"
	    "Match host !db.lab,*.lab\n  ConnectTimeout 4\n"  /* negated: no */
	    "Match host *.lab localuser kite\n  ConnectTimeout 5\n"
	    "Match !all\n  User nobody\n", &t);
	assert_int_equal(t.port, 22);
	assert_int_equal(t.alive_interval_s, 3);
	assert_int_equal(t.connect_timeout_s, 5);
	assert_string_equal(t.user, "kite");
	ssh_target_done(&t);

	/* Match host sees HostName once it is set; originalhost the alias */
	resolve_ok("alias", "Host alias\n  HostName 10.1.2.3\nMatch host 10.1.*\n  Port 2200\n"
	    "Match originalhost 10.1.*\n  User wrong\n", &t);
	assert_int_equal(t.port, 2200);
	assert_string_equal(t.user, "kite");
	ssh_target_done(&t);
}

static void test_identity_agent_certificates_and_proxies(void **state)
{
	struct ssh_target t;

	resolve_ok("h", "Host h\n  IdentityAgent ~/.1password/agent.sock\n"
	    "  IdentityAgent /second/ignored\n"
	    "  CertificateFile ~/.ssh/%r-cert.pub\n  CertificateFile /c2\n"
	    "  ProxyJump jump@gw:2200,second\n  ProxyCommand nc %h %p\n", &t);
	assert_string_equal(t.identity_agent, "/home/kite/.1password/agent.sock");
	assert_false(t.agent_none);
	assert_int_equal(t.ncertificate_files, 2);
	assert_string_equal(t.certificate_files[0], "/home/kite/.ssh/kite-cert.pub");
	assert_string_equal(t.certificate_files[1], "/c2");
	assert_string_equal(t.proxy_jump, "jump@gw:2200,second");
	assert_null(t.proxy_command);       /* the first of the two wins, as in ssh */
	assert_string_equal(t.resolved_by, "ssh_config");
	ssh_target_done(&t);

	resolve_ok("h", "Host h\n  ProxyCommand ssh -W %h:%p bastion\n  ProxyJump x\n"
	    "  IdentityAgent none\n", &t);
	assert_null(t.proxy_jump);
	assert_string_equal(t.proxy_command, "ssh -W %h:%p bastion");
	assert_true(t.agent_none);
	ssh_target_done(&t);

	resolve_ok("h", "Host h\n  ProxyJump none\nHost *\n  ProxyJump late\n"
	    "  IdentityAgent SSH_AUTH_SOCK\n", &t);
	assert_null(t.proxy_jump);           /* "none" obtained first: no jump */
	assert_null(t.identity_agent);
	assert_false(t.agent_none);
	ssh_target_done(&t);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_include_globs_relative_to_dot_ssh_and_depth_limit(void **state)
{
	char dir[] = "/tmp/kt-sshinc-XXXXXX", p[256];
	struct ssh_config_env e = { .local_user = "kite" };
	struct ssh_target t;
	char *cause = NULL;

	assert_non_null(mkdtemp(dir));
	e.home = dir;
	snprintf(p, sizeof p, "%s/.ssh", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/.ssh/config.d", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/.ssh/config", dir);
	write_file(p, "Include config.d/* missing/none\nHost *\n  User fallback\n");
	snprintf(p, sizeof p, "%s/.ssh/config.d/10-lab", dir);
	write_file(p, "Host labmonk\n  HostName 127.0.0.2\n  User root\n"
	    "  IdentityFile /run/kitetop-lab/operator_ed25519\n");
	snprintf(p, sizeof p, "%s/.ssh/config.d/20-more", dir);
	write_file(p, "Host labmonk\n  HostName not-this-one\n  Port 2222\n");

	assert_int_equal(ssh_config_resolve_file("labmonk", NULL, &e, &t, &cause), 0);
	assert_string_equal(t.hostname, "127.0.0.2");  /* 10-lab read before 20-more */
	assert_string_equal(t.user, "root");
	assert_int_equal(t.port, 2222);
	assert_string_equal(t.identity_files[0], "/run/kitetop-lab/operator_ed25519");
	ssh_target_done(&t);
	assert_int_equal(ssh_config_resolve_file("other", NULL, &e, &t, &cause), 0);
	assert_string_equal(t.user, "fallback");
	assert_string_equal(t.hostname, "other");
	ssh_target_done(&t);

	/* the text-only resolver reads no file: Include is not followed there */
	resolve_ok("labmonk", "Include /etc/passwd\n", &t);
	assert_string_equal(t.hostname, "labmonk");
	ssh_target_done(&t);

	/* a file including itself stops at the depth limit, with its name */
	snprintf(p, sizeof p, "%s/.ssh/config.d/20-more", dir);
	write_file(p, "Include config.d/20-more\n");
	assert_int_equal(ssh_config_resolve_file("labmonk", NULL, &e, &t, &cause), -1);
	assert_non_null(strstr(cause, "20-more line 1: Include nested more than 8 deep"));
	free(cause);

	unlink(p);
	snprintf(p, sizeof p, "%s/.ssh/config.d/10-lab", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/.ssh/config.d", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/.ssh/config", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/.ssh", dir);
	rmdir(p);
	rmdir(dir);
}

static void test_lookup_without_ssh_reads_home_config(void **state)
{
	char dir[] = "/tmp/kt-sshlk-XXXXXX", p[256];
	char *old = getenv("HOME") != NULL ? strdup(getenv("HOME")) : NULL;
	struct ssh_target t;
	char *cause = NULL;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/.ssh", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/.ssh/config", dir);
	write_file(p, "Host a\n  Port 2345\n  ProxyJump j\n");
	setenv("HOME", dir, 1);
	setenv("KITETOP_SSH", "none", 1);
	assert_int_equal(ssh_config_lookup("a", &t, &cause), 0);
	assert_int_equal(t.port, 2345);
	assert_string_equal(t.proxy_jump, "j");
	assert_string_equal(t.resolved_by, "ssh_config");
	ssh_target_done(&t);
	/* $HOME is not the passwd entry's home: ssh -G would read another
	 * ~/.ssh/config, so kitetop reads $HOME's itself */
	unsetenv("KITETOP_SSH");
	assert_int_equal(ssh_config_lookup("a", &t, &cause), 0);
	assert_int_equal(t.port, 2345);
	assert_string_equal(t.resolved_by, "ssh_config");
	ssh_target_done(&t);
	if (old != NULL)
		setenv("HOME", old, 1);
	free(old);
	unlink(p);
	snprintf(p, sizeof p, "%s/.ssh", dir);
	rmdir(p);
	rmdir(dir);
}

int main(void);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_url_targets_split_like_docker_host),
		cmocka_unit_test(test_match_criteria_host_user_and_unknown_ones),
		cmocka_unit_test(test_identity_agent_certificates_and_proxies),
		cmocka_unit_test(test_include_globs_relative_to_dot_ssh_and_depth_limit),
		cmocka_unit_test(test_lookup_without_ssh_reads_home_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
