/* term_check — whether the terminal can draw a full-screen dashboard. */
#ifndef KITETOP_TUI_TERM_CHECK_H
#define KITETOP_TUI_TERM_CHECK_H

/* 0 when the terminal named by TERM can place the cursor (or terminfo does
 * not know it: initscr() then says so itself); -1 with a message on stderr
 * when terminfo knows it and it has no cursor addressing (TERM=dumb). */
int term_check_cursor(void);

#endif
