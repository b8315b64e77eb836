/* redis — see redis.h. */
#include "backends/redis.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

void redis_status_init(struct redis_status *st)
{
	memset(st, 0, sizeof(*st));
	st->uptime_s = -1;
	st->used_memory_bytes = -1;
	st->connected_clients = -1;
	st->blocked_clients = -1;
	st->connected_slaves = -1;
	st->rdb_last_bgsave_ok = true;
	st->rdb_changes_since_last_save = -1;
	st->ping_ms = -1;
}

void redis_status_done(struct redis_status *st)
{
	free(st->dbs);
	redis_status_init(st);
}

/* A decimal integer filling all of [s, s+n); false otherwise. */
static bool parse_ll(const char *s, size_t n, long long *out)
{
	char tmp[32];
	char *end;
	long long v;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != 0 || end == tmp)
		return false;
	*out = v;
	return true;
}

static void copy_field(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < size; i++)
		dst[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[k] = 0;
}

/* "keys=123,expires=4,avg_ttl=0" */
static void parse_db(struct redis_status *st, int index, const char *v, size_t n)
{
	struct redis_db db = { index, -1, -1 };
	size_t i = 0;

	while (i < n) {
		size_t j = i, eq;

		while (j < n && v[j] != ',')
			j++;
		for (eq = i; eq < j && v[eq] != '='; eq++)
			;
		if (eq < j) {
			long long x;

			if (eq - i == 4 && memcmp(v + i, "keys", 4) == 0 &&
			    parse_ll(v + eq + 1, j - eq - 1, &x))
				db.keys = x;
			else if (eq - i == 7 && memcmp(v + i, "expires", 7) == 0 &&
				 parse_ll(v + eq + 1, j - eq - 1, &x))
				db.expires = x;
		}
		i = j + 1;
	}
	if (db.keys < 0)
		return;
	if (st->n_dbs >= 4096)
		return;
	st->dbs = xreallocarray(st->dbs, st->n_dbs + 1, sizeof(*st->dbs));
	st->dbs[st->n_dbs++] = db;
}

static bool key_is(const char *k, size_t kn, const char *name)
{
	return strlen(name) == kn && memcmp(k, name, kn) == 0;
}

int redis_parse_info(const char *text, size_t len, struct redis_status *st, char **cause)
{
	size_t i = 0, fields = 0;

	while (i < len) {
		size_t end = i, colon, vn;
		const char *k, *v;
		long long x;

		while (end < len && text[end] != '\n')
			end++;
		vn = end;
		if (vn > i && text[vn - 1] == '\r')
			vn--;
		k = text + i;
		if (vn == i || text[i] == '#')
			goto next;
		for (colon = i; colon < vn && text[colon] != ':'; colon++)
			;
		if (colon == vn)
			goto next;
		fields++;
		v = text + colon + 1;
		vn -= colon + 1;
		colon -= i;     /* now the key's length */
		if (key_is(k, colon, "redis_version"))
			copy_field(st->version, sizeof(st->version), v, vn);
		else if (key_is(k, colon, "role"))
			copy_field(st->role, sizeof(st->role), v, vn);
		else if (key_is(k, colon, "master_link_status"))
			copy_field(st->master_link_status, sizeof(st->master_link_status), v, vn);
		else if (key_is(k, colon, "uptime_in_seconds") && parse_ll(v, vn, &x))
			st->uptime_s = x;
		else if (key_is(k, colon, "used_memory") && parse_ll(v, vn, &x))
			st->used_memory_bytes = x;
		else if (key_is(k, colon, "connected_clients") && parse_ll(v, vn, &x))
			st->connected_clients = x;
		else if (key_is(k, colon, "blocked_clients") && parse_ll(v, vn, &x))
			st->blocked_clients = x;
		else if (key_is(k, colon, "connected_slaves") && parse_ll(v, vn, &x))
			st->connected_slaves = x;
		else if (key_is(k, colon, "aof_enabled") && parse_ll(v, vn, &x))
			st->aof_enabled = x != 0;
		else if (key_is(k, colon, "rdb_bgsave_in_progress") && parse_ll(v, vn, &x))
			st->rdb_bgsave_in_progress = x != 0;
		else if (key_is(k, colon, "rdb_changes_since_last_save") && parse_ll(v, vn, &x))
			st->rdb_changes_since_last_save = x;
		else if (key_is(k, colon, "rdb_last_bgsave_status"))
			st->rdb_last_bgsave_ok = vn == 2 && memcmp(v, "ok", 2) == 0;
		else if (colon > 2 && memcmp(k, "db", 2) == 0 && parse_ll(k + 2, colon - 2, &x) &&
			 x >= 0 && x <= INT_MAX)
			parse_db(st, (int)x, v, vn);
next:
		i = end + 1;
	}
	if (fields == 0) {
		util_set_cause(cause, "redis: INFO answer has no fields");
		return -1;
	}
	return 0;
}

static struct timeval tv_of_ms(int64_t ms)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	return tv;
}

static void set_timeout_cause(char **cause, int timeout_ms)
{
	if (timeout_ms % 1000 == 0)
		util_set_cause(cause, "redis: timeout after %d s", timeout_ms / 1000);
	else
		util_set_cause(cause, "redis: timeout after %.1f s", timeout_ms / 1000.0);
}

static bool is_timeout_text(const char *s)
{
	return strstr(s, "temporarily unavailable") != NULL || strstr(s, "timed out") != NULL ||
	       strstr(s, "would block") != NULL;
}

