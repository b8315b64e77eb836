/* actions_ui — see actions_ui.h. */
#include "tui/actions_ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/actions/audit.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "widgets/dialog.h"

#define ACTIONS_UI_TOAST_MS 8000
#define ACTIONS_UI_ESC 27

enum actions_ui_state { AU_IDLE, AU_CONFIRM, AU_RUNNING };

struct actions_ui {
	struct wake *wake;
	enum actions_ui_state state;
	char *title, *question, *detail, *doing, *label;
	actions_ui_start_fn start;
	void *arg;
	void (*free_arg)(void *arg);
	struct action *action;
	bool hidden;                /* the progress box was dismissed with Esc */
	bool esc_cancels;           /* Esc cancels the action instead (ask->esc_cancels) */
	char progress[256];         /* as last drawn */
};

struct actions_ui *actions_ui_new(struct wake *wake)
{
	struct actions_ui *au = xcalloc(1, sizeof *au);

	au->wake = wake;
	return au;
}

static void actions_ui_clear(struct actions_ui *au)
{
	if (au->free_arg != NULL)
		au->free_arg(au->arg);
	free(au->title);
	free(au->question);
	free(au->detail);
	free(au->doing);
	free(au->label);
	au->title = au->question = au->detail = au->doing = au->label = NULL;
	au->start = NULL;
	au->arg = NULL;
	au->free_arg = NULL;
	au->state = AU_IDLE;
	au->hidden = false;
	au->esc_cancels = false;
	au->progress[0] = '\0';
}

void actions_ui_free(struct actions_ui *au)
{
	if (au == NULL)
		return;
	action_free(au->action);
	actions_ui_clear(au);
	free(au);
}

