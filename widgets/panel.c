/* panel — a titled box. */
#include "widgets/panel.h"

#include <stdio.h>
#include <wchar.h>

#include "widgets/text.h"

enum panel_glyph { PANEL_H, PANEL_V, PANEL_TL, PANEL_TR, PANEL_BL, PANEL_BR, PANEL_NGLYPHS };

static const wchar_t panel_light[PANEL_NGLYPHS] = {
	0x2500, 0x2502, 0x250c, 0x2510, 0x2514, 0x2518,   /* ─ │ ┌ ┐ └ ┘ */
};
static const wchar_t panel_heavy[PANEL_NGLYPHS] = {
	0x2501, 0x2503, 0x250f, 0x2513, 0x2517, 0x251b,   /* ━ ┃ ┏ ┓ ┗ ┛ */
};
static const char panel_ascii[PANEL_NGLYPHS] = { '-', '|', '+', '+', '+', '+' };
static const char panel_ascii_focus[PANEL_NGLYPHS] = { '=', '|', '+', '+', '+', '+' };

/* The glyph g drawn n times from (y, x): rightwards for PANEL_H, downwards
 * for PANEL_V, once for the corners.  One curses call per line, not per
 * cell: a large screen's borders are hundreds of cells, drawn every frame. */
static void panel_glyph(WINDOW *w, int y, int x, const struct palette *p, attr_t a,
			bool focused, enum panel_glyph g, int n)
{
	if (n <= 0)
		return;
	if (p->utf8) {
		wchar_t wc[2] = { (focused ? panel_heavy : panel_light)[g], L'\0' };
		cchar_t cc;

		setcchar(&cc, wc, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
		if (g == PANEL_H)
			mvwhline_set(w, y, x, &cc, n);
		else if (g == PANEL_V)
			mvwvline_set(w, y, x, &cc, n);
		else
			mvwadd_wch(w, y, x, &cc);
	} else {
		chtype ch = (chtype)(unsigned char)(focused ? panel_ascii_focus : panel_ascii)[g] | a;

		if (g == PANEL_H)
			mvwhline(w, y, x, ch, n);
		else if (g == PANEL_V)
			mvwvline(w, y, x, ch, n);
		else
			mvwaddch(w, y, x, ch);
	}
}

struct rect panel_draw(WINDOW *w, struct rect r, const struct palette *p, const char *title,
		       const char *right_title, bool focused)
{
	return panel_draw_right(w, r, p, title, right_title, p->attr[THEME_TITLE], focused);
}

struct rect panel_draw_right(WINDOW *w, struct rect r, const struct palette *p, const char *title,
			     const char *right_title, attr_t right_attr, bool focused)
{
	attr_t a = p->attr[focused ? THEME_BORDER_FOCUS : THEME_BORDER];
	attr_t ta = p->attr[THEME_TITLE];
	struct rect in = rect_make(r.y + 1, r.x + 1, r.h - 2, r.w - 2);
	int j, avail, tw = 0, rw = 0;

	if (w == NULL || r.h < 2 || r.w < 2) {
		in.h = in.w = 0;
		return in;
	}
	if (in.h < 0)
		in.h = 0;
	if (in.w < 0)
		in.w = 0;

	panel_glyph(w, r.y, r.x, p, a, focused, PANEL_TL, 1);
	panel_glyph(w, r.y, r.x + r.w - 1, p, a, focused, PANEL_TR, 1);
	panel_glyph(w, r.y + r.h - 1, r.x, p, a, focused, PANEL_BL, 1);
	panel_glyph(w, r.y + r.h - 1, r.x + r.w - 1, p, a, focused, PANEL_BR, 1);
	panel_glyph(w, r.y, r.x + 1, p, a, focused, PANEL_H, r.w - 2);
	panel_glyph(w, r.y + r.h - 1, r.x + 1, p, a, focused, PANEL_H, r.w - 2);
	panel_glyph(w, r.y + 1, r.x, p, a, focused, PANEL_V, r.h - 2);
	panel_glyph(w, r.y + 1, r.x + r.w - 1, p, a, focused, PANEL_V, r.h - 2);

	/* The inside, cleared: a line of blanks a row. */
	for (j = 0; j < in.h && in.w > 0; j++)
		mvwhline(w, in.y + j, in.x, ' ' | p->attr[THEME_DEFAULT], in.w);

	/* Titles: " title " from the third column, " right " ending two columns
	 * before the right edge, with at least one border cell between them. */
	avail = r.w - 4;
	if (title != NULL && *title != '\0' && avail >= 3) {
		tw = text_width(title);
		if (tw > avail - 2)
			tw = avail - 2;
		text_put(w, r.y, r.x + 2, 1, ta, " ");
		tw = text_put(w, r.y, r.x + 3, tw, ta, title);
		text_put(w, r.y, r.x + 3 + tw, 1, ta, " ");
		tw += 2;
	}
	if (right_title != NULL && *right_title != '\0') {
		rw = text_width(right_title);
		if (rw + 2 + (tw > 0 ? tw + 1 : 0) <= avail) {
			int x = r.x + r.w - 2 - (rw + 2);

			text_put(w, r.y, x, 1, ta, " ");
			text_put(w, r.y, x + 1, rw, right_attr, right_title);
			text_put(w, r.y, x + 1 + rw, 1, ta, " ");
		}
	}
	return in;
}

void panel_more(WINDOW *w, struct rect r, const struct palette *p, size_t above, size_t below)
{
	char up[48], down[48];
	int uw = 0, dw;

	if (w == NULL || r.h < 3 || r.w < 8)
		return;
	if (above > 0) {
		snprintf(up, sizeof up, " %s %zu more above ", p->utf8 ? "\xe2\x86\x91" : "^", above);
		uw = text_put(w, r.y + r.h - 1, r.x + 2, r.w - 4, p->attr[THEME_TITLE], up);
	}
	if (below > 0) {
		snprintf(down, sizeof down, " %s %zu more below ", p->utf8 ? "\xe2\x86\x93" : "v", below);
		dw = text_width(down);
		if (dw + uw + 5 <= r.w)
			text_put(w, r.y + r.h - 1, r.x + r.w - 2 - dw, dw, p->attr[THEME_TITLE], down);
	}
}
