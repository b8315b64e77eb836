/* keybar — one row of keys and what they do:  q quit  ? help  T theme
 * Items that do not fit are left out (never half an item, never a second row). */
#ifndef KITETOP_WIDGETS_KEYBAR_H
#define KITETOP_WIDGETS_KEYBAR_H

#include <stddef.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

struct keybar_item {
	const char *key;     /* "q", "Tab", "1-5" */
	const char *label;   /* "quit" */
};

/* Draws the items into the first row of r: each key in THEME_KEY (with a space
 * either side), its label in THEME_KEYBAR, the rest of the row in THEME_KEYBAR.
 * All borrowed. */
void keybar_draw(WINDOW *w, struct rect r, const struct palette *p,
		 const struct keybar_item *items, size_t n);

/* Pure: how many of the items, from the first, fit whole in width columns. */
size_t keybar_fit(const struct keybar_item *items, size_t n, int width);

#endif
