/* Unit tests: snapshot refcounting and the slot exchange between threads
 * (run under TSan by `make tsan`). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/base/snapshot.h"
#include "core/base/util.h"

static atomic_int freed;

struct payload {
	int writer;
	long n;
	long check;   /* = n * 7 + writer: a torn or freed value fails it */
};

static void payload_free(void *p)
{
	struct payload *v = p;

	v->check = -1;
	free(v);
	atomic_fetch_add(&freed, 1);
}

static void test_value_and_refs(void **state)
{
	struct payload *v = xcalloc(1, sizeof *v);
	struct snapshot *s, *r;
	bool stale = true;

	atomic_store(&freed, 0);
	s = snapshot_new_value(v, payload_free);
	assert_ptr_equal(snapshot_value(s, &stale), v);
	assert_false(stale);
	r = snapshot_ref(s);
	snapshot_unref(s);
	assert_int_equal(atomic_load(&freed), 0);
	snapshot_unref(r);
	assert_int_equal(atomic_load(&freed), 1);
	snapshot_unref(NULL);
	assert_null(snapshot_ref(NULL));
}

static void test_error_keeps_last_good(void **state)
{
	struct payload *v = xcalloc(1, sizeof *v);
	struct snapshot_slot slot;
	struct snapshot *good, *bad, *got;
	bool stale = false;

	atomic_store(&freed, 0);
	snapshot_slot_init(&slot);
	assert_null(snapshot_slot_get(&slot));
	assert_int_equal(snapshot_slot_seq(&slot), 0);

	good = snapshot_new_value(v, payload_free);
	snapshot_slot_publish(&slot, good);
	assert_true(good->last_ok_ms > 0);
	assert_int_equal(good->seq, 1);

	got = snapshot_slot_get(&slot);
	bad = snapshot_new_error("prometheus: timeout after 5 s", got);
	snapshot_unref(got);
	snapshot_slot_publish(&slot, bad);
	assert_int_equal(snapshot_slot_seq(&slot), 2);

	got = snapshot_slot_get(&slot);
	assert_string_equal(got->error, "prometheus: timeout after 5 s");
	assert_null(got->value);
	assert_ptr_equal(snapshot_value(got, &stale), v);
	assert_true(stale);
	assert_int_equal(got->last_ok_ms, good->last_ok_ms);
	/* the good snapshot lives on through last_good only */
	assert_int_equal(atomic_load(&freed), 0);
	snapshot_unref(got);
	snapshot_slot_done(&slot);
	assert_int_equal(atomic_load(&freed), 1);
}

static void test_error_without_history(void **state)
{
	struct snapshot *bad = snapshot_new_error(NULL, NULL);
	bool stale = true;

	assert_string_equal(bad->error, "failed");
	assert_null(snapshot_value(bad, &stale));
	assert_false(stale);
	assert_int_equal(bad->last_ok_ms, 0);
	snapshot_unref(bad);
}

#define WRITERS 4
#define PER_WRITER 5000

static struct snapshot_slot shared;
static atomic_int writers_left;

static void *writer_main(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (long i = 0; i < PER_WRITER; i++) {
		struct payload *v = xmalloc(sizeof *v);

		v->writer = id;
		v->n = i;
		v->check = i * 7 + id;
		snapshot_slot_publish(&shared, snapshot_new_value(v, payload_free));
	}
	atomic_fetch_sub(&writers_left, 1);
	return NULL;
}

static void test_four_writers_one_reader(void **state)
{
	pthread_t t[WRITERS];
	long reads = 0, last_n[WRITERS];
	uint64_t last_seq = 0;

	atomic_store(&freed, 0);
	atomic_store(&writers_left, WRITERS);
	snapshot_slot_init(&shared);
	for (int i = 0; i < WRITERS; i++) {
		last_n[i] = -1;
		assert_int_equal(pthread_create(&t[i], NULL, writer_main, (void *)(intptr_t)i), 0);
	}
	while (atomic_load(&writers_left) > 0 || reads == 0) {
		struct snapshot *s = snapshot_slot_get(&shared);
		const struct payload *v;

		if (s == NULL)
			continue;
		v = s->value;
		/* consistent, never freed under us, and never going backwards */
		assert_int_equal(v->check, v->n * 7 + v->writer);
		assert_true(s->seq >= last_seq);
		last_seq = s->seq;
		assert_true(v->n >= last_n[v->writer]);
		last_n[v->writer] = v->n;
		reads++;
		snapshot_unref(s);
	}
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(snapshot_slot_seq(&shared), WRITERS * PER_WRITER);
	snapshot_slot_done(&shared);
	/* every snapshot was freed exactly once */
	assert_int_equal(atomic_load(&freed), WRITERS * PER_WRITER);
	assert_true(reads > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_and_refs),
		cmocka_unit_test(test_error_keeps_last_good),
		cmocka_unit_test(test_error_without_history),
		cmocka_unit_test(test_four_writers_one_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
