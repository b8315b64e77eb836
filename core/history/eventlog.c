/* eventlog — see eventlog.h.  This file: one line of the log and back, the
 * times in it, --since and the default path; eventlog_file.c has the files. */
#include "core/history/eventlog.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/eventlog_internal.h"

char *eventlog_default_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* A relative XDG_STATE_HOME is to be ignored, as config_env does. */
	if (state != NULL && state[0] == '/')
		return xasprintf("%s/kitetop/events.jsonl", state);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/kitetop/events.jsonl",
		                 strcmp(home, "/") == 0 ? "" : home);
	return NULL;
}

/* ---- times ---- */

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar: no
 * timegm() per line, which keeps reading a big log cheap. */
static int64_t eventlog_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool eventlog_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int eventlog_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && eventlog_leap(y) ? 29 : days[m - 1];
}

/* n decimal digits at *p (within end) into *out, moving *p past them. */
static bool eventlog_digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool eventlog_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* Date and clock, with optional seconds, from *p. */
struct eventlog_civil {
	int y, mo, d, h, mi, s;
};

static bool eventlog_civil_valid(const struct eventlog_civil *c)
{
	return c->mo >= 1 && c->mo <= 12 && c->d >= 1 && c->d <= eventlog_month_days(c->y, c->mo) &&
	       c->h <= 23 && c->mi <= 59 && c->s <= 60;
}

static int64_t eventlog_civil_utc_ms(const struct eventlog_civil *c)
{
	int64_t days = eventlog_days_from_civil(c->y, c->mo, c->d);

	return ((days * 24 + c->h) * 60 + c->mi) * 60000 + (int64_t)c->s * 1000;
}

/* "2026-12-06T03:10:42.120Z" (any number of fraction digits, or none):
 * exactly s[0..n).  The form the writers use; others (an offset) are left
 * to time_parse_iso8601. */
static int eventlog_time_parse(const char *s, size_t n, int64_t *ms)
{
	const char *p = s, *end = s + n;
	struct eventlog_civil c;
	int frac = 0, scale = 100;

	if (!eventlog_digits(&p, end, 4, &c.y) || !eventlog_char(&p, end, '-') ||
	    !eventlog_digits(&p, end, 2, &c.mo) || !eventlog_char(&p, end, '-') ||
	    !eventlog_digits(&p, end, 2, &c.d) || !eventlog_char(&p, end, 'T') ||
	    !eventlog_digits(&p, end, 2, &c.h) || !eventlog_char(&p, end, ':') ||
	    !eventlog_digits(&p, end, 2, &c.mi) || !eventlog_char(&p, end, ':') ||
	    !eventlog_digits(&p, end, 2, &c.s) || !eventlog_civil_valid(&c))
		return -1;
	if (eventlog_char(&p, end, '.')) {
		if (p >= end || *p < '0' || *p > '9')
			return -1;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (!eventlog_char(&p, end, 'Z') || p != end)
		return -1;
	*ms = eventlog_civil_utc_ms(&c) + frac;
	return 0;
}

int eventlog_line_time(const char *line, size_t len, int64_t *ms)
{
	static const char head[] = "{\"time\":\"";
	const char *t, *q;

	if (len < sizeof head - 1 || memcmp(line, head, sizeof head - 1) != 0)
		return -1;
	t = line + sizeof head - 1;
	/* no time is longer than 40 bytes: do not scan a long line for its quote */
	q = memchr(t, '"', len - (size_t)(t - line) < 40 ? len - (size_t)(t - line) : 40);
	if (q == NULL)
		return -1;
	return eventlog_time_parse(t, (size_t)(q - t), ms);
}

/* "2026-12-06T03:10:42.120Z": UTC with milliseconds. */
static void eventlog_time_format(char *out, size_t n, int64_t ms)
{
	int64_t secs = ms / 1000, rem = ms % 1000;
	time_t t;
	struct tm tm;

	if (rem < 0) {
		rem += 1000;
		secs--;
	}
	t = (time_t)secs;
	if (gmtime_r(&t, &tm) == NULL) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = 70;
		tm.tm_mday = 1;
	}
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)rem);
}

/* ---- one line ---- */

/* The length of the valid UTF-8 sequence at s (within n bytes), 0 when it
 * is not one. */
static size_t eventlog_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	/* the second byte's narrower ranges: no overlong forms, surrogates or
	 * code points past U+10FFFF */
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* A copy of the field src (n bytes, NUL-terminated within them or cut
 * there) with each byte of invalid UTF-8 made '?', so that the log stays
 * valid JSON for other readers. */
static void eventlog_clean(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n - 1), i = 0;

	while (i < len) {
		size_t k = eventlog_utf8_len((const unsigned char *)src + i, len - i);

		if (k == 0) {
			dst[i++] = '?';
			continue;
		}
		memcpy(dst + i, src + i, k);
		i += k;
	}
	dst[len] = '\0';
}

