/* view_traffic — see view_traffic.h. */
#include "tui/view_traffic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "core/actions/action.h"
#include "core/actions/traffic.h"
#include "core/feeds/tunnel.h"
#include "core/base/util.h"
#include "tui/ui_history.h"
#include "tui/keynames.h"
#include "tui/view_errors.h"
#include "widgets/panel.h"
#include "widgets/text.h"

/* The host's tunnel state (NULL: none yet, an error, or no tunnel). */
static const struct tunnel_state *traffic_state(const struct frame_host *h)
{
	return h->tunnel.feed.error == NULL ? h->tunnel.value : NULL;
}

static enum theme_role traffic_role(const struct tunnel_state *ts)
{
	if (ts->drained || strcmp(ts->docker_state, "missing") == 0 || ts->ready == 0)
		return THEME_CRIT;
	if (strcmp(ts->docker_state, "running") != 0 || ts->ready == -1)
		return THEME_WARN;
	return THEME_OK;
}

static const char *traffic_glyph(enum theme_role r, bool utf8)
{
	if (r == THEME_OK)
		return utf8 ? "\xe2\x97\x8f" : "*";
	if (r == THEME_WARN)
		return utf8 ? "\xe2\x96\xb2" : "!";
	return utf8 ? "\xe2\x9c\x96" : "x";
}

void view_traffic_host_line(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *body,
                            size_t hi)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct tunnel_state *ts;
	struct rect row;
	char sum[200], line[256];
	enum theme_role role;

	if (!h->tunnel.feed.configured || body->h <= 0)
		return;
	row = rect_cut_top(body, 1);
	ts = traffic_state(h);
	if (ts == NULL) {
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], "tunnel  waiting...");
	} else {
		role = traffic_role(ts);
		if (ts->ready == 1 && !ts->drained && strcmp(ts->docker_state, "running") == 0 &&
		    ts->api_live >= 0)   /* compact: a host column is narrow */
			snprintf(sum, sizeof sum, "ready, %d conns, %d at edge", ts->ready_connections,
			         ts->api_live);
		else if (ts->ready == 1 && !ts->drained && strcmp(ts->docker_state, "running") == 0)
			snprintf(sum, sizeof sum, "ready, %d conns", ts->ready_connections);
		else
			tunnel_summary(ts, sum, sizeof sum);
		snprintf(line, sizeof line, "%s ", traffic_glyph(role, ui->utf8));
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_LABEL], "tunnel  ");
		text_put(w, row.y, row.x + 8, row.w - 8,
		         ui->pal.attr[ui_is_stale(ui, &h->tunnel.feed) ? THEME_DIM : role] |
		         (ts->drained ? A_BOLD : 0), line);
		text_put(w, row.y, row.x + 8 + text_width(line), row.w - 8 - text_width(line),
		         ui->pal.attr[ts->drained ? THEME_CRIT : THEME_VALUE] | (ts->drained ? A_BOLD : 0), sum);
	}
}

