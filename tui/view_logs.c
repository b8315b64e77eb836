/* view_logs — see view_logs.h. */
#include "tui/view_logs.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tui/viewer.h"
#include "widgets/panel.h"
#include "widgets/text.h"

void view_logs_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	size_t n, dropped, first, got;
	bool running;
	char err[512], right[96];
	struct logs_line *lines = NULL;
	struct rect body, row;

	logs_state(ui->logs, &n, &dropped, &running, err, sizeof err);
	viewer_logs_sync(ui, dropped);
	snprintf(right, sizeof right, "%zu lines%s%s", n, dropped > 0 ? " (oldest dropped: cap 10000)" : "",
	         ui->logs_tv.follow ? " following" : "");
	body = panel_draw(w, r, &ui->pal, ui->logs_title, right, true);
	if (body.h <= 0)
		return;
	if (err[0] != '\0' || !running) {
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR],
		         err[0] != '\0' ? err : "the log stream ended");
	}
	first = textview_layout(&ui->logs_tv, n, body.h);
	got = logs_copy(ui->logs, first, (size_t)body.h, &lines);
	if (got == 0 && n == 0)
		text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM],
		         running ? "waiting for lines..." : "no lines");
	for (size_t i = 0; i < got; i++) {
		int x = body.x;

		row = rect_cut_top(&body, 1);
		if (ui->logs_ts && lines[i].ts_ms > 0) {
			char ts[40];

			time_format_iso8601(ts, sizeof ts, lines[i].ts_ms);
			x += text_put(w, row.y, x, row.w, ui->pal.attr[THEME_DIM], ts);
			x += 1;
		}
		textview_draw_line(w, row.y, x, row.x + row.w - x,
		                   ui->pal.attr[lines[i].stderr_stream ? THEME_WARN : THEME_DEFAULT],
		                   ui->pal.attr[THEME_SELECTION] | A_REVERSE, lines[i].text, ui->logs_tv.query);
	}
	logs_lines_free(lines, got);
}

void view_logs_open(struct ui *ui, const struct frame *f)
{
	const struct frame_host *h;
	const char *name;

	if (ui->host >= f->nhosts || ui->host >= FLEET_MAX_HOSTS)
		return;
	h = &f->hosts[ui->host];
	name = ui_selected_name(ui);
	if (!h->docker.feed.configured || name == NULL) {
		ui_toast(ui, "no container selected (j k choose one in the overview)");
		return;
	}
	if (ui_row_missing(f, ui->host, name)) {
		ui_toast(ui, "%s is missing on %s: no logs to follow", name, h->name);
		return;
	}
	ui->logs = logs_open(ui->feeds->fleet, &ui->feeds->fleet->hosts[ui->host], name, ui->wake);
	free(ui->logs_title);
	ui->logs_title = xasprintf("logs: %s on %s", name, h->name);
	textview_init(&ui->logs_tv, true);
	ui->logs_dropped = 0;
}

void view_logs_close(struct ui *ui)
{
	logs_close(ui->logs);
	ui->logs = NULL;
}

void view_logs_cmd_open(struct ui *ui, enum key_action a)
{
	struct frame f;

	frame_take(&f, ui->feeds);
	view_logs_open(ui, &f);
	frame_release(&f);
}

void view_logs_cmd_close(struct ui *ui, enum key_action a)
{
	view_logs_close(ui);
}

void view_logs_cmd_follow(struct ui *ui, enum key_action a)
{
	if (ui->logs != NULL)
		ui->logs_tv.follow = !ui->logs_tv.follow;
}

void view_logs_cmd_timestamps(struct ui *ui, enum key_action a)
{
	if (ui->logs != NULL)
		ui->logs_ts = !ui->logs_ts;
}

void view_logs_cmd_service_only(struct ui *ui, enum key_action a)
{
	ui_toast(ui, "that key works in a service's logs (2, then L on a service)");
}

/* Its keys: the text viewer's, and L (the logs are open already). */
static bool view_logs_key(struct ui *ui, enum key_action a)
{
	return a == KEY_ACT_LOGS || viewer_key(ui, a);
}

static const struct keynames_hint view_logs_keybar[] = {
	{ "close-logs", "back" }, { "follow", "follow" }, { "timestamps", "timestamps" },
	{ "search", "search" }, { "search-next search-prev", "next/prev" }, { "down up", "scroll" },
	{ "top bottom", "top/end" }, { "help", "help" },
};

const struct view view_logs = {
	.name = "logs",
	.select = KEY_ACT_NONE,
	.scope = KEY_SCOPE_LOGS,
	.draw = view_logs_draw,
	.key = view_logs_key,
	.wheel = viewer_scroll,
	.keybar = view_logs_keybar,
	.nkeybar = UTIL_ARRAY_LEN(view_logs_keybar),
};
