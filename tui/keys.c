/* keys — see keys.h. */
#include "tui/keys.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/base/util.h"
#include "tui/actions_ui.h"
#include "tui/cmd.h"
#include "tui/keynames.h"
#include "tui/kube_ui.h"
#include "tui/replay.h"
#include "tui/shell_ui.h"
#include "tui/view_detail.h"
#include "tui/view_logs.h"
#include "tui/view_traffic.h"
#include "tui/viewer.h"
#include "tui/views.h"

#define KEYS_ESC 27
#define KEYS_TAB '\t'
#define KEYS_DEL 127
#define KEYS_BS 8
#define KEYS_LABEL_MAX 48
#define KEYS_NAME_MAX 16

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
	{ { '7' }, "7", KEY_ACT_VIEW_CLUSTER, KEY_SCOPE_ANY,
	  "Cluster: Kubernetes nodes side by side, pods worst first (again: the next cluster)",
	  "view-cluster", views_cmd_select },
	{ { KEYS_TAB, 'l' }, "Tab, l, \xe2\x86\x92", KEY_ACT_HOST_NEXT, KEY_SCOPE_ANY, "next host column (Services: scroll the hosts right)",
	  "host-next", cmd_host },
	{ { 'h' }, "Shift-Tab, h, \xe2\x86\x90", KEY_ACT_HOST_PREV, KEY_SCOPE_ANY, "previous host column (Services: scroll left)",
	  "host-prev", cmd_host },
	{ { 'j' }, "j, \xe2\x86\x93", KEY_ACT_DOWN, KEY_SCOPE_ANY, "next container", "down", cmd_move },
	{ { 'k' }, "k, \xe2\x86\x91", KEY_ACT_UP, KEY_SCOPE_ANY, "previous container", "up", cmd_move },
	{ { 0x06 }, "PgDn, Ctrl-F", KEY_ACT_PAGE_DOWN, KEY_SCOPE_ANY, "a page down", "page-down", cmd_move },
	{ { 0x02 }, "PgUp, Ctrl-B", KEY_ACT_PAGE_UP, KEY_SCOPE_ANY, "a page up", "page-up", cmd_move },
	{ { 'g' }, "g, Home", KEY_ACT_TOP, KEY_SCOPE_ANY, "first container", "top", cmd_move },
	{ { 'G' }, "G, End", KEY_ACT_BOTTOM, KEY_SCOPE_ANY, "last container", "bottom", cmd_move },
	{ { '\r', '\n' }, "Enter", KEY_ACT_DETAIL, KEY_SCOPE_ANY,
	  "detail of the selected container; in Data, Services and Traffic: the lines cut at the edge, in full",
	  "detail", view_detail_cmd_open },
	{ { '/' }, "/", KEY_ACT_FILTER, KEY_SCOPE_ANY, "filter by name: containers, services, panels and series (Esc clears)",
	  "filter", cmd_filter },
	{ { KEYS_ESC }, "Esc", KEY_ACT_CLOSE, KEY_SCOPE_ANY, "clear the filter", "clear-filter", cmd_filter_clear },
	{ { 'o' }, "o", KEY_ACT_SORT, KEY_SCOPE_ANY, "order: state (problems first), name, CPU, memory, restarts, uptime (in turn)",
	  "sort", cmd_sort },
	{ { 'L' }, "L", KEY_ACT_LOGS, KEY_SCOPE_ANY, "logs of the selected container (Services: of the service on every host)", "logs", view_logs_cmd_open },
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
	/* the viewers' own keys after the common ones: the help lists the
	 * table in order, and what every screen uses comes first */
	{ { 'f' }, "f (logs)", KEY_ACT_FOLLOW, KEY_SCOPE_LOGS, "follow new lines / stop following",
	  "follow", view_logs_cmd_follow },
	{ { 't' }, "t (logs)", KEY_ACT_TIMESTAMPS, KEY_SCOPE_LOGS, "show / hide timestamps",
	  "timestamps", view_logs_cmd_timestamps },
	{ { 'v' }, "v (logs)", KEY_ACT_SPLIT, KEY_SCOPE_LOGS,
	  "a service's logs: interleaved with a host column / a column per host", "split",
	  view_logs_cmd_service_only },
	{ { '>' }, "> (logs)", KEY_ACT_WRAP, KEY_SCOPE_LOGS, "a service's logs: wrap / cut long lines",
	  "wrap", view_logs_cmd_service_only },
	{ { 'w' }, "w (logs)", KEY_ACT_SAVE, KEY_SCOPE_LOGS,
	  "a service's logs: save them to ./kitetop-logs-SERVICE-DATE-TIME.txt", "save-logs",
	  view_logs_cmd_service_only },
	{ { '[' }, "[ (logs)", KEY_ACT_SINCE_NARROWER, KEY_SCOPE_LOGS,
	  "a service's logs: since less (1h, 10m, 1m)", "since-narrower", view_logs_cmd_service_only },
	{ { ']' }, "] (logs)", KEY_ACT_SINCE_WIDER, KEY_SCOPE_LOGS,
	  "a service's logs: since more (1m, 10m, 1h, all)", "since-wider", view_logs_cmd_service_only },
	{ { 'c' }, "c (cluster)", KEY_ACT_CORDON, KEY_SCOPE_CLUSTER,
	  "cordon the selected node: no new pods on it (asks)", "cordon", kube_ui_cmd },
	{ { 'U' }, "U (cluster)", KEY_ACT_UNCORDON, KEY_SCOPE_CLUSTER,
	  "uncordon the selected node (asks)", "uncordon", kube_ui_cmd },
	{ { 'D' }, "D (cluster)", KEY_ACT_DRAIN_NODE, KEY_SCOPE_CLUSTER,
	  "drain the selected node: cordon, evict its pods (asks, showing the plan)", "drain-node",
	  kube_ui_cmd },
	{ { 'r' }, "r (cluster)", KEY_ACT_ROLLOUT_RESTART, KEY_SCOPE_CLUSTER,
	  "rollout restart of the workload that owns the selected pod (asks)", "rollout-restart",
	  kube_ui_cmd },
	{ { 's' }, "s (cluster)", KEY_ACT_GITOPS_SYNC, KEY_SCOPE_CLUSTER,
	  "reconcile a Flux object / sync an Argo CD application: pick it, then asks",
	  "sync-reconcile", kube_ui_cmd },
	{ { 'S' }, "S (cluster)", KEY_ACT_GITOPS_SUSPEND, KEY_SCOPE_CLUSTER,
	  "suspend / resume a Flux object: pick it, then asks", "suspend-resume", kube_ui_cmd },
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

