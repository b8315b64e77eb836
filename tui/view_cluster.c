/* view_cluster — see view_cluster.h. */
#include "tui/view_cluster.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/base/buf.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/cluster_nodes.h"
#include "core/model/verdict.h"
#include "core/model/verdict_cluster.h"
#include "tui/cluster_lines.h"
#include "widgets/gauge.h"
#include "widgets/panel.h"
#include "widgets/text.h"

static attr_t vc_attr(struct ui *ui, enum verdict_level l)
{
	return ui->pal.attr[l == VERDICT_CRIT ? THEME_CRIT : l == VERDICT_WARN ? THEME_WARN :
	                    l == VERDICT_UNKNOWN ? THEME_DIM : THEME_VALUE];
}

/* Draws text's lines (each ending in '\n' or not) from the top of *body. */
static void vc_lines(WINDOW *w, struct rect *body, attr_t a, const char *text)
{
	for (const char *p = text; *p != '\0' && body->h > 0;) {
		size_t l = strcspn(p, "\n");
		char line[1024];
		struct rect row = rect_cut_top(body, 1);

		snprintf(line, sizeof line, "%.*s", (int)l, p);
		text_put(w, row.y, row.x, row.w, a, line);
		p += l + (p[l] == '\n');
	}
}

static const char vc_howto[] =
	"No Kubernetes cluster is configured.  Add a [cluster] to the configuration, e.g.:\n"
	"\n"
	"  [cluster axiomlayer]\n"
	"  via = neko, neko2            ; server nodes: [host]s with ssh; the API is their 127.0.0.1:6443\n"
	"  kubeconfig = remote:/etc/rancher/k3s/k3s.yaml   ; the default (read over SSH, kept in memory)\n"
	"  namespaces = *               ; the default: every namespace\n"
	"\n"
	"Each node is shown beside the [host] of the same name or address (man kitetop: [cluster NAME]).";

/* The cluster's name and its API line, in row. */
static void vc_title(struct ui *ui, const struct frame *f, const struct frame_cluster *c, WINDOW *w,
                     struct rect row)
{
	struct buf t;
	enum verdict_level l;
	int x = row.x;

	buf_init(&t);
	l = cluster_lines_api(c, ui->utf8, &t);
	x += text_put(w, row.y, x, row.w, ui->pal.attr[THEME_TITLE] | A_BOLD, c->name);
	x += text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[THEME_DIM], "  ");
	x += text_put(w, row.y, x, row.x + row.w - x, vc_attr(ui, l), buf_cstr(&t));
	if (ui->cluster_count > 1) {
		char more[96];

		snprintf(more, sizeof more, "   cluster %zu of %zu (7: the next)", ui->cluster + 1, ui->cluster_count);
		text_put(w, row.y, x, row.x + row.w - x, ui->pal.attr[THEME_DIM], more);
	}
	buf_done(&t);
}

/* The strip's lines (text) and their levels, one per line. */
static size_t vc_strip(const struct kube_cluster *k, int64_t now, bool utf8, size_t nevents, struct buf *text,
                       enum verdict_level *lv, size_t max)
{
	enum verdict_level (*part[])(const struct kube_cluster *, bool, struct buf *) = {
		cluster_lines_gitops, cluster_lines_longhorn, cluster_lines_cnpg, cluster_lines_workloads,
	};
	size_t n = 0;

	for (size_t i = 0; i <= UTIL_ARRAY_LEN(part); i++) {
		struct buf one;
		enum verdict_level l;

		buf_init(&one);
		l = i < UTIL_ARRAY_LEN(part) ? part[i](k, utf8, &one) :
		    cluster_lines_events(k, now, nevents, utf8, &one);
		for (const char *p = buf_cstr(&one); *p != '\0' && n < max;) {
			size_t len = strcspn(p, "\n");

			buf_append(text, p, len);
			buf_putc(text, '\n');
			lv[n++] = l;
			p += len + (p[len] == '\n');
		}
		buf_done(&one);
	}
	return n;
}

/* The host merged with a node: its figures as gauges (or in a line when
 * short of rows), or why there are none. */
