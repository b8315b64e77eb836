/* eventlog_internal — what eventlog.c (lines and times) shares with
 * eventlog_file.c (the files: append, rotate, read). */
#ifndef KITETOP_CORE_HISTORY_EVENTLOG_INTERNAL_H
#define KITETOP_CORE_HISTORY_EVENTLOG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The time a line's leading "time" says, without parsing the rest of the
 * line: what the writers put first ({"time":"2026-12-06T03:10:42.120Z",
 * the audit log's without the milliseconds).  0, or -1 when the line does
 * not start that way (then only a full parse can tell). */
int eventlog_line_time(const char *line, size_t len, int64_t *ms);

#endif
