/* ssh_pump_bridge — one client connection, accepted on a transport socket,
 * bridged to one SSH channel: the exec request when the channel runs a
 * command, bytes pumped both ways through bounded buffers, EOF carried both
 * ways, then the channel's close (and an exec's exit status) and its freeing.
 * Every step is non-blocking and follows the pump's libssh2 rules (see
 * ssh_pump.h): a call that stalls is recorded in the pump, which repeats it.
 * Internal to ssh_pump. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_BRIDGE_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libssh2.h>

#include "backends/transport/ssh_pty.h"
#include "backends/transport/ssh_pump.h"
#include "core/base/buf.h"

#define SSH_PUMP_STDERR_KEEP 200  /* an exec's stderr bytes kept for its error message */

enum ssh_bridge_state {
	BRIDGE_QUEUED,           /* accepted, waiting for the opener */
	BRIDGE_OPENING,          /* its channel is being opened */
	BRIDGE_PTY,              /* a session's pty request under way */
	BRIDGE_EXEC,             /* channel open, exec (or shell) request under way */
	BRIDGE_OPEN,             /* bytes flow */
	BRIDGE_EXITING,          /* exec done: waiting for the channel's close and exit status */
	BRIDGE_FREEING,          /* client closed, channel being freed */
};

struct ssh_bridge {
	int fd;                  /* the client; -1 once closed */
	LIBSSH2_CHANNEL *channel;
	const struct ssh_pump_listener *listener;  /* where the client connected; NULL for a session */
	/* An interactive session (ssh_pty.h) instead of a listener's client:
	 * its stderr goes to err_fd (without a pty), its window size follows
	 * the asker's, and its end (exit status or error) goes back to it. */
	struct ssh_pty *pty;     /* a reference, or NULL */
	int err_fd;              /* the session's stderr socket, or -1 */
	uint32_t err_registered; /* the events err_fd is registered for */
	struct buf err;          /* channel stderr -> err_fd */
	unsigned size_seq;       /* the window size sent last (ssh_pty_resized) */
	enum ssh_bridge_state state;
	uint64_t seq;            /* accept order: the queue's */
	/* For the queue (ssh_pump_queue.h): when bytes last moved, which way,
	 * and whether any came back (an idle kept HTTP connection has its
	 * response's bytes last) */
	int64_t active_ms;
	bool last_up, answered;
	struct buf up;           /* client -> channel */
	struct buf down;         /* channel -> client */
	bool client_eof, eof_sent, remote_eof, client_shut;
	/* Reads skipped when they cannot find anything, as each costs a system
	 * call (libssh2 reads the session socket on every channel read): */
	bool drained;            /* the last channel read found nothing... */
	uint64_t drained_at;     /* ...at this rx_reads of the session */
	bool fd_quiet;           /* the client's recv() found nothing since the wait last
	                          * reported it readable */
	uint32_t registered;     /* the events fd is registered for in the wait set (0: not) */
	char stderr_head[SSH_PUMP_STDERR_KEEP + 1];  /* an exec's first stderr bytes */
	size_t stderr_len;
	/* The last channel read's stream and length: a read that stalled is
	 * repeated with these (ssh_pump_bridge_reread) */
	int read_stream;
	size_t read_len;
};

struct ssh_pump;

/* A queued bridge for the client fd, accepted on listener. */
struct ssh_bridge *ssh_pump_bridge_new(int fd, const struct ssh_pump_listener *listener);

/* A queued bridge for an interactive session; takes over a reference to
 * pty and its pump-side sockets. */
struct ssh_bridge *ssh_pump_bridge_new_pty(struct ssh_pty *pty);

/* Moves the bridge on as far as it goes without blocking.  true on progress.
 * A stall or the loss of the connection is recorded in pump. */
bool ssh_pump_bridge_step(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* Gives an open bridge's client what the channel sent (no libssh2 call, so
 * also while the pump is stalled: a stalled read of a channel whose buffer is
 * full can only be repeated once its client has taken some).  True when
 * bytes moved. */
