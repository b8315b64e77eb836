/* feed_tunnel — a host's tunnel connector source: every refresh,
 * the host's connector container from its docker snapshot, its cloudflared
 * /ready (through that host) and its connector in the cloudflare source's
 * snapshot.  Value: struct tunnel_state (core/feeds/tunnel.h).
 *
 * /ready is asked every refresh while the connector is not ready, and as
 * soon as its container's state or start time changes; a ready connector in
 * an unchanged container is asked again every FEED_READY_INTERVAL_MS only
 * (each ask is an SSH channel opened and closed). */
#include "core/feeds/feed_tunnel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_docker.h"
#include "core/feeds/tunnel.h"

struct feed_tunnel_arg {
	struct fleet *fleet;
	size_t host;
	struct source *docker;      /* the host's docker source, or NULL */
	struct source *cloudflare;  /* the cloudflare source, or NULL */
};

struct feed_tunnel_state {
	struct feed_tunnel_arg *arg;
	const atomic_int *cancel;
	struct http_client *http;
	uint64_t docker_seq;        /* the docker snapshot the last poll used */
	/* the last /ready asked, reused while the container is unchanged: */
	bool have_ready;
	struct tunnel_state ready;  /* the state it gave */
	int64_t ready_at;           /* mono ms it was asked */
	int64_t started_at_ms;      /* the container's start then */
};

static void *tunnel_thread_init(void *arg, const atomic_int *cancel)
{
	struct feed_tunnel_state *st = xcalloc(1, sizeof *st);

	st->arg = arg;
	st->cancel = cancel;
	st->http = http_client_new(cancel);
	return st;
}

/* Waits (bounded by the refresh interval and the timeout) for a docker
 * snapshot newer than the one the last poll used, so that the container's
 * state is never older than the /ready fetched after it (after an undrain,
 * an old "exited" next to a fresh "ready"). */
static void tunnel_wait_docker(struct feed_tunnel_state *st, struct source *src)
{
	const struct config *cfg = st->arg->fleet->cfg;
	int64_t deadline = time_mono_ms() + cfg->refresh_ms + cfg->timeout_ms;

	if (src != NULL)
		(void)source_wait_seq(src, st->docker_seq, deadline, st->cancel);
}

/* The first poll waits (bounded by the timeout) for the docker and cloudflare
 * sources' first snapshots, so that `kitetop status` sees the state. */
static void tunnel_wait_first(struct feed_tunnel_state *st, struct source *src)
{
	int64_t deadline = time_mono_ms() + st->arg->fleet->cfg->timeout_ms;

	if (src != NULL)
		(void)source_wait_seq(src, 0, deadline, st->cancel);
}

/* True when the last /ready answer still stands for ts: it said ready, the
 * container is in the same state since the same start, and it is younger
 * than FEED_READY_INTERVAL_MS. */
static bool tunnel_ready_reusable(const struct feed_tunnel_state *st, const struct tunnel_state *ts,
                                  int64_t started_at_ms)
{
	return st->have_ready && st->ready.ready == 1 &&
	    strcmp(st->ready.docker_state, ts->docker_state) == 0 &&
	    st->started_at_ms == started_at_ms &&
	    time_mono_ms() - st->ready_at < FEED_READY_INTERVAL_MS;
}

/* The /ready part of from into ts. */
static void tunnel_copy_ready(struct tunnel_state *ts, const struct tunnel_state *from)
{
	ts->ready = from->ready;
	ts->ready_status = from->ready_status;
	ts->ready_connections = from->ready_connections;
	memcpy(ts->connector_id, from->connector_id, sizeof ts->connector_id);
	memcpy(ts->ready_error, from->ready_error, sizeof ts->ready_error);
}

static int tunnel_poll(void *state, void **value, char **cause)
{
	struct feed_tunnel_state *st = state;
	struct fleet *fleet = st->arg->fleet;
	struct source *docker = st->arg->docker, *cloudflare = st->arg->cloudflare;
	struct tunnel_state *ts = xmalloc(sizeof *ts), first;
	struct snapshot *snap;
	int64_t started = 0;
	bool asked = false;

	(void)cause;
	tunnel_state_init(ts, fleet->hosts[st->arg->host].cfg->tunnel_container);
	ts->checked_ms = time_real_ms();
	/* the first poll asks /ready while the docker source's first answer is
	 * on its way (on a slow link each is several round trips); later ones
	 * ask after the container's state, never older than /ready */
	if (!st->have_ready) {
		first = *ts;
		tunnel_fetch_ready(fleet, st->arg->host, st->http, &first);
		asked = true;
	}
	tunnel_wait_first(st, docker);
	if (st->docker_seq != 0)
		tunnel_wait_docker(st, docker);
	snap = docker != NULL ? source_get(docker) : NULL;
	if (snap != NULL)
		st->docker_seq = snap->seq;
	if (docker == NULL)
		tunnel_apply_docker(ts, NULL, "docker: none configured for this host");
	else if (snap == NULL)
		tunnel_apply_docker(ts, NULL, "docker: no answer yet");
	else if (snap->error != NULL)
		tunnel_apply_docker(ts, NULL, snap->error);
	else {
		const struct docker_container *dc = feed_containers_find(snap->value, ts->container);

		tunnel_apply_docker(ts, dc, NULL);
		started = dc != NULL ? dc->started_at_ms : 0;
	}
	snapshot_unref(snap);
	if (tunnel_ready_reusable(st, ts, started)) {
		tunnel_copy_ready(ts, &st->ready);
	} else {
		if (asked)
			tunnel_copy_ready(ts, &first);
		else
			tunnel_fetch_ready(fleet, st->arg->host, st->http, ts);
		st->ready = *ts;
		st->have_ready = true;
		st->ready_at = time_mono_ms();
		st->started_at_ms = started;
	}
	if (cloudflare != NULL) {
		tunnel_wait_first(st, cloudflare);
		snap = source_get(cloudflare);
		if (snap == NULL)
			tunnel_apply_cloudflare(ts, NULL, 0, "no answer yet");
		else
			tunnel_apply_cloudflare(ts, snap->error == NULL ? snap->value : NULL,
			                        (int)st->arg->host, snap->error);
		snapshot_unref(snap);
	}
	*value = ts;
	return 0;
}

static void tunnel_thread_done(void *state)
{
	struct feed_tunnel_state *st = state;

	http_client_free(st->http);
	free(st);
}

static const struct source_ops tunnel_source_ops = {
	.kind = "tunnel",
	.thread_init = tunnel_thread_init,
	.poll = tunnel_poll,
	.thread_done = tunnel_thread_done,
	.free_value = free,
	.free_arg = free,
};

struct source *feed_tunnel_new(struct fleet *fleet, size_t host, struct source *docker,
                               struct source *cloudflare, struct wake *wake)
{
	struct fleet_host *h = &fleet->hosts[host];
	struct source_params p = { .interval_ms = fleet->cfg->refresh_ms };
	struct feed_tunnel_arg *arg;

	if (h->cfg->tunnel_container == NULL || h->cfg->tunnel_container[0] == '\0')
		return NULL;
	arg = xmalloc(sizeof *arg);
	*arg = (struct feed_tunnel_arg){ .fleet = fleet, .host = host, .docker = docker,
	                                 .cloudflare = cloudflare };
	return feed_host_source_new(h, "tunnel", p, &tunnel_source_ops, arg, wake);
}

const struct tunnel_state *feed_tunnel_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
