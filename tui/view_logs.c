/* view_logs — the selected container's logs (L): the last lines and then
 * new ones as they come (f toggles following), scrolling, timestamps (t).
 * The lines are streamed by core/logs on a thread of their own. */
#include <stdio.h>
#include <stdlib.h>

#include "core/base/timeutil.h"
#include "tui/ui.h"
#include "widgets/panel.h"
#include "widgets/text.h"

void view_logs_sync(struct ui *ui, size_t dropped)
{
	if (dropped > ui->logs_dropped)
		textview_dropped(&ui->logs_tv, dropped - ui->logs_dropped);
	ui->logs_dropped = dropped;
}

void view_logs_draw(struct ui *ui, WINDOW *w, struct rect r)
{
	size_t n, dropped, first, got;
	bool running;
	char err[512], right[96];
	struct logs_line *lines = NULL;
	struct rect body, row;

	logs_state(ui->logs, &n, &dropped, &running, err, sizeof err);
	view_logs_sync(ui, dropped);
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
