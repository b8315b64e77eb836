/* keys — see keys.h. */
#include "tui/keys.h"


#include "core/base/util.h"
#include "tui/actions_ui.h"
#include "tui/cmd.h"
#include "tui/replay.h"
#include "tui/shell_ui.h"
#include "tui/view_detail.h"
#include "tui/view_logs.h"
#include "tui/view_traffic.h"
#include "tui/viewer.h"
#include "tui/views.h"

#define KEYS_ESC 27
#define KEYS_TAB '\t'

static struct key_binding keys[] = {
	{ { '1' }, "1", KEY_ACT_VIEW_OVERVIEW, KEY_SCOPE_ANY, "Overview: hosts side by side",
	  "view-overview", views_cmd_select },
	{ { '2' }, "2", KEY_ACT_VIEW_SERVICES, KEY_SCOPE_ANY, "Services: services down, hosts across",
	  "view-services", views_cmd_select },
	{ { '3' }, "3", KEY_ACT_VIEW_DATA, KEY_SCOPE_ANY, "Data: the shared Postgres and Redis, per-host connections",
	  "view-data", views_cmd_select },
	{ { '4' }, "4", KEY_ACT_VIEW_TRAFFIC, KEY_SCOPE_ANY, "Traffic: the tunnel's connectors per host",
	  "view-traffic", views_cmd_select },
	{ { '5' }, "5", KEY_ACT_VIEW_METRICS, KEY_SCOPE_ANY, "Metrics: the [panel] queries, value and sparkline a series",
	  "view-metrics", views_cmd_select },
	{ { '6' }, "6", KEY_ACT_VIEW_EVENTS, KEY_SCOPE_ANY, "Events: what changed and when, newest first (Enter: go to it)",
	  "view-events", views_cmd_select },
	{ { KEYS_TAB, 'l' }, "Tab, l, \xe2\x86\x92", KEY_ACT_HOST_NEXT, KEY_SCOPE_ANY, "next host column",
	  "host-next", cmd_host },
	{ { 'h' }, "Shift-Tab, h, \xe2\x86\x90", KEY_ACT_HOST_PREV, KEY_SCOPE_ANY, "previous host column",
	  "host-prev", cmd_host },
	{ { 'j' }, "j, \xe2\x86\x93", KEY_ACT_DOWN, KEY_SCOPE_ANY, "next container", "down", cmd_move },
	{ { 'k' }, "k, \xe2\x86\x91", KEY_ACT_UP, KEY_SCOPE_ANY, "previous container", "up", cmd_move },
	{ { 0x06 }, "PgDn, Ctrl-F", KEY_ACT_PAGE_DOWN, KEY_SCOPE_ANY, "a page down", "page-down", cmd_move },
	{ { 0x02 }, "PgUp, Ctrl-B", KEY_ACT_PAGE_UP, KEY_SCOPE_ANY, "a page up", "page-up", cmd_move },
	{ { 'g' }, "g, Home", KEY_ACT_TOP, KEY_SCOPE_ANY, "first container", "top", cmd_move },
	{ { 'G' }, "G, End", KEY_ACT_BOTTOM, KEY_SCOPE_ANY, "last container", "bottom", cmd_move },
	{ { '\r', '\n' }, "Enter", KEY_ACT_DETAIL, KEY_SCOPE_ANY, "detail of the selected container",
	  "detail", view_detail_cmd_open },
	{ { '/' }, "/", KEY_ACT_FILTER, KEY_SCOPE_ANY, "filter by name: containers, services, panels and series (Esc clears)",
	  "filter", cmd_filter },
	{ { KEYS_ESC }, "Esc", KEY_ACT_CLOSE, KEY_SCOPE_ANY, "clear the filter", "clear-filter", cmd_filter_clear },
	{ { 'o' }, "o", KEY_ACT_SORT, KEY_SCOPE_ANY, "order: problems first, then by name / by name only",
	  "sort", cmd_sort },
	{ { 'L' }, "L", KEY_ACT_LOGS, KEY_SCOPE_ANY, "logs of the selected container", "logs", view_logs_cmd_open },
	{ { 'f' }, "f (logs)", KEY_ACT_FOLLOW, KEY_SCOPE_LOGS, "follow new lines / stop following",
	  "follow", view_logs_cmd_follow },
	{ { 't' }, "t (logs)", KEY_ACT_TIMESTAMPS, KEY_SCOPE_LOGS, "show / hide timestamps",
	  "timestamps", view_logs_cmd_timestamps },
	{ { KEYS_ESC, 'q' }, "Esc, q (logs)", KEY_ACT_CLOSE, KEY_SCOPE_LOGS, "back from the logs",
	  "close-logs", view_logs_cmd_close },
	{ { KEYS_ESC, 'q' }, "Esc, q (detail)", KEY_ACT_CLOSE, KEY_SCOPE_DETAIL, "back from the detail",
	  "close-detail", view_detail_cmd_close },
	{ { '/' }, "/ (logs, detail)", KEY_ACT_SEARCH, KEY_SCOPE_TEXT, "search (Enter: go, Esc: cancel)",
	  "search", viewer_cmd_search },
	{ { 'n' }, "n (logs, detail)", KEY_ACT_SEARCH_NEXT, KEY_SCOPE_TEXT, "next match",
	  "search-next", viewer_cmd_search_next },
	{ { 'N' }, "N (logs, detail)", KEY_ACT_SEARCH_PREV, KEY_SCOPE_TEXT, "previous match",
	  "search-prev", viewer_cmd_search_next },
	{ { 'r' }, "r", KEY_ACT_RESTART, KEY_SCOPE_ANY, "restart the selected container (asks)",
	  "restart", actions_ui_cmd },
	{ { 's' }, "s", KEY_ACT_STOPSTART, KEY_SCOPE_ANY, "stop / start the selected container (asks)",
	  "stop-start", actions_ui_cmd },
	{ { 'e' }, "e", KEY_ACT_EXEC, KEY_SCOPE_ANY, "a shell in the selected container (exit: back here)",
	  "exec", shell_ui_cmd },
	{ { 'S' }, "S", KEY_ACT_SHELL, KEY_SCOPE_ANY, "a login shell on the selected host (exit: back here)",
	  "shell", shell_ui_cmd },
	{ { 'd' }, "d", KEY_ACT_DRAIN, KEY_SCOPE_ANY, "drain the selected host: stop its tunnel connector (asks)",
	  "drain", view_traffic_cmd },
	{ { 'u' }, "u", KEY_ACT_UNDRAIN, KEY_SCOPE_ANY, "undrain the selected host: start its connector (asks)",
	  "undrain", view_traffic_cmd },
	{ { 'F' }, "F", KEY_ACT_FLIP, KEY_SCOPE_ANY, "flip traffic from the selected host to the other (asks)",
	  "flip", view_traffic_cmd },
	{ { 'R' }, "R", KEY_ACT_REFRESH, KEY_SCOPE_ANY, "refresh every source now", "refresh", cmd_refresh },
	{ { 'p' }, "p", KEY_ACT_PAUSE, KEY_SCOPE_ANY, "pause / resume refreshing", "pause", cmd_pause },
	{ { 'T' }, "T", KEY_ACT_THEME_NEXT, KEY_SCOPE_ANY, "next colour theme", "theme-next", cmd_theme },
	{ { '?' }, "?", KEY_ACT_HELP, KEY_SCOPE_ANY, "this help", "help", cmd_help },
	{ { KEYS_ESC, '?', 'q' }, "Esc, ?, q", KEY_ACT_CLOSE, KEY_SCOPE_HELP, "close this help",
	  "close-help", cmd_help_close },
	{ { 'q' }, "q", KEY_ACT_QUIT, KEY_SCOPE_ANY, "quit", "quit", cmd_quit },
	{ { ' ' }, "Space (replay)", KEY_ACT_REPLAY_PAUSE, KEY_SCOPE_REPLAY, "pause / play the recording",
	  "replay-pause", replay_cmd },
	{ { ',' }, ", (replay)", KEY_ACT_REPLAY_BACK, KEY_SCOPE_REPLAY, "a frame back (pauses)",
	  "replay-back", replay_cmd },
	{ { '.' }, ". (replay)", KEY_ACT_REPLAY_FORWARD, KEY_SCOPE_REPLAY, "a frame forward (pauses)",
	  "replay-forward", replay_cmd },
	{ { '[' }, "[ (replay)", KEY_ACT_REPLAY_SLOWER, KEY_SCOPE_REPLAY, "play slower",
	  "replay-slower", replay_cmd },
	{ { ']' }, "] (replay)", KEY_ACT_REPLAY_FASTER, KEY_SCOPE_REPLAY, "play faster",
	  "replay-faster", replay_cmd },
	{ { 'g' }, "g (replay)", KEY_ACT_REPLAY_START, KEY_SCOPE_REPLAY, "the first frame",
	  "replay-start", replay_cmd },
	{ { 'G' }, "G (replay)", KEY_ACT_REPLAY_END, KEY_SCOPE_REPLAY, "the last frame",
	  "replay-end", replay_cmd },
};

