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
	LIBSSH2_CHANNEL *channel;
	const struct ssh_pump_listener *listener;  /* where the client connected */
	enum ssh_bridge_state state;
	struct buf up;           /* client -> channel */
	struct buf down;         /* channel -> client */
	bool client_eof, eof_sent, remote_eof, client_shut;
	/* Reads skipped when they cannot find anything, as each costs a system
	 * call (libssh2 reads the session socket on every channel read): */
	bool drained;            /* the last channel read found nothing... */
	uint64_t drained_at;     /* ...at this rx_reads of the session */
	bool fd_quiet;           /* the client's recv() found nothing since the wait last
	                          * reported it readable */
	uint32_t registered;     /* the events fd is registered for (0: not) */
	char stderr_head[SSH_PUMP_STDERR_KEEP + 1];  /* an exec's first stderr bytes */
	size_t stderr_len;
};

struct ssh_pump {
	struct ssh_pump_params *params;
	struct ssh_session *conn;        /* params->session: its socket and receive counters */
	LIBSSH2_SESSION *session;        /* conn->s */
	struct ssh_bridge *bridges[TRANSPORT_SSH_MAX_BRIDGES];
	size_t nbridges;
	struct ssh_bridge *opening;      /* holds the opener, or NULL */
	bool control_opening;            /* the control channel holds the opener */
	LIBSSH2_CHANNEL *control;        /* the control channel, for pings */
	LIBSSH2_CHANNEL *control_dead;   /* a control channel being freed */
	bool pinging;
	int64_t ping_started;            /* 0: no ping in flight */
	int64_t next_ping;
	enum ssh_pump_op stall;          /* see ssh_pump.h */
	struct ssh_bridge *stall_bridge;
	char *fatal;                     /* the connection is lost: why */
	int reported_tunnels;
	bool swept;                      /* the control channel's read emptied the socket... */
	uint64_t swept_at;               /* ...at this conn->rx_reads */
	/* The wait is an epoll set, kept in step with what each fd is wanted
	 * for, so that a wait costs the kernel work for the fds that are ready
	 * instead of for every listener and client at each wait. */
	int epfd;
	uint32_t wake_registered;        /* the events params->wake_fd is registered for */
	uint32_t sock_registered;        /* the same for the session's socket */
	struct ssh_pump_reg {
		const struct ssh_pump_listener *listener;
		int fd;
		uint32_t registered;
	} listeners[TRANSPORT_SSH_MAX_LISTENERS];
	size_t nlisteners;
};

/* Registers fd for want (0: unregisters), *registered being what it is
 * registered for now.  false with pump->fatal set when the kernel refuses. */
