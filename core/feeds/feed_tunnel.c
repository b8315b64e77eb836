/* lab_tunnel — the per-host tunnel sources (lab_host.tunnel): every refresh,
 * the host's connector container from its docker snapshot, its cloudflared
 * /ready (through that host) and its connector in the cloudflare source's
 * snapshot.  Value: struct tunnel_state (core/tunnel.h).
 *
 * /ready is asked every refresh while the connector is not ready, and as
 * soon as its container's state or start time changes; a ready connector in
 * an unchanged container is asked again every LAB_READY_INTERVAL_MS only
 * (each ask is an SSH channel opened and closed). */
#include "core/fleet/fleet.h"
#include "core/feeds/feeds_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/feeds/tunnel.h"
#include "core/base/util.h"

struct lab_tunnel_arg {
	struct lab *lab;
	size_t host;
};

struct lab_tunnel_state {
	struct lab_tunnel_arg *arg;
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
	struct lab_tunnel_state *st = xcalloc(1, sizeof *st);

	st->arg = arg;
	st->cancel = cancel;
	st->http = http_client_new(cancel);
	return st;
}

/* Waits (bounded by the refresh interval and the timeout) for a docker
 * snapshot newer than the one the last poll used, so that the container's
 * state is never older than the /ready fetched after it (after an undrain,
 * an old "exited" next to a fresh "ready"). */
static void tunnel_wait_docker(struct lab_tunnel_state *st, struct source *src)
{
	const struct config *cfg = st->arg->lab->cfg;
	int64_t deadline = time_mono_ms() + cfg->refresh_ms + cfg->timeout_ms;

	if (src != NULL)
		(void)source_wait_seq(src, st->docker_seq, deadline, st->cancel);
}

/* The first poll waits (bounded by the timeout) for the docker and cloudflare
 * sources' first snapshots, so that `kitetop status` sees the state. */
static void tunnel_wait_first(struct lab_tunnel_state *st, struct source *src)
{
	int64_t deadline = time_mono_ms() + st->arg->lab->cfg->timeout_ms;

	if (src != NULL)
		(void)source_wait_seq(src, 0, deadline, st->cancel);
}

/* True when the last /ready answer still stands for ts: it said ready, the
 * container is in the same state since the same start, and it is younger
 * than LAB_READY_INTERVAL_MS. */
static bool tunnel_ready_reusable(const struct lab_tunnel_state *st, const struct tunnel_state *ts,
                                  int64_t started_at_ms)
{
	return st->have_ready && st->ready.ready == 1 &&
	    strcmp(st->ready.docker_state, ts->docker_state) == 0 &&
	    st->started_at_ms == started_at_ms &&
	    time_mono_ms() - st->ready_at < LAB_READY_INTERVAL_MS;
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
	struct lab_tunnel_state *st = state;
	struct lab *lab = st->arg->lab;
	struct lab_host *h = &lab->hosts[st->arg->host];
	struct tunnel_state *ts = xmalloc(sizeof *ts);
	struct snapshot *snap;
	int64_t started = 0;

	(void)cause;
	tunnel_state_init(ts, h->cfg->tunnel_container);
	ts->checked_ms = time_real_ms();
	tunnel_wait_first(st, h->docker);
	if (st->docker_seq != 0)
		tunnel_wait_docker(st, h->docker);
	snap = h->docker != NULL ? source_get(h->docker) : NULL;
	if (snap != NULL)
		st->docker_seq = snap->seq;
	if (h->docker == NULL)
		tunnel_apply_docker(ts, NULL, "docker: none configured for this host");
	else if (snap == NULL)
		tunnel_apply_docker(ts, NULL, "docker: no answer yet");
	else if (snap->error != NULL)
		tunnel_apply_docker(ts, NULL, snap->error);
	else {
		const struct docker_container *dc = lab_containers_find(snap->value, ts->container);

		tunnel_apply_docker(ts, dc, NULL);
		started = dc != NULL ? dc->started_at_ms : 0;
	}
	snapshot_unref(snap);
	if (tunnel_ready_reusable(st, ts, started)) {
		tunnel_copy_ready(ts, &st->ready);
	} else {
		tunnel_fetch_ready(lab, st->arg->host, st->http, ts);
		st->ready = *ts;
		st->have_ready = true;
		st->ready_at = time_mono_ms();
		st->started_at_ms = started;
	}
	if (lab->cloudflare != NULL) {
		tunnel_wait_first(st, lab->cloudflare);
		snap = source_get(lab->cloudflare);
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
	struct lab_tunnel_state *st = state;

	http_client_free(st->http);
	free(st);
}

static const struct source_ops tunnel_source_ops = {
	.kind = "tunnel",
	.thread_init = tunnel_thread_init,
	.poll = tunnel_poll,
	.thread_done = tunnel_thread_done,
	.free_value = free,
};

void lab_tunnel_add(struct lab *lab, struct wake *wake)
{
	struct lab_tunnel_arg *args = xcalloc(lab->nhosts + 1, sizeof *args);

	lab->tunnel_args = args;
	for (size_t i = 0; i < lab->nhosts; i++) {
		struct lab_host *h = &lab->hosts[i];
		struct source_params p = { .interval_ms = lab->cfg->refresh_ms };

		if (h->cfg->tunnel_container == NULL || h->cfg->tunnel_container[0] == '\0')
			continue;
		args[i] = (struct lab_tunnel_arg){ .lab = lab, .host = i };
		h->tunnel = lab_add_host_source(lab, h, "tunnel", p, &tunnel_source_ops, &args[i], wake);
	}
}
