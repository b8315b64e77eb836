/* ssh_pump — see ssh_pump.h.  The loop is here: the opener, the control
 * channel and its keepalive, the passes over every bridge and the wait.  One
 * bridged connection is ssh_pump_bridge.c; the epoll set, ssh_pump_waitset.c;
 * the state they share, ssh_pump_internal.h. */
#include "backends/transport/ssh_pump.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "backends/transport/ssh_pump_bridge.h"
#include "backends/transport/ssh_pump_internal.h"
#include "backends/transport/ssh_pump_waitset.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define SSH_PUMP_SAFETY_MS 1000   /* the longest wait */
#define SSH_PUMP_EVENTS 256       /* taken from the wait at once (the others next time) */

/* The bridges as the queue sees them, into pump->queue; *pick: what to do. */
static void
ssh_pump_queue_look(struct ssh_pump *pump, int64_t now, struct ssh_pump_queue_pick *pick)
{
	size_t i;

	for (i = 0; i < pump->nbridges; i++) {
		const struct ssh_bridge *b = pump->bridges[i];
		struct ssh_pump_queue_item *it = &pump->queue[i];

		it->waiting = b->state == BRIDGE_QUEUED;
		it->channel = b->state != BRIDGE_QUEUED &&
		    !(b->state == BRIDGE_FREEING && b->channel == NULL);
		it->closing = b->state == BRIDGE_FREEING && b->channel != NULL;
		it->reclaimable = b->state == BRIDGE_OPEN && b->pty == NULL &&
		    b->listener->http && b->answered && !b->last_up && b->up.len == 0 &&
		    b->down.len == 0 && !b->client_eof && !b->remote_eof;
		it->urgent = b->listener != NULL && (b->listener->docker || b->listener->urgent);
		it->seq = b->seq;
		it->idle_since = b->active_ms;
	}
	ssh_pump_queue_pick(pump->queue, pump->nbridges, TRANSPORT_SSH_MAX_CHANNELS, now, pick);
}

void
ssh_pump_report(struct ssh_pump *pump, int rtt_ms, const char *error)
{
	struct ssh_pump_queue_pick pick;
	struct ssh_pump_report r;

	ssh_pump_queue_look(pump, 0, &pick);
	if ((int)pick.channels > pump->channels_peak)
		pump->channels_peak = (int)pick.channels;
	r = (struct ssh_pump_report){
		.rtt_ms = rtt_ms, .tunnels = (int)pump->nbridges, .channels = (int)pick.channels,
		.channels_peak = pump->channels_peak, .waiting = (int)pick.waiting, .error = error,
	};
	pump->reported_tunnels = (int)pump->nbridges;
	pump->reported_channels = (int)pick.channels;
	pump->reported_waiting = (int)pick.waiting;
	pump->params->report(pump->params->arg, &r);
}

/* The wait set refused an fd (errno err): the pump cannot go on. */
static void
ssh_pump_epoll_failed(struct ssh_pump *pump, int err)
{
	if (pump->fatal == NULL)
		pump->fatal = xasprintf("ssh: %s: epoll: %s", pump->params->name, strerror(err));
}

bool
ssh_pump_watch(struct ssh_pump *pump, int fd, uint32_t *registered, uint32_t want)
{
	int err = ssh_pump_waitset_set(&pump->waitset, fd, registered, want);

	if (err != 0) {
		ssh_pump_epoll_failed(pump, err);
		return false;
	}
	return true;
}

void
ssh_pump_sent(struct ssh_pump *pump)
{
	if (pump->await_from == 0 || pump->await_rx != pump->conn->rx_reads) {
		pump->await_from = time_mono_ms();
		pump->await_rx = pump->conn->rx_reads;
	}
}

/* Whether bytes sent wait for an answer (nothing received since). */
static bool
ssh_pump_awaiting(const struct ssh_pump *pump)
{
	return pump->await_from != 0 && pump->await_rx == pump->conn->rx_reads;
}

/* The dead limit (ssh_pump_params.dead_ms). */
static int64_t
ssh_pump_dead_ms(const struct ssh_pump_params *params)
{
	return params->dead_ms > 0 && params->dead_ms < params->alive_interval_ms ?
	    params->dead_ms : params->alive_interval_ms;
}