static bool
ssh_pump_watch(struct ssh_pump *pump, int fd, uint32_t *registered, uint32_t want)
{
	struct epoll_event ev = { .events = want, .data.fd = fd };
	int rc;

	if (want == *registered)
		return true;
	if (want == 0) {
		(void)epoll_ctl(pump->epfd, EPOLL_CTL_DEL, fd, NULL);   /* gone already: fine */
		*registered = 0;
		return true;
	}
	rc = epoll_ctl(pump->epfd, *registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
	if (rc != 0 && errno == EEXIST)
		rc = epoll_ctl(pump->epfd, EPOLL_CTL_MOD, fd, &ev);
	else if (rc != 0 && errno == ENOENT)
		rc = epoll_ctl(pump->epfd, EPOLL_CTL_ADD, fd, &ev);
	if (rc != 0) {
		if (pump->fatal == NULL)
			pump->fatal = xasprintf("ssh: %s: epoll: %s", pump->params->name,
			    strerror(errno));
		return false;
	}
	*registered = want;
	return true;
}

/* Closes a bridge's client fd, out of the wait set first. */
static void
ssh_pump_fd_close(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	if (bridge->fd < 0)
		return;
	(void)ssh_pump_watch(pump, bridge->fd, &bridge->registered, 0);
	close(bridge->fd);
	bridge->fd = -1;
}

static void
ssh_pump_report(struct ssh_pump *pump, int rtt_ms, const char *error)
{
	struct ssh_pump_report r = {
		.rtt_ms = rtt_ms, .tunnels = (int)pump->nbridges, .error = error,
	};

	pump->reported_tunnels = (int)pump->nbridges;
	pump->params->report(pump->params->arg, &r);
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
ssh_pump_set_fatal(struct ssh_pump *pump, int rc)
{
	if (pump->fatal != NULL)
		return;
	pump->fatal = xasprintf("ssh: connection to %s lost: %s (libssh2 error %d)",
	    pump->params->name, ssh_session_last_error(pump->session), rc);
}

/* After a libssh2 call returned rc: records a stall (a half-sent packet that
 * only this call may finish), or a lost session.  Returns rc. */
static int
ssh_pump_check(struct ssh_pump *pump, int rc, enum ssh_pump_op op,
    struct ssh_bridge *bridge)
{
	if (rc == LIBSSH2_ERROR_EAGAIN) {
		if (libssh2_session_block_directions(pump->session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
			pump->stall = op;
			pump->stall_bridge = bridge;
		}
	} else if (rc < 0 && ssh_pump_fatal_rc(rc))
		ssh_pump_set_fatal(pump, rc);
	return rc;
}

static void
ssh_pump_bridge_close(struct ssh_pump *pump, struct ssh_bridge *bridge, const char *error)
{
	ssh_pump_fd_close(pump, bridge);
	bridge->state = BRIDGE_FREEING;
	if (error != NULL)
		ssh_pump_report(pump, -1, error);
}

static void
ssh_pump_bridge_fail(struct ssh_pump *pump, struct ssh_bridge *bridge, const char *what)
{
	char *head = bridge->stderr_head, *msg;
	size_t len = bridge->stderr_len;

	while (len > 0 && (head[len - 1] == '\n' || head[len - 1] == '\r' || head[len - 1] == ' '))
		head[--len] = '\0';
	bridge->stderr_len = len;
	msg = xasprintf("ssh: %s: the tunnel to %s failed: %s%s%s", pump->params->name,
	    bridge->listener->label, what, len > 0 ? ": " : "", head);

	ssh_pump_bridge_close(pump, bridge, msg);
	free(msg);
}

static void
ssh_pump_bridge_remove(struct ssh_pump *pump, size_t i)
{
	struct ssh_bridge *bridge = pump->bridges[i];

	ssh_pump_fd_close(pump, bridge);
	buf_done(&bridge->up);
	buf_done(&bridge->down);
	free(bridge);
	pump->bridges[i] = pump->bridges[--pump->nbridges];
}

/* The opener: the control channel when a ping needs it, else the first
 * queued connection.  Returns true on progress. */
static bool
ssh_pump_opener(struct ssh_pump *pump, int64_t now)
{
	LIBSSH2_CHANNEL *channel;
	struct ssh_bridge *bridge;
	size_t i;
	int err;

	if (pump->opening == NULL && !pump->control_opening) {
		if (pump->control == NULL && pump->control_dead == NULL && now >= pump->next_ping) {
			pump->control_opening = true;
			pump->ping_started = now;
			pump->next_ping = now + pump->params->alive_interval_ms;
		} else {
			for (i = 0; i < pump->nbridges; i++)
				if (pump->bridges[i]->state == BRIDGE_QUEUED)
					break;
			if (i == pump->nbridges)
				return false;
			pump->opening = pump->bridges[i];
			pump->opening->state = BRIDGE_OPENING;
		}
	}
	if (pump->control_opening) {
		channel = libssh2_channel_open_session(pump->session);
		err = channel == NULL ? libssh2_session_last_errno(pump->session) : 0;
		if (channel == NULL &&
		    ssh_pump_check(pump, err, OP_CTL_OPEN, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		/* opened or refused: either way the host answered */
		pump->control_opening = false;
		if (pump->fatal != NULL)
			return false;
		pump->control = channel;
		ssh_pump_report(pump, (int)(time_mono_ms() - pump->ping_started), NULL);
		pump->ping_started = 0;
		return true;
	}
	bridge = pump->opening;
	if (bridge->listener->kind == SSH_PUMP_TCP)
		channel = libssh2_channel_direct_tcpip_ex(pump->session, bridge->listener->rhost,
		    bridge->listener->rport, "127.0.0.1", 22);
	else
		channel = libssh2_channel_open_session(pump->session);
	if (channel == NULL) {
		char *msg;

		err = libssh2_session_last_errno(pump->session);
		if (ssh_pump_check(pump, err, OP_OPEN, bridge) == LIBSSH2_ERROR_EAGAIN)
			return false;
		pump->opening = NULL;
		msg = xasprintf("%s refused to open the channel (%s)", pump->params->name,
		    ssh_session_last_error(pump->session));
		ssh_pump_bridge_fail(pump, bridge, msg);
		free(msg);
		return true;
	}
	pump->opening = NULL;
	bridge->channel = channel;
	bridge->state = bridge->listener->kind == SSH_PUMP_TCP ? BRIDGE_OPEN : BRIDGE_EXEC;
	return true;
}

static bool
ssh_pump_exec(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	const char *command = bridge->listener->command;
	int rc = libssh2_channel_exec(bridge->channel, command);

	if (ssh_pump_check(pump, rc, OP_EXEC, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	if (rc != 0) {
		char *msg = xasprintf("%s refused to run \"%s\" (%s)", pump->params->name, command,
		    ssh_session_last_error(pump->session));

		ssh_pump_bridge_fail(pump, bridge, msg);
		free(msg);
		return true;
	}
	bridge->state = BRIDGE_OPEN;
	return true;
}

/* Channel to client. */
static bool
ssh_pump_down(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	char tmp[SSH_PUMP_CHUNK];
	bool progress = false;
	uint64_t rx = pump->conn->rx_reads, drained_at;

	if (bridge->drained && bridge->drained_at == rx)
		goto send;   /* no byte came in since this channel had nothing */
	if (bridge->drained && pump->swept && pump->swept_at == rx &&
	    libssh2_poll_channel_read(bridge->channel, 1) == 0 &&
	    !libssh2_channel_eof(bridge->channel)) {
		/* the socket is empty and libssh2 holds nothing for this channel:
		 * what came in was for others (no read, no system call) */
		bridge->drained_at = rx;
		goto send;
	}
	bridge->drained = false;
	while (!bridge->remote_eof && bridge->down.len < TRANSPORT_SSH_BUF_CAP) {
		size_t room = TRANSPORT_SSH_BUF_CAP - bridge->down.len;
		ssize_t n = libssh2_channel_read(bridge->channel, tmp,
		    room < sizeof tmp ? room : sizeof tmp);

		if (n > 0) {
			buf_append(&bridge->down, tmp, (size_t)n);
			progress = true;
			continue;
		}
		if (ssh_pump_check(pump, (int)n, OP_READ, bridge) == LIBSSH2_ERROR_EAGAIN) {
			bridge->drained = true;
			break;
		}
		if (n == 0 && !libssh2_channel_eof(bridge->channel))
			break;
		/* EOF, or a channel error: what was received still goes out */
		bridge->remote_eof = true;
		progress = true;
	}
	if (pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	/* The channel is empty as of this read, not as of after the stderr read
	 * below: that read may take in more from the socket, this channel's
	 * stdout bytes or its EOF among it, and those must be read at the next
	 * look rather than wait for the next byte to arrive (which may be the
	 * keepalive's reply, an interval away). */
	drained_at = pump->conn->rx_reads;
	if (bridge->listener->kind == SSH_PUMP_EXEC) {
		if (ssh_pump_test_between_reads != NULL)
			ssh_pump_test_between_reads();
		for (;;) {
			ssize_t n = libssh2_channel_read_stderr(bridge->channel, tmp, sizeof tmp);
			size_t keep;

			if (n <= 0) {
				if (ssh_pump_check(pump, (int)n, OP_READ, bridge) != LIBSSH2_ERROR_EAGAIN)
					bridge->drained = false;
				break;
			}
			keep = SSH_PUMP_STDERR_KEEP - bridge->stderr_len;
			if ((size_t)n < keep)
				keep = (size_t)n;
			memcpy(bridge->stderr_head + bridge->stderr_len, tmp, keep);
			bridge->stderr_len += keep;
			bridge->stderr_head[bridge->stderr_len] = '\0';
		}
		if (pump->stall != OP_NONE || pump->fatal != NULL)
			return progress;
	}
	bridge->drained_at = drained_at;
send:
	if (bridge->down.len > 0) {
		ssize_t n = send(bridge->fd, bridge->down.data, bridge->down.len,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			buf_consume(&bridge->down, (size_t)n);
			progress = true;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ssh_pump_bridge_close(pump, bridge, NULL);     /* the client went away */
			return true;
		}
	}
	if (bridge->remote_eof && bridge->down.len == 0 && !bridge->client_shut) {
		(void)shutdown(bridge->fd, SHUT_WR);
		bridge->client_shut = true;
		progress = true;
	}
	return progress;
}

/* Client to channel. */
static bool
ssh_pump_up(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	char tmp[SSH_PUMP_CHUNK];
	bool progress = false;
	int rc;

	if (!bridge->client_eof && bridge->up.len < TRANSPORT_SSH_BUF_CAP && !bridge->fd_quiet) {
		size_t room = TRANSPORT_SSH_BUF_CAP - bridge->up.len;
		ssize_t n = recv(bridge->fd, tmp, room < sizeof tmp ? room : sizeof tmp,
		    MSG_DONTWAIT);

		if (n > 0) {
			buf_append(&bridge->up, tmp, (size_t)n);
			progress = true;
		} else if (n == 0) {
			bridge->client_eof = true;
			progress = true;
		} else if (errno == EAGAIN) {
			bridge->fd_quiet = true;   /* until the wait says it is readable */
		} else if (errno != EINTR) {
			ssh_pump_bridge_close(pump, bridge, NULL);
			return true;
		}
	}
	while (bridge->up.len > 0) {
		ssize_t n = libssh2_channel_write(bridge->channel, bridge->up.data, bridge->up.len);

		if (n > 0) {
			buf_consume(&bridge->up, (size_t)n);
			progress = true;
			continue;
		}
		if (ssh_pump_check(pump, (int)n, OP_WRITE, bridge) == LIBSSH2_ERROR_EAGAIN || n == 0)
			return progress;
		/* the remote end is gone: nothing more can be sent */
		buf_reset(&bridge->up);
		bridge->client_eof = bridge->eof_sent = true;
		return true;
	}
	if (bridge->client_eof && !bridge->eof_sent) {
		rc = libssh2_channel_send_eof(bridge->channel);
		if (ssh_pump_check(pump, rc, OP_EOF, bridge) == LIBSSH2_ERROR_EAGAIN)
			return progress;
		bridge->eof_sent = true;
		progress = true;
	}
	return progress;
}

static bool
ssh_pump_bridge_step(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	bool progress = false;
	int rc;

	switch (bridge->state) {
	case BRIDGE_QUEUED:
	case BRIDGE_OPENING:
		return false;
	case BRIDGE_EXEC:
		return ssh_pump_exec(pump, bridge);
	case BRIDGE_FREEING:
		if (bridge->channel == NULL)
			return false;
		rc = libssh2_channel_free(bridge->channel);
		if (ssh_pump_check(pump, rc, OP_FREE, bridge) == LIBSSH2_ERROR_EAGAIN)
			return false;
		bridge->channel = NULL;
		return true;
	case BRIDGE_EXITING:
		/* the exit status may arrive after the EOF: wait for the close */
		rc = libssh2_channel_wait_closed(bridge->channel);
		if (ssh_pump_check(pump, rc, OP_WAIT, bridge) == LIBSSH2_ERROR_EAGAIN)
			return false;
		rc = libssh2_channel_get_exit_status(bridge->channel);
		if (rc != 0) {
			char what[64];

			snprintf(what, sizeof what, "exit status %d", rc);
			ssh_pump_bridge_fail(pump, bridge, what);
		} else
			bridge->state = BRIDGE_FREEING;
		return true;
	case BRIDGE_OPEN:
		break;
	}
	progress |= ssh_pump_down(pump, bridge);
	if (bridge->state != BRIDGE_OPEN || pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	progress |= ssh_pump_up(pump, bridge);
	if (bridge->state != BRIDGE_OPEN || pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	if (bridge->client_eof && bridge->eof_sent && bridge->remote_eof && bridge->down.len == 0) {
		ssh_pump_fd_close(pump, bridge);
		bridge->state = bridge->listener->kind == SSH_PUMP_EXEC ? BRIDGE_EXITING :
		    BRIDGE_FREEING;
		return true;
	}
	return progress;
}

/* The control channel: pings, reads that drain the transport, its freeing. */
static bool
ssh_pump_control(struct ssh_pump *pump, int64_t now)
{
	char tmp[256];
	int rc;

	if (pump->control_dead != NULL) {
		rc = libssh2_channel_free(pump->control_dead);
		if (ssh_pump_check(pump, rc, OP_CTL_FREE, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		pump->control_dead = NULL;
		return true;
	}
	if (pump->control == NULL)
		return false;
	if (!pump->pinging && now >= pump->next_ping) {
		pump->pinging = true;
		pump->ping_started = now;
		pump->next_ping = now + pump->params->alive_interval_ms;
	}
	if (pump->pinging) {
		/* an "env" request with want_reply: accepted or refused, it is answered */
		rc = libssh2_channel_setenv_ex(pump->control, "KITETOP_PING", 12, "1", 1);
		if (ssh_pump_check(pump, rc, OP_CTL_PING, NULL) == LIBSSH2_ERROR_EAGAIN)
			return false;
		pump->pinging = false;
		if (rc == 0 || rc == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED) {
			ssh_pump_report(pump, (int)(time_mono_ms() - pump->ping_started), NULL);
			pump->ping_started = 0;
		} else {
			/* the channel broke: free it, the next ping reopens one */
			pump->control_dead = pump->control;
			pump->control = NULL;
			pump->ping_started = 0;
		}
		return true;
	}
	/* lets libssh2 read what arrived (window adjusts, other channels' data) */
	rc = (int)libssh2_channel_read(pump->control, tmp, sizeof tmp);
	pump->swept = rc == LIBSSH2_ERROR_EAGAIN;
	pump->swept_at = pump->conn->rx_reads;
	if (ssh_pump_check(pump, rc, OP_CTL_READ, NULL) != LIBSSH2_ERROR_EAGAIN && rc <= 0 &&
	    libssh2_channel_eof(pump->control)) {
		pump->control_dead = pump->control;
		pump->control = NULL;
		return true;
	}
	return rc > 0;
}

/* Repeats the stalled call only.  true when the stall is over. */
static bool
ssh_pump_unstall(struct ssh_pump *pump, int64_t now)
{
	enum ssh_pump_op op = pump->stall;
	struct ssh_bridge *bridge = pump->stall_bridge;

	pump->stall = OP_NONE;
	pump->stall_bridge = NULL;
	switch (op) {
	case OP_NONE:
		break;
	case OP_OPEN:
	case OP_CTL_OPEN:
		(void)ssh_pump_opener(pump, now);
		break;
	case OP_CTL_PING:
	case OP_CTL_READ:
	case OP_CTL_FREE:
		(void)ssh_pump_control(pump, now);
		break;
	default:
		(void)ssh_pump_bridge_step(pump, bridge);
		break;
	}
	return pump->stall == OP_NONE;
}

static bool
ssh_pump_pass(struct ssh_pump *pump)
{
	int64_t now = time_mono_ms();
	bool progress = false;
	size_t i;

	if (pump->stall != OP_NONE && !ssh_pump_unstall(pump, now))
		return false;
	if (pump->fatal != NULL)
		return false;
	pump->swept = false;
	progress |= ssh_pump_opener(pump, now);
	if (pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	progress |= ssh_pump_control(pump, now);
	if (pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	for (i = 0; i < pump->nbridges; i++) {
		progress |= ssh_pump_bridge_step(pump, pump->bridges[i]);
		if (pump->stall != OP_NONE || pump->fatal != NULL)
			return progress;
	}
	for (i = pump->nbridges; i-- > 0;) {
		const struct ssh_bridge *bridge = pump->bridges[i];

		if (bridge->state == BRIDGE_FREEING && bridge->channel == NULL) {
			ssh_pump_bridge_remove(pump, i);
			progress = true;
		}
	}
	if (pump->reported_tunnels != (int)pump->nbridges)
		ssh_pump_report(pump, -1, NULL);
	return progress;
}

static bool
ssh_pump_same_listener(const struct ssh_pump_listener *listener, const struct ssh_pump_reg *reg)
{
	return listener == reg->listener && listener->fd == reg->fd;
}

/* The wait set's listeners made the n of listeners: new ones in, gone ones
 * out (matched by object and fd: a closed fd's number may come back for
 * another), each wanted while a bridge may still be added. */
static void
ssh_pump_watch_listeners(struct ssh_pump *pump, struct ssh_pump_listener *const *listeners,
    size_t n)
{
	uint32_t want = pump->nbridges < TRANSPORT_SSH_MAX_BRIDGES ? EPOLLIN : 0;
	size_t i, j, keep;

	for (j = keep = 0; j < pump->nlisteners; j++) {
		for (i = 0; i < n; i++)
			if (ssh_pump_same_listener(listeners[i], &pump->listeners[j]))
				break;
		if (i == n)
			(void)ssh_pump_watch(pump, pump->listeners[j].fd,
			    &pump->listeners[j].registered, 0);
		else
			pump->listeners[keep++] = pump->listeners[j];
	}
	pump->nlisteners = keep;
	for (i = 0; i < n; i++) {
		for (j = 0; j < pump->nlisteners; j++)
			if (ssh_pump_same_listener(listeners[i], &pump->listeners[j]))
				break;
		if (j == pump->nlisteners) {
			pump->listeners[j].listener = listeners[i];
			pump->listeners[j].fd = listeners[i]->fd;
			pump->listeners[j].registered = 0;
			pump->nlisteners++;
		}
		(void)ssh_pump_watch(pump, pump->listeners[j].fd, &pump->listeners[j].registered,
		    want);
	}
}

static void
ssh_pump_accept(struct ssh_pump *pump, const struct ssh_pump_listener *listener)
{
	while (pump->nbridges < TRANSPORT_SSH_MAX_BRIDGES) {
		int fd = accept4(listener->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct ssh_bridge *bridge;

		if (fd < 0)
			return;
		bridge = xcalloc(1, sizeof *bridge);
		bridge->fd = fd;
		bridge->listener = listener;
		bridge->state = BRIDGE_QUEUED;
		buf_init(&bridge->up);
		buf_init(&bridge->down);
		pump->bridges[pump->nbridges++] = bridge;
	}
}

void
ssh_pump_run(struct ssh_pump_params *params, char **cause)
{
	struct ssh_pump *pump = xcalloc(1, sizeof *pump);
	struct ssh_pump_listener *listeners[TRANSPORT_SSH_MAX_LISTENERS];

	params->state = pump;
	pump->params = params;
	pump->conn = params->session;
	pump->session = params->session->s;
	pump->next_ping = time_mono_ms();
	pump->epfd = epoll_create1(EPOLL_CLOEXEC);
	*cause = NULL;
	if (pump->epfd < 0) {
		*cause = xasprintf("ssh: %s: epoll: %s", params->name, strerror(errno));
		return;
	}
	for (;;) {
		struct epoll_event evs[2 + TRANSPORT_SSH_MAX_LISTENERS + TRANSPORT_SSH_MAX_BRIDGES];
		bool accept_on[TRANSPORT_SSH_MAX_LISTENERS] = { false };
		size_t nlisteners, i, j;
		int64_t now, timeout;
		int dir, rc, k;
		bool progress = false, reader, woken = false;

		/* passes until one moves nothing and reads no byte from the socket
		 * (a byte read by a later channel's call may be an earlier one's) */
		for (k = 0; k < 64; k++) {
			uint64_t rx0 = pump->conn->rx_reads;

			if (!ssh_pump_pass(pump) && pump->conn->rx_reads == rx0)
				break;
			progress = true;
		}
		if (pump->fatal != NULL)
			break;
		now = time_mono_ms();
		/* dead: a keepalive unanswered for an interval, and nothing at all
		 * received meanwhile (a reply can queue behind a big transfer) */
		if (pump->ping_started != 0 && now - pump->ping_started > params->alive_interval_ms &&
		    now - pump->conn->last_rx_ms > params->alive_interval_ms) {
			pump->fatal = xasprintf("ssh: %s stopped answering: nothing received for %d s "
			    "despite a keepalive", params->name, (params->alive_interval_ms + 999) / 1000);
			break;
		}

		(void)ssh_pump_watch(pump, params->wake_fd, &pump->wake_registered, EPOLLIN);
		dir = libssh2_session_block_directions(pump->session);
		/* the session socket is read only through channel calls: wait for
		 * its input only when some call will read it, or the wait would spin */
		reader = pump->control != NULL || pump->control_dead != NULL ||
		    pump->opening != NULL || pump->control_opening || pump->stall != OP_NONE;
		for (i = 0; i < pump->nbridges && !reader; i++) {
			const struct ssh_bridge *bridge = pump->bridges[i];

			reader = bridge->state == BRIDGE_EXEC || bridge->state == BRIDGE_FREEING ||
			    bridge->state == BRIDGE_EXITING ||
			    (bridge->state == BRIDGE_OPEN && bridge->down.len < TRANSPORT_SSH_BUF_CAP);
		}
		(void)ssh_pump_watch(pump, pump->conn->sock, &pump->sock_registered,
		    (reader ? EPOLLIN : 0) | ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? EPOLLOUT : 0));
		nlisteners = params->listeners(params->arg, listeners, TRANSPORT_SSH_MAX_LISTENERS);
		ssh_pump_watch_listeners(pump, listeners, nlisteners);
		for (i = 0; i < pump->nbridges; i++) {
			struct ssh_bridge *bridge = pump->bridges[i];
			uint32_t ev = 0;

			if (bridge->state == BRIDGE_OPEN) {
				if (!bridge->client_eof && bridge->up.len < TRANSPORT_SSH_BUF_CAP)
					ev |= EPOLLIN;
				if (bridge->down.len > 0)
					ev |= EPOLLOUT;
			}
			/* nothing wanted: out of the set, or a client that hung up
			 * would end every wait at once (EPOLLHUP) until the
			 * channel ends */
			if (bridge->fd >= 0)
				(void)ssh_pump_watch(pump, bridge->fd, &bridge->registered,
				    bridge->state == BRIDGE_OPEN ? ev : 0);
		}
		if (pump->fatal != NULL)
			break;
		if (pump->ping_started != 0) {
			int64_t from = pump->ping_started > pump->conn->last_rx_ms ? pump->ping_started :
			    pump->conn->last_rx_ms;

			timeout = from + params->alive_interval_ms + 1 - now;
		} else
			timeout = pump->next_ping - now;
		/* new listeners, stop and every client's bytes wake the wait; it
		 * also ends every SSH_PUMP_SAFETY_MS, so that a readiness event
		 * that never comes delays a tunnel by that much at most */
		if (timeout > SSH_PUMP_SAFETY_MS)
			timeout = SSH_PUMP_SAFETY_MS;
		/* overdue only when the ping waits for the opener: its reply wakes us */
		if (timeout < 0)
			timeout = 100;
		if (progress)
			timeout = 0;
		rc = epoll_wait(pump->epfd, evs, (int)(sizeof evs / sizeof evs[0]), (int)timeout);
		if (rc < 0 && errno != EINTR) {
			pump->fatal = xasprintf("ssh: %s: epoll_wait: %s", params->name,
			    strerror(errno));
			break;
		}
		for (k = 0; k < rc; k++) {
			int fd = evs[k].data.fd;

			if (fd == params->wake_fd) {
				woken = (evs[k].events & EPOLLIN) != 0;
				continue;
			}
			if (fd == pump->conn->sock)
				continue;
			for (j = 0; j < pump->nlisteners; j++)
				if (pump->listeners[j].fd == fd)
					break;
			if (j < pump->nlisteners) {
				accept_on[j] = (evs[k].events & EPOLLIN) != 0;
				continue;
			}
			for (i = 0; i < pump->nbridges; i++)
				if (pump->bridges[i]->fd == fd)
					pump->bridges[i]->fd_quiet = false;
		}
		if (woken && params->drain(params->arg))
			break;
		for (j = 0; j < pump->nlisteners; j++)
			if (accept_on[j])
				ssh_pump_accept(pump, pump->listeners[j].listener);
	}
	*cause = pump->fatal;
	pump->fatal = NULL;
}

void
ssh_pump_teardown(struct ssh_pump_params *params)
{
	struct ssh_pump *pump = params->state;
	size_t i;

	if (pump == NULL)
		return;
	for (i = 0; i < pump->nbridges; i++) {
		struct ssh_bridge *bridge = pump->bridges[i];

		if (bridge->fd >= 0)
			close(bridge->fd);
		bridge->fd = -1;
		if (bridge->channel != NULL)
			(void)libssh2_channel_free(bridge->channel);
		buf_done(&bridge->up);
		buf_done(&bridge->down);
		free(bridge);
	}
	if (pump->control != NULL)
		(void)libssh2_channel_free(pump->control);
	if (pump->control_dead != NULL)
		(void)libssh2_channel_free(pump->control_dead);
	if (pump->epfd >= 0)
		close(pump->epfd);
	free(pump->fatal);
	free(pump);
	params->state = NULL;
}
