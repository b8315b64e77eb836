/* postgres — see postgres.h. */
#include "backends/postgres.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct pg_conn {
	PGconn *conn;
	int timeout_ms;
	const atomic_int *cancel;
	char *password;         /* to mask it in messages */
};

void pg_status_init(struct pg_status *st)
{
	memset(st, 0, sizeof(*st));
	st->version_num = -1;
	st->max_connections = -1;
	st->reserved_connections = -1;
	st->connections = -1;
	st->waiting_locks = -1;
	st->longest_query_s = -1;
	st->round_trip_ms = -1;
	st->statement_timeout_ms = -1;
}

void pg_status_done(struct pg_status *st)
{
	free(st->clients);
	free(st->databases);
	free(st->replicas);
	free(st->longest_query);
	pg_status_init(st);
}

char *pg_error_words(const char *msg, const char *password)
{
	const char *p = msg != NULL ? msg : "", *q;
	size_t n;
	char *line, *out, *sock;
	size_t i, k;

	/* the last line that says something; libpq 15 lists one line per
	 * address tried and adds indented hints ("\tIs the server running...") */
	n = strcspn(p, "\n");
	line = xstrndup(p, n);
	q = strstr(line, " failed: ");
	p = q != NULL ? q + 9 : line;
	if (strncmp(p, "FATAL:", 6) == 0 || strncmp(p, "ERROR:", 6) == 0)
		p += 6;
	while (*p == ' ')
		p++;
	if (*p == 0)
		p = "connection failed";
	out = xmalloc(strlen(p) + 1);
	for (i = 0, k = 0; p[i] != 0; i++)
		if (p[i] != '"')
			out[k++] = p[i];
	out[k] = 0;
	while (k > 0 && isspace((unsigned char)out[k - 1]))
		out[--k] = 0;
	/* "Connection refused" -> "connection refused", but not "SSL ..." */
	if (isupper((unsigned char)out[0]) && islower((unsigned char)out[1]))
		out[0] = (char)tolower((unsigned char)out[0]);
	if (password != NULL && password[0] != 0) {
		char *hit;

		while ((hit = strstr(out, password)) != NULL)
			memset(hit, '*', strlen(password));
	}
	/* a tunnel's socket is worth naming: "... (socket /run/x/.s.PGSQL.5432)" */
	sock = strncmp(line, "connection to server on socket \"", 32) == 0 ? line + 32 : NULL;
	if (sock != NULL && strchr(sock, '"') != NULL)
		*strchr(sock, '"') = 0;
	else
		sock = NULL;
	p = line;
	line = sock != NULL ? xasprintf("postgres: %s (socket %s)", out, sock)
			    : xasprintf("postgres: %s", out);
	free((char *)p);
	free(out);
	return line;
}

static void set_timeout_cause(char **cause, int timeout_ms)
{
	if (timeout_ms % 1000 == 0)
		util_set_cause(cause, "postgres: timeout after %d s", timeout_ms / 1000);
	else
		util_set_cause(cause, "postgres: timeout after %.1f s", timeout_ms / 1000.0);
}

static void set_conn_cause(char **cause, PGconn *conn, const char *password)
{
	char *words = pg_error_words(conn != NULL ? PQerrorMessage(conn) : "out of memory",
				     password);

	util_set_cause(cause, "%s", words);
	free(words);
}

/* Waits until fd is ready for events, the deadline passes or *cancel is set,
 * looking at *cancel at least every 100 ms.  Returns 0 when ready, -1 with
 * *cause. */
static int wait_fd(int fd, short events, int64_t deadline, int timeout_ms,
		   const atomic_int *cancel, char **cause)
{
	for (;;) {
		struct pollfd pfd = { fd, events, 0 };
		int64_t left;
		int r;

		if (cancel != NULL && atomic_load(cancel) != 0) {
			util_set_cause(cause, "postgres: cancelled");
			return -1;
		}
		left = deadline - time_mono_ms();
		if (left <= 0) {
			set_timeout_cause(cause, timeout_ms);
			return -1;
		}
		if (fd < 0) {
			util_set_cause(cause, "postgres: connection lost");
			return -1;
		}
		r = poll(&pfd, 1, (int)(left < 100 ? left : 100));
		if (r < 0 && errno != EINTR) {
			util_set_cause(cause, "postgres: poll: %s", strerror(errno));
			return -1;
		}
		if (r > 0)
			return 0;
	}
}

