/* ssh_pump_bridge — see ssh_pump_bridge.h. */
#include "backends/transport/ssh_pump_bridge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/ssh_pump_internal.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define SSH_PUMP_CHUNK 32768

void (*ssh_pump_test_between_reads)(void);

struct ssh_bridge *
ssh_pump_bridge_new(int fd, const struct ssh_pump_listener *listener)
{
	struct ssh_bridge *bridge = xcalloc(1, sizeof *bridge);

	bridge->fd = fd;
	bridge->err_fd = -1;
	bridge->listener = listener;
	bridge->state = BRIDGE_QUEUED;
	buf_init(&bridge->up);
	buf_init(&bridge->down);
	buf_init(&bridge->err);
	return bridge;
}

struct ssh_bridge *
ssh_pump_bridge_new_pty(struct ssh_pty *pty)
{
	struct ssh_bridge *bridge = ssh_pump_bridge_new(pty->pump_fd, NULL);

	/* the sockets are the bridge's from now on: closed by it */
	bridge->pty = pty;
	bridge->err_fd = pty->pump_err_fd;
	pty->pump_fd = pty->pump_err_fd = -1;
	return bridge;
}

/* Closes the client fd, out of the wait set first. */
static void
ssh_pump_bridge_fd_close(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	if (bridge->fd < 0)
		return;
	(void)ssh_pump_watch(pump, bridge->fd, &bridge->registered, 0);
	close(bridge->fd);
	bridge->fd = -1;
	if (bridge->err_fd >= 0) {
		(void)ssh_pump_watch(pump, bridge->err_fd, &bridge->err_registered, 0);
		close(bridge->err_fd);
		bridge->err_fd = -1;
	}
}

static void
ssh_pump_bridge_close(struct ssh_pump *pump, struct ssh_bridge *bridge, const char *error)
{
	ssh_pump_bridge_fd_close(pump, bridge);
	bridge->state = BRIDGE_FREEING;
	/* a session's failure is its asker's to say, not the host's state */
	if (bridge->pty != NULL)
		ssh_pty_finish(bridge->pty, -1, error != NULL ? error :
		    "the session's socket was closed");
	else if (error != NULL)
		ssh_pump_report(pump, -1, error);
}

void
ssh_pump_bridge_drop(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	ssh_pump_bridge_close(pump, bridge, NULL);
}

void
ssh_pump_bridge_fail(struct ssh_pump *pump, struct ssh_bridge *bridge, const char *what)
{
	char *head = bridge->stderr_head, *msg;
	size_t len = bridge->stderr_len;

	while (len > 0 && (head[len - 1] == '\n' || head[len - 1] == '\r' || head[len - 1] == ' '))
		head[--len] = '\0';
	bridge->stderr_len = len;
	if (bridge->pty != NULL)
		msg = xasprintf("ssh: %s: %s failed: %s", pump->params->name, bridge->pty->label,
		    what);
	else
		msg = xasprintf("ssh: %s: the tunnel to %s failed: %s%s%s", pump->params->name,
		    bridge->listener->label, what, len > 0 ? ": " : "", head);

	ssh_pump_bridge_close(pump, bridge, msg);
	free(msg);
}

void
ssh_pump_bridge_free(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	ssh_pump_bridge_fd_close(pump, bridge);
	buf_done(&bridge->up);
	buf_done(&bridge->down);
	buf_done(&bridge->err);
	ssh_pty_unref(bridge->pty);
	free(bridge);
}

void
ssh_pump_bridge_abandon(struct ssh_bridge *bridge)
{
	if (bridge->fd >= 0)
		close(bridge->fd);
	if (bridge->err_fd >= 0)
		close(bridge->err_fd);
	bridge->fd = bridge->err_fd = -1;
	if (bridge->channel != NULL)
		(void)libssh2_channel_free(bridge->channel);
	if (bridge->pty != NULL) {
		ssh_pty_finish(bridge->pty, -1, "the SSH connection was closed");
		ssh_pty_unref(bridge->pty);
	}
	buf_done(&bridge->up);
	buf_done(&bridge->down);
	buf_done(&bridge->err);
	free(bridge);
}

