/* view_data — the Data view (3): the shared PostgreSQL and Redis, and the
 * answer to "are both hosts' Authentik and Forgejo connected to the shared
 * database?" (core/splitbrain), with each host's Tailscale.
 *
 * A source that failed shows its error in words where its figures would be,
 * then its last figures dimmed with their age; figures older than
 * UI_STALE_INTERVALS refreshes are dimmed. */
#include "tui/view_data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/postgres.h"
#include "backends/redis.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_tailscale.h"
#include "core/model/splitbrain.h"
#include "core/model/verdict.h"
#include "tui/ui_history.h"
#include "tui/view_errors.h"
#include "widgets/gauge.h"
#include "widgets/panel.h"
#include "widgets/text.h"
#include "widgets/textview.h"

#define DATA_WIDE_COLS 110     /* from this width, Postgres and Redis side by side */
#define DATA_MAX_ROWS 64       /* client groups merged for the table */

/* Writes lines top-down into a rect, from line top of what it is given:
 * the lines before top and after the rect's last row are counted, not
 * drawn (w NULL: only counted), so that the box scrolls. */
struct data_pen {
	struct ui *ui;
	WINDOW *w;
	struct rect r;
	int y;                     /* the row of the next line (may be outside r) */
	size_t line, top;          /* the next line's number; the first drawn */
	bool dim;                  /* everything drawn dimmed (stale figures) */
};

/* Counts a line; true when it is to be drawn (at p->y). */
static bool data_room(struct data_pen *p)
{
	bool in = p->w != NULL && p->line >= p->top && p->line - p->top < (size_t)(p->r.h > 0 ? p->r.h : 0);

	p->y = p->r.y + (int)(p->line - p->top);
	return in;
}

