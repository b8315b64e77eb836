/* backoff — the waits between retries of something that keeps failing: a
 * base doubled per failure up to a cap, then spread by a random ±20 % so that
 * several kitetops watching the same hosts do not retry in lockstep.
 *
 * The functions are pure (the random value is an argument) so that the
 * sequence can be tested; backoff_random() gives that value from a state the
 * caller keeps per thread. */
#ifndef KITETOP_CORE_BASE_BACKOFF_H
#define KITETOP_CORE_BASE_BACKOFF_H

#include <stdint.h>

#define BACKOFF_JITTER_PCT 20

/* base_ms (1000 when not positive) doubled `failures` times, at most cap_ms. */
int64_t backoff_delay_ms(int64_t base_ms, int failures, int64_t cap_ms);

/* ms moved by up to ±BACKOFF_JITTER_PCT %: r in [0, 1) maps linearly onto
 * [ms * 0.8, ms * 1.2); r outside is clamped.  Never below 1 ms. */
int64_t backoff_jitter_ms(int64_t ms, double r);

/* A value in [0, 1) from *state (xorshift64; a zero state is seeded from the
 * clock and the address of the state, so that processes differ). */
double backoff_random(uint64_t *state);

#endif
