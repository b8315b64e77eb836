/* rows_probe — the short text of a probe result in a table cell (pure, no
 * curses): "200 12ms", "404 15ms", "connection refused", "timeout after 5 s",
 * "waiting..." (not probed yet), "" (no probe configured: r NULL). */
#ifndef KITETOP_TUI_ROWS_PROBE_H
#define KITETOP_TUI_ROWS_PROBE_H

#include <stddef.h>

#include "backends/probe.h"

void rows_probe(char *out, size_t n, const struct probe_result *r);

#endif