static void vc_host(struct ui *ui, const struct cluster_node_sum *s, WINDOW *w, struct rect *body, bool full)
{
	const struct frame_host *h = s->host;
	const struct metrics *m;
	struct rect row;
	char v[32];

	if (h == NULL || body->h <= 0)
		return;
	if (h->reach.known && !h->reach.connected) {
		char line[600];

		row = rect_cut_top(body, 1);
		snprintf(line, sizeof line, "host unreachable: %s", h->reach.error);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_ERROR], line);
		return;
	}
	m = h->metrics.feed.error == NULL ? h->metrics.value : NULL;
	if (m == NULL)
		return;
	if (!full) {
		char line[160];

		row = rect_cut_top(body, 1);
		snprintf(line, sizeof line, "host CPU %.0f%%  MEM %.0f%%  DISK %.0f%%", m->cpu_pct, m->mem_pct, m->disk_pct);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_VALUE], line);
		return;
	}
	const struct { const char *label; enum metrics_figure fig; double pct; } g[] = {
		{ "CPU", METRICS_CPU, m->cpu_pct }, { "MEM", METRICS_MEM, m->mem_pct }, { "DISK", METRICS_DISK, m->disk_pct },
	};
	for (size_t i = 0; i < UTIL_ARRAY_LEN(g) && body->h > 0; i++) {
		if (!m->valid[g[i].fig])
			continue;
		row = rect_cut_top(body, 1);
		format_pct(v, sizeof v, g[i].pct);
		gauge_draw(w, row, &ui->pal, g[i].label, g[i].pct, v, false);
	}
}

/* The right title of a node's column: its state, and its host's SSH. */
static enum verdict_level vc_right(struct ui *ui, const struct cluster_node_sum *s, char *right, size_t n)
{
	char title[128], state[64];
	enum verdict_level l = cluster_lines_node_title(s->node, ui->utf8, title, sizeof title, state, sizeof state);
	const struct frame_host *h = s->host;

	if (h == NULL || h->local)
		snprintf(right, n, "%s", state);
	else if (h->reach.connected && h->reach.rtt_ms >= 0)
		snprintf(right, n, "%s  ssh %d ms", state, h->reach.rtt_ms);
	else if (h->reach.known && !h->reach.connected)
		snprintf(right, n, "%s  ssh %s", state, verdict_mark(VERDICT_CRIT, ui->utf8));
	else
		snprintf(right, n, "%s", state);
	return l;
}

/* The pods of node ni in body: a header, the rows (the focused column's
 * selection kept in view), the healthy ones not shown folded. */
static void vc_pods(struct ui *ui, const struct kube_cluster *k, size_t ni, WINDOW *w, struct rect body,
                    bool focused, bool stale, bool all)
{
	const struct kube_node *nd = &k->nodes[ni];
	size_t n, unnamed = 0, first = 0;
	const struct kube_pod **v = cluster_node_pods(k, nd->name, &n);
	struct rect row;
	char line[512];

	for (size_t i = 0; i < k->npods; i++)
		unnamed += k->pods[i].name == NULL && k->pods[i].node != NULL && strcmp(k->pods[i].node, nd->name) == 0;
	if (body.h < 2) {
		free(v);
		return;
	}
	row = rect_cut_top(&body, 1);
	cluster_lines_pod_header(row.w, line, sizeof line);
	text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_HEADER], line);
	if (focused) {
		ui->cluster_npods = n;
		ui->cluster_page = body.h;
		ui->cluster_pod_y = body.y;
		if (ui->cluster_pod >= n)
			ui->cluster_pod = n > 0 ? n - 1 : 0;
		if (n > (size_t)body.h && ui->cluster_pod + 2 > (size_t)body.h)
			first = ui->cluster_pod + 2 - (size_t)body.h;
		ui->cluster_pod_first = first;
	}
	for (size_t i = first; i < n && body.h > 0; i++) {
		int sev = verdict_kube_pod_severity(v[i]);
		static const enum theme_role role[] = { THEME_DEFAULT, THEME_WARN, THEME_WARN, THEME_CRIT };
		attr_t a = ui->pal.attr[stale ? THEME_DIM : role[sev]];

		row = rect_cut_top(&body, 1);
		if (body.h == 0 && i + 1 < n && !(focused && i == ui->cluster_pod) && !all) {
			size_t healthy = unnamed;

			for (size_t j = i; j < n; j++)
				healthy += verdict_kube_pod_severity(v[j]) == 0;
			if (healthy == n - i + unnamed)
				snprintf(line, sizeof line, "+ %zu more, all healthy (Enter: all)", n - i + unnamed);
			else
				snprintf(line, sizeof line, "+ %zu more: %zu healthy, %zu not (Enter: all)", n - i + unnamed,
				         healthy, n - i + unnamed - healthy);
			text_put(w, row.y, row.x, row.w, ui->pal.attr[healthy == n - i + unnamed ? THEME_DIM : THEME_WARN], line);
			unnamed = 0;
			break;
		}
		cluster_lines_pod(v[i], row.w, cluster_lines_ds_missing(k, v[i]), ui->utf8, line, sizeof line);
		if (focused && i == ui->cluster_pod) {
			a = ui->pal.attr[THEME_SELECTION] | A_REVERSE * !ui->pal.color;
			wattrset(w, a);
			wmove(w, row.y, row.x);
			whline(w, ' ', row.w);
		}
		text_put(w, row.y, row.x, row.w, a | (cluster_lines_ds_missing(k, v[i]) ? A_BOLD : 0), line);
	}
	if (unnamed > 0 && body.h > 0) {
		row = rect_cut_top(&body, 1);
		snprintf(line, sizeof line, "+ %zu more, all healthy%s", unnamed, all ? " (names not recorded)" : "");
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], line);
	}
	free(v);
}