/* One host's row (or two when the API has more to say). */
static void traffic_row(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *body, size_t hi,
                        const int *colx)
{
	const struct frame_host *h = &f->hosts[hi];
	const struct tunnel_state *ts = traffic_state(h);
	bool sel = hi == ui->host;
	attr_t base = sel ? ui->pal.attr[THEME_SELECTION] : ui->pal.attr[THEME_DEFAULT];
	struct rect row = rect_cut_top(body, 1);
	char cell[160], age[16], since[16];
	enum theme_role role;

	if (sel) {
		wattrset(w, base);
		wmove(w, row.y, row.x);
		whline(w, ' ', row.w);
	}
	text_put(w, row.y, row.x + colx[0], colx[1] - colx[0] - 1, base | A_BOLD, h->name);
	if (h->cfg->tunnel_container == NULL) {
		text_put(w, row.y, row.x + colx[1], row.w - colx[1], base | ui->pal.attr[THEME_DIM],
		         "no tunnel_container configured");
		return;
	}
	text_put(w, row.y, row.x + colx[1], colx[2] - colx[1] - 1, base, h->cfg->tunnel_container);
	if (ts == NULL) {
		text_put(w, row.y, row.x + colx[2], row.w - colx[2], base | ui->pal.attr[THEME_DIM], "waiting...");
		return;
	}
	role = traffic_role(ts);
	ui_since(ui, EVENT_TUNNEL, h->name, h->cfg->tunnel_container, f->taken_ms, since, sizeof since);
	if (ts->drained)
		snprintf(cell, sizeof cell, "%s DRAINED%s%s", traffic_glyph(role, ui->utf8),
		         since[0] != '\0' ? " " : "", since);
	else
		snprintf(cell, sizeof cell, "%s %s", traffic_glyph(role, ui->utf8), ts->docker_state);
	text_put(w, row.y, row.x + colx[2], colx[3] - colx[2] - 1,
	         (sel ? base : ui->pal.attr[role]) | (ts->drained ? A_BOLD : 0), cell);
	if (ts->ready == 1)
		snprintf(cell, sizeof cell, "ready %d", ts->ready_connections);
	else if (ts->ready == 0 && since[0] != '\0')
		snprintf(cell, sizeof cell, "not ready %s", since);   /* how long matters more than the code */
	else if (ts->ready == 0)
		snprintf(cell, sizeof cell, ts->ready_status != 0 ? "not ready (%d)" : "not ready", ts->ready_status);
	else
		snprintf(cell, sizeof cell, "unknown");
	text_put(w, row.y, row.x + colx[3], colx[4] - colx[3] - 1, sel ? base : ui->pal.attr[role], cell);
	snprintf(cell, sizeof cell, "%s", ts->connector_id[0] != '\0' ? ts->connector_id :
	         ts->api_connector[0] != '\0' ? ts->api_connector : "-");
	text_put(w, row.y, row.x + colx[4], colx[5] - colx[4] - 1, base, cell);
	if (ts->api_listed == 1)
		snprintf(cell, sizeof cell, "%d live%s", ts->api_live,
		         ts->api_conns > ts->api_live ? " +pending" : "");
	else if (ts->api_listed == 0)
		snprintf(cell, sizeof cell, "not listed");
	else
		snprintf(cell, sizeof cell, "%s", h->tunnel.feed.configured && !f->cloudflare.feed.configured ?
		         "no API" : "?");
	text_put(w, row.y, row.x + colx[5], colx[6] - colx[5] - 1, base, cell);
	text_put(w, row.y, row.x + colx[6], colx[7] - colx[6] - 1, base, ts->colos[0] != '\0' ? ts->colos : "-");
	snprintf(cell, sizeof cell, "%.19s", ts->opened_at[0] != '\0' ? ts->opened_at : "-");
	if (strlen(cell) == 19)
		cell[10] = ' ';
	text_put(w, row.y, row.x + colx[7], colx[8] - colx[7] - 1, base, cell);
	ui_age_label(ui, h->tunnel.feed.polled_mono_ms, h->tunnel.feed.interval_ms, age, sizeof age);
	text_put(w, row.y, row.x + colx[8], row.w - colx[8], base | ui->pal.attr[THEME_DIM], age);
	/* errors in words, under the row */
	if (body->h > 0 && (ts->docker_error[0] != '\0' || (ts->ready_error[0] != '\0' && !ts->drained) ||
	                    ts->api_error[0] != '\0')) {
		char err[800];
		size_t o = 0;

		/* the errors there are, "; " between them (none before the first) */
		row = rect_cut_top(body, 1);
		err[0] = '\0';
		if (ts->docker_error[0] != '\0')
			o += (size_t)snprintf(err + o, sizeof err - o, "%s", ts->docker_error);
		if (ts->ready_error[0] != '\0' && !ts->drained && o < sizeof err)
			o += (size_t)snprintf(err + o, sizeof err - o, "%s%s", o > 0 ? "; " : "", ts->ready_error);
		if (ts->api_error[0] != '\0' && o < sizeof err)
			snprintf(err + o, sizeof err - o, "%sAPI: %s", o > 0 ? "; " : "", ts->api_error);
		view_errors_put(ui, w, row.y, row.x + colx[1], row.w - colx[1], ui->pal.attr[THEME_ERROR],
		                err);
	}
}

