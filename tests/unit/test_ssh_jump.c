/* Unit tests: backends/transport/ssh_jump (splitting and resolving a
 * ProxyJump value), ssh_config's ProxyJump, and kitetop's own jump = key.
 * The relays themselves need sshd: tests/integration/itest_jump.c. */
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
#include "backends/transport/ssh_jump.h"
#include "core/config/config.h"
#include "tests/support/config_test.h"

static const struct ssh_config_env env = { .home = "/home/kite", .local_user = "kite" };

static size_t
split_ok(const char *spec, char **hops)
{
	char *cause = NULL;
	size_t n = 99;

	if (ssh_jump_split(spec, hops, SSH_JUMP_MAX_HOPS, &n, &cause) != 0)
		fail_msg("split %s: %s", spec, cause);
	return n;
}

static char *
split_err(const char *spec)
{
	char *hops[SSH_JUMP_MAX_HOPS], *cause = NULL;
	size_t n = 99;

	assert_int_equal(ssh_jump_split(spec, hops, SSH_JUMP_MAX_HOPS, &n, &cause), -1);
	assert_int_equal(n, 0);
	assert_non_null(cause);
	return cause;
}

static void
free_hops(char **hops, size_t n)
{
	while (n > 0)
		free(hops[--n]);
}

static void test_split_takes_hops_in_order(void **state)
{
	char *hops[SSH_JUMP_MAX_HOPS];
	size_t n = split_ok("bastion,root@10.0.0.5:2222,ssh://ops@[fd00::1]:22/,inner", hops);

	assert_int_equal(n, 4);
	assert_string_equal(hops[0], "bastion");
	assert_string_equal(hops[1], "root@10.0.0.5:2222");
	assert_string_equal(hops[2], "ops@[fd00::1]:22");
	assert_string_equal(hops[3], "inner");
	free_hops(hops, n);
	n = split_ok("one", hops);
	assert_int_equal(n, 1);
	assert_string_equal(hops[0], "one");
	free_hops(hops, n);
}

static void test_split_none_is_no_jump(void **state)
{
	char *hops[SSH_JUMP_MAX_HOPS];

	assert_int_equal(split_ok("none", hops), 0);
	assert_int_equal(split_ok("NONE", hops), 0);
	assert_int_equal(split_ok("", hops), 0);
	assert_int_equal(split_ok(NULL, hops), 0);
}

static void test_split_refuses_empty_hops_spaces_and_too_many(void **state)
{
	char *cause;

	cause = split_err("a,,b");
	assert_non_null(strstr(cause, "bad jump host \"\" in \"a,,b\""));
	free(cause);
	free(split_err("a,"));
	free(split_err(",a"));
	free(split_err("ssh://"));
	free(split_err("a b"));
	free(split_err("root@"));
	cause = split_err("a,b,c,d,e,f,g,h,i");
	assert_non_null(strstr(cause, "too many jump hosts"));
	free(cause);
}

/* ~/.ssh/config with ProxyJump: first value wins, "none" is none */
static void test_ssh_config_proxyjump_as_written(void **state)
{
	const char *text =
	    "Host inner\n"
	    "  ProxyJump bastion,root@10.0.0.5:2222\n"
	    "  ProxyJump ignored\n"
	    "Host direct\n"
	    "  ProxyJump none\n"
	    "Host *\n"
	    "  ProxyJump fallback\n";
	struct ssh_target t;
	char *cause = NULL;

	assert_int_equal(ssh_config_resolve("inner", "cfg", text, strlen(text), &env, &t, &cause), 0);
	assert_string_equal(t.proxy_jump, "bastion,root@10.0.0.5:2222");
	ssh_target_done(&t);
	assert_int_equal(ssh_config_resolve("direct", "cfg", text, strlen(text), &env, &t, &cause), 0);
	assert_null(t.proxy_jump);
	ssh_target_done(&t);
	assert_int_equal(ssh_config_resolve("other", "cfg", text, strlen(text), &env, &t, &cause), 0);
	assert_string_equal(t.proxy_jump, "fallback");
	ssh_target_done(&t);
	assert_int_equal(ssh_config_resolve("x", "cfg", "", 0, &env, &t, &cause), 0);
	assert_null(t.proxy_jump);
	ssh_target_done(&t);
}

/* each hop resolved through the same config (aliases, users, ports), its own
 * ProxyJump not followed; known_hosts replaced when given */
static void test_resolve_hops_through_the_config(void **state)
{
	char path[] = "/tmp/kt-test-jump-XXXXXX";
	const char *text =
	    "Host bastion\n"
	    "  HostName 192.0.2.7\n"
	    "  User ops\n"
	    "  Port 2200\n"
	    "  ProxyJump elsewhere\n"
	    "Host *\n"
	    "  UserKnownHostsFile ~/.ssh/kh_all\n";
	struct ssh_target *t = NULL;
	size_t n = 0;
	char *cause = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(ssh_jump_resolve("bastion,root@198.51.100.9:2022", path, &env, NULL, &t,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].alias, "bastion");
	assert_string_equal(t[0].hostname, "192.0.2.7");
	assert_string_equal(t[0].user, "ops");
	assert_int_equal(t[0].port, 2200);
	assert_null(t[0].proxy_jump);
	assert_string_equal(t[0].known_hosts_files[0], "/home/kite/.ssh/kh_all");
	assert_string_equal(t[1].hostname, "198.51.100.9");
	assert_string_equal(t[1].user, "root");
	assert_int_equal(t[1].port, 2022);
	ssh_jump_targets_free(t, n);

	assert_int_equal(ssh_jump_resolve("bastion", path, &env, "/etc/kt_known", &t, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(t[0].nknown_hosts_files, 1);
	assert_string_equal(t[0].known_hosts_files[0], "/etc/kt_known");
	ssh_jump_targets_free(t, n);

	assert_int_equal(ssh_jump_resolve("none", path, &env, NULL, &t, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_null(t);
	assert_int_equal(ssh_jump_resolve("a,,b", path, &env, NULL, &t, &n, &cause), -1);
	assert_non_null(strstr(cause, "bad jump host"));
	free(cause);
	unlink(path);
}

/* [host] jump = : checked when the config is read */
static void test_config_jump_key(void **state)
{
	struct config *cfg = config_test_parse_ok(
	    "[host a]\nssh = root@10.0.0.2\njump = root@10.0.0.1,ssh://bastion:2222\n"
	    "[host b]\nssh = root@10.0.0.3\njump = none\n");

	assert_string_equal(cfg->hosts[0].jump, "root@10.0.0.1,ssh://bastion:2222");
	assert_string_equal(cfg->hosts[1].jump, "none");
	config_free(cfg);
	config_test_expect_error_s("[host a]\nssh = root@10.0.0.2\njump = a,,b\n", 3,
	    "jump host \"\" is empty");
	config_test_expect_error_s("[host a]\nssh = root@10.0.0.2\njump = a b\n", 3,
	    "jump = a b");
	config_test_expect_error_s("[host a]\njump = bastion\n", 2, "jump goes with ssh");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_takes_hops_in_order),
		cmocka_unit_test(test_split_none_is_no_jump),
		cmocka_unit_test(test_split_refuses_empty_hops_spaces_and_too_many),
		cmocka_unit_test(test_ssh_config_proxyjump_as_written),
		cmocka_unit_test(test_resolve_hops_through_the_config),
		cmocka_unit_test_setup(test_config_jump_key, config_test_setup),
	};

	return cmocka_run_group_tests(tests, config_test_group_setup, config_test_group_teardown);
}
