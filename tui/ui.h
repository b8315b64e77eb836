/* ui — the state the app loop shares with its views (tui/ only).
 *
 * Owned by the UI thread; nothing here is touched by another thread.  Views
 * read what the feeds know only through the frame (core/model/frame.h)
 * taken for one redraw. */
#ifndef KITETOP_TUI_UI_H
#define KITETOP_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config/config.h"
#include "core/feeds/detail.h"
#include "core/feeds/feeds.h"
#include "core/feeds/logs.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "tui/row_order.h"
#include "tui/rows.h"
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
#define UI_HISTORY 240         /* samples kept per sparkline */
#define UI_TOAST_MS 3000       /* how long a toast shows */
#define UI_CLUSTER_CLICKS 32   /* node columns and tabs the Cluster view keeps for clicks */

/* The views the header's tabs choose (tui/views.h: their table). */
enum ui_view {
	UI_VIEW_OVERVIEW, UI_VIEW_SERVICES, UI_VIEW_DATA, UI_VIEW_TRAFFIC, UI_VIEW_METRICS,
	UI_VIEW_EVENTS, UI_VIEW_CLUSTER, UI_VIEW_COUNT
};

/* What the one-line input at the bottom is for. */
enum ui_input { UI_INPUT_NONE, UI_INPUT_FILTER, UI_INPUT_SEARCH };

/* What the Cluster view has selected, kept by it as it draws, for its
 * action keys (tui/kube_ui.h: c U D r s S).  "" when nothing of that kind
 * is selected. */
struct ui_cluster_sel {
	size_t cluster;             /* the frame's index of the cluster shown */
	char node[254];             /* the selected node column */
	char pod_ns[64];            /* the selected pod, if any */
	char pod[254];
	char gitops[400];           /* the selected GitOps object: "Kind/namespace/name" */
};

struct changes;
struct kube_pick;
struct history;
struct svclogs;
struct replay;

/* Per host: the history behind the sparklines, fed from new metrics. */
struct ui_host_hist {
	struct sparkline *cpu, *mem, *net;   /* disk changes too slowly to draw */
	uint64_t seen_seq;          /* the metrics feed's seq already pushed */
};

struct errlog;

struct ui {
	struct config *cfg;         /* borrowed */
	struct errlog *errlog;      /* --log / log = yes: owned by app_run, or NULL */
	struct feeds *feeds;        /* borrowed: control only (refresh, pause, generation, fleet) */
	struct wake *wake;          /* borrowed: the logs and detail threads signal it */
	struct theme *theme;        /* owned */
	struct palette pal;
	bool utf8;
	enum ui_view view;
	bool help;
	bool paused;
	bool quit;                  /* the quit key was pressed */
	size_t host;                /* selected host */
	struct ui_host_hist *hist;  /* [cfg->nhosts] */
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
	struct svclogs *svclogs;    /* a service's logs from every host (tui/view_svclogs.h), when open */
	size_t services_sel;        /* the Services view's selected service (its configuration index) */
	size_t services_hfirst;     /* the matrix's first host column shown (h l scroll it) */
	size_t *services_rows;      /* the service indexes in the order drawn (owned), for j k */
	size_t services_nrows;
	size_t services_top;        /* the first of the shown services on screen (the matrix scrolls) */
	struct detail *detail;      /* the container detail view (Enter), when open */
	char *detail_title;
	size_t detail_host;         /* the frame's index of the detail's host */
	struct docker_detail *detail_data;   /* the latest inspect taken (owned), or NULL */
	char detail_err[512];       /* the latest inspect's error, "" none */
	struct textview detail_tv;
	enum ui_input input;        /* the bottom line is a prompt */
	struct lineedit edit;
	char filter[LINEEDIT_MAX + 1];   /* container and service names, "" none */
	enum rows_order sort;       /* o: the lists' order (tui/rows.h), kept across refreshes */
	struct changes *changes;    /* recent changes for the worse, highlighted 10 s */
	uint64_t changes_version[FLEET_MAX_HOSTS];   /* per host: the list version scanned last (0 none) */
	struct verdict_memo verdict_memo;   /* the header's level: its parts over every container */
	struct row_order row_order[FLEET_MAX_HOSTS];   /* per host: its rows' order, by list version */
	struct textview help_tv;    /* the help's scrolling (j k when it does not fit) */
	char **errview;             /* a host's errors in full (tui/view_errors.h), when open */
	size_t nerrview;
	char *errview_title;
	struct textview errview_tv;
	char **cut;                 /* lines of the view on screen cut at its edge, in full */
	size_t ncut;                /* (view_errors_put; Enter shows them: view_errors_open_cut) */
	struct textview data_tv;    /* the Data view's scrolling (its PostgreSQL box; Redis below it when narrow) */
	bool click_pending;         /* a click at click_y for the focused list */
	int click_y;
	char *sel[FLEET_MAX_HOSTS]; /* per host: the selected container's name, or NULL (the first) */
	char **rows;                /* the focused column's container names as drawn (owned) */
	size_t *row_host;           /* each row's host (owned) */
	bool rows_list;             /* the rows are the single list across hosts (no row is
	                             * selected until one is chosen), else one host column's */
	size_t nrows;
	int page;                   /* rows the focused column showed */
	int col_x[FLEET_MAX_HOSTS], col_w[FLEET_MAX_HOSTS];   /* host columns drawn, for clicks */
	size_t col_host[FLEET_MAX_HOSTS];
	size_t ncols;
	int strip_y;                /* the overview's host strip: its row (-1: none), each host's tab */
	int strip_x[FLEET_MAX_HOSTS], strip_w[FLEET_MAX_HOSTS];
	int tab_x[UI_VIEW_COUNT], tab_w[UI_VIEW_COUNT];   /* the header's tabs drawn (w 0: not), for clicks */
	size_t metrics_top;         /* the Metrics view's first panel shown */
	struct actions_ui *actions; /* the container actions (tui/actions_ui.h) */
	struct kube_pick *kube_pick; /* the open pick list of GitOps objects (tui/kube_pick.h), or NULL */
	struct ui_cluster_sel cluster_sel;   /* the Cluster view's selection, for its keys */
	const char **seen;          /* the container rows drawn by this redraw: full ids (borrowed */
	size_t *seen_host;          /* from its frame) and hosts, published as each host's interest */
	size_t nseen, seen_cap;     /* after the redraw (ui_seen_publish) */

