/* cmd — see cmd.h. */
#include "tui/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/feeds/feeds.h"
#include "tui/rows.h"

void cmd_quit(struct ui *ui, enum key_action a)
{
	ui->quit = true;
}

void cmd_help(struct ui *ui, enum key_action a)
{
	ui->help = true;
	textview_init(&ui->help_tv, false);
}

void cmd_help_close(struct ui *ui, enum key_action a)
{
	ui->help = false;
}

void cmd_host(struct ui *ui, enum key_action a)
{
	size_t n = ui->cfg->nhosts;

	if (n == 0)
		return;
	if (a == KEY_ACT_HOST_NEXT)
		ui->host = (ui->host + 1) % n;
	else
		ui->host = (ui->host + n - 1) % n;
}

void cmd_move(struct ui *ui, enum key_action a)
{
	long page = ui->page > 1 ? ui->page - 1 : 1;

	switch (a) {
	case KEY_ACT_DOWN: ui_list_move(ui, 1); break;
	case KEY_ACT_UP: ui_list_move(ui, -1); break;
	case KEY_ACT_PAGE_DOWN: ui_list_move(ui, page); break;
	case KEY_ACT_PAGE_UP: ui_list_move(ui, -page); break;
	case KEY_ACT_TOP: ui_list_move(ui, -1000000); break;
	case KEY_ACT_BOTTOM: ui_list_move(ui, 1000000); break;
	default: break;
	}
}

void cmd_refresh(struct ui *ui, enum key_action a)
{
	feeds_refresh_now(ui->feeds);
	ui_toast(ui, "refreshing every source");
}

void cmd_pause(struct ui *ui, enum key_action a)
{
	ui->paused = !ui->paused;
	feeds_set_paused(ui->feeds, ui->paused);
	ui_toast(ui, ui->paused ? "refresh paused (p resumes, R refreshes once)" : "refresh resumed");
}

/* T: the next built-in theme that loads.  A theme file that is missing is
 * skipped (an installation without themes still cycles to "default"); one
 * that is broken is said and skipped too, so T never sticks on a name. */
void cmd_theme(struct ui *ui, enum key_action a)
{
	const char *cur = theme_name(ui->theme), *next = cur;
	struct theme *t = NULL;
	char *cause = NULL, *first = NULL;

	do {
		next = theme_next_name(next);
		free(cause);
		cause = NULL;
		t = theme_load(next, KITETOP_DATADIR, &cause);
		if (t == NULL && first == NULL)
			first = xasprintf("theme %s: %s", next, cause);
	} while (t == NULL && strcmp(next, cur) != 0 && strcmp(next, "default") != 0);
	free(cause);
	if (t == NULL) {
		ui_toast(ui, "%s", first != NULL ? first : "no other theme");
		free(first);
		return;
	}
	theme_free(ui->theme);
	ui->theme = t;
	palette_init(&ui->pal, ui->theme, ui->utf8);
	wbkgd(stdscr, ui->pal.attr[THEME_DEFAULT]);
	if (first != NULL && strcmp(theme_name(t), "default") == 0)
		ui_toast(ui, "theme: default (%s)", first);
	else
		ui_toast(ui, "theme: %s", theme_name(t));
	free(first);
}

void cmd_filter(struct ui *ui, enum key_action a)
{
	ui->input = UI_INPUT_FILTER;
	lineedit_init(&ui->edit, ui->filter);
}

void cmd_filter_clear(struct ui *ui, enum key_action a)
{
	if (ui->filter[0] == '\0')
		return;
	ui->filter[0] = '\0';
	ui_toast(ui, "filter cleared");
}

void cmd_sort(struct ui *ui, enum key_action a)
{
	ui->sort = rows_order_next(ui->sort);
	ui_toast(ui, "order: %s", rows_order_name(ui->sort));
}
