/* ssh_probe — a cheap look, once a second, at whether a host's SSH server
 * answers again, for the transport's thread while it waits out its backoff.
 *
 * An attempt is a non-blocking TCP connect to the SSH port and the first four
 * bytes the server sends, which must be "SSH-" (its banner): no handshake, no
 * key, nothing for the server to log but a connection closed before
 * authentication.  A refused or unanswered connect, and a connection that
 * says nothing within SSH_PROBE_INTERVAL_MS (a frozen sshd whose kernel still
 * accepts), are "no answer".  Attempts start SSH_PROBE_INTERVAL_MS apart.
 *
 * The probe is driven by the caller's poll(): ssh_probe_fd() says what to
 * poll for (or -1), ssh_probe_due_ms() when to step at the latest, and
 * ssh_probe_step() advances.  It never blocks, except for getaddrinfo() on a
 * name that is not an address, once, at the first attempt.  One thread. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PROBE_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PROBE_H

#include <stdint.h>
#include <sys/socket.h>

#define SSH_PROBE_INTERVAL_MS 1000

struct ssh_probe {
	const char *host;                 /* borrowed */
	int port;
	int resolved;                     /* 0 not yet, 1 addr holds it, -1 cannot */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int fd;                           /* the attempt in progress, or -1 */
	short events;                     /* POLLOUT while connecting, then POLLIN */
	int64_t started_ms;               /* the attempt's start (time_mono_ms) */
	int64_t due_ms;                   /* the next start (fd < 0), or the give-up (fd >= 0) */
	char got[4];
	unsigned ngot;
	unsigned attempts;                /* started so far */
};

/* Prepares a probe of host:port (host borrowed: must outlive it); the first
 * attempt starts at first_ms (time_mono_ms). */
void ssh_probe_init(struct ssh_probe *p, const char *host, int port, int64_t first_ms);

/* The descriptor to poll and its events, or -1 when nothing is to be polled
 * (wait for ssh_probe_due_ms). */
int ssh_probe_fd(const struct ssh_probe *p, short *events);

/* When ssh_probe_step must be called at the latest (time_mono_ms). */
int64_t ssh_probe_due_ms(const struct ssh_probe *p);

/* Advances at now (time_mono_ms), given the revents poll() returned for
 * ssh_probe_fd (0 when it was not polled or nothing happened).  Returns 1
 * when an SSH server answered (the attempt is over), -1 when an attempt
 * ended without an answer, 0 when nothing was decided. */
int ssh_probe_step(struct ssh_probe *p, int64_t now, short revents);

/* Ends the attempt in progress, if any. */
void ssh_probe_done(struct ssh_probe *p);

#endif
