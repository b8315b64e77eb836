/* actions_ui — the TUI's actions: the confirm dialog, the progress box and
 * the result toast around core/action (tui/ only); `r` restart and `s`
 * stop/start the selected container.
 *
 * A key opens a confirm dialog ("Restart grafana on monk?", default No);
 * y starts the action (core/action) on its own thread and a progress box
 * shows what it does while the UI keeps drawing (Esc hides the box, the
 * action goes on; or, when the ask says esc_cancels, Esc cancels it:
 * action_cancel, its end comes as any other); at the end a toast says the result and the feeds are asked
 * to refresh, so the new state shows at the next poll.  One action at a
 * time.  Read-only: the keys show "read-only" and do nothing.
 *
 * Hooks in app.c: actions_ui_new/_free, actions_ui_key (first, for every
 * key), actions_ui_poll (each loop turn; true: redraw), actions_ui_draw
 * (over the view); the key table binds r and s to actions_ui_cmd.  Other
 * actions (drain, undrain, flip) use actions_ui_confirm(). */
#ifndef KITETOP_TUI_ACTIONS_UI_H
#define KITETOP_TUI_ACTIONS_UI_H

#include <stdbool.h>

#include "core/actions/action.h"
#include "core/base/wake.h"
#include "core/model/frame.h"
#include "tui/keys.h"
#include "tui/ui.h"

struct actions_ui;

/* wake (borrowed) is signalled by the action's thread. */
struct actions_ui *actions_ui_new(struct wake *wake);
/* Cancels a running action (audited as failed: cancelled), joins, frees. */
void actions_ui_free(struct actions_ui *au);

/* A key while a dialog is open: true when it took it (the confirm dialog
 * takes every key; the progress box only Esc). */
bool actions_ui_key(struct ui *ui, struct actions_ui *au, int key);
/* KEY_ACT_RESTART or KEY_ACT_STOPSTART on the selected container, its
 * state as f shows it. */
void actions_ui_start(struct ui *ui, struct actions_ui *au, const struct frame *f, enum key_action a);
/* The command of r and s (tui/keys.c): actions_ui_start on ui->actions,
 * with a frame of its own. */
void actions_ui_cmd(struct ui *ui, enum key_action a);
/* Picks up progress and the end of a running action.  True when the
 * screen must be redrawn. */
bool actions_ui_poll(struct ui *ui, struct actions_ui *au);
/* Draws the open dialog, if any, over r. */
void actions_ui_draw(struct ui *ui, struct actions_ui *au, WINDOW *w, struct rect r);

/* Starts the confirmed action (the ui, wake and arg given); never NULL. */
typedef struct action *(*actions_ui_start_fn)(struct ui *ui, struct wake *wake, void *arg);

/* What an action asks and shows.  Strings are copied. */
struct actions_ui_ask {
	const char *title;          /* the dialog's border: "Drain" */
	const char *question;       /* "Drain monk?" */
	const char *detail;         /* what is seen now (the interlock's view); may be NULL */
	const char *doing;          /* the progress box's text: "Draining monk" */
	const char *label;          /* for the failure toast: "drain monk" */
	const char *action;         /* for the audit log's "refused" line in read-only */
	const char *host;           /*   mode: the verb, the host, the target (may */
	const char *target;         /*   be NULL) */
	actions_ui_start_fn start;  /* called on y */
	void *arg;                  /* given to start; freed with free_arg (y or not) */
	void (*free_arg)(void *arg);
	bool esc_cancels;           /* Esc in the progress box cancels the action (a
	                             * drain: it stops between requests, says how far
	                             * it got) rather than hiding the box */
};
/* Opens the confirm dialog for ask.  In read-only mode it refuses at once:
 * the toast "read-only" and an audit "refused" line; while another action
 * runs, a toast.  Refused, arg is freed at once. */
void actions_ui_confirm(struct ui *ui, struct actions_ui *au, const struct actions_ui_ask *ask);

#endif
