/* Integration tests: backends/transport/transport_ssh through jump hosts
 * (ssh_jump), against tests/integration/jump-lab: a target sshd
 * (127.0.0.102) and a second jump host (127.0.0.103) in a private network
 * namespace that only the first jump host (127.0.0.101) reaches.  Bytes
 * through the relays (both ways at once, several connections), a jump host
 * that dies and comes back (named, then reconnected), the middle hop of a
 * chain cut; every SSH connection of the host (the extra ones each through
 * its own chain) up, and back after the jump host was.  Needs root, openssh-server, util-linux, iproute2 and the lab's
 * operator key; skips otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/transport/ssh_session.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/ssh_testlab.h"

#define KEY "/run/kitetop-lab/operator_ed25519"
#define JUMP_LAB "tests/integration/jump-lab"

static bool ready;
static char dir[64], known[128];

static int
jump_lab(const char *what)
{
	char *argv[] = { (char *)"sh", (char *)JUMP_LAB, (char *)what, dir, NULL };

	return ssh_testlab_run(argv, NULL, NULL, 0);
}

/* A relay that hangs must fail the run, not hold it: the daemons are stopped
 * and the process ends (the suite counts the failure). */
static void
watchdog(int sig)
{
	static const char msg[] = "FAIL: itest_jump: no end within the watchdog's 300 s\n";
	char *argv[] = { (char *)"sh", (char *)JUMP_LAB, (char *)"stop", dir, NULL };
	pid_t pid;

	(void)sig;
	(void)!write(2, msg, sizeof msg - 1);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	_exit(1);
}

static int
group_setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, watchdog);
	alarm(300);
	if (getuid() != 0 || access("/usr/sbin/sshd", X_OK) != 0 || access(KEY, R_OK) != 0 ||
	    access("/usr/bin/unshare", X_OK) != 0)
		return 0;
	snprintf(dir, sizeof dir, "/tmp/kt-jump-itest-%d", (int)getpid());
	snprintf(known, sizeof known, "%s/known_hosts", dir);
	unsetenv("SSH_AUTH_SOCK");
	ready = jump_lab("start") == 0;
	if (!ready)
		jump_lab("stop");
	return 0;
}

static int
group_teardown(void **state)
{
	if (dir[0] != '\0') {
		char *rm[] = { (char *)"rm", (char *)"-rf", dir, NULL };

		jump_lab("stop");
		ssh_testlab_run(rm, NULL, NULL, 0);
	}
	return 0;
}

#define NEED_LAB() do { if (!ready) skip(); } while (0)

static struct transport_ssh *
start(const char *jump)
{
	struct transport_ssh_options opt = {
		.target = "root@127.0.0.102", .identity_file = KEY, .known_hosts = known,
		.jump = jump,
	};
	struct transport_ssh *t;
	char *cause = NULL;

	t = transport_ssh_new("inner", &opt, 5000, &cause);
	if (t == NULL)
		fail_msg("transport_ssh_new: %s", cause);
	assert_int_equal(transport_ssh_start(t, &cause), 0);
	return t;
}

/* Waits until the status is connected == want and, when sub is not NULL,
 * its error holds sub.  false on timeout (st: the last status). */
static bool
wait_state(struct transport_ssh *t, bool want, const char *sub, int timeout_ms,
    struct transport_ssh_status *st)
{
	int64_t deadline = time_mono_ms() + timeout_ms;

	for (;;) {
		transport_ssh_status(t, st);
		if (st->connected == want && (sub == NULL || strstr(st->error, sub) != NULL))
			return true;
		if (time_mono_ms() > deadline)
			return false;
		time_sleep_ms(20);
	}
}

/* The bytes of `cat` on the target, through the relay(s): several
 * connections at once, each sending while it reads back. */
