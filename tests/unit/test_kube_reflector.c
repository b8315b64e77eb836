/* Unit tests of backends/kube_reflector's caches, fed watch-stream bytes
 * without a network (kube_reflector_feed): ADDED / MODIFIED / DELETED
 * change the cache keyed by namespace/name, BOOKMARK moves the
 * resourceVersion only, an ERROR ends the stream, Normal events are not
 * kept, the snapshot orders events newest first and joins. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/kube_client.h"
#include "backends/kube_reflector.h"
#include "core/base/util.h"

#define POD(ev, ns, name, rv, phase) \
	"{\"type\":\"" ev "\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" name "\"," \
	"\"namespace\":\"" ns "\",\"resourceVersion\":\"" rv "\"},\"spec\":{\"nodeName\":\"neko\"," \
	"\"containers\":[{\"name\":\"c\"}]},\"status\":{\"phase\":\"" phase "\"}}}\n"

struct fixture {
	struct kube_client *kc;
	struct kube_reflector *r;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct kube_apis none = { 0 };

	f->kc = kube_client_new(NULL, 1000);
	f->r = kube_reflector_new(f->kc, NULL, 0);
	kube_reflector_start(f->r, &none);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kube_reflector_free(f->r);
	kube_client_free(f->kc);
	free(f);
	return 0;
}

static const struct kube_pod *pod_named(const struct kube_cluster *c, const char *name)
{
	for (size_t i = 0; i < c->npods; i++)
		if (strcmp(c->pods[i].name, name) == 0)
			return &c->pods[i];
	return NULL;
}

static void feed(struct kube_reflector *r, enum kube_res res, const char *s)
{
	assert_int_equal(kube_reflector_feed(r, res, s, strlen(s)), 0);
}

static void test_added_modified_deleted(void **state)
{
	struct fixture *f = *state;
	struct kube_cluster *c;
	const char *two = POD("ADDED", "default", "a", "10", "Pending") POD("ADDED", "n8n", "a", "11", "Running");

	/* split in the middle of a line: nothing lost */
	assert_int_equal(kube_reflector_feed(f->r, KUBE_R_PODS, two, 40), 0);
	assert_int_equal(kube_reflector_feed(f->r, KUBE_R_PODS, two + 40, strlen(two) - 40), 0);
	assert_true(kube_reflector_step(f->r, 0));   /* it changed */
	assert_false(kube_reflector_step(f->r, 0));  /* and then not */
	assert_string_equal(kube_reflector_rv(f->r, KUBE_R_PODS), "11");
	c = kube_reflector_snapshot(f->r);
	assert_int_equal(c->npods, 2);   /* same name, two namespaces */
	assert_string_equal(pod_named(c, "a")->ns, "default");
	kube_cluster_free(c);

	feed(f->r, KUBE_R_PODS, POD("MODIFIED", "default", "a", "12", "Running"));
	c = kube_reflector_snapshot(f->r);
	assert_int_equal(c->npods, 2);
	assert_string_equal(pod_named(c, "a")->phase, "Running");
	kube_cluster_free(c);

	feed(f->r, KUBE_R_PODS, POD("DELETED", "default", "a", "13", "Running"));
	c = kube_reflector_snapshot(f->r);
	assert_int_equal(c->npods, 1);
	assert_string_equal(c->pods[0].ns, "n8n");
	kube_cluster_free(c);
	assert_string_equal(kube_reflector_rv(f->r, KUBE_R_PODS), "13");
}

static void test_bookmark_moves_rv_only(void **state)
{
	struct fixture *f = *state;
	struct kube_cluster *c;
	struct kube_reflector_stats st;

	feed(f->r, KUBE_R_PODS, POD("ADDED", "default", "a", "10", "Running"));
	(void)kube_reflector_step(f->r, 0);
	feed(f->r, KUBE_R_PODS, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
	                        "\"metadata\":{\"resourceVersion\":\"99\"}}}\n");
	assert_string_equal(kube_reflector_rv(f->r, KUBE_R_PODS), "99");
	assert_false(kube_reflector_step(f->r, 0));   /* nothing changed */
	c = kube_reflector_snapshot(f->r);
	assert_int_equal(c->npods, 1);
	kube_cluster_free(c);
	kube_reflector_stats(f->r, &st);
	assert_int_equal(st.bookmarks, 1);
	assert_int_equal(st.events, 1);
}

static void test_error_ends_the_stream(void **state)
{
	struct fixture *f = *state;
	const char *expired = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	                      "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 1 (2)\","
	                      "\"reason\":\"Expired\",\"code\":410}}\n";

	assert_int_equal(kube_reflector_feed(f->r, KUBE_R_PODS, expired, strlen(expired)), -1);
	assert_int_equal(kube_reflector_feed(f->r, KUBE_R_NODES, "not json\n", 9), -1);
}

static void test_events_warning_only_newest_first(void **state)
{
	struct fixture *f = *state;
	struct kube_cluster *c;
	static const char ev[] =
		"{\"type\":\"ADDED\",\"object\":{\"kind\":\"Event\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\","
		"\"resourceVersion\":\"5\",\"creationTimestamp\":\"%s\"},\"type\":\"%s\",\"reason\":\"BackOff\","
		"\"message\":\"m\",\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"p\"},"
		"\"count\":3,\"lastTimestamp\":\"%s\"}}\n";
	char *a = xasprintf(ev, "e1", "2026-01-01T00:00:00Z", "Warning", "2026-01-01T00:00:00Z");
	char *b = xasprintf(ev, "e2", "2026-01-02T00:00:00Z", "Warning", "2026-01-02T00:00:00Z");
	char *n = xasprintf(ev, "e3", "2026-01-03T00:00:00Z", "Normal", "2026-01-03T00:00:00Z");

	feed(f->r, KUBE_R_EVENTS, a);
	feed(f->r, KUBE_R_EVENTS, b);
	feed(f->r, KUBE_R_EVENTS, n);
	c = kube_reflector_snapshot(f->r);
	assert_int_equal(c->nevents, 2);
	assert_true(c->events[0].time_ms > c->events[1].time_ms);
	assert_int_equal(c->events[0].count, 3);
	kube_cluster_free(c);
	free(a);
	free(b);
	free(n);
}

static void test_crds_not_watched_without_discovery(void **state)
{
	struct fixture *f = *state;
	const char *ks = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\",\"namespace\":\"flux-system\"}}}\n";

	/* no group version was discovered: there is no such stream */
	assert_int_equal(kube_reflector_feed(f->r, KUBE_R_KUSTOMIZATIONS, ks, strlen(ks)), -1);
	assert_null(kube_reflector_rv(f->r, KUBE_R_KUSTOMIZATIONS));
	assert_false(kube_reflector_synced(f->r));   /* nothing listed yet */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_added_modified_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bookmark_moves_rv_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_ends_the_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_warning_only_newest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crds_not_watched_without_discovery, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
