/* Unit tests: source threads — interval, backoff, errors, wake pipe (one
 * byte per pending wake-up), refresh, pause, waiting for another source's
 * next snapshot, and shutdown within 1 s while a poll is stuck. */
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/feeds/feed_common.h"
#include "core/feeds/source.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct fake {
	atomic_int polls;
	atomic_int fail_from;     /* polls numbered >= this fail (0 = never) */
	atomic_int hang;          /* a poll waits until cancelled */
	atomic_int inited, finished;
	const atomic_int *cancel;
};

static void *fake_init(void *arg, const atomic_int *cancel)
{
	struct fake *f = arg;

	f->cancel = cancel;
	atomic_fetch_add(&f->inited, 1);
	return f;
}

static void fake_done(void *state)
{
	struct fake *f = state;

	atomic_fetch_add(&f->finished, 1);
}

static int fake_poll(void *state, void **value, char **cause)
{
	struct fake *f = state;
	int n = atomic_fetch_add(&f->polls, 1) + 1;
	int ff = atomic_load(&f->fail_from);

	if (atomic_load(&f->hang)) {
		/* like a network call bounded by the cancel flag */
		while (!atomic_load(f->cancel))
			time_sleep_ms(10);
		util_set_cause(cause, "cancelled");
		return -1;
	}
	if (ff != 0 && n >= ff) {
		util_set_cause(cause, "poll %d failed", n);
		return -1;
	}
	*value = xmalloc(sizeof(int));
	*(int *)*value = n;
	return 0;
}

static const struct source_ops fake_ops = {
	.kind = "fake",
	.thread_init = fake_init,
	.poll = fake_poll,
	.thread_done = fake_done,
	.free_value = free,
};

static void wait_seq(struct source *s, uint64_t seq, int64_t limit_ms)
{
	int64_t end = time_mono_ms() + limit_ms;

	while (source_seq(s) < seq) {
		assert_true(time_mono_ms() < end);
		time_sleep_ms(2);
	}
}

/* The wake pipe holds one byte however many signals come before the drain,
 * and a signal after the drain writes again. */
static void test_wake_holds_one_byte_until_drained(void **state)
{
	struct wake *w = wake_new(NULL);
	struct pollfd pfd = { .fd = wake_fd(w), .events = POLLIN };
	char buf[16];

	(void)state;
	assert_int_equal(poll(&pfd, 1, 0), 0);
	for (int i = 0; i < 5; i++)
		wake_signal(w);
	assert_int_equal(read(wake_fd(w), buf, sizeof buf), 1);
	wake_drain(w);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	wake_signal(w);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	wake_drain(w);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	wake_signal(w);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	wake_free(w);
}

static atomic_int wait_cancel;

static void *raise_later(void *arg)
{
	(void)arg;
	time_sleep_ms(100);
	atomic_store(&wait_cancel, 1);
	return NULL;
}

/* source_wait_seq() returns at the publish itself (well before its 250 ms
 * look at the cancel flag), at the deadline, and on a raised flag. */
static void test_wait_seq_returns_on_publish_deadline_or_cancel(void **state)
{
	struct fake f = { 0 };
	struct source_params p = { .name = "w", .interval_ms = 300 };
	struct source *s = source_new(&p, &fake_ops, &f, NULL);
	uint64_t seq;
	int64_t t0;
	pthread_t t;

	(void)state;
	atomic_init(&wait_cancel, 0);
	assert_int_equal(source_start(s, NULL), 0);
	seq = source_wait_seq(s, 0, time_mono_ms() + 2000, NULL);
	assert_true(seq >= 1);
	/* the next poll is on the 300 ms tick: woken within a few ms of it */
	t0 = time_mono_ms();
	source_refresh_now(s);
	assert_true(source_wait_seq(s, seq, time_mono_ms() + 2000, NULL) > seq);
	assert_true(time_mono_ms() - t0 < 200);
	/* nothing new before the deadline: returns the same seq, on time */
	seq = source_seq(s);
	source_set_paused(s, true);
	t0 = time_mono_ms();
	assert_int_equal(source_wait_seq(s, seq, t0 + 120, NULL), seq);
	assert_true(time_mono_ms() - t0 >= 120 && time_mono_ms() - t0 < 400);
	/* a raised flag is seen within its recheck */
	assert_int_equal(pthread_create(&t, NULL, raise_later, NULL), 0);
	t0 = time_mono_ms();
	assert_int_equal(source_wait_seq(s, seq, t0 + 5000, &wait_cancel), seq);
	assert_true(time_mono_ms() - t0 < 1000);
	pthread_join(t, NULL);
	source_free(s);
}

static void test_backoff_doubles_up_to_15_s(void **state)
{
	assert_int_equal(source_backoff_ms(2000, 0), 2000);
	assert_int_equal(source_backoff_ms(2000, 1), 4000);
	assert_int_equal(source_backoff_ms(2000, 2), 8000);
	assert_int_equal(source_backoff_ms(2000, 3), 15000);
	assert_int_equal(source_backoff_ms(2000, 500), 15000);
	/* never faster than the interval itself */
	assert_int_equal(source_backoff_ms(90000, 0), 90000);
	assert_int_equal(source_backoff_ms(90000, 3), 90000);
	assert_int_equal(source_backoff_ms(0, 0), 1000);
}