static void
echo_through_paused(struct transport_ssh *t, size_t per_conn, int nconn, size_t pause_at,
    int pause_ms)
{
	struct ssh_testlab_job jobs[4];
	pthread_t th[4];
	char *path, *cause = NULL;
	int i;

	assert_true(nconn <= 4);
	path = transport_ssh_forward_exec(t, "cat", &cause);
	assert_non_null(path);
	for (i = 0; i < nconn; i++) {
		memset(&jobs[i], 0, sizeof jobs[i]);
		jobs[i].fd = ssh_testlab_unix_connect(path);
		assert_true(jobs[i].fd >= 0);
		jobs[i].len = per_conn;
		jobs[i].seed = 7u + (unsigned)i;
		jobs[i].pause_at = pause_at;
		jobs[i].pause_ms = pause_ms;
		assert_int_equal(pthread_create(&th[i], NULL, ssh_testlab_echo_job, &jobs[i]), 0);
	}
	/* every job joined before a failure is reported: fail_msg leaves this
	 * frame, and a job still running would write into it */
	for (i = 0; i < nconn; i++)
		pthread_join(th[i], NULL);
	free(path);
	for (i = 0; i < nconn; i++)
		if (jobs[i].result != 0) {
			struct transport_ssh_status st;

			transport_ssh_status(t, &st);
			fail_msg("cat through the jump host, connection %d: %zu of %zu bytes right; "
			    "status: %s (%u connects)", i, jobs[i].got, per_conn, st.error,
			    st.connects);
		}
}

static void
echo_through(struct transport_ssh *t, size_t per_conn, int nconn)
{
	echo_through_paused(t, per_conn, nconn, 0, 0);
}

/* Waits until all the host's SSH connections are up (the extra ones, the
 * lanes, each through its own chain: the target is reachable only through
 * the jump host); false on timeout. */
static bool
wait_sessions(struct transport_ssh *t, int want, int timeout_ms, struct transport_ssh_status *st)
{
	int64_t deadline = time_mono_ms() + timeout_ms;

	for (;;) {
		transport_ssh_status(t, st);
		if (st->sessions == want)
			return true;
		if (time_mono_ms() > deadline)
			return false;
		time_sleep_ms(20);
	}
}

/* Through one jump host: every SSH connection of the host (the extra ones
 * too, each through its own chain), then 4 connections of 3 MiB both ways at
 * once (more than the relay's buffers and the channels' windows, spread over
 * the connections), byte-exact. */
static void
test_bytes_through_a_jump_host(void **state)
{
	struct transport_ssh *t;
	struct transport_ssh_status st;
	int64_t t0;

	NEED_LAB();
	t = start("root@127.0.0.101");
	if (!wait_state(t, true, NULL, 15000, &st))
		fail_msg("not connected through the jump host: %s", st.error);
	if (!wait_sessions(t, TRANSPORT_SSH_DEFAULT_SESSIONS, 15000, &st))
		fail_msg("%d of %d SSH connections up through the jump host", st.sessions,
		    TRANSPORT_SSH_DEFAULT_SESSIONS);
	t0 = time_mono_ms();
	echo_through(t, 3u << 20, 4);
	printf("# 4 x 3 MiB echoed through one jump host in %lld ms\n",
	    (long long)(time_mono_ms() - t0));
	transport_ssh_free(t);
}

/* Through one jump host while sends stall: every 3rd send of every session
 * (the jump host's and the target's) says EAGAIN, as a full socket does,
 * and each reader stops for 1.5 s after 512 KiB, so that both sessions'
 * receive windows fill.  A stalled read must be repeated as it was, by the
 * relay as by the target's pump (libssh2 1.10 otherwise counts a window
 * adjustment short and drops the data past its count: through the relay,
 * the target's session breaks; in the pump, a cat's output loses its
 * tail). */
static void
test_bytes_through_a_jump_host_when_sends_stall(void **state)
{
	struct transport_ssh *t;
	struct transport_ssh_status st;

	NEED_LAB();
	ssh_session_test_eagain_every = 3;
	t = start("root@127.0.0.101");
	if (!wait_state(t, true, NULL, 15000, &st))
		fail_msg("not connected through the jump host: %s", st.error);
	echo_through_paused(t, 3u << 20, 2, 512u << 10, 1500);
	ssh_session_test_eagain_every = 0;
	transport_ssh_status(t, &st);
	assert_int_equal(st.connects, 1);
	transport_ssh_free(t);
}

