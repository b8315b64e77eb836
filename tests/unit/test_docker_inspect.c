/* Unit tests of backends/docker_inspect (the container detail decoder):
 * inspects recorded from the lab's dockerd 20.10 in tests/fixtures/docker/
 * (detail_*.json, see detail_README.md) and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/docker.h"
#include "backends/docker_inspect.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"


static struct docker_detail *parse_fixture(const char *name)
{
	struct docker_detail *d = NULL;
	size_t len = 0;
	char *data = fixture_read("docker", name, &len), *cause = NULL;

	if (docker_detail_parse(data, len, &d, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(data);
	return d;
}

static void test_grafana_inspect_gives_every_field(void **state)
{
	struct docker_detail *d = parse_fixture("detail_grafana.json");
	int64_t ms;

	(void)state;
	assert_string_equal(d->name, "grafana");
	assert_string_equal(d->full_id, "545d102cf5fba36c3e50dcceed4a17a182bc39dfe2dcbe225e5ffc46ca7ee2c1");
	assert_string_equal(d->image, "kitestacks/busybox:lab");
	assert_true(strncmp(d->image_id, "sha256:", 7) == 0);
	assert_int_equal(d->state, DOCKER_STATE_RUNNING);
	assert_int_equal(d->health, DOCKER_HEALTH_HEALTHY);
	assert_int_equal(d->failing_streak, 0);
	assert_int_equal(d->restarts, 0);
	assert_int_equal(d->exit_code, 0);
	assert_int_equal(time_parse_iso8601("2026-11-23T11:51:02.974Z", &ms), 0);
	assert_int_equal(d->created_ms, ms);
	assert_true(d->started_ms >= d->created_ms);
	assert_int_equal(d->finished_ms, 0);     /* "0001-01-01T00:00:00Z": never */
	assert_string_equal(d->restart_policy, "unless-stopped");
	assert_string_equal(d->network_mode, "host");
	assert_true(strncmp(d->command, "lab-serve serve 127.0.0.2:3002 /api/health {", 44) == 0);
	assert_null(strchr(d->command, '\n'));   /* the JSON argument's newlines: '?' */
	assert_int_equal(d->nhealth_log, 5);
	for (size_t i = 0; i < d->nhealth_log; i++) {
		assert_int_equal(d->health_log[i].exit_code, 0);
		assert_string_equal(d->health_log[i].output, "");
		assert_true(d->health_log[i].end_ms >= d->health_log[i].start_ms);
		if (i > 0)
			assert_true(d->health_log[i].start_ms > d->health_log[i - 1].start_ms);
	}
	assert_int_equal(d->nports, 0);
	assert_int_equal(d->nmounts, 0);
	assert_int_equal(d->nlabels, 7);
	assert_string_equal(d->labels[0].key, "com.docker.compose.container-number");
	for (size_t i = 1; i < d->nlabels; i++)
		assert_true(strcmp(d->labels[i - 1].key, d->labels[i].key) < 0);
	assert_string_equal(d->compose_project, "grafana");
	assert_string_equal(d->compose_service, "grafana");
	docker_detail_free(d);
}

static void test_unhealthy_gives_failing_streak_and_probe_output(void **state)
{
	struct docker_detail *d = parse_fixture("detail_karakeep_unhealthy.json");

	(void)state;
	assert_string_equal(d->name, "karakeep");
	assert_int_equal(d->health, DOCKER_HEALTH_UNHEALTHY);
	assert_true(d->failing_streak > 0);
	assert_int_equal(d->nhealth_log, 5);
	assert_int_equal(d->health_log[4].exit_code, 1);
	/* wget's message, its trailing newline dropped */
	assert_string_equal(d->health_log[4].output, "wget: server returned error: HTTP/1.1 404 Not Found");
	docker_detail_free(d);
}

