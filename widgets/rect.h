/* rect — a rectangle of character cells inside a WINDOW: what a widget is
 * given to draw into.  A plain value type. */
#ifndef KITETOP_WIDGETS_RECT_H
#define KITETOP_WIDGETS_RECT_H

struct rect {
	int y, x;    /* top-left, relative to the window */
	int h, w;    /* height and width in cells; <= 0 means nothing to draw */
};

static inline struct rect rect_make(int y, int x, int h, int w)
{
	struct rect r = { y, x, h, w };
	return r;
}

/* Takes n rows off the top of *r and returns them as a rect. */
static inline struct rect rect_cut_top(struct rect *r, int n)
{
	struct rect top;

	if (n > r->h)
		n = r->h;
	if (n < 0)
		n = 0;
	top = rect_make(r->y, r->x, n, r->w);
	r->y += n;
	r->h -= n;
	return top;
}

#endif
