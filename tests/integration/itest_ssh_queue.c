/* Integration tests: the SSH transport's endpoints and channel queue
 * (transport_ssh.h, ssh_pump_queue.h) against a private sshd on 127.0.0.51
 * (started here on a free port, from a temporary directory, and stopped by
 * its pid) and an echo server of this test's own on 127.0.0.51, listening on
 * many ports: far more endpoints per host than the old 32, connections past
 * TRANSPORT_SSH_MAX_CHANNELS waiting for a channel (neither refused nor
 * failed), a waiting client that gives up dropped without a channel, and the
 * endpoint bound's message.  Needs root and openssh-server; skips otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/ssh_testlab.h"

#define ADDR "127.0.0.51"
#define ECHO_PORTS 200

static bool ready;
static char dir[64], target[96], key[128], known[128];
static pid_t sshd_pid = -1;
static int echo_fds[ECHO_PORTS], echo_ports[ECHO_PORTS];

/* ---- the echo server: one thread polls every port, one per connection ---- */

static void *echo_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char b[4096];
	ssize_t n;

	while ((n = recv(fd, b, sizeof b, 0)) > 0)
		if (send(fd, b, (size_t)n, MSG_NOSIGNAL) != n)
			break;
	close(fd);
	return NULL;
}

static void *echo_accept(void *arg)
{
	struct pollfd pfd[ECHO_PORTS];

	(void)arg;
	for (int i = 0; i < ECHO_PORTS; i++)
		pfd[i] = (struct pollfd){ .fd = echo_fds[i], .events = POLLIN };
	for (;;) {
		if (poll(pfd, ECHO_PORTS, -1) < 0 && errno != EINTR)
			return NULL;
		for (int i = 0; i < ECHO_PORTS; i++) {
			pthread_t th;
			int fd;

			if (!(pfd[i].revents & POLLIN) || (fd = accept(echo_fds[i], NULL, NULL)) < 0)
				continue;
			if (pthread_create(&th, NULL, echo_conn, (void *)(intptr_t)fd) == 0)
				pthread_detach(th);
			else
				close(fd);
		}
	}
}

static int listen_any(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = inet_addr(ADDR);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 512) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* ---- the private sshd ---------------------------------------------------- */

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int group_setup(void **state)
{
	char cmd[1024], path[160];
	int port, probe_fd;
	pthread_t th;
	FILE *f;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (getuid() != 0 || access("/usr/sbin/sshd", X_OK) != 0)
		return 0;
	util_strlcpy(dir, "/tmp/kt-sshq-XXXXXX", sizeof dir);
	assert_non_null(mkdtemp(dir));
	setenv("HOME", dir, 1);                  /* no ~/.ssh/config of the user's */
	unsetenv("SSH_AUTH_SOCK");
	unsetenv("XDG_RUNTIME_DIR");
	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -f %s/host_key && "
	    "ssh-keygen -q -t ed25519 -N '' -f %s/client_key && "
	    "cp %s/client_key.pub %s/authorized_keys && mkdir -p /run/sshd", dir, dir, dir, dir);
	assert_int_equal(sh(cmd), 0);
	probe_fd = listen_any(&port);             /* a free port for the sshd */
	assert_true(probe_fd >= 0);
	close(probe_fd);
	snprintf(path, sizeof path, "%s/sshd_config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "ListenAddress %s:%d\nHostKey %s/host_key\nPidFile %s/sshd.pid\n"
	    "AuthorizedKeysFile %s/authorized_keys\nPermitRootLogin prohibit-password\n"
	    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
	    "StrictModes no\n", ADDR, port, dir, dir, dir);
	fclose(f);
	snprintf(cmd, sizeof cmd, "/usr/sbin/sshd -f %s/sshd_config -E %s/sshd.log", dir, dir);
	assert_int_equal(sh(cmd), 0);
	snprintf(path, sizeof path, "%s/sshd.pid", dir);
	for (int i = 0; i < 100 && sshd_pid < 0; i++) {
		long pid = 0;

		f = fopen(path, "r");
		if (f != NULL && fscanf(f, "%ld", &pid) == 1 && pid > 0)
			sshd_pid = (pid_t)pid;
		if (f != NULL)
			fclose(f);
		if (sshd_pid < 0)
			time_sleep_ms(50);
	}
	assert_true(sshd_pid > 0);
	snprintf(known, sizeof known, "%s/known_hosts", dir);
	snprintf(cmd, sizeof cmd, "printf '[%s]:%d %%s\\n' \"$(cut -d' ' -f1,2 %s/host_key.pub)\" >%s",
	    ADDR, port, dir, known);
	assert_int_equal(sh(cmd), 0);
	snprintf(key, sizeof key, "%s/client_key", dir);
	snprintf(target, sizeof target, "root@%s:%d", ADDR, port);
	for (int i = 0; i < ECHO_PORTS; i++) {
		echo_fds[i] = listen_any(&echo_ports[i]);
		assert_true(echo_fds[i] >= 0);
	}
	assert_int_equal(pthread_create(&th, NULL, echo_accept, NULL), 0);
	pthread_detach(th);
	ready = true;
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[160];

	(void)state;
	if (sshd_pid > 0) {
		/* the sshd's sessions, then the sshd */
		snprintf(cmd, sizeof cmd, "for p in $(ps -o pid= --ppid %d); do kill $p; done; kill %d",
		    (int)sshd_pid, (int)sshd_pid);
		(void)sh(cmd);
	}
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		(void)sh(cmd);
	}
	return 0;
}

