/* Integration: the container detail's inspect thread (core/detail) against
 * the lab (examples/kitestacks-lab.conf), over each host's SSH session: a
 * result that decodes, the error for an unknown container in words, a close
 * while a request is in flight.  Skipped when the lab is not up. */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/http.h"
#include "core/config/config.h"
#include "core/feeds/detail.h"
#include "core/feeds/feeds.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/base/wake.h"

int main(void);

static struct config *cfg;
static struct feeds *feeds;
static struct wake *wake;

static int setup(void **state)
{
	char *cause = NULL;

	if (access("/run/kitetop-lab/monk/docker.sock", F_OK) != 0)
		return 0;
	http_global_init();
	cfg = config_load("examples/kitestacks-lab.conf", &cause);
	if (cfg == NULL) {
		print_error("config: %s\n", cause);
		return -1;
	}
	wake = wake_new(&cause);
	feeds = feeds_new(cfg, NULL);
	return feeds_start(feeds, &cause);
}

static int teardown(void **state)
{
	feeds_free(feeds);
	config_free(cfg);
	wake_free(wake);
	return 0;
}

static struct fleet_host *host(const char *name)
{
	for (size_t i = 0; i < feeds->nhosts; i++)
		if (strcmp(feeds->fleet->hosts[i].name, name) == 0)
			return &feeds->fleet->hosts[i];
	fail_msg("no host %s", name);
	return NULL;
}

/* Waits (on the wake pipe, as the UI does) for a result; 1 when one came. */
static int wait_result(struct detail *d, struct docker_detail **out, char *err, size_t errsz)
{
	int64_t deadline = time_mono_ms() + 15000;

	while (time_mono_ms() < deadline) {
		struct pollfd p = { .fd = wake_fd(wake), .events = POLLIN };

		if (detail_take(d, out, err, errsz) == 1)
			return 1;
		poll(&p, 1, 200);
		if (p.revents & POLLIN)
			wake_drain(wake);
	}
	return 0;
}

static void test_grafana_detail_on_both_hosts_refreshes_while_open(void **state)
{
	static const char *const hosts[] = { "monk", "kscloud1" };

	if (feeds == NULL)
		skip();
	for (size_t i = 0; i < 2; i++) {
		struct detail *d = detail_open(feeds->fleet, host(hosts[i]), "grafana", 1000, wake);
		struct docker_detail *dd = NULL;
		char err[512];

		assert_int_equal(wait_result(d, &dd, err, sizeof err), 1);
		if (dd == NULL)
			fail_msg("%s: %s", hosts[i], err);
		assert_string_equal(err, "");
		assert_string_equal(dd->name, "grafana");
		assert_string_equal(dd->image, "kitestacks/busybox:lab");
		assert_int_equal(strlen(dd->full_id), 64);
		assert_string_equal(dd->compose_service, "grafana");
		assert_true(dd->nhealth_log > 0);
		docker_detail_free(dd);
		/* and again a second later: it refreshes while open */
		assert_int_equal(wait_result(d, &dd, err, sizeof err), 1);
		assert_non_null(dd);
		docker_detail_free(dd);
		detail_close(d);
	}
}

static void test_unknown_container_says_no_such_container(void **state)
{
	struct detail *d;
	struct docker_detail *dd = NULL;
	char err[512];

	if (feeds == NULL)
		skip();
	d = detail_open(feeds->fleet, host("kscloud1"), "no-such-container", 1000, wake);
	assert_int_equal(wait_result(d, &dd, err, sizeof err), 1);
	assert_null(dd);
	assert_string_equal(err, "docker: no such container no-such-container");
	detail_close(d);
}

static void test_close_in_flight_returns_within_a_second(void **state)
{
	if (feeds == NULL)
		skip();
	for (int i = 0; i < 20; i++) {
		int64_t t0;
		struct detail *d = detail_open(feeds->fleet, host(i % 2 ? "monk" : "kscloud1"), "grafana", 1000, wake);

		if (i % 3 == 0)
			time_sleep_ms(i * 5);
		t0 = time_mono_ms();
		detail_close(d);
		assert_true(time_mono_ms() - t0 < 1000);   /* the cancel flag ends a request at once */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grafana_detail_on_both_hosts_refreshes_while_open),
		cmocka_unit_test(test_unknown_container_says_no_such_container),
		cmocka_unit_test(test_close_in_flight_returns_within_a_second),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
