/* shell_ui — `e` (a shell in the selected container) and `S` (a login shell
 * on the selected host) in the dashboard (core/actions/shell.h).
 *
 * The dashboard steps aside: curses' mode is saved and the terminal given
 * back in its normal mode (def_prog_mode, endwin), the session runs on it
 * (in raw mode while it relays, window changes followed), and when the
 * remote shell exits the terminal is put back (reset_prog_mode, the new
 * size if it changed) and the whole screen redrawn, so the dashboard is as
 * it was.  The feeds go on polling meanwhile.  A toast then says how it
 * ended.  Read-only refuses with a toast (and an audit "refused" line). */
#ifndef KITETOP_TUI_SHELL_UI_H
#define KITETOP_TUI_SHELL_UI_H

#include "tui/keys.h"
#include "tui/ui.h"

/* The command of e and S (tui/keys.c). */
void shell_ui_cmd(struct ui *ui, enum key_action a);

#endif