#define NEED_SSHD() do { if (!ready) { skip(); } } while (0)

/* ---- helpers ------------------------------------------------------------- */

/* Connected, with sessions SSH connections (0: the default) all up. */
static struct transport_ssh *start_sessions(int sessions)
{
	struct transport_ssh_options opt = { .target = target, .identity_file = key,
		.known_hosts = known, .sessions = sessions };
	struct transport_ssh_status st;
	struct transport_ssh *t;
	char *cause = NULL;
	int64_t t0 = time_mono_ms();

	t = transport_ssh_new("q", &opt, 5000, &cause);
	if (t == NULL)
		fail_msg("transport_ssh_new: %s", cause);
	assert_int_equal(transport_ssh_start(t, &cause), 0);
	do {
		transport_ssh_status(t, &st);
		if (st.connected && st.sessions == (sessions > 0 ? sessions : TRANSPORT_SSH_DEFAULT_SESSIONS))
			return t;
		time_sleep_ms(20);
	} while (time_mono_ms() - t0 < 15000);
	fail_msg("not connected: %s", st.error);
	return NULL;
}

/* The channel bound and its queue are each SSH connection's: one here. */
static struct transport_ssh *start_connected(void)
{
	return start_sessions(1);
}

/* Waits (at most ms) until pred holds of the status; true when it did. */
static bool wait_status(struct transport_ssh *t, bool (*pred)(const struct transport_ssh_status *,
    int), int arg, int ms, struct transport_ssh_status *st)
{
	int64_t t0 = time_mono_ms();

	for (;;) {
		transport_ssh_status(t, st);
		if (pred(st, arg))
			return true;
		if (time_mono_ms() - t0 > ms)
			return false;
		time_sleep_ms(10);
	}
}

static bool channels_are(const struct transport_ssh_status *s, int n) { return s->channels == n; }
static bool waiting_are(const struct transport_ssh_status *s, int n) { return s->waiting == n; }

/* Sends a line and reads it back within ms; true when it came back whole. */
static bool echo_once(int fd, const char *line, int ms)
{
	char b[128];
	size_t len = strlen(line), got = 0;
	int64_t t0 = time_mono_ms();

	if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len)
		return false;
	while (got < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int left = ms - (int)(time_mono_ms() - t0);
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return false;
		n = recv(fd, b + got, sizeof b - got, 0);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return memcmp(b, line, len) == 0;
}

/* ---- tests --------------------------------------------------------------- */

/* 200 endpoints on one host (the old limit was 32), each echoing */
static void test_two_hundred_endpoints_each_echo(void **state)
{
	struct transport_ssh *t;
	int64_t t0;

	(void)state;
	NEED_SSHD();
	t = start_connected();
	t0 = time_mono_ms();
	for (int i = 0; i < ECHO_PORTS; i++) {
		char *cause = NULL, *path = transport_ssh_forward(t, ADDR, echo_ports[i], &cause);
		int fd;

		if (path == NULL)
			fail_msg("endpoint %d: %s", i + 1, cause);
		fd = ssh_testlab_unix_connect(path);
		assert_true(fd >= 0);
		assert_true(echo_once(fd, "hello\n", 5000));
		close(fd);
		free(path);
	}
	printf("# %d endpoints on one host, one echo each, in %lld ms\n", ECHO_PORTS,
	    (long long)(time_mono_ms() - t0));
	transport_ssh_free(t);
}

/* Past TRANSPORT_SSH_MAX_CHANNELS: a connection waits (not refused, not
 * failed), one that gives up while waiting is dropped, and the first waiting
 * gets the channel another gives back. */