/* One line: a label (may be NULL) then the text, in role. */
static void data_line(struct data_pen *p, const char *label, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void data_line(struct data_pen *p, const char *label, enum theme_role role, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int x = p->r.x;

	if (!data_room(p)) {
		p->line++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (label != NULL) {
		text_put(p->w, p->y, x, 14, p->ui->pal.attr[p->dim ? THEME_DIM : THEME_LABEL], label);
		x += 14;
	}
	if (x < p->r.x + p->r.w)
		view_errors_put(p->ui, p->w, p->y, x, p->r.x + p->r.w - x,
		                p->ui->pal.attr[p->dim ? THEME_DIM : role], text);
	p->line++;
}

static void data_gap(struct data_pen *p)
{
	p->line++;
}

/* The age of a feed's latest poll for a panel's title: "4s", "stale 3m",
 * "" when none. */
static void data_age(struct ui *ui, const struct frame_feed *feed, char *out, size_t n, bool *stale)
{
	char age[32];

	*stale = false;
	out[0] = '\0';
	if (!feed->polled)
		return;
	ui_age_label(ui, feed->polled_mono_ms, feed->interval_ms, age, sizeof age);
	*stale = feed->error != NULL || ui_is_stale(ui, feed);
	snprintf(out, n, "%s%s", *stale ? "stale " : "", age);
}

/* ---- postgres --------------------------------------------------------------- */

struct data_client_row {
	char database[64], application[64], client[80];
	int count, active, idle, other;
};

/* The client groups merged by database x application x client host (the
 * host's name when its address is known, the user shown when no
 * application name was set). */
static size_t data_client_rows(const struct pg_status *ps, const struct splitbrain_host *hosts,
                               size_t nh, struct data_client_row *rows, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ps->n_clients; i++) {
		const struct pg_client_group *g = &ps->clients[i];
		int h = splitbrain_host_of(hosts, nh, g->client_addr);
		char app[64], client[80];
		size_t k;

		snprintf(app, sizeof app, "%s", g->application[0] != '\0' ? g->application : "-");
		if (h >= 0)
			snprintf(client, sizeof client, "%s", hosts[h].name);
		else
			snprintf(client, sizeof client, "%s", g->client_addr[0] != '\0' ? g->client_addr :
			         ps->sees_all ? "local socket" : "hidden");
		for (k = 0; k < n; k++)
			if (strcmp(rows[k].database, g->database) == 0 && strcmp(rows[k].application, app) == 0 &&
			    strcmp(rows[k].client, client) == 0)
				break;
		if (k == n) {
			if (n == max)
				continue;
			memset(&rows[n], 0, sizeof rows[n]);
			util_strlcpy(rows[n].database, g->database[0] != '\0' ? g->database : "-",
			             sizeof rows[n].database);
			util_strlcpy(rows[n].application, app, sizeof rows[n].application);
			util_strlcpy(rows[n].client, client, sizeof rows[n].client);
			n++;
		}
		rows[k].count += g->count;
		if (strcmp(g->state, "active") == 0)
			rows[k].active += g->count;
		else if (strcmp(g->state, "idle") == 0)
			rows[k].idle += g->count;
		else
			rows[k].other += g->count;
	}
	return n;
}

static void data_pg_verdicts(struct data_pen *p, const struct splitbrain *sb,
                             const struct splitbrain_host *hosts, size_t nh, bool answered)
{
	static const enum theme_role role[] = {
		[SPLITBRAIN_OK] = THEME_OK, [SPLITBRAIN_NONE] = THEME_WARN,
		[SPLITBRAIN_SPLIT] = THEME_CRIT, [SPLITBRAIN_UNKNOWN] = THEME_DIM,
	};
	bool dim = p->dim;

	p->dim = false;        /* the verdicts say themselves when they are unknown */
	/* which services use the database is learnt from its sessions: none
	 * known while it has not answered (its error says why, below) */
	if (sb->n == 0 && answered)
		data_line(p, NULL, THEME_DIM, "no configured service is a database or application here");
	else if (sb->n == 0)
		data_line(p, NULL, THEME_DIM, "unknown until the database answers");
	for (size_t i = 0; i < sb->n; i++) {
		char line[256];

		splitbrain_line(sb, &sb->entries[i], hosts, nh, p->ui->utf8, line, sizeof line);
		data_line(p, NULL, role[sb->entries[i].verdict], "%s", line);
	}
	if (sb->error[0] != '\0' && (sb->n > 0 || answered))   /* else the same error is said below */
		data_line(p, NULL, THEME_ERROR, "%s", sb->error);
	if (sb->unattributed > 0)
		data_line(p, NULL, THEME_WARN, "%d app connection%s from addresses of no configured host",
		          sb->unattributed, sb->unattributed == 1 ? "" : "s");
	p->dim = dim;
}

/* The gauge's word for a verdict on one figure. */
static enum gauge_alert data_alert(enum verdict_level l)
{
	return l == VERDICT_CRIT ? GAUGE_ALERT_CRIT : l == VERDICT_WARN ? GAUGE_ALERT_WARN : GAUGE_ALERT_NONE;
}

/* The connections gauge: coloured and marked against pg_conn_warn/crit. */
static void data_pg_gauge(struct data_pen *p, const struct pg_status *ps)
{
	const struct config_alerts *a = &p->ui->cfg->alerts;
	/* against the apps' share, as the verdict judges it */
	double pct = ps->max_connections > 0 ? 100.0 * ps->connections / verdict_pg_conn_base(ps) : -1;
	enum verdict_level lvl = pct < 0 ? VERDICT_OK : verdict_pct_level(pct, a->pg_conn_warn, a->pg_conn_crit);
	struct gauge_style st = gauge_alert_style(data_alert(lvl), pct);
	const char *mark = verdict_mark(lvl, p->ui->utf8);
	char val[48];

	snprintf(val, sizeof val, "%s%s%d/%d", mark, mark[0] != '\0' ? " " : "", ps->connections,
	         ps->max_connections);
	gauge_draw_styled(p->w, rect_make(p->y, p->r.x, 1, p->r.w < 60 ? p->r.w : 60), &p->ui->pal,
	                  "connections", pct, val, p->dim, &st);
}

static void data_pg_figures(struct data_pen *p, const struct pg_status *ps,
                            const struct splitbrain_host *hosts, size_t nh)
{
	struct data_client_row rows[DATA_MAX_ROWS];
	size_t nrows = data_client_rows(ps, hosts, nh, rows, DATA_MAX_ROWS);
	char size[32], query[256];
	int cw;

	data_line(p, "server", THEME_VALUE, "PostgreSQL %s%s  (poll %.0f ms)", ps->version,
	          ps->in_recovery ? "  standby (in recovery)" : "  primary", ps->round_trip_ms);
	if (data_room(p))
		data_pg_gauge(p, ps);
	p->line++;
	data_gap(p);
	cw = (p->r.w - 18) / 3;
	if (cw < 8)
		cw = 8;
	{
		char head[256];

		snprintf(head, sizeof head, "%-*.*s %-*.*s %-*.*s %6s  %s", cw, cw, "DATABASE", cw, cw,
		         "APPLICATION", cw, cw, "CLIENT HOST", "CONNS", "STATE");
		data_line(p, NULL, THEME_HEADER, "%s", head);
	}
	if (nrows == 0)
		data_line(p, NULL, THEME_DIM, "no client connections (besides kitetop's)");
	for (size_t i = 0; i < nrows; i++) {
		char states[64] = "";
		size_t o = 0;

		if (rows[i].active > 0)
			o += (size_t)snprintf(states + o, sizeof states - o, "%d active ", rows[i].active);
		if (rows[i].idle > 0 && o < sizeof states)
			o += (size_t)snprintf(states + o, sizeof states - o, "%d idle ", rows[i].idle);
		if (rows[i].other > 0 && o < sizeof states)
			snprintf(states + o, sizeof states - o, "%d other", rows[i].other);
		data_line(p, NULL, THEME_VALUE, "%-*.*s %-*.*s %-*.*s %6d  %s", cw, cw, rows[i].database,
		          cw, cw, rows[i].application, cw, cw, rows[i].client, rows[i].count, states);
	}
	if (!ps->sees_all)
		data_line(p, NULL, THEME_ERROR, "the monitoring role lacks pg_monitor: other sessions' "
		          "applications, addresses and queries are hidden");
	data_gap(p);
	for (size_t i = 0; i < ps->n_databases; i++) {
		if (ps->databases[i].size_bytes >= 0)
			format_bytes(size, sizeof size, (double)ps->databases[i].size_bytes);
		else
			util_strlcpy(size, "no access", sizeof size);
		data_line(p, i == 0 ? "databases" : "", THEME_VALUE, "%-24s %s", ps->databases[i].name, size);
	}
	if (ps->longest_query != NULL) {      /* one line: newlines and tabs become spaces */
		util_strlcpy(query, ps->longest_query, sizeof query);
		for (char *c = query; *c != '\0'; c++)
			if (*c == '\n' || *c == '\r' || *c == '\t')
				*c = ' ';
	}
	if (ps->longest_query_s >= 0)
		data_line(p, "longest query", ps->longest_query_s >= 60 ? THEME_WARN : THEME_VALUE,
		          "%.1f s  %s (%s)%s%s", ps->longest_query_s, ps->longest_database,
		          ps->longest_application[0] != '\0' ? ps->longest_application : "no application",
		          ps->longest_query != NULL ? "  " : "", ps->longest_query != NULL ? query : "");
	else
		data_line(p, "longest query", THEME_DIM, "no active query");
	data_line(p, "waiting locks", ps->waiting_locks > 0 ? THEME_WARN : THEME_VALUE, "%d",
	          ps->waiting_locks);
	if (ps->n_replicas == 0)
		data_line(p, "replication", THEME_DIM, "%s", ps->in_recovery ? "this server is a standby" :
		          "no standby connected");
	for (size_t i = 0; i < ps->n_replicas; i++) {
		const struct pg_replica *r = &ps->replicas[i];
		char lag[32];

		if (r->replay_lag_s >= 0)
			snprintf(lag, sizeof lag, "lag %.1f s", r->replay_lag_s);
		else
			util_strlcpy(lag, "lag unknown", sizeof lag);
		data_line(p, i == 0 ? "replication" : "", THEME_VALUE, "%s %s %s %s",
		          r->application[0] != '\0' ? r->application : "-", r->client_addr, r->state, lag);
	}
}

static void data_tailscale(struct data_pen *p, struct ui *ui, const struct frame *f)
{
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];
		const struct frame_feed *feed = &h->tailscale.feed;
		char line[512], age[32];

		if (!feed->configured)
			continue;
		if (feed->error != NULL) {
			data_line(p, h->name, THEME_ERROR, "%s", feed->error);
		} else {
			feed_tailscale_line(f->cfg, i, h->tailscale.value, line, sizeof line);
			age[0] = '\0';
			if (feed->polled)
				ui_age_label(ui, feed->polled_mono_ms, feed->interval_ms, age, sizeof age);
			data_line(p, h->name, feed->polled && ui_is_stale(ui, feed) ? THEME_DIM : THEME_VALUE,
			          "%s%s%s", line, age[0] != '\0' ? "  " : "", age);
		}
	}
}

