/* view_svclogs — see view_svclogs.h. */
#include "tui/view_svclogs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/logs_merge.h"
#include "widgets/panel.h"
#include "widgets/text.h"

#define CLOCK_W 12   /* "12:00:01.234" */

/* The footer's "since 10m": the key bar's labels are fixed strings, so this
 * one is a buffer each draw rewrites (one UI thread, one view open). */
static char since_hint[24] = "since";

/* What the streams hold at one moment, merged. */
struct snap {
	struct logs_line *lines[FLEET_MAX_HOSTS];
	size_t n[FLEET_MAX_HOSTS];
	bool running[FLEET_MAX_HOSTS];
	char err[FLEET_MAX_HOSTS][256];
	size_t dropped;
	struct logs_merge_ref *refs;
	size_t nrefs;
};

/* One screen row: a part of a merged line (all of it unless wrapped). */
struct drow {
	size_t ref;
	size_t off, len;
};

static void snap_take(const struct svclogs *s, struct snap *sn)
{
	struct logs_merge_src src[FLEET_MAX_HOSTS];
	size_t total = 0;

	memset(sn, 0, sizeof *sn);
	for (size_t h = 0; h < s->nh; h++) {
		size_t n, dropped;

		logs_state(s->l[h], &n, &dropped, &sn->running[h], sn->err[h], sizeof sn->err[h]);
		sn->n[h] = logs_copy(s->l[h], 0, n, &sn->lines[h]);
		sn->dropped += dropped;
		src[h] = (struct logs_merge_src){ sn->lines[h], sn->n[h] };
		total += sn->n[h];
	}
	sn->refs = xcalloc(total + 1, sizeof *sn->refs);
	sn->nrefs = logs_merge(src, s->nh, sn->refs);
}

static void snap_free(const struct svclogs *s, struct snap *sn)
{
	for (size_t h = 0; h < s->nh; h++)
		logs_lines_free(sn->lines[h], sn->n[h]);
	free(sn->refs);
}

static const struct logs_line *snap_line(const struct snap *sn, size_t k)
{
	return &sn->lines[sn->refs[k].src][sn->refs[k].line];
}

/* The streams, (again) from the chosen "since". */
static void svclogs_start(struct ui *ui, struct svclogs *s)
{
	int64_t secs = logs_since_seconds(s->since);
	struct logs_options opt = {
		.tail = secs > 0 ? -1 : LOGS_TAIL, .follow = true,
		.since_s = secs > 0 ? time_real_ms() / 1000 - secs : 0,
	};

	for (size_t h = 0; h < s->nh; h++) {
		logs_close(s->l[h]);
		s->l[h] = logs_open_with(ui->feeds->fleet, &ui->feeds->fleet->hosts[s->fleet_host[h]],
		                         s->container, &opt, ui->wake);
	}
	textview_init(&s->tv, true);
	s->dropped = 0;
	s->goto_line = -1;
}

/* Whether host h of f may have the container: its engine listed it, or
 * did not answer (then its stream says why). */
static bool svclogs_host_has(const struct frame_host *h, const char *container)
{
	const struct frame_feed *feed = &h->docker.feed;

	if (!feed->configured)
		return false;
	if (!feed->polled || feed->error != NULL || h->docker.value == NULL)
		return true;
	return frame_host_container(h, container) != NULL;
}

void view_svclogs_open(struct ui *ui, const struct frame *f, size_t service)
{
	const struct config_service *svc;
	struct svclogs *s;

	if (ui->feeds == NULL || service >= ui->cfg->nservices)
		return;
	svc = &ui->cfg->services[service];
	s = xcalloc(1, sizeof *s);
	for (size_t h = 0; h < f->nhosts && h < FLEET_MAX_HOSTS; h++)
		if (svclogs_host_has(&f->hosts[h], svc->container)) {
			s->fleet_host[s->nh] = h;
			s->host[s->nh++] = xstrdup(f->hosts[h].name);
		}
	if (s->nh == 0) {
		ui_toast(ui, "no host runs %s", svc->container);
		free(s);
		return;
	}
	s->service = xstrdup(svc->name);
	s->container = xstrdup(svc->container);
	s->since = LOGS_SINCE_DEFAULT;
	s->ts = true;
	ui->svclogs = s;
	svclogs_start(ui, s);
}

