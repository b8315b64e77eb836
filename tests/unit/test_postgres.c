/* Unit tests of the pure part of backends/postgres: libpq messages in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "backends/postgres.h"

static void test_error_words(void **state)
{
	char *w;

	(void)state;
	w = pg_error_words("connection to server at \"127.0.0.3\", port 5432 failed: FATAL:  "
			   "password authentication failed for user \"kitetop\"\n", NULL);
	assert_string_equal(w, "postgres: password authentication failed for user kitetop");
	free(w);
	w = pg_error_words("connection to server at \"127.0.0.3\", port 1 failed: Connection "
			   "refused\n\tIs the server running on that host and accepting TCP/IP "
			   "connections?\n", NULL);
	assert_string_equal(w, "postgres: connection refused");
	free(w);
	w = pg_error_words("FATAL:  role hunter2 does not exist", "hunter2");
	assert_string_equal(w, "postgres: role ******* does not exist");
	free(w);
	w = pg_error_words("connection to server on socket \"/tmp/kt/.s.PGSQL.5432\" failed: "
			   "No such file or directory\n\tIs the server running locally?\n", NULL);
	assert_string_equal(w, "postgres: no such file or directory (socket /tmp/kt/.s.PGSQL.5432)");
	free(w);
	w = pg_error_words("", NULL);
	assert_string_equal(w, "postgres: connection failed");
	free(w);
}

static void test_status_init_done(void **state)
{
	struct pg_status st;

	(void)state;
	pg_status_init(&st);
	assert_int_equal(st.connections, -1);
	assert_true(st.longest_query_s < 0);
	pg_status_done(&st);       /* nothing owned: nothing to free */
	assert_null(st.clients);
	pg_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_words),
		cmocka_unit_test(test_status_init_done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
