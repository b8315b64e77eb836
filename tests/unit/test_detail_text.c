/* Unit tests of tui/detail_text: the lines of the container detail view,
 * from inspects recorded from the lab (tests/fixtures/docker/detail_*.json),
 * and with the other hosts of a frame built by hand (the image drift). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/docker_inspect.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"
#include "tests/support/fixture.h"
#include "tui/detail_text.h"

int main(void);

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

/* The index of the first line starting with prefix, or -1. */
static long find(const struct detail_text_line *v, size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(v[i].text, prefix, strlen(prefix)) == 0)
			return (long)i;
	return -1;
}

static void test_grafana(void **state)
{
	struct docker_detail *d = parse_fixture("detail_grafana.json");
	int64_t now = d->started_ms + 3723000;   /* 1h02m03s after the start */
	size_t n;
	struct detail_text_line *v = detail_text_lines(d, now, &n);
	long i;

	(void)state;
	assert_string_equal(v[0].text, "image      kitestacks/busybox:lab");
	assert_int_equal(find(v, n, "id         545d102cf5fb  545d102cf5fba36c"), 2);
	i = find(v, n, "state ");
	assert_string_equal(v[i].text, "state      running, healthy");
	assert_int_equal(v[i].kind, DETAIL_TEXT_PLAIN);
	i = find(v, n, "started ");
	assert_non_null(strstr(v[i].text, "Z (1h02m ago)"));
	assert_int_equal(find(v, n, "finished"), -1);     /* never finished */
	assert_int_equal(find(v, n, "restarts   0  policy unless-stopped"), find(v, n, "restarts"));
	assert_true(find(v, n, "compose    project grafana, service grafana") > 0);
	i = find(v, n, "health log (last 5, newest first)");
	assert_true(i > 0);
	assert_int_equal(v[i].kind, DETAIL_TEXT_HEADING);
	/* newest first: the recording's last result comes first */
	{
		char iso[40];

		time_format_iso8601(iso, sizeof iso, d->health_log[4].start_ms);
		assert_true(strncmp(v[i + 1].text + 2, iso, strlen(iso)) == 0);
		assert_non_null(strstr(v[i + 1].text, "  exit 0  "));
	}
	i = find(v, n, "ports");
	assert_string_equal(v[i + 1].text, "  none (host network: the container's own ports are the host's)");
	assert_int_equal(v[i + 1].kind, DETAIL_TEXT_DIM);
	i = find(v, n, "labels");
	assert_string_equal(v[i + 1].text, "  com.docker.compose.container-number = 1");
	assert_int_equal((size_t)i + 1 + d->nlabels, n);
	detail_text_free(v, n);
	docker_detail_free(d);
}

static void test_unhealthy_and_lists(void **state)
{
	struct docker_detail *d = parse_fixture("detail_karakeep_unhealthy.json");
	size_t n;
	struct detail_text_line *v = detail_text_lines(d, d->started_ms, &n);
	long i;

	(void)state;
	i = find(v, n, "state ");
	assert_non_null(strstr(v[i].text, "running, unhealthy ("));
	assert_non_null(strstr(v[i].text, "failed in a row)"));
	assert_int_equal(v[i].kind, DETAIL_TEXT_BAD);
	i = find(v, n, "health log");
	assert_non_null(strstr(v[i + 1].text, "  exit 1  "));
	assert_non_null(strstr(v[i + 1].text, "  wget: server returned error: HTTP/1.1 404 Not Found"));
	assert_int_equal(v[i + 1].kind, DETAIL_TEXT_BAD);
	detail_text_free(v, n);
	docker_detail_free(d);

	d = parse_fixture("detail_grafana_ports_mounts.json");
	v = detail_text_lines(d, 0, &n);
	i = find(v, n, "ports");
	assert_string_equal(v[i + 1].text, "  3000/tcp -> 0.0.0.0:3000");
	assert_string_equal(v[i + 2].text, "  3000/tcp -> [::]:3000");
	assert_string_equal(v[i + 3].text, "  9100/tcp -> not published");
	i = find(v, n, "mounts");
	assert_string_equal(v[i + 1].text,
	                    "  volume /var/lib/docker/volumes/grafana-data/_data -> /var/lib/grafana (rw)");
	assert_string_equal(v[i + 2].text, "  bind /srv/grafana/provisioning -> /etc/grafana/provisioning (ro)");
	detail_text_free(v, n);
	docker_detail_free(d);

	d = parse_fixture("detail_kavita_exited.json");
	v = detail_text_lines(d, 0, &n);
	i = find(v, n, "state ");
	assert_string_equal(v[i].text, "state      exited (1), unhealthy");
	assert_true(find(v, n, "finished   20") > 0);
	assert_string_equal(v[find(v, n, "restarts")].text, "restarts   3  policy on-failure:3");
	i = find(v, n, "health log");
	assert_string_equal(v[i + 1].text, "  no results yet");
	detail_text_free(v, n);
	docker_detail_free(d);
}

