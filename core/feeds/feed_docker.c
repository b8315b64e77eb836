/* feed_docker — a host's containers (struct feed_containers), through its
 * SSH session's Docker tunnel, a unix socket or tcp. */
#include "core/feeds/feed_docker.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/docker_watch.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"

struct docker_arg {
	struct fleet_host *host;
	struct source *source;      /* the source itself, refreshed on an event */
	int timeout_ms;
	atomic_uint relist;         /* bumped by feeds_refresh_now(): list, do not reuse */
};

/* The list is asked only when it may have changed: while the host's event
 * stream (backends/docker_watch.h) reports nothing since the last list, a
 * poll publishes that list again (with fresh stats) without asking, up to
 * FEED_DOCKER_RELIST_MS.  An event triggers a poll at once. */
struct feed_docker_state {
	struct docker_arg *arg;     /* the host and timeout */
	struct docker *d;
	char *setup_error;          /* the endpoint could not be made */
	const atomic_int *cancel;
	unsigned polls;
	struct docker_watch *watch; /* from the second poll (a one-shot status never gets one) */
	uint64_t list_mark;         /* the watch's mark when the kept list was asked */
	unsigned list_relist;       /* arg->relist then */
	int64_t list_at;            /* mono ms it was asked */
	struct docker_container *last;   /* that list, settled; NULL: none to reuse */
	size_t nlast;
	struct docker_watch_gate gate;   /* at most one list per window of events */
	unsigned gate_relist;       /* arg->relist at the last list: a newer one skips the gate */
};

static void *docker_thread_init(void *arg, const atomic_int *cancel)
{
	struct docker_arg *a = arg;
	struct feed_docker_state *st = xcalloc(1, sizeof *st);

	st->arg = a;
	st->cancel = cancel;
	st->gate = (struct docker_watch_gate)DOCKER_WATCH_GATE_INIT;
	st->d = route_docker_open(a->host, a->timeout_ms, 0, cancel, &st->setup_error);
	return st;
}

