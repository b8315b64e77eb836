/* Unit tests: backends/transport/ssh_config. */
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
	int rc = ssh_config_resolve(target, "cfg", text, text != NULL ? strlen(text) : 0, &env, t,
	    &cause);

	if (rc != 0)
		fail_msg("resolve %s: %s", target, cause);
}

static char *
resolve_err(const char *target, const char *text)
{
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_resolve(target, "cfg", text, strlen(text), &env, &t, &cause), -1);
	assert_non_null(cause);
	assert_null(t.user);
	return cause;
}

static void test_pattern_globs_match_case_insensitively(void **state)
{
	assert_true(ssh_config_pattern_match("*", "anything"));
	assert_true(ssh_config_pattern_match("*", ""));
	assert_true(ssh_config_pattern_match("monk", "monk"));
	assert_true(ssh_config_pattern_match("MONK", "monk"));
	assert_false(ssh_config_pattern_match("monk", "monkey"));
	assert_true(ssh_config_pattern_match("monk*", "monkey"));
	assert_true(ssh_config_pattern_match("*.lab", "a.b.lab"));
	assert_false(ssh_config_pattern_match("*.lab", "a.lab.x"));
	assert_true(ssh_config_pattern_match("k?cloud?", "kscloud1"));
	assert_false(ssh_config_pattern_match("k?cloud?", "kscloud12"));
	assert_true(ssh_config_pattern_match("*c*d*", "kscloud1"));
	assert_true(ssh_config_pattern_match("100.101.*", "100.101.1.10"));
	assert_false(ssh_config_pattern_match("?", ""));
	assert_true(ssh_config_pattern_match("**a", "bba"));
}

static void test_host_negation_excludes_and_alone_never_matches(void **state)
{
	const char *pats[] = { "*.lab", "!db.lab" };
	const char *onlyneg[] = { "!db.lab" };

	assert_true(ssh_config_host_match(pats, 2, "web.lab"));
	assert_false(ssh_config_host_match(pats, 2, "db.lab"));
	assert_false(ssh_config_host_match(pats, 2, "web.other"));
	/* a negation alone never matches */
	assert_false(ssh_config_host_match(onlyneg, 1, "web.lab"));
}