/* What the action keys act on (tui/kube_ui.h): the focused node and its
 * selected pod, as this draw shows them. */
static void vc_select(struct ui *ui, const struct kube_cluster *k)
{
	struct ui_cluster_sel *sel = &ui->cluster_sel;
	const struct kube_pod **v;
	size_t n;

	memset(sel, 0, sizeof *sel);
	sel->cluster = ui->cluster;
	if (k == NULL || k->nnodes == 0)
		return;
	if (ui->cluster_node >= k->nnodes)
		ui->cluster_node = 0;
	if (k->nodes[ui->cluster_node].name == NULL)
		return;
	util_strlcpy(sel->node, k->nodes[ui->cluster_node].name, sizeof sel->node);
	v = cluster_node_pods(k, sel->node, &n);
	if (ui->cluster_pod < n && v[ui->cluster_pod]->ns != NULL && v[ui->cluster_pod]->name != NULL) {
		util_strlcpy(sel->pod_ns, v[ui->cluster_pod]->ns, sizeof sel->pod_ns);
		util_strlcpy(sel->pod, v[ui->cluster_pod]->name, sizeof sel->pod);
	}
	free(v);
}

/* One node's column. */
static void vc_column(struct ui *ui, const struct frame *f, const struct kube_cluster *k, size_t ni,
                      WINDOW *w, struct rect r, bool stale)
{
	struct cluster_node_sum s;
	char title[128], right[160], state[64];
	enum verdict_level l;
	struct rect body;
	struct buf t;
	bool focused = ni == ui->cluster_node;

	cluster_node_sum(f, k, ni, &s);
	cluster_lines_node_title(s.node, ui->utf8, title, sizeof title, state, sizeof state);
	l = vc_right(ui, &s, right, sizeof right);
	body = panel_draw_right(w, r, &ui->pal, title, right, vc_attr(ui, l) | A_BOLD, focused);
	vc_host(ui, &s, w, &body, body.h >= 16);
	buf_init(&t);
	cluster_lines_node(k, &s, f->taken_ms, ui->utf8, &t);
	if (stale && body.h > 0) {
		struct rect row = rect_cut_top(&body, 1);

		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM], "(stale: the API is down; as last seen)");
	}
	vc_lines(w, &body, stale ? ui->pal.attr[THEME_DIM] : vc_attr(ui, verdict_kube_node_ready(s.node) ?
	         VERDICT_OK : VERDICT_CRIT), buf_cstr(&t));
	buf_done(&t);
	if (body.h > 3)
		rect_cut_top(&body, 1);
	vc_pods(ui, k, ni, w, body, focused, stale, false);
}

