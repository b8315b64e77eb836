/* ssh_probe — see ssh_probe.h. */
#include "backends/transport/ssh_probe.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void
ssh_probe_init(struct ssh_probe *p, const char *host, int port, int64_t first_ms)
{
	memset(p, 0, sizeof *p);
	p->host = host;
	p->port = port;
	p->fd = -1;
	p->due_ms = first_ms;
}

int
ssh_probe_fd(const struct ssh_probe *p, short *events)
{
	*events = p->fd >= 0 ? p->events : 0;
	return p->fd;
}

int64_t
ssh_probe_due_ms(const struct ssh_probe *p)
{
	return p->due_ms;
}

/* The address, looked up once (the first of getaddrinfo's answers). */
static int
ssh_probe_resolve(struct ssh_probe *p)
{
	struct addrinfo hints, *res = NULL;
	char port[16];

	if (p->resolved != 0)
		return p->resolved;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof port, "%d", p->port);
	p->resolved = -1;
	if (p->host != NULL && getaddrinfo(p->host, port, &hints, &res) == 0 && res != NULL &&
	    res->ai_addrlen <= sizeof p->addr) {
		memcpy(&p->addr, res->ai_addr, res->ai_addrlen);
		p->addrlen = res->ai_addrlen;
		p->resolved = 1;
	}
	if (res != NULL)
		freeaddrinfo(res);
	return p->resolved;
}

/* Ends the attempt without an answer: the next starts one interval after it. */
static int
ssh_probe_fail(struct ssh_probe *p, int64_t now)
{
	ssh_probe_done(p);
	p->due_ms = p->started_ms + SSH_PROBE_INTERVAL_MS;
	if (p->due_ms < now)
		p->due_ms = now;
	return -1;
}

static int
ssh_probe_start(struct ssh_probe *p, int64_t now)
{
	p->started_ms = now;
	p->attempts++;
	p->ngot = 0;
	if (ssh_probe_resolve(p) != 1)
		return ssh_probe_fail(p, now);
	p->fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return ssh_probe_fail(p, now);
	p->due_ms = now + SSH_PROBE_INTERVAL_MS;
	if (connect(p->fd, (struct sockaddr *)&p->addr, p->addrlen) == 0)
		p->events = POLLIN;
	else if (errno == EINPROGRESS)
		p->events = POLLOUT;
	else
		return ssh_probe_fail(p, now);
	return 0;
}

int
ssh_probe_step(struct ssh_probe *p, int64_t now, short revents)
{
	if (p->fd < 0)
		return now >= p->due_ms ? ssh_probe_start(p, now) : 0;
	if (p->events == POLLOUT && revents != 0) {
		int err = 0;
		socklen_t len = sizeof err;

		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
			return ssh_probe_fail(p, now);
		p->events = POLLIN;
		return 0;
	}
	if (p->events == POLLIN && revents != 0) {
		ssize_t n = recv(p->fd, p->got + p->ngot, sizeof p->got - p->ngot, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return 0;
		if (n <= 0)
			return ssh_probe_fail(p, now);
		p->ngot += (unsigned)n;
		if (p->ngot < sizeof p->got)
			return 0;
		if (memcmp(p->got, "SSH-", sizeof p->got) != 0)
			return ssh_probe_fail(p, now);
		ssh_probe_done(p);
		p->due_ms = now + SSH_PROBE_INTERVAL_MS;
		return 1;
	}
	if (now >= p->due_ms)
		return ssh_probe_fail(p, now);
	return 0;
}

void
ssh_probe_done(struct ssh_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
