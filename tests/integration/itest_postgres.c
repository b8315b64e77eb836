/* Integration tests of backends/postgres against the lab's PostgreSQL 15
 * (127.0.0.3:5432, role kitetop with pg_monitor, password in
 * /run/kitetop-lab/pg.pass; $KT_LAB_PG_CONNINFO and $KT_LAB_PG_PASSFILE
 * override), skipped when it does not answer; and against hostile listeners on
 * 127.0.0.3 (ephemeral ports) that need no database: one that accepts and never
 * answers, one that closes after the startup packet, a closed port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "backends/postgres.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/pgredis_forward.h"

static const char *conninfo = "host=127.0.0.3 port=5432 user=kitetop dbname=postgres";
static char *password;     /* NULL: no lab */

#define NEED_LAB() do { if (password == NULL) { skip(); } } while (0)

static int group_setup(void **state)
{
	const char *passfile = getenv("KT_LAB_PG_PASSFILE");
	char *text = NULL, *cause = NULL;
	struct pg_conn *c;
	size_t len;

	(void)state;
	if (getenv("KT_LAB_PG_CONNINFO") != NULL)
		conninfo = getenv("KT_LAB_PG_CONNINFO");
	if (passfile == NULL)
		passfile = "/run/kitetop-lab/pg.pass";
	if (util_read_file(passfile, 4096, &text, &len, &cause) != 0) {
		fprintf(stderr, "# no lab PostgreSQL (%s): its tests skip\n", cause);
		free(cause);
		return 0;
	}
	text[strcspn(text, "\r\n")] = 0;
	c = pg_open(conninfo, NULL, text, 3000, NULL, &cause);
	if (c == NULL) {
		fprintf(stderr, "# lab PostgreSQL does not answer (%s): its tests skip\n", cause);
		free(cause);
		free(text);
		return 0;
	}
	pg_close(c);
	password = text;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(password);
	return 0;
}

