/* textview — a scrolling view of lines with search (the logs and the
 * container detail): where it is (top line, following the end), the search
 * query and its current match.  An open struct the UI embeds; the lines are
 * the caller's (it may hold only the rows on screen), so the state is plain
 * numbers and the scrolling and search rules are pure functions that unit
 * tests check.  textview_draw_line() draws one line with the query's
 * matches highlighted. */
#ifndef KITETOP_WIDGETS_TEXTVIEW_H
#define KITETOP_WIDGETS_TEXTVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/provide_curses.h"

#define TEXTVIEW_QUERY_MAX 128

struct textview {
	size_t top;                     /* first line shown */
	bool follow;                    /* keep the last line in view */
	int page;                       /* rows shown at the last layout */
	char query[TEXTVIEW_QUERY_MAX]; /* the search, "" none */
	long match;                     /* the line of the current match, -1 none */
};

void textview_init(struct textview *tv, bool follow);
/* Scrolls by delta lines (stops following; clamped at the top here and at
 * the end by textview_layout). */
void textview_scroll(struct textview *tv, long delta);
void textview_home(struct textview *tv);
void textview_end(struct textview *tv);      /* and follow */
/* A page for PgUp/PgDn: the rows shown less one (at least 1). */
long textview_page(const struct textview *tv);
/* Clamps for n lines in h rows (following: the end in view) and returns the
 * first line to draw. */
size_t textview_layout(struct textview *tv, size_t n, int h);
/* The first d lines went away (a cap on lines kept): the place and the
 * match move with their lines; a match among the gone ones is none. */
void textview_dropped(struct textview *tv, size_t d);
/* Scrolls so that line is in view (stops following), a third down the page. */
void textview_show(struct textview *tv, size_t line);

/* Pure.  The byte offset of the first case-insensitive (ASCII) occurrence of
 * q in s at or after byte from, or -1 (an empty q matches nothing). */
long textview_match(const char *s, const char *q, size_t from);
/* Pure.  The first line after `from` (dir > 0) or before it (dir < 0) that
 * contains q, wrapping around; from < 0 starts at the start (dir > 0) or
 * the end.  -1 when no line does. */
long textview_find(const char *const *lines, size_t n, long from, int dir, const char *q);

/* Draws s at (y, x), at most width columns, with attributes a and every
 * match of q (may be NULL or "") in hl. */
void textview_draw_line(WINDOW *w, int y, int x, int width, attr_t a, attr_t hl, const char *s,
                        const char *q);

#endif
