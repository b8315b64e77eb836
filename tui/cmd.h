/* cmd — the key table's commands that act on the ui itself (tui/keys.c
 * binds them): quit, the help, the focused host and its container
 * selection, refresh and pause, the theme, the filter and the order.
 * Each has the key_command shape: the ui and the action of the key. */
#ifndef KITETOP_TUI_CMD_H
#define KITETOP_TUI_CMD_H

#include "tui/keys.h"
#include "tui/ui.h"

void cmd_quit(struct ui *ui, enum key_action a);
void cmd_help(struct ui *ui, enum key_action a);          /* opens the help at its top */
void cmd_help_close(struct ui *ui, enum key_action a);
void cmd_host(struct ui *ui, enum key_action a);          /* KEY_ACT_HOST_NEXT, _PREV */
/* KEY_ACT_DOWN, _UP, _PAGE_DOWN, _PAGE_UP, _TOP, _BOTTOM: the focused
 * column's selection (views and viewers that scroll take these first). */
void cmd_move(struct ui *ui, enum key_action a);
void cmd_refresh(struct ui *ui, enum key_action a);      /* every source, now */
void cmd_pause(struct ui *ui, enum key_action a);        /* pause / resume the sources */
void cmd_theme(struct ui *ui, enum key_action a);        /* the next colour theme */
void cmd_filter(struct ui *ui, enum key_action a);       /* opens the filter prompt */
void cmd_filter_clear(struct ui *ui, enum key_action a); /* clears it, when set */
void cmd_sort(struct ui *ui, enum key_action a);         /* o: the next order of the lists */

#endif
