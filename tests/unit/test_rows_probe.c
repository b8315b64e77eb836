/* Unit tests of tui/rows_probe (a probe result in a cell) and the text of
 * the overview's Authentik strip (tui/strip_authentik). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/feeds/feed_probes.h"
#include "core/feeds/feed_authentik.h"
#include "core/model/frame.h"
#include "tui/rows_probe.h"
#include "tui/strip_authentik.h"

static void test_cells(void **state)
{
	struct probe_result ok = { .done = true, .ok = true, .status = 200, .ms = 12.4 };
	struct probe_result nf = { .done = true, .status = 404, .ms = 15, .error = (char *)"HTTP 404" };
	struct probe_result refused = { .done = true, .ms = 3,
	                                .error = (char *)"connection refused (monk could not connect to 127.0.0.2:5000)" };
	struct probe_result waiting = { .ms = -1 };
	char out[64];

	rows_probe(out, sizeof out, &ok);
	assert_string_equal(out, "200 12ms");
	rows_probe(out, sizeof out, &nf);
	assert_string_equal(out, "404 15ms");
	rows_probe(out, sizeof out, &refused);
	assert_string_equal(out, "connection refused");
	rows_probe(out, sizeof out, &waiting);
	assert_string_equal(out, "waiting...");
	rows_probe(out, sizeof out, NULL);
	assert_string_equal(out, "");
	rows_probe(out, 4, &ok);
	assert_string_equal(out, "200");
}

static void test_strip(void **state)
{
	struct frame_host hosts[2] = { { .name = "monk" }, { .name = "kscloud1" } };
	struct frame f = { .hosts = hosts, .nhosts = 2 };
	struct authentik_health hh[2] = { { .live = true, .ready = true },
	                                  { .live = true, .ready = false } };
	struct feed_authentik a = { .nhosts = 2, .have_url = true, .hosts = hh };
	char out[256];

	a.info.have_version = true;
	a.info.workers = 2;
	strcpy(a.info.version.current, "2025.10.1");
	strcpy(a.info.version.latest, "2025.10.2");
	a.info.version.outdated = true;
	assert_true(strip_authentik_text(out, sizeof out, &a, NULL, &f, false));
	assert_string_equal(out, "x authentik 2025.10.1 (2025.10.2 out) 2w  monk live/ready  kscloud1 live/NOT READY");
	hh[1].ready = true;
	assert_false(strip_authentik_text(out, sizeof out, &a, NULL, &f, false));
	assert_string_equal(out, "+ authentik 2025.10.1 (2025.10.2 out) 2w  monk live/ready  kscloud1 live/ready");
	hh[0].live = false;
	a.info.error = (char *)"authentik: token refused (Token invalid/expired)";
	assert_true(strip_authentik_text(out, sizeof out, &a, NULL, &f, false));
	assert_non_null(strstr(out, "monk DOWN"));
	assert_non_null(strstr(out, "token refused"));
	assert_false(strip_authentik_text(out, sizeof out, NULL, NULL, &f, false));
	assert_string_equal(out, "+ authentik waiting...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_strip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