void view_svclogs_close(struct ui *ui)
{
	struct svclogs *s = ui->svclogs;

	if (s == NULL)
		return;
	for (size_t h = 0; h < s->nh; h++) {
		logs_close(s->l[h]);
		free(s->host[h]);
	}
	if (s->have_re)
		regfree(&s->re);
	free(s->service);
	free(s->container);
	free(s);
	ui->svclogs = NULL;
}

/* The widest host name, for the host column. */
static int svclogs_hostw(const struct svclogs *s)
{
	int w = 4;

	for (size_t h = 0; h < s->nh; h++)
		if (text_width(s->host[h]) > w)
			w = text_width(s->host[h]);
	return w;
}

/* Splits merged line k into rows of at most width columns (one row, cut
 * at draw, when not wrapping). */
static void rows_add(struct drow **v, size_t *n, size_t *cap, size_t k, const char *text, int width,
                     bool wrap)
{
	size_t len = strlen(text), off = 0;

	do {
		int cols;
		size_t take = wrap && width > 0 ? text_clip(text + off, width, &cols) : len - off;

		if (take == 0 && off < len)   /* a character wider than the row: take it anyway */
			for (take = 1; off + take < len && ((unsigned char)text[off + take] & 0xc0) == 0x80; take++)
				;
		if (*n == *cap) {
			*cap = *cap * 2 + 64;
			*v = xreallocarray(*v, *cap, sizeof **v);
		}
		(*v)[(*n)++] = (struct drow){ .ref = k, .off = off, .len = take };
		off += take;
	} while (off < len);
}

/* Draws bytes [off, off+len) of text at (y, x) in at most width columns,
 * with the search's matches in hl; returns the columns used. */
static int draw_part(struct ui *ui, WINDOW *w, int y, int x, int width, attr_t a, const char *text,
                     size_t off, size_t len)
{
	struct svclogs *s = ui->svclogs;
	attr_t hl = ui->pal.attr[THEME_SELECTION] | A_REVERSE;
	size_t end = off + len, so, eo;
	int used = 0;

	while (off < end && used < width) {
		size_t stop = end;
		bool in = false;
		char *piece;

		if (s->have_re && logs_regex_find(&s->re, text, off, &so, &eo) && so < end) {
			in = so <= off;
			stop = in ? (eo < end ? eo : end) : so;
		}
		piece = xstrndup(text + off, stop - off);
		used += text_put(w, y, x + used, width - used, in ? hl : a, piece);
		free(piece);
		off = stop;
	}
	return used;
}

/* The header of the side-by-side columns and each failed host's error. */
static void draw_heads(struct ui *ui, const struct svclogs *s, const struct snap *sn, WINDOW *w,
                       struct rect *body, int colw)
{
	struct rect row;

	if (s->split) {
		row = rect_cut_top(body, 1);
		for (size_t h = 0; h < s->nh; h++)
			text_put(w, row.y, row.x + (int)h * colw, colw - 1, ui->pal.attr[THEME_HEADER], s->host[h]);
	}
	for (size_t h = 0; h < s->nh && body->h > 0; h++) {
		char line[320];

		if (sn->err[h][0] == '\0' && sn->running[h])
			continue;
		row = rect_cut_top(body, 1);
		snprintf(line, sizeof line, "%-*s  %s", svclogs_hostw(s), s->host[h],
		         sn->err[h][0] != '\0' ? sn->err[h] : "the log stream ended");
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
	}
}

/* One screen row: the host and time before a line's first row, then its
 * text, in the host's column when side by side. */
static void draw_row(struct ui *ui, const struct snap *sn, WINDOW *w, struct rect row, int colw,
                     const struct drow *d)
{
	const struct svclogs *s = ui->svclogs;
	const struct logs_line *ln = snap_line(sn, d->ref);
	size_t src = sn->refs[d->ref].src;
	int x = s->split ? row.x + (int)src * colw : row.x, right = s->split ? x + colw - 1 : row.x + row.w;
	char clock[24];

	if (!s->split) {
		if (d->off == 0)
			text_put(w, row.y, x, right - x, ui->pal.attr[THEME_LABEL], s->host[src]);
		x += svclogs_hostw(s) + 2;
	}
	if (s->ts) {
		logs_format_clock(clock, sizeof clock, ln->ts_ms);
		if (d->off == 0)
			text_put(w, row.y, x, right - x, ui->pal.attr[THEME_DIM], clock);
		x += CLOCK_W + (s->split ? 1 : 2);
	}
	if (x < right)
		draw_part(ui, w, row.y, x, right - x,
		          ui->pal.attr[ln->stderr_stream ? THEME_WARN : THEME_DEFAULT], ln->text, d->off, d->len);
}

