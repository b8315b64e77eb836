/* logs_merge — the pure parts of a service's logs from every host (the
 * Services view's L, `kitetop logs SERVICE --all-hosts`): the lines of
 * each host's stream merged by the engine's timestamp, the "since" choices,
 * the regex search, and the saved file's name and lines.
 *
 * Each host's stream (core/feeds/logs) keeps its own buffer in the order
 * its engine sent it, which is that container's time order.  Merging them
 * again at every draw puts a late line from a slow host in its place among
 * the lines already shown, with no bookkeeping to get wrong. */
#ifndef KITETOP_CORE_FEEDS_LOGS_MERGE_H
#define KITETOP_CORE_FEEDS_LOGS_MERGE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/feeds/logs.h"

/* One host's lines, in the order its stream gave them. */
struct logs_merge_src {
	const struct logs_line *lines;
	size_t n;
};

/* One merged line: which host, which of its lines. */
struct logs_merge_ref {
	size_t src;
	size_t line;
};

/* Merges nsrc hosts' lines by timestamp into out (room for the sum of the
 * counts); returns how many.  Equal times go in the hosts' order, then each
 * host's own; a line without a timestamp (0) keeps its place after its
 * host's previous one. */
size_t logs_merge(const struct logs_merge_src *src, size_t nsrc, struct logs_merge_ref *out);

/* The "since" choices, narrowest first: 1m, 10m (the default), 1h, all. */
#define LOGS_SINCE_DEFAULT 1
size_t logs_since_count(void);
const char *logs_since_label(size_t i);     /* "1m" ... "all" */
int64_t logs_since_seconds(size_t i);       /* 60 ... 0 (all) */
/* The next wider (dir > 0) or narrower choice, clamped. */
size_t logs_since_step(size_t i, int dir);
/* "30s", "10m", "2h", "1d" or "all" into seconds (0 for all); -1 when not
 * a duration. */
int64_t logs_since_parse(const char *s);

/* A POSIX extended regex, case-insensitive (as the search of the other
 * viewers); 0, or -1 with regerror's words in err. */
int logs_regex_compile(regex_t *re, const char *pattern, char *err, size_t errsz);
/* The first match in s at or after byte from: true with [*so, *eo)
 * (an empty match counts as none). */
bool logs_regex_find(const regex_t *re, const char *s, size_t from, size_t *so, size_t *eo);
/* The first of n lines after from (dir > 0) or before it that matches,
 * wrapping around; from < 0 starts at one end.  -1 when none does. */
long logs_regex_next(const regex_t *re, const char *const *lines, size_t n, long from, int dir);

/* "12:00:01.234" (UTC) of a timestamp; "" for none. */
void logs_format_clock(char *out, size_t n, int64_t ts_ms);
/* One saved or printed line: the host padded to hostw, the full UTC time
 * ("2026-12-06T12:00:01.234Z", "-" for none), the text; with '\n'. */
int logs_format_line(FILE *f, const char *host, int hostw, int64_t ts_ms, const char *text);
/* "./kitetop-logs-SERVICE-YYYYmmdd-HHMMSS.txt" for a service at real_ms
 * (UTC); characters other than letters, digits, '-', '_' and '.' become
 * '_' so a name cannot reach another directory. */
void logs_save_name(char *out, size_t n, const char *service, int64_t real_ms);

#endif
