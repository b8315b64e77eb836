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
#include "core/feeds/feed_docker.h"
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

/* The overall level, its lines, worst line and count, with the memo m
 * (or none) into *lines (caller frees). */
static enum verdict_level overall(struct verdict_memo *m, char **lines, char **worst, size_t *n)
{
	struct buf b;
	enum verdict_level l;

	buf_init(&b);
	l = verdict_overall_memo(&f, m, &b, worst, n);
	*lines = xstrdup(buf_cstr(&b));
	buf_done(&b);
	return l;
}

/* With the memo the same as without, whatever it holds. */
static void expect_same(struct verdict_memo *m)
{
	char *l1, *l2, *w1, *w2;
	size_t n1, n2;

	assert_int_equal(overall(m, &l1, &w1, &n1), overall(NULL, &l2, &w2, &n2));
	assert_string_equal(l1, l2);
	assert_string_equal(w1 != NULL ? w1 : "(none)", w2 != NULL ? w2 : "(none)");
	assert_int_equal(n1, n2);
	free(l1);
	free(l2);
	free(w1);
	free(w2);
}

static struct docker_container *container(size_t h, const char *name)
{
	const struct feed_containers *c = f.hosts[h].docker.value;

	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	fail_msg("no %s on host %zu", name, h);
	return NULL;
}

/* The memo: the parts over every container are worked out again when a
 * host's list version or state changes, and taken from the memo while
 * they are what it was worked out of (so a list changed under one version,
 * which the docker feed never does, shows that it is taken); lists of
 * version 0 are never taken for each other. */
static void test_memo(void **state)
{
	struct verdict_memo m = { 0 };
	struct feed_containers *c0 = (struct feed_containers *)f.hosts[0].docker.value;
	struct feed_containers *c1 = (struct feed_containers *)f.hosts[1].docker.value;
	struct docker_container *g = container(1, "grafana");
	char *image = g->image, *l1, *l2, *w;
	size_t n;

	(void)state;
	assert_int_equal(g->state, DOCKER_STATE_RUNNING);
	assert_int_equal(container(0, "grafana")->state, DOCKER_STATE_RUNNING);
	expect_same(&m);   /* versions 0: worked out, not kept */
	assert_false(m.valid);
	c0->version = 11;
	c1->version = 12;
	expect_same(&m);
	assert_true(m.valid);
	expect_same(&m);
	/* the marks: as verdict_differs says, for every container */
	for (size_t h = 0; h < 2; h++)
		for (size_t i = 0; i < f.hosts[h].docker.value->n; i++) {
			const char *name = f.hosts[h].docker.value->items[i].name;

			assert_int_equal(verdict_differs_memo(&f, &m, name), verdict_differs(&f, name));
			assert_int_equal(verdict_differs_memo(&f, &m, name), verdict_differs(&f, name));
		}
	assert_false(verdict_differs_memo(&f, &m, "grafana"));
	/* grafana's image changed under the same version: the memo's */
	overall(&m, &l1, &w, &n);
	free(w);
	g->image = xstrdup("grafana/grafana:99.0.0");
	assert_true(verdict_differs(&f, "grafana"));
	assert_false(verdict_differs_memo(&f, &m, "grafana"));
	overall(&m, &l2, &w, &n);
	free(w);
	assert_string_equal(l1, l2);
	assert_null(strstr(l2, "image differs"));
	free(l2);
	overall(NULL, &l2, &w, &n);
	free(w);
	assert_non_null(strstr(l2, "grafana: image differs"));
	free(l2);
	/* a new version: worked out again */
	c1->version = 13;
	expect_same(&m);
	assert_true(verdict_differs_memo(&f, &m, "grafana"));
	overall(&m, &l2, &w, &n);
	free(w);
	assert_non_null(strstr(l2, "grafana: image differs"));
	free(l2);
	/* the same versions, a host's link down and back: worked out again */
	f.hosts[1].reach.connected = false;
	expect_same(&m);
	f.hosts[1].reach.connected = true;
	expect_same(&m);
	/* a version 0 among them: worked out each time */
	c0->version = 0;
	expect_same(&m);
	assert_false(m.valid);
	assert_true(verdict_differs_memo(&f, &m, "grafana"));   /* worked out: no memo */
	free(g->image);
	g->image = image;
	expect_same(&m);
	overall(&m, &l2, &w, &n);
	free(w);
	assert_string_equal(l1, l2);
	free(l1);
	free(l2);
	c1->version = 0;
	verdict_memo_done(&m);
	assert_false(m.valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worst_reason),
		cmocka_unit_test(test_host_levels),
		cmocka_unit_test(test_memo),
	};

	setenv("KITETOP_FRAMES_SECRET", "not-used", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