/* A bridge's channel open was answered (opened or refused): before the first
 * control channel, that is the round trip measured. */
static void
ssh_pump_open_answered(struct ssh_pump *pump)
{
	if (pump->control_once || pump->ping_started == 0)
		return;
	ssh_pump_report(pump, (int)(time_mono_ms() - pump->ping_started), NULL);
	pump->ping_started = 0;
}

/* The opener: the control channel when a ping needs it, else the earliest
 * waiting connection when a channel is free (ssh_pump_queue.h), else, when
 * one waits, an idle kept connection is closed to free one.  Returns true
 * on progress. */
static bool
ssh_pump_opener(struct ssh_pump *pump, int64_t now)
{
	LIBSSH2_CHANNEL *channel;
	struct ssh_bridge *bridge;
	bool streamlocal;
	int err;

	if (pump->opening == NULL && !pump->control_opening) {
		struct ssh_pump_queue_pick pick;

		ssh_pump_queue_look(pump, now, &pick);
		/* The first control channel waits for the connections queued
		 * meanwhile: each open is a round trip, and theirs carry data.
		 * Their opens are the pings until then (each one answered is a
		 * round trip measured; one unanswered is a dead host). */
		if (pump->control == NULL && pump->control_dead == NULL &&
		    now >= pump->next_ping && (pump->control_once || pick.open == pump->nbridges)) {
			pump->control_opening = true;
			pump->control_once = true;
			pump->ping_started = now;
			pump->next_ping = now + pump->params->alive_interval_ms;
		} else {
			if (pick.reclaim < pump->nbridges) {
				ssh_pump_bridge_drop(pump, pump->bridges[pick.reclaim]);
				return true;
			}
			if (pick.open == pump->nbridges)
				return false;
			pump->opening = pump->bridges[pick.open];
			pump->opening->state = BRIDGE_OPENING;
			ssh_pump_sent(pump);
			if (!pump->control_once && pump->ping_started == 0)
				pump->ping_started = now;
			if ((int)pick.channels + 1 > pump->channels_peak)
				pump->channels_peak = (int)pick.channels + 1;
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
		/* the host answered, but opening a channel is not a round trip
		 * (the server sets a session up, and the open waits behind the
		 * other channels' traffic): the round trip is the ping's, sent
		 * on the channel at once */
		ssh_pump_report(pump, -1, NULL);
		pump->ping_started = 0;
		pump->next_ping = time_mono_ms();
		return true;
	}
	bridge = pump->opening;
	streamlocal = bridge->pty == NULL && bridge->listener != NULL &&
	    bridge->listener->socket != NULL && !pump->no_streamlocal;
	if (bridge->listener != NULL && bridge->listener->kind == SSH_PUMP_TCP)
		channel = libssh2_channel_direct_tcpip_ex(pump->session, bridge->listener->rhost,
		    bridge->listener->rport, "127.0.0.1", 22);
	else if (streamlocal)
		channel = ssh_pump_open_streamlocal(pump, bridge->listener->socket);
	else
		channel = libssh2_channel_open_session(pump->session);
	if (channel == NULL) {
		char *msg;

		err = libssh2_session_last_errno(pump->session);
		if (ssh_pump_check(pump, err, OP_OPEN, bridge) == LIBSSH2_ERROR_EAGAIN)
			return false;
		pump->opening = NULL;
		ssh_pump_open_answered(pump);
		if (streamlocal && pump->fatal == NULL) {
			/* refused (not allowed, no such socket, no engine behind
			 * it): the command from now on, which says why if it fails */
			pump->no_streamlocal = true;
			bridge->state = BRIDGE_QUEUED;
			return true;
		}
		msg = xasprintf("%s refused to open the channel (%s)", pump->params->name,
		    ssh_session_last_error(pump->session));
		ssh_pump_bridge_fail(pump, bridge, msg);
		free(msg);
		return true;
	}
	pump->opening = NULL;
	ssh_pump_open_answered(pump);
	bridge->channel = channel;
	bridge->active_ms = time_mono_ms();
	if (bridge->pty != NULL)
		bridge->state = bridge->pty->term != NULL ? BRIDGE_PTY : BRIDGE_EXEC;
	else
		bridge->state = bridge->listener->kind == SSH_PUMP_TCP || streamlocal ? BRIDGE_OPEN :
		    BRIDGE_EXEC;
	return true;
}

static bool ssh_pump_control_read(struct ssh_pump *pump);

/* The control channel: pings, reads that drain the transport, its freeing. */
static bool
ssh_pump_control(struct ssh_pump *pump, int64_t now)
{
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
	return ssh_pump_control_read(pump);
}

/* The control channel's read: lets libssh2 read what arrived (window
 * adjusts, other channels' data).  Always the same length, so that a read
 * that stalled is repeated as it was (see ssh_pump_bridge_reread). */
static bool
ssh_pump_control_read(struct ssh_pump *pump)
{
	char tmp[256];
	int rc = (int)libssh2_channel_read(pump->control, tmp, sizeof tmp);

	if (rc > 0 && (libssh2_session_block_directions(pump->session) &
	    LIBSSH2_SESSION_BLOCK_OUTBOUND)) {
		pump->stall = OP_CTL_READ;   /* see ssh_pump_read_pending */
		return true;
	}
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

/* Repeats the stalled call only (not an EOF: ssh_pump_pass sends that
 * again itself, see ssh_pump_eofs).  true when the stall is over. */
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
	case OP_CTL_READ:
		/* the read itself again, before a ping could send anything */
		if (pump->control != NULL)
			(void)ssh_pump_control_read(pump);
		break;
	case OP_CTL_PING:
	case OP_CTL_FREE:
		(void)ssh_pump_control(pump, now);
		break;
	case OP_WRITE:
		/* the write itself, before any read */
		(void)ssh_pump_bridge_flush(bridge);
		if (bridge->state == BRIDGE_OPEN)
			(void)ssh_pump_bridge_up(pump, bridge);
		break;
	case OP_READ:
		/* the same read again (its window adjustment finished by it) */
		ssh_pump_bridge_reread(pump, bridge);
		if (pump->stall != OP_NONE)
			break;
		/* fall through */
	default:
		/* a read that stalled with a full buffer is repeated only
		 * when the buffer has room */
		(void)ssh_pump_bridge_flush(bridge);
		(void)ssh_pump_bridge_step(pump, bridge);
		break;
	}
	return pump->stall == OP_NONE;
}

