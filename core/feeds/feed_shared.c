/* feed_shared — the shared layer's sources: the shared PostgreSQL, Redis and
 * the Cloudflare tunnel's connectors. */
#include "core/feeds/feed_shared.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/http.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/tunnel.h"
#include "core/fleet/route.h"

/* ---- the postgres source (the shared database) ---------------------------- */

struct pg_state {
	struct fleet *fleet;
	const atomic_int *cancel;
	struct pg_conn *conn;
};

static void *pg_thread_init(void *arg, const atomic_int *cancel)
{
	struct pg_state *st = xcalloc(1, sizeof *st);

	st->fleet = arg;
	st->cancel = cancel;
	return st;
}

/* host and port of a conninfo (libpq's own parser); defaults localhost:5432. */
static void feed_conninfo_endpoint(const char *conninfo, char **host, int *port)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL), *o;

	*host = NULL;
	*port = 5432;
	for (o = opts; o != NULL && o->keyword != NULL; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "hostaddr") == 0 || (strcmp(o->keyword, "host") == 0 && *host == NULL)) {
			free(*host);
			*host = xstrdup(o->val);
		} else if (strcmp(o->keyword, "port") == 0) {
			*port = atoi(o->val);
		}
	}
	PQconninfoFree(opts);
	if (*host == NULL)
		*host = xstrdup("localhost");
}

static void pg_status_free_value(void *v)
{
	pg_status_done(v);
	free(v);
}

static int pg_source_poll(void *state, void **value, char **cause)
{
	struct pg_state *st = state;
	const struct config_postgres *pc = st->fleet->cfg->postgres;
	struct pg_status *ps;

	if (st->conn == NULL) {
		struct fleet_host *via = route_via(st->fleet, pc->via, cause);
		char *dir = NULL;

		if (pc->via != NULL && via == NULL)
			return -1;
		if (via != NULL && via->ssh != NULL) {
			char *host;
			int port;

			feed_conninfo_endpoint(pc->conninfo, &host, &port);
			dir = transport_ssh_forward_dir(via->ssh, host, port, cause);
			free(host);
			if (dir == NULL)
				return -1;
		}
		st->conn = pg_open(pc->conninfo, dir, pc->password.value, st->fleet->cfg->timeout_ms,
		                   st->cancel, cause);
		free(dir);
		if (st->conn == NULL)
			return -1;
	}
	ps = xmalloc(sizeof *ps);
	pg_status_init(ps);
	if (pg_poll(st->conn, pc->show_queries, ps, cause) == -1) {
		pg_status_free_value(ps);
		pg_close(st->conn);    /* broken: open anew next time */
		st->conn = NULL;
		return -1;
	}
	*value = ps;
	return 0;
}

static void pg_thread_done(void *state)
{
	struct pg_state *st = state;

	pg_close(st->conn);
	free(st);
}

static const struct source_ops pg_source_ops = {
	.kind = "postgres",
	.thread_init = pg_thread_init,
	.poll = pg_source_poll,
	.thread_done = pg_thread_done,
	.free_value = pg_status_free_value,
};

/* ---- the redis source --------------------------------------------------- */

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
			free(host);
			return -1;
		}
		t.unix_path = sock;
	}
	rs = xmalloc(sizeof *rs);
	redis_status_init(rs);
	rv = redis_poll_conn(&t, fleet->cfg->timeout_ms, &rst->conn, rs, cause);
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

/* ---- the cloudflare source: the tunnel's connectors, matched to hosts ----- */

struct cf_arg {
	struct fleet *fleet;
	struct source *const *tunnels;   /* [host], borrowed from the caller */
};

struct cf_state {
	struct fleet *fleet;
	struct source *const *tunnels;
	struct http_client *http;
};

static void *cf_thread_init(void *arg, const atomic_int *cancel)
{
	struct cf_state *st = xcalloc(1, sizeof *st);
	const struct cf_arg *a = arg;

	st->fleet = a->fleet;
	st->tunnels = a->tunnels;
	st->http = http_client_new(cancel);
	return st;
}

/* The connectorId in the host's tunnel snapshot when it is ready and not
 * stale (at most two of the tunnel source's polls old): true and id. */
static bool cf_tunnel_connector(struct source *tunnel, char *id, size_t n)
{
	struct snapshot *snap = tunnel != NULL ? source_get(tunnel) : NULL;
	const struct tunnel_state *ts = snap != NULL && snap->error == NULL ? snap->value : NULL;
	bool ok = ts != NULL && ts->ready == 1 && ts->connector_id[0] != '\0' &&
	    time_mono_ms() - snap->fetched_mono_ms < 2 * (int64_t)source_interval_ms(tunnel);

	if (ok)
		util_strlcpy(id, ts->connector_id, n);
	snapshot_unref(snap);
	return ok;
}