/* A keyword/value list for PQconnectStartParams: conninfo's own options, with
 * host, password and our settings put in. */
struct params {
	const char **keys;
	const char **values;
	size_t n, cap;
	char *strings[4];       /* what we made and must free */
};

static void params_set(struct params *p, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0) {
			p->values[i] = value;
			return;
		}
	if (p->n + 2 > p->cap) {
		p->cap = p->cap * 2 + 16;
		p->keys = xreallocarray(p->keys, p->cap, sizeof(*p->keys));
		p->values = xreallocarray(p->values, p->cap, sizeof(*p->values));
	}
	p->keys[p->n] = key;
	p->values[p->n] = value;
	p->n++;
	p->keys[p->n] = NULL;
	p->values[p->n] = NULL;
}

static const char *params_get(const struct params *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->values[i];
	return NULL;
}

struct pg_conn *pg_open(const char *conninfo, const char *override_host, const char *password,
			int timeout_ms, const atomic_int *cancel, char **cause)
{
	PQconninfoOption *opts, *o;
	struct params p = { NULL, NULL, 0, 0, { NULL, NULL, NULL, NULL } };
	struct pg_conn *c = NULL;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	char *err = NULL;
	const char *old;
	int64_t deadline;
	PGconn *conn;
	size_t i;

	if (timeout_ms <= 0)
		timeout_ms = 5000;
	deadline = time_mono_ms() + timeout_ms;
	opts = PQconninfoParse(conninfo != NULL ? conninfo : "", &err);
	if (opts == NULL) {
		char *words = pg_error_words(err != NULL ? err : "out of memory", password);

		util_set_cause(cause, "%s (in the connection string)", words);
		free(words);
		PQfreemem(err);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (o->val != NULL && o->val[0] != 0)
			params_set(&p, o->keyword, o->val);
	if (override_host != NULL) {
		params_set(&p, "host", override_host);
		params_set(&p, "hostaddr", "");
	}
	if (password != NULL)
		params_set(&p, "password", password);
	if (params_get(&p, "application_name") == NULL)
		params_set(&p, "application_name", "kitetop");
	p.strings[0] = xasprintf("%d", (timeout_ms + 999) / 1000 < 2 ? 2 : (timeout_ms + 999) / 1000);
	params_set(&p, "connect_timeout", p.strings[0]);
	params_set(&p, "keepalives", "1");
	params_set(&p, "keepalives_idle", "10");
	params_set(&p, "keepalives_interval", "5");
	params_set(&p, "keepalives_count", "3");
	p.strings[1] = xasprintf("%d", timeout_ms);
	params_set(&p, "tcp_user_timeout", p.strings[1]);
	old = params_get(&p, "options");
	p.strings[2] = xasprintf("%s%s-c statement_timeout=%d", old != NULL ? old : "",
				 old != NULL ? " " : "", timeout_ms);
	params_set(&p, "options", p.strings[2]);

	conn = PQconnectStartParams(p.keys, p.values, 0);
	if (conn == NULL || PQstatus(conn) == CONNECTION_BAD) {
		set_conn_cause(cause, conn, password);
		goto fail;
	}
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED) {
			set_conn_cause(cause, conn, password);
			goto fail;
		}
		/* PQsocket may change between calls (another address tried) */
		if (wait_fd(PQsocket(conn), st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
			    deadline, timeout_ms, cancel, cause) != 0)
			goto fail;
		st = PQconnectPoll(conn);
	}
	if (PQsetnonblocking(conn, 1) != 0) {
		set_conn_cause(cause, conn, password);
		goto fail;
	}
	c = xcalloc(1, sizeof(*c));
	c->conn = conn;
	c->timeout_ms = timeout_ms;
	c->cancel = cancel;
	c->password = xstrdup(password);
	conn = NULL;
fail:
	if (conn != NULL)
		PQfinish(conn);
	PQconninfoFree(opts);
	for (i = 0; i < UTIL_ARRAY_LEN(p.strings); i++)
		free(p.strings[i]);
	free(p.keys);
	free(p.values);
	return c;
}