static void data_postgres_lines(struct data_pen *pen, const struct frame *f)
{
	struct ui *ui = pen->ui;
	const struct frame_feed *feed = &f->postgres.feed;
	struct splitbrain_host *hosts = xcalloc(f->nhosts + 1, sizeof *hosts);
	struct splitbrain sb;
	struct data_pen p = *pen;
	char age[48];
	bool stale = false;
	const struct pg_status *ps = f->postgres.value;

	data_age(ui, feed, age, sizeof age, &stale);
	splitbrain_init(&sb);
	verdict_splitbrain(f, hosts, &sb);
	if (p.r.h <= 0 || p.r.w <= 0)
		goto out;
	if (!feed->configured) {
		data_line(&p, NULL, THEME_DIM, "no [postgres] section in the configuration");
		goto out;
	}
	data_line(&p, NULL, THEME_LABEL, "Shared database, per host:");
	data_pg_verdicts(&p, &sb, hosts, f->nhosts, feed->polled && ps != NULL);
	data_tailscale(&p, ui, f);
	data_gap(&p);
	if (!feed->polled) {
		data_line(&p, NULL, THEME_DIM, "waiting for the first answer...");
		goto out;
	}
	if (feed->error != NULL) {
		char since[16];

		ui_since(ui, EVENT_SOURCE, "", "postgres", f->taken_ms, since, sizeof since);
		data_line(&p, NULL, THEME_ERROR, "%s%s%s%s", feed->error, since[0] != '\0' ? " (for " : "",
		          since, since[0] != '\0' ? ")" : "");
		if (ps != NULL && feed->stale) {
			char was[32];

			ui_age_label(ui, feed->value_mono_ms, feed->interval_ms, was, sizeof was);
			data_line(&p, NULL, THEME_DIM, "last figures, %s old:", was);
		}
	}
	p.dim = stale;
	if (ps != NULL)
		data_pg_figures(&p, ps, hosts, f->nhosts);
out:
	pen->line = p.line;
	splitbrain_done(&sb);
	free(hosts);
}