static bool
ssh_pump_bridge_exec(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	const char *command = bridge->pty != NULL ? bridge->pty->command :
	    bridge->listener->command;
	/* a session without a command is the user's login shell */
	int rc = command == NULL ? libssh2_channel_shell(bridge->channel) :
	    libssh2_channel_exec(bridge->channel, command);

	if (ssh_pump_check(pump, rc, OP_EXEC, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	if (rc != 0) {
		char *msg = xasprintf("%s refused to run %s (%s)", pump->params->name,
		    bridge->pty != NULL ? bridge->pty->label : bridge->listener->label,
		    ssh_session_last_error(pump->session));

		ssh_pump_bridge_fail(pump, bridge, msg);
		free(msg);
		return true;
	}
	bridge->state = BRIDGE_OPEN;
	if (bridge->pty != NULL)
		ssh_pty_started(bridge->pty);
	return true;
}

ssize_t
ssh_pump_bridge_read(struct ssh_bridge *bridge, int stream, char *buf, size_t len)
{
	bridge->read_stream = stream;
	bridge->read_len = len;
	return libssh2_channel_read_ex(bridge->channel, stream, buf, len);
}

/* Keeps the first bytes of an exec's stderr, for its error message. */
static void
ssh_pump_bridge_keep_stderr(struct ssh_bridge *bridge, const char *data, size_t n)
{
	size_t keep = SSH_PUMP_STDERR_KEEP - bridge->stderr_len;

	if (n < keep)
		keep = n;
	memcpy(bridge->stderr_head + bridge->stderr_len, data, keep);
	bridge->stderr_len += keep;
	bridge->stderr_head[bridge->stderr_len] = '\0';
}

/* Stdout bytes read from the channel, towards the client. */
static void
ssh_pump_bridge_take_down(struct ssh_bridge *bridge, const char *data, size_t n)
{
	buf_append(&bridge->down, data, n);
	bridge->answered = true;
	bridge->last_up = false;
	bridge->active_ms = time_mono_ms();
}

/* Reads an exec's stderr (into tmp, of size) until libssh2 holds no more. */
static void
ssh_pump_bridge_read_stderr(struct ssh_pump *pump, struct ssh_bridge *bridge, char *tmp,
    size_t size)
{
	for (;;) {
		ssize_t n = ssh_pump_bridge_read(bridge, SSH_EXTENDED_DATA_STDERR, tmp, size);

		if (n <= 0) {
			if (ssh_pump_check(pump, (int)n, OP_READ, bridge) != LIBSSH2_ERROR_EAGAIN)
				bridge->drained = false;
			break;
		}
		ssh_pump_bridge_keep_stderr(bridge, tmp, (size_t)n);
		if (ssh_pump_read_pending(pump, bridge))
			break;
	}
}

void
ssh_pump_bridge_reread(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	char tmp[SSH_PUMP_CHUNK];
	size_t len = bridge->read_len < sizeof tmp ? bridge->read_len : sizeof tmp;
	ssize_t n;

	if (bridge->channel == NULL || len == 0)
		return;
	n = libssh2_channel_read_ex(bridge->channel, bridge->read_stream, tmp, len);
	if (n <= 0) {
		(void)ssh_pump_check(pump, (int)n, OP_READ, bridge);
		return;    /* an EOF or an error is the next step's read's to see */
	}
	if (bridge->read_stream == 0)
		ssh_pump_bridge_take_down(bridge, tmp, (size_t)n);
	else if (bridge->pty != NULL)
		buf_append(bridge->err_fd >= 0 ? &bridge->err : &bridge->down, tmp, (size_t)n);
	else
		ssh_pump_bridge_keep_stderr(bridge, tmp, (size_t)n);
	(void)ssh_pump_read_pending(pump, bridge);
}

bool
ssh_pump_bridge_flush(struct ssh_bridge *bridge)
{
	ssize_t n;

	if (bridge->state != BRIDGE_OPEN || bridge->fd < 0 || bridge->down.len == 0)
		return false;
	n = send(bridge->fd, bridge->down.data, bridge->down.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n <= 0)
		return false;      /* an error is the next step's to handle */
	buf_consume(&bridge->down, (size_t)n);
	return true;
}

/* Channel to client. */
static bool
ssh_pump_bridge_down(struct ssh_pump *pump, struct ssh_bridge *bridge)
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
		ssize_t n = ssh_pump_bridge_read(bridge, 0, tmp, room < sizeof tmp ? room : sizeof tmp);

		if (n > 0) {
			ssh_pump_bridge_take_down(bridge, tmp, (size_t)n);
			progress = true;
			if (ssh_pump_read_pending(pump, bridge))
				return progress;
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
	if (bridge->pty != NULL) {
		ssh_pump_pty_read_stderr(pump, bridge, tmp, sizeof tmp);
		if (pump->stall != OP_NONE || pump->fatal != NULL)
			return progress;
	} else if (bridge->listener->kind == SSH_PUMP_EXEC) {
		if (ssh_pump_test_between_reads != NULL)
			ssh_pump_test_between_reads();
		ssh_pump_bridge_read_stderr(pump, bridge, tmp, sizeof tmp);
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
	if (bridge->pty != NULL && !ssh_pump_pty_send_stderr(bridge, &progress)) {
		ssh_pump_bridge_close(pump, bridge, NULL);
		return true;
	}
	if (bridge->remote_eof && bridge->down.len == 0 && !bridge->client_shut) {
		(void)shutdown(bridge->fd, SHUT_WR);
		bridge->client_shut = true;
		progress = true;
	}
	return progress;
}

/* Client to channel. */
bool
ssh_pump_bridge_up(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	char tmp[SSH_PUMP_CHUNK];
	bool progress = false;

	if (!bridge->client_eof && bridge->up.len < TRANSPORT_SSH_BUF_CAP && !bridge->fd_quiet) {
		size_t room = TRANSPORT_SSH_BUF_CAP - bridge->up.len;
		bool none_pending = bridge->up.len == 0;   /* so no write of ours is stalled */
		ssize_t n = recv(bridge->fd, tmp, room < sizeof tmp ? room : sizeof tmp,
		    MSG_DONTWAIT);

		if (n > 0) {
			buf_append(&bridge->up, tmp, (size_t)n);
			bridge->last_up = true;
			bridge->active_ms = time_mono_ms();
			progress = true;
			/* a window change asked for before these bytes were typed
			 * goes before them (the step's own check may have run
			 * before it was asked for) */
			if (bridge->pty != NULL && none_pending) {
				progress |= ssh_pump_pty_resize(pump, bridge);
				if (pump->stall != OP_NONE || pump->fatal != NULL)
					return progress;
			}
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
		ssize_t n = libssh2_channel_write(bridge->channel, bridge->up.data,
		    bridge->up.len);

		if (n > 0) {
			buf_consume(&bridge->up, (size_t)n);
			ssh_pump_sent(pump);
			progress = true;
			continue;
		}
		if (ssh_pump_check(pump, (int)n, OP_WRITE, bridge) == LIBSSH2_ERROR_EAGAIN ||
		    n == 0)
			return progress;
		/* the remote end is gone: nothing more can be sent */
		buf_reset(&bridge->up);
		bridge->client_eof = bridge->eof_sent = true;
		return true;
	}
	/* the EOF itself is sent by ssh_pump_bridge_send_eof, from the pass */
	return progress;
}

bool
ssh_pump_bridge_eof_due(const struct ssh_bridge *bridge)
{
	return bridge->state == BRIDGE_OPEN && bridge->channel != NULL && bridge->client_eof &&
	    !bridge->eof_sent && bridge->up.len == 0;
}

bool
ssh_pump_bridge_send_eof(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	int rc = libssh2_channel_send_eof(bridge->channel);

	if (ssh_pump_check(pump, rc, OP_EOF, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	bridge->eof_sent = true;
	return true;
}

bool
ssh_pump_bridge_step(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	bool progress = false;
	int rc;

	switch (bridge->state) {
	case BRIDGE_QUEUED:
	case BRIDGE_OPENING:
		return false;
	case BRIDGE_PTY:
		return ssh_pump_pty_request(pump, bridge);
	case BRIDGE_EXEC:
		return ssh_pump_bridge_exec(pump, bridge);
	case BRIDGE_FREEING:
		if (bridge->channel == NULL)
			return false;
		rc = libssh2_channel_free(bridge->channel);
		if (ssh_pump_check(pump, rc, OP_FREE, bridge) == LIBSSH2_ERROR_EAGAIN)
			return false;
		bridge->channel = NULL;
		return true;
	case BRIDGE_EXITING:
		if (bridge->pty != NULL)
			return ssh_pump_pty_exited(pump, bridge);
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
	if (bridge->pty != NULL) {
		if (ssh_pty_abandoned(bridge->pty)) {
			ssh_pump_bridge_close(pump, bridge, "abandoned");
			return true;
		}
		/* first, so that a stalled window change is the call repeated */
		progress |= ssh_pump_pty_resize(pump, bridge);
		if (pump->stall != OP_NONE || pump->fatal != NULL)
			return progress;
	}
	progress |= ssh_pump_bridge_down(pump, bridge);
	if (bridge->state != BRIDGE_OPEN || pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	progress |= ssh_pump_bridge_up(pump, bridge);
	if (bridge->state != BRIDGE_OPEN || pump->stall != OP_NONE || pump->fatal != NULL)
		return progress;
	/* a session ends with its remote side, whatever its asker still sends */
	if (bridge->pty != NULL && bridge->remote_eof && bridge->down.len == 0 &&
	    bridge->err.len == 0) {
		ssh_pump_bridge_fd_close(pump, bridge);
		bridge->state = BRIDGE_EXITING;
		return true;
	}
	if (bridge->client_eof && bridge->eof_sent && bridge->remote_eof &&
	    bridge->down.len == 0) {
		ssh_pump_bridge_fd_close(pump, bridge);
		bridge->state = bridge->listener->kind == SSH_PUMP_EXEC ? BRIDGE_EXITING :
		    BRIDGE_FREEING;
		return true;
	}
	return progress;
}

/* A channel to the unix socket path on the host (OpenSSH's
 * direct-streamlocal@openssh.com, which libssh2 1.10 has no call for): one
 * round trip, where an exec of a command that connects to it is two and a
 * process.  NULL as libssh2_channel_open_ex (EAGAIN: call again). */
LIBSSH2_CHANNEL *
ssh_pump_open_streamlocal(struct ssh_pump *pump, const char *path)
{
	static const char type[] = "direct-streamlocal@openssh.com";
	unsigned char msg[4 + SSH_PUMP_SOCKET_MAX + 8];
	size_t n = strlen(path), k = 0;

	if (n > SSH_PUMP_SOCKET_MAX)
		n = SSH_PUMP_SOCKET_MAX;
	/* string socket path, string reserved, uint32 reserved */
	msg[k++] = (unsigned char)(n >> 24);
	msg[k++] = (unsigned char)(n >> 16);
	msg[k++] = (unsigned char)(n >> 8);
	msg[k++] = (unsigned char)n;
	memcpy(msg + k, path, n);
	k += n;
	memset(msg + k, 0, 8);
	k += 8;
	return libssh2_channel_open_ex(pump->session, type, sizeof type - 1,
	    LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT, (const char *)msg,
	    (unsigned)k);
}
