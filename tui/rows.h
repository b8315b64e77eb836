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
/* Whether a row of that width shows the container's CPU % or memory (a
 * narrower one does not: its figures need not be asked for). */
bool rows_container_shows_figures(int width);
/* The header matching rows_container at that width. */
void rows_container_header(char *out, size_t n, int width);

/* Sorts problems first (by verdict_container_severity), then by name. */
void rows_sort_containers(const struct docker_container **v, size_t n);

/* The orders of the lists (o cycles them, in this order).  Every order
 * breaks ties by name, so rows do not swap places between refreshes. */
enum rows_order {
	ROWS_ORDER_PROBLEMS,     /* state: by severity, worst first, then by name (the default) */
	ROWS_ORDER_NAME,         /* by name only */
	ROWS_ORDER_CPU,          /* CPU %, highest first; unknown last */
	ROWS_ORDER_MEM,          /* memory, most first; unknown last */
	ROWS_ORDER_RESTARTS,     /* restarts, most first; unknown last */
	ROWS_ORDER_UPTIME,       /* uptime, shortest first (latest start); not running last */
	ROWS_ORDER_COUNT
};
/* <0, 0, >0 as x goes before, with, after y in that order. */
int rows_compare(const struct docker_container *x, const struct docker_container *y,
                 enum rows_order order);
void rows_sort_containers_by(const struct docker_container **v, size_t n, enum rows_order order);
/* The next order o cycles to. */
enum rows_order rows_order_next(enum rows_order order);
/* Its name in words: "state (problems first)", "name", "CPU", ... */
const char *rows_order_name(enum rows_order order);
/* The header of rows_container at that width, the sorted column marked
 * (UTF-8 "CPU▼", ASCII "CPU v"; ▲ ^ for the ascending ones); the default
 * order (ROWS_ORDER_PROBLEMS) leaves the header unmarked; a sorted column
 * too narrow to be shown is named after CONTAINER ("CONTAINER CPU▼", or
 * "CPU▼" in its place when that does not fit). */
void rows_container_header_sorted(char *out, size_t n, int width, enum rows_order order, bool utf8);
/* The mark a sorted column's header carries ("▼", "▲", " v", " ^"). */
const char *rows_order_mark(enum rows_order order, bool utf8);

/* The filter (/): true when filter is empty or name contains it, ignoring
 * case (ASCII). */
bool rows_name_match(const char *name, const char *filter);

/* The filter in the Metrics view: a series shows when its panel's title or
 * its own label matches (a matching title keeps the whole panel). */
bool rows_series_match(const char *title, const char *label, const char *filter);

#endif
