/* Unit tests: the text of container rows (pure). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/model/verdict.h"
#include "tui/rows.h"
#include "widgets/text.h"

static struct docker_container mk(const char *name, enum docker_state st, enum docker_health h)
{
	struct docker_container c = { .name = (char *)(uintptr_t)name, .state = st, .health = h,
		.restarts = 0, .exit_code = -1, .cpu_pct = -1, .mem_bytes = -1 };
	return c;
}

static void test_state_words_and_glyphs(void **state)
{
	struct docker_container c = mk("kavita", DOCKER_STATE_EXITED, DOCKER_HEALTH_NONE);
	char b[64];

	c.exit_code = 1;
	rows_container_state(b, sizeof b, &c);
	assert_string_equal(b, "exited (1)");
	assert_string_equal(rows_container_glyph(&c, false), "x");
	c = mk("karakeep", DOCKER_STATE_RUNNING, DOCKER_HEALTH_UNHEALTHY);
	rows_container_state(b, sizeof b, &c);
	assert_string_equal(b, "unhealthy");
	assert_string_equal(rows_container_glyph(&c, false), "!");
	assert_string_equal(rows_container_glyph(&c, true), "\xe2\x96\xb2");
	c = mk("watchtower", DOCKER_STATE_RUNNING, DOCKER_HEALTH_NONE);
	rows_container_state(b, sizeof b, &c);
	assert_string_equal(b, "running");
	assert_int_equal(verdict_container_severity(&c), 0);
	c = mk("litellm", DOCKER_STATE_MISSING, DOCKER_HEALTH_NONE);
	rows_container_state(b, sizeof b, &c);
	assert_string_equal(b, "missing");
	assert_int_equal(verdict_container_severity(&c), 3);
}

static void test_row_wide_and_narrow(void **state)
{
	struct docker_container c = mk("grafana", DOCKER_STATE_RUNNING, DOCKER_HEALTH_HEALTHY);
	char b[512], hdr[512];

	c.started_at_ms = 1000000;
	c.cpu_pct = 1.25;
	c.mem_bytes = 1536 * 1024;
	c.restarts = 2;
	rows_container(b, sizeof b, &c, 80, 1000000 + 3723000, false, "", NULL);
	assert_int_equal(text_width(b), 80);
	assert_non_null(strstr(b, "+ grafana"));
	assert_non_null(strstr(b, "healthy"));
	assert_non_null(strstr(b, "1h02m"));
	assert_non_null(strstr(b, "1.2%"));
	assert_non_null(strstr(b, "1.5 MiB"));
	rows_container_header(hdr, sizeof hdr, 80);
	assert_non_null(strstr(hdr, "CONTAINER"));
	assert_non_null(strstr(hdr, "MEM"));
	/* narrow: no CPU or memory, still the state and restarts */
	rows_container(b, sizeof b, &c, 40, 1000000 + 3723000, false, "", NULL);
	assert_true(text_width(b) <= 40);
	assert_null(strstr(b, "MiB"));
	assert_non_null(strstr(b, "healthy"));
	assert_non_null(strstr(b, " 2"));
	rows_container_header(hdr, sizeof hdr, 40);
	assert_null(strstr(hdr, "MEM"));
	/* whether the figures are shown (a row's stats are asked for only then) */
	assert_true(rows_container_shows_figures(80));
	assert_false(rows_container_shows_figures(40));
	for (int w = 20; w < 200; w++) {
		rows_container(b, sizeof b, &c, w, 1000000 + 3723000, false, "", NULL);
		assert_int_equal(strstr(b, "MiB") != NULL, rows_container_shows_figures(w));
	}
}

static void test_long_and_wide_names(void **state)
{
	struct docker_container c = mk("a-very-long-container-name-that-does-not-fit-anywhere",
	                                DOCKER_STATE_RUNNING, DOCKER_HEALTH_HEALTHY);
	char b[512];

	rows_container(b, sizeof b, &c, 40, 0, true, "\xe2\x89\xa0", NULL);
	assert_true(text_width(b) <= 40);
	assert_non_null(strstr(b, "\xe2\x80\xa6"));          /* ellipsis */
	assert_non_null(strstr(b, "\xe2\x89\xa0" "a-very"));  /* the mark before the name */
	c.name = (char *)(uintptr_t)"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	rows_container(b, sizeof b, &c, 36, 0, true, "", NULL);
	assert_true(text_width(b) <= 36);
}

static void test_sort_problems_first(void **state)
{
	struct docker_container a = mk("b-ok", DOCKER_STATE_RUNNING, DOCKER_HEALTH_HEALTHY);
	struct docker_container b = mk("a-ok", DOCKER_STATE_RUNNING, DOCKER_HEALTH_NONE);
	struct docker_container c = mk("z-exited", DOCKER_STATE_EXITED, DOCKER_HEALTH_NONE);
	struct docker_container d = mk("m-unhealthy", DOCKER_STATE_RUNNING, DOCKER_HEALTH_UNHEALTHY);
	const struct docker_container *v[] = { &a, &b, &c, &d };

	rows_sort_containers(v, 4);
	assert_string_equal(v[0]->name, "z-exited");
	assert_string_equal(v[1]->name, "m-unhealthy");
	assert_string_equal(v[2]->name, "a-ok");
	assert_string_equal(v[3]->name, "b-ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_words_and_glyphs),
		cmocka_unit_test(test_row_wide_and_narrow),
		cmocka_unit_test(test_long_and_wide_names),
		cmocka_unit_test(test_sort_problems_first),
	};

	setlocale(LC_ALL, "C.UTF-8");   /* widths of wide characters */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
