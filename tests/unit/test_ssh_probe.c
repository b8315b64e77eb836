/* Unit tests of ssh_probe: an SSH server's banner counts as an answer; a
 * refused port, a server that says something else, and one that accepts and
 * says nothing (a frozen sshd) do not; attempts are an interval apart.  The
 * servers are listening sockets on 127.0.0.1's ephemeral ports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/ssh_probe.h"
#include "core/base/timeutil.h"

/* A listening socket on 127.0.0.1; its port in *port. */
static int listener(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port nothing listens on (bound, then closed). */
static int closed_port(void)
{
	int port, fd = listener(&port);

	close(fd);
	return port;
}

/* Drives the probe as the transport does, until it decides (1 or -1) or
 * limit_ms pass (0).  When lfd >= 0, a connection arriving there is
 * accepted and sent banner (NULL: nothing, the connection kept open). */
static int drive(struct ssh_probe *p, int lfd, const char *banner, int64_t limit_ms, int *afd)
{
	int64_t end = time_mono_ms() + limit_ms;

	while (time_mono_ms() < end) {
		struct pollfd pfd[2];
		short ev;
		int fd = ssh_probe_fd(p, &ev), n = 0, r;
		int64_t wait = ssh_probe_due_ms(p) - time_mono_ms();

		if (fd >= 0) {
			pfd[n].fd = fd;
			pfd[n++].events = ev;
		}
		if (lfd >= 0) {
			pfd[n].fd = lfd;
			pfd[n++].events = POLLIN;
		}
		if (wait > end - time_mono_ms())
			wait = end - time_mono_ms();
		(void)poll(pfd, (nfds_t)n, wait < 0 ? 0 : (int)wait);
		if (lfd >= 0 && (pfd[n - 1].revents & POLLIN) && *afd < 0) {
			*afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			assert_true(*afd >= 0);
			if (banner != NULL)
				assert_int_equal(write(*afd, banner, strlen(banner)), (ssize_t)strlen(banner));
		}
		r = ssh_probe_step(p, time_mono_ms(), fd >= 0 ? pfd[0].revents : 0);
		if (r != 0)
			return r;
	}
	return 0;
}

static void answer_is_the_banner(void **state)
{
	struct ssh_probe p;
	int port, lfd = listener(&port), afd = -1;

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", port, time_mono_ms());
	assert_int_equal(drive(&p, lfd, "SSH-2.0-OpenSSH_9.2\r\n", 3000, &afd), 1);
	assert_int_equal(p.fd, -1);
	assert_int_equal(p.attempts, 1u);
	close(afd);
	close(lfd);
}

/* The banner in pieces, as a slow link delivers it. */
static void banner_in_pieces(void **state)
{
	struct ssh_probe p;
	int port, lfd = listener(&port), afd = -1;

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", port, time_mono_ms());
	/* half of it: nothing decided yet */
	assert_int_equal(drive(&p, lfd, "SS", 300, &afd), 0);
	assert_true(afd >= 0);
	assert_int_equal(write(afd, "H-2.0-x\r\n", 9), 9);
	assert_int_equal(drive(&p, -1, NULL, 3000, &afd), 1);
	close(afd);
	close(lfd);
}

static void refused_is_no_answer(void **state)
{
	struct ssh_probe p;
	int afd = -1;
	int64_t t0 = time_mono_ms();

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", closed_port(), t0);
	assert_int_equal(drive(&p, -1, NULL, 3000, &afd), -1);
	/* the next attempt waits for the interval, not before */
	assert_true(ssh_probe_due_ms(&p) >= t0 + SSH_PROBE_INTERVAL_MS);
	assert_int_equal(drive(&p, -1, NULL, 3 * SSH_PROBE_INTERVAL_MS, &afd), -1);
	assert_true(time_mono_ms() - t0 >= SSH_PROBE_INTERVAL_MS);
	assert_int_equal(p.attempts, 2u);
}

static void other_protocol_is_no_answer(void **state)
{
	struct ssh_probe p;
	int port, lfd = listener(&port), afd = -1;

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", port, time_mono_ms());
	assert_int_equal(drive(&p, lfd, "HTTP/1.1 400 Bad Request\r\n", 3000, &afd), -1);
	close(afd);
	close(lfd);
}

/* A frozen sshd: its kernel completes the connection, nothing is said. */
static void silence_is_no_answer(void **state)
{
	struct ssh_probe p;
	int port, lfd = listener(&port), afd = -1;
	int64_t t0 = time_mono_ms();

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", port, t0);
	assert_int_equal(drive(&p, -1, NULL, 3 * SSH_PROBE_INTERVAL_MS, &afd), -1);
	assert_true(time_mono_ms() - t0 >= SSH_PROBE_INTERVAL_MS - 10);
	assert_int_equal(p.fd, -1);
	close(lfd);
}

/* Nothing happens before the first attempt is due. */
static void waits_for_the_first(void **state)
{
	struct ssh_probe p;
	short ev;
	int64_t now = time_mono_ms();

	(void)state;
	ssh_probe_init(&p, "127.0.0.1", 22, now + 60000);
	assert_int_equal(ssh_probe_step(&p, now, 0), 0);
	assert_int_equal(ssh_probe_fd(&p, &ev), -1);
	assert_int_equal(p.attempts, 0u);
	assert_true(ssh_probe_due_ms(&p) == now + 60000);
	ssh_probe_done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer_is_the_banner),
		cmocka_unit_test(banner_in_pieces),
		cmocka_unit_test(refused_is_no_answer),
		cmocka_unit_test(other_protocol_is_no_answer),
		cmocka_unit_test(silence_is_no_answer),
		cmocka_unit_test(waits_for_the_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