const struct docker_container *feed_containers_find(const struct feed_containers *c, const char *name)
{
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

struct docker_container feed_missing_container(const char *name)
{
	return (struct docker_container){
		.name = (char *)(uintptr_t)name, .state = DOCKER_STATE_MISSING,
		.health = DOCKER_HEALTH_NONE, .restarts = -1, .exit_code = -1,
		.cpu_pct = -1, .mem_bytes = -1, .mem_limit_bytes = -1,
	};
}

void feed_containers_free(void *v)
{
	struct feed_containers *c = v;

	docker_containers_free(c->items, c->n);
	free(c->engine_version);
	free(c);
}

/* From the watch thread: a container event, or the stream (re)started. */
static void docker_on_event(void *arg)
{
	struct docker_arg *a = arg;

	source_refresh_now(a->source);
}

/* The kept list into c when nothing may have changed since it was asked. */
static bool docker_reuse_list(struct feed_docker_state *st, struct feed_containers *c)
{
	uint64_t mark = docker_watch_mark(st->watch);

	if (st->last == NULL || mark == 0 || mark != st->list_mark ||
	    atomic_load(&st->arg->relist) != st->list_relist ||
	    time_mono_ms() - st->list_at >= FEED_DOCKER_RELIST_MS)
		return false;
	c->items = docker_containers_copy(st->last, st->nlast);
	c->n = st->nlast;
	docker_fill_stats(st->d, c->items, c->n);
	return true;
}

/* Before a list that events asked for: waits until the gate's window ends
 * (at most DOCKER_WATCH_COALESCE_MS), so a flood of events costs a few lists
 * a second, not one each.  The refresh key does not wait.  False: cancelled. */
static bool docker_gate_wait(struct feed_docker_state *st)
{
	int64_t now = time_mono_ms(), due;

	if (st->watch == NULL || atomic_load(&st->arg->relist) != st->gate_relist)
		return true;
	docker_watch_gate_event(&st->gate, now);
	due = docker_watch_gate_due(&st->gate);
	/* short steps: the source's cancel flag has no waker for a plain sleep */
	while ((now = time_mono_ms()) < due) {
		if (atomic_load(st->cancel))
			return false;
		time_sleep_ms(due - now < 50 ? due - now : 50);
	}
	return true;
}

static int docker_poll(void *state, void **value, char **cause)
{
	struct feed_docker_state *st = state;
	struct fleet_host *h = st->arg->host;
	struct feed_containers *c;
	uint64_t mark;
	unsigned relist;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "%s", st->setup_error);
		return -1;
	}
	if (h->ssh != NULL) {
		struct transport_ssh_status ss;

		/* the first connection attempt is under way: wait for it (bounded),
		 * so that the first snapshot is the containers, not "connecting" */
		fleet_host_wait_ssh_first(h, time_mono_ms() + st->arg->timeout_ms, st->cancel, &ss);
		if (!ss.connected) {
			util_set_cause(cause, "%s", ss.error[0] != '\0' ? ss.error : "ssh: connecting");
			return -1;
		}
	}
	c = xcalloc(1, sizeof *c);
	if (docker_reuse_list(st, c))
		goto out;
	if (!docker_gate_wait(st)) {
		free(c);
		util_set_cause(cause, "cancelled");
		return -1;
	}
	mark = docker_watch_mark(st->watch);
	relist = atomic_load(&st->arg->relist);
	docker_containers_free(st->last, st->nlast);
	st->last = NULL;
	docker_set_watch_mark(st->d, mark);
	docker_watch_gate_listed(&st->gate, time_mono_ms());
	st->gate_relist = relist;
	if (docker_list_containers(st->d, &c->items, &c->n, cause) == -1) {
		struct transport_ssh_status ss;

		free(c);
		/* a dial-stdio tunnel that failed says why on the remote side
		 * ("Cannot connect to the Docker daemon ..."): that beats "closed" */
		if (h->ssh != NULL && cause != NULL && *cause != NULL &&
		    strstr(*cause, "connection closed") != NULL) {
			transport_ssh_status(h->ssh, &ss);
			/* only the Docker tunnel's own failure, not another tunnel's */
			if (ss.connected && strstr(ss.error, "dial-stdio") != NULL)
				util_set_cause(cause, "docker: %s", ss.error);
		}
		/* the host's SSH link down is not dockerd's fault; and the
		 * forward's private socket path means nothing to the reader */
		if (h->ssh != NULL && h->cfg->docker == CONFIG_DOCKER_SSH) {
			struct docker_options o;

			docker_options_of(st->d, &o);
			route_error_blame(h, o.unix_socket, "its Docker engine", cause);
		}
		return -1;
	}
	if (mark != 0 && docker_list_settled(st->d)) {
		st->last = docker_containers_copy(c->items, c->n);
		st->nlast = c->n;
		st->list_mark = mark;
		st->list_relist = relist;
		st->list_at = time_mono_ms();
	}
	if (st->watch == NULL && ++st->polls >= 2) {
		struct docker_options o;

		docker_options_of(st->d, &o);
		st->watch = docker_watch_new(&o, docker_on_event, st->arg);
	}
out:
	c->engine_version = xstrdup(docker_engine_version(st->d));
	*value = c;
	return 0;
}

static void docker_thread_done(void *state)
{
	struct feed_docker_state *st = state;

	docker_watch_free(st->watch);   /* before d: its callback names the host only */
	docker_containers_free(st->last, st->nlast);
	docker_free(st->d);
	free(st->setup_error);
	free(st);
}

static const struct source_ops docker_source_ops = {
	.kind = "docker",
	.thread_init = docker_thread_init,
	.poll = docker_poll,
	.thread_done = docker_thread_done,
	.free_value = feed_containers_free,
	.free_arg = free,
};

struct source *feed_docker_new(struct fleet *fleet, struct fleet_host *h, struct wake *wake)
{
	struct docker_arg *arg;

	if (h->cfg->docker == CONFIG_DOCKER_NONE || h->cfg->docker == CONFIG_DOCKER_DEFAULT)
		return NULL;
	arg = xcalloc(1, sizeof *arg);
	arg->host = h;
	arg->timeout_ms = fleet->cfg->timeout_ms;
	arg->source = feed_host_source_new(h, "docker",
	    (struct source_params){ .interval_ms = fleet->cfg->refresh_ms },
	    &docker_source_ops, arg, wake);
	return arg->source;
}

void feed_docker_relist(struct source *docker)
{
	struct docker_arg *a = source_arg(docker);

	atomic_fetch_add(&a->relist, 1);
	source_refresh_now(docker);
}

const struct feed_containers *feed_docker_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
