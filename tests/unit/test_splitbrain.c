/* Unit tests of core/splitbrain: per host, are its apps connected to the
 * shared database? */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/model/splitbrain.h"
#include "core/base/util.h"

static const char *const apps[] = { "homepage", "authentik", "forgejo", "grafana" };

static void group(struct pg_status *ps, const char *db, const char *user, const char *app,
                  const char *addr, const char *state, int count)
{
	struct pg_client_group *g;

	ps->clients = xrealloc(ps->clients, (ps->n_clients + 1) * sizeof *ps->clients);
	g = &ps->clients[ps->n_clients++];
	memset(g, 0, sizeof *g);
	util_strlcpy(g->database, db, sizeof g->database);
	util_strlcpy(g->user, user, sizeof g->user);
	util_strlcpy(g->application, app, sizeof g->application);
	util_strlcpy(g->client_addr, addr, sizeof g->client_addr);
	util_strlcpy(g->state, state, sizeof g->state);
	g->count = count;
}

static void two_dbs(struct pg_status *ps)
{
	pg_status_init(ps);
	ps->sees_all = true;
	ps->databases = xcalloc(3, sizeof *ps->databases);
	util_strlcpy(ps->databases[0].name, "authentik", sizeof ps->databases[0].name);
	util_strlcpy(ps->databases[1].name, "forgejo", sizeof ps->databases[1].name);
	util_strlcpy(ps->databases[2].name, "postgres", sizeof ps->databases[2].name);
	ps->n_databases = 3;
}

static void lab_hosts(struct splitbrain_host h[2])
{
	memset(h, 0, 2 * sizeof *h);
	h[0].name = "monk";
	splitbrain_host_add(&h[0], "127.0.0.2");
	splitbrain_host_add(&h[0], "100.101.1.10");
	splitbrain_host_add(&h[0], "100.101.1.10");    /* once */
	h[1].name = "kscloud1";
	splitbrain_host_add(&h[1], "127.0.0.3");
}

static const struct splitbrain_entry *find(const struct splitbrain *sb, const char *app, size_t host)
{
	for (size_t i = 0; i < sb->n; i++)
		if (strcmp(sb->entries[i].app, app) == 0 && sb->entries[i].host == host)
			return &sb->entries[i];
	fail_msg("no entry %s@%zu", app, host);
	return NULL;
}

static void test_app_match(void **state)
{
	struct pg_client_group g = { .database = "postgres", .user = "x", .application = "authentik-worker" };

	(void)state;
	assert_true(splitbrain_group_is_app(&g, "authentik"));
	assert_true(splitbrain_group_is_app(&g, "AUTHENTIK"));
	util_strlcpy(g.application, "authentikx", sizeof g.application);
	assert_false(splitbrain_group_is_app(&g, "authentik"));
	util_strlcpy(g.application, "psql", sizeof g.application);
	util_strlcpy(g.database, "forgejo", sizeof g.database);
	assert_true(splitbrain_group_is_app(&g, "forgejo"));
	assert_false(splitbrain_group_is_app(&g, "authentik"));
	util_strlcpy(g.user, "authentik", sizeof g.user);
	assert_true(splitbrain_group_is_app(&g, "authentik"));
	assert_false(splitbrain_group_is_app(&g, ""));
}

static void test_both_connected(void **state)
{
	struct pg_status ps;
	struct splitbrain_host h[2];
	struct splitbrain sb;
	char line[256];

	(void)state;
	two_dbs(&ps);
	lab_hosts(h);
	group(&ps, "authentik", "authentik", "authentik", "100.101.1.10", "idle", 3);
	group(&ps, "authentik", "authentik", "authentik", "127.0.0.2", "active", 1);
	group(&ps, "authentik", "authentik", "", "127.0.0.3", "idle", 2);
	group(&ps, "forgejo", "forgejo", "forgejo", "127.0.0.3", "idle", 5);
	group(&ps, "forgejo", "forgejo", "forgejo", "10.9.9.9", "idle", 1);
	splitbrain_init(&sb);
	splitbrain_check(&ps, true, NULL, h, 2, apps, 4, &sb);
	assert_string_equal(sb.error, "");
	assert_int_equal(sb.n, 4);     /* authentik and forgejo (databases), x 2 hosts; not homepage */
	assert_int_equal(find(&sb, "authentik", 0)->conns, 4);
	assert_int_equal(find(&sb, "authentik", 0)->verdict, SPLITBRAIN_OK);
	assert_int_equal(find(&sb, "authentik", 1)->conns, 2);
	assert_int_equal(find(&sb, "forgejo", 1)->verdict, SPLITBRAIN_OK);
	assert_int_equal(find(&sb, "forgejo", 0)->verdict, SPLITBRAIN_SPLIT);
	assert_int_equal(sb.unattributed, 1);
	assert_true(splitbrain_any_split(&sb));
	splitbrain_line(&sb, find(&sb, "authentik", 0), h, 2, true, line, sizeof line);
	assert_string_equal(line, "authentik@monk \xe2\x86\x92 shared db \xe2\x9c\x93 4 conns");
	splitbrain_line(&sb, find(&sb, "forgejo", 0), h, 2, false, line, sizeof line);
	assert_string_equal(line, "forgejo@monk -> shared db X no connections (kscloud1 has 5)");
	assert_string_equal(splitbrain_verdict_name(find(&sb, "forgejo", 0)->verdict), "split");
	splitbrain_done(&sb);
	pg_status_done(&ps);
}