static void test_poll_reports_version_databases_and_clients(void **state)
{
	struct pg_status st;
	struct pg_conn *c;
	char *cause = NULL;
	size_t i;
	int seen = 0, sum = 0;

	(void)state;
	NEED_LAB();
	c = pg_open(conninfo, NULL, password, 5000, NULL, &cause);
	assert_non_null(c);
	pg_status_init(&st);
	if (pg_poll(c, false, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(strncmp(st.version, "15.", 3) == 0);
	assert_true(st.version_num >= 150000 && st.version_num < 160000);
	assert_true(st.max_connections >= 10);
	assert_true(st.connections >= 0 && st.connections < st.max_connections);
	assert_int_equal(st.waiting_locks, 0);
	assert_false(st.in_recovery);
	assert_true(st.sees_all);   /* the lab's kitetop role has pg_monitor */
	for (i = 0; i < st.n_clients; i++) {
		assert_true(st.clients[i].count > 0);
		sum += st.clients[i].count;
	}
	assert_int_equal(sum, st.connections);   /* ours is in neither */
	for (i = 0; i < st.n_databases; i++) {
		if (strcmp(st.databases[i].name, "authentik") == 0 ||
		    strcmp(st.databases[i].name, "forgejo") == 0) {
			/* an empty PostgreSQL 15 database is about 7.5 MB */
			assert_true(st.databases[i].size_bytes > 1000000);
			assert_true(st.databases[i].size_bytes < 10LL << 30);
			seen++;
		}
		assert_true(strcmp(st.databases[i].name, "template0") != 0);
	}
	assert_int_equal(seen, 2);
	assert_int_equal(st.n_replicas, 0);
	assert_null(st.longest_query);
	assert_true(st.round_trip_ms >= 0 && st.round_trip_ms < 5000);
	assert_int_equal(st.statement_timeout_ms, 5000);   /* set for the session */
	pg_status_done(&st);
	pg_close(c);
}

/* The count of group (db, app, state) by user kitetop. */
static int group_count(const struct pg_status *st, const char *db, const char *app,
		       const char *state)
{
	size_t i;
	int n = 0;

	for (i = 0; i < st->n_clients; i++)
		if (strcmp(st->clients[i].database, db) == 0 &&
		    strcmp(st->clients[i].application, app) == 0 &&
		    strcmp(st->clients[i].user, "kitetop") == 0 &&
		    strcmp(st->clients[i].state, state) == 0) {
			assert_string_equal(st->clients[i].client_addr, "127.0.0.1");
			n += st->clients[i].count;
		}
	return n;
}

static void test_clients_grouped_and_longest_query(void **state)
{
	struct pg_conn *mon, *apps[5];
	struct pg_status before, after;
	char *cause = NULL, *ci;
	PGconn *busy;
	size_t i;

	(void)state;
	NEED_LAB();
	mon = pg_open(conninfo, NULL, password, 5000, NULL, &cause);
	assert_non_null(mon);
	pg_status_init(&before);
	pg_status_init(&after);
	if (pg_poll(mon, false, &before, &cause) != 0)
		fail_msg("%s", cause);
	for (i = 0; i < 5; i++) {
		const char *app = i < 3 ? "authentik" : "forgejo";

		ci = xasprintf("host=127.0.0.3 port=5432 user=kitetop dbname=%s application_name=%s",
			       app, app);
		apps[i] = pg_open(ci, NULL, password, 5000, NULL, &cause);
		if (apps[i] == NULL)
			fail_msg("%s", cause);
		free(ci);
	}
	/* one more authentik connection, busy in a 3 s query */
	ci = xasprintf("host=127.0.0.3 port=5432 user=kitetop dbname=authentik "
		       "application_name=authentik password=%s", password);
	busy = PQconnectdb(ci);
	free(ci);
	assert_int_equal(PQstatus(busy), CONNECTION_OK);
	assert_int_equal(PQsendQuery(busy, "SELECT pg_sleep(3) /* kt-itest */"), 1);
	time_sleep_ms(600);
	if (pg_poll(mon, true, &after, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(group_count(&after, "authentik", "authentik", "idle") -
			 group_count(&before, "authentik", "authentik", "idle"), 3);
	assert_int_equal(group_count(&after, "forgejo", "forgejo", "idle") -
			 group_count(&before, "forgejo", "forgejo", "idle"), 2);
	assert_int_equal(group_count(&after, "authentik", "authentik", "active") -
			 group_count(&before, "authentik", "authentik", "active"), 1);
	/* the total is the server's, other clients' included (which come and
	 * go): at least the 6 opened here (the monitor does not count itself) */
	assert_true(after.connections >= 6);
	assert_true(after.longest_query_s >= 0.5 && after.longest_query_s < 3.5);
	assert_string_equal(after.longest_database, "authentik");
	assert_string_equal(after.longest_application, "authentik");
	assert_non_null(after.longest_query);
	assert_non_null(strstr(after.longest_query, "pg_sleep(3) /* kt-itest */"));
	pg_status_done(&after);
	/* without show_queries, no text */
	pg_status_init(&after);
	if (pg_poll(mon, false, &after, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(after.longest_query_s >= 0.5);
	assert_null(after.longest_query);
	pg_status_done(&after);
	pg_status_done(&before);
	PQfinish(busy);
	for (i = 0; i < 5; i++)
		pg_close(apps[i]);
	pg_close(mon);
}

static void test_wrong_password_says_authentication_failed(void **state)
{
	char *cause = NULL;

	(void)state;
	NEED_LAB();
	assert_null(pg_open(conninfo, NULL, "not-the-Secret-42", 5000, NULL, &cause));
	assert_string_equal(cause, "postgres: password authentication failed for user kitetop");
	free(cause);
}

static void test_closed_port_says_connection_refused(void **state)
{
	char *cause = NULL, *ci;
	int port, fd = pgredis_listen("127.0.0.3", &port);

	(void)state;
	close(fd);
	ci = xasprintf("host=127.0.0.3 port=%d user=kitetop dbname=postgres", port);
	assert_null(pg_open(ci, NULL, "pw", 3000, NULL, &cause));
	assert_string_equal(cause, "postgres: connection refused");
	free(cause);
	free(ci);
}

/* The kernel completes the handshake; nobody ever answers. */
static void test_silent_listener_times_out(void **state)
{
	char *cause = NULL, *ci;
	int port, fd = pgredis_listen("127.0.0.3", &port);
	int64_t t0;

	(void)state;
	ci = xasprintf("host=127.0.0.3 port=%d user=kitetop dbname=postgres", port);
	t0 = time_mono_ms();
	assert_null(pg_open(ci, NULL, "secret-pw", 1500, NULL, &cause));
	t0 = time_mono_ms() - t0;
	assert_string_equal(cause, "postgres: timeout after 1.5 s");
	assert_true(t0 >= 1400 && t0 < 1800);
	free(cause);
	cause = NULL;
	t0 = time_mono_ms();
	assert_null(pg_open(ci, NULL, NULL, 2000, NULL, &cause));
	t0 = time_mono_ms() - t0;
	assert_string_equal(cause, "postgres: timeout after 2 s");
	assert_true(t0 >= 1900 && t0 < 2300);
	free(cause);
	free(ci);
	close(fd);
}

static atomic_int cancel_flag;

static void *set_cancel(void *arg)
{
	(void)arg;
	time_sleep_ms(300);
	atomic_store(&cancel_flag, 1);
	return NULL;
}

static void test_cancel_flag_ends_open_as_cancelled(void **state)
{
	char *cause = NULL, *ci;
	int port, fd = pgredis_listen("127.0.0.3", &port);
	pthread_t th;
	int64_t t0;

	(void)state;
	ci = xasprintf("host=127.0.0.3 port=%d user=kitetop dbname=postgres", port);
	atomic_store(&cancel_flag, 0);
	assert_int_equal(pthread_create(&th, NULL, set_cancel, NULL), 0);
	t0 = time_mono_ms();
	assert_null(pg_open(ci, NULL, NULL, 10000, &cancel_flag, &cause));
	t0 = time_mono_ms() - t0;
	pthread_join(th, NULL);
	assert_string_equal(cause, "postgres: cancelled");
	assert_true(t0 >= 250 && t0 < 500);   /* flag read every ≤ 100 ms */
	free(cause);
	free(ci);
	close(fd);
}

struct closer {
	int fd;
	int accepted;
};

/* Accepts connections for 3 s; reads what comes (the SSL request or startup
 * packet) and closes. */
static void *closer_main(void *arg)
{
	struct closer *cl = arg;
	int64_t end = time_mono_ms() + 3000;

	while (time_mono_ms() < end) {
		struct timeval tv = { 0, 200000 };
		fd_set set;
		char buf[512];
		int a;

		FD_ZERO(&set);
		FD_SET(cl->fd, &set);
		if (select(cl->fd + 1, &set, NULL, NULL, &tv) <= 0)
			continue;
		a = accept(cl->fd, NULL, NULL);
		if (a < 0)
			continue;
		cl->accepted++;
		if (read(a, buf, sizeof(buf)) < 0)
			buf[0] = 0;
		close(a);
	}
	return NULL;
}

static void test_close_after_startup_fails_fast_without_password(void **state)
{
	struct closer cl = { -1, 0 };
	char *cause = NULL, *ci;
	pthread_t th;
	int port;
	int64_t t0;

	(void)state;
	cl.fd = pgredis_listen("127.0.0.3", &port);
	assert_int_equal(pthread_create(&th, NULL, closer_main, &cl), 0);
	ci = xasprintf("host=127.0.0.3 port=%d user=kitetop dbname=postgres", port);
	t0 = time_mono_ms();
	assert_null(pg_open(ci, NULL, "secret-pw", 5000, NULL, &cause));
	t0 = time_mono_ms() - t0;
	pthread_join(th, NULL);
	close(cl.fd);
	fprintf(stderr, "# closes after startup: %s\n", cause);
	assert_non_null(strstr(cause, "postgres: server closed the connection unexpectedly"));
	assert_null(strstr(cause, "secret-pw"));
	assert_true(t0 < 1000);
	assert_true(cl.accepted >= 1);
	free(cause);
	free(ci);
}

/* Through a tunnel's unix socket: conninfo names 127.0.0.3, the override a
 * directory holding .s.PGSQL.5432 (a forwarder to the lab's PostgreSQL). */
static void test_socket_dir_beats_hostaddr_and_frozen_poll_times_out(void **state)
{
	struct pgredis_forward *f;
	struct pg_status st;
	struct pg_conn *c;
	char dir[] = "/tmp/kt-itest-pg-XXXXXX", *path, *cause = NULL;
	int64_t t0;

	(void)state;
	NEED_LAB();
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/.s.PGSQL.5432", dir);
	f = pgredis_forward_start(path, "127.0.0.3", 5432);
	assert_non_null(f);
	/* the override also beats a hostaddr (where nothing listens) */
	c = pg_open("hostaddr=127.0.0.9 port=5432 user=kitetop dbname=postgres", dir, password,
		    5000, NULL, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	pg_status_init(&st);
	if (pg_poll(c, false, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(strncmp(st.version, "15.", 3) == 0);
	pg_status_done(&st);
	pg_close(c);
	/* a database that stops answering mid-session: the poll ends at the
	 * deadline, and the connection says it is broken */
	c = pg_open(conninfo, dir, password, 1000, NULL, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	pgredis_forward_freeze(f, 1);
	t0 = time_mono_ms();
	pg_status_init(&st);
	assert_int_equal(pg_poll(c, false, &st, &cause), -1);
	t0 = time_mono_ms() - t0;
	assert_string_equal(cause, "postgres: timeout after 1 s");
	assert_true(t0 >= 900 && t0 < 1300);
	free(cause);
	cause = NULL;
	pg_status_done(&st);
	pg_close(c);
	pgredis_forward_freeze(f, 0);
	assert_int_equal(pgredis_forward_stop(f), 2);
	/* the tunnel gone */
	assert_null(pg_open(conninfo, dir, password, 2000, NULL, &cause));
	fprintf(stderr, "# tunnel gone: %s\n", cause);
	assert_non_null(strstr(cause, "no such file or directory"));
	free(cause);
	rmdir(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_reports_version_databases_and_clients),
		cmocka_unit_test(test_clients_grouped_and_longest_query),
		cmocka_unit_test(test_wrong_password_says_authentication_failed),
		cmocka_unit_test(test_closed_port_says_connection_refused),
		cmocka_unit_test(test_silent_listener_times_out),
		cmocka_unit_test(test_cancel_flag_ends_open_as_cancelled),
		cmocka_unit_test(test_close_after_startup_fails_fast_without_password),
		cmocka_unit_test(test_socket_dir_beats_hostaddr_and_frozen_poll_times_out),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