#define KEYS_N UTIL_ARRAY_LEN(keys)

static struct keys_special special;
/* The table as it was before [keys], special keys in: what keys_apply()
 * starts from each time, so that a second call does not build on the first. */
static struct key_binding defaults[KEYS_N];
static bool have_defaults;
/* The labels of the rebound rows. */
static char labels[KEYS_N][KEYS_LABEL_MAX];

void keys_init(const struct keys_special *k)
{
	if (have_defaults)
		memcpy(keys, defaults, sizeof(keys));
	special = *k;
	for (size_t i = 0; i < KEYS_N; i++) {
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
	memcpy(defaults, keys, sizeof(keys));
	have_defaults = true;
	/* the names shown on screen: of these special keys, from this table */
	keynames_init(k, keys, KEYS_N);
}

/* ---- [keys] ----------------------------------------------------------------------- */

static void add_code(int *codes, size_t *n, int code)
{
	if (code != 0 && *n + 1 < KEYS_MAX_CODES)
		codes[(*n)++] = code;
}

/* Appends the codes the configuration's key arrives as to codes[*n]. */
static void config_codes(int key, int *codes, size_t *n)
{
	switch (key) {
	case CONFIG_KEY_ENTER:
		add_code(codes, n, '\r');
		add_code(codes, n, '\n');
		add_code(codes, n, special.enter);
		return;
	case CONFIG_KEY_BACKSPACE:
		add_code(codes, n, special.backspace);
		add_code(codes, n, KEYS_DEL);
		add_code(codes, n, KEYS_BS);
		return;
	case CONFIG_KEY_UP: add_code(codes, n, special.up); return;
	case CONFIG_KEY_DOWN: add_code(codes, n, special.down); return;
	case CONFIG_KEY_LEFT: add_code(codes, n, special.left); return;
	case CONFIG_KEY_RIGHT: add_code(codes, n, special.right); return;
	case CONFIG_KEY_PGUP: add_code(codes, n, special.ppage); return;
	case CONFIG_KEY_PGDN: add_code(codes, n, special.npage); return;
	case CONFIG_KEY_HOME: add_code(codes, n, special.home); return;
	case CONFIG_KEY_END: add_code(codes, n, special.end); return;
	case CONFIG_KEY_BTAB: add_code(codes, n, special.btab); return;
	default:
		if (key >= CONFIG_KEY_F1 && key <= CONFIG_KEY_F12)
			add_code(codes, n, special.f0 != 0 ? special.f0 + key - CONFIG_KEY_F1 + 1 : 0);
		else
			add_code(codes, n, key);
	}
}

/* The label of a rebound row: its keys' names (one for the codes a key
 * arrives as), then where it applies, as the default labels say it. */
static void make_label(const struct key_binding *b, char *out, size_t n)
{
	static const char *const where[] = {
		[KEY_SCOPE_LOGS] = " (logs)", [KEY_SCOPE_DETAIL] = " (detail)",
		[KEY_SCOPE_TEXT] = " (logs, detail)", [KEY_SCOPE_REPLAY] = " (replay)",
		[KEY_SCOPE_CLUSTER] = " (cluster)",
	};
	char name[KEYS_NAME_MAX], last[KEYS_NAME_MAX] = "";
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < KEYS_MAX_CODES && b->codes[i] != 0 && len < n; i++) {
		keynames_code(b->codes[i], name, sizeof(name));
		if (strcmp(name, last) == 0)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s%s", len > 0 ? ", " : "", name);
		util_strlcpy(last, name, sizeof(last));
	}
	if (len < n && where[b->scope] != NULL)
		snprintf(out + len, n - len, "%s", where[b->scope]);
}

