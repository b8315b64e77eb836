/* Unit tests of the INFO decoder of backends/redis, on INFO answers recorded
 * from the lab's Redis 7.0.15 (tests/fixtures/redis/) and on hostile text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/redis.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"

static void test_lab_info(void **state)
{
	struct redis_status st;
	char *cause = NULL;
	size_t len;
	char *text = fixture_read("redis", "info-lab-7.0.15.txt", &len);

	(void)state;
	redis_status_init(&st);
	assert_int_equal(redis_parse_info(text, len, &st, &cause), 0);
	assert_string_equal(st.version, "7.0.15");
	assert_int_equal(st.uptime_s, 97);
	assert_int_equal(st.connected_clients, 1);
	assert_int_equal(st.blocked_clients, 0);
	assert_int_equal(st.used_memory_bytes, 990928);
	assert_string_equal(st.role, "master");
	assert_int_equal(st.connected_slaves, 0);
	assert_false(st.aof_enabled);
	assert_false(st.rdb_bgsave_in_progress);
	assert_true(st.rdb_last_bgsave_ok);
	assert_int_equal(st.rdb_changes_since_last_save, 0);
	assert_int_equal(st.n_dbs, 0);
	redis_status_done(&st);
	free(text);
}

static void test_lab_keyspace(void **state)
{
	struct redis_status st;
	char *cause = NULL;
	size_t len;
	char *text = fixture_read("redis", "info-lab-keyspace.txt", &len);

	(void)state;
	redis_status_init(&st);
	assert_int_equal(redis_parse_info(text, len, &st, &cause), 0);
	assert_string_equal(st.version, "7.0.15");
	assert_int_equal(st.n_dbs, 1);
	assert_int_equal(st.dbs[0].index, 15);
	assert_int_equal(st.dbs[0].keys, 2);
	assert_int_equal(st.dbs[0].expires, 1);
	redis_status_done(&st);
	free(text);
}

static void test_replica_lf_and_failed_save(void **state)
{
	static const char text[] =
		"# Server\nredis_version:6.2.14\nuptime_in_seconds:12\n"
		"# Persistence\naof_enabled:1\nrdb_last_bgsave_status:err\n"
		"rdb_bgsave_in_progress:1\n"
		"# Replication\nrole:slave\nmaster_link_status:down\n"
		"# Keyspace\ndb0:keys=123,expires=4,avg_ttl=0\ndb3:keys=7,expires=0,avg_ttl=0\n"
		"db9:expires=1\n";
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	redis_status_init(&st);
	assert_int_equal(redis_parse_info(text, sizeof(text) - 1, &st, &cause), 0);
	assert_string_equal(st.version, "6.2.14");
	assert_string_equal(st.role, "slave");
	assert_string_equal(st.master_link_status, "down");
	assert_true(st.aof_enabled);
	assert_true(st.rdb_bgsave_in_progress);
	assert_false(st.rdb_last_bgsave_ok);
	assert_int_equal(st.used_memory_bytes, -1);  /* absent stays absent */
	assert_int_equal(st.connected_clients, -1);
	assert_int_equal(st.n_dbs, 2);              /* db9 without keys= is skipped */
	assert_int_equal(st.dbs[0].index, 0);
	assert_int_equal(st.dbs[0].keys, 123);
	assert_int_equal(st.dbs[1].index, 3);
	assert_int_equal(st.dbs[1].keys, 7);
	redis_status_done(&st);
}

static void test_bad_values(void **state)
{
	static const char text[] =
		"redis_version:\x01\x7fverylongversionstringthatdoesnotfitinthirtytwobytes\r\n"
		"used_memory:12abc\r\nconnected_clients:99999999999999999999999\r\n"
		"uptime_in_seconds:\r\ndb:keys=1\r\ndbx:keys=1\r\ndb-1:keys=1\r\n"
		"role:master:extra\r\nnocolon\r\n:\r\n";
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	redis_status_init(&st);
	assert_int_equal(redis_parse_info(text, sizeof(text) - 1, &st, &cause), 0);
	assert_int_equal(strlen(st.version), sizeof(st.version) - 1);
	assert_int_equal(st.version[0], '?');
	assert_int_equal(st.used_memory_bytes, -1);
	assert_int_equal(st.connected_clients, -1);
	assert_int_equal(st.uptime_s, -1);
	assert_string_equal(st.role, "master:extra");
	assert_int_equal(st.n_dbs, 0);
	redis_status_done(&st);
}

static void test_no_fields(void **state)
{
	struct redis_status st;
	char *cause = NULL;

	(void)state;
	redis_status_init(&st);
	assert_int_equal(redis_parse_info("", 0, &st, &cause), -1);
	assert_string_equal(cause, "redis: INFO answer has no fields");
	free(cause);
	cause = NULL;
	assert_int_equal(redis_parse_info("# Server\r\n\r\n", 12, &st, &cause), -1);
	assert_non_null(cause);
	free(cause);
	redis_status_done(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_info),
		cmocka_unit_test(test_lab_keyspace),
		cmocka_unit_test(test_replica_lf_and_failed_save),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_no_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