static void test_connections_past_the_channel_bound_wait_their_turn(void **state)
{
	enum { N = TRANSPORT_SSH_MAX_CHANNELS };
	struct transport_ssh_status st;
	struct transport_ssh *t;
	char *path, *cause = NULL;
	int fds[N], late, gone;

	(void)state;
	NEED_SSHD();
	t = start_connected();
	path = transport_ssh_forward(t, ADDR, echo_ports[0], &cause);
	assert_non_null(path);
	/* N connections, each with its channel (its echo came back), kept open */
	for (int i = 0; i < N; i++) {
		fds[i] = ssh_testlab_unix_connect(path);
		assert_true(fds[i] >= 0);
		assert_true(echo_once(fds[i], "x\n", 5000));
	}
	if (!wait_status(t, channels_are, N, 5000, &st))
		fail_msg("%d channels, expected %d", st.channels, N);
	/* one more: it waits for a channel; its bytes are not answered yet */
	late = ssh_testlab_unix_connect(path);
	assert_true(late >= 0);
	if (!wait_status(t, waiting_are, 1, 5000, &st))
		fail_msg("%d waiting, expected 1", st.waiting);
	assert_false(echo_once(late, "late\n", 300));
	/* one that gives up while waiting is dropped without a channel */
	gone = ssh_testlab_unix_connect(path);
	assert_true(gone >= 0);
	if (!wait_status(t, waiting_are, 2, 5000, &st))
		fail_msg("%d waiting, expected 2", st.waiting);
	close(gone);
	if (!wait_status(t, waiting_are, 1, 5000, &st))
		fail_msg("the client that left is still waiting (%d waiting)", st.waiting);
	assert_int_equal(st.channels, N);
	assert_string_equal(st.error, "");
	/* a channel given back: the waiting one gets it, and its echo comes */
	close(fds[0]);
	{
		char b[16];
		struct pollfd pfd = { .fd = late, .events = POLLIN };
		ssize_t n;

		assert_true(poll(&pfd, 1, 5000) == 1);
		n = recv(late, b, sizeof b, 0);
		assert_int_equal(n, 5);
		assert_memory_equal(b, "late\n", 5);
	}
	assert_true(wait_status(t, waiting_are, 0, 5000, &st));
	assert_int_equal(st.channels_peak, N);
	printf("# %d channels held, a connection past them waited and then echoed; "
	    "the most at once: %d\n", N, st.channels_peak);
	close(late);
	for (int i = 1; i < N; i++)
		close(fds[i]);
	free(path);
	transport_ssh_free(t);
}

/* With several SSH connections sharing the sockets (each takes a connection
 * when its opener is free), connections made at once all echo, whichever
 * session took them.  How they spread depends on timing (on loopback the
 * first may open them all before the others wake); the slow-link e2e test
 * (tests/e2e/slowlink.sh) shows the spread in its figures. */
static void test_sessions_share_the_connections(void **state)
{
	enum { N = 12 };
	struct transport_ssh_status st;
	struct transport_ssh *t;
	char *path, *cause = NULL;
	int fds[N];

	(void)state;
	NEED_SSHD();
	t = start_sessions(3);
	path = transport_ssh_forward(t, ADDR, echo_ports[0], &cause);
	assert_non_null(path);
	for (int i = 0; i < N; i++) {
		fds[i] = ssh_testlab_unix_connect(path);
		assert_true(fds[i] >= 0);
	}
	for (int i = 0; i < N; i++)
		assert_true(echo_once(fds[i], "x\n", 5000));
	transport_ssh_status(t, &st);
	assert_int_equal(st.sessions, 3);
	printf("# %d connections over 3 SSH connections, all echoed: the first held %d at most\n",
	    N, st.channels_peak);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	free(path);
	transport_ssh_free(t);
}

/* Endpoints are made as asked for up to TRANSPORT_SSH_MAX_LISTENERS; the
 * next one is refused in words (no connection is made to make one) */
static void test_endpoint_bound_says_so(void **state)
{
	struct transport_ssh *t;
	char *cause = NULL, *path;

	(void)state;
	NEED_SSHD();
	t = start_connected();
	for (int i = 0; i < TRANSPORT_SSH_MAX_LISTENERS; i++) {
		path = transport_ssh_forward(t, ADDR, 1 + i, &cause);
		if (path == NULL)
			fail_msg("endpoint %d: %s", i + 1, cause);
		free(path);
	}
	/* asked again: the same one, no new endpoint */
	path = transport_ssh_forward(t, ADDR, 1, &cause);
	assert_non_null(path);
	free(path);
	assert_null(transport_ssh_forward(t, ADDR, 60000, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, "too many tunnels to q (at most 1024 endpoints)");
	free(cause);
	transport_ssh_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_hundred_endpoints_each_echo),
		cmocka_unit_test(test_connections_past_the_channel_bound_wait_their_turn),
		cmocka_unit_test(test_endpoint_bound_says_so),
		cmocka_unit_test(test_sessions_share_the_connections),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