/* The tunnel itself, from the cloudflare source: status, unmatched connectors. */
static void traffic_api(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *body)
{
	const struct frame_feed *feed = &f->cloudflare.feed;
	const struct cf_tunnel *t;
	struct rect row;
	char line[640];

	if (body->h <= 0)
		return;
	row = rect_cut_top(body, 1);
	if (!feed->configured) {
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM],
		         "Cloudflare API: not configured ([cloudflare]); readiness from each host's /ready");
		return;
	}
	t = f->cloudflare.value;
	if (!feed->polled) {
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], "Cloudflare API: waiting...");
	} else if (feed->error != NULL) {
		snprintf(line, sizeof line, "Cloudflare API: %s", feed->error);
		view_errors_put(ui, w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
	} else {
		enum theme_role r = t->status == CF_STATUS_HEALTHY ? THEME_OK :
		                    t->status == CF_STATUS_DEGRADED ? THEME_WARN : THEME_CRIT;
		char age[16];

		ui_age_label(ui, feed->polled_mono_ms, feed->interval_ms, age, sizeof age);
		snprintf(line, sizeof line, "tunnel %s: %s, %zu connector%s, %zu live connections  (%s)",
		         t->name[0] != '\0' ? t->name : t->id, cf_status_name(t->status), t->n_connectors,
		         t->n_connectors == 1 ? "" : "s", cf_tunnel_live(t), age);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[r], line);
		for (size_t i = 0; i < t->n_connectors && body->h > 0; i++) {
			const struct cf_connector *c = &t->connectors[i];

			if (c->host >= 0)
				continue;
			row = rect_cut_top(body, 1);
			snprintf(line, sizeof line, "  connector %.13s on no configured host: %zu live of %zu",
			         c->id, c->live, c->n_conns);
			text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_WARN], line);
		}
	}
}

void view_traffic_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	static const char *const heads[] = { "HOST", "CONNECTOR", "STATE", "READY", "ID", "API",
	                                     "COLOS", "OPENED AT", "AGE" };
	int widths[] = { 12, 13, 11, 15, 15, 16, 16, 20, 6 };
	char key[24];
	struct rect body = panel_draw(w, r, &ui->pal, "Traffic",
	                              keynames_hint(&(struct keynames_hint){ "view-traffic", NULL }, key, sizeof key),
	                              true), row;
	int colx[10], x = 0, sum = 0;

	if (body.h <= 0 || body.w <= 0)
		return;
	/* the host's and the container's names whole (as long as the screen
	 * has room for them), then the connector id whole when it has room */
	for (size_t i = 0; i < f->nhosts; i++) {
		int hw = text_width(f->hosts[i].name) + 1;
		int cw = f->hosts[i].cfg->tunnel_container != NULL ?
		         text_width(f->hosts[i].cfg->tunnel_container) + 1 : 0;

		widths[0] = hw > widths[0] ? hw : widths[0];
		widths[1] = cw > widths[1] ? cw : widths[1];
	}
	for (size_t i = 0; i < UTIL_ARRAY_LEN(widths); i++)
		sum += widths[i];
	if (sum + 22 <= body.w)
		widths[4] = 37;     /* a UUID and a space */
	for (size_t i = 0; i < UTIL_ARRAY_LEN(widths); i++) {
		colx[i] = x;
		x += widths[i];
	}
	colx[9] = x;
	/* a narrow screen drops the columns on the right first */
	for (size_t i = 1; i < 10; i++)
		if (colx[i] > body.w)
			colx[i] = body.w;
	traffic_api(ui, f, w, &body);
	if (body.h <= 0)
		return;
	rect_cut_top(&body, 1);
	row = rect_cut_top(&body, 1);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(heads); i++)
		if (colx[i] < body.w)
			text_put(w, row.y, row.x + colx[i], colx[i + 1] - colx[i] - 1, ui->pal.attr[THEME_HEADER],
			         heads[i]);
	{
		/* more hosts than rows: from one that keeps the selected host in
		 * view (a host takes two rows at most), the box saying what it hides */
		size_t nh = f->nhosts < FLEET_MAX_HOSTS ? f->nhosts : FLEET_MAX_HOSTS, top = 0, i;
		size_t fit = body.h > 3 ? (size_t)(body.h - 3) / 2 : 1;

		if (fit == 0)
			fit = 1;
		if (ui->host < nh && ui->host >= fit)
			top = ui->host - fit + 1;
		for (i = top; i < nh && body.h > 0; i++)
			traffic_row(ui, f, w, &body, i, colx);
		panel_more(w, r, &ui->pal, top, nh - i);
	}
	if (body.h > 2) {
		rect_cut_top(&body, 1);
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM],
		         ui->cfg->read_only ? "read-only: d u F do nothing" :
		         "d drain (stop its connector; refused unless another host has a healthy one)   "
		         "u undrain   F flip   Tab/h/l choose the host");
	}
}