/* A node's tab: " name ● " ("[name ●]" focused), and its level. */
static enum verdict_level vc_tab(struct ui *ui, const struct kube_node *n, bool focused, char *tab, size_t tn)
{
	char t[128], st[64];
	enum verdict_level l = cluster_lines_node_title(n, ui->utf8, t, sizeof t, st, sizeof st);

	snprintf(tab, tn, "%s%s %s%s ", focused ? "[" : " ", n->name, cluster_lines_mark(l, ui->utf8), focused ? "]" : " ");
	return l;
}

/* The node tab strip: " [neko ●]  neko2 ●  bobcat ✖ ", the columns shown
 * in bold; with more nodes than fit, from the one that keeps the focused
 * tab on screen, and "◂ 2 more" / "3 more ▸" for those off it. */
static void vc_tabs(struct ui *ui, const struct kube_cluster *k, WINDOW *w, struct rect row, size_t first,
                    size_t per)
{
	int x = row.x, hint = 23, room = row.w;
	size_t start = 0, end;
	char tab[160], more[32];

	ui->cluster_tabs_y = row.y;

	/* the first tab drawn: the focused one must fit with the marks */
	for (;;) {
		int used = start > 0 ? 12 : 0;
		bool fits = false;

		for (size_t i = start; i < k->nnodes; i++) {
			vc_tab(ui, &k->nodes[i], i == ui->cluster_node, tab, sizeof tab);
			if (used + text_width(tab) > room - 12)
				break;
			used += text_width(tab);
			fits = fits || i == ui->cluster_node;
		}
		if (fits || start >= ui->cluster_node)
			break;
		start++;
	}
	if (start > 0) {
		snprintf(more, sizeof more, "%s %zu more ", ui->utf8 ? "\xe2\x97\x82" : "<", start);
		x += text_put(w, row.y, x, row.x + room - x, ui->pal.attr[THEME_DIM], more);
	}
	for (end = start; end < k->nnodes; end++) {
		enum verdict_level l = vc_tab(ui, &k->nodes[end], end == ui->cluster_node, tab, sizeof tab);
		bool shown = end >= first && end < first + per;

		if (x + text_width(tab) > row.x + room - (end + 1 < k->nnodes ? 12 : 0))
			break;
		if (ui->cluster_ntabs < UI_CLUSTER_CLICKS) {
			ui->cluster_tab_x[ui->cluster_ntabs] = x;
			ui->cluster_tab_w[ui->cluster_ntabs] = text_width(tab);
			ui->cluster_tab_node[ui->cluster_ntabs++] = end;
		}
		x += text_put(w, row.y, x, row.x + room - x, (shown ? A_BOLD : 0) | vc_attr(ui, l), tab);
	}
	if (end < k->nnodes) {
		snprintf(more, sizeof more, " %zu more %s", k->nnodes - end, ui->utf8 ? "\xe2\x96\xb8" : ">");
		x += text_put(w, row.y, x, row.x + room - x, ui->pal.attr[THEME_DIM], more);
	}
	if (x + hint + 2 <= row.x + row.w)
		text_put(w, row.y, row.x + row.w - hint, hint, ui->pal.attr[THEME_DIM], "Tab/h/l node  Enter all");
}

/* Enter: the focused node in full: its lines, every pod, the selected one's
 * detail. */
static void vc_open(struct ui *ui, const struct frame *f, const struct kube_cluster *k, WINDOW *w,
                    struct rect r, bool stale)
{
	struct cluster_node_sum s;
	const struct kube_node *nd = &k->nodes[ui->cluster_node];
	char title[160], right[160], state[64], line[1024];
	struct rect body, foot;
	struct buf t;
	enum verdict_level l;
	size_t n;
	const struct kube_pod **v = cluster_node_pods(k, nd->name, &n);

