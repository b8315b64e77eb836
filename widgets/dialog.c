/* dialog — see dialog.h. */
#include "widgets/dialog.h"

#include <string.h>

#include "widgets/panel.h"
#include "widgets/text.h"

#define DIALOG_PAD 1             /* columns between the border and the text */

enum dialog_answer dialog_confirm_key(int key)
{
	return key == 'y' || key == 'Y' ? DIALOG_YES : DIALOG_NO;
}

const char *dialog_hint(enum dialog_kind kind)
{
	if (kind == DIALOG_PROGRESS_CANCEL)
		return "Esc cancels it (what is done stays done)";
	return kind == DIALOG_CONFIRM ? "y yes   any other key: no" : "Esc hides this box; the action goes on";
}

size_t dialog_wrap(const char *text, int width, struct dialog_line *lines, size_t max)
{
	size_t n = 0, pos = 0, len = strlen(text);

	if (max == 0)
		return 0;
	if (width < 1)
		width = 1;
	while (n < max) {
		size_t fit, cut, next;
		int cols;

		while (n > 0 && pos < len && text[pos] == ' ')
			pos++;   /* a wrapped line does not start with the space it broke at */
		fit = text_clip(text + pos, width, &cols);
		/* a newline that fits ends the line there (a drain's plan is lines) */
		next = strcspn(text + pos, "\n");
		if (next <= fit && pos + next < len) {
			lines[n++] = (struct dialog_line){ pos, next };
			pos += next + 1;
			if (pos >= len)
				break;
			continue;
		}
		if (pos + fit >= len) {
			lines[n++] = (struct dialog_line){ pos, len - pos };
			break;
		}
		/* break at the last space that fits, else cut the word */
		cut = fit;
		if (text[pos + fit] != ' ') {
			while (cut > 0 && text[pos + cut - 1] != ' ')
				cut--;
			if (cut == 0)
				cut = fit > 0 ? fit : 1;
		}
		next = pos + cut;
		while (cut > 0 && text[pos + cut - 1] == ' ')
			cut--;
		lines[n++] = (struct dialog_line){ pos, cut };
		pos = next;
		if (pos >= len)
			break;
	}
	return n;
}

/* The width of the box's text area for d in area. */
static int dialog_text_w(const struct dialog *d, struct rect area)
{
	int want = text_width(d->text != NULL ? d->text : "");
	int dw = d->detail != NULL ? text_width(d->detail) : 0;
	int hint = text_width(dialog_hint(d->kind)) + (d->kind == DIALOG_CONFIRM ? 2 : 0);
	int title = d->title != NULL ? text_width(d->title) + 4 : 0;
	int w;

	if (dw > want)
		want = dw;
	if (hint > want)
		want = hint;
	if (title > want)
		want = title;
	w = want + 2 + 2 * DIALOG_PAD;
	if (w < DIALOG_MIN_W)
		w = DIALOG_MIN_W;
	if (w > DIALOG_MAX_W)
		w = DIALOG_MAX_W;
	if (w > area.w)
		w = area.w;
	return w - 2 - 2 * DIALOG_PAD;
}

/* Rows inside the border: text, blank, detail, blank, hint. */
static int dialog_rows(const struct dialog *d, int tw, size_t *ntext, size_t *ndetail,
                       struct dialog_line *tl, struct dialog_line *dl)
{
	*ntext = dialog_wrap(d->text != NULL ? d->text : "", tw, tl, DIALOG_MAX_LINES);
	*ndetail = d->detail != NULL && d->detail[0] != '\0' ?
	           dialog_wrap(d->detail, tw, dl, DIALOG_MAX_LINES) : 0;
	return (int)*ntext + (*ndetail > 0 ? (int)*ndetail + 1 : 0) + 2;
}

struct rect dialog_rect(const struct dialog *d, struct rect area)
{
	struct dialog_line tl[DIALOG_MAX_LINES], dl[DIALOG_MAX_LINES];
	size_t nt, nd;
	int tw = dialog_text_w(d, area), w, h;

	if (area.w <= 0 || area.h <= 0)
		return rect_make(area.y, area.x, 0, 0);
	w = tw + 2 + 2 * DIALOG_PAD;
	h = dialog_rows(d, tw > 0 ? tw : 1, &nt, &nd, tl, dl) + 2;
	if (h > area.h)
		h = area.h;
	return rect_make(area.y + (area.h - h) / 2, area.x + (area.w - w) / 2, h, w);
}

static void dialog_lines(WINDOW *w, int *y, int ylim, int x, int tw, attr_t a, const char *s,
                         const struct dialog_line *l, size_t n)
{
	char buf[1024];

	for (size_t i = 0; i < n && *y < ylim; i++, (*y)++) {
		size_t len = l[i].len < sizeof buf - 1 ? l[i].len : sizeof buf - 1;

		memcpy(buf, s + l[i].off, len);
		buf[len] = '\0';
		text_put(w, *y, x, tw, a, buf);
	}
}

void dialog_draw(WINDOW *w, struct rect area, const struct palette *p, const struct dialog *d)
{
	struct rect box = dialog_rect(d, area), in;
	struct dialog_line tl[DIALOG_MAX_LINES], dl[DIALOG_MAX_LINES];
	size_t nt, nd;
	int y, ylim, x, tw;

	if (box.h < 3 || box.w < 4)
		return;
	in = panel_draw(w, box, p, d->title, NULL, true);
	if (in.h <= 0 || in.w <= 2 * DIALOG_PAD)
		return;
	x = in.x + DIALOG_PAD;
	tw = in.w - 2 * DIALOG_PAD;
	dialog_rows(d, tw, &nt, &nd, tl, dl);
	y = in.y;
	ylim = in.y + in.h - 1;   /* the last row is the hint's */
	dialog_lines(w, &y, ylim, x, tw, p->attr[THEME_VALUE] | A_BOLD, d->text ? d->text : "", tl, nt);
	if (nd > 0) {
		y++;
		dialog_lines(w, &y, ylim, x, tw, p->attr[d->detail_error ? THEME_ERROR : THEME_DEFAULT],
		             d->detail, dl, nd);
	}
	if (d->kind == DIALOG_CONFIRM) {
		/* "y" in the key colour, the rest as labels */
		int k = text_put(w, in.y + in.h - 1, x, tw, p->attr[THEME_KEY], " y ");

		text_put(w, in.y + in.h - 1, x + k, tw - k, p->attr[THEME_LABEL],
		         dialog_hint(d->kind) + 1);
	} else {
		text_put(w, in.y + in.h - 1, x, tw, p->attr[THEME_DIM], dialog_hint(d->kind));
	}
}