#define EVENTLOG_CLEAN(c, e, field) eventlog_clean((c)->field, (e)->field, sizeof (c)->field)

static char *eventlog_format_once(const struct event *e)
{
	cJSON *o = cJSON_CreateObject();
	char when[48], *text, *line;

	if (o == NULL)
		fatal("out of memory");
	eventlog_time_format(when, sizeof when, e->time_ms);
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "kind", event_kind_name(e->kind));
	cJSON_AddStringToObject(o, "level", event_level_name(e->level));
	cJSON_AddStringToObject(o, "host", e->host);
	cJSON_AddStringToObject(o, "object", e->object);
	cJSON_AddStringToObject(o, "from", e->from);
	cJSON_AddStringToObject(o, "to", e->to);
	cJSON_AddStringToObject(o, "detail", e->detail);
	cJSON_AddStringToObject(o, "id", e->id);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatal("out of memory");
	line = xasprintf("%s\n", text);
	cJSON_free(text);
	return line;
}

char *eventlog_format(const struct event *e)
{
	struct event c = { .time_ms = e->time_ms, .kind = e->kind, .level = e->level };
	char *line;
	size_t len;

	EVENTLOG_CLEAN(&c, e, host);
	EVENTLOG_CLEAN(&c, e, object);
	EVENTLOG_CLEAN(&c, e, from);
	EVENTLOG_CLEAN(&c, e, to);
	EVENTLOG_CLEAN(&c, e, detail);
	EVENTLOG_CLEAN(&c, e, id);
	/* Escaped control characters take six bytes each: a line of hostile
	 * text can pass the cap, and then the detail gives way, a sixth of the
	 * excess at a time (a byte at least) so that as much as fits stays. */
	for (;;) {
		size_t dlen, cut, step;

		line = eventlog_format_once(&c);
		len = strlen(line);
		dlen = strlen(c.detail);
		if (len <= EVENTLOG_MAX_LINE || dlen == 0)
			return line;
		free(line);
		step = (len - EVENTLOG_MAX_LINE + 5) / 6;
		cut = dlen > step ? dlen - step : 0;
		while (cut > 0 && ((unsigned char)c.detail[cut] & 0xC0) == 0x80)
			cut--;
		c.detail[cut] = '\0';
	}
}

/* The string at key into field: absent or null is "", another type is not
 * an event.  0 or -1. */
static int eventlog_get_str(const cJSON *o, const char *key, char *field, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL || cJSON_IsNull(v)) {
		field[0] = '\0';
		return 0;
	}
	if (!cJSON_IsString(v))
		return -1;
	event_set(field, n, v->valuestring);
	return 0;
}

#define EVENTLOG_GET(o, key, field) eventlog_get_str((o), (key), (field), sizeof(field))

static int eventlog_get_time(const cJSON *o, int64_t *ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "time");

	if (!cJSON_IsString(v))
		return -1;
	if (eventlog_time_parse(v->valuestring, strlen(v->valuestring), ms) == 0)
		return 0;
	return time_parse_iso8601(v->valuestring, ms);
}

/* An outcome's duration before its error in detail ("in 3.2 s: no such
 * container"): the Events view is where the operator reads how long an
 * action took.  "started" and "refused" lines have none worth saying. */
static void eventlog_audit_duration(const cJSON *o, struct event *e)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "duration_ms");
	char *text;

	if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 1e12 ||
	    (strcmp(e->to, "ok") != 0 && strcmp(e->to, "failed") != 0 &&
	     strcmp(e->to, "unknown") != 0) ||
	    (strcmp(e->to, "failed") == 0 && d->valuedouble == 0))
		return;
	if (d->valuedouble < 1000)
		text = xasprintf("in %.0f ms%s%s", d->valuedouble, e->detail[0] != '\0' ? ": " : "",
		                 e->detail);
	else
		text = xasprintf("in %.1f s%s%s", d->valuedouble / 1000.0,
		                 e->detail[0] != '\0' ? ": " : "", e->detail);
	EVENT_SET(e->detail, text);   /* cut at a character, as any detail */
	free(text);
}

/* A line of the audit log: object = target, from = action, to = result,
 * detail = error; failed is a warning, and so is unknown (the link died
 * with the request out: someone has to look). */
static int eventlog_from_audit(const cJSON *o, struct event *e)
{
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "action")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "result")))
		return -1;
	e->kind = EVENT_ACTION;
	if (EVENTLOG_GET(o, "target", e->object) || EVENTLOG_GET(o, "action", e->from) ||
	    EVENTLOG_GET(o, "result", e->to) || EVENTLOG_GET(o, "error", e->detail) ||
	    EVENTLOG_GET(o, "id", e->id) || EVENTLOG_GET(o, "host", e->host))
		return -1;
	e->level = strcmp(e->to, "failed") == 0 || strcmp(e->to, "unknown") == 0 ?
	           EVENT_LEVEL_WARN : EVENT_LEVEL_OK;
	eventlog_audit_duration(o, e);
	return 0;
}

