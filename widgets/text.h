/* text — UTF-8 text clipped to a number of terminal columns.
 *
 * Widths come from wcwidth() in the current locale (the UI calls
 * setlocale(LC_ALL, "") first): a wide CJK character takes two columns, a
 * combining mark none (it stays with the character before it).  Bytes that are
 * not UTF-8 and control characters count one column and are drawn as '?'; in a
 * locale that is not UTF-8 every non-ASCII character is drawn as '?'; a
 * character the locale cannot print counts one column and is drawn as U+FFFD. */
#ifndef KITETOP_WIDGETS_TEXT_H
#define KITETOP_WIDGETS_TEXT_H

#include <stddef.h>

#include "widgets/provide_curses.h"

/* Pure.  The byte length of the longest prefix of s that fits in maxw columns
 * (a wide character that would straddle the edge is left out; combining marks
 * after the last character that fits are kept).  *cols (may be NULL) gets the
 * columns that prefix takes.  maxw <= 0 gives 0. */
size_t text_clip(const char *s, int maxw, int *cols);

/* Pure.  The columns s takes. */
int text_width(const char *s);

/* Draws s at (y, x) of w with attributes a, at most maxw columns of it, and
 * returns the columns written.  The window's own attributes are left as they
 * were. */
int text_put(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s);

#endif
