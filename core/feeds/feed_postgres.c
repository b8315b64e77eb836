/* feed_postgres — the shared PostgreSQL: one connection kept between polls,
 * through the SSH session of the host its `via` names. */
#include "core/feeds/feed_postgres.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "backends/postgres.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"

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
	struct fleet_host *via = route_via(st->fleet, pc->via, cause);
	struct pg_status *ps;

	if (pc->via != NULL && via == NULL)
		return -1;
	if (st->conn == NULL) {
		char *dir = NULL, *host, *target;
		int port;

		feed_conninfo_endpoint(pc->conninfo, &host, &port);
		target = xasprintf("%s:%d", host, port);
		if (via != NULL && via->ssh != NULL)
			dir = transport_ssh_forward_dir(via->ssh, host, port, cause);
		free(host);
		if (via == NULL || via->ssh == NULL || dir != NULL)
			st->conn = pg_open(pc->conninfo, dir, pc->password.value, st->fleet->cfg->timeout_ms,
			                   st->cancel, cause);
		/* a dead relay is to blame, not the server; and the forward's
		 * private path means nothing to the reader */
		if (st->conn == NULL)
			route_error_blame(via, dir, target, cause);
		free(dir);
		free(target);
		if (st->conn == NULL)
			return -1;
	}
	ps = xmalloc(sizeof *ps);
	pg_status_init(ps);
	if (pg_poll(st->conn, pc->show_queries, ps, cause) == -1) {
		route_error_blame(via, NULL, NULL, cause);
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

struct source *feed_postgres_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "postgres", .interval_ms = fleet->cfg->refresh_ms };

	return fleet->cfg->postgres != NULL ? source_new(&p, &pg_source_ops, fleet, wake) : NULL;
}

const struct pg_status *feed_postgres_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