/* The connectorId a host's cloudflared reports at its /ready (through that
 * host), into id; "" when it has none or does not answer.  The host's tunnel
 * source asks /ready already: its answer is taken when fresh, and only
 * asked here when there is none (each ask is an SSH channel). */
static void cf_host_connector(struct cf_state *st, size_t host, char *id, size_t n)
{
	struct fleet_host *h = &st->fleet->hosts[host];
	char *url = NULL, *sock = NULL, *cause = NULL;
	struct http_request req = { 0 };
	struct http_response resp;
	struct cf_ready ready;

	id[0] = '\0';
	if (cf_tunnel_connector(st->tunnels[host], id, n))
		return;
	if (h->cfg->tunnel_ready == NULL ||
	    route_http(st->fleet, h->name, h->cfg->tunnel_ready, &url, &sock, &cause) == -1) {
		free(cause);
		return;
	}
	http_response_init(&resp);
	req.url = url;
	req.unix_socket = sock;
	req.timeout_ms = st->fleet->cfg->timeout_ms;
	if (http_request(st->http, &req, &resp, &cause) == 0 &&
	    cf_parse_ready(resp.body.data, resp.body.len, &ready, &cause) == 0)
		util_strlcpy(id, ready.connector_id, n);
	free(cause);
	http_response_done(&resp);
	free(url);
	free(sock);
}

static void cf_tunnel_free_value(void *v)
{
	cf_tunnel_done(v);
	free(v);
}

static int cf_source_poll(void *state, void **value, char **cause)
{
	struct cf_state *st = state;
	const struct config_cloudflare *cc = st->fleet->cfg->cloudflare;
	size_t n = st->fleet->nhosts;
	struct cf_host *hosts = xcalloc(n + 1, sizeof *hosts);
	char (*ids)[CF_ID_LEN] = xcalloc(n + 1, sizeof *ids);
	struct cf_tunnel *t = xmalloc(sizeof *t);
	int rc;

	cf_tunnel_init(t);
	rc = cf_fetch(st->http, cc->api_url, cc->account_id, cc->tunnel_id, cc->token.value, t, cause);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			struct fleet_host *h = &st->fleet->hosts[i];

			cf_host_connector(st, i, ids[i], sizeof ids[i]);
			hosts[i] = (struct cf_host){ .name = h->name, .connector_id = ids[i],
			                             .origin_ip = h->cfg->tunnel_origin_ip };
		}
		cf_match(t, hosts, n);
		*value = t;
	} else {
		cf_tunnel_free_value(t);
	}
	free(hosts);
	free(ids);
	return rc;
}

static void cf_thread_done(void *state)
{
	struct cf_state *st = state;

	http_client_free(st->http);
	free(st);
}

static const struct source_ops cf_source_ops = {
	.kind = "cloudflare",
	.thread_init = cf_thread_init,
	.poll = cf_source_poll,
	.thread_done = cf_thread_done,
	.free_value = cf_tunnel_free_value,
	.free_arg = free,
};

struct source *feed_postgres_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "postgres", .interval_ms = fleet->cfg->refresh_ms };

	return fleet->cfg->postgres != NULL ? source_new(&p, &pg_source_ops, fleet, wake) : NULL;
}

struct source *feed_redis_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "redis", .interval_ms = fleet->cfg->refresh_ms };

	return fleet->cfg->redis != NULL ? source_new(&p, &redis_source_ops, fleet, wake) : NULL;
}

struct source *feed_cloudflare_new(struct fleet *fleet, struct source *const *tunnels,
                                   struct wake *wake)
{
	const struct config *cfg = fleet->cfg;
	struct source_params p = { .name = "cloudflare" };
	struct cf_arg *arg;

	if (cfg->cloudflare == NULL)
		return NULL;
	p.interval_ms = feed_whole_refreshes_ms(cfg->refresh_ms, cfg->cloudflare->refresh_ms);
	arg = xmalloc(sizeof *arg);
	*arg = (struct cf_arg){ .fleet = fleet, .tunnels = tunnels };
	return source_new(&p, &cf_source_ops, arg, wake);
}

const struct pg_status *feed_postgres_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}

const struct redis_status *feed_redis_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}

const struct cf_tunnel *feed_cloudflare_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
