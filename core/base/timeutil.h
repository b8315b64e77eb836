/* timeutil — clocks and the way kitetop writes times and ages. */
#ifndef KITETOP_CORE_BASE_TIMEUTIL_H
#define KITETOP_CORE_BASE_TIMEUTIL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

int64_t time_mono_ms(void);   /* CLOCK_MONOTONIC, for intervals and deadlines */
int64_t time_real_ms(void);   /* wall clock, ms since the epoch, for display and JSON */

/* "0s", "59s", "3m", "2h", "4d": the age labels of the UI (coarse on purpose,
 * so a label changes at most once a second and mostly less). */
void time_format_age(char *out, size_t n, int64_t age_ms);
/* "3h12m", "5d02h", "42s": a duration such as an uptime. */
void time_format_duration(char *out, size_t n, int64_t secs);
/* "2026-11-22T06:00:00Z" (UTC). */
void time_format_iso8601(char *out, size_t n, int64_t real_ms);
/* Parses RFC 3339 ("2026-11-21T10:00:00.123456789Z", "...+01:00").  0 or -1. */
int time_parse_iso8601(const char *s, int64_t *out_real_ms);
/* Sleeps ms milliseconds (EINTR-safe). */
void time_sleep_ms(int64_t ms);
/* A condition variable whose timed waits run on CLOCK_MONOTONIC (a wall
 * clock step neither cuts nor stretches them). */
void time_cond_init_mono(pthread_cond_t *cv);
/* pthread_cond_timedwait() on such a variable until mono_ms (time_mono_ms()). */
void time_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t mono_ms);

#endif