void pg_close(struct pg_conn *c)
{
	if (c == NULL)
		return;
	PQfinish(c->conn);
	if (c->password != NULL) {
		memset(c->password, 0, strlen(c->password));
		free(c->password);
	}
	free(c);
}

/* The poll's statements, in the order of the results. */
#define PG_SQL_SUMMARY \
	"SELECT current_setting('server_version'), current_setting('server_version_num')::int," \
	" current_setting('max_connections')::int, pg_is_in_recovery()," \
	" (SELECT count(*) FROM pg_locks WHERE NOT granted)," \
	" (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'" \
	"  AND pid <> pg_backend_pid())," \
	" (SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout')," \
	" pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')," \
	" current_setting('superuser_reserved_connections')::int;"
#define PG_SQL_CLIENTS \
	"SELECT coalesce(datname, ''), coalesce(usename, ''), coalesce(application_name, '')," \
	" coalesce(host(client_addr), ''), coalesce(state, ''), count(*)" \
	" FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" \
	" GROUP BY 1, 2, 3, 4, 5 ORDER BY 6 DESC, 1, 3, 4, 5, 2;"
#define PG_SQL_DATABASES \
	"SELECT datname, CASE WHEN has_database_privilege(oid, 'CONNECT')" \
	" OR pg_has_role('pg_read_all_stats', 'MEMBER') THEN pg_database_size(oid) END" \
	" FROM pg_database WHERE NOT datistemplate ORDER BY 1;"
#define PG_SQL_LONGEST(text) \
	"SELECT coalesce(datname, ''), coalesce(application_name, '')," \
	" extract(epoch FROM clock_timestamp() - query_start)::float8, " text \
	" FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active'" \
	" AND pid <> pg_backend_pid() AND query_start IS NOT NULL ORDER BY query_start LIMIT 1;"
#define PG_SQL_REPLICAS \
	"SELECT coalesce(application_name, ''), coalesce(host(client_addr), ''), coalesce(state, '')," \
	" coalesce(extract(epoch FROM replay_lag)::float8, -1) FROM pg_stat_replication ORDER BY 1, 2;"

static const char pg_sql_plain[] = PG_SQL_SUMMARY PG_SQL_CLIENTS PG_SQL_DATABASES
	PG_SQL_LONGEST("NULL::text") PG_SQL_REPLICAS;
static const char pg_sql_queries[] = PG_SQL_SUMMARY PG_SQL_CLIENTS PG_SQL_DATABASES
	PG_SQL_LONGEST("left(query, 200)") PG_SQL_REPLICAS;

static void copy(char *dst, size_t size, const PGresult *r, int row, int col)
{
	util_strlcpy(dst, PQgetvalue(r, row, col), size);
}

static long long ll_of(const PGresult *r, int row, int col, long long dflt)
{
	const char *s = PQgetvalue(r, row, col);
	char *end;
	long long v;

	if (PQgetisnull(r, row, col) || s == NULL || s[0] == 0)
		return dflt;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno != 0 || *end != 0 ? dflt : v;
}

static double double_of(const PGresult *r, int row, int col, double dflt)
{
	const char *s = PQgetvalue(r, row, col);
	char *end;
	double v;

	if (PQgetisnull(r, row, col) || s == NULL || s[0] == 0)
		return dflt;
	v = strtod(s, &end);
	return *end != 0 ? dflt : v;
}

