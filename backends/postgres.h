/* postgres — a monitoring connection to PostgreSQL over asynchronous libpq.
 *
 * Nothing here blocks past the connection's timeout: the connection is made
 * with PQconnectStartParams/PQconnectPoll and the queries sent with
 * PQsendQuery, each wait a poll() on the socket in slices of at most 100 ms,
 * in which the caller's cancel flag is read.  The server also ends any
 * statement after the timeout (statement_timeout, set for the session).
 * libpq resolves a host name inside PQconnectStartParams, blocking: give a
 * numeric host (or hostaddr=) or a socket directory.
 * A PGconn, so a struct pg_conn, is for one thread at a time.
 *
 * Each pg_poll is one round trip (one simple query of several statements).
 * The role needs only pg_monitor.  Errors are in words ("postgres: timeout
 * after 5 s", "postgres: password authentication failed for user kitetop",
 * "postgres: connection refused") and never contain the password. */
#ifndef KITETOP_BACKENDS_POSTGRES_H
#define KITETOP_BACKENDS_POSTGRES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct pg_conn;

/* Connections grouped by database × user × application × client address × state. */
struct pg_client_group {
	char database[64];      /* "" for a backend without one */
	char user[64];
	char application[64];
	char client_addr[64];   /* "" for a unix socket */
	char state[32];         /* active, idle, idle in transaction, ... ("" unknown) */
	int count;
};

struct pg_database {
	char name[64];
	long long size_bytes;   /* -1 when the role may not read it */
};

struct pg_replica {
	char application[64];
	char client_addr[64];
	char state[32];         /* streaming, catchup, ... */
	double replay_lag_s;    /* -1 when the server reports none */
};

struct pg_status {
	char version[32];            /* server_version, "15.20" */
	int version_num;             /* server_version_num, 150020 */
	int max_connections;
	int reserved_connections;    /* superuser_reserved_connections, -1 unknown */
	int connections;             /* client backends, ours excluded */
	bool in_recovery;            /* pg_is_in_recovery(): a standby */
	int waiting_locks;           /* pg_locks not granted */
	struct pg_client_group *clients;  /* owned; most connections first */
	size_t n_clients;
	struct pg_database *databases;    /* owned; by name, templates left out */
	size_t n_databases;
	struct pg_replica *replicas;      /* owned; pg_stat_replication */
	size_t n_replicas;
	double longest_query_s;      /* oldest active query's age, -1 when none */
	char longest_database[64];
	char longest_application[64];
	char *longest_query;         /* owned; its text (≤ 200 chars) when asked, else NULL */
	double round_trip_ms;        /* the poll's query, sent to last result */
	int statement_timeout_ms;    /* our session's, as the server has it (0: none) */
	bool sees_all;               /* the role reads every session (pg_read_all_stats, which
	                              * pg_monitor grants, or superuser); when false, other
	                              * roles' sessions come without application, address and
	                              * state (grouped under "") */
};

void pg_status_init(struct pg_status *st);
/* Frees what *st owns and re-inits it. */
void pg_status_done(struct pg_status *st);

/* Connects.  conninfo is a libpq connection string or URI ("host=127.0.0.3
 * port=5432 dbname=postgres user=kitetop").  override_host (may be NULL)
 * replaces its host and hostaddr: a directory holding a tunnel's socket
 * DIR/.s.PGSQL.PORT, PORT being conninfo's port (5432 when absent).  password
 * (may be NULL: then libpq's own, conninfo or ~/.pgpass) is given to libpq
 * apart, never in a message.  timeout_ms bounds the connection and every later
 * pg_poll (0: 5000) and is the session's statement_timeout.  cancel (may be
 * NULL) is read every ≤ 100 ms; when nonzero the wait ends with "postgres:
 * cancelled".  Also set, over conninfo's: application_name=kitetop (unless
 * given), connect_timeout, keepalives, tcp_user_timeout=timeout_ms, and
 * "-c statement_timeout=timeout_ms" appended to options.  Returns the connection (free with pg_close), or NULL with *cause. */
struct pg_conn *pg_open(const char *conninfo, const char *override_host, const char *password,
			int timeout_ms, const atomic_int *cancel, char **cause);

/* One poll into *st (init'ed by the caller; free with pg_status_done).
 * show_queries: also fetch the longest query's text.  Returns 0, or -1 with
 * *cause; after -1 the connection is broken: pg_close it and pg_open anew. */
int pg_poll(struct pg_conn *c, bool show_queries, struct pg_status *st, char **cause);

/* Closes and frees c (NULL is fine). */
void pg_close(struct pg_conn *c);

/* Turns a libpq error message into kitetop's words: the first line, without
 * the "connection to server at ... failed:" prefix, the "FATAL:" tag and
 * double quotes, the password (if any) masked, prefixed with "postgres: ".
 * Returns a string the caller frees. */
char *pg_error_words(const char *libpq_message, const char *password);

#endif