/* Reports the counts when they changed. */
static void
ssh_pump_report_changes(struct ssh_pump *pump)
{
	size_t i, channels = 0, waiting = 0;

	for (i = 0; i < pump->nbridges; i++) {
		const struct ssh_bridge *b = pump->bridges[i];

		if (b->state == BRIDGE_QUEUED)
			waiting++;
		else if (b->state != BRIDGE_FREEING || b->channel != NULL)
			channels++;
	}
	if (pump->reported_tunnels != (int)pump->nbridges ||
	    pump->reported_channels != (int)channels || pump->reported_waiting != (int)waiting ||
	    (int)channels > pump->channels_peak)
		ssh_pump_report(pump, -1, NULL);
}

static bool
ssh_pump_pass(struct ssh_pump *pump)
{
	int64_t now = time_mono_ms();
	bool progress = false;
	size_t i;

	/* a stalled EOF is repeated below, where EOFs are sent */
	if (pump->stall != OP_NONE && pump->stall != OP_EOF && !ssh_pump_unstall(pump, now))
		return ssh_pump_flush_all(pump);
	if (pump->fatal != NULL)
		return false;
	if (pump->stall == OP_NONE) {
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
	}
	/* the only call of ssh_pump_eofs: a stalled EOF is repeated from the
	 * very place it was first sent from */
	progress |= ssh_pump_eofs(pump);
	if (pump->stall != OP_NONE)
		return ssh_pump_flush_all(pump) || progress;
	if (pump->fatal != NULL)
		return progress;
	for (i = pump->nbridges; i-- > 0;) {
		struct ssh_bridge *bridge = pump->bridges[i];

		if (bridge->state == BRIDGE_FREEING && bridge->channel == NULL) {
			ssh_pump_bridge_free(pump, bridge);
			pump->bridges[i] = pump->bridges[--pump->nbridges];
			progress = true;
		}
	}
	if (pump->reported_tunnels != (int)pump->nbridges || progress)
		ssh_pump_report_changes(pump);
	return progress;
}

