/* rows — the text of a table row, formatted by pure functions (no curses),
 * so that unit tests can check exactly what a row says. */
#ifndef KITETOP_TUI_ROWS_H
#define KITETOP_TUI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker.h"

/* The state word a person reads: "healthy", "unhealthy", "running" (no
 * healthcheck), "starting", "exited (1)", "missing", ... and a glyph
 * (UTF-8 ● ▲ ✖, or ASCII + ! x) that carries the meaning without colour. */
const char *rows_container_glyph(const struct docker_container *c, bool utf8);
void rows_container_state(char *out, size_t n, const struct docker_container *c);

/* One row for a column `width` cells wide: name, state, uptime, restarts, CPU %,
 * memory, as many as fit (wide: all; narrow: name, state, restarts).  mark is
 * a one-cell glyph put before the name ("" for none).  now_ms: wall clock.
 * since (NULL or "": none) is how long a problem lasts ("14m"), put after
 * the state ("unhealthy 14m"; "exited 14m" when the exit code leaves no
 * room for it). */
void rows_container(char *out, size_t n, const struct docker_container *c, int width,
                    int64_t now_ms, bool utf8, const char *mark, const char *since);
/* The header matching rows_container at that width. */
void rows_container_header(char *out, size_t n, int width);

/* Sorts problems first (by verdict_container_severity), then by name. */
void rows_sort_containers(const struct docker_container **v, size_t n);

/* The orders of the container tables (o toggles them). */
enum rows_order {
	ROWS_ORDER_PROBLEMS,     /* by severity, worst first, then by name (the default) */
	ROWS_ORDER_NAME,         /* by name only */
};
void rows_sort_containers_by(const struct docker_container **v, size_t n, enum rows_order order);

/* The filter (/): true when filter is empty or name contains it, ignoring
 * case (ASCII). */
bool rows_name_match(const char *name, const char *filter);

/* The filter in the Metrics view: a series shows when its panel's title or
 * its own label matches (a matching title keeps the whole panel). */
bool rows_series_match(const char *title, const char *label, const char *filter);

#endif
