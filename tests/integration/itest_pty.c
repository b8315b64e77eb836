/* Integration tests: interactive sessions of backends/transport
 * (transport_ssh_open_pty) against the lab's monk (127.0.0.2, root with the
 * operator's key): a login shell in a pty computes 42, follows a window
 * change and gives its exit status; a command without a pty keeps stdout and
 * stderr apart and gets EOF on its stdin.  Skipped when the lab is not up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define KEY "/run/kitetop-lab/operator_ed25519"
#define KNOWN "/run/kitetop-lab/known_hosts"

static struct transport_ssh *t;

static bool lab_up(void)
{
	const char *up = getenv("KT_LAB_UP");

	return (up == NULL || strcmp(up, "0") != 0) && access(KEY, R_OK) == 0;
}

static int setup(void **state)
{
	struct transport_ssh_options opt = {
		.target = "root@127.0.0.2:22", .identity_file = KEY, .known_hosts = KNOWN,
	};
	struct transport_ssh_status st;
	char *cause = NULL;
	int64_t deadline;

	if (!lab_up())
		return 0;
	t = transport_ssh_new("monk", &opt, 10000, &cause);
	if (t == NULL || transport_ssh_start(t, &cause) != 0) {
		print_error("transport: %s\n", cause);
		return -1;
	}
	for (deadline = time_mono_ms() + 20000; time_mono_ms() < deadline; time_sleep_ms(50)) {
		transport_ssh_status(t, &st);
		if (st.connected)
			return 0;
	}
	print_error("monk: not connected: %s\n", st.error);
	return -1;
}

static int teardown(void **state)
{
	transport_ssh_free(t);
	t = NULL;
	return 0;
}

/* Reads fd into out until it holds want (or EOF, or timeout); true when found. */
static bool read_until(int fd, struct buf *out, const char *want, int timeout_ms)
{
	int64_t deadline = time_mono_ms() + timeout_ms;

	while (want == NULL || strstr(buf_cstr(out), want) == NULL) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char tmp[4096];
		int64_t left = deadline - time_mono_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		n = read(fd, tmp, sizeof tmp);
		if (n <= 0)
			return want == NULL;
		buf_append(out, tmp, (size_t)n);
	}
	return true;
}

static void send_text(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void test_login_shell_computes_follows_resize_and_exits(void **state)
{
	struct transport_ssh_pty *p;
	struct buf out;
	char *cause = NULL;
	int status = -1, fd;

	if (t == NULL)
		skip();
	p = transport_ssh_open_pty(t, NULL, "xterm", 80, 24, &cause);
	if (p == NULL)
		fail_msg("open_pty: %s", cause);
	fd = transport_ssh_pty_fd(p);
	assert_int_equal(transport_ssh_pty_stderr_fd(p), -1);
	buf_init(&out);
	send_text(fd, "echo $((6*7))\n");
	assert_true(read_until(fd, &out, "42\r\n", 10000));
	buf_reset(&out);
	send_text(fd, "stty size\n");
	assert_true(read_until(fd, &out, "24 80", 10000));
	/* twice: a second window change must go too (libssh2 keeps a state per
	 * request) */
	transport_ssh_pty_resize(p, 100, 30);
	buf_reset(&out);
	send_text(fd, "stty size\n");
	assert_true(read_until(fd, &out, "30 100", 10000));
	transport_ssh_pty_resize(p, 90, 33);
	buf_reset(&out);
	send_text(fd, "stty size\n");
	assert_true(read_until(fd, &out, "33 90", 10000));
	send_text(fd, "exit 3\n");
	assert_true(read_until(fd, &out, NULL, 10000));   /* EOF */
	assert_int_equal(transport_ssh_pty_wait(p, 10000, &status, &cause), 0);
	assert_int_equal(status, 3);
	buf_done(&out);
	transport_ssh_pty_free(p);
}

static void test_command_without_pty_splits_stderr_and_gets_eof(void **state)
{
	struct transport_ssh_pty *p;
	struct buf out, err;
	char *cause = NULL;
	int status = -1;

	if (t == NULL)
		skip();
	p = transport_ssh_open_pty(t, "cat; echo out; echo err >&2; exit 7", NULL, 0, 0, &cause);
	if (p == NULL)
		fail_msg("open_pty: %s", cause);
	assert_true(transport_ssh_pty_stderr_fd(p) >= 0);
	send_text(transport_ssh_pty_fd(p), "typed\n");
	assert_int_equal(shutdown(transport_ssh_pty_fd(p), SHUT_WR), 0);
	buf_init(&out);
	buf_init(&err);
	assert_true(read_until(transport_ssh_pty_fd(p), &out, NULL, 10000));
	assert_true(read_until(transport_ssh_pty_stderr_fd(p), &err, NULL, 10000));
	assert_string_equal(buf_cstr(&out), "typed\nout\n");
	assert_string_equal(buf_cstr(&err), "err\n");
	assert_int_equal(transport_ssh_pty_wait(p, 10000, &status, &cause), 0);
	assert_int_equal(status, 7);
	buf_done(&out);
	buf_done(&err);
	transport_ssh_pty_free(p);
}

static void test_killed_command_is_128_plus_signal(void **state)
{
	struct transport_ssh_pty *p;
	struct buf out;
	char *cause = NULL;
	int status = -1;

	if (t == NULL)
		skip();
	p = transport_ssh_open_pty(t, "kill -TERM $$", NULL, 0, 0, &cause);
	if (p == NULL)
		fail_msg("open_pty: %s", cause);
	buf_init(&out);
	assert_true(read_until(transport_ssh_pty_fd(p), &out, NULL, 10000));
	assert_int_equal(transport_ssh_pty_wait(p, 10000, &status, &cause), 0);
	assert_int_equal(status, 128 + 15);
	buf_done(&out);
	transport_ssh_pty_free(p);
}

/* A session given up while it runs closes its channel (sshd closes its side
 * once the command ends: cat ends when its pty hangs up): the session counts
 * go back down and the transport stays connected for the next one. */
static void test_abandoned_session_leaves_the_transport_usable(void **state)
{
	struct transport_ssh_pty *p;
	struct transport_ssh_status st;
	char *cause = NULL;
	int64_t deadline;

	if (t == NULL)
		skip();
	p = transport_ssh_open_pty(t, "cat", "xterm", 80, 24, &cause);
	if (p == NULL)
		fail_msg("open_pty: %s", cause);
	transport_ssh_pty_free(p);
	for (deadline = time_mono_ms() + 5000; time_mono_ms() < deadline; time_sleep_ms(20)) {
		transport_ssh_status(t, &st);
		if (st.tunnels == 0)
			break;
	}
	transport_ssh_status(t, &st);
	assert_true(st.connected);
	assert_int_equal(st.tunnels, 0);
	test_killed_command_is_128_plus_signal(state);
}

int main(void);
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_shell_computes_follows_resize_and_exits),
		cmocka_unit_test(test_command_without_pty_splits_stderr_and_gets_eof),
		cmocka_unit_test(test_killed_command_is_128_plus_signal),
		cmocka_unit_test(test_abandoned_session_leaves_the_transport_usable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
