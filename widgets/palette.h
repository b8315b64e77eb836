/* palette — a theme turned into curses attributes: one colour pair and a set of
 * attributes per role.  The UI owns one (an open struct, embedded) and hands it,
 * borrowed, to every widget.
 *
 * Colours are reduced to what the terminal has (COLORS >= 256: the xterm
 * 256-colour palette; >= 16: the 16 ANSI colours; >= 8: the 8 basic ones).
 * Without colour (NO_COLOR set and not empty, no colour support, or fewer than 8
 * colours) each role gets the attributes of the mono theme instead, so selection,
 * warnings and stale data still differ: meaning is never carried by colour alone. */
#ifndef KITETOP_WIDGETS_PALETTE_H
#define KITETOP_WIDGETS_PALETTE_H

#include <stdbool.h>

#include "widgets/provide_curses.h"
#include "widgets/theme.h"

struct palette {
	attr_t attr[THEME_NROLES];   /* what to pass to wattrset() for each role */
	bool utf8;                   /* draw Unicode glyphs (box drawing, braille, blocks) */
	bool color;                  /* colour pairs are in use */
};

/* Fills p from t.  Call after initscr/newterm, start_color() and
 * use_default_colors(); call again to switch themes (the pairs are redefined and
 * what is on screen takes the new colours at the next refresh).  Uses colour
 * pairs 1..THEME_NROLES.  utf8: the locale is UTF-8 and the terminal is not
 * TERM=linux/vt100 (the UI decides). */
void palette_init(struct palette *p, const struct theme *t, bool utf8);

/* Pure: the curses colour number for a theme colour on a terminal of ncolors
 * colours; -1 for the terminal's default. */
int palette_color_number(const struct theme_paint *c, int ncolors);

/* Pure: whether to draw Unicode glyphs, given the locale's codeset
 * (nl_langinfo(CODESET) after setlocale) and $TERM: only with UTF-8, and not on
 * the Linux console or a VT100/VT220, whose fonts lack braille and blocks. */
bool palette_want_utf8(const char *codeset, const char *term);

/* True when the environment asks for no colour (NO_COLOR set and not empty). */
bool palette_no_color(void);

#endif
