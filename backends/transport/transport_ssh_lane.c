/* transport_ssh_lane — opening a host's session (through its jump hosts when
 * it has some), and the extra SSH connections of a host (transport_ssh.h,
 * TRANSPORT_SSH_DEFAULT_SESSIONS): each its own thread, session (and chain of
 * jump hosts, each lane its own, relayed in its own thread) and pump on the
 * transport's listeners, shared with the first connection's pump (ssh_pump.h,
 * share_listeners).  They carry tunnel connections only; the host's state
 * (connected, round trip, interactive sessions, the probe of a down host) is
 * the first connection's: a lane that failed waits for the first connection
 * to be up again (its next connect, not a backoff of its own) before it tries
 * again. */
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/transport/ssh_jump.h"
#include "backends/transport/ssh_pump.h"
#include "backends/transport/ssh_session.h"
#include "backends/transport/transport_ssh_internal.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

/* Opens the host's session, through its jump hosts when it has some (*jump:
 * the chain, to close after the session).  0, or -1 with *cause. */
int
transport_ssh_open(struct transport_ssh *t, struct ssh_session_params *p,
    struct ssh_session *c, struct ssh_jump **jump, char **cause)
{
	*jump = NULL;
	if (t->njumps > 0) {
		if (ssh_jump_open(t->jumps, t->njumps, t->target.hostname, t->target.port, p, jump,
		    cause) != 0)
			return -1;
		p->via = ssh_jump_via(*jump);
	}
	if (ssh_session_open(p, c, cause) == 0)
		return 0;
	/* a hop that died meanwhile is the reason, not the target */
	if (ssh_jump_failure(*jump) != NULL && strcmp(*cause, "stopped") != 0)
		util_set_cause(cause, "%s", ssh_jump_failure(*jump));
	ssh_jump_close(*jump, 0);
	*jump = NULL;
	return -1;
}

static bool
transport_ssh_lane_drain(void *arg)
{
	struct transport_ssh_lane *l = arg;
	char b[64];

	while (read(l->wake[0], b, sizeof b) > 0)
		;
	return transport_ssh_stopping(l->t);
}

static void
transport_ssh_lane_await(void *arg, int64_t since)
{
	struct transport_ssh_lane *l = arg;

	atomic_store(&l->await_from, since);
}

int64_t
transport_ssh_lanes_await(void *arg)
{
	struct transport_ssh *t = arg;
	int64_t first = 0;

	for (int i = 0; i < t->nlanes; i++) {
		int64_t a = atomic_load(&t->lanes[i].await_from);

		if (a != 0 && (first == 0 || a < first))
			first = a;
	}
	return first;
}

static size_t
transport_ssh_lane_listeners(void *arg, struct ssh_pump_listener ***out, size_t *cap)
{
	struct transport_ssh_lane *l = arg;

	return transport_ssh_listeners(l->t, out, cap);
}

/* The host's state is the first session's: an extra one tells only a
 * tunnel's failure. */
static void
transport_ssh_lane_report(void *arg, const struct ssh_pump_report *r)
{
	struct transport_ssh_lane *l = arg;

	if (r->error == NULL)
		return;
	pthread_mutex_lock(&l->t->lock);
	util_strlcpy(l->t->st.error, r->error, sizeof l->t->st.error);
	pthread_mutex_unlock(&l->t->lock);
}

/* Waits at least ms, then until the first session is up with a connection
 * made after `connects` (the one that failed with this lane, or before it),
 * or until stop: true on stop.  Takes no connection meanwhile: the first
 * session and the other extra ones serve them (or, when the host is down,
 * the first one refuses them while it probes the host's port). */
static bool
transport_ssh_lane_sleep(struct transport_ssh_lane *l, int64_t ms, unsigned connects)
{
	int64_t deadline = time_mono_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = l->wake[0], .events = POLLIN };
		int64_t left = deadline - time_mono_ms();
		bool up;

		if (transport_ssh_lane_drain(l))
			return true;
		if (left <= 0) {
			pthread_mutex_lock(&l->t->lock);
			up = l->t->st.connected && l->t->st.connects != connects;
			pthread_mutex_unlock(&l->t->lock);
			if (up)
				return false;
			left = 1000;   /* woken by the first session's connect */
		}
		(void)poll(&pfd, 1, (int)left);
	}
}

void
transport_ssh_lanes_wake(struct transport_ssh *t)
{
	char c = 1;

	for (int i = 0; i < t->nlanes; i++)
		if (t->lanes[i].wake[1] >= 0)
			(void)write(t->lanes[i].wake[1], &c, 1);
}

/* An extra session's thread: connects, serves tunnel connections while it
 * is up, reconnects after a loss, as the first one does, but tells nobody. */
void *
transport_ssh_lane_main(void *arg)
{
	struct transport_ssh_lane *l = arg;
	struct transport_ssh *t = l->t;
	int failures = 0;
	uint64_t rnd = (uint64_t)l->index;
	int timeout = t->target.connect_timeout_s > 0 ? t->target.connect_timeout_s * 1000 :
	    t->timeout_ms;

	while (!transport_ssh_stopping(t)) {
		struct ssh_session_params p = {
			.name = t->name, .target = &t->target, .identity_file = t->identity_file,
			.timeout_ms = timeout, .wake_fd = l->wake[0],
			.drain = transport_ssh_lane_drain, .wake_arg = l,
		};
		struct ssh_session c;
		struct ssh_pump_params pp;
		struct ssh_jump *jump = NULL;
		char *cause = NULL;
		unsigned connects;

		pthread_mutex_lock(&t->lock);
		connects = t->st.connects;
		pthread_mutex_unlock(&t->lock);
		memset(&c, 0, sizeof c);
		if (transport_ssh_open(t, &p, &c, &jump, &cause) != 0) {
			bool stopped = strcmp(cause, "stopped") == 0;

			free(cause);
			if (stopped ||
			    transport_ssh_lane_sleep(l, transport_ssh_wait_ms(failures, &rnd), connects))
				break;
			if (failures < 30)
				failures++;
			continue;
		}
		failures = 0;
		pthread_mutex_lock(&t->lock);
		t->lanes_up++;
		pthread_mutex_unlock(&t->lock);
		memset(&pp, 0, sizeof pp);
		pp.name = t->name;
		pp.session = &c;
		pp.alive_interval_ms = t->target.alive_interval_s * 1000;
		pp.dead_ms = transport_ssh_dead_ms(t);
		pp.wake_fd = l->wake[0];
		pp.drain = transport_ssh_lane_drain;
		pp.listeners = transport_ssh_lane_listeners;
		pp.report = transport_ssh_lane_report;
		pp.await_report = transport_ssh_lane_await;
		pp.share_listeners = true;
		pp.arg = l;
		ssh_pump_run(&pp, &cause);
		ssh_session_disconnect(&c, cause == NULL ? 200 : 0);
		ssh_pump_teardown(&pp);
		ssh_session_close(&c);
		ssh_jump_close(jump, cause == NULL ? 200 : 0);
		atomic_store(&l->await_from, 0);
		pthread_mutex_lock(&t->lock);
		t->lanes_up--;
		pthread_mutex_unlock(&t->lock);
		if (cause == NULL)
			break;
		free(cause);
		/* the first session is likely to lose the host too: its next
		 * connect (after the probe says the port answers) is this one's */
		if (transport_ssh_lane_sleep(l, transport_ssh_wait_ms(0, &rnd), connects))
			break;
	}
	return NULL;
}