static void actions_ui_toast(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void actions_ui_toast(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	free(ui->toast);
	va_start(ap, fmt);
	ui->toast = xvasprintf(fmt, ap);
	va_end(ap);
	ui->toast_until = time_mono_ms() + ACTIONS_UI_TOAST_MS;
}

void actions_ui_confirm(struct ui *ui, struct actions_ui *au, const struct actions_ui_ask *ask)
{
	if (ui->cfg->read_only || au->state != AU_IDLE) {
		if (ui->cfg->read_only) {
			actions_ui_toast(ui, "read-only");
			if (ask->action != NULL)   /* best effort, as action_start does */
				audit_refused(ui->cfg->audit_log, ask->host, ask->target, ask->action,
				              false, "read-only", NULL);
		}
		else if (au->state == AU_RUNNING)
			actions_ui_toast(ui, "%s runs: wait for it to finish", au->label);
		if (ask->free_arg != NULL)
			ask->free_arg(ask->arg);
		return;
	}
	au->title = xstrdup(ask->title);
	au->question = xstrdup(ask->question);
	au->detail = xstrdup(ask->detail);
	au->doing = xstrdup(ask->doing);
	au->label = xstrdup(ask->label);
	au->start = ask->start;
	au->arg = ask->arg;
	au->free_arg = ask->free_arg;
	au->esc_cancels = ask->esc_cancels;
	au->state = AU_CONFIRM;
}

/* ---- container actions ---- */

/* The selected container of the focused host, as the overview draws it. */
static const char *actions_ui_selected(struct ui *ui, const struct frame *f)
{
	if (ui->host >= f->nhosts || ui->host >= UTIL_ARRAY_LEN(ui->sel))
		return NULL;
	return ui_selected_name(ui);   /* what the screen shows selected, nothing else */
}

/* What the frame says of the container: *state, and words. */
static char *actions_ui_seen(const struct frame_host *h, const char *name, enum docker_state *state)
{
	const struct feed_containers *lc = h->docker.value;
	const struct docker_container *c = feed_containers_find(lc, name);
	char *out;

	*state = c != NULL ? c->state : DOCKER_STATE_UNKNOWN;
	if (c == NULL) {
		out = xstrdup(lc == NULL ? "its state is not known yet" : "not in the last poll");
	} else if (c->state == DOCKER_STATE_RUNNING && c->started_at_ms > 0) {
		char up[32];

		time_format_duration(up, sizeof up, (time_real_ms() - c->started_at_ms) / 1000);
		out = xasprintf("now: %s, up %s (%s)", docker_state_name(c->state), up, c->image);
	} else {
		out = xasprintf("now: %s (%s)", docker_state_name(c->state), c->image);
	}
	return out;
}

struct container_pick {
	size_t host;
	char *container, *verb;
};

static void container_pick_free(void *arg)
{
	struct container_pick *p = arg;

	free(p->container);
	free(p->verb);
	free(p);
}

static struct action *container_start(struct ui *ui, struct wake *wake, void *arg)
{
	struct container_pick *p = arg;

	return action_container_start(ui->feeds->fleet, &ui->feeds->fleet->hosts[p->host], p->container,
	                              p->verb, false, wake);
}

void actions_ui_start(struct ui *ui, struct actions_ui *au, const struct frame *f, enum key_action a)
{
	const char *name = actions_ui_selected(ui, f), *hname;
	const struct frame_host *h = ui->host < f->nhosts ? &f->hosts[ui->host] : NULL;
	struct container_pick *p;
	enum docker_state st;
	char *seen, *question, *doing, *label, title[16];

	if (au->state != AU_IDLE) {
		if (au->state == AU_RUNNING)
			actions_ui_toast(ui, "%s runs: wait for it to finish", au->label);
		return;
	}
	if (h == NULL || !h->docker.feed.configured || name == NULL) {
		actions_ui_toast(ui, "no container selected (j k choose one in the overview)");
		return;
	}
	hname = h->name;
	if (ui_row_missing(f, ui->host, name)) {
		actions_ui_toast(ui, "%s is missing on %s: nothing to %s", name, hname,
		                 a == KEY_ACT_RESTART ? "restart" : "stop or start");
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->host = ui->host;
	p->container = xstrdup(name);
	seen = actions_ui_seen(h, name, &st);
	if (a == KEY_ACT_RESTART)
		p->verb = xstrdup("restart");
	else if (st == DOCKER_STATE_RUNNING || st == DOCKER_STATE_RESTARTING ||
	         st == DOCKER_STATE_PAUSED)
		p->verb = xstrdup("stop");
	else
		p->verb = xstrdup("start");
	question = action_question(p->verb, name, hname);
	doing = xasprintf("%s %s on %s", strcmp(p->verb, "stop") == 0 ? "Stopping" :
	                  strcmp(p->verb, "start") == 0 ? "Starting" : "Restarting", name, hname);
	label = xasprintf("%s %s on %s", p->verb, name, hname);
	snprintf(title, sizeof title, "%s", strcmp(p->verb, "stop") == 0 ? "Stop" :
	         strcmp(p->verb, "start") == 0 ? "Start" : "Restart");
	actions_ui_confirm(ui, au, &(struct actions_ui_ask){
		.title = title, .question = question, .detail = seen, .doing = doing, .label = label,
		.action = p->verb, .host = hname, .target = name,
		.start = container_start, .arg = p, .free_arg = container_pick_free,
	});
	free(seen);
	free(question);
	free(doing);
	free(label);
}

void actions_ui_cmd(struct ui *ui, enum key_action a)
{
	struct frame f;

	frame_take(&f, ui->feeds);
	actions_ui_start(ui, ui->actions, &f, a);
	frame_release(&f);
}

/* ---- the dialog's life ---- */

bool actions_ui_key(struct ui *ui, struct actions_ui *au, int key)
{
	if (au->state == AU_CONFIRM) {
		if (dialog_confirm_key(key) == DIALOG_YES) {
			au->action = au->start(ui, au->wake, au->arg);
			au->state = AU_RUNNING;
		} else {
			actions_ui_toast(ui, "cancelled: nothing done");
			actions_ui_clear(au);
		}
		return true;
	}
	if (au->state == AU_RUNNING && !au->hidden && key == ACTIONS_UI_ESC) {
		if (au->esc_cancels) {
			action_cancel(au->action);   /* its end comes through actions_ui_poll */
			util_strlcpy(au->progress, "cancelling", sizeof au->progress);
			return true;
		}
		au->hidden = true;
		return true;
	}
	return false;
}

bool actions_ui_poll(struct ui *ui, struct actions_ui *au)
{
	struct action_status st;

	if (au->state != AU_RUNNING || au->action == NULL)
		return false;
	action_status(au->action, &st);
	if (st.result == ACTION_RUNNING) {
		if (strcmp(st.progress, au->progress) == 0)
			return false;
		util_strlcpy(au->progress, st.progress, sizeof au->progress);
		return true;
	}
	if (st.result == ACTION_OK)
		actions_ui_toast(ui, "%s (%.1f s)", st.message, (double)st.duration_ms / 1000.0);
	else if (st.result == ACTION_UNKNOWN)
		/* the same words as the command line's: what to look at before
		 * trying again, since it may well have happened */
		actions_ui_toast(ui, "%s: unknown: %s", au->label, st.message);
	else
		actions_ui_toast(ui, "%s %s: %s", au->label, action_result_name(st.result), st.message);
	action_free(au->action);
	au->action = NULL;
	actions_ui_clear(au);
	feeds_refresh_now(ui->feeds);   /* the new state at the next poll */
	return true;
}

void actions_ui_draw(struct ui *ui, struct actions_ui *au, WINDOW *w, struct rect r)
{
	struct dialog d = { .kind = DIALOG_CONFIRM, .title = au->title, .text = au->question,
	                    .detail = au->detail };
	char detail[320];

	if (au->state == AU_IDLE || (au->state == AU_RUNNING && au->hidden))
		return;
	if (au->state == AU_RUNNING) {
		struct action_status st;

		action_status(au->action, &st);
		d.kind = au->esc_cancels ? DIALOG_PROGRESS_CANCEL : DIALOG_PROGRESS;
		d.text = au->doing;
		snprintf(detail, sizeof detail, "%s (%lld s)",
		         st.progress[0] != '\0' ? st.progress : "starting",
		         (long long)(st.duration_ms / 1000));
		d.detail = detail;
		ui_change_at(ui, time_mono_ms() + 1000 - st.duration_ms % 1000);   /* the seconds tick */
	}
	dialog_draw(w, r, &ui->pal, &d);
}
