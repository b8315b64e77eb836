/* backoff — see backoff.h. */
#include "core/base/backoff.h"

#include "core/base/timeutil.h"

int64_t backoff_delay_ms(int64_t base_ms, int failures, int64_t cap_ms)
{
	int64_t wait = base_ms > 0 ? base_ms : 1000;

	for (int i = 0; i < failures && wait < cap_ms; i++)
		wait *= 2;
	return wait < cap_ms ? wait : cap_ms;
}

int64_t backoff_jitter_ms(int64_t ms, double r)
{
	double f;
	int64_t out;

	if (!(r >= 0.0))   /* NaN too */
		r = 0.0;
	if (r >= 1.0)
		r = 0.999999;
	f = 1.0 + (2.0 * r - 1.0) * BACKOFF_JITTER_PCT / 100.0;
	out = (int64_t)((double)ms * f);
	return out >= 1 ? out : 1;
}

double backoff_random(uint64_t *state)
{
	uint64_t x = *state;

	if (x == 0)
		x = (uint64_t)time_real_ms() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)state ^
		    (uint64_t)time_mono_ms() << 20;
	if (x == 0)
		x = 0x2545f4914f6cdd1dULL;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	/* the top 53 bits, what a double holds exactly */
	return (double)(x >> 11) / 9007199254740992.0;
}
