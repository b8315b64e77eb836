/* transport_ssh_lane — the extra SSH connections of a host (transport_ssh.h,
 * TRANSPORT_SSH_DEFAULT_SESSIONS): each its own thread, session and pump on
 * the transport's listeners, shared with the first connection's pump
 * (ssh_pump.h, share_listeners).  They carry tunnel connections only; the
 * host's state (connected, round trip, interactive sessions) is the first
 * connection's. */
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/transport/ssh_pump.h"
#include "backends/transport/ssh_session.h"
#include "backends/transport/transport_ssh_internal.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

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

/* Waits ms, or until stop.  Takes no connection meanwhile: the first
 * session and the other extra ones serve them (or, when the host is down,
 * the first one refuses them). */
static void
transport_ssh_lane_sleep(struct transport_ssh_lane *l, int64_t ms)
{
	int64_t deadline = time_mono_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = l->wake[0], .events = POLLIN };
		int64_t left = deadline - time_mono_ms();

		if (left <= 0 || transport_ssh_lane_drain(l))
			return;
		(void)poll(&pfd, 1, (int)left);
	}
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
		char *cause = NULL;

		if (ssh_session_open(&p, &c, &cause) != 0) {
			bool stopped = strcmp(cause, "stopped") == 0;

			free(cause);
			if (stopped)
				break;
			transport_ssh_lane_sleep(l, transport_ssh_wait_ms(failures, &rnd));
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
		atomic_store(&l->await_from, 0);
		pthread_mutex_lock(&t->lock);
		t->lanes_up--;
		pthread_mutex_unlock(&t->lock);
		if (cause == NULL)
			break;
		free(cause);
		transport_ssh_lane_sleep(l, transport_ssh_wait_ms(0, &rnd));
	}
	return NULL;
}
