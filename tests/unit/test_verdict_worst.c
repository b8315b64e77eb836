/* Unit tests of verdict_overall_worst and verdict_host_level on the recorded
 * lab frame (tests/fixtures/frames/kitestacks-lab.json): the header's worst
 * reason, how many more, and each host's level for its tab. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/model/frame.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"
#include "tests/support/fixture.h"

int main(void);

static struct config *cfg;
static struct frame f;
static char *json, *conf;

static int setup(void **state)
{
	char *cause = NULL;
	size_t len;

	(void)state;
	conf = fixture_read("frames", "kitestacks-lab.conf", NULL);
	cfg = config_parse(FIXTURE_DIR "/frames/kitestacks-lab.conf", conf, strlen(conf), &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	json = fixture_read("frames", "kitestacks-lab.json", &len);
	if (frame_json_read(&f, cfg, json, len, &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	frame_release(&f);
	config_free(cfg);
	free(json);
	free(conf);
	return 0;
}

/* The same level and lines as verdict_overall; the worst reason is a
 * container down before a figure, and the count is the lines'. */
static void test_worst_reason(void **state)
{
	struct buf a, b;
	char *worst = NULL;
	size_t n = 0, lines = 0;
	enum verdict_level l1, l2;

	(void)state;
	buf_init(&a);
	buf_init(&b);
	l1 = verdict_overall(&f, &a);
	l2 = verdict_overall_worst(&f, &b, &worst, &n);
	assert_int_equal(l1, l2);
	assert_int_equal(l2, VERDICT_WARN);
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	for (const char *p = buf_cstr(&a); *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(n, lines);
	assert_true(n > 1);
	assert_non_null(worst);
	assert_string_equal(worst, "monk: kavita exited");
	free(worst);
	/* no out-parameters: the level alone */
	assert_int_equal(verdict_overall_worst(&f, NULL, NULL, NULL), VERDICT_WARN);
	buf_done(&a);
	buf_done(&b);
}

/* monk: kavita exited; kscloud1: karakeep unhealthy, kite-litellm missing:
 * warnings, as the overall level counts them; an unreachable host is
 * critical. */
static void test_host_levels(void **state)
{
	(void)state;
	assert_int_equal(verdict_host_level(&f, &f.hosts[0]), VERDICT_WARN);
	assert_int_equal(verdict_host_level(&f, &f.hosts[1]), VERDICT_WARN);
	f.hosts[1].reach.connected = false;
	f.hosts[1].reach.known = true;
	assert_int_equal(verdict_host_level(&f, &f.hosts[1]), VERDICT_CRIT);
	{
		char *worst = NULL;

		assert_int_equal(verdict_overall_worst(&f, NULL, &worst, NULL), VERDICT_CRIT);
		assert_non_null(worst);
		assert_non_null(strstr(worst, "kscloud1: unreachable"));
		free(worst);
	}
	f.hosts[1].reach.connected = true;
	/* metrics not answered yet: unknown, which does not hide kavita exited */
	f.hosts[0].metrics.feed.polled = false;
	assert_int_equal(verdict_host_level(&f, &f.hosts[0]), VERDICT_WARN);
	f.hosts[0].metrics.feed.polled = true;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worst_reason),
		cmocka_unit_test(test_host_levels),
	};

	setenv("KITETOP_FRAMES_SECRET", "not-used", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