/* ---- the keys ---- */

struct traffic_pick {
	enum traffic_verb verb;
	char *host, *to;
};

static void traffic_pick_free(void *arg)
{
	struct traffic_pick *p = arg;

	free(p->host);
	free(p->to);
	free(p);
}

/* Only when the request became invalid between the key and the yes (it was
 * validated before asking): an action that fails at once with the reason. */
static int traffic_invalid(struct action_ctx *ctx, void *arg, char **summary, char **cause)
{
	util_set_cause(cause, "%s", (const char *)arg);
	return -1;
}

static const struct action_ops traffic_invalid_ops = {
	.check = traffic_invalid, .run = traffic_invalid, .free_arg = free,
};

static struct action *traffic_pick_start(struct ui *ui, struct wake *wake, void *arg)
{
	struct traffic_pick *p = arg;
	char *cause = NULL;
	struct action *a = traffic_start(ui->feeds->fleet, p->verb, p->host, p->to, false, false, wake, &cause);

	if (a == NULL)
		a = action_start(ui->cfg, &(struct action_spec){ .action = traffic_verb_name(p->verb),
		                 .host = p->host, .ops = &traffic_invalid_ops, .arg = cause }, wake);
	return a;
}

/* The interlock's verdict on draining hi from the frame's states. */
static char *traffic_seen(const struct frame *f, size_t hi)
{
	size_t n = f->nhosts;
	struct tunnel_state *st = xcalloc(n + 1, sizeof *st);
	const char **names = xcalloc(n + 1, sizeof *names);
	char *detail = NULL, *out;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct tunnel_state *ts = traffic_state(&f->hosts[i]);

		names[i] = f->hosts[i].name;
		if (ts != NULL)
			st[i] = *ts;
		else
			tunnel_state_init(&st[i], NULL);
	}
	rc = traffic_interlock(names, st, n, hi, f->cloudflare.feed.configured, &detail);
	out = xasprintf("Interlock now: %s%s (checked again when it runs)", rc == 0 ? "ok, " : "would refuse: ",
	                detail);
	free(detail);
	free(st);
	free(names);
	return out;
}

/* The host a flip of hi goes to (or comes from): the next one with a tunnel. */
static const char *traffic_other(const struct frame *f, size_t hi)
{
	for (size_t k = 1; k < f->nhosts; k++) {
		const struct frame_host *h = &f->hosts[(hi + k) % f->nhosts];

		if (h->cfg->tunnel_container != NULL)
			return h->name;
	}
	return NULL;
}