static int eventlog_from_event(const cJSON *o, struct event *e)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	const cJSON *level = cJSON_GetObjectItemCaseSensitive(o, "level");
	int k, l = EVENT_LEVEL_OK;

	if (!cJSON_IsString(kind) || (k = event_kind_from_name(kind->valuestring)) < 0)
		return -1;
	if (level != NULL && (!cJSON_IsString(level) ||
	                      (l = event_level_from_name(level->valuestring)) < 0))
		return -1;
	e->kind = (enum event_kind)k;
	e->level = (enum event_level)l;
	if (EVENTLOG_GET(o, "host", e->host) || EVENTLOG_GET(o, "object", e->object) ||
	    EVENTLOG_GET(o, "from", e->from) || EVENTLOG_GET(o, "to", e->to) ||
	    EVENTLOG_GET(o, "detail", e->detail) || EVENTLOG_GET(o, "id", e->id))
		return -1;
	return 0;
}

int eventlog_parse(const char *line, size_t len, struct event *e)
{
	const char *end = NULL;
	cJSON *o;
	int rc = -1;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0 || line[0] != '{')
		return -1;
	o = cJSON_ParseWithLengthOpts(line, len, &end, false);
	if (o == NULL)
		return -1;
	/* nothing but blanks after the object */
	while (end != NULL && end < line + len && (*end == ' ' || *end == '\t'))
		end++;
	memset(e, 0, sizeof *e);
	if (cJSON_IsObject(o) && end == line + len && eventlog_get_time(o, &e->time_ms) == 0) {
		if (cJSON_GetObjectItemCaseSensitive(o, "action") != NULL &&
		    cJSON_GetObjectItemCaseSensitive(o, "result") != NULL)
			rc = eventlog_from_audit(o, e);
		else
			rc = eventlog_from_event(o, e);
	}
	cJSON_Delete(o);
	return rc;
}

/* ---- --since ---- */

/* "90s", "15m", "1h", "2d" or plain seconds.  0 or -1. */
static int eventlog_since_duration(const char *s, int64_t *ms)
{
	int64_t v = 0, unit = 1000;
	int n = 0;

	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == 12)   /* so that v * unit cannot overflow */
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -1;
	if (*s == 's')
		s++;
	else if (*s == 'm')
		unit = 60000, s++;
	else if (*s == 'h')
		unit = 3600000, s++;
	else if (*s == 'd')
		unit = 86400000, s++;
	if (*s != '\0')
		return -1;
	*ms = v * unit;
	return 0;
}

/* "2026-12-06", "2026-12-06T03:00", "2026-12-06 03:00:00", a trailing Z
 * for UTC, else local time.  0 or -1. */
static int eventlog_since_time(const char *s, int64_t *ms)
{
	const char *p = s, *end = s + strlen(s);
	struct eventlog_civil c = { 0 };
	bool utc;
	struct tm tm;
	time_t t;

	if (!eventlog_digits(&p, end, 4, &c.y) || !eventlog_char(&p, end, '-') ||
	    !eventlog_digits(&p, end, 2, &c.mo) || !eventlog_char(&p, end, '-') ||
	    !eventlog_digits(&p, end, 2, &c.d))
		return -1;
	if (eventlog_char(&p, end, 'T') || eventlog_char(&p, end, ' ')) {
		if (!eventlog_digits(&p, end, 2, &c.h) || !eventlog_char(&p, end, ':') ||
		    !eventlog_digits(&p, end, 2, &c.mi))
			return -1;
		if (eventlog_char(&p, end, ':') && !eventlog_digits(&p, end, 2, &c.s))
			return -1;
	}
	utc = eventlog_char(&p, end, 'Z');
	if (p != end || !eventlog_civil_valid(&c) || c.y < 1970)
		return -1;
	if (utc) {
		*ms = eventlog_civil_utc_ms(&c);
		return 0;
	}
	tm = (struct tm){ .tm_year = c.y - 1900, .tm_mon = c.mo - 1, .tm_mday = c.d,
	                  .tm_hour = c.h, .tm_min = c.mi, .tm_sec = c.s, .tm_isdst = -1 };
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000;
	return 0;
}

int eventlog_parse_since(const char *s, int64_t now_ms, int64_t *out_ms, char **cause)
{
	int64_t v;

	if (s != NULL && eventlog_since_duration(s, &v) == 0) {
		*out_ms = now_ms - v;
		return 0;
	}
	if (s != NULL && eventlog_since_time(s, &v) == 0) {
		*out_ms = v;
		return 0;
	}
	util_set_cause(cause,
	               "--since %s: not a duration (90s, 15m, 1h, 2d) nor a time "
	               "(2026-12-06, 2026-12-06T03:00, 2026-12-06 03:00:00; local, Z for UTC)",
	               s != NULL ? s : "");
	return -1;
}
