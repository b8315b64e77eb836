/* view_svclogs — a service's logs from every host that has it (L in the
 * Services view): one core/feeds/logs stream per host, each on its own
 * thread, merged by the engine's timestamps at every draw.  Interleaved
 * with a host column, or side by side in a column per host (v; the
 * default when the terminal has UI_SPLIT_COLS columns or more).  Since
 * 1m/10m/1h/all ([ narrower, ] wider: the streams are opened again), the
 * times (t), following (f), long lines wrapped or cut (>), a POSIX
 * extended regex search (/, n N) with its matches highlighted, and w saves
 * the merged lines to ./kitetop-logs-SERVICE-YYYYmmdd-HHMMSS.txt.  A host
 * whose stream fails shows its error in its place; the others go on. */
#ifndef KITETOP_TUI_VIEW_SVCLOGS_H
#define KITETOP_TUI_VIEW_SVCLOGS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

#define UI_SPLIT_COLS 160

struct svclogs {
	char *service, *container;
	size_t nh;
	struct logs *l[FLEET_MAX_HOSTS];
	size_t fleet_host[FLEET_MAX_HOSTS];   /* the fleet's index of each stream's host */
	char *host[FLEET_MAX_HOSTS];
	size_t dropped;           /* the lines dropped (the caps) that tv counts from */
	size_t since;             /* logs_since_label()'s index */
	bool ts, wrap, split, split_chosen;
	struct textview tv;
	regex_t re;
	bool have_re;
	long goto_line;           /* a search's merged line to bring in view at the next draw, -1 */
};

extern const struct view view_svclogs;

/* Opens the logs of configuration service i on the hosts of f that have
 * it (a toast says why not). */
void view_svclogs_open(struct ui *ui, const struct frame *f, size_t service);
void view_svclogs_close(struct ui *ui);   /* NULL-safe: nothing open */
/* The search prompt's text, once entered: compiles it (a toast shows a bad
 * regex's error) and goes to the first match. */
void view_svclogs_query(struct ui *ui, const char *text);

#endif