static int row_index(const char *name)
{
	for (size_t i = 0; i < KEYS_N; i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void unknown_action(const struct config_keys *k, const struct config_binding *cb,
                           char **cause)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < KEYS_N; i++) {
		size_t d = util_edit_distance(cb->action, keys[i].name);

		if (d < best_d) {
			best_d = d;
			best = keys[i].name;
		}
	}
	if (best != NULL)
		util_set_cause(cause, "%s:%d: unknown action %s in [keys] (did you mean %s?)", k->path,
		               cb->line, cb->action, best);
	else
		util_set_cause(cause, "%s:%d: unknown action %s in [keys]: the actions are listed in "
		               "man kitetop (KEYS)", k->path, cb->line, cb->action);
}

/* Whether a key bound in scope a and in scope b would be the same key
 * somewhere: the same scope, or the text viewers' and the logs' or the
 * detail's (a scope's own keys hiding the global ones is by design). */
static bool scopes_meet(enum key_scope a, enum key_scope b)
{
	if (a == b)
		return true;
	if (a == KEY_SCOPE_TEXT)
		return b == KEY_SCOPE_LOGS || b == KEY_SCOPE_DETAIL;
	if (b == KEY_SCOPE_TEXT)
		return a == KEY_SCOPE_LOGS || a == KEY_SCOPE_DETAIL;
	return false;
}

