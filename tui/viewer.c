/* viewer — see viewer.h. */
#include "tui/viewer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_docker.h"
#include "core/feeds/panels.h"
#include "tui/detail_text.h"
#include "tui/keynames.h"
#include "tui/rows.h"
#include "tui/view_svclogs.h"
#include "widgets/text.h"

void viewer_logs_sync(struct ui *ui, size_t dropped)
{
	if (dropped > ui->logs_dropped)
		textview_dropped(&ui->logs_tv, dropped - ui->logs_dropped);
	ui->logs_dropped = dropped;
}

/* The open viewer's textview, or NULL. */
static struct textview *viewer_tv(struct ui *ui)
{
	if (ui->logs != NULL)
		return &ui->logs_tv;
	if (ui->detail != NULL)
		return &ui->detail_tv;
	return NULL;
}

/* Every line of the open viewer (copied: the caller frees each and the
 * array); *n gets the count. */
static char **viewer_lines(struct ui *ui, size_t *n)
{
	char **v = NULL;

	*n = 0;
	if (ui->logs != NULL) {
		struct logs_line *lines = NULL;
		size_t total, dropped, got;
		bool running;
		char err[8];

		logs_state(ui->logs, &total, &dropped, &running, err, sizeof err);
		viewer_logs_sync(ui, dropped);
		got = logs_copy(ui->logs, 0, total, &lines);
		v = xcalloc(got + 1, sizeof *v);
		for (size_t i = 0; i < got; i++) {
			v[i] = lines[i].text;     /* taken over */
			lines[i].text = NULL;
		}
		logs_lines_free(lines, got);
		*n = got;
	} else if (ui->detail != NULL && ui->detail_data != NULL) {
		struct detail_text_line *lines = detail_text_lines(ui->detail_data, time_real_ms(), n);

		v = xcalloc(*n + 1, sizeof *v);
		for (size_t i = 0; i < *n; i++) {
			v[i] = lines[i].text;
			lines[i].text = NULL;
		}
		detail_text_free(lines, *n);
	}
	return v;
}

/* Moves to the next (dir > 0) or previous match of the query; from the top
 * of the page when first is true.  Says "no match" when there is none. */
