/* Unit tests: core/history/history, the events the dashboard remembers:
 * newest first, the oldest dropped past HISTORY_MAX, the last change
 * (actions aside), and the newest event of each object, checked against a
 * plain scan of the kept events while thousands come and go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/history/history.h"

int main(void);

static struct event ev(int64_t t, enum event_kind kind, const char *host, const char *object)
{
	struct event e = { .time_ms = t, .kind = kind };

	EVENT_SET(e.host, host);
	EVENT_SET(e.object, object);
	EVENT_SET(e.to, "x");
	return e;
}

static void add(struct history *h, int64_t t, enum event_kind kind, const char *host,
                const char *object)
{
	struct event e = ev(t, kind, host, object);

	history_add(h, &e, 1);
}

static void test_empty(void **state)
{
	struct history *h = history_new();

	(void)state;
	assert_int_equal(history_count(h), 0);
	assert_null(history_get(h, 0));
	assert_int_equal(history_last_change_ms(h), 0);
	assert_null(history_latest(h, EVENT_CONTAINER, "monk", "kavita"));
	history_free(h);
	history_free(NULL);
}

static void test_newest_first(void **state)
{
	struct history *h = history_new();
	struct event batch[3];

	(void)state;
	batch[0] = ev(100, EVENT_CONTAINER, "monk", "kavita");
	batch[1] = ev(200, EVENT_HOST, "kscloud1", "kscloud1");
	batch[2] = ev(300, EVENT_SOURCE, "", "redis");
	history_add(h, batch, 3);
	assert_int_equal(history_count(h), 3);
	assert_int_equal(history_get(h, 0)->time_ms, 300);
	assert_string_equal(history_get(h, 0)->object, "redis");
	assert_int_equal(history_get(h, 1)->time_ms, 200);
	assert_int_equal(history_get(h, 2)->time_ms, 100);
	assert_null(history_get(h, 3));
	history_free(h);
}

static void test_last_change(void **state)
{
	struct history *h = history_new();

	(void)state;
	add(h, 1000, EVENT_ACTION, "monk", "kavita");
	assert_int_equal(history_last_change_ms(h), 0);   /* an action is no change */
	add(h, 2000, EVENT_CONTAINER, "monk", "kavita");
	add(h, 3000, EVENT_ACTION, "monk", "grafana");
	assert_int_equal(history_last_change_ms(h), 2000);
	add(h, 4000, EVENT_PROBE, "", "homepage");
	assert_int_equal(history_last_change_ms(h), 4000);
	/* pushed out by actions: nothing kept is a change */
	for (int i = 0; i < HISTORY_MAX; i++)
		add(h, 5000 + i, EVENT_ACTION, "monk", "kavita");
	assert_int_equal(history_last_change_ms(h), 0);
	history_free(h);
}

static void test_latest(void **state)
{
	struct history *h = history_new();
	const struct event *e;

	(void)state;
	add(h, 1, EVENT_CONTAINER, "monk", "kavita");
	add(h, 2, EVENT_HEALTH, "monk", "kavita");
	add(h, 3, EVENT_PROBE, "monk", "kavita");
	add(h, 4, EVENT_CONTAINER, "kscloud1", "kavita");
	add(h, 5, EVENT_ACTION, "monk", "kavita");
	add(h, 6, EVENT_SOURCE, "", "ab\xc3\xa9");
	/* a row asks about the container: state, health and restarts alike */
	e = history_latest(h, EVENT_CONTAINER, "monk", "kavita");
	assert_non_null(e);
	assert_int_equal(e->time_ms, 2);
	assert_int_equal(e->kind, EVENT_HEALTH);
	add(h, 7, EVENT_RESTARTS, "monk", "kavita");
	assert_int_equal(history_latest(h, EVENT_CONTAINER, "monk", "kavita")->time_ms, 7);
	/* the other kinds exactly */
	assert_int_equal(history_latest(h, EVENT_PROBE, "monk", "kavita")->time_ms, 3);
	assert_int_equal(history_latest(h, EVENT_ACTION, "monk", "kavita")->time_ms, 5);
	assert_int_equal(history_latest(h, EVENT_CONTAINER, "kscloud1", "kavita")->time_ms, 4);
	assert_int_equal(history_latest(h, EVENT_SOURCE, "", "ab\xc3\xa9")->time_ms, 6);
	assert_null(history_latest(h, EVENT_PROBE, "", "kavita"));
	assert_null(history_latest(h, EVENT_TUNNEL, "monk", "kavita"));
	assert_null(history_latest(h, EVENT_SOURCE, "a", "b\xc3\xa9"));   /* not ("ab", "é") */
	assert_null(history_latest(h, EVENT_CONTAINER, "monk", "grafana"));
	assert_null(history_latest(h, EVENT_CONTAINER, NULL, "grafana"));
	history_free(h);
}

