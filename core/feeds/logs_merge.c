/* logs_merge — see logs_merge.h. */
#include "core/feeds/logs_merge.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/util.h"

/* A merged line and the time it sorts by. */
struct merge_item {
	int64_t ts;
	struct logs_merge_ref ref;
};

/* By time, then host, then the host's own order: a total order, so the
 * sort is stable without asking qsort to be. */
static int merge_cmp(const void *a, const void *b)
{
	const struct merge_item *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->ref.src != y->ref.src)
		return x->ref.src < y->ref.src ? -1 : 1;
	return x->ref.line < y->ref.line ? -1 : x->ref.line > y->ref.line;
}

size_t logs_merge(const struct logs_merge_src *src, size_t nsrc, struct logs_merge_ref *out)
{
	size_t total = 0, k = 0;
	struct merge_item *v;

	for (size_t s = 0; s < nsrc; s++)
		total += src[s].n;
	v = xcalloc(total + 1, sizeof *v);
	for (size_t s = 0; s < nsrc; s++) {
		int64_t prev = 0;

		/* a sort, not a k-way merge: one host's lines are nearly always in
		 * time order, but an engine that sends one out of order must not
		 * hold back everything after it */
		for (size_t i = 0; i < src[s].n; i++) {
			/* a line without a time stays after its host's previous one */
			prev = src[s].lines[i].ts_ms > 0 ? src[s].lines[i].ts_ms : prev;
			v[k++] = (struct merge_item){ prev, { .src = s, .line = i } };
		}
	}
	qsort(v, k, sizeof *v, merge_cmp);
	for (size_t i = 0; i < k; i++)
		out[i] = v[i].ref;
	free(v);
	return k;
}

static const struct { const char *label; int64_t secs; } since_choices[] = {
	{ "1m", 60 }, { "10m", 600 }, { "1h", 3600 }, { "all", 0 },
};

size_t logs_since_count(void)
{
	return UTIL_ARRAY_LEN(since_choices);
}

const char *logs_since_label(size_t i)
{
	return since_choices[i < logs_since_count() ? i : LOGS_SINCE_DEFAULT].label;
}

int64_t logs_since_seconds(size_t i)
{
	return since_choices[i < logs_since_count() ? i : LOGS_SINCE_DEFAULT].secs;
}

size_t logs_since_step(size_t i, int dir)
{
	if (dir > 0)
		return i + 1 < logs_since_count() ? i + 1 : i;
	return i > 0 ? i - 1 : 0;
}

int64_t logs_since_parse(const char *s)
{
	char *end;
	long long v;
	int64_t unit;

	if (s == NULL)
		return -1;
	if (strcmp(s, "all") == 0)
		return 0;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	/* a year is plenty; more is a typo */
	if (end[1] != '\0' || v <= 0 || v > 366LL * 86400 / unit)
		return -1;
	return (int64_t)v * unit;
}

int logs_regex_compile(regex_t *re, const char *pattern, char *err, size_t errsz)
{
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_ICASE);

	if (rc == 0)
		return 0;
	regerror(rc, re, err, errsz);
	regfree(re);   /* what regcomp may have allocated before it failed */
	return -1;
}

bool logs_regex_find(const regex_t *re, const char *s, size_t from, size_t *so, size_t *eo)
{
	regmatch_t m;
	size_t len = strlen(s);

	while (from <= len) {
		if (regexec(re, s + from, 1, &m, from > 0 ? REG_NOTBOL : 0) != 0)
			return false;
		if (m.rm_eo > m.rm_so) {
			*so = from + (size_t)m.rm_so;
			*eo = from + (size_t)m.rm_eo;
			return true;
		}
		/* an empty match (a*, ^): look past it */
		from += (size_t)m.rm_so + 1;
	}
	return false;
}

long logs_regex_next(const regex_t *re, const char *const *lines, size_t n, long from, int dir)
{
	size_t so, eo;
	long i;

	if (n == 0)
		return -1;
	if (from < 0 || (size_t)from >= n)
		from = dir > 0 ? -1 : (long)n;
	i = from;
	for (size_t k = 0; k < n; k++) {
		i += dir > 0 ? 1 : -1;
		if (i < 0)
			i = (long)n - 1;
		else if ((size_t)i >= n)
			i = 0;
		if (logs_regex_find(re, lines[i], 0, &so, &eo))
			return i;
	}
	return -1;
}

void logs_format_clock(char *out, size_t n, int64_t ts_ms)
{
	time_t t = (time_t)(ts_ms / 1000);
	struct tm tm;

	if (ts_ms <= 0 || gmtime_r(&t, &tm) == NULL) {
		util_strlcpy(out, "", n);
		return;
	}
	snprintf(out, n, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts_ms % 1000));
}

int logs_format_line(FILE *f, const char *host, int hostw, int64_t ts_ms, const char *text)
{
	time_t t = (time_t)(ts_ms / 1000);
	struct tm tm;
	char when[80] = "-";

	if (ts_ms > 0 && gmtime_r(&t, &tm) != NULL)
		snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts_ms % 1000));
	return fprintf(f, "%-*s  %s  %s\n", hostw, host, when, text) < 0 ? -1 : 0;
}

void logs_save_name(char *out, size_t n, const char *service, int64_t real_ms)
{
	time_t t = (time_t)(real_ms / 1000);
	struct tm tm;
	char stamp[32] = "00000000-000000", *safe = xstrdup(service);

	for (char *p = safe; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			*p = '_';
	if (gmtime_r(&t, &tm) != NULL)
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(out, n, "./kitetop-logs-%s-%s.txt", safe, stamp);
	free(safe);
}
