/* ssh_pump_internal — the pump's state, shared by ssh_pump.c (the loop: the
 * opener, the control channel and its keepalive, the passes and the wait)
 * and ssh_pump_bridge.c (one client connection bridged to one channel), and
 * by no other file. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_INTERNAL_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libssh2.h>

#include "backends/transport/ssh_pump.h"
#include "backends/transport/ssh_pump_queue.h"
#include "backends/transport/ssh_pump_waitset.h"
#include "backends/transport/ssh_session.h"
#include "backends/transport/transport_ssh.h"

/* The libssh2 calls the pump makes, to name the one a stall waits on. */
enum ssh_pump_op {
	OP_NONE, OP_OPEN, OP_PTY, OP_EXEC, OP_SIZE, OP_READ, OP_WRITE, OP_EOF, OP_WAIT, OP_FREE,
	OP_CTL_OPEN, OP_CTL_PING, OP_CTL_READ, OP_CTL_FREE,
};

struct ssh_bridge;

struct ssh_pump {
	struct ssh_pump_params *params;
	struct ssh_session *conn;        /* params->session: its socket and receive counters */
	LIBSSH2_SESSION *session;        /* conn->s */
	struct ssh_bridge *bridges[TRANSPORT_SSH_MAX_BRIDGES];
	size_t nbridges;
	struct ssh_bridge *opening;      /* holds the opener, or NULL */
	bool control_opening;            /* the control channel holds the opener */
	bool no_streamlocal;             /* a listener's socket refused once: its command */
	bool control_once;               /* it was opened once (the first waits for the queue) */
	LIBSSH2_CHANNEL *control;        /* the control channel, for pings */
	LIBSSH2_CHANNEL *control_dead;   /* a control channel being freed */
	bool pinging;
	int64_t ping_started;            /* 0: no ping in flight */
	int64_t await_from;              /* bytes sent first at, with nothing received since... */
	uint64_t await_rx;               /* ...conn->rx_reads then (0 await_from: none) */
	int64_t others;                  /* the other sessions' bytes unanswered since (0: none) */
	int64_t next_ping;
	enum ssh_pump_op stall;          /* see ssh_pump.h */
	struct ssh_bridge *stall_bridge;
	char *fatal;                     /* the connection is lost: why */
	int reported_tunnels, reported_channels, reported_waiting;
	int channels_peak;               /* the most bridges with a channel at once */
	uint64_t seq;                    /* the last bridge's accept order */
	struct ssh_pump_queue_item *queue;   /* the bridges as the queue sees them */
	struct ssh_pump_listener **listeners;  /* the transport's, copied for a wait */
	size_t listeners_cap;
	bool swept;                      /* the control channel's read emptied the socket... */
	uint64_t swept_at;               /* ...at this conn->rx_reads */
	struct ssh_pump_waitset waitset;
	uint32_t wake_registered;        /* the events params->wake_fd is registered for */
	uint32_t sock_registered;        /* the same for the session's socket */
	uint32_t via_registered;         /* the same for the relay's fd (conn->via) */
};

/* After a libssh2 call returned rc (EAGAIN, or 0 and more: those may leave
 * a packet half sent too): records a stall (a half-sent packet that only
 * this call may finish), or a lost session.  Returns rc. */
int ssh_pump_check(struct ssh_pump *pump, int rc, enum ssh_pump_op op,
    struct ssh_bridge *bridge);

/* The channels' EOFs that are due, a stalled one (OP_EOF) first.  Called
 * from one place only (ssh_pump_pass), so that a stalled EOF is repeated
 * with the stack as it was (see ssh_pump_bridge_send_eof).  true on
 * progress.  (ssh_pump_stall.c, as ssh_pump_check and
 * ssh_pump_read_pending.) */
bool ssh_pump_eofs(struct ssh_pump *pump);
/* Every open bridge's client gets what came (no libssh2 call: also while a
 * call is stalled, which may wait for one of them).  true when bytes moved. */
bool ssh_pump_flush_all(struct ssh_pump *pump);

/* After a read that returned bytes: true (and a stall of OP_READ recorded)
 * when it left a packet half sent.  libssh2 1.10's libssh2_channel_read_ex
 * sends a window adjustment first when the buffer asked for is larger than
 * the window, ignores that send's EAGAIN and goes on reading: the adjustment
 * is then pending although the read returned bytes, and the same read must
 * finish it (ssh_pump_bridge_reread) before anything else is sent. */
bool ssh_pump_read_pending(struct ssh_pump *pump, struct ssh_bridge *bridge);

/* A channel to the unix socket path on the host (OpenSSH's
 * direct-streamlocal@openssh.com, which libssh2 1.10 has no call for): one
 * round trip, where an exec of a command that connects to it is two and a
 * process.  NULL as libssh2_channel_open_ex (EAGAIN: call again). */
LIBSSH2_CHANNEL *ssh_pump_open_streamlocal(struct ssh_pump *pump, const char *path);

/* Bytes or a request went to the server (see ssh_pump_params.dead_ms). */
void ssh_pump_sent(struct ssh_pump *pump);

/* Tells the transport the tunnels open now, with a new round-trip time
 * (rtt_ms >= 0) or a tunnel's failure (error != NULL). */
void ssh_pump_report(struct ssh_pump *pump, int rtt_ms, const char *error);

/* ssh_pump_waitset_set() on the pump's wait set; false with pump->fatal set
 * when the kernel refuses. */
bool ssh_pump_watch(struct ssh_pump *pump, int fd, uint32_t *registered, uint32_t want);

#endif