/* The sessions asked for since the last look become bridges. */
static void
ssh_pump_take_ptys(struct ssh_pump *pump)
{
	struct ssh_pty *ptys[TRANSPORT_SSH_MAX_BRIDGES];
	size_t n, i;

	if (pump->params->take_ptys == NULL || pump->nbridges >= TRANSPORT_SSH_MAX_BRIDGES)
		return;
	n = pump->params->take_ptys(pump->params->arg, ptys,
	    TRANSPORT_SSH_MAX_BRIDGES - pump->nbridges);
	for (i = 0; i < n; i++) {
		pump->bridges[pump->nbridges] = ssh_pump_bridge_new_pty(ptys[i]);
		pump->bridges[pump->nbridges++]->seq = ++pump->seq;
	}
}

/* Takes the connections waiting on listener, at most max; how many. */
static size_t
ssh_pump_accept(struct ssh_pump *pump, const struct ssh_pump_listener *listener, size_t max)
{
	size_t n = 0;

	while (n < max && pump->nbridges < TRANSPORT_SSH_MAX_BRIDGES) {
		int fd = accept4(listener->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			break;
		pump->bridges[pump->nbridges] = ssh_pump_bridge_new(fd, listener);
		pump->bridges[pump->nbridges++]->seq = ++pump->seq;
		n++;
	}
	return n;
}

/* Whether the opener is free and no connection waits for it: with shared
 * listeners, the only time this pump takes a connection. */
static bool
ssh_pump_may_take(const struct ssh_pump *pump)
{
	size_t i;

	if (pump->opening != NULL || pump->control_opening)
		return false;
	for (i = 0; i < pump->nbridges; i++)
		if (pump->bridges[i]->state == BRIDGE_QUEUED)
			return false;
	return true;
}

/* The connections waiting on the listeners of accept_on: all of them, or
 * with shared listeners one (the Docker engine's first). */
static void
ssh_pump_accept_all(struct ssh_pump *pump, const struct ssh_pump_listener **accept_on,
    size_t n)
{
	size_t j;
	int pass;

	if (!pump->params->share_listeners) {
		for (j = 0; j < n; j++)
			(void)ssh_pump_accept(pump, accept_on[j], (size_t)-1);
		return;
	}
	if (!ssh_pump_may_take(pump))
		return;
	for (pass = 0; pass < 2; pass++)
		for (j = 0; j < n; j++)
			if ((accept_on[j]->docker || accept_on[j]->urgent) == (pass == 0) &&
			    ssh_pump_accept(pump, accept_on[j], 1) == 1)
				return;
}

/* Whether some libssh2 call of the next pass will read the session socket. */
static bool
ssh_pump_will_read(const struct ssh_pump *pump)
{
	size_t i;

	if (pump->control != NULL || pump->control_dead != NULL || pump->opening != NULL ||
	    pump->control_opening || pump->stall != OP_NONE)
		return true;
	for (i = 0; i < pump->nbridges; i++) {
		const struct ssh_bridge *bridge = pump->bridges[i];

		if (bridge->state == BRIDGE_EXEC || bridge->state == BRIDGE_PTY ||
		    bridge->state == BRIDGE_FREEING ||
		    bridge->state == BRIDGE_EXITING ||
		    (bridge->state == BRIDGE_OPEN && bridge->down.len < TRANSPORT_SSH_BUF_CAP))
			return true;
	}
	return false;
}

/* Brings the wait set in step with what each fd is wanted for now. */
static void
ssh_pump_watch_all(struct ssh_pump *pump)
{
	struct ssh_pump_params *params = pump->params;
	size_t nlisteners, i;
	int dir, err;

	(void)ssh_pump_watch(pump, params->wake_fd, &pump->wake_registered, EPOLLIN);
	/* a session behind jump hosts: the relay's bytes wake the wait too */
	if (pump->conn->via != NULL)
		(void)ssh_pump_watch(pump, pump->conn->via->fd, &pump->via_registered, EPOLLIN);
	dir = libssh2_session_block_directions(pump->session);
	/* the session socket is read only through channel calls: wait for
	 * its input only when some call will read it, or the wait would spin */
	(void)ssh_pump_watch(pump, pump->conn->sock, &pump->sock_registered,
	    (ssh_pump_will_read(pump) ? EPOLLIN : 0) |
	    ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? EPOLLOUT : 0));
	/* listeners are wanted while a bridge may still be added */
	nlisteners = params->listeners(params->arg, &pump->listeners, &pump->listeners_cap);
	err = ssh_pump_waitset_listeners(&pump->waitset, pump->listeners, nlisteners,
	    pump->nbridges < TRANSPORT_SSH_MAX_BRIDGES &&
	    (!params->share_listeners || ssh_pump_may_take(pump)) ? EPOLLIN : 0);
	if (err != 0)
		ssh_pump_epoll_failed(pump, err);
	for (i = 0; i < pump->nbridges; i++) {
		struct ssh_bridge *bridge = pump->bridges[i];
		uint32_t ev = 0;

		if (bridge->state == BRIDGE_OPEN) {
			if (!bridge->client_eof && bridge->up.len < TRANSPORT_SSH_BUF_CAP)
				ev |= EPOLLIN;
			if (bridge->down.len > 0)
				ev |= EPOLLOUT;
		}
		/* a waiting client: only its hanging up (EPOLLHUP, once),
		 * which drops it from the queue */
		if (bridge->state == BRIDGE_QUEUED)
			ev = EPOLLET;
		/* nothing wanted: out of the set, or a client that hung up
		 * would end every wait at once (EPOLLHUP) until the
		 * channel ends */
		if (bridge->fd >= 0)
			(void)ssh_pump_watch(pump, bridge->fd, &bridge->registered,
			    bridge->state == BRIDGE_OPEN || bridge->state == BRIDGE_QUEUED ? ev : 0);
		if (bridge->err_fd >= 0)
			(void)ssh_pump_watch(pump, bridge->err_fd, &bridge->err_registered,
			    bridge->state == BRIDGE_OPEN && bridge->err.len > 0 ? EPOLLOUT : 0);
	}
}