static void test_nobody_connected_is_none(void **state)
{
	struct pg_status ps;
	struct splitbrain_host h[2];
	struct splitbrain sb;
	char line[256];

	(void)state;
	two_dbs(&ps);
	lab_hosts(h);
	group(&ps, "postgres", "kitetop", "psql", "127.0.0.2", "idle", 1);
	splitbrain_init(&sb);
	splitbrain_check(&ps, true, NULL, h, 2, apps, 4, &sb);
	assert_int_equal(sb.n, 4);
	for (size_t i = 0; i < sb.n; i++)
		assert_int_equal(sb.entries[i].verdict, SPLITBRAIN_NONE);
	assert_false(splitbrain_any_split(&sb));
	splitbrain_line(&sb, find(&sb, "authentik", 1), h, 2, true, line, sizeof line);
	assert_string_equal(line, "authentik@kscloud1 \xe2\x86\x92 shared db \xe2\x9c\x97 no connections");
	splitbrain_done(&sb);
	pg_status_done(&ps);
}

static void test_unknown(void **state)
{
	struct pg_status ps;
	struct splitbrain_host h[2];
	struct splitbrain sb;
	char line[256];

	(void)state;
	two_dbs(&ps);
	lab_hosts(h);
	group(&ps, "authentik", "authentik", "authentik", "127.0.0.2", "idle", 2);
	splitbrain_init(&sb);
	/* no status at all: nothing to list */
	splitbrain_check(NULL, false, "postgres: connection refused", h, 2, apps, 4, &sb);
	assert_int_equal(sb.n, 0);
	assert_string_equal(sb.error, "postgres: connection refused");
	/* an old status: the apps, unknown */
	splitbrain_check(&ps, false, "postgres: timeout after 5 s", h, 2, apps, 4, &sb);
	assert_int_equal(sb.n, 4);
	assert_int_equal(find(&sb, "authentik", 1)->verdict, SPLITBRAIN_UNKNOWN);
	assert_false(splitbrain_any_split(&sb));
	assert_string_equal(sb.error, "postgres: timeout after 5 s");
	splitbrain_line(&sb, find(&sb, "authentik", 1), h, 2, false, line, sizeof line);
	assert_string_equal(line, "authentik@kscloud1 -> shared db ? unknown");
	/* a role without pg_monitor: addresses hidden, so no verdict */
	ps.sees_all = false;
	splitbrain_check(&ps, true, NULL, h, 2, apps, 4, &sb);
	assert_int_equal(find(&sb, "authentik", 1)->verdict, SPLITBRAIN_UNKNOWN);
	assert_non_null(strstr(sb.error, "lacks pg_monitor"));
	splitbrain_done(&sb);
	pg_status_done(&ps);
}

static void test_host_of(void **state)
{
	struct splitbrain_host h[2];

	(void)state;
	lab_hosts(h);
	assert_int_equal(splitbrain_host_of(h, 2, "100.101.1.10"), 0);
	assert_int_equal(splitbrain_host_of(h, 2, "127.0.0.3"), 1);
	assert_int_equal(splitbrain_host_of(h, 2, "127.0.0.4"), -1);
	assert_int_equal(splitbrain_host_of(h, 2, ""), -1);
	assert_int_equal(splitbrain_host_of(h, 2, NULL), -1);
	for (int i = 0; i < 20; i++)
		splitbrain_host_add(&h[1], i % 2 ? "10.0.0.1" : "10.0.0.2");
	assert_int_equal(h[1].n_addrs, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_match),
		cmocka_unit_test(test_both_connected),
		cmocka_unit_test(test_nobody_connected_is_none),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_host_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
