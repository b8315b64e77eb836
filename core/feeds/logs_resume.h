/* logs_resume — which lines of a followed log stream, asked again after it
 * broke, are repeats of lines already shown.
 *
 * A stream asked again starts at the last line's timestamp (the engine's
 * `since`, to the millisecond), so it repeats that line, any others of the
 * same millisecond, and (from an engine that rounds `since` down) some
 * before it.  The struct remembers the newest timestamp seen and the lines
 * of that millisecond (hashes of their text, at most LOGS_RESUME_SEEN); after
 * logs_resume_again(), lines older than it, and lines of that millisecond
 * already seen, are repeats, until the first new line.  Pure; one thread. */
#ifndef KITETOP_CORE_FEEDS_LOGS_RESUME_H
#define KITETOP_CORE_FEEDS_LOGS_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOGS_RESUME_SEEN 64

struct logs_resume {
	int64_t last_ts_ms;              /* the newest line's timestamp; 0: none yet */
	uint64_t seen[LOGS_RESUME_SEEN]; /* hashes of the lines of last_ts_ms */
	unsigned nseen;
	bool resuming;                   /* skipping repeats (logs_resume_again) */
};

/* Empty: no line yet. */
void logs_resume_init(struct logs_resume *r);

/* A new stream from r->last_ts_ms starts: skip its repeats. */
void logs_resume_again(struct logs_resume *r);

/* true when the line (its timestamp, its text of len bytes) is news, and
 * notes it; false for a repeat, to be skipped. */
bool logs_resume_take(struct logs_resume *r, int64_t ts_ms, const char *text, size_t len);

/* The line that marks a gap: "— connection lost HH:MM:SS, resumed
 * HH:MM:SS —" (local time, from wall-clock ms), into out. */
void logs_resume_gap_text(int64_t lost_ms, int64_t resumed_ms, char *out, size_t n);

#endif