/* How long the wait may last, in ms: until the keepalive's answer is overdue,
 * or the next ping is due. */
static int64_t
ssh_pump_timeout(const struct ssh_pump *pump, int64_t now)
{
	const struct ssh_pump_params *params = pump->params;
	int64_t timeout;

	if (pump->ping_started != 0) {
		int64_t from = pump->ping_started > pump->conn->last_rx_ms ? pump->ping_started :
		    pump->conn->last_rx_ms;

		if (ssh_pump_awaiting(pump) && pump->await_from < from)
			from = pump->await_from;
		if (pump->others != 0 && pump->others < from)
			from = pump->others;
		if (pump->conn->last_rx_ms > from)
			from = pump->conn->last_rx_ms;
		timeout = from + ssh_pump_dead_ms(params) + 1 - now;
	} else
		timeout = pump->next_ping - now;
	if (ssh_pump_awaiting(pump) && pump->ping_started == 0 &&
	    pump->await_from + SSH_PUMP_AWAIT_PING_MS + 1 - now < timeout)
		timeout = pump->await_from + SSH_PUMP_AWAIT_PING_MS + 1 - now;
	/* new listeners, stop and every client's bytes wake the wait; it also
	 * ends every SSH_PUMP_SAFETY_MS, so that a readiness event that never
	 * comes delays a tunnel by that much at most */
	if (timeout > SSH_PUMP_SAFETY_MS)
		timeout = SSH_PUMP_SAFETY_MS;
	/* overdue only when the ping waits for the opener: its reply wakes us */
	if (timeout < 0)
		timeout = 100;
	return timeout;
}