/* Through a chain of two, the same bytes. */
static void
test_bytes_through_a_chain(void **state)
{
	struct transport_ssh *t;
	struct transport_ssh_status st;
	int64_t t0;

	NEED_LAB();
	t = start("root@127.0.0.101,root@127.0.0.103");
	if (!wait_state(t, true, NULL, 15000, &st))
		fail_msg("not connected through the chain: %s", st.error);
	if (!wait_sessions(t, TRANSPORT_SSH_DEFAULT_SESSIONS, 15000, &st))
		fail_msg("%d of %d SSH connections up through the chain", st.sessions,
		    TRANSPORT_SSH_DEFAULT_SESSIONS);
	t0 = time_mono_ms();
	echo_through(t, 2u << 20, 2);
	printf("# 2 x 2 MiB echoed through two jump hosts in %lld ms\n",
	    (long long)(time_mono_ms() - t0));
	transport_ssh_free(t);
}

/* The jump host dies: the host is down with the hop named; while it stays
 * down, each attempt says it cannot connect to the jump host; back, the host
 * reconnects by itself (backoff) and carries bytes again. */
static void
test_jump_host_dies_and_comes_back(void **state)
{
	struct transport_ssh *t;
	struct transport_ssh_status st;
	int64_t t0;

	NEED_LAB();
	t = start("root@127.0.0.101");
	if (!wait_state(t, true, NULL, 15000, &st))
		fail_msg("not connected: %s", st.error);
	assert_int_equal(jump_lab("jump-stop"), 0);
	if (!wait_state(t, false, "jump host 127.0.0.101 (127.0.0.101:22)", 20000, &st))
		fail_msg("the jump host's death not seen, or not named: connected %d, \"%s\"",
		    st.connected, st.error);
	printf("# lost: %s\n", st.error);
	if (!wait_state(t, false, "jump host 127.0.0.101 (127.0.0.101:22): cannot connect to "
	    "127.0.0.101 port 22", 20000, &st))
		fail_msg("the retries do not name the jump host: \"%s\"", st.error);
	assert_int_equal(jump_lab("jump-start"), 0);
	t0 = time_mono_ms();
	if (!wait_state(t, true, NULL, 25000, &st))
		fail_msg("not reconnected through the jump host: %s", st.error);
	printf("# reconnected %lld ms after the jump host came back (backoff)\n",
	    (long long)(time_mono_ms() - t0));
	assert_true(st.connects >= 2);
	/* the extra connections follow the first one back, through the chain */
	if (!wait_sessions(t, TRANSPORT_SSH_DEFAULT_SESSIONS, 10000, &st))
		fail_msg("%d of %d SSH connections back through the jump host", st.sessions,
		    TRANSPORT_SSH_DEFAULT_SESSIONS);
	printf("# all %d SSH connections back %lld ms after the jump host came back\n",
	    st.sessions, (long long)(time_mono_ms() - t0));
	echo_through(t, 1u << 20, 1);
	transport_ssh_free(t);
}

/* The second hop's connection cut (its sshd's sessions killed; it still
 * listens): the host is down with that hop named, then reconnects. */
static void
test_middle_hop_cut(void **state)
{
	struct transport_ssh *t;
	struct transport_ssh_status st;

	NEED_LAB();
	t = start("root@127.0.0.101,root@127.0.0.103");
	if (!wait_state(t, true, NULL, 15000, &st))
		fail_msg("not connected through the chain: %s", st.error);
	assert_int_equal(jump_lab("j2-cut"), 0);
	if (!wait_state(t, false, "jump host 127.0.0.103 (127.0.0.103:22)", 20000, &st))
		fail_msg("the second hop's loss not seen, or not named: connected %d, \"%s\"",
		    st.connected, st.error);
	printf("# lost: %s\n", st.error);
	if (!wait_state(t, true, NULL, 25000, &st))
		fail_msg("not reconnected through the chain: %s", st.error);
	echo_through(t, 1u << 20, 1);
	transport_ssh_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_through_a_jump_host),
		cmocka_unit_test(test_bytes_through_a_jump_host_when_sends_stall),
		cmocka_unit_test(test_bytes_through_a_chain),
		cmocka_unit_test(test_jump_host_dies_and_comes_back),
		cmocka_unit_test(test_middle_hop_cut),
	};

	/* KT_TEST_FILTER=test_middle_hop_cut: that test only */
	if (getenv("KT_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("KT_TEST_FILTER"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
