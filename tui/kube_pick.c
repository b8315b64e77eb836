/* kube_pick — see kube_pick.h. */
#include "tui/kube_pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "widgets/panel.h"
#include "widgets/text.h"

#define KUBE_PICK_ESC 27
#define KUBE_PICK_MIN_W 44

struct kube_pick {
	enum key_action action;
	kube_pick_chosen_fn chosen;
	char title[160];
	struct kube_pick_item *items;
	size_t n, sel;
};

static bool kube_pick_is(const char *s, const char *v)
{
	return s != NULL && strcmp(s, v) == 0;
}

bool kube_pick_attention(const struct kube_gitops *g)
{
	if (g->kind == KUBE_APPLICATION)
		return (g->sync != NULL && !kube_pick_is(g->sync, "Synced")) ||
		       kube_pick_is(g->health, "Degraded") || kube_pick_is(g->health, "Missing");
	return g->suspended || g->ready != KUBE_TRUE;
}

static void kube_pick_state(const struct kube_gitops *g, char *out, size_t n)
{
	if (g->kind == KUBE_APPLICATION)
		snprintf(out, n, "%s %s", g->sync != NULL ? g->sync : "?",
		         g->health != NULL ? g->health : "?");
	else if (g->suspended)
		snprintf(out, n, "suspended");
	else if (g->ready == KUBE_TRUE)
		snprintf(out, n, "Ready");
	else
		snprintf(out, n, "%s%s%s", g->ready == KUBE_FALSE ? "not Ready" : "Ready Unknown",
		         g->reason != NULL ? ": " : "", g->reason != NULL ? g->reason : "");
}

size_t kube_pick_build(const struct kube_cluster *c, bool flux_only, struct kube_pick_item *out,
                       size_t max)
{
	size_t n = 0;

	/* two passes: those that want a look, then the rest */
	for (int pass = 0; c != NULL && pass < 2; pass++)
		for (size_t i = 0; i < c->ngitops && n < max; i++) {
			const struct kube_gitops *g = &c->gitops[i];
			struct kube_pick_item *it = &out[n];

			if (g->ns == NULL || g->name == NULL || (flux_only && g->kind == KUBE_APPLICATION) ||
			    kube_pick_attention(g) != (pass == 0))
				continue;
			memset(it, 0, sizeof *it);
			snprintf(it->ref, sizeof it->ref, "%s/%s/%s", kube_gitops_kind_name(g->kind), g->ns,
			         g->name);
			kube_pick_state(g, it->state, sizeof it->state);
			it->attention = pass == 0;
			it->suspended = g->kind != KUBE_APPLICATION && g->suspended;
			n++;
		}
	return n;
}

void kube_pick_free(struct ui *ui)
{
	if (ui->kube_pick == NULL)
		return;
	free(ui->kube_pick->items);
	free(ui->kube_pick);
	ui->kube_pick = NULL;
}

void kube_pick_open(struct ui *ui, const struct kube_cluster *c, const char *name,
                    enum key_action a, kube_pick_chosen_fn chosen)
{
	bool flux_only = a == KEY_ACT_GITOPS_SUSPEND;
	struct kube_pick *p;

	kube_pick_free(ui);
	if (c == NULL) {
		ui_toast(ui, "no answer from %s yet", name);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->items = xcalloc(KUBE_PICK_MAX, sizeof *p->items);
	p->n = kube_pick_build(c, flux_only, p->items, KUBE_PICK_MAX);
	if (p->n == 0) {
		ui_toast(ui, "%s has no %s", name, flux_only ? "Flux object to suspend or resume" :
		         "Flux object or Argo CD application to reconcile or sync");
		free(p->items);
		free(p);
		return;
	}
	p->action = a;
	p->chosen = chosen;
	snprintf(p->title, sizeof p->title, "%s in %s", flux_only ? "Suspend or resume" :
	         "Reconcile or sync", name);
	ui->kube_pick = p;
}

bool kube_pick_key(struct ui *ui, int key)
{
	struct kube_pick *p = ui->kube_pick;
	enum key_action a;
	kube_pick_chosen_fn chosen;

	if (p == NULL)
		return false;
	switch (key) {
	case 'j': case KEY_DOWN:
		if (p->sel + 1 < p->n)
			p->sel++;
		break;
	case 'k': case KEY_UP:
		if (p->sel > 0)
			p->sel--;
		break;
	case '\r': case '\n': case KEY_ENTER:
		util_strlcpy(ui->cluster_sel.gitops, p->items[p->sel].ref, sizeof ui->cluster_sel.gitops);
		a = p->action;
		chosen = p->chosen;
		kube_pick_free(ui);
		chosen(ui, a);
		break;
	case KUBE_PICK_ESC: case 'q':
		kube_pick_free(ui);
		ui_toast(ui, "cancelled: nothing chosen");
		break;
	default:
		break;   /* the list is modal: nothing else while it is open */
	}
	return true;
}

void kube_pick_draw(struct ui *ui, WINDOW *w, struct rect area)
{
	struct kube_pick *p = ui->kube_pick;
	const char *hint = "j k move   Enter chooses   Esc cancels";
	struct rect box, in;
	int bw = KUBE_PICK_MIN_W, rows;
	size_t top = 0;

	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		int l = (int)(strlen(p->items[i].ref) + strlen(p->items[i].state)) + 14;

		if (l > bw)
			bw = l;
	}
	if (bw > area.w)
		bw = area.w;
	rows = (int)p->n + 4;
	if (rows > area.h)
		rows = area.h;
	box = rect_make(area.y + (area.h - rows) / 2, area.x + (area.w - bw) / 2, rows, bw);
	in = panel_draw(w, box, &ui->pal, p->title, NULL, true);
	if (in.h < 3 || in.w < 4)
		return;
	rows = in.h - 2;     /* a blank line and the hint below the list */
	if (p->sel >= (size_t)rows)
		top = p->sel - (size_t)rows + 1;
	for (size_t i = top; i < p->n && (int)(i - top) < rows; i++) {
		const struct kube_pick_item *it = &p->items[i];
		int y = in.y + (int)(i - top), x = in.x + 1, cw = in.w - 2;
		attr_t base = i == p->sel ? ui->pal.attr[THEME_SELECTION] : ui->pal.attr[THEME_DEFAULT];
		char line[600];

		if (i == p->sel)
			mvwhline(w, y, in.x, ' ' | base, in.w);
		snprintf(line, sizeof line, "%s%s", p->action == KEY_ACT_GITOPS_SUSPEND ?
		         (it->suspended ? "resume  " : "suspend ") : "", it->ref);
		x += text_put(w, y, x, cw, base, line);
		if (x + 2 < in.x + in.w - 1)
			text_put(w, y, x + 2, in.x + in.w - 1 - (x + 2),
			         i == p->sel ? base : ui->pal.attr[it->attention ? THEME_WARN : THEME_OK],
			         it->state);
	}
	text_put(w, in.y + in.h - 1, in.x + 1, in.w - 2, ui->pal.attr[THEME_DIM], hint);
	panel_more(w, box, &ui->pal, top, p->n > top + (size_t)rows ? p->n - top - (size_t)rows : 0);
}