static void test_split_target_into_user_host_port_or_error(void **state)
{
	char *u, *h, *cause = NULL;
	int p;

	assert_int_equal(ssh_config_split_target("kite@100.101.1.10:2222", &u, &h, &p, &cause), 0);
	assert_string_equal(u, "kite");
	assert_string_equal(h, "100.101.1.10");
	assert_int_equal(p, 2222);
	free(u);
	free(h);
	assert_int_equal(ssh_config_split_target("monk", &u, &h, &p, &cause), 0);
	assert_null(u);
	assert_string_equal(h, "monk");
	assert_int_equal(p, 0);
	free(h);
	assert_int_equal(ssh_config_split_target("a@b@[::1]:22", &u, &h, &p, &cause), 0);
	assert_string_equal(u, "a@b");
	assert_string_equal(h, "::1");
	assert_int_equal(p, 22);
	free(u);
	free(h);
	assert_int_equal(ssh_config_split_target("fe80::1", &u, &h, &p, &cause), 0);
	assert_string_equal(h, "fe80::1");
	assert_int_equal(p, 0);
	free(h);
	assert_int_equal(ssh_config_split_target("host:0", &u, &h, &p, &cause), -1);
	assert_non_null(strstr(cause, "bad port"));
	assert_int_equal(ssh_config_split_target("host:99999", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("host:", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("@host", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("user@", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("a b", &u, &h, &p, &cause), -1);
	assert_int_equal(ssh_config_split_target("[::1", &u, &h, &p, &cause), -1);
	free(cause);
}

static void test_defaults_without_config_are_openssh_ones(void **state)
{
	struct ssh_target t;

	resolve_ok("monk", NULL, &t);
	assert_string_equal(t.alias, "monk");
	assert_string_equal(t.user, "kite");
	assert_string_equal(t.hostname, "monk");
	assert_int_equal(t.port, 22);
	assert_true(t.identities_default);
	assert_int_equal(t.nidentity_files, 3);
	assert_string_equal(t.identity_files[0], "/home/kite/.ssh/id_ed25519");
	assert_string_equal(t.identity_files[1], "/home/kite/.ssh/id_ecdsa");
	assert_string_equal(t.identity_files[2], "/home/kite/.ssh/id_rsa");
	assert_int_equal(t.nknown_hosts_files, 1);
	assert_string_equal(t.known_hosts_files[0], "/home/kite/.ssh/known_hosts");
	assert_int_equal(t.connect_timeout_s, 0);
	assert_int_equal(t.alive_interval_s, SSH_CONFIG_DEFAULT_ALIVE_S);
	assert_false(t.identities_only);
	ssh_target_done(&t);
}

static const char cfg[] =
	"# a comment\n"
	"Host monk\n"
	"    HostName 100.101.1.10\n"
	"    User admin\n"
	"    Port 2200\n"
	"    IdentityFile ~/.ssh/monk_%r_%h\n"
	"    ForwardAgent yes\n"            /* ignored */
	"    Include other.conf\n"          /* ignored */
	"Host *.lab !db.lab\n"
	"    HostName %h.example\n"
	"    Port=2201\n"
	"Host db.lab\n"
	"    User=\"db user\"\n"
	"Host monk *.lab\n"
	"    User nobody\n"                 /* first value wins: admin stays */
	"    IdentityFile \"%d/keys/%u %n\"\n"
	"    UserKnownHostsFile ~/.ssh/kh1 /etc/kh2\n"
	"    ConnectTimeout 7\n"
	"Match exec \"false\"\n"
	"    Port 1\n"
	"Host *\n"
	"    ServerAliveInterval 3\n"
	"    IdentitiesOnly yes\n"
	"    UserKnownHostsFile /never\n"
	"    Port 2299\n";

static void test_first_value_obtained_wins_for_each_key(void **state)
{
	struct ssh_target t;

	resolve_ok("monk", cfg, &t);
	assert_string_equal(t.hostname, "100.101.1.10");
	assert_string_equal(t.user, "admin");
	assert_int_equal(t.port, 2200);
	assert_false(t.identities_default);
	assert_int_equal(t.nidentity_files, 2);
	assert_string_equal(t.identity_files[0], "/home/kite/.ssh/monk_admin_100.101.1.10");
	assert_string_equal(t.identity_files[1], "/home/kite/keys/kite monk");
	assert_int_equal(t.nknown_hosts_files, 2);
	assert_string_equal(t.known_hosts_files[0], "/home/kite/.ssh/kh1");
	assert_string_equal(t.known_hosts_files[1], "/etc/kh2");
	assert_int_equal(t.connect_timeout_s, 7);
	assert_int_equal(t.alive_interval_s, 3);
	assert_true(t.identities_only);
	ssh_target_done(&t);
}

static void test_config_patterns_and_target_user_port_apply(void **state)
{
	struct ssh_target t;

	resolve_ok("web.lab", cfg, &t);
	assert_string_equal(t.hostname, "web.lab.example");
	assert_int_equal(t.port, 2201);
	assert_string_equal(t.user, "nobody");
	ssh_target_done(&t);

	/* db.lab is excluded from "*.lab !db.lab" but has its own block */
	resolve_ok("DB.lab", cfg, &t);
	assert_string_equal(t.hostname, "DB.lab");
	assert_string_equal(t.user, "db user");
	assert_int_equal(t.port, 2299);
	ssh_target_done(&t);

	/* the target's user and port beat the config */
	resolve_ok("root@monk:2022", cfg, &t);
	assert_string_equal(t.user, "root");
	assert_int_equal(t.port, 2022);
	assert_string_equal(t.identity_files[0], "/home/kite/.ssh/monk_root_100.101.1.10");
	ssh_target_done(&t);

	/* Match blocks other than "Match all" do not apply */
	resolve_ok("other", cfg, &t);
	assert_int_equal(t.port, 2299);
	assert_string_equal(t.known_hosts_files[0], "/never");
	ssh_target_done(&t);
}

static void test_lines_before_host_and_none(void **state)
{
	struct ssh_target t;

	resolve_ok("x", "Port 23\nUserKnownHostsFile none\nMatch all\nUser m\n", &t);
	assert_int_equal(t.port, 23);
	assert_string_equal(t.user, "m");
	assert_int_equal(t.nknown_hosts_files, 0);
	ssh_target_done(&t);
	resolve_ok("x", "\r\n\t  # indented comment\r\nhostname\t=\t'q h'\r\n", &t);
	assert_string_equal(t.hostname, "q h");
	ssh_target_done(&t);
	resolve_ok("x", "ServerAliveInterval 0\n", &t);
	assert_int_equal(t.alive_interval_s, SSH_CONFIG_DEFAULT_ALIVE_S);
	ssh_target_done(&t);
}

static void test_errors_name_their_line_only_where_they_apply(void **state)
{
	char *c;

	c = resolve_err("x", "Host x\n  Port banana\n");
	assert_string_equal(c, "cfg line 2: bad Port \"banana\"");
	free(c);
	c = resolve_err("x", "\n\nUser \"unterminated\n");
	assert_string_equal(c, "cfg line 3: unterminated quote");
	free(c);
	c = resolve_err("x", "Host\n");
	assert_non_null(strstr(c, "line 1: Host needs a pattern"));
	free(c);
	c = resolve_err("x", "IdentitiesOnly maybe\n");
	assert_non_null(strstr(c, "IdentitiesOnly"));
	free(c);
	c = resolve_err("x", "User\n");
	assert_non_null(strstr(c, "User needs a value"));
	free(c);
	/* errors in a block that does not apply are not reported */
	{
		struct ssh_target t;

		resolve_ok("x", "Host y\n  Port banana\n", &t);
		assert_int_equal(t.port, 22);
		ssh_target_done(&t);
	}
}

static void test_expand_percent_tokens_and_own_tilde(void **state)
{
	struct ssh_target t;
	char *s;

	memset(&t, 0, sizeof t);
	t.alias = (char *)"al";
	t.hostname = (char *)"h.example";
	t.user = (char *)"ru";
	t.port = 2222;
	s = ssh_config_expand("~/%%/%d/%u/%h/%r/%p/%n/%x/%", "/H", "lu", &t);
	assert_string_equal(s, "/H/%//H/lu/h.example/ru/2222/al/%x/%");
	free(s);
	s = ssh_config_expand("~user/x", "/H", "lu", &t);
	assert_string_equal(s, "~user/x");
	free(s);
}

static void test_resolve_file_reads_config_or_uses_defaults(void **state)
{
	char dir[] = "/tmp/kt-sshcfg-XXXXXX", path[256];
	struct ssh_config_env e = { .local_user = "kite" };
	struct ssh_target t;
	char *cause = NULL;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	e.home = dir;
	/* no ~/.ssh/config at all: defaults */
	assert_int_equal(ssh_config_resolve_file("h", NULL, &e, &t, &cause), 0);
	assert_int_equal(t.port, 22);
	ssh_target_done(&t);
	snprintf(path, sizeof path, "%s/.ssh", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.ssh/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Host h\n Port 2\n", f);
	fclose(f);
	assert_int_equal(ssh_config_resolve_file("h", NULL, &e, &t, &cause), 0);
	assert_int_equal(t.port, 2);
	ssh_target_done(&t);
	unlink(path);
	snprintf(path, sizeof path, "%s/.ssh", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_globs_match_case_insensitively),
		cmocka_unit_test(test_host_negation_excludes_and_alone_never_matches),
		cmocka_unit_test(test_split_target_into_user_host_port_or_error),
		cmocka_unit_test(test_defaults_without_config_are_openssh_ones),
		cmocka_unit_test(test_first_value_obtained_wins_for_each_key),
		cmocka_unit_test(test_config_patterns_and_target_user_port_apply),
		cmocka_unit_test(test_lines_before_host_and_none),
		cmocka_unit_test(test_errors_name_their_line_only_where_they_apply),
		cmocka_unit_test(test_expand_percent_tokens_and_own_tilde),
		cmocka_unit_test(test_resolve_file_reads_config_or_uses_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
