/* views — what fills the screen between the header and the footer, as a
 * table (tmux's window modes): the five views the header's tabs choose
 * (Overview, Services, Data, Traffic, Metrics), and the two text viewers
 * opened on a container over them (logs, detail).  Each view module
 * defines its own `const struct view`; the app draws, routes keys, the
 * mouse and the footer through the active one and has no list of views
 * of its own. */
#ifndef KITETOP_TUI_VIEWS_H
#define KITETOP_TUI_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model/frame.h"
#include "tui/keynames.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "widgets/keybar.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

struct view {
	const char *name;            /* the header's tab: "Overview" */
	enum key_action select;      /* the action that shows it (its key is the tab's); NONE: a viewer */
	enum key_scope scope;        /* where its keys are looked up */
	void (*draw)(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);
	/* its own meaning of an action, before the key table's command; true
	 * when it took it.  NULL: none. */
	bool (*key)(struct ui *ui, enum key_action a);
	void (*wheel)(struct ui *ui, long delta);    /* the mouse wheel (rows); NULL: none */
	void (*click)(struct ui *ui, int y, int x);  /* a click; NULL: none */
	const struct keynames_hint *keybar;              /* its footer; NULL: the common one */
	size_t nkeybar;
};

/* The header's tabs, in order: [enum ui_view]. */
extern const struct view *const views_tabs[UI_VIEW_COUNT];

/* The view on screen: the logs when open, else the detail when open, else
 * the chosen tab. */
const struct view *views_active(const struct ui *ui);

/* The command of the tabs' keys: shows the tab whose select is a (and
 * closes the help). */
void views_cmd_select(struct ui *ui, enum key_action a);

#endif