static void test_next_tick_aligned_and_too_close_one_skipped(void **state)
{
	(void)state;
	assert_int_equal(source_next_tick_ms(10000, 2000), 2000);   /* on a tick: the next one */
	assert_int_equal(source_next_tick_ms(10500, 2000), 1500);
	assert_int_equal(source_next_tick_ms(11750, 2000), 250);
	assert_int_equal(source_next_tick_ms(11900, 2000), 2100);   /* too close: the one after */
	assert_int_equal(source_next_tick_ms(11999, 2000), 2001);
	assert_int_equal(source_next_tick_ms(31000, 30000), 29000);
	assert_int_equal(source_next_tick_ms(1500, 0), 500);        /* no interval: 1 s */
}

static void test_source_polls_publishes_and_wakes(void **state)
{
	struct fake f = { 0 };
	struct source_params p = { .name = "monk/fake", .interval_ms = 20 };
	struct wake *w = wake_new(NULL);
	struct source *s = source_new(&p, &fake_ops, &f, w);
	struct pollfd pfd = { .fd = wake_fd(w), .events = POLLIN };
	struct snapshot *snap;

	assert_string_equal(source_name(s), "monk/fake");
	assert_null(source_get(s));
	assert_int_equal(source_start(s, NULL), 0);
	assert_int_equal(poll(&pfd, 1, 2000), 1);     /* woken by the first poll */
	wake_drain(w);
	wait_seq(s, 3, 2000);
	snap = source_get(s);
	assert_non_null(snap);
	assert_null(snap->error);
	assert_true(*(int *)snap->value >= 3);
	assert_true(snap->fetched_ms > 0 && snap->last_ok_ms == snap->fetched_ms);
	snapshot_unref(snap);
	source_free(s);
	assert_int_equal(atomic_load(&f.inited), 1);
	assert_int_equal(atomic_load(&f.finished), 1);
	wake_free(w);
}

/* A partial poll: published at once, the next poll follows without the
 * interval's wait, and the source is complete only after that one. */
static int partial_poll(void *state, void **value, char **cause)
{
	struct fake *f = state;
	int n = atomic_fetch_add(&f->polls, 1) + 1;

	(void)cause;
	if (n == 2)
		time_sleep_ms(300);   /* the rest of the work: complete only after it */
	*value = xmalloc(sizeof(int));
	*(int *)*value = n;
	return n == 1 ? SOURCE_POLL_PARTIAL : 0;
}

static const struct source_ops partial_ops = {
	.kind = "fake",
	.thread_init = fake_init,
	.poll = partial_poll,
	.thread_done = fake_done,
	.free_value = free,
};

static void test_partial_poll_published_then_finished_at_once(void **state)
{
	struct fake f = { 0 };
	/* an hour's interval: a second poll soon is the partial one's follow-up */
	struct source_params p = { .name = "monk/fake", .interval_ms = 3600 * 1000 };
	struct source *s = source_new(&p, &partial_ops, &f, NULL);
	struct snapshot *snap;
	int64_t end = time_mono_ms() + 3000;

	(void)state;
	assert_int_equal(source_start(s, NULL), 0);
	wait_seq(s, 1, 2000);
	snap = source_get(s);
	assert_non_null(snap);
	assert_null(snap->error);
	assert_int_equal(*(int *)snap->value, 1);
	snapshot_unref(snap);
	assert_false(source_complete(s));   /* the follow-up sleeps 300 ms */
	while (!source_complete(s)) {
		assert_true(time_mono_ms() < end);
		time_sleep_ms(5);
	}
	assert_true(source_seq(s) >= 2);
	snap = source_get(s);
	assert_int_equal(*(int *)snap->value, 2);
	snapshot_unref(snap);
	source_free(s);
}

static void test_failure_backoff_and_last_good(void **state)
{
	struct fake f = { 0 };
	struct source_params p = { .name = "x", .interval_ms = 30 };
	struct source *s = source_new(&p, &fake_ops, &f, NULL);
	struct snapshot *snap;
	bool stale;
	int polls_at;

	atomic_store(&f.fail_from, 2);
	assert_int_equal(source_start(s, NULL), 0);
	wait_seq(s, 3, 2000);          /* ok, fail, fail */
	snap = source_get(s);
	assert_non_null(snap->error);
	assert_non_null(strstr(snap->error, "failed"));
	/* the last good value (poll 1) is still there, marked stale */
	assert_int_equal(*(const int *)snapshot_value(snap, &stale), 1);
	assert_true(stale);
	assert_true(snap->last_ok_ms > 0 && snap->last_ok_ms < snap->fetched_ms + 1);
	snapshot_unref(snap);
	assert_true(source_failures(s) >= 2);

	/* backoff: 30 * 2^n ms; after 4 failures the wait is 480 ms, so in
	 * 300 ms at most one more poll happens */
	wait_seq(s, 5, 3000);
	polls_at = atomic_load(&f.polls);
	time_sleep_ms(300);
	assert_true(atomic_load(&f.polls) <= polls_at + 1);

	/* refresh now resets the backoff and polls at once */
	atomic_store(&f.fail_from, 0);
	source_refresh_now(s);
	wait_seq(s, source_seq(s) + 1, 1000);
	time_sleep_ms(100);
	snap = source_get(s);
	assert_null(snap->error);
	assert_int_equal(source_failures(s), 0);
	snapshot_unref(snap);
	source_free(s);
}