/* Takes result number idx (0-based) into *st.  Returns 0 or -1 with *cause. */
static int take_result(const PGresult *r, int idx, struct pg_status *st, char **cause)
{
	static const int fields[] = { 9, 6, 2, 4, 4 };
	int rows = PQntuples(r), i;

	if (idx >= (int)UTIL_ARRAY_LEN(fields) || PQnfields(r) != fields[idx]) {
		util_set_cause(cause, "postgres: unexpected answer to the monitoring query");
		return -1;
	}
	switch (idx) {
	case 0:
		if (rows != 1)
			break;
		copy(st->version, sizeof(st->version), r, 0, 0);
		st->version_num = (int)ll_of(r, 0, 1, -1);
		st->max_connections = (int)ll_of(r, 0, 2, -1);
		st->in_recovery = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
		st->waiting_locks = (int)ll_of(r, 0, 4, -1);
		st->connections = (int)ll_of(r, 0, 5, -1);
		st->statement_timeout_ms = (int)ll_of(r, 0, 6, -1);
		st->sees_all = strcmp(PQgetvalue(r, 0, 7), "t") == 0;
		st->reserved_connections = (int)ll_of(r, 0, 8, -1);
		break;
	case 1:
		st->clients = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*st->clients));
		for (i = 0; i < rows; i++) {
			struct pg_client_group *g = &st->clients[i];

			copy(g->database, sizeof(g->database), r, i, 0);
			copy(g->user, sizeof(g->user), r, i, 1);
			copy(g->application, sizeof(g->application), r, i, 2);
			copy(g->client_addr, sizeof(g->client_addr), r, i, 3);
			copy(g->state, sizeof(g->state), r, i, 4);
			g->count = (int)ll_of(r, i, 5, 0);
		}
		st->n_clients = (size_t)rows;
		break;
	case 2:
		st->databases = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*st->databases));
		for (i = 0; i < rows; i++) {
			copy(st->databases[i].name, sizeof(st->databases[i].name), r, i, 0);
			st->databases[i].size_bytes = ll_of(r, i, 1, -1);
		}
		st->n_databases = (size_t)rows;
		break;
	case 3:
		if (rows != 1)
			break;
		copy(st->longest_database, sizeof(st->longest_database), r, 0, 0);
		copy(st->longest_application, sizeof(st->longest_application), r, 0, 1);
		st->longest_query_s = double_of(r, 0, 2, -1);
		if (!PQgetisnull(r, 0, 3))
			st->longest_query = xstrdup(PQgetvalue(r, 0, 3));
		break;
	case 4:
		st->replicas = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*st->replicas));
		for (i = 0; i < rows; i++) {
			struct pg_replica *rep = &st->replicas[i];

			copy(rep->application, sizeof(rep->application), r, i, 0);
			copy(rep->client_addr, sizeof(rep->client_addr), r, i, 1);
			copy(rep->state, sizeof(rep->state), r, i, 2);
			rep->replay_lag_s = double_of(r, i, 3, -1);
		}
		st->n_replicas = (size_t)rows;
		break;
	}
	return 0;
}

int pg_poll(struct pg_conn *c, bool show_queries, struct pg_status *st, char **cause)
{
	int64_t t0 = time_mono_ms(), deadline = t0 + c->timeout_ms;
	int fd = PQsocket(c->conn), idx = 0, rc = 0, flushed;
	PGresult *r;

	if (PQstatus(c->conn) != CONNECTION_OK) {
		util_set_cause(cause, "postgres: connection lost");
		return -1;
	}
	if (!PQsendQuery(c->conn, show_queries ? pg_sql_queries : pg_sql_plain)) {
		set_conn_cause(cause, c->conn, c->password);
		return -1;
	}
	while ((flushed = PQflush(c->conn)) == 1) {
		if (wait_fd(fd, POLLIN | POLLOUT, deadline, c->timeout_ms, c->cancel, cause) != 0)
			return -1;
		if (!PQconsumeInput(c->conn)) {
			set_conn_cause(cause, c->conn, c->password);
			return -1;
		}
	}
	if (flushed < 0) {
		set_conn_cause(cause, c->conn, c->password);
		return -1;
	}
	for (;;) {
		while (PQisBusy(c->conn)) {
			if (wait_fd(fd, POLLIN, deadline, c->timeout_ms, c->cancel, cause) != 0)
				return -1;
			if (!PQconsumeInput(c->conn)) {
				set_conn_cause(cause, c->conn, c->password);
				return -1;
			}
		}
		r = PQgetResult(c->conn);
		if (r == NULL)
			break;
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			if (rc == 0 && take_result(r, idx, st, cause) != 0)
				rc = -1;
		} else if (rc == 0) {
			char *words = pg_error_words(PQresultErrorMessage(r), c->password);

			util_set_cause(cause, "%s", words);
			free(words);
			rc = -1;
		}
		PQclear(r);
		idx++;
	}
	if (rc == 0 && idx != 5) {
		util_set_cause(cause, "postgres: unexpected answer to the monitoring query");
		rc = -1;
	}
	st->round_trip_ms = (double)(time_mono_ms() - t0);
	return rc;
}
