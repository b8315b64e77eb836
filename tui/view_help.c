/* view_help — see view_help.h. */
#include "tui/view_help.h"

#include <stdio.h>

#include "tui/keynames.h"
#include "widgets/panel.h"
#include "widgets/text.h"

/* Rows inside a panel's border. */
static int body_rows(struct rect box)
{
	return box.h - 2;
}

/* The rows the help lists: the replay's own keys only in a replay. */
static size_t help_rows(const struct ui *ui, const struct key_binding **rows, size_t max)
{
	size_t n, k = 0;
	const struct key_binding *t = keys_table(&n);

	for (size_t i = 0; i < n && k < max; i++)
		if (t[i].scope != KEY_SCOPE_REPLAY || ui->replay != NULL)
			rows[k++] = &t[i];
	return k;
}

void view_help_draw(struct ui *ui, WINDOW *w, struct rect r)
{
	const struct key_binding *t[128];
	size_t n = help_rows(ui, t, sizeof t / sizeof t[0]);
	int h = (int)n + 6, wd = 72;
	struct rect box, body, row;
	char title[64], scroll[64], keys[2][24];
	size_t first;

	/* as wide as the longest description needs (key column 20, borders
	 * 2, a margin 1), at least 72, at most the screen */
	for (size_t i = 0; i < n; i++)
		if (23 + text_width(t[i]->help) > wd)
			wd = 23 + text_width(t[i]->help);
	if (h > r.h)
		h = r.h;
	if (wd > r.w)
		wd = r.w;
	box = rect_make(r.y + (r.h - h) / 2, r.x + (r.w - wd) / 2, h, wd);
	for (int y = 0; y < box.h; y++)
		wmove(w, box.y + y, box.x), whline(w, ' ', box.w);
	snprintf(title, sizeof title, "kitetop %s help", KITETOP_VERSION);
	/* the keys in force, as [keys] may have rebound them */
	keynames_hint(&(struct keynames_hint){ "down up", NULL }, keys[0], sizeof keys[0]);
	keynames_hint(&(struct keynames_hint){ "close-help", NULL }, keys[1], sizeof keys[1]);
	if ((int)n + 3 > body_rows(box))
		snprintf(scroll, sizeof scroll, "%s scroll, %s closes", keys[0], keys[1]);
	else
		snprintf(scroll, sizeof scroll, "%s closes", keys[1]);
	body = panel_draw(w, box, &ui->pal, title, scroll, true);
	first = textview_layout(&ui->help_tv, n + 3, body.h);   /* the keys, a gap, two notes */
	for (size_t i = first; i < n && body.h > 0; i++) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x + 1, 18, ui->pal.attr[THEME_KEY], t[i]->label);
		text_put(w, row.y, row.x + 20, row.w - 20, ui->pal.attr[THEME_DEFAULT], t[i]->help);
	}
	if (body.h > 0 && first <= n)
		rect_cut_top(&body, 1);   /* the gap */
	if (body.h > 0 && first <= n + 1) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_DIM],
		         "Figures show their age; dimmed ones are older than 3 refreshes.");
	}
	if (body.h > 0) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x + 1, row.w - 1, ui->pal.attr[THEME_DIM],
		         "Configuration and more: man kitetop");
	}
	/* what the box hides above and below (the keys, the gap, two notes) */
	panel_more(w, box, &ui->pal, first, n + 3 > first + (size_t)(box.h - 2) ?
	           n + 3 - first - (size_t)(box.h - 2) : 0);
}

bool view_help_key(struct ui *ui, enum key_action a)
{
	switch (a) {
	case KEY_ACT_DOWN: textview_scroll(&ui->help_tv, 1); return true;
	case KEY_ACT_UP: textview_scroll(&ui->help_tv, -1); return true;
	case KEY_ACT_PAGE_DOWN: textview_scroll(&ui->help_tv, textview_page(&ui->help_tv)); return true;
	case KEY_ACT_PAGE_UP: textview_scroll(&ui->help_tv, -textview_page(&ui->help_tv)); return true;
	case KEY_ACT_TOP: textview_home(&ui->help_tv); return true;
	case KEY_ACT_BOTTOM: textview_end(&ui->help_tv); return true;
	case KEY_ACT_HELP:
		/* the key that opened it closes it, rebound or not (close-help
		 * keeps its own keys) */
		ui->help = false;
		return true;
	case KEY_ACT_DETAIL:
	case KEY_ACT_FILTER:
	case KEY_ACT_SORT:
		return true;
	default:
		return false;
	}
}