static void test_paused_source_polls_only_on_refresh_now(void **state)
{
	struct fake f = { 0 };
	struct source_params p = { .name = "x", .interval_ms = 10 };
	struct source *s = source_new(&p, &fake_ops, &f, NULL);
	int n;

	assert_int_equal(source_start(s, NULL), 0);
	wait_seq(s, 1, 1000);
	source_set_paused(s, true);
	time_sleep_ms(50);
	n = atomic_load(&f.polls);
	time_sleep_ms(150);
	assert_int_equal(atomic_load(&f.polls), n);
	source_refresh_now(s);        /* R works while paused */
	wait_seq(s, (uint64_t)n + 1, 1000);
	source_set_paused(s, false);
	wait_seq(s, (uint64_t)n + 4, 1000);
	source_free(s);
}

static void test_stop_ends_hung_polls_within_a_second(void **state)
{
	struct fake f[3];
	struct source_params p = { .name = "hung", .interval_ms = 10 };
	struct source *s[3];
	int64_t t0;

	for (int i = 0; i < 3; i++) {
		f[i] = (struct fake){ 0 };
		atomic_store(&f[i].hang, 1);
		s[i] = source_new(&p, &fake_ops, &f[i], NULL);
		assert_int_equal(source_start(s[i], NULL), 0);
	}
	time_sleep_ms(100);            /* all three are inside poll now */
	t0 = time_mono_ms();
	for (int i = 0; i < 3; i++)
		source_stop(s[i]);
	for (int i = 0; i < 3; i++)
		assert_int_equal(source_join(s[i], t0 + 1000), 0);
	assert_true(time_mono_ms() - t0 < 1000);
	/* a cancelled poll publishes nothing */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(source_seq(s[i]), 0);
		source_free(s[i]);
		assert_int_equal(atomic_load(&f[i].finished), 1);
	}
}

static void test_first_poll_after_first_delay_unstarted_frees(void **state)
{
	struct fake f = { 0 };
	struct source_params p = { .name = "x", .interval_ms = 1000, .first_delay_ms = 150 };
	struct source *s = source_new(&p, &fake_ops, &f, NULL);
	int64_t t0 = time_mono_ms();

	assert_int_equal(source_start(s, NULL), 0);
	wait_seq(s, 1, 2000);
	assert_true(time_mono_ms() - t0 >= 140);
	source_free(s);
	/* freeing a source that never started is fine */
	source_free(source_new(&p, &fake_ops, &f, NULL));
}

/* The slower sources' intervals: at least the minimum, on refresh ticks. */
static void test_slow_intervals_round_up_to_whole_refreshes(void **state)
{
	(void)state;
	assert_int_equal(feed_whole_refreshes_ms(2000, 5000), 6000);    /* Prometheus, Cloudflare's 5 s */
	assert_int_equal(feed_whole_refreshes_ms(2000, 30000), 30000);  /* already whole */
	assert_int_equal(feed_whole_refreshes_ms(2000, 6000), 6000);
	assert_int_equal(feed_whole_refreshes_ms(7000, 30000), 35000);
	assert_int_equal(feed_whole_refreshes_ms(10000, 5000), 10000);  /* never under the refresh */
	assert_int_equal(feed_whole_refreshes_ms(0, 5000), 6000);       /* unset: 2 s */
	assert_int_equal(feed_whole_refreshes_ms(1500, 2000), 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles_up_to_15_s),
		cmocka_unit_test(test_wake_holds_one_byte_until_drained),
		cmocka_unit_test(test_wait_seq_returns_on_publish_deadline_or_cancel),
		cmocka_unit_test(test_next_tick_aligned_and_too_close_one_skipped),
		cmocka_unit_test(test_slow_intervals_round_up_to_whole_refreshes),
		cmocka_unit_test(test_source_polls_publishes_and_wakes),
		cmocka_unit_test(test_partial_poll_published_then_finished_at_once),
		cmocka_unit_test(test_failure_backoff_and_last_good),
		cmocka_unit_test(test_paused_source_polls_only_on_refresh_now),
		cmocka_unit_test(test_stop_ends_hung_polls_within_a_second),
		cmocka_unit_test(test_first_poll_after_first_delay_unstarted_frees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
