/* term_check — whether the terminal can draw a full-screen dashboard. */
#ifndef KITETOP_TUI_TERM_CHECK_H
#define KITETOP_TUI_TERM_CHECK_H

/* Asked before initscr().  When terminfo does not know TERM (xterm-kitty,
 * alacritty, xterm-ghostty on a machine without their entries), TERM is set
 * to the first of xterm-256color, xterm, vt100 that it knows and *notice
 * (caller frees) says so in a line; else *notice is NULL.  Returns 0 when
 * the terminal (or its stand-in) can place the cursor; -1 with a message on
 * stderr when it cannot (TERM=dumb) or when no stand-in is known either. */
int term_check_cursor(char **notice);

#endif
