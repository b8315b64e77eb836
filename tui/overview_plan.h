/* overview_plan — what a host's column of the overview shows in the rows
 * it has, by priority (a pure function, no curses, so that unit tests
 * check it): what is wrong first (the host unreachable, its bad
 * containers, its tunnel), then its figures (one line, then the full
 * gauges), then its healthy containers, and the sparklines last; a
 * blank line before the table when nothing else wants it. */
#ifndef KITETOP_TUI_OVERVIEW_PLAN_H
#define KITETOP_TUI_OVERVIEW_PLAN_H

#include <stdbool.h>
#include <stddef.h>

/* What the column has to show. */
struct overview_need {
	bool unreachable;        /* a line for the connection's error */
	bool tunnel;             /* a tunnel line (configured) */
	int figures_max;         /* 5: figures to draw as gauges; 1: a line (why there are none); 0 */
	bool containers;         /* a container table (Docker configured) */
	size_t nbad, ntotal;     /* its rows: problems, all */
	int spark_rows;          /* sparklines with something to draw (0..3) */
};

struct overview_plan {
	bool reach_line, tunnel;
	int figures;             /* 0 none, 1 one line ("CPU 23% MEM 61% ..."), 5 the gauges */
	bool sparks;             /* the sparklines under CPU, MEM and NET (+spark_rows rows) */
	bool spacer;             /* a blank line before the table */
	int table;               /* rows for the table: its header, its rows, a "folded" line */
	int used;                /* rows used in all (<= the height) */
};

#define OVERVIEW_FIGURES_FULL 5

/* The plan for a column of h rows (inside its border). */
struct overview_plan overview_plan(int h, const struct overview_need *n);

#endif
