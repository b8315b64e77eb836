/* provide_curses — the one place that chooses the curses header (htop's
 * ProvideCurses.h).  Only tui/ and widgets/ include it. */
#ifndef KITETOP_WIDGETS_PROVIDE_CURSES_H
#define KITETOP_WIDGETS_PROVIDE_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#endif
