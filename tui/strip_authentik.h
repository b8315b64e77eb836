/* strip_authentik — Authentik's part of the overview's shared strip:
 * version (and the newer one when outdated), then live/ready per host. */
#ifndef KITETOP_TUI_STRIP_AUTHENTIK_H
#define KITETOP_TUI_STRIP_AUTHENTIK_H

#include <stddef.h>

#include "core/model/frame.h"
#include "tui/ui.h"

/* The strip's text for a (NULL: not polled yet) into out (pure), the hosts
 * named as in f; returns true when something is wrong (a host not live or
 * not ready, an error). */
bool strip_authentik_text(char *out, size_t n, const struct feed_authentik *a, const char *error,
                          const struct frame *f, bool utf8);
/* Draws f's Authentik at y, x (at most maxw cells); returns the cells used
 * (0 when there is no [authentik]). */
int strip_authentik_draw(struct ui *ui, const struct frame *f, WINDOW *w, int y, int x, int maxw);

#endif