/* ---- redis ------------------------------------------------------------------- */

static void data_redis_figures(struct data_pen *p, const struct redis_status *rs)
{
	char mem[32], up[32];

	if (rs->uptime_s >= 0)
		time_format_age(up, sizeof up, rs->uptime_s * 1000);
	else
		util_strlcpy(up, "?", sizeof up);
	data_line(p, "server", THEME_VALUE, "Redis %s  up %s  (ping %.1f ms)",
	          rs->version[0] != '\0' ? rs->version : "?", up, rs->ping_ms);
	if (rs->used_memory_bytes >= 0)
		format_bytes(mem, sizeof mem, (double)rs->used_memory_bytes);
	else
		util_strlcpy(mem, "?", sizeof mem);
	data_line(p, "memory", THEME_VALUE, "%s used", mem);
	data_line(p, "clients", THEME_VALUE, "%lld connected, %lld blocked", rs->connected_clients,
	          rs->blocked_clients < 0 ? 0 : rs->blocked_clients);
	if (rs->n_dbs == 0)
		data_line(p, "keyspace", THEME_DIM, "empty");
	for (size_t i = 0; i < rs->n_dbs; i++)
		data_line(p, i == 0 ? "keyspace" : "", THEME_VALUE, "db%d  %lld keys, %lld with expiry",
		          rs->dbs[i].index, rs->dbs[i].keys, rs->dbs[i].expires);
	data_line(p, "persistence", rs->rdb_last_bgsave_ok ? THEME_VALUE : THEME_CRIT,
	          "AOF %s, last RDB save %s%s, %lld changes since",
	          rs->aof_enabled ? "on" : "off", rs->rdb_last_bgsave_ok ? "ok" : "FAILED",
	          rs->rdb_bgsave_in_progress ? " (saving now)" : "", rs->rdb_changes_since_last_save);
	if (rs->master_link_status[0] != '\0')
		data_line(p, "replication", strcmp(rs->master_link_status, "up") == 0 ? THEME_VALUE : THEME_CRIT,
		          "%s, link to master %s", rs->role, rs->master_link_status);
	else
		data_line(p, "replication", THEME_VALUE, "%s, %lld replica%s", rs->role[0] != '\0' ? rs->role : "?",
		          rs->connected_slaves < 0 ? 0 : rs->connected_slaves, rs->connected_slaves == 1 ? "" : "s");
}

