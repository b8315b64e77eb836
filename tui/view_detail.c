/* view_detail — see view_detail.h. */
#include "tui/view_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tui/detail_text.h"
#include "tui/view_errors.h"
#include "tui/viewer.h"
#include "widgets/panel.h"
#include "widgets/text.h"

void view_detail_open(struct ui *ui, const struct frame *f)
{
	const struct frame_host *h;
	const char *sel;
	char *name;

	if (ui->host >= f->nhosts || ui->host >= FLEET_MAX_HOSTS)
		return;
	h = &f->hosts[ui->host];
	sel = ui_selected_name(ui);
	if (!h->docker.feed.configured || sel == NULL) {
		/* no container to show: the host's errors in full, if any */
		if (!view_errors_open(ui, f, ui->host))
			ui_toast(ui, "no container selected (j k choose one in the overview)");
		return;
	}
	name = xstrdup(sel);      /* ui->rows may change */
	view_detail_close(ui);
	ui->detail = detail_open(ui->feeds->fleet, &ui->feeds->fleet->hosts[ui->host], name,
	                         ui->cfg->refresh_ms, ui->wake);
	ui->detail_title = xasprintf("detail: %s on %s", name, h->name);
	ui->detail_host = ui->host;
	ui->detail_err[0] = '\0';
	textview_init(&ui->detail_tv, false);
	free(name);
}

void view_detail_close(struct ui *ui)
{
	detail_close(ui->detail);
	ui->detail = NULL;
	docker_detail_free(ui->detail_data);
	ui->detail_data = NULL;
	free(ui->detail_title);
	ui->detail_title = NULL;
}

void view_detail_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	static const enum theme_role role[] = {
		[DETAIL_TEXT_PLAIN] = THEME_DEFAULT, [DETAIL_TEXT_HEADING] = THEME_HEADER,
		[DETAIL_TEXT_BAD] = THEME_CRIT, [DETAIL_TEXT_DIM] = THEME_DIM,
	};
	struct docker_detail *fresh;
	struct detail_text_line *lines = NULL;
	char err[512], right[64];
	size_t n = 0, first;
	struct rect body, row;

	if (detail_take(ui->detail, &fresh, err, sizeof err) == 1) {
		util_strlcpy(ui->detail_err, err, sizeof ui->detail_err);
		if (fresh != NULL) {
			docker_detail_free(ui->detail_data);
			ui->detail_data = fresh;
		}
	}
	if (ui->detail_data != NULL)
		lines = detail_text_lines_hosts(ui->detail_data, f, ui->detail_host, time_real_ms(), &n);
	snprintf(right, sizeof right, "%zu lines", n);
	body = panel_draw(w, r, &ui->pal, ui->detail_title, right, true);
	if (body.h <= 0) {
		detail_text_free(lines, n);
		return;
	}
	if (ui->detail_err[0] != '\0') {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], ui->detail_err);
	}
	if (ui->detail_data == NULL && ui->detail_err[0] == '\0')
		text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM], "asking the engine...");
	first = textview_layout(&ui->detail_tv, n, body.h);
	for (size_t i = first; i < n && body.h > 0; i++) {
		attr_t a = ui->pal.attr[role[lines[i].kind]];

		row = rect_cut_top(&body, 1);
		if (lines[i].kind == DETAIL_TEXT_HEADING)
			a |= A_BOLD;
		textview_draw_line(w, row.y, row.x + 1, row.w - 1, a,
		                   ui->pal.attr[THEME_SELECTION] | A_REVERSE, lines[i].text,
		                   ui->detail_tv.query);
	}
	detail_text_free(lines, n);
}

void view_detail_cmd_open(struct ui *ui, enum key_action a)
{
	struct frame f;

	if (ui->view != UI_VIEW_OVERVIEW)
		return;     /* it opens on the overview's selection only */
	frame_take(&f, ui->feeds);
	view_detail_open(ui, &f);
	frame_release(&f);
}

void view_detail_cmd_close(struct ui *ui, enum key_action a)
{
	view_detail_close(ui);
}

static const struct keynames_hint view_detail_keybar[] = {
	{ "close-detail", "back" }, { "search", "search" }, { "search-next search-prev", "next/prev" },
	{ "down up", "scroll" }, { "top bottom", "top/end" }, { "help", "help" },
};

const struct view view_detail = {
	.name = "detail",
	.select = KEY_ACT_NONE,
	.scope = KEY_SCOPE_DETAIL,
	.draw = view_detail_draw,
	.key = viewer_key,
	.wheel = viewer_scroll,
	.keybar = view_detail_keybar,
	.nkeybar = UTIL_ARRAY_LEN(view_detail_keybar),
};
