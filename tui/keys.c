/* keys — see keys.h. */
#include "tui/keys.h"

#include "core/base/util.h"

#define KEYS_ESC 27
#define KEYS_TAB '\t'

static struct key_binding keys[] = {
	{ { '1' }, "1", KEY_ACT_VIEW_OVERVIEW, KEY_SCOPE_ANY, "Overview: hosts side by side" },
	{ { '2' }, "2", KEY_ACT_VIEW_SERVICES, KEY_SCOPE_ANY, "Services: services down, hosts across" },
	{ { '3' }, "3", KEY_ACT_VIEW_DATA, KEY_SCOPE_ANY, "Data: the shared Postgres and Redis, per-host connections" },
	{ { '4' }, "4", KEY_ACT_VIEW_TRAFFIC, KEY_SCOPE_ANY, "Traffic: the tunnel's connectors per host" },
	{ { '5' }, "5", KEY_ACT_VIEW_METRICS, KEY_SCOPE_ANY, "Metrics: the [panel] queries, value and sparkline a series" },
	{ { KEYS_TAB, 'l' }, "Tab, l, \xe2\x86\x92", KEY_ACT_HOST_NEXT, KEY_SCOPE_ANY, "next host column" },
	{ { 'h' }, "Shift-Tab, h, \xe2\x86\x90", KEY_ACT_HOST_PREV, KEY_SCOPE_ANY, "previous host column" },
	{ { 'j' }, "j, \xe2\x86\x93", KEY_ACT_DOWN, KEY_SCOPE_ANY, "next container" },
	{ { 'k' }, "k, \xe2\x86\x91", KEY_ACT_UP, KEY_SCOPE_ANY, "previous container" },
	{ { 0x06 }, "PgDn, Ctrl-F", KEY_ACT_PAGE_DOWN, KEY_SCOPE_ANY, "a page down" },
	{ { 0x02 }, "PgUp, Ctrl-B", KEY_ACT_PAGE_UP, KEY_SCOPE_ANY, "a page up" },
	{ { 'g' }, "g, Home", KEY_ACT_TOP, KEY_SCOPE_ANY, "first container" },
	{ { 'G' }, "G, End", KEY_ACT_BOTTOM, KEY_SCOPE_ANY, "last container" },
	{ { '\r', '\n' }, "Enter", KEY_ACT_DETAIL, KEY_SCOPE_ANY, "detail of the selected container" },
	{ { '/' }, "/", KEY_ACT_FILTER, KEY_SCOPE_ANY, "filter by name: containers, services, panels and series (Esc clears)" },
	{ { KEYS_ESC }, "Esc", KEY_ACT_CLOSE, KEY_SCOPE_ANY, "clear the filter" },
	{ { 'o' }, "o", KEY_ACT_SORT, KEY_SCOPE_ANY, "order: problems first, then by name / by name only" },
	{ { 'L' }, "L", KEY_ACT_LOGS, KEY_SCOPE_ANY, "logs of the selected container" },
	{ { 'f' }, "f (logs)", KEY_ACT_FOLLOW, KEY_SCOPE_LOGS, "follow new lines / stop following" },
	{ { 't' }, "t (logs)", KEY_ACT_TIMESTAMPS, KEY_SCOPE_LOGS, "show / hide timestamps" },
	{ { KEYS_ESC, 'q' }, "Esc, q (logs)", KEY_ACT_CLOSE, KEY_SCOPE_LOGS, "back from the logs" },
	{ { KEYS_ESC, 'q' }, "Esc, q (detail)", KEY_ACT_CLOSE, KEY_SCOPE_DETAIL, "back from the detail" },
	{ { '/' }, "/ (logs, detail)", KEY_ACT_SEARCH, KEY_SCOPE_TEXT, "search (Enter: go, Esc: cancel)" },
	{ { 'n' }, "n (logs, detail)", KEY_ACT_SEARCH_NEXT, KEY_SCOPE_TEXT, "next match" },
	{ { 'N' }, "N (logs, detail)", KEY_ACT_SEARCH_PREV, KEY_SCOPE_TEXT, "previous match" },
	{ { 'r' }, "r", KEY_ACT_RESTART, KEY_SCOPE_ANY, "restart the selected container (asks)" },
	{ { 's' }, "s", KEY_ACT_STOPSTART, KEY_SCOPE_ANY, "stop / start the selected container (asks)" },
	{ { 'd' }, "d", KEY_ACT_DRAIN, KEY_SCOPE_ANY, "drain the selected host: stop its tunnel connector (asks)" },
	{ { 'u' }, "u", KEY_ACT_UNDRAIN, KEY_SCOPE_ANY, "undrain the selected host: start its connector (asks)" },
	{ { 'F' }, "F", KEY_ACT_FLIP, KEY_SCOPE_ANY, "flip traffic from the selected host to the other (asks)" },
	{ { 'R' }, "R", KEY_ACT_REFRESH, KEY_SCOPE_ANY, "refresh every source now" },
	{ { 'p' }, "p", KEY_ACT_PAUSE, KEY_SCOPE_ANY, "pause / resume refreshing" },
	{ { 'T' }, "T", KEY_ACT_THEME_NEXT, KEY_SCOPE_ANY, "next colour theme" },
	{ { '?' }, "?", KEY_ACT_HELP, KEY_SCOPE_ANY, "this help" },
	{ { KEYS_ESC, '?', 'q' }, "Esc, ?, q", KEY_ACT_CLOSE, KEY_SCOPE_HELP, "close this help" },
	{ { 'q' }, "q", KEY_ACT_QUIT, KEY_SCOPE_ANY, "quit" },
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

static enum key_action keys_find(int code, enum key_scope scope)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
		if (keys[i].scope != scope)
			continue;
		for (size_t j = 0; j < UTIL_ARRAY_LEN(keys[i].codes) && keys[i].codes[j] != 0; j++)
			if (keys[i].codes[j] == code)
				return keys[i].action;
	}
	return KEY_ACT_NONE;
}

enum key_action keys_lookup(int code, enum key_scope scope)
{
	enum key_action a = KEY_ACT_NONE;

	if (code == 0)
		return KEY_ACT_NONE;
	if (scope != KEY_SCOPE_ANY)
		a = keys_find(code, scope);
	if (a == KEY_ACT_NONE && (scope == KEY_SCOPE_LOGS || scope == KEY_SCOPE_DETAIL))
		a = keys_find(code, KEY_SCOPE_TEXT);
	return a != KEY_ACT_NONE ? a : keys_find(code, KEY_SCOPE_ANY);
}
