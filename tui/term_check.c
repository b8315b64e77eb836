/* term_check — see term_check.h. */
#include "tui/term_check.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "core/base/util.h"

/* The terminals tried, in order, for a TERM terminfo does not know: every
 * terminal emulator of today speaks xterm's language. */
static const char *const term_fallbacks[] = { "xterm-256color", "xterm", "vt100" };

/* Whether terminfo knows name; *cup whether it can place the cursor. */
static int term_known(const char *name, int *cup)
{
	const char *s;
	int err = 0;

	if (setupterm(name, STDOUT_FILENO, &err) != OK)
		return 0;
	s = tigetstr("cup");
	*cup = s != NULL && s != (char *)-1;
	del_curterm(cur_term);
	cur_term = NULL;
	return 1;
}

/* A terminal without "cup" (dumb, or an emacs shell buffer) makes curses
 * fall back to printing each frame as scrolling text: a mess that looks
 * like a bug.  In a file of its own because <term.h> defines macros (lines,
 * columns...) the rest of the TUI uses as names. */
int term_check_cursor(char **notice)
{
	const char *name = getenv("TERM");
	char *orig;
	size_t i;
	int cup = 0;

	*notice = NULL;
	if (name == NULL || *name == '\0')
		name = "unknown";
	if (term_known(NULL, &cup)) {
		if (cup)
			return 0;
		fprintf(stderr, "kitetop: the terminal '%s' cannot place the cursor: use a terminal "
		    "that can (TERM=xterm-256color), or `kitetop status`\n", name);
		return -1;
	}
	orig = xstrdup(name);
	for (i = 0; i < UTIL_ARRAY_LEN(term_fallbacks); i++) {
		if (term_known(term_fallbacks[i], &cup) && cup) {
			setenv("TERM", term_fallbacks[i], 1);
			*notice = xasprintf("terminal '%s' is unknown to terminfo: drawing as %s "
			    "(install its terminfo entry for the exact one)", orig, term_fallbacks[i]);
			free(orig);
			return 0;
		}
	}
	fprintf(stderr, "kitetop: the terminal '%s' is unknown to terminfo, and so are %s, %s "
	    "and %s: install ncurses-base or ncurses-term, or use `kitetop status`\n", orig,
	    term_fallbacks[0], term_fallbacks[1], term_fallbacks[2]);
	free(orig);
	return -1;
}