static void test_exited_gives_exit_code_restarts_and_finish_time(void **state)
{
	struct docker_detail *d = parse_fixture("detail_kavita_exited.json");

	(void)state;
	assert_int_equal(d->state, DOCKER_STATE_EXITED);
	assert_int_equal(d->exit_code, 1);
	assert_int_equal(d->restarts, 3);
	assert_string_equal(d->restart_policy, "on-failure:3");
	assert_true(d->finished_ms >= d->started_ms && d->finished_ms > 0);
	assert_int_equal(d->nhealth_log, 0);
	docker_detail_free(d);
}

static void test_ports_mounts_and_sanitised_health_output(void **state)
{
	struct docker_detail *d = parse_fixture("detail_grafana_ports_mounts.json");

	(void)state;
	assert_int_equal(d->nports, 3);
	assert_string_equal(d->ports[0].container, "3000/tcp");
	assert_string_equal(d->ports[0].host, "0.0.0.0:3000");
	assert_string_equal(d->ports[1].container, "3000/tcp");
	assert_string_equal(d->ports[1].host, "[::]:3000");
	assert_string_equal(d->ports[2].container, "9100/tcp");
	assert_null(d->ports[2].host);          /* exposed, not published */
	assert_int_equal(d->nmounts, 2);
	assert_string_equal(d->mounts[0].type, "volume");
	assert_string_equal(d->mounts[0].destination, "/var/lib/grafana");
	assert_false(d->mounts[0].read_only);
	assert_string_equal(d->mounts[1].type, "bind");
	assert_string_equal(d->mounts[1].source, "/srv/grafana/provisioning");
	assert_true(d->mounts[1].read_only);
	assert_string_equal(d->network_mode, "bridge");
	/* newlines and tabs to spaces, the escape to '?', trailing blanks gone */
	assert_string_equal(d->health_log[4].output, "line one line two?[31m red");
	docker_detail_free(d);
}

static void test_hostile_json_is_an_error_or_reads_as_absent(void **state)
{
	static const char *const bad[] = { "", "[]", "null", "{", "\"x\"" };
	static const char wrong[] =
		"{\"Name\":7,\"Id\":\"../../etc\",\"State\":{\"Status\":[],\"ExitCode\":1e300,"
		"\"Health\":{\"Status\":\"healthy\",\"Log\":[1,{\"Output\":7,\"ExitCode\":\"x\"}]}},"
		"\"Config\":{\"Labels\":{\"a\":1,\"b\\u0007\":\"v\\u001b\"},\"Image\":null},"
		"\"Mounts\":{},\"NetworkSettings\":{\"Ports\":{\"80/tcp\":[{\"HostPort\":5}]}},"
		"\"RestartCount\":-5}";
	struct docker_detail *d;
	char *cause = NULL;

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_int_equal(docker_detail_parse(bad[i], strlen(bad[i]), &d, &cause), -1);
		assert_null(d);
		assert_string_equal(cause, "docker: inspect: not a JSON object");
		free(cause);
		cause = NULL;
	}
	assert_int_equal(docker_detail_parse(wrong, strlen(wrong), &d, &cause), 0);
	assert_string_equal(d->name, "");
	assert_string_equal(d->full_id, "");
	assert_string_equal(d->image, "");
	assert_int_equal(d->state, DOCKER_STATE_UNKNOWN);
	assert_int_equal(d->exit_code, -1);
	assert_int_equal(d->restarts, -1);
	assert_int_equal(d->nhealth_log, 1);
	assert_int_equal(d->health_log[0].exit_code, -1);
	assert_string_equal(d->health_log[0].output, "");
	assert_int_equal(d->nlabels, 1);
	assert_string_equal(d->labels[0].key, "b?");
	assert_string_equal(d->labels[0].value, "v?");
	assert_int_equal(d->nmounts, 0);
	assert_int_equal(d->nports, 1);
	assert_null(d->ports[0].host);         /* HostPort not a string */
	docker_detail_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grafana_inspect_gives_every_field),
		cmocka_unit_test(test_unhealthy_gives_failing_streak_and_probe_output),
		cmocka_unit_test(test_exited_gives_exit_code_restarts_and_finish_time),
		cmocka_unit_test(test_ports_mounts_and_sanitised_health_output),
		cmocka_unit_test(test_hostile_json_is_an_error_or_reads_as_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
