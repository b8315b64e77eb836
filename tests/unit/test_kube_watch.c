/* Unit tests of the reflector's pure parts (backends/kube_watch.h): the
 * watch stream's line splitter, the jittered timeout, the decisions after a
 * watch ends (410 → relist, clean close → rewatch, quick closes back off,
 * then relist); and kube_client's pure helpers: the words for refusals,
 * discovery's group list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_client.h"
#include "backends/kube_watch.h"
#include "core/base/util.h"

struct collected {
	char lines[8][64];
	int n;
	int stop_at;                /* -1: never */
};

static int collect(const char *line, size_t n, void *arg)
{
	struct collected *c = arg;

	if (c->n == c->stop_at)
		return -1;
	snprintf(c->lines[c->n], sizeof c->lines[0], "%.*s", (int)n, line);
	c->n++;
	return 0;
}

static void test_lines_split_anywhere(void **state)
{
	const char *stream = "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\r\n\n{\"type\":\"BOOKMARK\"}\n{\"par";
	struct kube_lines l;
	struct collected c = { .stop_at = -1 };

	(void)state;
	/* every split point gives the same lines */
	for (size_t cut = 0; cut <= strlen(stream); cut++) {
		memset(&c, 0, sizeof c);
		c.stop_at = -1;
		kube_lines_init(&l);
		assert_int_equal(kube_lines_feed(&l, stream, cut, collect, &c), 0);
		assert_int_equal(kube_lines_feed(&l, stream + cut, strlen(stream) - cut, collect, &c), 0);
		assert_int_equal(c.n, 3);
		assert_string_equal(c.lines[0], "{\"type\":\"ADDED\"}");
		assert_string_equal(c.lines[1], "{\"type\":\"MODIFIED\"}");
		assert_string_equal(c.lines[2], "{\"type\":\"BOOKMARK\"}");
		assert_int_equal(l.pending.len, 5);   /* the partial line waits */
		assert_int_equal(kube_lines_feed(&l, "tial\":1}\n", 9, collect, &c), 0);
		assert_int_equal(c.n, 4);
		assert_string_equal(c.lines[3], "{\"partial\":1}");
		kube_lines_done(&l);
	}
}

static void test_lines_stop_and_overflow(void **state)
{
	struct kube_lines l;
	struct collected c = { .stop_at = 1 };
	char *big;

	(void)state;
	kube_lines_init(&l);
	assert_int_equal(kube_lines_feed(&l, "a\nb\nc\n", 6, collect, &c), -1);
	assert_int_equal(c.n, 1);
	kube_lines_done(&l);
	/* a line over the cap ends the stream, in pieces or whole */
	big = xcalloc(1, KUBE_WATCH_MAX_LINE / 2 + 1);
	memset(big, 'x', KUBE_WATCH_MAX_LINE / 2);
	kube_lines_init(&l);
	c = (struct collected){ .stop_at = -1 };
	assert_int_equal(kube_lines_feed(&l, big, KUBE_WATCH_MAX_LINE / 2, collect, &c), 0);
	assert_int_equal(kube_lines_feed(&l, big, KUBE_WATCH_MAX_LINE / 2, collect, &c), 0);
	assert_int_equal(kube_lines_feed(&l, "yy\n", 3, collect, &c), -1);
	assert_true(l.overflow);
	assert_int_equal(c.n, 0);
	kube_lines_done(&l);
	free(big);
}

static void test_watch_timeout_jittered_5_to_10_min(void **state)
{
	(void)state;
	assert_int_equal(kube_watch_timeout_s(0), 300);
	assert_int_equal(kube_watch_timeout_s(0.5), 450);
	assert_true(kube_watch_timeout_s(0.99999) < 600);
	assert_int_equal(kube_watch_timeout_s(-1), 300);
	assert_true(kube_watch_timeout_s(7) < 600);
}