static void data_redis_lines(struct data_pen *pen, const struct frame *f)
{
	struct ui *ui = pen->ui;
	const struct frame_feed *feed = &f->redis.feed;
	struct data_pen p = *pen;
	char age[48];
	bool stale = false;
	const struct redis_status *rs = f->redis.value;

	data_age(ui, feed, age, sizeof age, &stale);
	if (p.r.h > 0 && p.r.w > 0) {
		if (!feed->configured) {
			data_line(&p, NULL, THEME_DIM, "no [redis] section in the configuration");
		} else if (!feed->polled) {
			data_line(&p, NULL, THEME_DIM, "waiting for the first answer...");
		} else {
			char since[16];

			ui_since(ui, EVENT_SOURCE, "", "redis", f->taken_ms, since, sizeof since);
			if (feed->error != NULL)
				data_line(&p, NULL, THEME_ERROR, "%s%s%s%s", feed->error,
				          since[0] != '\0' ? " (for " : "", since, since[0] != '\0' ? ")" : "");
			p.dim = stale;
			if (rs != NULL)
				data_redis_figures(&p, rs);
		}
	}
	pen->line = p.line;
}

/* The lines of a box: PostgreSQL's, then (with_redis) a gap, a "Redis"
 * heading and Redis' lines. */
static void data_box_lines(struct data_pen *p, const struct frame *f, bool postgres, bool redis)
{
	if (postgres)
		data_postgres_lines(p, f);
	if (postgres && redis) {
		char age[48];
		bool stale;

		data_age(p->ui, &f->redis.feed, age, sizeof age, &stale);
		data_gap(p);
		data_line(p, NULL, THEME_TITLE, "Redis%s%s", age[0] != '\0' ? "  " : "", age);
	}
	if (redis)
		data_redis_lines(p, f);
}

/* A box that scrolls (tv: its place; NULL: from the top) with the lines
 * of PostgreSQL and/or Redis, its marks when lines are hidden. */
static void data_box(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r,
                     struct textview *tv, bool postgres, bool redis)
{
	const struct frame_feed *feed = postgres ? &f->postgres.feed : &f->redis.feed;
	struct data_pen p = { .ui = ui, .w = NULL };
	struct textview home;
	char age[48];
	bool stale;
	size_t total;

	if (tv == NULL) {
		textview_init(&home, false);
		tv = &home;
	}
	data_age(ui, feed, age, sizeof age, &stale);
	p.r = panel_draw(w, r, &ui->pal, postgres ? "PostgreSQL" : "Redis", age, postgres);
	data_box_lines(&p, f, postgres, redis);        /* counted */
	total = p.line;
	p.top = textview_layout(tv, total, p.r.h);
	p.line = 0;
	p.w = w;
	data_box_lines(&p, f, postgres, redis);        /* drawn */
	panel_more(w, r, &ui->pal, p.top, total > p.top + (size_t)p.r.h ? total - p.top - (size_t)p.r.h : 0);
}