	cluster_node_sum(f, k, ui->cluster_node, &s);
	cluster_lines_node_title(nd, ui->utf8, title, sizeof title, state, sizeof state);
	l = vc_right(ui, &s, right, sizeof right);
	snprintf(title + strlen(title), sizeof title - strlen(title), "  (Esc: back)");
	body = panel_draw_right(w, r, &ui->pal, title, right, vc_attr(ui, l) | A_BOLD, true);
	vc_host(ui, &s, w, &body, false);
	buf_init(&t);
	cluster_lines_node(k, &s, f->taken_ms, ui->utf8, &t);
	if (nd->ntaints > 0) {
		buf_puts(&t, "taints");
		for (size_t i = 0; i < nd->ntaints; i++)
			buf_printf(&t, " %s", nd->taints[i]);
		buf_putc(&t, '\n');
	}
	vc_lines(w, &body, stale ? ui->pal.attr[THEME_DIM] : ui->pal.attr[THEME_VALUE], buf_cstr(&t));
	buf_done(&t);
	/* the selected pod's detail at the bottom */
	foot = body;
	if (body.h > 4) {
		foot = rect_make(body.y + body.h - 2, body.x, 2, body.w);
		body.h -= 3;
	} else {
		foot.h = 0;
	}
	vc_pods(ui, k, ui->cluster_node, w, body, true, stale, true);
	if (foot.h > 0 && n > 0 && ui->cluster_pod < n) {
		const struct kube_pod *p = v[ui->cluster_pod];
		char age[16] = "?";

		if (p->created_ms > 0)
			time_format_age(age, sizeof age, f->taken_ms - p->created_ms);
		snprintf(line, sizeof line, "%s/%s on %s: %s, ready %d/%d, %d restart%s%s%s, age %s", p->ns, p->name,
		         nd->name, p->status != NULL ? p->status : "?", p->ready, p->containers, p->restarts,
		         p->restarts == 1 ? "" : "s", p->last_reason != NULL ? ", last terminated: " : "",
		         p->last_reason != NULL ? p->last_reason : "", age);
		text_put(w, foot.y, foot.x, foot.w, ui->pal.attr[THEME_VALUE] | A_BOLD, line);
		snprintf(line, sizeof line, "%s%s%s%s%s%s", p->owner_kind != NULL ? "owner " : "",
		         p->owner_kind != NULL ? p->owner_kind : "", p->owner_kind != NULL ? "/" : "",
		         p->owner_kind != NULL && p->owner_name != NULL ? p->owner_name : "", cluster_lines_ds_missing(k, p) ?
		         "  (a DaemonSet short of pods: this node's is not healthy)" : "",
		         p->cnpg_primary ? "  CloudNativePG primary" : "");
		if (line[0] == ' ')
			memmove(line, line + 2, strlen(line + 2) + 1);
		text_put(w, foot.y + 1, foot.x, foot.w, ui->pal.attr[THEME_DIM], line);
	}
	free(v);
}

/* Very small: the title, then the cluster's problems worst first. */
static void vc_phone(struct ui *ui, const struct frame *f, const struct frame_cluster *c, WINDOW *w,
                     struct rect r)
{
	struct buf t;

	buf_init(&t);
	cluster_lines_problems(c, f->taken_ms, ui->utf8, &t);
	for (const char *p = buf_cstr(&t); *p != '\0' && r.h > 0;) {
		size_t l = strcspn(p, "\n");
		char line[1024];
		struct rect row = rect_cut_top(&r, 1);
		bool crit = strncmp(p, verdict_mark(VERDICT_CRIT, ui->utf8), strlen(verdict_mark(VERDICT_CRIT, ui->utf8))) == 0;
		bool warn = strncmp(p, verdict_mark(VERDICT_WARN, ui->utf8), strlen(verdict_mark(VERDICT_WARN, ui->utf8))) == 0;

		snprintf(line, sizeof line, "%.*s", (int)l, p);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[crit ? THEME_CRIT : warn ? THEME_WARN : THEME_VALUE], line);
		p += l + (p[l] == '\n');
	}
	buf_done(&t);
}

