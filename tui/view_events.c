/* view_events — see view_events.h. */
#include "tui/view_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/history.h"
#include "tui/ui_history.h"
#include "widgets/panel.h"
#include "widgets/text.h"

#define EVENTS_MAX_SHOWN HISTORY_MAX

/* The time of an event as a person reads it: "03:10:42" today (as of
 * now_ms), "Dec 05 03:10" before. */
static void events_time(char *out, size_t n, int64_t ms, int64_t now_ms)
{
	time_t t = (time_t)(ms / 1000), now = (time_t)(now_ms / 1000);
	struct tm tm, tn;

	localtime_r(&t, &tm);
	localtime_r(&now, &tn);
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(out, n, "%H:%M:%S", &tm);
	else
		strftime(out, n, "%b %d %H:%M", &tm);
}

/* What changed, in words: "kavita  running → exited (1)  (OOM)". */
static void events_what(char *out, size_t n, const struct event *e, bool utf8)
{
	const char *arrow = utf8 ? "\xe2\x86\x92" : "->";
	const char *kind = e->kind == EVENT_CONTAINER ? "" : event_kind_name(e->kind);
	char id[16] = "";

	if (e->id[0] != '\0')
		/* the audit id's tail, the same on an action and its effects */
		snprintf(id, sizeof id, "  #%s", e->id + (strlen(e->id) > 6 ? strlen(e->id) - 6 : 0));
	if (e->kind == EVENT_ACTION)
		snprintf(out, n, "%s %s: %s%s%s%s", e->from, e->object, e->to,
		         e->detail[0] != '\0' ? " (" : "", e->detail, e->detail[0] != '\0' ? ")" : "");
	else
		snprintf(out, n, "%s%s%s  %s%s%s%s%s%s", kind, kind[0] != '\0' ? " " : "", e->object,
		         e->from[0] != '\0' ? e->from : "", e->from[0] != '\0' ? " " : "", arrow,
		         e->to[0] != '\0' ? " " : "", e->to,
		         e->detail[0] != '\0' ? "" : "");
	if (e->kind != EVENT_ACTION && e->detail[0] != '\0') {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "  (%s)", e->detail);
	}
	if (id[0] != '\0') {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s", id);
	}
}

static void events_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT };
	size_t *idx = xcalloc(EVENTS_MAX_SHOWN, sizeof *idx);
	size_t n = ui_history_match(ui->history, ui->filter, idx, EVENTS_MAX_SHOWN);
	int64_t now = f->taken_ms;
	char right[64], line[1024], when[32], age[16];
	struct rect body, row;
	int hostw = 12;

	snprintf(right, sizeof right, "%zu%s", n, ui->filter[0] != '\0' ? " match" : "");
	body = panel_draw(w, r, &ui->pal, "Events", right, true);
	if (body.h <= 0 || body.w <= 0)
		goto out;
	if (n == 0) {
		text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM],
		         ui->filter[0] != '\0' ? "no event matches the filter (Esc clears it)" :
		         "no change seen yet: a container, a host, a probe, the tunnel or a shared "
		         "service changing shows here");
		goto out;
	}
	for (size_t i = 0; i < f->nhosts; i++) {
		int hw = text_width(f->hosts[i].name) + 1;

		if (hw > hostw && hw <= 24)
			hostw = hw;
	}
	if (hostw > body.w / 4)
		hostw = body.w / 4;
	row = rect_cut_top(&body, 1);
	snprintf(line, sizeof line, "%-12s %5s  %-*s %s", "TIME", "AGO", hostw, "HOST", "WHAT");
	text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_HEADER], line);
	if (ui->events_sel >= n)
		ui->events_sel = n - 1;
	ui->events_page = body.h;
	if (ui->events_sel < ui->events_top)
		ui->events_top = ui->events_sel;
	if (body.h > 0 && ui->events_sel >= ui->events_top + (size_t)body.h)
		ui->events_top = ui->events_sel - (size_t)body.h + 1;
	for (size_t i = ui->events_top; i < n && body.h > 0; i++) {
		const struct event *e = history_get(ui->history, idx[i]);
		char what[768];
		attr_t a = ui->pal.attr[e->kind == EVENT_ACTION ? THEME_LABEL : role[e->level]];

		row = rect_cut_top(&body, 1);
		events_time(when, sizeof when, e->time_ms, now);
		time_format_age(age, sizeof age, now > e->time_ms ? now - e->time_ms : 0);
		events_what(what, sizeof what, e, ui->utf8);
		snprintf(line, sizeof line, "%-12s %5s  %-*.*s %s", when, age, hostw, hostw - 1,
		         e->host[0] != '\0' ? e->host : "-", what);
		if (i == ui->events_sel) {
			a = ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color;
			wattrset(w, a);
			wmove(w, row.y, row.x);
			whline(w, ' ', row.w);
		}
		text_put(w, row.y, row.x, row.w, a, line);
	}
out:
	free(idx);
}

