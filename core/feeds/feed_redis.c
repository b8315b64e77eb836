/* feed_redis — the shared Redis: PING and INFO on a connection kept between
 * polls, through the SSH session of the host its `via` names. */
#include "core/feeds/feed_redis.h"

#include <stdlib.h>
#include <string.h>

#include "backends/redis.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"

static void redis_status_free_value(void *v)
{
	redis_status_done(v);
	free(v);
}

struct redis_state {
	struct fleet *fleet;
	struct redis_conn *conn;    /* kept between polls */
};

static void *redis_thread_init(void *arg, const atomic_int *cancel)
{
	struct redis_state *st = xcalloc(1, sizeof *st);

	(void)cancel;
	st->fleet = arg;
	return st;
}

static void redis_thread_done(void *state)
{
	struct redis_state *st = state;

	redis_conn_free(st->conn);
	free(st);
}

static int redis_source_poll(void *state, void **value, char **cause)
{
	struct redis_state *rst = state;
	struct fleet *fleet = rst->fleet;
	const struct config_redis *rc = fleet->cfg->redis;
	struct fleet_host *via = route_via(fleet, rc->via, cause);
	struct redis_target t = { .user = rc->user, .password = rc->password.value };
	const char *colon = strrchr(rc->address, ':');
	char *host = colon != NULL ? xstrndup(rc->address, (size_t)(colon - rc->address)) :
	             xstrdup(rc->address);
	char *sock = NULL;
	struct redis_status *rs;
	int rv;

	t.port = colon != NULL ? atoi(colon + 1) : 6379;
	t.host = host;
	if (rc->via != NULL && via == NULL) {
		free(host);
		return -1;
	}
	if (via != NULL && via->ssh != NULL) {
		sock = transport_ssh_forward(via->ssh, host, t.port, cause);   /* the same socket each time */
		if (sock == NULL) {
			route_error_blame(via, NULL, NULL, cause);
			free(host);
			return -1;
		}
		t.unix_path = sock;
	}
	rs = xmalloc(sizeof *rs);
	redis_status_init(rs);
	rv = redis_poll_conn(&t, fleet->cfg->timeout_ms, &rst->conn, rs, cause);
	if (rv == -1)   /* a dead relay named, not the server; no private socket path */
		route_error_blame(via, sock, rc->address, cause);
	free(host);
	free(sock);
	if (rv == -1) {
		redis_status_free_value(rs);
		return -1;
	}
	*value = rs;
	return 0;
}

static const struct source_ops redis_source_ops = {
	.kind = "redis",
	.thread_init = redis_thread_init,
	.poll = redis_source_poll,
	.thread_done = redis_thread_done,
	.free_value = redis_status_free_value,
};

struct source *feed_redis_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "redis", .interval_ms = fleet->cfg->refresh_ms };

	return fleet->cfg->redis != NULL ? source_new(&p, &redis_source_ops, fleet, wake) : NULL;
}

const struct redis_status *feed_redis_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