static void view_cluster_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r)
{
	const struct frame_cluster *c;
	const struct kube_cluster *k;
	struct buf strip;
	enum verdict_level lv[16];
	size_t nstrip, per, first;
	bool stale, boxed;
	int colw;

	ui->cluster_npods = 0;
	ui->cluster_count = f->nclusters;
	ui->cluster_ncols = ui->cluster_ntabs = 0;
	ui->cluster_tabs_y = ui->cluster_pod_y = -1;
	if (f->nclusters == 0) {
		vc_lines(w, &r, ui->pal.attr[THEME_VALUE], vc_howto);
		return;
	}
	if (ui->cluster >= f->nclusters)
		ui->cluster = 0;
	c = &f->clusters[ui->cluster];
	k = c->feed.polled ? c->value : NULL;
	stale = k != NULL && verdict_cluster_fresh(c) == NULL;
	ui->cluster_nnodes = k != NULL ? k->nnodes : 0;
	vc_select(ui, k);
	if (r.h < 2 || r.w < 10)
		return;
	if (r.w < VIEW_CLUSTER_COL_MIN || r.h < 12) {
		text_put(w, r.y, r.x, r.w, ui->pal.attr[THEME_TITLE] | A_BOLD, c->name);
		rect_cut_top(&r, 1);
		vc_phone(ui, f, c, w, r);
		return;
	}
	vc_title(ui, f, c, w, rect_cut_top(&r, 1));
	if (k == NULL || k->nnodes == 0) {
		text_put(w, r.y + 1, r.x, r.w, ui->pal.attr[THEME_DIM], k == NULL ? "no nodes known yet" : "no nodes");
		return;
	}
	if (ui->cluster_node >= k->nnodes)
		ui->cluster_node = 0;
	if (ui->cluster_open) {
		vc_open(ui, f, k, w, r, stale);
		return;
	}
	/* the strip under the columns: boxed when there is room */
	buf_init(&strip);
	boxed = r.h >= 30;
	nstrip = vc_strip(k, f->taken_ms, ui->utf8, boxed ? 4 : 2, &strip, lv, boxed ? 8 : (size_t)(r.h / 3));
	if (nstrip > 0) {
		struct rect sr = rect_make(r.y + r.h - (int)nstrip - (boxed ? 2 : 0), r.x, (int)nstrip + (boxed ? 2 : 0), r.w);
		struct rect in = boxed ? panel_draw(w, sr, &ui->pal, "cluster", NULL, false) : sr;
		size_t i = 0;

		for (const char *p = buf_cstr(&strip); *p != '\0' && in.h > 0; i++) {
			size_t l = strcspn(p, "\n");
			char line[2048];
			struct rect row = rect_cut_top(&in, 1);

			snprintf(line, sizeof line, "%.*s", (int)l, p);
			text_put(w, row.y, row.x + (boxed ? 1 : 0), row.w - (boxed ? 1 : 0), vc_attr(ui, lv[i]), line);
			p += l + (p[l] == '\n');
		}
		r.h -= sr.h;
	}
	buf_done(&strip);
	per = (size_t)(r.w / VIEW_CLUSTER_COL_MIN);
	per = per < 1 ? 1 : per > k->nnodes ? k->nnodes : per;
	first = ui->cluster_node / per * per;
	if (first + per > k->nnodes)
		first = k->nnodes - per;
	if (per < k->nnodes)
		vc_tabs(ui, k, w, rect_cut_top(&r, 1), first, per);
	colw = r.w / (int)per;
	for (size_t i = 0; i < per; i++) {
		int x = r.x + (int)i * colw;

		int cw = i + 1 == per ? r.x + r.w - x : colw;

		vc_column(ui, f, k, first + i, w, rect_make(r.y, x, r.h, cw), stale);
		if (ui->cluster_ncols < UI_CLUSTER_CLICKS) {
			ui->cluster_col_x[ui->cluster_ncols] = x;
			ui->cluster_col_w[ui->cluster_ncols] = cw;
			ui->cluster_col_node[ui->cluster_ncols++] = first + i;
		}
	}
}