/* Three hosts listing grafana as given; this one (monk) as the inspect. */
static void test_drift_shows_other_hosts(void **state)
{
	static const char conf[] = "[host monk]\nssh = root@127.0.0.2\n[host kscloud1]\n"
		"ssh = root@127.0.0.3\n[host kscloud2]\nssh = root@127.0.0.4\n";
	struct docker_detail *d = parse_fixture("detail_grafana.json");
	char *cause = NULL;
	struct config *cfg = config_parse("drift.conf", conf, sizeof conf - 1, &cause);
	struct docker_container c[3] = {
		{ .name = (char *)"grafana", .image = (char *)"kitestacks/busybox:lab",
		  .image_id = (char *)"sha256:9e5d71af12efe9db19b66875dbe2f4d438b1f90093f4245c2e26a702404b5fba",
		  .state = DOCKER_STATE_RUNNING },
		{ .name = (char *)"grafana", .image = (char *)"kitestacks/busybox:v2",
		  .image_id = (char *)"sha256:23137c5f41d7cd7133547e08781bcf8065d56d93b962877b016db51550f8c1a7",
		  .state = DOCKER_STATE_RUNNING },
		{ .name = (char *)"grafana", .image = (char *)"kitestacks/busybox:v3",
		  .state = DOCKER_STATE_EXITED },     /* not running: not listed */
	};
	struct feed_containers lists[3] = { { .items = &c[0], .n = 1 }, { .items = &c[1], .n = 1 }, { .items = &c[2], .n = 1 } };
	struct frame f;
	struct detail_text_line *v;
	size_t n, plain;
	long i;

	(void)state;
	if (cfg == NULL)
		fail_msg("%s", cause);
	frame_init(&f, cfg);
	for (size_t h = 0; h < f.nhosts; h++) {
		f.hosts[h].reach.known = f.hosts[h].reach.connected = true;
		f.hosts[h].docker.feed.configured = f.hosts[h].docker.feed.polled = true;
		f.hosts[h].docker.value = &lists[h];
	}
	v = detail_text_lines_hosts(d, &f, 0, d->started_ms, &n);
	assert_string_equal(v[0].text, "image      kitestacks/busybox:lab");
	assert_string_equal(v[1].text, "image id   sha256:9e5d71af12ef");
	assert_string_equal(v[2].text, "drift      image differs: lab vs v2");
	assert_int_equal(v[2].kind, DETAIL_TEXT_BAD);
	assert_string_equal(v[3].text, "  on kscloud1     kitestacks/busybox:v2  sha256:23137c5f41d7");
	i = find(v, n, "id ");
	assert_int_equal(i, 4);
	assert_int_equal(find(v, n, "  on kscloud2"), -1);
	detail_text_free(v, n);

	/* the same image everywhere: the lines of a lone host */
	c[1].image = (char *)"kitestacks/busybox:lab";
	c[1].image_id = c[0].image_id;
	v = detail_text_lines_hosts(d, &f, 0, d->started_ms, &n);
	assert_int_equal(find(v, n, "drift"), -1);
	detail_text_free(v, n);
	v = detail_text_lines(d, d->started_ms, &plain);
	detail_text_free(v, plain);
	v = detail_text_lines_hosts(d, &f, 0, d->started_ms, &n);
	assert_int_equal(n, plain);
	detail_text_free(v, n);
	frame_release(&f);
	config_free(cfg);
	docker_detail_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grafana),
		cmocka_unit_test(test_unhealthy_and_lists),
		cmocka_unit_test(test_drift_shows_other_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
