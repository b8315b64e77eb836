/* redis — one poll of a Redis server: connect (TCP or a tunnel's unix socket),
 * AUTH, PING, INFO, decoded into struct redis_status.
 *
 * hiredis (Debian's 0.14) does the RESP; every step is bounded by the poll's
 * timeout (connect with redisConnect*WithTimeout, each command with
 * redisSetTimeout set to what is left of the deadline).  The INFO decoder is
 * pure and has a fuzz target (tests/fuzz/fuzz_redis_info.c).  Errors are in
 * words and never contain the password. */
#ifndef KITETOP_BACKENDS_REDIS_H
#define KITETOP_BACKENDS_REDIS_H

#include <stdbool.h>
#include <stddef.h>

struct redis_db {
	int index;              /* the N of dbN */
	long long keys;
	long long expires;
};

struct redis_status {
	char version[32];             /* redis_version, "" when absent */
	long long uptime_s;           /* uptime_in_seconds, -1 when absent */
	long long used_memory_bytes;  /* used_memory, -1 when absent */
	long long connected_clients;  /* -1 when absent */
	long long blocked_clients;    /* -1 when absent */
	char role[16];                /* "master", "slave", "" when absent */
	long long connected_slaves;   /* -1 when absent */
	char master_link_status[16];  /* "up"/"down" on a replica, else "" */
	bool aof_enabled;
	bool rdb_bgsave_in_progress;
	bool rdb_last_bgsave_ok;      /* rdb_last_bgsave_status:ok (true when absent) */
	long long rdb_changes_since_last_save; /* -1 when absent */
	struct redis_db *dbs;         /* keyspace, in INFO's order; owned */
	size_t n_dbs;
	double ping_ms;               /* round trip of PING (redis_poll only) */
};

struct redis_target {
	const char *host;       /* TCP host (numeric address preferred) */
	int port;               /* 0: 6379 */
	const char *unix_path;  /* a tunnel's socket: used instead of host:port */
	const char *user;       /* ACL user or NULL ("AUTH password") */
	const char *password;   /* NULL or "": no AUTH */
};

/* Zeroes *st with every figure "absent". */
void redis_status_init(struct redis_status *st);
/* Frees what *st owns (dbs) and re-inits it. */
void redis_status_done(struct redis_status *st);

/* Decodes INFO text (CRLF or LF lines, "# Section" headers, field:value) into
 * *st (which the caller has init'ed; dbs are appended).  Unknown fields are
 * skipped.  Returns 0, or -1 with *cause when the text has no field at all
 * ("redis: INFO answer has no fields"). */
int redis_parse_info(const char *text, size_t len, struct redis_status *st, char **cause);

/* One poll: connect, AUTH when a password is given, PING, INFO.  Fills *st
 * (init'ed by the caller; free with redis_status_done).  Returns 0, or -1 with
 * *cause: "redis: timeout after 5 s", "redis: WRONGPASS invalid username-password
 * pair or user is disabled.", "redis: NOAUTH Authentication required.",
 * "redis: cannot connect to 127.0.0.3:6379: Connection refused", ... */
int redis_poll(const struct redis_target *t, int timeout_ms, struct redis_status *st,
	       char **cause);

/* The same, over a connection kept between polls: *conn NULL connects (and
 * authenticates); on success *conn holds the connection for the next poll,
 * on failure it is closed and *conn is NULL again.  A poll that reuses the
 * connection sends PING and INFO only (no connect, no AUTH). */
struct redis_conn;
int redis_poll_conn(const struct redis_target *t, int timeout_ms, struct redis_conn **conn,
		    struct redis_status *st, char **cause);
void redis_conn_free(struct redis_conn *conn);   /* NULL-safe */

#endif