static void test_watch_decisions(void **state)
{
	struct kube_watch_state st = { 0 };
	int64_t d;

	(void)state;
	/* a clean close after events: rewatch at once */
	assert_int_equal(kube_watch_after(&st, KUBE_END_CLEAN, 300000, 12, &d), KUBE_NEXT_REWATCH);
	assert_int_equal(d, 0);
	/* 410: relist at once, the first time */
	assert_int_equal(kube_watch_after(&st, KUBE_END_EXPIRED, 2000, 1, &d), KUBE_NEXT_RELIST);
	assert_int_equal(d, 0);
	kube_watch_list_result(&st, true, &d);
	assert_int_equal(d, 0);
	assert_int_equal(st.failures, 0);
	/* quick empty closes: backoff doubling, relist on the third, never 0 */
	assert_int_equal(kube_watch_after(&st, KUBE_END_CLEAN, 5, 0, &d), KUBE_NEXT_REWATCH);
	assert_int_equal(d, 1000);
	assert_int_equal(kube_watch_after(&st, KUBE_END_CLEAN, 5, 0, &d), KUBE_NEXT_REWATCH);
	assert_int_equal(d, 2000);
	assert_int_equal(kube_watch_after(&st, KUBE_END_CLEAN, 5, 0, &d), KUBE_NEXT_RELIST);
	assert_int_equal(d, 4000);
	for (int i = 0; i < 20; i++)
		kube_watch_after(&st, KUBE_END_CLEAN, 5, 0, &d);
	assert_int_equal(d, KUBE_WATCH_BACKOFF_CAP_MS);
	/* a long quiet watch (no event, the server's timeout) is not quick */
	assert_int_equal(kube_watch_after(&st, KUBE_END_CLEAN, 300000, 0, &d), KUBE_NEXT_REWATCH);
	assert_int_equal(d, 0);
	assert_int_equal(st.quick_closes, 0);
	/* transport failures back off and rewatch; HTTP errors relist */
	assert_int_equal(kube_watch_after(&st, KUBE_END_TRANSPORT, 10, 0, &d), KUBE_NEXT_REWATCH);
	assert_int_equal(d, 1000);
	assert_int_equal(kube_watch_after(&st, KUBE_END_HTTP_ERROR, 10, 0, &d), KUBE_NEXT_RELIST);
	assert_int_equal(d, 2000);
	/* repeated 410s back off too */
	assert_int_equal(kube_watch_after(&st, KUBE_END_EXPIRED, 10, 0, &d), KUBE_NEXT_RELIST);
	assert_true(d > 0);
	kube_watch_list_result(&st, false, &d);
	assert_true(d > 0 && d <= KUBE_WATCH_BACKOFF_CAP_MS);
}

static void test_status_words(void **state)
{
	char *w;
	const char *body = "{\"kind\":\"Status\",\"message\":\"etcdserver: request timed out\",\"code\":500}";

	(void)state;
	w = kube_status_words(403, NULL, 0, "list", "pods", NULL);
	assert_string_equal(w, "forbidden (403): cannot list pods (cluster scope)");
	free(w);
	w = kube_status_words(403, NULL, 0, "watch", "events", "n8n");
	assert_string_equal(w, "forbidden (403): cannot watch events (namespace n8n)");
	free(w);
	w = kube_status_words(401, NULL, 0, "get", "version", NULL);
	assert_string_equal(w, "unauthorized (401): the API refused the credentials");
	free(w);
	w = kube_status_words(500, body, strlen(body), "list", "pods", NULL);
	assert_string_equal(w, "HTTP 500: etcdserver: request timed out");
	free(w);
	w = kube_status_words(502, "<html>", 6, "list", "pods", NULL);
	assert_string_equal(w, "HTTP 502");
	free(w);
}

static void test_parse_apis(void **state)
{
	const char *json = "{\"kind\":\"APIGroupList\",\"groups\":["
		"{\"name\":\"apps\",\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}},"
		"{\"name\":\"metrics.k8s.io\",\"preferredVersion\":{\"version\":\"v1beta1\"}},"
		"{\"name\":\"longhorn.io\",\"versions\":[{\"version\":\"v1beta2\"}]},"
		"{\"name\":\"postgresql.cnpg.io\",\"preferredVersion\":{\"version\":\"v1\"}},"
		"{\"name\":\"helm.toolkit.fluxcd.io\",\"preferredVersion\":{\"version\":\"v2\"}}]}";
	struct kube_apis a;
	char *v[KUBE_G_N];

	(void)state;
	assert_int_equal(kube_parse_apis(json, strlen(json), &a, v), 0);
	assert_true(a.metrics);
	assert_true(a.longhorn);
	assert_true(a.cnpg);
	assert_true(a.flux_helm);
	assert_false(a.flux_kustomize);
	assert_false(a.argo);
	assert_string_equal(v[KUBE_G_METRICS], "v1beta1");
	assert_string_equal(v[KUBE_G_LONGHORN], "v1beta2");
	assert_string_equal(v[KUBE_G_HELM], "v2");
	assert_null(v[KUBE_G_ARGO]);
	for (int g = 0; g < KUBE_G_N; g++)
		free(v[g]);
	assert_int_equal(kube_parse_apis("[]", 2, &a, v), -1);
	assert_int_equal(kube_parse_apis("{", 1, &a, v), -1);
	assert_false(a.metrics);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_split_anywhere),
		cmocka_unit_test(test_lines_stop_and_overflow),
		cmocka_unit_test(test_watch_timeout_jittered_5_to_10_min),
		cmocka_unit_test(test_watch_decisions),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_parse_apis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