	/* the history (tui/ui_history.h) */
	struct history *history;    /* the events remembered, or NULL (none kept) */
	struct frame prev;          /* the last frame of new data, kept to diff the next one */
	bool have_prev;
	bool first_answers;         /* some host's containers never answered: no coalescing */
	char *eventlog_path;        /* where events are appended, or NULL */
	bool eventlog_failed;       /* said once: appending failed */
	char *audit_path;           /* the audit log read for actions, or NULL */
	long audit_off;             /* how much of it was read */
	size_t events_sel;          /* the Events view's selected row (0: the newest) */
	size_t events_top;          /* its first row shown */
	int events_page;            /* rows it showed */
	struct replay *replay;      /* `kitetop replay`: the recording drawn (tui/replay.h), or NULL */

	/* the Cluster view (tui/view_cluster.h) */
	size_t cluster;             /* the cluster shown (its frame index; 7 again: the next) */
	size_t cluster_node;        /* its focused node (Tab, h, l) */
	size_t cluster_pod;         /* the selected row of the focused node's pods (j, k) */
	bool cluster_open;          /* Enter: the focused node in full, every pod, the selected one's detail */
	int cluster_page;           /* pod rows the focused node showed */
	size_t cluster_npods;       /* and how many it has */
	size_t cluster_nnodes;      /* the nodes, and the clusters, the last draw had */
	size_t cluster_count;
	/* where the last draw put the node columns and tabs, and the focused
	 * column's first pod row, for clicks */
	int cluster_col_x[UI_CLUSTER_CLICKS], cluster_col_w[UI_CLUSTER_CLICKS];
	size_t cluster_col_node[UI_CLUSTER_CLICKS], cluster_ncols;
	int cluster_tabs_y;         /* -1: no tab strip */
	int cluster_tab_x[UI_CLUSTER_CLICKS], cluster_tab_w[UI_CLUSTER_CLICKS];
	size_t cluster_tab_node[UI_CLUSTER_CLICKS], cluster_ntabs;
	int cluster_pod_y;          /* the screen row of pod row cluster_pod_first (-1: none) */
	size_t cluster_pod_first;
};

/* Formats the age of a figure fetched at fetched_mono ("4s", "3m") into out,
 * and notes when that label must be redrawn, so the loop wakes only then:
 * a fresh figure's label is redrawn by the frames of new data, a late one's
 * (older than its source's interval_ms + UI_AGE_GRACE_MS; 0: the refresh)
 * every time it changes. */
/* Sets up ui for cfg (borrowed), its feeds (may be NULL: a recorded frame)
 * and wake pipe (may be NULL); takes over t.  ui_done frees what it holds;
 * ui->actions (NULL: no action dialogs) is the caller's. */
void ui_init(struct ui *ui, struct config *cfg, struct feeds *feeds, struct wake *wake,
             struct theme *t);
void ui_done(struct ui *ui);
void ui_age_label(struct ui *ui, int64_t fetched_mono, int interval_ms, char *out, size_t n);
/* True when a feed's latest poll is older than UI_STALE_INTERVALS of its
 * intervals (also noting the time it will become so). */
bool ui_is_stale(struct ui *ui, const struct frame_feed *feed);
/* Notes a time at which the frame must be redrawn. */
void ui_change_at(struct ui *ui, int64_t mono);
/* Shows a one-line message in the footer for UI_TOAST_MS. */
void ui_toast(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The selected container of the focused column as drawn (the first row when
 * the selection is filtered away), or NULL.  Borrowed until the next draw.
 * Only the overview (and a viewer opened over it) selects containers: in
 * another view, with no row of the focused host drawn (a key typed before
 * the next frame), NULL.  In the single list across hosts (ui->rows_list)
 * the selection is the row drawn selected, NULL when none is. */
const char *ui_selected_name(const struct ui *ui);
/* Frees the rows of the last draw. */
void ui_rows_clear(struct ui *ui);
/* True when the selected row name on host hi is a placeholder: configured,
 * not on a host whose containers are known ("missing"). */
bool ui_row_missing(const struct frame *f, size_t hi, const char *name);
/* A container row of host hi drawn (full_id borrowed from the frame drawn,
 * until ui_seen_publish). */
void ui_seen_add(struct ui *ui, size_t hi, const char *full_id);
/* After a redraw: each host's containers drawn become its interest (the
 * docker feed asks Docker's stats API for those only, where it must ask at
 * all: core/base/interest.h); a host with none drawn, none.  Rows sorted by
 * CPU or memory: every container of every host.  Forgets them. */
void ui_seen_publish(struct ui *ui);
/* Moves the selection of the focused host column by delta rows (clamped). */
void ui_list_move(struct ui *ui, long delta);

#endif