void view_traffic_action(struct ui *ui, struct actions_ui *au, const struct frame *f, enum key_action a)
{
	const struct frame_host *h = ui->host < f->nhosts ? &f->hosts[ui->host] : NULL;
	struct traffic_pick *p;
	const struct tunnel_state *ts;
	char *cause = NULL, *question, *doing, *label, *seen = NULL, *target;
	const char *title;
	bool drained;
	size_t from = ui->host;

	if (h == NULL)
		return;
	p = xcalloc(1, sizeof *p);
	p->verb = a == KEY_ACT_DRAIN ? TRAFFIC_DRAIN : a == KEY_ACT_UNDRAIN ? TRAFFIC_UNDRAIN : TRAFFIC_FLIP;
	ts = traffic_state(h);
	drained = ts != NULL && ts->drained;
	if (p->verb == TRAFFIC_FLIP) {
		const char *other = traffic_other(f, ui->host);

		/* away from the selected host, or back to it when it is drained */
		p->host = xstrdup(drained ? other : h->name);
		p->to = xstrdup(drained ? h->name : other);
	} else {
		p->host = xstrdup(h->name);
	}
	if (ui->cfg->read_only) {
		/* refused at once by actions_ui_confirm (toast and audit line) */
		actions_ui_confirm(ui, au, &(struct actions_ui_ask){
			.title = "", .question = "", .action = traffic_verb_name(p->verb), .host = h->name,
			.target = h->cfg->tunnel_container, .start = traffic_pick_start, .arg = p,
			.free_arg = traffic_pick_free,
		});
		return;
	}
	if (traffic_validate(ui->feeds->fleet, p->verb, p->host != NULL ? p->host : h->name, p->to, &cause) == -1) {
		free(ui->toast);
		ui->toast = xasprintf("%s: %s", traffic_verb_name(p->verb),
		                      p->verb == TRAFFIC_FLIP && h->cfg->tunnel_container != NULL &&
		                      (p->host == NULL || p->to == NULL) ?
		                      "no other host has a tunnel_container" : cause);
		ui->toast_until = ui->now_mono + 4000;
		free(cause);
		traffic_pick_free(p);
		return;
	}
	question = traffic_question(ui->feeds->fleet, p->verb, p->host, p->to);
	for (size_t i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i].name, p->host) == 0)
			from = i;
	if (p->verb != TRAFFIC_UNDRAIN)
		seen = traffic_seen(f, from);
	title = p->verb == TRAFFIC_DRAIN ? "Drain" : p->verb == TRAFFIC_UNDRAIN ? "Undrain" : "Flip";
	if (p->verb == TRAFFIC_FLIP) {
		doing = xasprintf("Flipping traffic from %s to %s", p->host, p->to);
		label = xasprintf("flip %s to %s", p->host, p->to);
	} else {
		doing = xasprintf("%s %s", p->verb == TRAFFIC_DRAIN ? "Draining" : "Undraining", p->host);
		label = xasprintf("%s %s", traffic_verb_name(p->verb), p->host);
	}
	if (p->verb == TRAFFIC_FLIP)
		target = xasprintf("%s (to %s)", f->hosts[from].cfg->tunnel_container, p->to);
	else
		target = xstrdup(h->cfg->tunnel_container);
	actions_ui_confirm(ui, au, &(struct actions_ui_ask){
		.title = title, .question = question, .detail = seen, .doing = doing, .label = label,
		.action = traffic_verb_name(p->verb), .host = p->host,
		.target = target,
		.start = traffic_pick_start, .arg = p, .free_arg = traffic_pick_free,
	});
	free(target);
	free(question);
	free(seen);
	free(doing);
	free(label);
}

void view_traffic_cmd(struct ui *ui, enum key_action a)
{
	struct frame f;

	frame_take(&f, ui->feeds);
	view_traffic_action(ui, ui->actions, &f, a);
	frame_release(&f);
}

/* Enter: the lines cut at the edge, in full; the rest is the key table's. */
static bool traffic_key(struct ui *ui, enum key_action a)
{
	if (a != KEY_ACT_DETAIL)
		return false;
	view_errors_open_cut(ui, "Traffic");
	return true;
}

const struct view view_traffic = {
	.name = "Traffic",
	.select = KEY_ACT_VIEW_TRAFFIC,
	.scope = KEY_SCOPE_ANY,
	.draw = view_traffic_draw,
	.key = traffic_key,
};