/* The columns left for a line's text. */
static int text_cols(const struct svclogs *s, struct rect body, int colw)
{
	int w = s->split ? colw - 1 : body.w - svclogs_hostw(s) - 2;

	return w - (s->ts ? CLOCK_W + (s->split ? 1 : 2) : 0);
}

static void svclogs_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	struct svclogs *s = ui->svclogs;
	struct snap sn;
	struct drow *rows = NULL;
	size_t nrows = 0, cap = 0, first;
	char title[256], right[128];
	struct rect body;
	int colw;

	if (!s->split_chosen)
		s->split = getmaxx(w) >= UI_SPLIT_COLS;
	snprintf(since_hint, sizeof since_hint, "since %s", logs_since_label(s->since));
	snap_take(s, &sn);
	if (sn.dropped > s->dropped)
		textview_dropped(&s->tv, sn.dropped - s->dropped);
	s->dropped = sn.dropped;
	snprintf(title, sizeof title, "logs: %s on %zu host%s", s->service, s->nh, s->nh == 1 ? "" : "s");
	snprintf(right, sizeof right, "since %s  %zu lines%s%s", logs_since_label(s->since), sn.nrefs,
	         s->wrap ? "  wrap" : "", s->tv.follow ? "  following" : "");
	body = panel_draw(w, r, &ui->pal, title, right, true);
	colw = s->nh > 0 ? body.w / (int)s->nh : body.w;
	if (body.h > 0)
		draw_heads(ui, s, &sn, w, &body, colw);
	for (size_t k = 0; k < sn.nrefs; k++)
		rows_add(&rows, &nrows, &cap, k, snap_line(&sn, k)->text, text_cols(s, body, colw), s->wrap);
	if (s->goto_line >= 0) {
		for (size_t i = 0; i < nrows; i++)
			if (rows[i].ref == (size_t)s->goto_line && rows[i].off == 0) {
				textview_show(&s->tv, i);
				break;
			}
		s->goto_line = -1;
	}
	if (body.h > 0) {
		first = textview_layout(&s->tv, nrows, body.h);
		if (nrows == 0)
			text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM], "waiting for lines...");
		for (size_t i = first; i < nrows && body.h > 0; i++)
			draw_row(ui, &sn, w, rect_cut_top(&body, 1), colw, &rows[i]);
	}
	free(rows);
	snap_free(s, &sn);
}

/* The next (dir > 0) or previous line matching the regex. */
static void svclogs_search(struct ui *ui, int dir)
{
	struct svclogs *s = ui->svclogs;
	struct snap sn;
	const char **texts;
	long found;

	if (!s->have_re) {
		ui_toast(ui, "no search yet (/ starts one)");
		return;
	}
	snap_take(s, &sn);
	texts = xcalloc(sn.nrefs + 1, sizeof *texts);
	for (size_t k = 0; k < sn.nrefs; k++)
		texts[k] = snap_line(&sn, k)->text;
	found = logs_regex_next(&s->re, texts, sn.nrefs, s->tv.match, dir);
	s->tv.match = found;
	if (found < 0) {
		ui_toast(ui, "no match");
	} else {
		s->goto_line = found;
		s->tv.follow = false;
	}
	free(texts);
	snap_free(s, &sn);
}

void view_svclogs_query(struct ui *ui, const char *text)
{
	struct svclogs *s = ui->svclogs;
	char err[256];

	if (s == NULL)
		return;
	if (s->have_re)
		regfree(&s->re);
	s->have_re = false;
	s->tv.match = -1;
	if (text[0] == '\0')
		return;
	if (logs_regex_compile(&s->re, text, err, sizeof err) != 0) {
		ui_toast(ui, "bad regex '%s': %s", text, err);
		return;
	}
	s->have_re = true;
	svclogs_search(ui, 1);
}