/* Turns a failed context into *cause. */
static void context_cause(const redisContext *c, const struct redis_target *t, int timeout_ms,
			  char **cause)
{
	char where[300];

	if (t->unix_path != NULL)
		snprintf(where, sizeof(where), "%s", t->unix_path);
	else
		snprintf(where, sizeof(where), "%s:%d", t->host, t->port > 0 ? t->port : 6379);
	if (c == NULL)
		util_set_cause(cause, "redis: cannot connect to %s: out of memory", where);
	else if (is_timeout_text(c->errstr))
		set_timeout_cause(cause, timeout_ms);
	else if (c->err == REDIS_ERR_EOF)
		util_set_cause(cause, "redis: %s closed the connection", where);
	else
		util_set_cause(cause, "redis: %s: %s", where, c->errstr);
}

/* Reads the next reply with what is left of the deadline.  Returns it
 * (caller frees with freeReplyObject), or NULL with *cause (the connection is
 * then out of step and must not be reused). */
static redisReply *reply(redisContext *c, const struct redis_target *t, int64_t deadline,
			 int timeout_ms, char **cause)
{
	int64_t left = deadline - time_mono_ms();
	void *v = NULL;
	redisReply *r;

	if (left <= 0) {
		set_timeout_cause(cause, timeout_ms);
		return NULL;
	}
	if (redisSetTimeout(c, tv_of_ms(left)) != REDIS_OK ||
	    redisGetReply(c, &v) != REDIS_OK || v == NULL) {
		if (v != NULL)
			freeReplyObject(v);
		context_cause(c, t, timeout_ms, cause);
		return NULL;
	}
	r = v;
	if (r->type == REDIS_REPLY_ERROR) {
		util_set_cause(cause, "redis: %.*s", (int)(r->len < 300 ? r->len : 300), r->str);
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* Queues one command (sent by the next reply()). */
static int append(redisContext *c, const struct redis_target *t, int timeout_ms, char **cause,
		  int argc, const char **argv)
{
	if (redisAppendCommandArgv(c, argc, argv, NULL) != REDIS_OK) {
		context_cause(c, t, timeout_ms, cause);
		return -1;
	}
	return 0;
}

/* Runs one command with what is left of the deadline.  Returns the reply (caller
 * frees with freeReplyObject), or NULL with *cause. */
static redisReply *command(redisContext *c, const struct redis_target *t, int64_t deadline,
			   int timeout_ms, char **cause, int argc, const char **argv)
{
	if (append(c, t, timeout_ms, cause, argc, argv) == -1)
		return NULL;
	return reply(c, t, deadline, timeout_ms, cause);
}

int redis_poll(const struct redis_target *t, int timeout_ms, struct redis_status *st,
	       char **cause)
{
	struct redis_conn *conn = NULL;
	int rc = redis_poll_conn(t, timeout_ms, &conn, st, cause);

	redis_conn_free(conn);
	return rc;
}

void redis_conn_free(struct redis_conn *conn)
{
	if (conn != NULL)
		redisFree((redisContext *)conn);
}

int redis_poll_conn(const struct redis_target *t, int timeout_ms, struct redis_conn **conn,
		    struct redis_status *st, char **cause)
{
	int64_t deadline, t0;
	redisContext *c = (redisContext *)*conn;
	redisReply *r;
	int rc = -1;

	if (timeout_ms <= 0)
		timeout_ms = 5000;
	deadline = time_mono_ms() + timeout_ms;
	if (c != NULL)
		goto ping;   /* connected and authenticated at an earlier poll */
	if (t->unix_path != NULL)
		c = redisConnectUnixWithTimeout(t->unix_path, tv_of_ms(timeout_ms));
	else
		c = redisConnectWithTimeout(t->host, t->port > 0 ? t->port : 6379,
					    tv_of_ms(timeout_ms));
	if (c == NULL || c->err != 0) {
		context_cause(c, t, timeout_ms, cause);
		goto out;
	}
	if (t->password != NULL && t->password[0] != 0) {
		const char *argv[3] = { "AUTH", NULL, NULL };
		int argc = 2;

		if (t->user != NULL && t->user[0] != 0) {
			argv[1] = t->user;
			argv[2] = t->password;
			argc = 3;
		} else {
			argv[1] = t->password;
		}
		r = command(c, t, deadline, timeout_ms, cause, argc, argv);
		if (r == NULL)
			goto out;
		freeReplyObject(r);
	}
ping:
	{
		/* PING and INFO go out together: one round trip (through SSH,
		 * each costs both ends a wake-up); PING's reply, first back,
		 * times it */
		const char *ping[1] = { "PING" }, *info[1] = { "INFO" };

		t0 = time_mono_ms();
		if (append(c, t, timeout_ms, cause, 1, ping) == -1 ||
		    append(c, t, timeout_ms, cause, 1, info) == -1)
			goto out;
		r = reply(c, t, deadline, timeout_ms, cause);
		if (r == NULL)
			goto out;
		st->ping_ms = (double)(time_mono_ms() - t0);
		freeReplyObject(r);
		r = reply(c, t, deadline, timeout_ms, cause);
		if (r == NULL)
			goto out;
		if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS) {
			util_set_cause(cause, "redis: INFO answered something else than text");
			freeReplyObject(r);
			goto out;
		}
		rc = redis_parse_info(r->str, r->len, st, cause);
		freeReplyObject(r);
	}
out:
	/* a failed connection is not reused: the next poll connects afresh */
	if (rc == -1 && c != NULL) {
		redisFree(c);
		c = NULL;
	}
	*conn = (struct redis_conn *)c;
	return rc;
}
