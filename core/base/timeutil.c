#include "core/base/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int64_t time_real_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

void time_format_age(char *out, size_t n, int64_t age_ms)
{
	int64_t s = age_ms < 0 ? 0 : age_ms / 1000;

	if (s < 60)
		snprintf(out, n, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(out, n, "%lldm", (long long)(s / 60));
	else if (s < 86400)
		snprintf(out, n, "%lldh", (long long)(s / 3600));
	else
		snprintf(out, n, "%lldd", (long long)(s / 86400));
}

void time_format_duration(char *out, size_t n, int64_t secs)
{
	long long s = secs < 0 ? 0 : (long long)secs;

	if (s < 60)
		snprintf(out, n, "%llds", s);
	else if (s < 3600)
		snprintf(out, n, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, n, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
	else
		snprintf(out, n, "%lldd%02lldh", s / 86400, (s % 86400) / 3600);
}

void time_format_iso8601(char *out, size_t n, int64_t real_ms)
{
	time_t t = (time_t)(real_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char **p, int count, int *out)
{
	int v = 0, i;

	for (i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += count;
	*out = v;
	return 0;
}

int time_parse_iso8601(const char *s, int64_t *out_real_ms)
{
	struct tm tm;
	int year, mon, day, hh, mm, ss, ms = 0, off = 0;
	const char *p = s;
	time_t t;

	if (s == NULL)
		return -1;
	if (digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &mon) || *p++ != '-' ||
	    digits(&p, 2, &day) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &hh) || *p++ != ':' || digits(&p, 2, &mm) || *p++ != ':' ||
	    digits(&p, 2, &ss))
		return -1;
	if (*p == '.') {
		int scale = 100;

		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			ms += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, sign = *p == '-' ? -1 : 1;

		p++;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
		off = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (*p != '\0' || mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 ||
	    ss > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	*out_real_ms = ((int64_t)t - off) * 1000 + ms;
	return 0;
}

void time_sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void time_cond_init_mono(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

void time_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t mono_ms)
{
	struct timespec ts = { .tv_sec = (time_t)(mono_ms / 1000),
	                       .tv_nsec = (long)(mono_ms % 1000) * 1000000L };

	pthread_cond_timedwait(cv, mu, &ts);
}
