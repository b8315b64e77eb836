/* keys — the one table that says what a key does (htop's keys[], tmux's key
 * tables).  The help screen is generated from it, so the two cannot drift.
 * Pure: no curses calls (key codes are plain ints, curses' KEY_* values are
 * passed in by the caller through the table's codes). */
#ifndef KITETOP_TUI_KEYS_H
#define KITETOP_TUI_KEYS_H

#include <stddef.h>

enum key_action {
	KEY_ACT_NONE,
	KEY_ACT_QUIT,
	KEY_ACT_HELP,
	KEY_ACT_VIEW_OVERVIEW,
	KEY_ACT_VIEW_SERVICES,
	KEY_ACT_HOST_NEXT,
	KEY_ACT_HOST_PREV,
	KEY_ACT_REFRESH,
	KEY_ACT_PAUSE,
	KEY_ACT_THEME_NEXT,
	KEY_ACT_CLOSE,          /* Esc: closes help, clears a filter */
};

/* Where a binding applies. */
enum key_scope { KEY_SCOPE_ANY, KEY_SCOPE_HELP };

struct key_binding {
	int codes[4];            /* key codes (curses values), 0-terminated */
	const char *label;       /* as shown in help: "Tab / Shift-Tab, h l, ← →" */
	enum key_action action;
	enum key_scope scope;
	const char *help;        /* what it does, in words */
};

/* The table, in help order; *n gets its length.  The codes of special keys
 * are the curses values given to keys_init() (this module has no curses). */
const struct key_binding *keys_table(size_t *n);

/* Registers the curses values of the special keys before keys_table() is
 * used: Tab, Shift-Tab (KEY_BTAB), left, right, Esc. */
void keys_init(int key_btab, int key_left, int key_right);

/* What `code` does in `scope` (help-scope bindings win there, then the rest). */
enum key_action keys_lookup(int code, enum key_scope scope);

#endif