void keys_init(const struct keys_special *k)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
		switch (keys[i].action) {
		case KEY_ACT_HOST_NEXT: keys[i].codes[2] = k->right; break;
		case KEY_ACT_HOST_PREV: keys[i].codes[1] = k->btab; keys[i].codes[2] = k->left; break;
		case KEY_ACT_DOWN: keys[i].codes[1] = k->down; break;
		case KEY_ACT_UP: keys[i].codes[1] = k->up; break;
		case KEY_ACT_PAGE_DOWN: keys[i].codes[1] = k->npage; break;
		case KEY_ACT_PAGE_UP: keys[i].codes[1] = k->ppage; break;
		case KEY_ACT_TOP: keys[i].codes[1] = k->home; break;
		case KEY_ACT_BOTTOM: keys[i].codes[1] = k->end; break;
		case KEY_ACT_DETAIL: keys[i].codes[2] = k->enter; break;
		default: break;
		}
	}
}

const struct key_binding *keys_table(size_t *n)
{
	*n = UTIL_ARRAY_LEN(keys);
	return keys;
}

static const struct key_binding *keys_find(int code, enum key_scope scope)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
		if (keys[i].scope != scope)
			continue;
		for (size_t j = 0; j < UTIL_ARRAY_LEN(keys[i].codes) && keys[i].codes[j] != 0; j++)
			if (keys[i].codes[j] == code)
				return &keys[i];
	}
	return NULL;
}

const struct key_binding *keys_binding(int code, enum key_scope scope)
{
	const struct key_binding *b = NULL;

	if (code == 0)
		return NULL;
	if (scope != KEY_SCOPE_ANY)
		b = keys_find(code, scope);
	if (b == NULL && (scope == KEY_SCOPE_LOGS || scope == KEY_SCOPE_DETAIL))
		b = keys_find(code, KEY_SCOPE_TEXT);
	return b != NULL ? b : keys_find(code, KEY_SCOPE_ANY);
}

enum key_action keys_lookup(int code, enum key_scope scope)
{
	const struct key_binding *b = keys_binding(code, scope);

	return b != NULL ? b->action : KEY_ACT_NONE;
}

const struct key_binding *keys_for(enum key_action a)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
		if (keys[i].action == a)
			return &keys[i];
	return NULL;
}