/* A name longer than the event's field is asked as it was stored: cut. */
static void test_latest_long_name(void **state)
{
	struct history *h = history_new();
	char name[300];

	(void)state;
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	add(h, 42, EVENT_CONTAINER, "monk", name);
	assert_int_equal(strlen(history_get(h, 0)->object), EVENT_OBJECT_MAX - 1);
	assert_non_null(history_latest(h, EVENT_CONTAINER, "monk", name));
	assert_int_equal(history_latest(h, EVENT_CONTAINER, "monk", name)->time_ms, 42);
	history_free(h);
}

static void test_eviction_order(void **state)
{
	struct history *h = history_new();
	char obj[32];

	(void)state;
	for (int i = 0; i < HISTORY_MAX + 10; i++) {
		snprintf(obj, sizeof obj, "c%d", i);
		add(h, i, EVENT_CONTAINER, "monk", obj);
	}
	assert_int_equal(history_count(h), HISTORY_MAX);
	assert_int_equal(history_get(h, 0)->time_ms, HISTORY_MAX + 9);
	assert_int_equal(history_get(h, HISTORY_MAX - 1)->time_ms, 10);   /* the oldest kept */
	assert_null(history_get(h, HISTORY_MAX));
	for (int i = 0; i < 10; i++) {
		snprintf(obj, sizeof obj, "c%d", i);
		assert_null(history_latest(h, EVENT_CONTAINER, "monk", obj));   /* dropped */
	}
	assert_int_equal(history_latest(h, EVENT_CONTAINER, "monk", "c10")->time_ms, 10);
	history_free(h);
}

#define SCAN_OBJECTS 5000

/* Which lookup class a kind is in, for the reference: 0 the container
 * kinds, then probe, host, action. */
static int ref_class(enum event_kind k)
{
	switch (k) {
	case EVENT_PROBE: return 1;
	case EVENT_HOST: return 2;
	case EVENT_ACTION: return 3;
	default: return 0;
	}
}

/* Thousands of events over thousands of objects, pseudo-random, past the
 * ring several times: every lookup agrees with a reference that remembers
 * the time (= the order added) of each key's newest event; one older than
 * the oldest kept must be forgotten. */
static void test_latest_against_reference(void **state)
{
	static const enum event_kind kinds[] = { EVENT_CONTAINER, EVENT_HEALTH, EVENT_RESTARTS,
	                                         EVENT_PROBE, EVENT_HOST, EVENT_ACTION };
	static const char *const hosts[] = { "monk", "kscloud1", "" };
	static int64_t ref[SCAN_OBJECTS][4][3];   /* newest time + 1; 0 none */
	struct history *h = history_new();
	uint32_t rng = 12345;
	int64_t t = 0;
	char obj[32];

	(void)state;
	memset(ref, 0, sizeof ref);
	for (int round = 0; round < 4; round++) {
		/* each round draws from another, wider set, so that old keys fall out */
		uint32_t nobj = 200u + (uint32_t)round * 1500u, base = (uint32_t)round * 100u;

		for (int i = 0; i < HISTORY_MAX + 777; i++, t++) {
			uint32_t o, k, hi;

			rng = rng * 1103515245u + 12345u;
			o = (rng >> 8) % nobj + base;
			k = (rng >> 3) % 6;
			hi = (rng >> 5) % 3;
			snprintf(obj, sizeof obj, "o%u", o);
			add(h, t, kinds[k], hosts[hi], obj);
			ref[o][ref_class(kinds[k])][hi] = t + 1;
		}
		for (int o = 0; o < SCAN_OBJECTS; o++) {
			snprintf(obj, sizeof obj, "o%d", o);
			for (size_t k = 0; k < 6; k++) {
				for (size_t hi = 0; hi < 3; hi++) {
					const struct event *e = history_latest(h, kinds[k], hosts[hi], obj);
					int64_t want = ref[o][ref_class(kinds[k])][hi] - 1;

					if (want < t - HISTORY_MAX) {
						assert_null(e);
						continue;
					}
					assert_non_null(e);
					assert_int_equal(e->time_ms, want);
				}
			}
		}
	}
	assert_int_equal(history_count(h), HISTORY_MAX);
	history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_newest_first),
		cmocka_unit_test(test_last_change),
		cmocka_unit_test(test_latest),
		cmocka_unit_test(test_latest_long_name),
		cmocka_unit_test(test_eviction_order),
		cmocka_unit_test(test_latest_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
