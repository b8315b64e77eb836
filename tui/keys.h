/* keys — the one table that says what a key does (htop's key bindings,
 * tmux's key tables): each row binds key codes, in a scope, to an action
 * with a name and the command that carries it out.  The help screen is
 * generated from the same rows, so the two cannot drift.
 *
 * Every row's name is unique ("view-overview", "close-logs", ...): the
 * configuration's [keys] section rebinds a row by its name (keys_apply());
 * the action (enum key_action) is what the views' own key handlers look at
 * (tui/views.h).  This module makes no curses calls: curses' KEY_* values
 * come in through keys_init(). */
#ifndef KITETOP_TUI_KEYS_H
#define KITETOP_TUI_KEYS_H

#include <stddef.h>

#include "core/config/config.h"

enum key_action {
	KEY_ACT_NONE,
	KEY_ACT_QUIT,
	KEY_ACT_HELP,
	KEY_ACT_VIEW_OVERVIEW,
	KEY_ACT_VIEW_SERVICES,
	KEY_ACT_VIEW_DATA,
	KEY_ACT_VIEW_METRICS,
	KEY_ACT_HOST_NEXT,
	KEY_ACT_HOST_PREV,
	KEY_ACT_DOWN,
	KEY_ACT_UP,
	KEY_ACT_PAGE_DOWN,
	KEY_ACT_PAGE_UP,
	KEY_ACT_TOP,
	KEY_ACT_BOTTOM,
	KEY_ACT_REFRESH,
	KEY_ACT_PAUSE,
	KEY_ACT_THEME_NEXT,
	KEY_ACT_CLOSE,          /* Esc: closes help, logs or detail, clears the filter */
	KEY_ACT_LOGS,
	KEY_ACT_FOLLOW,
	KEY_ACT_TIMESTAMPS,
	KEY_ACT_DETAIL,         /* Enter: the selected container's detail */
	KEY_ACT_FILTER,         /* /: filter by name (containers, services, panels) */
	KEY_ACT_SEARCH,         /* / in the logs or the detail: search */
	KEY_ACT_SEARCH_NEXT,    /* n */
	KEY_ACT_SEARCH_PREV,    /* N */
	KEY_ACT_SORT,           /* o: the next order (tui/rows.h) */
	KEY_ACT_RESTART,        /* r: restart the selected container (asks) */
	KEY_ACT_STOPSTART,      /* s: stop or start it (asks) */
	KEY_ACT_VIEW_TRAFFIC,   /* 4: the Traffic view */
	KEY_ACT_DRAIN,          /* d: drain the selected host (asks) */
	KEY_ACT_UNDRAIN,        /* u: undrain it (asks) */
	KEY_ACT_FLIP,           /* F: flip traffic away from / back to it (asks) */
	KEY_ACT_VIEW_EVENTS,    /* 6: the Events view */
	KEY_ACT_REPLAY_PAUSE,   /* replay: space pauses / plays */
	KEY_ACT_REPLAY_BACK,    /* replay: , a frame back */
	KEY_ACT_REPLAY_FORWARD, /* replay: . a frame forward */
	KEY_ACT_REPLAY_SLOWER,  /* replay: [ */
	KEY_ACT_REPLAY_FASTER,  /* replay: ] */
	KEY_ACT_REPLAY_START,   /* replay: g the first frame */
	KEY_ACT_REPLAY_END,     /* replay: G the last frame */
	KEY_ACT_EXEC,           /* e: a shell in the selected container */
	KEY_ACT_SHELL,          /* S: a login shell on the selected host */
	KEY_ACT_SPLIT,          /* v (a service's logs): interleaved / side by side */
	KEY_ACT_WRAP,           /* > (a service's logs): wrap / cut long lines */
	KEY_ACT_SAVE,           /* w (a service's logs): save the merged lines */
	KEY_ACT_SINCE_NARROWER, /* [ (a service's logs): since 1h -> 10m -> 1m */
	KEY_ACT_SINCE_WIDER,    /* ] (a service's logs): since 1m -> 10m -> 1h -> all */
	KEY_ACT_VIEW_CLUSTER,   /* 7: the Cluster view (again: the next cluster) */
};

/* Where a binding applies.  KEY_SCOPE_TEXT: the text viewers (logs and
 * detail), looked up after their own scope. */
enum key_scope {
	KEY_SCOPE_ANY, KEY_SCOPE_HELP, KEY_SCOPE_LOGS, KEY_SCOPE_DETAIL, KEY_SCOPE_TEXT,
	KEY_SCOPE_REPLAY,    /* `kitetop replay`: looked up before every other scope */
};

struct ui;

/* A command: what a binding does once no view took its action first. */
typedef void key_command(struct ui *ui, enum key_action a);

/* A row's codes: the [keys] section's most keys an action, each up to the
 * three codes Enter or Backspace may arrive as, and the 0 at the end. */
#define KEYS_MAX_CODES (CONFIG_KEYS_PER_ACTION * 3 + 1)

struct key_binding {
	int codes[KEYS_MAX_CODES];   /* key codes (curses values), 0-terminated */
	const char *label;       /* as shown in help: "Tab / Shift-Tab, h l, ← →" */
	enum key_action action;
	enum key_scope scope;
	const char *help;        /* what it does, in words */
	const char *name;        /* the row's unique name: "view-overview" */
	key_command *run;
};

/* The table, in help order; *n gets its length.  The codes of special keys
 * are the curses values given to keys_init() (this module has no curses). */
const struct key_binding *keys_table(size_t *n);

/* The curses values of the special keys, registered before keys_table() is
 * used (this module has no curses). */
struct keys_special {
	int btab, left, right, down, up, npage, ppage, home, end;
	int enter;               /* KEY_ENTER (0: none) */
	int backspace;           /* KEY_BACKSPACE (0: none) */
	int f0;                  /* KEY_F0: Fn is f0 + n (0: no function keys) */
};
/* Registers them and puts the default bindings back in force. */
void keys_init(const struct keys_special *k);

/* Rebinds the rows [keys] names, in place of their default codes; the
 * labels of those rows are made from their new keys.  Checked first, and
 * nothing changes on an error: -1 and *cause = "FILE:LINE: ..." for an
 * action no row has, or a key that another binding in force has in the
 * same scope.  k with no bindings (or NULL) puts the defaults back. */
int keys_apply(const struct config_keys *k, char **cause);

/* The binding of `code` in `scope`, or NULL: that scope's bindings win,
 * then (logs and detail) the text viewers', then the rest. */
const struct key_binding *keys_binding(int code, enum key_scope scope);
/* Its action (KEY_ACT_NONE: none). */
enum key_action keys_lookup(int code, enum key_scope scope);
/* The first row bound to action a (its label names the key), or NULL. */
const struct key_binding *keys_for(enum key_action a);

#endif
