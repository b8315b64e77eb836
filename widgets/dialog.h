/* dialog — a box centred over the view: a question to confirm (default No)
 * or the progress of what runs.
 *
 *   ┏ Restart ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
 *   ┃ Restart grafana on monk?               ┃
 *   ┃                                        ┃
 *   ┃ grafana is running (up 3h12m)          ┃
 *   ┃                                        ┃
 *   ┃ y yes   any other key: no              ┃
 *   ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
 *
 * The text and detail are wrapped at spaces to the box's width; a box that
 * does not fit the area keeps its first lines and its last (the hint).  The
 * caller owns the state (what to ask, when to close); the dialog only draws
 * and says what a key means. */
#ifndef KITETOP_WIDGETS_DIALOG_H
#define KITETOP_WIDGETS_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

#define DIALOG_MIN_W 36          /* the box's width at least (when the area allows) */
#define DIALOG_MAX_W 72
#define DIALOG_MAX_LINES 16      /* wrapped lines of text or detail kept */

enum dialog_kind {
	DIALOG_CONFIRM,              /* y confirms, anything else cancels */
	DIALOG_PROGRESS,             /* something runs: no answer, the hint says it goes on */
	DIALOG_PROGRESS_CANCEL,      /* something runs that Esc cancels (a drain) */
};

struct dialog {
	enum dialog_kind kind;
	const char *title;           /* in the top border: "Restart"; may be NULL */
	const char *text;            /* the question, or what runs */
	const char *detail;          /* a second paragraph (what was seen, the progress); may be NULL */
	bool detail_error;           /* draw detail as an error */
};

enum dialog_answer { DIALOG_YES, DIALOG_NO };

/* Pure: what key means to a confirm dialog: 'y' or 'Y' yes, any other key
 * (n, Esc, Enter, ...) no: the default is No. */
enum dialog_answer dialog_confirm_key(int key);

/* Pure: the hint line of a dialog kind ("y yes   any other key: no"). */
const char *dialog_hint(enum dialog_kind kind);

/* Pure: text wrapped at spaces into lines of at most width columns (a word
 * longer than width is cut); lines[i] gets a byte offset and length into
 * text.  Returns the number of lines (at most max; at least 1 for ""). */
struct dialog_line {
	size_t off, len;
};
size_t dialog_wrap(const char *text, int width, struct dialog_line *lines, size_t max);

/* Pure: the box d takes in area (centred; clipped to the area). */
struct rect dialog_rect(const struct dialog *d, struct rect area);

/* Draws d over area (the box only; the rest of area is left as it is). */
void dialog_draw(WINDOW *w, struct rect area, const struct palette *p, const struct dialog *d);

#endif
