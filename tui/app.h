/* app — the full-screen TUI: curses setup, the loop, signals.
 *
 * The loop poll()s stdin, the wake pipe and a tick of at most 1 s, and
 * redraws only when the feeds published something new, a key came, the
 * size changed or a drawn label (an age) is due to change.  Each redraw
 * takes one frame of the feeds (core/model/frame.h), draws it and releases
 * it.  It never touches the network. */
#ifndef KITETOP_TUI_APP_H
#define KITETOP_TUI_APP_H

#include "core/config/config.h"

/* Runs the TUI on the configuration (borrowed) until the user quits or a
 * signal (TERM, HUP, INT) arrives.  theme: a name or path, or NULL for the
 * configuration's.  Returns the process exit status; errors before the
 * screen is set up are printed to stderr. */
int app_run(struct config *cfg, const char *theme);

/* `kitetop replay FILE`: the recording drawn in the same views (tui/replay.h),
 * with its own configuration; no network, no action.  Returns the exit
 * status. */
int app_replay(const char *path, const char *theme);

#endif