/* w: the merged lines, as shown, to a file in the current directory. */
static void svclogs_save(struct ui *ui)
{
	struct svclogs *s = ui->svclogs;
	char name[512];
	struct snap sn;
	FILE *fp;
	int rc = 0;

	logs_save_name(name, sizeof name, s->service, time_real_ms());
	fp = fopen(name, "w");
	if (fp == NULL) {
		ui_toast(ui, "cannot write %s: %s", name, strerror(errno));
		return;
	}
	snap_take(s, &sn);
	for (size_t k = 0; k < sn.nrefs && rc == 0; k++)
		rc = logs_format_line(fp, s->host[sn.refs[k].src], svclogs_hostw(s), snap_line(&sn, k)->ts_ms,
		                      snap_line(&sn, k)->text);
	if (fclose(fp) != 0 || rc != 0)
		ui_toast(ui, "cannot write %s: %s", name, strerror(errno));
	else
		ui_toast(ui, "saved %zu lines to %s", sn.nrefs, name);
	snap_free(s, &sn);
}

/* Its keys (the logs' scope): moving, the search, and its own options. */
static bool svclogs_key(struct ui *ui, enum key_action a)
{
	struct svclogs *s = ui->svclogs;

	switch (a) {
	case KEY_ACT_CLOSE: view_svclogs_close(ui); return true;
	case KEY_ACT_FOLLOW: s->tv.follow = !s->tv.follow; return true;
	case KEY_ACT_TIMESTAMPS: s->ts = !s->ts; return true;
	case KEY_ACT_DOWN: textview_scroll(&s->tv, 1); return true;
	case KEY_ACT_UP: textview_scroll(&s->tv, -1); return true;
	case KEY_ACT_PAGE_DOWN: textview_scroll(&s->tv, textview_page(&s->tv)); return true;
	case KEY_ACT_PAGE_UP: textview_scroll(&s->tv, -textview_page(&s->tv)); return true;
	case KEY_ACT_TOP: textview_home(&s->tv); return true;
	case KEY_ACT_BOTTOM: textview_end(&s->tv); return true;
	case KEY_ACT_FILTER:
	case KEY_ACT_SEARCH:
		ui->input = UI_INPUT_SEARCH;
		lineedit_init(&ui->edit, NULL);
		return true;
	case KEY_ACT_SEARCH_NEXT: svclogs_search(ui, 1); return true;
	case KEY_ACT_SEARCH_PREV: svclogs_search(ui, -1); return true;
	case KEY_ACT_SPLIT: s->split = !s->split; s->split_chosen = true; return true;
	case KEY_ACT_WRAP: s->wrap = !s->wrap; return true;
	case KEY_ACT_SAVE: svclogs_save(ui); return true;
	case KEY_ACT_SINCE_WIDER:
	case KEY_ACT_SINCE_NARROWER: {
		size_t was = s->since;

		s->since = logs_since_step(s->since, a == KEY_ACT_SINCE_WIDER ? 1 : -1);
		if (s->since != was)
			svclogs_start(ui, s);
		return true;
	}
	case KEY_ACT_LOGS: case KEY_ACT_DETAIL: case KEY_ACT_SORT:
		return true;
	default:
		return false;
	}
}

static void svclogs_wheel(struct ui *ui, long delta)
{
	textview_scroll(&ui->svclogs->tv, delta);
}

static const struct keynames_hint svclogs_keybar[] = {
	{ "close-logs", "back" }, { "since-narrower since-wider", since_hint }, { "split", "split" },
	{ "wrap", "wrap" }, { "save-logs", "save" }, { "search", "regex" },
	{ "search-next search-prev", "next/prev" }, { "follow", "follow" }, { "timestamps", "times" },
	{ "help", "help" },
};

const struct view view_svclogs = {
	.name = "service logs",
	.select = KEY_ACT_NONE,
	.scope = KEY_SCOPE_LOGS,
	.draw = svclogs_draw,
	.key = svclogs_key,
	.wheel = svclogs_wheel,
	.keybar = svclogs_keybar,
	.nkeybar = UTIL_ARRAY_LEN(svclogs_keybar),
};
