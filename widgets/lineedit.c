/* lineedit — see lineedit.h. */
#include "widgets/lineedit.h"

#include <string.h>

#include "core/base/util.h"
#include "widgets/text.h"

void lineedit_init(struct lineedit *le, const char *init)
{
	memset(le, 0, sizeof *le);
	if (init != NULL) {
		util_strlcpy(le->text, init, sizeof le->text);
		le->len = strlen(le->text);
	}
}

enum lineedit_result lineedit_key(struct lineedit *le, int key)
{
	switch (key) {
	case 27:
		return LINEEDIT_CANCEL;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return LINEEDIT_DONE;
	case KEY_BACKSPACE:
	case 8:
	case 127:
		/* the last character: its continuation bytes, then its first */
		while (le->len > 0 && ((unsigned char)le->text[le->len - 1] & 0xc0) == 0x80)
			le->len--;
		if (le->len > 0)
			le->len--;
		le->text[le->len] = '\0';
		return LINEEDIT_GOING;
	case 0x15:   /* ^U */
		le->len = 0;
		le->text[0] = '\0';
		return LINEEDIT_GOING;
	default:
		break;
	}
	if (key >= 0x20 && key < 0x100 && key != 0x7f && le->len < LINEEDIT_MAX) {
		le->text[le->len++] = (char)key;
		le->text[le->len] = '\0';
	}
	return LINEEDIT_GOING;
}

void lineedit_draw(WINDOW *w, struct rect r, const struct palette *pal, const char *prompt,
                   const struct lineedit *le)
{
	int x = r.x, tw;
	const char *shown = le->text;

	wattrset(w, pal->attr[THEME_DEFAULT]);
	wmove(w, r.y, r.x);
	whline(w, ' ', r.w);
	x += text_put(w, r.y, x, r.w, pal->attr[THEME_KEY], prompt);
	/* a text longer than the row: its end stays in view */
	tw = text_width(shown);
	while (tw > r.x + r.w - x - 1 && *shown != '\0') {
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
		tw = text_width(shown);
	}
	x += text_put(w, r.y, x, r.x + r.w - x, pal->attr[THEME_DEFAULT], shown);
	if (x < r.x + r.w)
		text_put(w, r.y, x, 1, pal->attr[THEME_SELECTION] | A_REVERSE, " ");
}
