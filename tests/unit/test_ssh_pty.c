/* Unit tests: backends/transport/ssh_pty — the object an interactive session
 * shares between its asker and the transport's thread: window sizes seen
 * once each, the first end kept, waits bounded, signal names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/transport/ssh_pty.h"
#include "core/base/timeutil.h"

static void test_sockets_with_and_without_a_pty(void **state)
{
	struct ssh_pty *p = ssh_pty_new(NULL, "xterm", 80, 24, NULL);
	char c = 0;

	assert_non_null(p);
	assert_true(p->fd >= 0 && p->pump_fd >= 0);
	assert_int_equal(p->err_fd, -1);
	assert_string_equal(p->label, "a login shell");
	assert_int_equal(write(p->fd, "x", 1), 1);
	assert_int_equal(read(p->pump_fd, &c, 1), 1);
	assert_int_equal(c, 'x');
	ssh_pty_unref(p);
	p = ssh_pty_new("ls", NULL, 80, 24, NULL);
	assert_true(p->err_fd >= 0 && p->pump_err_fd >= 0);
	assert_string_equal(p->label, "command \"ls\"");
	ssh_pty_unref(p);
}

static void test_resize_seen_once(void **state)
{
	struct ssh_pty *p = ssh_pty_new(NULL, "xterm", 80, 24, NULL);
	unsigned seq = 0;
	int cols, rows;

	assert_false(ssh_pty_resized(p, &seq, &cols, &rows));
	assert_int_equal(cols, 80);
	assert_int_equal(rows, 24);
	ssh_pty_set_size(p, 100, 30);
	ssh_pty_set_size(p, 100, 30);   /* the same size again: nothing new */
	assert_true(ssh_pty_resized(p, &seq, &cols, &rows));
	assert_int_equal(cols, 100);
	assert_int_equal(rows, 30);
	assert_false(ssh_pty_resized(p, &seq, &cols, &rows));
	ssh_pty_unref(p);
}

static void test_first_end_kept_and_waits_bounded(void **state)
{
	struct ssh_pty *p = ssh_pty_new("true", NULL, 0, 0, NULL);
	int64_t t0 = time_mono_ms();

	assert_int_equal(ssh_pty_wait(p, SSH_PTY_RUNNING, t0 + 50), SSH_PTY_OPENING);
	assert_true(time_mono_ms() - t0 >= 45);
	ssh_pty_ref(p);   /* as the pump holds one */
	ssh_pty_started(p);
	assert_int_equal(ssh_pty_wait(p, SSH_PTY_RUNNING, t0 + 5000), SSH_PTY_RUNNING);
	ssh_pty_finish(p, 3, NULL);
	ssh_pty_finish(p, -1, "the SSH connection was closed");
	assert_int_equal(ssh_pty_wait(p, SSH_PTY_DONE, t0), SSH_PTY_DONE);
	assert_int_equal(p->exit_status, 3);
	assert_null(p->error);
	assert_false(ssh_pty_abandoned(p));
	ssh_pty_abandon(p);
	assert_true(ssh_pty_abandoned(p));
	ssh_pty_unref(p);
	ssh_pty_unref(p);
}

static void test_signal_names(void **state)
{
	assert_int_equal(ssh_pty_signal_number("TERM"), SIGTERM);
	assert_int_equal(ssh_pty_signal_number("SIGKILL"), SIGKILL);
	assert_int_equal(ssh_pty_signal_number("hup"), SIGHUP);
	assert_int_equal(ssh_pty_signal_number("NOPE"), 0);
	assert_int_equal(ssh_pty_signal_number(NULL), 0);
}

int main(void);
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockets_with_and_without_a_pty),
		cmocka_unit_test(test_resize_seen_once),
		cmocka_unit_test(test_first_end_kept_and_waits_bounded),
		cmocka_unit_test(test_signal_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
