/* ssh_pump — see ssh_pump.h. */
#include "backends/transport/ssh_pump.h"

#include <errno.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "core/util.h"

#define SSH_PUMP_SAFETY_MS 1000   /* the longest wait */
#define SSH_PUMP_CHUNK 32768
#define SSH_PUMP_STDERR_KEEP 200

void (*ssh_pump_test_between_reads)(void);

enum ssh_bridge_state {
	BRIDGE_QUEUED,           /* accepted, waiting for the opener */
	BRIDGE_OPENING,          /* its channel is being opened */
	BRIDGE_EXEC,             /* channel open, exec request under way */
	BRIDGE_OPEN,             /* bytes flow */
	BRIDGE_EXITING,          /* exec done: waiting for the channel's close and exit status */
	BRIDGE_FREEING,          /* client closed, channel being freed */
};

enum ssh_pump_op {
	OP_NONE, OP_OPEN, OP_EXEC, OP_READ, OP_WRITE, OP_EOF, OP_WAIT, OP_FREE,
	OP_CTL_OPEN, OP_CTL_PING, OP_CTL_READ, OP_CTL_FREE,
};

struct ssh_bridge {
	int fd;                  /* the client; -1 once closed */
	LIBSSH2_CHANNEL *ch;
	const struct ssh_pump_listener *l;
	enum ssh_bridge_state state;
	struct buf up;           /* client -> channel */
	struct buf down;         /* channel -> client */
	bool client_eof, eof_sent, remote_eof, client_shut;
	/* Reads skipped when they cannot find anything, as each costs a system
	 * call (libssh2 reads the session socket on every channel read): */
	bool drained;            /* the last channel read found nothing... */
	uint64_t drained_at;     /* ...at this session->rx_reads */
	bool fd_quiet;           /* the client's recv() found nothing since the wait last
	                          * reported it readable */
	uint32_t reg;            /* the events fd is registered for (0: not) */
	char err[SSH_PUMP_STDERR_KEEP + 1];
	size_t errlen;
};

struct ssh_pump {
	struct ssh_pump_params *p;
	LIBSSH2_SESSION *s;
	struct ssh_bridge *b[TRANSPORT_SSH_MAX_BRIDGES];
	size_t nb;
	struct ssh_bridge *opening;      /* holds the opener, or NULL */
	bool ctl_opening;                /* the control channel holds the opener */
	LIBSSH2_CHANNEL *ctl;            /* the control channel, for pings */
	LIBSSH2_CHANNEL *ctl_dead;       /* a control channel being freed */
	bool pinging;
	int64_t ping_started;            /* 0: no ping in flight */
	int64_t next_ping;
	enum ssh_pump_op stall;          /* see ssh_pump.h */
	struct ssh_bridge *stall_b;
	char *fatal;                     /* the connection is lost: why */
	int reported_tunnels;
	bool swept;                      /* the control channel's read emptied the socket... */
	uint64_t swept_at;               /* ...at this session->rx_reads */
	/* The wait is an epoll set, kept in step with what each fd is wanted
	 * for: poll() over ~25 fds (a listener per tunnel) cost ~15 % of the
	 * pump's CPU in the kernel's per-fd work at every wait. */
	int ep;
	uint32_t wake_reg, sock_reg;
	struct {
		const struct ssh_pump_listener *l;
		int fd;
		uint32_t reg;
	} lreg[TRANSPORT_SSH_MAX_LISTENERS];
	size_t nlreg;
};

/* Registers fd for want (0: unregisters), *reg being what it is registered
 * for now.  false with P->fatal set when the kernel refuses. */
