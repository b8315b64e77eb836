/* Unit tests of ssh_pump_queue: which waiting tunnel connection gets a
 * channel, when none may, which idle kept connection gives its channel up,
 * and how the transport's arrays grow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "backends/transport/ssh_pump_queue.h"
#include "backends/transport/transport_ssh.h"

#define NOW 100000

static struct ssh_pump_queue_item waiting(uint64_t seq)
{
	return (struct ssh_pump_queue_item){ .waiting = true, .seq = seq };
}

static struct ssh_pump_queue_item busy(void)
{
	return (struct ssh_pump_queue_item){ .channel = true };
}

/* open, idle (reclaimable) since NOW - ms */
static struct ssh_pump_queue_item idle(int64_t ms)
{
	return (struct ssh_pump_queue_item){ .channel = true, .reclaimable = true,
		.idle_since = NOW - ms };
}

static void pick(const struct ssh_pump_queue_item *items, size_t n, size_t max,
    struct ssh_pump_queue_pick *out)
{
	ssh_pump_queue_pick(items, n, max, NOW, out);
}

/* the earliest accepted waits least, wherever the array put it */
static void test_earliest_first(void **state)
{
	struct ssh_pump_queue_item it[] = { waiting(7), busy(), waiting(3), waiting(5) };
	struct ssh_pump_queue_pick p;

	(void)state;
	pick(it, 4, 4, &p);
	assert_int_equal(p.open, 2);
	assert_int_equal(p.reclaim, 4);
	assert_int_equal(p.channels, 1);
	assert_int_equal(p.waiting, 3);
}

/* an urgent one (the Docker engine's) opens before earlier ones; among the
 * urgent, the earliest */
static void test_urgent_first(void **state)
{
	struct ssh_pump_queue_item it[] = { waiting(1), waiting(9), waiting(2), waiting(4) };
	struct ssh_pump_queue_pick p;

	(void)state;
	it[1].urgent = it[3].urgent = true;
	pick(it, 4, 4, &p);
	assert_int_equal(p.open, 3);
	it[3].waiting = false;
	it[3].channel = true;
	pick(it, 4, 4, &p);
	assert_int_equal(p.open, 1);
	it[1].urgent = false;
	pick(it, 4, 4, &p);
	assert_int_equal(p.open, 0);
}

/* every channel taken: nobody opens, nobody is refused (they stay waiting) */
static void test_full_waits(void **state)
{
	struct ssh_pump_queue_item it[] = { busy(), busy(), waiting(1), waiting(2) };
	struct ssh_pump_queue_pick p;

	(void)state;
	pick(it, 4, 2, &p);
	assert_int_equal(p.open, 4);
	assert_int_equal(p.reclaim, 4);
	assert_int_equal(p.waiting, 2);
	/* one channel more allowed: the earliest opens */
	pick(it, 4, 3, &p);
	assert_int_equal(p.open, 2);
}

/* nothing waits: nothing to do, idle kept connections stay */
static void test_nothing_waits(void **state)
{
	struct ssh_pump_queue_item it[] = { idle(5000), idle(9000), busy() };
	struct ssh_pump_queue_pick p;

	(void)state;
	pick(it, 3, 3, &p);
	assert_int_equal(p.open, 3);
	assert_int_equal(p.reclaim, 3);
	assert_int_equal(p.channels, 3);
	pick(it, 0, 3, &p);
	assert_int_equal(p.open, 0);
	assert_int_equal(p.reclaim, 0);
}

/* full with a connection waiting: the longest idle gives its channel up,
 * but only one idle long enough, and not one that is busy */
static void test_reclaim_idlest(void **state)
{
	struct ssh_pump_queue_item it[] = { idle(600), busy(), idle(4000), idle(100),
		waiting(9) };
	struct ssh_pump_queue_pick p;

	(void)state;
	pick(it, 5, 4, &p);
	assert_int_equal(p.open, 5);
	assert_int_equal(p.reclaim, 2);
	/* idle for less than SSH_PUMP_IDLE_RECLAIM_MS: kept, the waiting one waits */
	it[0] = idle(SSH_PUMP_IDLE_RECLAIM_MS - 1);
	it[2] = idle(10);
	pick(it, 5, 4, &p);
	assert_int_equal(p.reclaim, 5);
	it[0] = idle(SSH_PUMP_IDLE_RECLAIM_MS);
	pick(it, 5, 4, &p);
	assert_int_equal(p.reclaim, 0);
	/* a free channel: open, nothing closed */
	pick(it, 5, 5, &p);
	assert_int_equal(p.open, 4);
	assert_int_equal(p.reclaim, 5);
}

