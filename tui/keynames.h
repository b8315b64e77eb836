/* keynames — the names of keys as the screen shows them ("Tab", "Ctrl-Q",
 * "F6") and the keys in force of the key table's rows, for the footers, the
 * tabs and the help.  A module of its own, apart from keys.c, because the
 * key table calls into the views (its commands) and the views show keys:
 * keys.c tells this module the table, so neither of the two uses the other
 * in a circle. */
#ifndef KITETOP_TUI_KEYNAMES_H
#define KITETOP_TUI_KEYNAMES_H

#include <stddef.h>

#include "tui/keys.h"

/* The curses values of the special keys and the table in force (it stays
 * where it is; its rows change in place).  Called by keys_init(). */
void keynames_init(const struct keys_special *k, const struct key_binding *t, size_t n);

/* The name of a key code as the help and the footer show it: "q", "Tab",
 * "Ctrl-Q", "F6", "PgDn", an arrow; out (n bytes) is returned. */
const char *keynames_code(int code, char *out, size_t n);

/* A footer item, named by the rows whose keys it shows: names is one row
 * ("help") or two joined by ' ' or '/' ("search-next search-prev",
 * "down/up"), shown as their first keys joined the same way ("n N"). */
struct keynames_hint {
	const char *names;
	const char *label;       /* "next/prev" */
};
/* The keys of h in force, into out (n bytes), which is returned. */
const char *keynames_hint(const struct keynames_hint *h, char *out, size_t n);

/* The row named name, or NULL. */
const struct key_binding *keynames_row(const char *name);

#endif
