/* panel — a box with a title in its top border:  ┌ Title ──────── 12s ┐
 *
 * UTF-8: ─│┌┐└┘, and the heavy ━┃┏┓┗┛ for the focused panel (so focus shows
 * without colour); ASCII: + - | and '=' for the focused panel's top and bottom. */
#ifndef KITETOP_WIDGETS_PANEL_H
#define KITETOP_WIDGETS_PANEL_H

#include <stdbool.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

/* Draws the box around r (THEME_BORDER or THEME_BORDER_FOCUS), title at its top
 * left and right_title (e.g. the data's age) at its top right, both in
 * THEME_TITLE and clipped (right_title is dropped first); either may be NULL.
 * Clears the inside and returns it: r less one cell on each side (h or w 0 when
 * r is smaller than 2x2, and then nothing is drawn). */
struct rect panel_draw(WINDOW *w, struct rect r, const struct palette *p, const char *title,
		       const char *right_title, bool focused);
/* The same with right_title in right_attr (a level's colour). */
struct rect panel_draw_right(WINDOW *w, struct rect r, const struct palette *p, const char *title,
			     const char *right_title, attr_t right_attr, bool focused);

/* The marks of a box that scrolls, in its bottom border: " ↑ 3 more above "
 * at its left when lines are hidden above, " ↓ 5 more below " at its right
 * when lines are hidden below ("^"/"v" without UTF-8); nothing when 0.  r is
 * the box given to panel_draw. */
void panel_more(WINDOW *w, struct rect r, const struct palette *p, size_t above, size_t below);

#endif
