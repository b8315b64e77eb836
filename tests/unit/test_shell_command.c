/* Unit tests: core/actions/shell_command — quoting for a POSIX shell (each
 * quoted word read back by a real /bin/sh, hostile names included), the
 * container-name check, the remote command and the local argv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/actions/shell_command.h"
#include "core/base/buf.h"
#include "core/base/util.h"

static const char *const hostile[] = {
	"plain", "", "it's", "'", "''", "a'b'c", "$(touch /tmp/kt-pwned)", "`id`", "; reboot",
	"a b\tc", "line\nbreak", "\\", "\\'", "\"", "${HOME}", "*", "-it", "!", "#x", "~root",
	"'; touch /tmp/kt-pwned; echo '", "\xc3\xa9t\xc3\xa9",
};

/* What `sh -c 'printf %s WORD'` prints, WORD being the quoted text. */
static char *sh_reads(const char *quoted)
{
	char *script = xasprintf("printf %%s %s", quoted);
	int pfd[2];
	struct buf out;
	char tmp[256];
	ssize_t n;
	pid_t pid;
	int ws;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	buf_init(&out);
	while ((n = read(pfd[0], tmp, sizeof tmp)) > 0)
		buf_append(&out, tmp, (size_t)n);
	close(pfd[0]);
	waitpid(pid, &ws, 0);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	free(script);
	return buf_steal(&out);
}

static void test_quote_is_read_back_as_one_word(void **state)
{
	(void)unlink("/tmp/kt-pwned");
	for (size_t i = 0; i < UTIL_ARRAY_LEN(hostile); i++) {
		char *q = shell_quote(hostile[i]), *back = sh_reads(q);

		assert_string_equal(back, hostile[i]);
		free(back);
		free(q);
	}
	assert_int_not_equal(access("/tmp/kt-pwned", F_OK), 0);
}

static void test_quote_forms(void **state)
{
	char *q = shell_quote("it's");

	assert_string_equal(q, "'it'\\''s'");
	free(q);
	q = shell_quote("");
	assert_string_equal(q, "''");
	free(q);
}

static void test_container_names(void **state)
{
	assert_true(shell_container_name_ok("grafana"));
	assert_true(shell_container_name_ok("kite-openwebui"));
	assert_true(shell_container_name_ok("stack_db.1"));
	assert_true(shell_container_name_ok("0123abcdef"));
	assert_false(shell_container_name_ok(NULL));
	assert_false(shell_container_name_ok(""));
	assert_false(shell_container_name_ok("-it"));
	assert_false(shell_container_name_ok("--privileged"));
	assert_false(shell_container_name_ok(".hidden"));
	assert_false(shell_container_name_ok("a b"));
	assert_false(shell_container_name_ok("a;reboot"));
	assert_false(shell_container_name_ok("$(id)"));
	assert_false(shell_container_name_ok("it's"));
	assert_false(shell_container_name_ok("a\nb"));
}

static void test_remote_command(void **state)
{
	const char *const argv[] = { "sh", "-c", "exit 7" };
	const char *const evil[] = { "echo", "$(id)", "a'b" };
	char *c = shell_command_remote(NULL, "grafana", NULL, 0, true);

	assert_string_equal(c, "docker exec -it 'grafana' 'sh' '-c' "
	                    "'command -v bash >/dev/null && exec bash || exec sh'");
	free(c);
	c = shell_command_remote("/run/my docker.sock", "db", argv, 3, false);
	assert_string_equal(c, "docker -H 'unix:///run/my docker.sock' exec -i 'db' 'sh' '-c' 'exit 7'");
	free(c);
	c = shell_command_remote("/x'y", "db", evil, 3, false);
	assert_string_equal(c, "docker -H 'unix:///x'\\''y' exec -i 'db' 'echo' '$(id)' 'a'\\''b'");
	free(c);
}

static void test_local_argv(void **state)
{
	const char *const argv[] = { "echo", "hi" };
	char **a = shell_argv_docker("unix:///run/kitetop-lab/monk/docker.sock", "grafana", NULL, 0, true);

	assert_string_equal(a[0], "docker");
	assert_string_equal(a[1], "-H");
	assert_string_equal(a[2], "unix:///run/kitetop-lab/monk/docker.sock");
	assert_string_equal(a[3], "exec");
	assert_string_equal(a[4], "-it");
	assert_string_equal(a[5], "grafana");
	assert_string_equal(a[6], "sh");
	assert_string_equal(a[7], "-c");
	assert_string_equal(a[8], SHELL_COMMAND_DEFAULT);
	assert_null(a[9]);
	shell_argv_free(a);
	a = shell_argv_docker(NULL, "db", argv, 2, false);
	assert_string_equal(a[0], "docker");
	assert_string_equal(a[1], "exec");
	assert_string_equal(a[2], "-i");
	assert_string_equal(a[3], "db");
	assert_string_equal(a[4], "echo");
	assert_string_equal(a[5], "hi");
	assert_null(a[6]);
	shell_argv_free(a);
	a = shell_argv_login("/bin/bash");
	assert_string_equal(a[0], "/bin/bash");
	assert_string_equal(a[1], "-l");
	assert_null(a[2]);
	shell_argv_free(a);
	a = shell_argv_login(NULL);
	assert_string_equal(a[0], "/bin/sh");
	shell_argv_free(a);
}

int main(void);
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_is_read_back_as_one_word),
		cmocka_unit_test(test_quote_forms),
		cmocka_unit_test(test_container_names),
		cmocka_unit_test(test_remote_command),
		cmocka_unit_test(test_local_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
