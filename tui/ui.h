/* ui — the state the app loop shares with its views (tui/ only).
 *
 * Owned by the UI thread; nothing here is touched by another thread.  Views
 * read the lab only through snapshot references taken for one frame. */
#ifndef KITETOP_TUI_UI_H
#define KITETOP_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config/config.h"
#include "core/feeds/detail.h"
#include "core/fleet/fleet.h"
#include "core/feeds/logs.h"
#include "core/base/snapshot.h"
#include "tui/keys.h"
#include "widgets/lineedit.h"
#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"
#include "widgets/sparkline.h"
#include "widgets/textview.h"
#include "widgets/theme.h"

#define UI_MIN_COLS 20
#define UI_MIN_ROWS 6
#define UI_NARROW_COLS 60      /* below: one host at a time, with a tab strip */
#define UI_MIN_COLUMN_W 30     /* a host column narrower than this is not drawn */
#define UI_STALE_INTERVALS 3   /* data older than this many refreshes is dimmed */
#define UI_AGE_GRACE_MS 1000   /* an age label is redrawn by the second once its figure is
                                * this much older than a refresh (its source is late) */

enum ui_view { UI_VIEW_OVERVIEW, UI_VIEW_SERVICES, UI_VIEW_DATA, UI_VIEW_TRAFFIC, UI_VIEW_METRICS };

/* What the one-line input at the bottom is for. */
enum ui_input { UI_INPUT_NONE, UI_INPUT_FILTER, UI_INPUT_SEARCH };

struct changes;

/* Per host: the history behind the sparklines, fed from new snapshots. */
struct ui_host_hist {
	struct sparkline *cpu, *mem, *net;   /* disk changes too slowly to draw */
	uint64_t seen_seq;          /* metrics snapshot already pushed */
};

struct ui {
	struct config *cfg;         /* borrowed */
	struct lab *lab;            /* borrowed */
	struct theme *theme;        /* owned */
	struct palette pal;
	bool utf8;
	enum ui_view view;
	bool help;
	bool paused;
	size_t host;                /* selected host */
	struct ui_host_hist *hist;  /* [lab->nhosts] */
	char *toast;                /* a one-line message, or NULL */
	int64_t toast_until;

	/* per frame */
	int64_t now_mono;
	int64_t next_change;        /* earliest time (mono) a drawn label changes */
	struct logs *logs;          /* the logs view, when open */
	char *logs_title;
	struct textview logs_tv;    /* where the logs view is, its search */
	size_t logs_dropped;        /* the lines dropped (the cap) that logs_tv counts from */
	bool logs_ts;
	struct detail *detail;      /* the container detail view (Enter), when open */
	char *detail_title;
	struct docker_detail *detail_data;   /* the latest inspect taken (owned), or NULL */
	char detail_err[512];       /* the latest inspect's error, "" none */
	struct textview detail_tv;
	enum ui_input input;        /* the bottom line is a prompt */
	struct lineedit edit;
	char filter[LINEEDIT_MAX + 1];   /* container and service names, "" none */
	bool sort_by_name;          /* o: name only (else problems first) */
	struct changes *changes;    /* recent changes for the worse, highlighted 10 s */
	struct textview help_tv;    /* the help's scrolling (j k when it does not fit) */
	bool click_pending;         /* a click at click_y for the focused list */
	int click_y;
	char *sel[64];              /* per host: the selected container's name, or NULL (the first) */
	char **rows;                /* the focused column's container names as drawn (owned) */
	size_t nrows;
	int page;                   /* rows the focused column showed */
	int col_x[64], col_w[64];   /* host columns drawn, for mouse clicks */
	size_t col_host[64];
	size_t ncols;
	size_t metrics_top;         /* the Metrics view's first panel shown */
	struct actions_ui *actions; /* the container actions (tui/actions_ui.h) */
};

/* Formats the age of a figure fetched at fetched_mono ("4s", "3m") into out,
 * and notes when that label must be redrawn, so the loop wakes only then:
 * a fresh figure's label is redrawn by the frames of new data, a late one's
 * (older than its source's interval_ms + UI_AGE_GRACE_MS; 0: the refresh)
 * every time it changes. */
void ui_age_label(struct ui *ui, int64_t fetched_mono, int interval_ms, char *out, size_t n);
/* True when a snapshot is older than UI_STALE_INTERVALS refreshes (also
 * noting the time it will become so). */
bool ui_is_stale(struct ui *ui, const struct snapshot *s, int interval_ms);
/* Notes a time at which the frame must be redrawn. */
void ui_change_at(struct ui *ui, int64_t mono);

void view_overview_draw(struct ui *ui, WINDOW *w, struct rect r);
void view_services_draw(struct ui *ui, WINDOW *w, struct rect r);
void view_traffic_draw(struct ui *ui, WINDOW *w, struct rect r);   /* tui/view_traffic.h */
void view_data_draw(struct ui *ui, WINDOW *w, struct rect r);
/* The per-host split-brain verdicts in one short text for the overview's
 * shared strip ("shared db:  monk ✓ 4  kscloud1 ✗ no authentik") and its
 * role; "" when there is nothing to say (no postgres, no app). */
void view_data_shared_summary(struct ui *ui, char *out, size_t n, enum theme_role *role);
void view_help_draw(struct ui *ui, WINDOW *w, struct rect r);
void view_logs_draw(struct ui *ui, WINDOW *w, struct rect r);
/* The logs' dropped count is now dropped: the view's place and its match
 * move with their lines. */
void view_logs_sync(struct ui *ui, size_t dropped);
void view_detail_draw(struct ui *ui, WINDOW *w, struct rect r);

/* The container detail (tui/view_detail.c): opened on the selected
 * container of the focused host (a toast says why not), closed. */
void view_detail_open(struct ui *ui);
void view_detail_close(struct ui *ui);

/* tui/viewer.c: keys of the text viewers (logs, detail: scrolling, search),
 * the filter and search prompt, the sort toggle; true when handled. */
bool viewer_key(struct ui *ui, enum key_action a);
/* A key while a prompt is open (ui->input != UI_INPUT_NONE); true when
 * it was the prompt's. */
bool viewer_input_key(struct ui *ui, int key);
/* Draws the prompt on row r when one is open; true when it did. */
bool viewer_input_draw(struct ui *ui, WINDOW *w, struct rect r);
/* The selected container of the focused column as drawn (the first row when
 * the selection is filtered away), or NULL.  Borrowed until the next draw. */
const char *ui_selected_name(const struct ui *ui);
/* tui/ui_changes.c: notes the lab's latest state (after each new
 * generation), ringing the bell on a change for the worse when asked to;
 * ui_changed() says whether a host (container NULL) or a container on it
 * changed for the worse in the last 10 s (and wakes the loop when that ends). */
void ui_changes_scan(struct ui *ui);
bool ui_changed(struct ui *ui, const char *host, const char *container);
/* Shows a one-line message in the footer for a few seconds (tui/app.c). */
void ui_toast(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void view_metrics_draw(struct ui *ui, WINDOW *w, struct rect r);
/* The Metrics view's keys (j k scroll its panels); true when handled. */
bool view_metrics_key(struct ui *ui, int action);

#endif