static bool has_code(const struct key_binding *b, int code)
{
	for (size_t i = 0; i < KEYS_MAX_CODES && b->codes[i] != 0; i++)
		if (b->codes[i] == code)
			return true;
	return false;
}

/* The row of next[] other than r that holds one of codes in a scope r's
 * meets, or -1. */
static int clash(const struct key_binding *next, int r, const int *codes, size_t n)
{
	for (size_t j = 0; j < KEYS_N; j++) {
		if ((int)j == r || !scopes_meet(next[r].scope, next[j].scope))
			continue;
		for (size_t c = 0; c < n; c++)
			if (has_code(&next[j], codes[c]))
				return (int)j;
	}
	return -1;
}

/* Checks the keys of one line of [keys] (row r) against every binding in
 * force once all lines are applied. */
static int check_line(const struct config_keys *k, const struct config_binding *cb, int r,
                      const struct key_binding *next, const struct config_binding *const *by_row,
                      char **cause)
{
	for (size_t i = 0; i < cb->nkeys; i++) {
		int codes[KEYS_MAX_CODES];
		size_t n = 0;
		int j;
		char name[KEYS_NAME_MAX];
		const struct config_binding *other;

		config_codes(cb->keys[i], codes, &n);
		j = clash(next, r, codes, n);
		if (j < 0)
			continue;
		keynames_code(codes[0], name, sizeof(name));
		other = by_row[j];
		if (other == NULL)
			util_set_cause(cause, "%s:%d: %s for %s is already the key of %s: rebind %s too, "
			               "or choose another key", k->path, cb->line, name, cb->action,
			               next[j].name, next[j].name);
		else if (other->line > cb->line)
			util_set_cause(cause, "%s:%d: %s is given twice in [keys]: for %s, and for %s on "
			               "line %d", k->path, other->line, name, other->action, cb->action,
			               cb->line);
		else
			util_set_cause(cause, "%s:%d: %s is given twice in [keys]: for %s, and for %s on "
			               "line %d", k->path, cb->line, name, cb->action, other->action,
			               other->line);
		return -1;
	}
	return 0;
}

int keys_apply(const struct config_keys *k, char **cause)
{
	struct key_binding next[KEYS_N];
	char next_labels[KEYS_N][KEYS_LABEL_MAX];
	const struct config_binding *by_row[KEYS_N] = { 0 };
	size_t n = k != NULL ? k->n : 0;

	if (!have_defaults) {
		memcpy(defaults, keys, sizeof(keys));
		have_defaults = true;
	}
	memcpy(next, defaults, sizeof(next));
	for (size_t i = 0; i < n; i++) {
		const struct config_binding *cb = &k->bindings[i];
		int r = row_index(cb->action);
		size_t nc = 0;

		if (r < 0) {
			unknown_action(k, cb, cause);
			return -1;
		}
		by_row[r] = cb;
		memset(next[r].codes, 0, sizeof(next[r].codes));
		for (size_t j = 0; j < cb->nkeys; j++)
			config_codes(cb->keys[j], next[r].codes, &nc);
		make_label(&next[r], next_labels[r], sizeof(next_labels[r]));
	}
	for (size_t i = 0; i < n; i++)
		if (check_line(k, &k->bindings[i], row_index(k->bindings[i].action), next, by_row, cause) != 0)
			return -1;
	for (size_t r = 0; r < KEYS_N; r++) {
		if (by_row[r] == NULL)
			continue;
		memcpy(labels[r], next_labels[r], sizeof(labels[r]));
		next[r].label = labels[r];
	}
	memcpy(keys, next, sizeof(keys));
	return 0;
}

const struct key_binding *keys_table(size_t *n)
{
	*n = UTIL_ARRAY_LEN(keys);
	return keys;
}

static const struct key_binding *keys_find(int code, enum key_scope scope)
{
	for (size_t i = 0; i < KEYS_N; i++)
		if (keys[i].scope == scope && has_code(&keys[i], code))
			return &keys[i];
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