void view_data_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	if (r.w >= DATA_WIDE_COLS) {
		int lw = r.w * 62 / 100;

		data_box(ui, f, w, rect_make(r.y, r.x, r.h, lw), &ui->data_tv, true, false);
		data_box(ui, f, w, rect_make(r.y, r.x + lw, r.h, r.w - lw), NULL, false, true);
	} else if (r.h >= 40) {
		data_box(ui, f, w, rect_make(r.y, r.x, r.h - 10, r.w), &ui->data_tv, true, false);
		data_box(ui, f, w, rect_make(r.y + r.h - 10, r.x, 10, r.w), NULL, false, true);
	} else {
		/* narrow and short: one box that scrolls, Redis below PostgreSQL */
		data_box(ui, f, w, r, &ui->data_tv, true, true);
	}
}

static bool data_key(struct ui *ui, enum key_action a)
{
	switch (a) {
	case KEY_ACT_DOWN: textview_scroll(&ui->data_tv, 1); return true;
	case KEY_ACT_UP: textview_scroll(&ui->data_tv, -1); return true;
	case KEY_ACT_PAGE_DOWN: textview_scroll(&ui->data_tv, textview_page(&ui->data_tv)); return true;
	case KEY_ACT_PAGE_UP: textview_scroll(&ui->data_tv, -textview_page(&ui->data_tv)); return true;
	case KEY_ACT_TOP: textview_home(&ui->data_tv); return true;
	case KEY_ACT_BOTTOM: textview_scroll(&ui->data_tv, 1L << 30); return true;
	case KEY_ACT_DETAIL: view_errors_open_cut(ui, "Data"); return true;
	default: return false;
	}
}

static void data_wheel(struct ui *ui, long delta)
{
	textview_scroll(&ui->data_tv, delta);
}

void view_data_shared_summary(struct ui *ui, const struct frame *f, char *out, size_t n,
                              enum theme_role *role)
{
	struct splitbrain_host *hosts = xcalloc(f->nhosts + 1, sizeof *hosts);
	struct splitbrain sb;
	size_t o;

	*role = THEME_DIM;
	out[0] = '\0';
	splitbrain_init(&sb);
	if (!verdict_splitbrain(f, hosts, &sb) || sb.n == 0) {
		splitbrain_done(&sb);
		free(hosts);
		return;
	}
	o = (size_t)snprintf(out, n, "shared db:");
	*role = THEME_OK;
	for (size_t h = 0; h < f->nhosts && o < n; h++) {
		int conns = 0;
		bool split = false, unknown = false, none = true;
		char missing[128] = "";

		for (size_t i = 0; i < sb.n; i++) {
			const struct splitbrain_entry *e = &sb.entries[i];

			if (e->host != h)
				continue;
			conns += e->conns;
			none = none && e->verdict == SPLITBRAIN_NONE;
			unknown = unknown || e->verdict == SPLITBRAIN_UNKNOWN;
			if (e->verdict == SPLITBRAIN_SPLIT) {
				split = true;
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", e->app);
			}
		}
		if (split)
			*role = THEME_CRIT;
		else if (unknown && *role == THEME_OK)
			*role = THEME_DIM;
		o += (size_t)snprintf(out + o, n - o, "  %s %s%s", f->hosts[h].name,
		                      split ? (ui->utf8 ? "\xe2\x9c\x97 no" : "X no") :
		                      unknown ? "?" : none ? "- idle" : ui->utf8 ? "\xe2\x9c\x93" : "ok",
		                      split ? missing : "");
		if (!split && !unknown && !none && o < n)
			o += (size_t)snprintf(out + o, n - o, " %d", conns);
	}
	/* the database's figures older than 3 refreshes: dimmed, as they are */
	if (f->postgres.feed.polled && ui_is_stale(ui, &f->postgres.feed))
		*role = THEME_DIM;
	splitbrain_done(&sb);
	free(hosts);
}

const struct view view_data = {
	.name = "Data",
	.select = KEY_ACT_VIEW_DATA,
	.scope = KEY_SCOPE_ANY,
	.draw = view_data_draw,
	.key = data_key,
	.wheel = data_wheel,
};