bool ssh_pump_bridge_flush(struct ssh_bridge *bridge);

/* An open bridge's client to its channel: what the client sent, written
 * (its EOF is ssh_pump_bridge_send_eof's).  Called by ssh_pump_bridge_step,
 * and alone to repeat a stalled write (a read first could take the stall
 * over: libssh2 reports a half-sent packet whichever call it was). */
bool ssh_pump_bridge_up(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* Whether the bridge's client has ended and all it sent is written: its
 * channel's EOF is due. */
bool ssh_pump_bridge_eof_due(const struct ssh_bridge *bridge);
/* Sends the channel's EOF; false when it stalled (recorded in pump as
 * OP_EOF).  libssh2 1.10 builds that packet on its own stack and checks,
 * when the stalled call is repeated, that the packet's address is the same:
 * called from elsewhere in the stack, the repeat is refused (BAD_USE,
 * reported as "Unable to send EOF on channel") and the whole connection is
 * lost.  So only ssh_pump_eofs calls it, from one place, for the first time
 * and for the repeat alike. */
bool ssh_pump_bridge_send_eof(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* Ends the bridge: its client is closed and the tunnel's failure ("what",
 * with the command's first stderr bytes when it has some) is reported. */
void ssh_pump_bridge_fail(struct ssh_pump *pump, struct ssh_bridge *bridge, const char *what);

/* Ends the bridge without an error: its client is closed (a waiting one
 * whose client left, or an idle one whose channel another needs), its
 * channel, if any, freed next. */
void ssh_pump_bridge_drop(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* Frees a bridge whose channel is freed; its client leaves the wait set and
 * is closed. */
void ssh_pump_bridge_free(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* For the pump's teardown, after the session's disconnect (so that freeing
 * the channel cannot block): closes the client, frees the channel and the
 * bridge. */
void ssh_pump_bridge_abandon(struct ssh_bridge *bridge);

/* ---- sessions (ssh_pump_pty.c) ---- */

/* The pty request of a session (BRIDGE_PTY).  true on progress. */
bool ssh_pump_pty_request(struct ssh_pump *pump, struct ssh_bridge *bridge);
/* Sends the asker's new window size, if any.  true on progress; a stall is
 * recorded in pump. */
bool ssh_pump_pty_resize(struct ssh_pump *pump, struct ssh_bridge *bridge);
/* Reads the channel's stderr (into tmp, of size) towards the asker: its
 * stderr socket, or the same stream when it has none. */
void ssh_pump_pty_read_stderr(struct ssh_pump *pump, struct ssh_bridge *bridge, char *tmp,
    size_t size);
/* Every channel read of a bridge goes through here: libssh2_channel_read_ex
 * with its stream and length kept for a repeat (ssh_pump_bridge_reread). */
ssize_t ssh_pump_bridge_read(struct ssh_bridge *bridge, int stream, char *buf, size_t len);
/* Repeats the bridge's read that stalled, with the same stream and length,
 * and takes in what it brings: libssh2 1.10 sends a window adjustment from
 * inside a read, sized from the read's length, and when that send stalls it
 * must be finished by the same call.  Finished any other way (another
 * length, or an adjustment of 0), libssh2 counts the window it granted short
 * of what it told the server, and drops without a word the data the server
 * then sends past its count (a stream's tail, once the reader falls behind).
 * A stall is recorded again in pump if it persists. */
void ssh_pump_bridge_reread(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* Sends what the stderr buffer holds; false when the asker went away. */
bool ssh_pump_pty_send_stderr(struct ssh_bridge *bridge, bool *progress);
/* After the channel's EOF: waits for its close and gives the asker the
 * exit status (BRIDGE_EXITING).  true on progress. */
bool ssh_pump_pty_exited(struct ssh_pump *pump, struct ssh_bridge *bridge);

#endif
