/* sparkline — a history of values drawn as a tiny graph.
 *
 * Braille (htop's and btop's 5x5 table: two samples a cell, the left one in
 * the cell's left dot column, index left * 5 + right, 0..4 dots each), with
 * the block fallback ▁▂▃▄▅▆▇█ and the ASCII fallback " .:|" (one sample a
 * cell).  The newest sample is at the right. */
#ifndef KITETOP_WIDGETS_SPARKLINE_H
#define KITETOP_WIDGETS_SPARKLINE_H

#include <stddef.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

enum sparkline_glyphs { SPARK_BRAILLE, SPARK_BLOCK, SPARK_ASCII };

struct sparkline;

/* A history of at most capacity values (at least 1); the oldest is dropped
 * when it is full.  Caller frees with sparkline_free. */
struct sparkline *sparkline_new(size_t capacity);
void sparkline_free(struct sparkline *s);
void sparkline_push(struct sparkline *s, double v);
void sparkline_clear(struct sparkline *s);
size_t sparkline_len(const struct sparkline *s);
/* The i-th value, 0 the oldest; NAN when i >= len. */
double sparkline_at(const struct sparkline *s, size_t i);

/* Draws the newest values that fit into r (all of its rows, right-aligned;
 * braille when p->utf8, else ASCII), in THEME_SPARK.  max <= 0: the largest
 * value shown is the top.  Clears r first. */
void sparkline_draw(const struct sparkline *s, WINDOW *w, struct rect r,
		    const struct palette *p, double max);

/* Pure: encodes n values as height_rows rows of glyphs, top row first, rows
 * separated by '\n' (none after the last), into out, always NUL-terminated and
 * cut at a glyph boundary when outsz is too small.  A value's height is
 * v / max of the rows' dots (4 a braille row, 8 a block row, 3 an ASCII row),
 * rounded, at least one dot when v > 0; v <= 0 or NaN is empty, v > max full.
 * max <= 0: the largest of the values.  Braille takes the values in pairs; when
 * n is odd the first cell's left half is empty.  Returns the length the whole
 * output needs (like snprintf), without the NUL. */
size_t sparkline_encode(const double *v, size_t n, double max, int height_rows,
			enum sparkline_glyphs glyphs, char *out, size_t outsz);

#endif