/* a channel already being freed makes room for one waiting connection: no
 * second idle one is closed for it */
static void test_reclaim_counts_closing(void **state)
{
	struct ssh_pump_queue_item it[] = { idle(5000), idle(6000), busy(), waiting(1) };
	struct ssh_pump_queue_pick p;

	(void)state;
	it[2].closing = true;
	pick(it, 4, 3, &p);
	assert_int_equal(p.closing, 1);
	assert_int_equal(p.reclaim, 4);
	/* a second one waits: one more idle channel goes, the idlest */
	it[2] = busy();
	it[2].closing = true;
	{
		struct ssh_pump_queue_item more[] = { it[0], it[1], it[2], it[3], waiting(2) };

		pick(more, 5, 3, &p);
		assert_int_equal(p.reclaim, 1);
		assert_int_equal(p.open, 5);
	}
}

/* the figures of a host with 100 services behind a bound of 64: the first 64
 * open, the rest wait in order */
static void test_hundred(void **state)
{
	struct ssh_pump_queue_item it[100];
	struct ssh_pump_queue_pick p;
	size_t opened = 0;

	(void)state;
	for (size_t i = 0; i < 100; i++)
		it[i] = waiting(100 - i);   /* accepted last first in the array */
	for (;;) {
		pick(it, 100, 64, &p);
		if (p.open == 100)
			break;
		/* the earliest accepted still waiting: the highest index */
		assert_int_equal(p.open, 99 - opened);
		it[p.open] = busy();
		opened++;
	}
	assert_int_equal(opened, 64);
	assert_int_equal(p.channels, 64);
	assert_int_equal(p.waiting, 36);
	assert_int_equal(p.reclaim, 100);
}

static void test_grow(void **state)
{
	(void)state;
	assert_int_equal(ssh_pump_queue_grow(0, 1, 1024), 8);
	assert_int_equal(ssh_pump_queue_grow(8, 8, 1024), 8);
	assert_int_equal(ssh_pump_queue_grow(8, 9, 1024), 16);
	assert_int_equal(ssh_pump_queue_grow(16, 100, 1024), 128);
	assert_int_equal(ssh_pump_queue_grow(512, 513, 1024), 1024);
	assert_int_equal(ssh_pump_queue_grow(600, 601, 1000), 1000);
	assert_int_equal(ssh_pump_queue_grow(1024, 1024, 1024), 1024);
	assert_int_equal(ssh_pump_queue_grow(1024, 1025, 1024), 0);
	assert_int_equal(ssh_pump_queue_grow(0, 5, 4), 0);
	/* the transport's: no fixed 32 any more, 1024 at most */
	assert_true(TRANSPORT_SSH_MAX_LISTENERS >= 1024);
	assert_true(TRANSPORT_SSH_MAX_CHANNELS <= TRANSPORT_SSH_MAX_BRIDGES);
}

/* growing one endpoint at a time reaches the bound exactly and no further */
static void test_grow_steps(void **state)
{
	size_t cap = 0, n;

	(void)state;
	for (n = 1; n <= TRANSPORT_SSH_MAX_LISTENERS; n++) {
		size_t c = ssh_pump_queue_grow(cap, n, TRANSPORT_SSH_MAX_LISTENERS);

		assert_true(c >= n && c >= cap && c <= TRANSPORT_SSH_MAX_LISTENERS);
		cap = c;
	}
	assert_int_equal(cap, TRANSPORT_SSH_MAX_LISTENERS);
	assert_int_equal(ssh_pump_queue_grow(cap, n, TRANSPORT_SSH_MAX_LISTENERS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_earliest_first),
		cmocka_unit_test(test_urgent_first),
		cmocka_unit_test(test_full_waits),
		cmocka_unit_test(test_nothing_waits),
		cmocka_unit_test(test_reclaim_idlest),
		cmocka_unit_test(test_reclaim_counts_closing),
		cmocka_unit_test(test_hundred),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_grow_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