static bool view_cluster_key(struct ui *ui, enum key_action a)
{
	size_t n = ui->cluster_nnodes, page = ui->cluster_page > 1 ? (size_t)ui->cluster_page - 1 : 1;
	size_t last = ui->cluster_npods > 0 ? ui->cluster_npods - 1 : 0;

	switch (a) {
	case KEY_ACT_VIEW_CLUSTER:
		if (ui->view != UI_VIEW_CLUSTER || ui->cluster_count < 2)
			return false;
		ui->cluster = (ui->cluster + 1) % ui->cluster_count;
		ui->cluster_node = ui->cluster_pod = 0;
		ui->cluster_open = false;
		return true;
	case KEY_ACT_HOST_NEXT:
	case KEY_ACT_HOST_PREV:
		if (n > 0)
			ui->cluster_node = (ui->cluster_node + (a == KEY_ACT_HOST_NEXT ? 1 : n - 1)) % n;
		ui->cluster_pod = 0;
		return true;
	case KEY_ACT_DOWN: ui->cluster_pod = ui->cluster_pod < last ? ui->cluster_pod + 1 : last; return true;
	case KEY_ACT_UP: ui->cluster_pod = ui->cluster_pod > 0 ? ui->cluster_pod - 1 : 0; return true;
	case KEY_ACT_PAGE_DOWN: ui->cluster_pod = ui->cluster_pod + page < last ? ui->cluster_pod + page : last; return true;
	case KEY_ACT_PAGE_UP: ui->cluster_pod = ui->cluster_pod > page ? ui->cluster_pod - page : 0; return true;
	case KEY_ACT_TOP: ui->cluster_pod = 0; return true;
	case KEY_ACT_BOTTOM: ui->cluster_pod = last; return true;
	case KEY_ACT_DETAIL:
		ui->cluster_open = n > 0;
		return true;
	case KEY_ACT_CLOSE:
		if (!ui->cluster_open)
			return false;
		ui->cluster_open = false;
		return true;
	/* the container viewers have nothing to show here (r s S are the
	 * cluster's own: tui/kube_ui.c) */
	case KEY_ACT_LOGS: case KEY_ACT_RESTART: case KEY_ACT_STOPSTART: case KEY_ACT_EXEC:
		ui_toast(ui, "no container here: 1 for the hosts' containers");
		return true;
	default:
		return false;
	}
}

/* A click: on a node's tab or column, that node; on a pod row of the
 * focused column (or of the node shown in full), that pod. */
static void view_cluster_click(struct ui *ui, int y, int x)
{
	if (y == ui->cluster_tabs_y) {
		for (size_t i = 0; i < ui->cluster_ntabs; i++)
			if (x >= ui->cluster_tab_x[i] && x < ui->cluster_tab_x[i] + ui->cluster_tab_w[i] &&
			    ui->cluster_tab_node[i] != ui->cluster_node) {
				ui->cluster_node = ui->cluster_tab_node[i];
				ui->cluster_pod = 0;
			}
		return;
	}
	for (size_t i = 0; i < ui->cluster_ncols; i++) {
		if (x < ui->cluster_col_x[i] || x >= ui->cluster_col_x[i] + ui->cluster_col_w[i])
			continue;
		if (ui->cluster_col_node[i] != ui->cluster_node) {
			ui->cluster_node = ui->cluster_col_node[i];
			ui->cluster_pod = 0;
			return;
		}
	}
	if (ui->cluster_pod_y >= 0 && y >= ui->cluster_pod_y && y < ui->cluster_pod_y + ui->cluster_page &&
	    ui->cluster_pod_first + (size_t)(y - ui->cluster_pod_y) < ui->cluster_npods)
		ui->cluster_pod = ui->cluster_pod_first + (size_t)(y - ui->cluster_pod_y);
}

static void view_cluster_wheel(struct ui *ui, long delta)
{
	view_cluster_key(ui, delta > 0 ? KEY_ACT_DOWN : KEY_ACT_UP);
}

static const struct keynames_hint cluster_keybar[] = {
	{ "host-next", "node" }, { "down/up", "pod" }, { "detail", "all pods" }, { "cordon", "cordon" },
	{ "drain-node", "drain" }, { "help", "help" }, { "quit", "quit" }, { "view-cluster", "next cluster" },
	{ "rollout-restart", "restart" }, { "sync-reconcile", "sync/reconcile" },
	{ "suspend-resume", "suspend/resume" },
};

const struct view view_cluster = {
	.name = "Cluster",
	.select = KEY_ACT_VIEW_CLUSTER,
	.scope = KEY_SCOPE_CLUSTER,
	.draw = view_cluster_draw,
	.key = view_cluster_key,
	.wheel = view_cluster_wheel,
	.click = view_cluster_click,
	.keybar = cluster_keybar,
	.nkeybar = UTIL_ARRAY_LEN(cluster_keybar),
};
