/* Unit tests: core/fleet/route's words for a failure through a relay host
 * (the hop that failed named, private socket paths not shown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/fleet/route.h"

static void expect(const char *err, const char *relay, const struct fleet_reach *reach,
                   const char *sock, const char *target, const char *want)
{
	char *w = route_error_words(err, relay, reach, sock, target);

	assert_string_equal(w, want);
	free(w);
}

/* The relay's SSH link down: the relay is named, not the server. */
static void test_relay_down_names_the_hop(void **state)
{
	struct fleet_reach down = { .known = true, .connected = false, .rtt_ms = -1 };
	struct fleet_reach connecting = { .connected = false, .rtt_ms = -1 };

	(void)state;
	strcpy(down.error, "ssh: connect to 127.0.0.3:22: Connection refused");
	expect("postgres: server closed the connection unexpectedly", "kscloud1", &down,
	       "/tmp/kitetop-ssh-1234", "127.0.0.3:5432",
	       "postgres: kscloud1 unreachable: ssh: connect to 127.0.0.3:22: Connection refused");
	expect("docker: connection refused (is dockerd running?)", "monk", &down, NULL, NULL,
	       "docker: monk unreachable: ssh: connect to 127.0.0.3:22: Connection refused");
	expect("Connection reset", "kscloud1", &connecting, NULL, NULL,
	       "kscloud1 unreachable: connecting");
}

/* The relay up: the error stands, its socket path replaced by the hop and
 * the target. */
static void test_socket_paths_scrubbed(void **state)
{
	struct fleet_reach up = { .known = true, .connected = true, .rtt_ms = 3 };

	(void)state;
	expect("postgres: no such file or directory (socket /tmp/kitetop-ssh-1234/pg/.s.PGSQL.5432)",
	       "kscloud1", &up, "/tmp/kitetop-ssh-1234/pg", "127.0.0.3:5432",
	       "postgres: no such file or directory (socket via kscloud1 to 127.0.0.3:5432)");
	expect("redis: cannot connect to /tmp/kitetop-ssh-1234/redis.sock: Connection refused",
	       "kscloud1", &up, "/tmp/kitetop-ssh-1234/redis.sock", "127.0.0.3:6379",
	       "redis: cannot connect to via kscloud1 to 127.0.0.3:6379: Connection refused");
	expect("prometheus: timeout after 5 s", "kscloud1", &up, "/tmp/x.sock", NULL,
	       "prometheus: timeout after 5 s");
	/* direct: as it is */
	expect("redis: connection refused", NULL, NULL, "/tmp/x.sock", NULL, "redis: connection refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relay_down_names_the_hop),
		cmocka_unit_test(test_socket_paths_scrubbed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