static bool ssh_pump_ep_set(struct ssh_pump *P, int fd, uint32_t *reg, uint32_t want)
{
	struct epoll_event ev = { .events = want, .data.fd = fd };
	int rc;

	if (want == *reg)
		return true;
	if (want == 0) {
		(void)epoll_ctl(P->ep, EPOLL_CTL_DEL, fd, NULL);   /* gone already: fine */
		*reg = 0;
		return true;
	}
	rc = epoll_ctl(P->ep, *reg == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
	if (rc != 0 && errno == EEXIST)
		rc = epoll_ctl(P->ep, EPOLL_CTL_MOD, fd, &ev);
	else if (rc != 0 && errno == ENOENT)
		rc = epoll_ctl(P->ep, EPOLL_CTL_ADD, fd, &ev);
	if (rc != 0) {
		if (P->fatal == NULL)
			P->fatal = xasprintf("ssh: %s: epoll: %s", P->p->name, strerror(errno));
		return false;
	}
	*reg = want;
	return true;
}

/* Closes a bridge's client fd, out of the wait set first. */
static void ssh_pump_fd_close(struct ssh_pump *P, struct ssh_bridge *b)
{
	if (b->fd < 0)
		return;
	(void)ssh_pump_ep_set(P, b->fd, &b->reg, 0);
	close(b->fd);
	b->fd = -1;
}

static void
ssh_pump_report(struct ssh_pump *P, int rtt_ms, const char *error)
{
	struct ssh_pump_report r = { .rtt_ms = rtt_ms, .tunnels = (int)P->nb, .error = error };

	P->reported_tunnels = (int)P->nb;
	P->p->report(P->p->arg, &r);
}

/* Errors that mean the session itself is gone. */
static bool
ssh_pump_fatal_rc(int rc)
{
	switch (rc) {
	case LIBSSH2_ERROR_SOCKET_SEND:
	case LIBSSH2_ERROR_SOCKET_RECV:
	case LIBSSH2_ERROR_SOCKET_DISCONNECT:
	case LIBSSH2_ERROR_SOCKET_TIMEOUT:
	case LIBSSH2_ERROR_TIMEOUT:
	case LIBSSH2_ERROR_KEX_FAILURE:
	case LIBSSH2_ERROR_DECRYPT:
	case LIBSSH2_ERROR_PROTO:
	case LIBSSH2_ERROR_INVALID_MAC:
	case LIBSSH2_ERROR_HOSTKEY_INIT:
	case LIBSSH2_ERROR_HOSTKEY_SIGN:
	case LIBSSH2_ERROR_OUT_OF_BOUNDARY:
	case LIBSSH2_ERROR_BAD_USE:
		return true;
	default:
		return false;
	}
}

static void
ssh_pump_set_fatal(struct ssh_pump *P, int rc)
{
	if (P->fatal != NULL)
		return;
	P->fatal = xasprintf("ssh: connection to %s lost: %s (libssh2 error %d)", P->p->name,
	    ssh_session_last_error(P->s), rc);
}

/* After a libssh2 call returned rc: records a stall (a half-sent packet that
 * only this call may finish), or a lost session.  Returns rc. */
static int
ssh_pump_check(struct ssh_pump *P, int rc, enum ssh_pump_op op, struct ssh_bridge *b)
{
	if (rc == LIBSSH2_ERROR_EAGAIN) {
		if (libssh2_session_block_directions(P->s) & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
			P->stall = op;
			P->stall_b = b;
		}
	} else if (rc < 0 && ssh_pump_fatal_rc(rc))
		ssh_pump_set_fatal(P, rc);
	return rc;
}

static void
ssh_pump_bridge_close(struct ssh_pump *P, struct ssh_bridge *b, const char *error)
{
	ssh_pump_fd_close(P, b);
	b->state = BRIDGE_FREEING;
	if (error != NULL)
		ssh_pump_report(P, -1, error);
}

static void
ssh_pump_bridge_fail(struct ssh_pump *P, struct ssh_bridge *b, const char *what)
{
	char *msg;

	while (b->errlen > 0 && (b->err[b->errlen - 1] == '\n' || b->err[b->errlen - 1] == '\r' ||
	    b->err[b->errlen - 1] == ' '))
		b->err[--b->errlen] = '\0';
	msg = xasprintf("ssh: %s: the tunnel to %s failed: %s%s%s", P->p->name, b->l->label,
	    what, b->errlen > 0 ? ": " : "", b->err);

	ssh_pump_bridge_close(P, b, msg);
	free(msg);
}

static void
ssh_pump_bridge_remove(struct ssh_pump *P, size_t i)
{
	struct ssh_bridge *b = P->b[i];

	ssh_pump_fd_close(P, b);
	buf_done(&b->up);
	buf_done(&b->down);
	free(b);
	P->b[i] = P->b[--P->nb];
}

/* The opener: the control channel when a ping needs it, else the first
 * queued connection.  Returns true on progress. */
static bool
ssh_pump_opener(struct ssh_pump *P, int64_t now)
{
	LIBSSH2_CHANNEL *ch;
	struct ssh_bridge *b;
	size_t i;
	int err;

	if (P->opening == NULL && !P->ctl_opening) {
		if (P->ctl == NULL && P->ctl_dead == NULL && now >= P->next_ping) {
			P->ctl_opening = true;
			P->ping_started = now;
			P->next_ping = now + P->p->alive_interval_ms;
		} else {
			for (i = 0; i < P->nb; i++)
				if (P->b[i]->state == BRIDGE_QUEUED)
					break;
			if (i == P->nb)
				return false;
			P->opening = P->b[i];
			P->opening->state = BRIDGE_OPENING;
		}
	}
	if (P->ctl_opening) {
		ch = libssh2_channel_open_session(P->s);
		err = ch == NULL ? libssh2_session_last_errno(P->s) : 0;
		if (ch == NULL && ssh_pump_check(P, err, OP_CTL_OPEN, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		/* opened or refused: either way the host answered */
		P->ctl_opening = false;
		if (P->fatal != NULL)
			return false;
		P->ctl = ch;
		ssh_pump_report(P, (int)(time_mono_ms() - P->ping_started), NULL);
		P->ping_started = 0;
		return true;
	}
	b = P->opening;
	if (b->l->kind == SSH_PUMP_TCP)
		ch = libssh2_channel_direct_tcpip_ex(P->s, b->l->rhost, b->l->rport, "127.0.0.1", 22);
	else
		ch = libssh2_channel_open_session(P->s);
	if (ch == NULL) {
		char *msg;

		err = libssh2_session_last_errno(P->s);
		if (ssh_pump_check(P, err, OP_OPEN, b) == LIBSSH2_ERROR_EAGAIN)
			return false;
		P->opening = NULL;
		msg = xasprintf("%s refused to open the channel (%s)", P->p->name,
		    ssh_session_last_error(P->s));
		ssh_pump_bridge_fail(P, b, msg);
		free(msg);
		return true;
	}
	P->opening = NULL;
	b->ch = ch;
	b->state = b->l->kind == SSH_PUMP_TCP ? BRIDGE_OPEN : BRIDGE_EXEC;
	return true;
}

static bool
ssh_pump_exec(struct ssh_pump *P, struct ssh_bridge *b)
{
	int rc = libssh2_channel_exec(b->ch, b->l->command);

	if (ssh_pump_check(P, rc, OP_EXEC, b) == LIBSSH2_ERROR_EAGAIN)
		return false;
	if (rc != 0) {
		char *msg = xasprintf("%s refused to run \"%s\" (%s)", P->p->name, b->l->command,
		    ssh_session_last_error(P->s));

		ssh_pump_bridge_fail(P, b, msg);
		free(msg);
		return true;
	}
	b->state = BRIDGE_OPEN;
	return true;
}

/* Channel to client. */
static bool
ssh_pump_down(struct ssh_pump *P, struct ssh_bridge *b)
{
	char tmp[SSH_PUMP_CHUNK];
	bool progress = false;
	uint64_t rx = P->p->session->rx_reads, drained_at;

	if (b->drained && b->drained_at == rx)
		goto send;   /* no byte came in since this channel had nothing */
	if (b->drained && P->swept && P->swept_at == rx &&
	    libssh2_poll_channel_read(b->ch, 1) == 0 && !libssh2_channel_eof(b->ch)) {
		/* the socket is empty and libssh2 holds nothing for this channel:
		 * what came in was for others (no read, no system call) */
		b->drained_at = rx;
		goto send;
	}
	b->drained = false;
	while (!b->remote_eof && b->down.len < TRANSPORT_SSH_BUF_CAP) {
		size_t room = TRANSPORT_SSH_BUF_CAP - b->down.len;
		ssize_t n = libssh2_channel_read(b->ch, tmp, room < sizeof tmp ? room : sizeof tmp);

		if (n > 0) {
			buf_append(&b->down, tmp, (size_t)n);
			progress = true;
			continue;
		}
		if (ssh_pump_check(P, (int)n, OP_READ, b) == LIBSSH2_ERROR_EAGAIN) {
			b->drained = true;
			break;
		}
		if (n == 0 && !libssh2_channel_eof(b->ch))
			break;
		/* EOF, or a channel error: what was received still goes out */
		b->remote_eof = true;
		progress = true;
	}
	if (P->stall != OP_NONE || P->fatal != NULL)
		return progress;
	/* empty as of this read: the stderr read below may take in more from
	 * the socket, this channel's stdout bytes or its EOF among it, which
	 * only a later look finds (marked empty as of after both reads, they
	 * waited for the next byte to arrive: the keepalive's reply, 15 s) */
	drained_at = P->p->session->rx_reads;
	if (b->l->kind == SSH_PUMP_EXEC) {
		if (ssh_pump_test_between_reads != NULL)
			ssh_pump_test_between_reads();
		for (;;) {
			ssize_t n = libssh2_channel_read_stderr(b->ch, tmp, sizeof tmp);
			size_t keep;

			if (n <= 0) {
				if (ssh_pump_check(P, (int)n, OP_READ, b) != LIBSSH2_ERROR_EAGAIN)
					b->drained = false;
				break;
			}
			keep = SSH_PUMP_STDERR_KEEP - b->errlen;
			if ((size_t)n < keep)
				keep = (size_t)n;
			memcpy(b->err + b->errlen, tmp, keep);
			b->errlen += keep;
			b->err[b->errlen] = '\0';
		}
		if (P->stall != OP_NONE || P->fatal != NULL)
			return progress;
	}
	b->drained_at = drained_at;
send:
	if (b->down.len > 0) {
		ssize_t n = send(b->fd, b->down.data, b->down.len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			buf_consume(&b->down, (size_t)n);
			progress = true;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ssh_pump_bridge_close(P, b, NULL);     /* the client went away */
			return true;
		}
	}
	if (b->remote_eof && b->down.len == 0 && !b->client_shut) {
		(void)shutdown(b->fd, SHUT_WR);
		b->client_shut = true;
		progress = true;
	}
	return progress;
}

/* Client to channel. */
static bool
ssh_pump_up(struct ssh_pump *P, struct ssh_bridge *b)
{
	char tmp[SSH_PUMP_CHUNK];
	bool progress = false;
	int rc;

	if (!b->client_eof && b->up.len < TRANSPORT_SSH_BUF_CAP && !b->fd_quiet) {
		size_t room = TRANSPORT_SSH_BUF_CAP - b->up.len;
		ssize_t n = recv(b->fd, tmp, room < sizeof tmp ? room : sizeof tmp, MSG_DONTWAIT);

		if (n > 0) {
			buf_append(&b->up, tmp, (size_t)n);
			progress = true;
		} else if (n == 0) {
			b->client_eof = true;
			progress = true;
		} else if (errno == EAGAIN) {
			b->fd_quiet = true;   /* until poll() says it is readable */
		} else if (errno != EINTR) {
			ssh_pump_bridge_close(P, b, NULL);
			return true;
		}
	}
	while (b->up.len > 0) {
		ssize_t n = libssh2_channel_write(b->ch, b->up.data, b->up.len);

		if (n > 0) {
			buf_consume(&b->up, (size_t)n);
			progress = true;
			continue;
		}
		if (ssh_pump_check(P, (int)n, OP_WRITE, b) == LIBSSH2_ERROR_EAGAIN || n == 0)
			return progress;
		/* the remote end is gone: nothing more can be sent */
		buf_reset(&b->up);
		b->client_eof = b->eof_sent = true;
		return true;
	}
	if (b->client_eof && !b->eof_sent) {
		rc = libssh2_channel_send_eof(b->ch);
		if (ssh_pump_check(P, rc, OP_EOF, b) == LIBSSH2_ERROR_EAGAIN)
			return progress;
		b->eof_sent = true;
		progress = true;
	}
	return progress;
}

static bool
ssh_pump_bridge_step(struct ssh_pump *P, struct ssh_bridge *b)
{
	bool progress = false;
	int rc;

	switch (b->state) {
	case BRIDGE_QUEUED:
	case BRIDGE_OPENING:
		return false;
	case BRIDGE_EXEC:
		return ssh_pump_exec(P, b);
	case BRIDGE_FREEING:
		if (b->ch == NULL)
			return false;
		rc = libssh2_channel_free(b->ch);
		if (ssh_pump_check(P, rc, OP_FREE, b) == LIBSSH2_ERROR_EAGAIN)
			return false;
		b->ch = NULL;
		return true;
	case BRIDGE_EXITING:
		/* the exit status may arrive after the EOF: wait for the close */
		rc = libssh2_channel_wait_closed(b->ch);
		if (ssh_pump_check(P, rc, OP_WAIT, b) == LIBSSH2_ERROR_EAGAIN)
			return false;
		rc = libssh2_channel_get_exit_status(b->ch);
		if (rc != 0) {
			char what[64];

			snprintf(what, sizeof what, "exit status %d", rc);
			ssh_pump_bridge_fail(P, b, what);
		} else
			b->state = BRIDGE_FREEING;
		return true;
	case BRIDGE_OPEN:
		break;
	}
	progress |= ssh_pump_down(P, b);
	if (b->state != BRIDGE_OPEN || P->stall != OP_NONE || P->fatal != NULL)
		return progress;
	progress |= ssh_pump_up(P, b);
	if (b->state != BRIDGE_OPEN || P->stall != OP_NONE || P->fatal != NULL)
		return progress;
	if (b->client_eof && b->eof_sent && b->remote_eof && b->down.len == 0) {
		ssh_pump_fd_close(P, b);
		b->state = b->l->kind == SSH_PUMP_EXEC ? BRIDGE_EXITING : BRIDGE_FREEING;
		return true;
	}
	return progress;
}

/* The control channel: pings, reads that drain the transport, its freeing. */
static bool
ssh_pump_ctl(struct ssh_pump *P, int64_t now)
{
	char tmp[256];
	int rc;

	if (P->ctl_dead != NULL) {
		rc = libssh2_channel_free(P->ctl_dead);
		if (ssh_pump_check(P, rc, OP_CTL_FREE, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		P->ctl_dead = NULL;
		return true;
	}
	if (P->ctl == NULL)
		return false;
	if (!P->pinging && now >= P->next_ping) {
		P->pinging = true;
		P->ping_started = now;
		P->next_ping = now + P->p->alive_interval_ms;
	}
	if (P->pinging) {
		/* an "env" request with want_reply: accepted or refused, it is answered */
		rc = libssh2_channel_setenv_ex(P->ctl, "KITETOP_PING", 12, "1", 1);
		if (ssh_pump_check(P, rc, OP_CTL_PING, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		P->pinging = false;
		if (rc == 0 || rc == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED) {
			ssh_pump_report(P, (int)(time_mono_ms() - P->ping_started), NULL);
			P->ping_started = 0;
		} else {
			/* the channel broke: free it, the next ping reopens one */
			P->ctl_dead = P->ctl;
			P->ctl = NULL;
			P->ping_started = 0;
		}
		return true;
	}
	/* lets libssh2 read what arrived (window adjusts, other channels' data) */
	rc = (int)libssh2_channel_read(P->ctl, tmp, sizeof tmp);
	P->swept = rc == LIBSSH2_ERROR_EAGAIN;
	P->swept_at = P->p->session->rx_reads;
	if (ssh_pump_check(P, rc, OP_CTL_READ, NULL) != LIBSSH2_ERROR_EAGAIN && rc <= 0 &&
	    libssh2_channel_eof(P->ctl)) {
		P->ctl_dead = P->ctl;
		P->ctl = NULL;
		return true;
	}
	return rc > 0;
}

/* Repeats the stalled call only.  true when the stall is over. */
static bool
ssh_pump_unstall(struct ssh_pump *P, int64_t now)
{
	enum ssh_pump_op op = P->stall;
	struct ssh_bridge *b = P->stall_b;

	P->stall = OP_NONE;
	P->stall_b = NULL;
	switch (op) {
	case OP_NONE:
		break;
	case OP_OPEN:
	case OP_CTL_OPEN:
		(void)ssh_pump_opener(P, now);
		break;
	case OP_CTL_PING:
	case OP_CTL_READ:
	case OP_CTL_FREE:
		(void)ssh_pump_ctl(P, now);
		break;
	default:
		(void)ssh_pump_bridge_step(P, b);
		break;
	}
	return P->stall == OP_NONE;
}

static bool
ssh_pump_pass(struct ssh_pump *P)
{
	int64_t now = time_mono_ms();
	bool progress = false;
	size_t i;

	if (P->stall != OP_NONE && !ssh_pump_unstall(P, now))
		return false;
	if (P->fatal != NULL)
		return false;
	P->swept = false;
	progress |= ssh_pump_opener(P, now);
	if (P->stall != OP_NONE || P->fatal != NULL)
		return progress;
	progress |= ssh_pump_ctl(P, now);
	if (P->stall != OP_NONE || P->fatal != NULL)
		return progress;
	for (i = 0; i < P->nb; i++) {
		progress |= ssh_pump_bridge_step(P, P->b[i]);
		if (P->stall != OP_NONE || P->fatal != NULL)
			return progress;
	}
	for (i = P->nb; i-- > 0;) {
		if (P->b[i]->state == BRIDGE_FREEING && P->b[i]->ch == NULL) {
			ssh_pump_bridge_remove(P, i);
			progress = true;
		}
	}
	if (P->reported_tunnels != (int)P->nb)
		ssh_pump_report(P, -1, NULL);
	return progress;
}

/* The wait set's listeners made l's n: new ones in, gone ones out (matched
 * by object and fd: a closed fd's number may come back for another), each
 * wanted while a bridge may still be added. */
static void
ssh_pump_watch_listeners(struct ssh_pump *P, struct ssh_pump_listener *const *l, size_t n)
{
	uint32_t want = P->nb < TRANSPORT_SSH_MAX_BRIDGES ? EPOLLIN : 0;
	size_t i, j, keep;

	for (j = keep = 0; j < P->nlreg; j++) {
		for (i = 0; i < n; i++)
			if (l[i] == P->lreg[j].l && l[i]->fd == P->lreg[j].fd)
				break;
		if (i == n)
			(void)ssh_pump_ep_set(P, P->lreg[j].fd, &P->lreg[j].reg, 0);
		else
			P->lreg[keep++] = P->lreg[j];
	}
	P->nlreg = keep;
	for (i = 0; i < n; i++) {
		for (j = 0; j < P->nlreg; j++)
			if (l[i] == P->lreg[j].l && l[i]->fd == P->lreg[j].fd)
				break;
		if (j == P->nlreg) {
			P->lreg[j].l = l[i];
			P->lreg[j].fd = l[i]->fd;
			P->lreg[j].reg = 0;
			P->nlreg++;
		}
		(void)ssh_pump_ep_set(P, P->lreg[j].fd, &P->lreg[j].reg, want);
	}
}

static void
ssh_pump_accept(struct ssh_pump *P, const struct ssh_pump_listener *l)
{
	while (P->nb < TRANSPORT_SSH_MAX_BRIDGES) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct ssh_bridge *b;

		if (fd < 0)
			return;
		b = xcalloc(1, sizeof *b);
		b->fd = fd;
		b->l = l;
		b->state = BRIDGE_QUEUED;
		buf_init(&b->up);
		buf_init(&b->down);
		P->b[P->nb++] = b;
	}
}

void
ssh_pump_run(struct ssh_pump_params *p, char **cause)
{
	struct ssh_pump *P = xcalloc(1, sizeof *P);
	struct ssh_pump_listener *l[TRANSPORT_SSH_MAX_LISTENERS];

	p->state = P;
	P->p = p;
	P->s = p->session->s;
	P->next_ping = time_mono_ms();
	P->ep = epoll_create1(EPOLL_CLOEXEC);
	*cause = NULL;
	if (P->ep < 0) {
		*cause = xasprintf("ssh: %s: epoll: %s", p->name, strerror(errno));
		return;
	}
	for (;;) {
		struct epoll_event evs[2 + TRANSPORT_SSH_MAX_LISTENERS + TRANSPORT_SSH_MAX_BRIDGES];
		bool accept_on[TRANSPORT_SSH_MAX_LISTENERS] = { false };
		size_t nl, i, j;
		int64_t now, timeout;
		int dir, rc, k;
		bool progress = false, reader, woken = false;

		/* passes until one moves nothing and reads no byte from the socket
		 * (a byte read by a later channel's call may be an earlier one's) */
		for (k = 0; k < 64; k++) {
			uint64_t rx0 = p->session->rx_reads;

			if (!ssh_pump_pass(P) && p->session->rx_reads == rx0)
				break;
			progress = true;
		}
		if (P->fatal != NULL)
			break;
		now = time_mono_ms();
		/* dead: a keepalive unanswered for an interval, and nothing at all
		 * received meanwhile (a reply can queue behind a big transfer) */
		if (P->ping_started != 0 && now - P->ping_started > p->alive_interval_ms &&
		    now - p->session->last_rx_ms > p->alive_interval_ms) {
			P->fatal = xasprintf("ssh: %s stopped answering: nothing received for %d s "
			    "despite a keepalive", p->name, (p->alive_interval_ms + 999) / 1000);
			break;
		}

		(void)ssh_pump_ep_set(P, p->wake_fd, &P->wake_reg, EPOLLIN);
		dir = libssh2_session_block_directions(P->s);
		/* the session socket is read only through channel calls: wait for
		 * its input only when some call will read it, or the wait would spin */
		reader = P->ctl != NULL || P->ctl_dead != NULL || P->opening != NULL ||
		    P->ctl_opening || P->stall != OP_NONE;
		for (i = 0; i < P->nb && !reader; i++)
			reader = P->b[i]->state == BRIDGE_EXEC || P->b[i]->state == BRIDGE_FREEING ||
			    P->b[i]->state == BRIDGE_EXITING ||
			    (P->b[i]->state == BRIDGE_OPEN && P->b[i]->down.len < TRANSPORT_SSH_BUF_CAP);
		(void)ssh_pump_ep_set(P, p->session->sock, &P->sock_reg, (reader ? EPOLLIN : 0) |
		    ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? EPOLLOUT : 0));
		nl = p->listeners(p->arg, l, TRANSPORT_SSH_MAX_LISTENERS);
		ssh_pump_watch_listeners(P, l, nl);
		for (i = 0; i < P->nb; i++) {
			struct ssh_bridge *b = P->b[i];
			uint32_t ev = 0;

			if (b->state == BRIDGE_OPEN) {
				if (!b->client_eof && b->up.len < TRANSPORT_SSH_BUF_CAP)
					ev |= EPOLLIN;
				if (b->down.len > 0)
					ev |= EPOLLOUT;
			}
			/* nothing wanted: out of the set, or a client that hung up
			 * would end every wait at once (EPOLLHUP) until the
			 * channel ends */
			if (b->fd >= 0)
				(void)ssh_pump_ep_set(P, b->fd, &b->reg, b->state == BRIDGE_OPEN ? ev : 0);
		}
		if (P->fatal != NULL)
			break;
		if (P->ping_started != 0) {
			int64_t from = P->ping_started > p->session->last_rx_ms ? P->ping_started :
			    p->session->last_rx_ms;

			timeout = from + p->alive_interval_ms + 1 - now;
		} else
			timeout = P->next_ping - now;
		/* new listeners, stop and every client's bytes wake the wait;
		 * a look every second is kept as a safety net against a lost
		 * readiness event (the CLI stalls it was first added for were
		 * a lost read instead, fixed in ssh_pump_down: a pass skipped
		 * the channel whatever woke it) */
		if (timeout > SSH_PUMP_SAFETY_MS)
			timeout = SSH_PUMP_SAFETY_MS;
		/* overdue only when the ping waits for the opener: its reply wakes us */
		if (timeout < 0)
			timeout = 100;
		if (progress)
			timeout = 0;
		rc = epoll_wait(P->ep, evs, (int)(sizeof evs / sizeof evs[0]), (int)timeout);
		if (rc < 0 && errno != EINTR) {
			P->fatal = xasprintf("ssh: %s: epoll_wait: %s", p->name, strerror(errno));
			break;
		}
		for (k = 0; k < rc; k++) {
			int fd = evs[k].data.fd;

			if (fd == p->wake_fd) {
				woken = (evs[k].events & EPOLLIN) != 0;
				continue;
			}
			if (fd == p->session->sock)
				continue;
			for (j = 0; j < P->nlreg; j++)
				if (P->lreg[j].fd == fd)
					break;
			if (j < P->nlreg) {
				accept_on[j] = (evs[k].events & EPOLLIN) != 0;
				continue;
			}
			for (i = 0; i < P->nb; i++)
				if (P->b[i]->fd == fd)
					P->b[i]->fd_quiet = false;
		}
		if (woken && p->drain(p->arg))
			break;
		for (j = 0; j < P->nlreg; j++)
			if (accept_on[j])
				ssh_pump_accept(P, P->lreg[j].l);
	}
	*cause = P->fatal;
	P->fatal = NULL;
}

void
ssh_pump_teardown(struct ssh_pump_params *p)
{
	struct ssh_pump *P = p->state;
	size_t i;

	if (P == NULL)
		return;
	for (i = 0; i < P->nb; i++) {
		struct ssh_bridge *b = P->b[i];

		if (b->fd >= 0)
			close(b->fd);
		b->fd = -1;
		if (b->ch != NULL)
			(void)libssh2_channel_free(b->ch);
		buf_done(&b->up);
		buf_done(&b->down);
		free(b);
	}
	if (P->ctl != NULL)
		(void)libssh2_channel_free(P->ctl);
	if (P->ctl_dead != NULL)
		(void)libssh2_channel_free(P->ctl_dead);
	if (P->ep >= 0)
		close(P->ep);
	free(P->fatal);
	free(P);
	p->state = NULL;
}
