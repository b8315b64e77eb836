/* Unit tests of core/feeds/feed_containers: list versions are never 0 and
 * never given twice (from two threads at once), values that share a list's
 * strings keep them whichever is freed first, and a list asked again is
 * the same list only when alike in all but its figures and status words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/base/util.h"
#include "core/feeds/feed_containers.h"

int main(void);

#define PER_THREAD 5000

static void *versions(void *arg)
{
	uint64_t *out = arg;

	for (size_t i = 0; i < PER_THREAD; i++)
		out[i] = feed_containers_new_version();
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_versions(void **state)
{
	uint64_t *v = xcalloc(2 * PER_THREAD, sizeof *v);
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, versions, v), 0);
	versions(v + PER_THREAD);
	pthread_join(t, NULL);
	qsort(v, 2 * PER_THREAD, sizeof *v, cmp_u64);
	assert_true(v[0] != 0);
	for (size_t i = 1; i < 2 * PER_THREAD; i++)
		assert_true(v[i] != v[i - 1]);
	free(v);
}

static struct docker_container *two(void)
{
	struct docker_container *l = xcalloc(2, sizeof *l);

	l[0] = (struct docker_container){ .name = xstrdup("web"), .image = xstrdup("nginx:1"),
		.cpu_pct = -1, .mem_bytes = -1, .mem_limit_bytes = -1 };
	l[1] = (struct docker_container){ .name = xstrdup("db"), .status = xstrdup("Up 2 hours"),
		.cpu_pct = -1, .mem_bytes = -1, .mem_limit_bytes = -1 };
	return l;
}

/* Two values of one list: each its own array and figures, the list's
 * strings; the list outlives the feed's reference while a value holds it. */
static void test_shared(void **state)
{
	struct docker_container *items = two();
	struct feed_docker_list *l = feed_docker_list_adopt(items, 2);
	struct feed_containers *a = xcalloc(1, sizeof *a), *b = xcalloc(1, sizeof *b);

	(void)state;
	feed_docker_list_share(l, a);
	feed_docker_list_share(l, b);
	assert_int_equal(a->n, 2);
	assert_true(a->items != items && b->items != items && a->items != b->items);
	assert_ptr_equal(a->items[0].name, items[0].name);   /* the strings: the list's */
	assert_ptr_equal(b->items[1].status, items[1].status);
	a->items[0].cpu_pct = 12.5;   /* the figures: each value's own */
	assert_true(b->items[0].cpu_pct < 0);
	assert_true(items[0].cpu_pct < 0);
	feed_docker_list_unref(l);   /* the feed's reference: the values keep it */
	feed_containers_free(a);
	assert_string_equal(b->items[0].name, "web");
	assert_string_equal(b->items[0].image, "nginx:1");
	assert_string_equal(b->items[1].status, "Up 2 hours");
	feed_containers_free(b);   /* the last: the list goes (a leak or a double free under ASan/valgrind) */
	feed_docker_list_unref(NULL);
	/* a value of its own (shared NULL) frees its strings */
	a = xcalloc(1, sizeof *a);
	a->items = two();
	a->n = 2;
	feed_containers_free(a);
}

/* A list asked again is the same list when its containers are alike in
 * all but their figures; any other field differing makes it another. */
static void test_alike(void **state)
{
	struct feed_docker_list *l = feed_docker_list_adopt(two(), 2);
	struct docker_container *b = two();

	(void)state;
	assert_false(feed_docker_list_alike(NULL, b, 2));
	assert_true(feed_docker_list_alike(l, b, 2));
	b[0].cpu_pct = 99;
	b[1].mem_bytes = 1 << 20;
	b[1].mem_limit_bytes = 1 << 30;
	assert_true(feed_docker_list_alike(l, b, 2));   /* the figures: not the list's */
	free(b[1].status);
	b[1].status = xstrdup("Up 3 hours");   /* nor Docker's words, which change with time */
	assert_true(feed_docker_list_alike(l, b, 2));
	assert_false(feed_docker_list_alike(l, b, 1));
	assert_false(docker_containers_alike(b, b + 1, 1));
#define DIFFERS(field, value) do { \
		struct docker_container keep = b[1]; \
		b[1].field = value; \
		assert_false(feed_docker_list_alike(l, b, 2)); \
		b[1] = keep; \
		assert_true(feed_docker_list_alike(l, b, 2)); \
	} while (0)
	DIFFERS(state, DOCKER_STATE_EXITED);
	DIFFERS(health, DOCKER_HEALTH_UNHEALTHY);
	DIFFERS(restarts, 3);
	DIFFERS(exit_code, 137);
	DIFFERS(started_at_ms, 1234);
	DIFFERS(tty, true);
	DIFFERS(name, (char *)"db2");
	DIFFERS(image, (char *)"postgres:16");
	DIFFERS(image_id, (char *)"sha256:00");
	DIFFERS(compose_project, (char *)"kite");
	DIFFERS(compose_service, (char *)"db");
	DIFFERS(full_id[0], 'f');
	DIFFERS(id[0], 'f');
#undef DIFFERS
	docker_containers_free(b, 2);
	feed_docker_list_unref(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_alike),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