void view_events_recent(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_CRIT };
	size_t n = ui->history != NULL ? history_count(ui->history) : 0;
	struct rect body = panel_draw(w, r, &ui->pal, "Recent events", "all of them: the Events view", false), row;
	char line[1024], age[16], what[768];

	if (body.h <= 0)
		return;
	if (n == 0) {
		text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM],
		         "no change seen yet: a container, a host, a probe, the tunnel or a shared "
		         "service changing shows here");
		return;
	}
	for (size_t i = 0; i < n && body.h > 0; i++) {
		const struct event *e = history_get(ui->history, i);

		row = rect_cut_top(&body, 1);
		time_format_age(age, sizeof age, f->taken_ms > e->time_ms ? f->taken_ms - e->time_ms : 0);
		events_what(what, sizeof what, e, ui->utf8);
		snprintf(line, sizeof line, "%5s ago  %-12s %s", age, e->host[0] != '\0' ? e->host : "-", what);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[e->kind == EVENT_ACTION ? THEME_LABEL :
		         role[e->level]], line);
	}
}

/* The event under the selection, or NULL. */
static const struct event *events_selected(struct ui *ui)
{
	size_t *idx = xcalloc(EVENTS_MAX_SHOWN, sizeof *idx);
	size_t n = ui_history_match(ui->history, ui->filter, idx, EVENTS_MAX_SHOWN);
	const struct event *e = NULL;

	if (n > 0)
		e = history_get(ui->history, idx[ui->events_sel < n ? ui->events_sel : n - 1]);
	free(idx);
	return e;
}

void view_events_jump(struct ui *ui, const struct event *e)
{
	size_t host = (size_t)-1;

	for (size_t i = 0; i < ui->cfg->nhosts; i++)
		if (strcmp(ui->cfg->hosts[i].name, e->host) == 0 ||
		    (e->kind == EVENT_HOST && strcmp(ui->cfg->hosts[i].name, e->object) == 0))
			host = i;
	switch (e->kind) {
	case EVENT_PROBE:
	case EVENT_SPLIT:
		ui->view = UI_VIEW_SERVICES;
		break;
	case EVENT_TUNNEL:
		ui->view = UI_VIEW_TRAFFIC;
		break;
	case EVENT_SOURCE:
		ui->view = strcmp(e->object, "postgres") == 0 || strcmp(e->object, "redis") == 0 ?
		           UI_VIEW_DATA : strcmp(e->object, "cloudflare") == 0 ? UI_VIEW_TRAFFIC :
		           UI_VIEW_OVERVIEW;
		break;
	default:
		ui->view = UI_VIEW_OVERVIEW;
		break;
	}
	if (host != (size_t)-1 && host < FLEET_MAX_HOSTS) {
		ui->host = host;
		if (e->kind == EVENT_CONTAINER || e->kind == EVENT_HEALTH || e->kind == EVENT_RESTARTS ||
		    e->kind == EVENT_ACTION) {
			free(ui->sel[host]);
			ui->sel[host] = xstrdup(e->object);
		}
	}
	/* the filter was the Events view's: the object must show where it goes */
	ui->filter[0] = '\0';
}

static bool events_key(struct ui *ui, enum key_action a)
{
	long page = ui->events_page > 1 ? ui->events_page - 1 : 1;
	const struct event *e;

	switch (a) {
	case KEY_ACT_DOWN: ui->events_sel++; return true;
	case KEY_ACT_UP: ui->events_sel -= ui->events_sel > 0; return true;
	case KEY_ACT_PAGE_DOWN: ui->events_sel += (size_t)page; return true;
	case KEY_ACT_PAGE_UP:
		ui->events_sel = ui->events_sel > (size_t)page ? ui->events_sel - (size_t)page : 0;
		return true;
	case KEY_ACT_TOP: ui->events_sel = 0; return true;
	case KEY_ACT_BOTTOM: ui->events_sel = (size_t)-1 / 2; return true;
	case KEY_ACT_DETAIL:
		e = events_selected(ui);
		if (e != NULL) {
			struct event copy = *e;

			view_events_jump(ui, &copy);
		}
		return true;
	default:
		return false;
	}
}

static void events_wheel(struct ui *ui, long delta)
{
	if (delta < 0)
		ui->events_sel = ui->events_sel > (size_t)-delta ? ui->events_sel - (size_t)-delta : 0;
	else
		ui->events_sel += (size_t)delta;
}

static const struct keynames_hint events_keybar[] = {
	{ "down/up", "move" }, { "detail", "go to" }, { "filter", "filter" }, { "help", "help" },
	{ "quit", "quit" },
};

const struct view view_events = {
	.name = "Events",
	.select = KEY_ACT_VIEW_EVENTS,
	.scope = KEY_SCOPE_ANY,
	.draw = events_draw,
	.key = events_key,
	.wheel = events_wheel,
	.keybar = events_keybar,
	.nkeybar = UTIL_ARRAY_LEN(events_keybar),
};
