/* sparkline — a ring of values and its braille / block / ASCII encoder. */
#include "widgets/sparkline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "widgets/text.h"

struct sparkline {
	double *v;
	size_t cap, len, head;   /* head: where the oldest value is */
};

struct sparkline *sparkline_new(size_t capacity)
{
	struct sparkline *s = xcalloc(1, sizeof *s);

	s->cap = capacity > 0 ? capacity : 1;
	s->v = xreallocarray(NULL, s->cap, sizeof *s->v);
	return s;
}

void sparkline_free(struct sparkline *s)
{
	if (s == NULL)
		return;
	free(s->v);
	free(s);
}

void sparkline_push(struct sparkline *s, double v)
{
	if (s->len < s->cap) {
		s->v[(s->head + s->len) % s->cap] = v;
		s->len++;
	} else {
		s->v[s->head] = v;
		s->head = (s->head + 1) % s->cap;
	}
}

void sparkline_clear(struct sparkline *s)
{
	s->len = 0;
	s->head = 0;
}

size_t sparkline_len(const struct sparkline *s)
{
	return s->len;
}

double sparkline_at(const struct sparkline *s, size_t i)
{
	if (i >= s->len)
		return NAN;
	return s->v[(s->head + i) % s->cap];
}

/* ---- the encoder ---- */

static int sparkline_level(double v, double max, int levels)
{
	int n;

	if (isnan(v) || v <= 0.0 || max <= 0.0)
		return 0;
	if (v >= max)
		return levels;
	n = (int)floor(v / max * levels + 0.5);
	if (n < 1)
		n = 1;
	return n > levels ? levels : n;
}

static int sparkline_row_level(int level, int row, int per_row)
{
	int l = level - row * per_row;

	return l < 0 ? 0 : l > per_row ? per_row : l;
}

/* Writes the UTF-8 of cp (< 0x10000) into g; returns its length. */
static size_t sparkline_utf8(unsigned cp, char *g)
{
	if (cp < 0x80) {
		g[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		g[0] = (char)(0xc0 | cp >> 6);
		g[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	g[0] = (char)(0xe0 | cp >> 12);
	g[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	g[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* The braille cell with l dots stacked from the bottom of its left column and
 * r of its right (0..4 each): the 5x5 table, computed from the dot bits. */
static unsigned sparkline_braille(int l, int r)
{
	static const unsigned left[4] = { 0x40, 0x04, 0x02, 0x01 };   /* dots 7 3 2 1 */
	static const unsigned right[4] = { 0x80, 0x20, 0x10, 0x08 };  /* dots 8 6 5 4 */
	unsigned cp = 0x2800;
	int i;

	if (l == 0 && r == 0)
		return ' ';
	for (i = 0; i < l; i++)
		cp |= left[i];
	for (i = 0; i < r; i++)
		cp |= right[i];
	return cp;
}

struct sparkline_out {
	char *out;
	size_t outsz, need, used;
	bool full;
};

static void sparkline_emit(struct sparkline_out *o, unsigned cp)
{
	char g[4];
	size_t n = sparkline_utf8(cp, g);

	o->need += n;
	if (o->full || o->outsz == 0 || o->used + n >= o->outsz) {
		o->full = true;
		return;
	}
	memcpy(o->out + o->used, g, n);
	o->used += n;
}

size_t sparkline_encode(const double *v, size_t n, double max, int height_rows,
			enum sparkline_glyphs glyphs, char *out, size_t outsz)
{
	struct sparkline_out o = { out, outsz, 0, 0, false };
	int per_row, levels, row;
	size_t i;

	if (height_rows < 1)
		height_rows = 1;
	if (max <= 0.0 || isnan(max)) {
		max = 0.0;
		for (i = 0; i < n; i++)
			if (!isnan(v[i]) && v[i] > max)
				max = v[i];
	}
	per_row = glyphs == SPARK_BRAILLE ? 4 : glyphs == SPARK_BLOCK ? 8 : 3;
	levels = per_row * height_rows;

	for (row = height_rows - 1; row >= 0; row--) {
		if (row != height_rows - 1)
			sparkline_emit(&o, '\n');
		if (glyphs == SPARK_BRAILLE) {
			/* Cell c holds v[2c - odd] and v[2c + 1 - odd]; with n odd the
			 * first cell's left half is an empty sample. */
			size_t odd = n % 2, c;

			for (c = 0; c < (n + 1) / 2; c++) {
				int l = c == 0 && odd ? 0
						      : sparkline_level(v[2 * c - odd], max, levels);
				int r = sparkline_level(v[2 * c + 1 - odd], max, levels);

				sparkline_emit(&o, sparkline_braille(sparkline_row_level(l, row, 4),
								     sparkline_row_level(r, row, 4)));
			}
		} else {
			for (i = 0; i < n; i++) {
				int k = sparkline_row_level(sparkline_level(v[i], max, levels), row,
							    per_row);

				if (glyphs == SPARK_BLOCK)
					sparkline_emit(&o, k == 0 ? ' ' : 0x2580u + (unsigned)k);
				else
					sparkline_emit(&o, (unsigned char)" .:|"[k]);
			}
		}
	}
	if (outsz > 0)
		out[o.used] = '\0';
	return o.need;
}

/* ---- drawing ---- */

void sparkline_draw(const struct sparkline *s, WINDOW *w, struct rect r,
		    const struct palette *p, double max)
{
	enum sparkline_glyphs g = p->utf8 ? SPARK_BRAILLE : SPARK_ASCII;
	size_t want, have, i, need, sz;
	double *vals;
	char *buf, *line;
	int row, y;

	if (w == NULL || r.h <= 0 || r.w <= 0)
		return;
	wattrset(w, (int)p->attr[THEME_DEFAULT]);
	for (y = 0; y < r.h; y++)
		for (i = 0; i < (size_t)r.w; i++)
			mvwaddch(w, r.y + y, r.x + (int)i, ' ');
	wattrset(w, A_NORMAL);

	want = (size_t)r.w * (g == SPARK_BRAILLE ? 2 : 1);
	have = s->len < want ? s->len : want;
	if (have == 0)
		return;
	vals = xreallocarray(NULL, have, sizeof *vals);
	for (i = 0; i < have; i++)
		vals[i] = sparkline_at(s, s->len - have + i);
	need = sparkline_encode(vals, have, max, r.h, g, NULL, 0);
	sz = need + 1;
	buf = xmalloc(sz);
	sparkline_encode(vals, have, max, r.h, g, buf, sz);

	line = buf;
	for (row = 0; row < r.h && line != NULL; row++) {
		char *nl = strchr(line, '\n');
		int cols;

		if (nl != NULL)
			*nl = '\0';
		cols = text_width(line);
		text_put(w, r.y + row, r.x + r.w - cols, cols, p->attr[THEME_SPARK], line);
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(buf);
	free(vals);
}
