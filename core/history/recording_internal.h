/* recording's internals, shared by its writer (recording.c) and its reader
 * (recording_read.c): the limits and a document seen as lines. */
#ifndef KITETOP_CORE_HISTORY_RECORDING_INTERNAL_H
#define KITETOP_CORE_HISTORY_RECORDING_INTERNAL_H

#include <stddef.h>

#include "core/history/recording.h"

/* A document is at most what frame_json reads (FRAME_JSON_MAX_BYTES) and
 * at most this many lines; a line of the file (a frame as JSON, its text
 * escaped) at most twice that and some. */
#define RECORDING_MAX_DOC (64u * 1024 * 1024)
#define RECORDING_MAX_LINES (8u * 1024 * 1024)
#define RECORDING_MAX_LINE (2u * RECORDING_MAX_DOC + 64u * 1024)
#define RECORDING_FORMAT 1

/* A document as lines: the text between newlines, so that the lines joined
 * with '\n' are the document again, whatever it ends with.  Line k is
 * doc[off[k] .. off[k + 1] - 1) (off[n] is len + 1, past a newline that is
 * not there). */
struct rec_lines {
	const char *doc;     /* borrowed */
	size_t len;
	size_t n;            /* at least 1: "" is one empty line */
	size_t *off;         /* [n + 1], owned */
};

/* Splits doc; -1 when it has over RECORDING_MAX_LINES lines. */
int rec_lines_split(struct rec_lines *l, const char *doc, size_t len);
void rec_lines_done(struct rec_lines *l);

static inline const char *rec_line(const struct rec_lines *l, size_t k)
{
	return l->doc + l->off[k];
}

static inline size_t rec_line_len(const struct rec_lines *l, size_t k)
{
	return l->off[k + 1] - l->off[k] - 1;
}

#endif
