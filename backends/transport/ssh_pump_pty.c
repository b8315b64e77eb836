/* ssh_pump_pty — the steps of a bridge that carries an interactive session
 * (ssh_pty.h) rather than a listener's client: the pty request, window
 * changes, stderr to its own socket, and the exit status handed back.  Same
 * rules as the rest of the pump: non-blocking calls, a stalled call is the
 * one repeated (ssh_pump.h).  Part of ssh_pump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "backends/transport/ssh_pty.h"
#include "backends/transport/ssh_pump_bridge.h"
#include "backends/transport/ssh_pump_internal.h"
#include "core/base/util.h"

bool
ssh_pump_pty_request(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	struct ssh_pty *pty = bridge->pty;
	int cols, rows, rc;

	(void)ssh_pty_resized(pty, &bridge->size_seq, &cols, &rows);
	/* no terminal modes: the asker's terminal is raw, the remote pty's
	 * defaults (echo, line editing) are what a shell expects */
	rc = libssh2_channel_request_pty_ex(bridge->channel, pty->term,
	    (unsigned)strlen(pty->term), NULL, 0, cols, rows, 0, 0);
	if (ssh_pump_check(pump, rc, OP_PTY, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	if (rc != 0) {
		char *msg = xasprintf("%s refused a pty (%s)", pump->params->name,
		    ssh_session_last_error(pump->session));

		ssh_pump_bridge_fail(pump, bridge, msg);
		free(msg);
		return true;
	}
	bridge->state = BRIDGE_EXEC;
	return true;
}

bool
ssh_pump_pty_resize(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	unsigned seq = bridge->size_seq;
	int cols, rows, rc;

	if (bridge->pty->term == NULL || !ssh_pty_resized(bridge->pty, &seq, &cols, &rows))
		return false;
	rc = libssh2_channel_request_pty_size_ex(bridge->channel, cols, rows, 0, 0);
	if (ssh_pump_check(pump, rc, OP_SIZE, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	/* sent, or refused (no reply is asked for): either way it is done */
	bridge->size_seq = seq;
	return true;
}

void
ssh_pump_pty_read_stderr(struct ssh_pump *pump, struct ssh_bridge *bridge, char *tmp,
    size_t size)
{
	/* with a pty the remote side merges stderr into the pty; what little
	 * may still come as stderr joins the same stream */
	struct buf *to = bridge->err_fd >= 0 ? &bridge->err : &bridge->down;

	while (to->len < TRANSPORT_SSH_BUF_CAP) {
		size_t room = TRANSPORT_SSH_BUF_CAP - to->len;
		ssize_t n = ssh_pump_bridge_read(bridge, SSH_EXTENDED_DATA_STDERR, tmp,
		    room < size ? room : size);

		if (n <= 0) {
			if (ssh_pump_check(pump, (int)n, OP_READ, bridge) != LIBSSH2_ERROR_EAGAIN)
				bridge->drained = false;
			break;
		}
		buf_append(to, tmp, (size_t)n);
		if (ssh_pump_read_pending(pump, bridge))
			break;
	}
}

bool
ssh_pump_pty_send_stderr(struct ssh_bridge *bridge, bool *progress)
{
	ssize_t n;

	if (bridge->err_fd < 0 || bridge->err.len == 0)
		return true;
	n = send(bridge->err_fd, bridge->err.data, bridge->err.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n > 0) {
		buf_consume(&bridge->err, (size_t)n);
		*progress = true;
		return true;
	}
	return n == 0 || errno == EAGAIN || errno == EINTR;
}

/* The exit status as a shell gives it: the code, or 128 + the signal. */
static int
ssh_pump_pty_status(struct ssh_pump *pump, LIBSSH2_CHANNEL *channel)
{
	char *sig = NULL;
	size_t siglen = 0;
	int status = libssh2_channel_get_exit_status(channel), n;

	if (libssh2_channel_get_exit_signal(channel, &sig, &siglen, NULL, NULL, NULL, NULL) == 0 &&
	    sig != NULL) {
		n = ssh_pty_signal_number(sig);
		status = 128 + (n > 0 ? n : 0);
		libssh2_free(pump->session, sig);
	}
	return status;
}

bool
ssh_pump_pty_exited(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	/* the exit status may arrive after the EOF: wait for the close */
	int rc = libssh2_channel_wait_closed(bridge->channel);

	if (ssh_pump_check(pump, rc, OP_WAIT, bridge) == LIBSSH2_ERROR_EAGAIN)
		return false;
	if (rc != 0)
		ssh_pty_finish(bridge->pty, -1, "the channel broke before its end");
	else
		ssh_pty_finish(bridge->pty, ssh_pump_pty_status(pump, bridge->channel), NULL);
	bridge->state = BRIDGE_FREEING;
	return true;
}