void
ssh_pump_run(struct ssh_pump_params *params, char **cause)
{
	struct ssh_pump *pump = xcalloc(1, sizeof *pump);
	struct ssh_pump_waitset *ws = &pump->waitset;

	params->state = pump;
	pump->params = params;
	pump->conn = params->session;
	pump->session = params->session->s;
	pump->next_ping = time_mono_ms();
	pump->queue = xcalloc(TRANSPORT_SSH_MAX_BRIDGES, sizeof *pump->queue);
	*cause = NULL;
	if (ssh_pump_waitset_open(ws) != 0) {
		*cause = xasprintf("ssh: %s: epoll: %s", params->name, strerror(errno));
		return;
	}
	for (;;) {
		struct epoll_event evs[SSH_PUMP_EVENTS];
		const struct ssh_pump_listener *accept_on[SSH_PUMP_EVENTS];
		size_t i, j, naccept = 0;
		int64_t now, timeout, others;
		int rc, k;
		bool progress = false, woken = false;

		ssh_pump_take_ptys(pump);
		if (pump->conn->via != NULL)
			pump->conn->via->step(pump->conn->via->arg);
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
		if (pump->ping_started != 0) {
			int64_t from = pump->ping_started, dead = ssh_pump_dead_ms(params);

			if (ssh_pump_awaiting(pump) && pump->await_from < from)
				from = pump->await_from;
			/* another session's bytes unanswered as long: the same link */
			if (pump->others != 0 && pump->others < from)
				from = pump->others;
			if (now - from > dead && now - pump->conn->last_rx_ms > dead) {
				pump->fatal = xasprintf("ssh: %s stopped answering: nothing received "
				    "for %d s despite a keepalive", params->name,
				    (int)((dead + 999) / 1000));
				break;
			}
		}
		/* bytes unanswered for a while, here or on another session of the
		 * host: a ping now rather than at the next keepalive, so that a
		 * stalled link is noticed within dead_ms */
		if (params->await_report != NULL)
			params->await_report(params->arg,
			    ssh_pump_awaiting(pump) ? pump->await_from : 0);
		others = params->await_others != NULL ? params->await_others(params->arg) : 0;
		pump->others = others;
		if (pump->ping_started == 0 && pump->next_ping > now &&
		    ((ssh_pump_awaiting(pump) && now - pump->await_from >= SSH_PUMP_AWAIT_PING_MS) ||
		    (others != 0 && now - others >= SSH_PUMP_AWAIT_PING_MS)))
			pump->next_ping = now;

		ssh_pump_watch_all(pump);
		if (pump->fatal != NULL)
			break;
		timeout = progress ? 0 : ssh_pump_timeout(pump, now);
		if (!progress && others != 0 && pump->ping_started == 0 &&
		    others + SSH_PUMP_AWAIT_PING_MS + 1 - now < timeout)
			timeout = others + SSH_PUMP_AWAIT_PING_MS + 1 - now < 0 ? 100 :
			    others + SSH_PUMP_AWAIT_PING_MS + 1 - now;
		rc = ssh_pump_waitset_wait(ws, evs, (int)UTIL_ARRAY_LEN(evs), (int)timeout);
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
			if (fd == pump->conn->sock ||
			    (pump->conn->via != NULL && fd == pump->conn->via->fd))
				continue;
			j = ssh_pump_waitset_listener_index(ws, fd);
			if (j < ws->nlisteners) {
				if (evs[k].events & EPOLLIN)
					accept_on[naccept++] = ws->listeners[j].listener;
				continue;
			}
			for (i = 0; i < pump->nbridges; i++) {
				struct ssh_bridge *bridge = pump->bridges[i];

				if (bridge->fd != fd)
					continue;
				bridge->fd_quiet = false;
				/* a waiting client that gave up (its own timeout) */
				if (bridge->state == BRIDGE_QUEUED &&
				    (evs[k].events & (EPOLLHUP | EPOLLERR)))
					ssh_pump_bridge_drop(pump, bridge);
				break;
			}
		}
		if (woken && params->drain(params->arg))
			break;
		ssh_pump_accept_all(pump, accept_on, naccept);
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
	for (i = 0; i < pump->nbridges; i++)
		ssh_pump_bridge_abandon(pump->bridges[i]);
	if (pump->control != NULL)
		(void)libssh2_channel_free(pump->control);
	if (pump->control_dead != NULL)
		(void)libssh2_channel_free(pump->control_dead);
	ssh_pump_waitset_close(&pump->waitset);
	free(pump->queue);
	free(pump->listeners);
	free(pump->fatal);
	free(pump);
	params->state = NULL;
}
