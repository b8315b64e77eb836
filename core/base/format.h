/* format — figures as short text for people: sizes, rates, percentages.
 * Pure functions writing into a caller's buffer (always NUL-terminated). */
#ifndef KITETOP_CORE_BASE_FORMAT_H
#define KITETOP_CORE_BASE_FORMAT_H

#include <stddef.h>

/* 1023 → "1023 B", 1536 → "1.5 KiB", 5e9 → "4.7 GiB" */
void format_bytes(char *out, size_t n, double bytes);
/* as format_bytes with "/s" */
void format_rate(char *out, size_t n, double bytes_per_s);
/* 12.345 → "12.3%", 100 → "100%" */
void format_pct(char *out, size_t n, double pct);

#endif