static void viewer_search(struct ui *ui, int dir, bool first)
{
	struct textview *tv = viewer_tv(ui);
	size_t n = 0;
	char **lines;
	long from, found;

	if (tv == NULL)
		return;
	if (tv->query[0] == '\0') {
		ui_toast(ui, "no search yet (/ starts one)");
		return;
	}
	lines = viewer_lines(ui, &n);
	if (first)
		from = (long)tv->top - 1;
	else
		from = tv->match >= 0 ? tv->match : (long)tv->top - 1;
	found = textview_find((const char *const *)lines, n, from, dir, tv->query);
	tv->match = found;
	if (found < 0)
		ui_toast(ui, "no match for '%s'", tv->query);
	else
		textview_show(tv, (size_t)found);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

bool viewer_key(struct ui *ui, enum key_action a)
{
	struct textview *tv = viewer_tv(ui);

	if (tv == NULL)
		return false;
	switch (a) {
	case KEY_ACT_FILTER:
		viewer_cmd_search(ui, a);
		return true;
	case KEY_ACT_DOWN: textview_scroll(tv, 1); return true;
	case KEY_ACT_UP: textview_scroll(tv, -1); return true;
	case KEY_ACT_PAGE_DOWN: textview_scroll(tv, textview_page(tv)); return true;
	case KEY_ACT_PAGE_UP: textview_scroll(tv, -textview_page(tv)); return true;
	case KEY_ACT_TOP: textview_home(tv); return true;
	case KEY_ACT_BOTTOM: textview_end(tv); return true;
	case KEY_ACT_DETAIL:
	case KEY_ACT_SORT:
		return true;
	default:
		return false;
	}
}

void viewer_scroll(struct ui *ui, long delta)
{
	struct textview *tv = viewer_tv(ui);

	if (tv != NULL)
		textview_scroll(tv, delta);
}

void viewer_cmd_search(struct ui *ui, enum key_action a)
{
	if (viewer_tv(ui) == NULL)
		return;
	ui->input = UI_INPUT_SEARCH;
	lineedit_init(&ui->edit, NULL);
}

void viewer_cmd_search_next(struct ui *ui, enum key_action a)
{
	viewer_search(ui, a == KEY_ACT_SEARCH_PREV ? -1 : 1, false);
}

bool viewer_input_key(struct ui *ui, int key)
{
	struct textview *tv = viewer_tv(ui);
	enum lineedit_result r;

	if (ui->input == UI_INPUT_NONE)
		return false;
	if (key == KEY_RESIZE || key == KEY_MOUSE)
		return false;
	r = lineedit_key(&ui->edit, key);
	if (ui->input == UI_INPUT_FILTER) {
		/* the filter follows the typing; Esc clears it */
		util_strlcpy(ui->filter, r == LINEEDIT_CANCEL ? "" : ui->edit.text, sizeof ui->filter);
		if (r != LINEEDIT_GOING)
			ui->input = UI_INPUT_NONE;
		return true;
	}
	if (r == LINEEDIT_GOING)
		return true;
	ui->input = UI_INPUT_NONE;
	if (ui->svclogs != NULL) {
		/* a service's logs search by regex */
		if (r == LINEEDIT_DONE)
			view_svclogs_query(ui, ui->edit.text);
		return true;
	}
	if (r == LINEEDIT_DONE && tv != NULL) {
		util_strlcpy(tv->query, ui->edit.text, sizeof tv->query);
		tv->match = -1;
		if (tv->query[0] != '\0')
			viewer_search(ui, 1, true);
	}
	return true;
}

/* Whether the filter leaves anything: a container on some host, a
 * service (by its name or container), a panel or one of its series. */
static bool viewer_filter_matches(struct ui *ui)
{
	struct frame f;
	bool any = false;

	frame_take(&f, ui->feeds);
	for (size_t h = 0; h < f.nhosts && !any; h++) {
		const struct feed_containers *c = f.hosts[h].docker.value;

		for (size_t i = 0; c != NULL && i < c->n && !any; i++)
			any = c->items[i].name != NULL && rows_name_match(c->items[i].name, ui->filter);
	}
	for (size_t i = 0; i < ui->cfg->nservices && !any; i++)
		any = rows_name_match(ui->cfg->services[i].name, ui->filter) ||
		      (ui->cfg->services[i].container != NULL &&
		       rows_name_match(ui->cfg->services[i].container, ui->filter));
	for (size_t i = 0; f.panels.value != NULL && i < f.panels.value->n && !any; i++) {
		const struct panel_data *pd = &f.panels.value->items[i];

		any = pd->cfg != NULL && rows_name_match(pd->cfg->title, ui->filter);
		for (size_t k = 0; k < pd->n && !any; k++)
			any = rows_name_match(pd->series[k].label, ui->filter);
	}
	frame_release(&f);
	return any;
}

bool viewer_input_draw(struct ui *ui, WINDOW *w, struct rect r)
{
	if (ui->input == UI_INPUT_FILTER) {
		lineedit_draw(w, r, &ui->pal, "filter: ", &ui->edit);
		return true;
	}
	if (ui->input == UI_INPUT_SEARCH) {
		lineedit_draw(w, r, &ui->pal, ui->svclogs != NULL ? "regex: " : "search: ", &ui->edit);
		return true;
	}
	if (ui->filter[0] != '\0' && ui->logs == NULL && ui->detail == NULL && ui->svclogs == NULL) {
		char text[LINEEDIT_MAX + 160], keys[3][24];
		bool none = !viewer_filter_matches(ui);

		wattrset(w, ui->pal.attr[THEME_KEYBAR]);
		wmove(w, r.y, r.x);
		whline(w, ' ', r.w);
		/* the keys in force: [keys] may have rebound them */
		keynames_hint(&(struct keynames_hint){ "filter", NULL }, keys[0], sizeof keys[0]);
		keynames_hint(&(struct keynames_hint){ "clear-filter", NULL }, keys[1], sizeof keys[1]);
		keynames_hint(&(struct keynames_hint){ "help", NULL }, keys[2], sizeof keys[2]);
		snprintf(text, sizeof text, " filter: %s%s   (%s edits, %s clears, %s help)", ui->filter,
		         none ? "  matches nothing" : "", keys[0], keys[1], keys[2]);
		text_put(w, r.y, r.x, r.w, ui->pal.attr[THEME_WARN] | A_BOLD, text);
		return true;
	}
	return false;
}
