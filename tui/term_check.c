/* term_check — see term_check.h. */
#include "tui/term_check.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

/* A terminal without "cup" (dumb, or an emacs shell buffer) makes curses
 * fall back to printing each frame as scrolling text: a mess that looks
 * like a bug.  Asked before initscr(), and in a file of its own because
 * <term.h> defines macros (lines, columns...) the rest of the TUI uses as
 * names. */
int term_check_cursor(void)
{
	const char *name = getenv("TERM");
	const char *cup;
	int err = 0;

	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return 0;   /* unknown to terminfo: not this check's case */
	cup = tigetstr("cup");
	del_curterm(cur_term);
	cur_term = NULL;
	if (cup != NULL && cup != (char *)-1)
		return 0;
	fprintf(stderr, "kitetop: the terminal '%s' cannot place the cursor: use a terminal "
	    "that can (TERM=xterm-256color), or `kitetop status`\n", name != NULL ? name : "");
	return -1;
}
