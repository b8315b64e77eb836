/* ssh_pump — the connected loop of transport_ssh: accepts connections on the
 * transport's unix sockets, opens one channel per connection (at most
 * TRANSPORT_SSH_MAX_CHANNELS at once, the others waiting in order: see
 * ssh_pump_queue.h) and pumps bytes both ways, measures the round-trip time and notices a dead connection.
 * Runs in the thread that owns the session; internal to transport_ssh.
 *
 * libssh2 1.10 rules this loop follows: one channel open at a time per session
 * (its open state lives in the session), and when a call leaves a packet half
 * sent (EAGAIN with LIBSSH2_SESSION_BLOCK_OUTBOUND), no other call may send
 * before that same call is repeated and completes ("stall"). */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/transport/ssh_session.h"

enum ssh_pump_kind {
	SSH_PUMP_TCP,    /* direct-tcpip to rhost:rport */
	SSH_PUMP_EXEC,   /* exec command, bridged to its stdin/stdout */
};

/* A listening socket and where its connections go.  Created and owned by the
 * transport; never changes once visible to the pump. */
#define SSH_PUMP_SOCKET_MAX 108   /* a unix socket path's bytes at most */

struct ssh_pump_listener {
	int fd;
	enum ssh_pump_kind kind;
	bool pg;                 /* in its own directory, named for libpq */
	bool docker;             /* EXEC to the Docker engine */
	bool urgent;             /* its channels open before the others waiting, as the
	                          * Docker engine's (ssh_pump_queue.h) */
	bool http;               /* TCP to an HTTP endpoint: an idle kept connection may be
	                          * closed for a waiting one (ssh_pump_queue.h) */
	char *path;
	char *dir;               /* pg: the directory, else NULL */
	char *rhost;             /* TCP */
	int rport;
	char *command;           /* EXEC */
	char *socket;            /* EXEC to a unix socket on the host (the Docker engine's
	                          * configured one): opened as OpenSSH's direct-streamlocal
	                          * channel, the command only when the server refuses it */
	char *label;             /* for messages: "127.0.0.1:5432", "the Docker engine ..." */
};

/* What the pump tells the transport (through report()). */
struct ssh_pump_report {
	int rtt_ms;              /* -1: no new measure */
	int tunnels;             /* connections being bridged now (waiting ones included) */
	int channels;            /* of those, holding a channel */
	int channels_peak;       /* the most held at once since the pump started */
	int waiting;             /* waiting for a channel */
	const char *error;       /* a tunnel's failure in words, or NULL; borrowed */
};

struct ssh_pump;
struct ssh_pty;

#define SSH_PUMP_AWAIT_PING_MS 500

struct ssh_pump_params {
	const char *name;        /* the host, for messages */
	struct ssh_session *session;
	int alive_interval_ms;
	/* Bytes sent and nothing received for SSH_PUMP_AWAIT_PING_MS: a ping
	 * at once; the connection is dead when, since those bytes, nothing came
	 * back for dead_ms (0: alive_interval_ms; at most that), a ping in
	 * flight.  So a stalled link is noticed within dead_ms of its first
	 * unanswered bytes, not only at the next keepalive. */
	int dead_ms;
	/* The host's other sessions (same link): await_report tells them when
	 * this one's bytes wait unanswered since (0: none), each pass;
	 * await_others says the same of theirs (the earliest), and this one
	 * pings as it would for its own.  Both may be NULL. */
	void (*await_report)(void *arg, int64_t since);
	int64_t (*await_others)(void *arg);
	int wake_fd;             /* polled; when readable, drain(arg) says whether to stop */
	bool (*drain)(void *arg);
	/* Copies the current listeners to *out, an array of *cap entries that
	 * it grows (xrealloc) as needed; returns how many. */
	size_t (*listeners)(void *arg, struct ssh_pump_listener ***out, size_t *cap);
	void (*report)(void *arg, const struct ssh_pump_report *r);
	/* Moves the interactive sessions asked for since the last call (at
	 * most max) to out, with their references; returns how many.  May be
	 * NULL. */
	size_t (*take_ptys)(void *arg, struct ssh_pty **out, size_t max);
	/* The listeners are shared with the pumps of the host's other SSH
	 * sessions: this one takes a connection only when its opener is free
	 * and no connection of its own waits for it, one at a time (the Docker
	 * engine's first), so that each goes to a session that opens its
	 * channel at once (see transport_ssh.h, sessions). */
	bool share_listeners;
	void *arg;
	struct ssh_pump *state;  /* set by ssh_pump_run, released by ssh_pump_teardown */
};

/* Tests only (NULL in kitetop): called between an exec channel's stdout and
 * stderr reads.  A delay there lets bytes arrive that the stderr read takes
 * in from the socket, so that a test can check that the channel's stdout
 * bytes among them are still read at the next look. */
extern void (*ssh_pump_test_between_reads)(void);

/* Runs until the connection is lost (*cause: why, in words) or drain() says
 * stop (*cause left NULL). */
void ssh_pump_run(struct ssh_pump_params *params, char **cause);

/* Closes every client connection and frees every channel; call after
 * ssh_session_disconnect() (so nothing can block) and before
 * ssh_session_close(). */
void ssh_pump_teardown(struct ssh_pump_params *params);

#endif
