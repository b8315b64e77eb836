/* lineedit — a one-line text input (the filter and the search prompts):
 * its keys are handled by a pure function, its drawing by one call.  An open
 * struct the UI embeds. */
#ifndef KITETOP_WIDGETS_LINEEDIT_H
#define KITETOP_WIDGETS_LINEEDIT_H

#include <stddef.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

#define LINEEDIT_MAX 127            /* bytes of text at most */

struct lineedit {
	char text[LINEEDIT_MAX + 1];
	size_t len;
};

enum lineedit_result {
	LINEEDIT_GOING,      /* still typing (the text may have changed) */
	LINEEDIT_DONE,       /* Enter */
	LINEEDIT_CANCEL,     /* Esc */
};

/* Empties le, then puts init (may be NULL) in it. */
void lineedit_init(struct lineedit *le, const char *init);
/* Pure (no curses calls; key codes are curses'): printable characters and
 * UTF-8 bytes are appended, Backspace / ^H / DEL remove the last character,
 * ^U empties, Enter ends, Esc cancels; anything else is ignored. */
enum lineedit_result lineedit_key(struct lineedit *le, int key);
/* Draws "prompt" then the text and a cursor block on row r. */
void lineedit_draw(WINDOW *w, struct rect r, const struct palette *pal, const char *prompt,
                   const struct lineedit *le);

#endif
