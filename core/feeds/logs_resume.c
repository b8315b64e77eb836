/* logs_resume — see logs_resume.h. */
#include "core/feeds/logs_resume.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* FNV-1a, 64 bits: lines of one millisecond told apart by their text. */
static uint64_t logs_resume_hash(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void logs_resume_init(struct logs_resume *r)
{
	memset(r, 0, sizeof *r);
}

void logs_resume_again(struct logs_resume *r)
{
	r->resuming = r->last_ts_ms > 0;
}

bool logs_resume_take(struct logs_resume *r, int64_t ts_ms, const char *text, size_t len)
{
	uint64_t h = logs_resume_hash(text, len);

	if (r->resuming) {
		if (ts_ms < r->last_ts_ms)
			return false;
		if (ts_ms == r->last_ts_ms)
			for (unsigned i = 0; i < r->nseen; i++)
				if (r->seen[i] == h)
					return false;
		r->resuming = false;
	}
	if (ts_ms > r->last_ts_ms) {
		r->last_ts_ms = ts_ms;
		r->nseen = 0;
	}
	if (ts_ms == r->last_ts_ms && r->nseen < LOGS_RESUME_SEEN)
		r->seen[r->nseen++] = h;
	return true;
}

static void logs_resume_clock(int64_t ms, char *out, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, n, "%H:%M:%S", &tm) == 0)
		snprintf(out, n, "?");
}

void logs_resume_gap_text(int64_t lost_ms, int64_t resumed_ms, char *out, size_t n)
{
	char lost[16], resumed[16];

	logs_resume_clock(lost_ms, lost, sizeof lost);
	logs_resume_clock(resumed_ms, resumed, sizeof resumed);
	snprintf(out, n, "\xe2\x80\x94 connection lost %s, resumed %s \xe2\x80\x94", lost, resumed);
}
