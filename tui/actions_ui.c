/* actions_ui — see actions_ui.h. */
#include "tui/actions_ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/action.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "widgets/dialog.h"

#define ACTIONS_UI_TOAST_MS 8000
#define ACTIONS_UI_ESC 27

enum actions_ui_state { AU_IDLE, AU_CONFIRM, AU_RUNNING };

struct actions_ui {
	struct wake *wake;
	enum actions_ui_state state;
	size_t host;                /* index into lab->hosts */
	char *container;
	char *verb;                 /* "restart", "stop", "start" */
	char *question;             /* "Restart grafana on monk?" */
	char *seen;                 /* what the snapshot says of it: "running, up 3h12m" */
	struct action *action;
	bool hidden;                /* the progress box was dismissed with Esc */
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
	free(au->container);
	free(au->verb);
	free(au->question);
	free(au->seen);
	au->container = au->verb = au->question = au->seen = NULL;
	au->state = AU_IDLE;
	au->hidden = false;
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

/* The selected container of the focused host, as the overview draws it. */
static const char *actions_ui_selected(struct ui *ui)
{
	if (ui->host >= ui->lab->nhosts || ui->host >= UTIL_ARRAY_LEN(ui->sel))
		return NULL;
	if (ui->sel[ui->host] != NULL)
		return ui->sel[ui->host];
	return ui->nrows > 0 ? ui->rows[0] : NULL;
}

/* What the latest snapshot says of the container: *state, and words. */
static char *actions_ui_seen(struct lab_host *h, const char *name, enum docker_state *state)
{
	struct snapshot *snap = h->docker != NULL ? source_get(h->docker) : NULL;
	const struct lab_containers *lc = snap != NULL ? snapshot_value(snap, NULL) : NULL;
	const struct docker_container *c = lab_containers_find(lc, name);
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
	snapshot_unref(snap);
	return out;
}

void actions_ui_start(struct ui *ui, struct actions_ui *au, enum key_action a)
{
	struct lab_host *h;
	const char *name = actions_ui_selected(ui);
	enum docker_state st;

	if (ui->cfg->read_only) {
		actions_ui_toast(ui, "read-only");
		return;
	}
	if (au->state == AU_RUNNING) {
		actions_ui_toast(ui, "%s: wait for it to finish", au->question);
		return;
	}
	if (au->state != AU_IDLE)
		return;
	h = ui->host < ui->lab->nhosts ? &ui->lab->hosts[ui->host] : NULL;
	if (h == NULL || h->docker == NULL || name == NULL) {
		actions_ui_toast(ui, "no container selected (j k choose one in the overview)");
		return;
	}
	au->host = ui->host;
	au->container = xstrdup(name);
	au->seen = actions_ui_seen(h, name, &st);
	if (a == KEY_ACT_RESTART)
		au->verb = xstrdup("restart");
	else if (st == DOCKER_STATE_RUNNING || st == DOCKER_STATE_RESTARTING ||
	         st == DOCKER_STATE_PAUSED)
		au->verb = xstrdup("stop");
	else
		au->verb = xstrdup("start");
	au->question = action_question(au->verb, name, h->name);
	au->state = AU_CONFIRM;
}

bool actions_ui_key(struct ui *ui, struct actions_ui *au, int key)
{
	if (au->state == AU_CONFIRM) {
		if (dialog_confirm_key(key) == DIALOG_YES) {
			au->action = action_container_start(ui->lab, &ui->lab->hosts[au->host],
			                                    au->container, au->verb, false, au->wake);
			au->state = AU_RUNNING;
		} else {
			actions_ui_toast(ui, "cancelled: nothing done");
			actions_ui_clear(au);
		}
		return true;
	}
	if (au->state == AU_RUNNING && !au->hidden && key == ACTIONS_UI_ESC) {
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
	else
		actions_ui_toast(ui, "%s %s on %s %s: %s", au->verb, au->container,
		                 ui->lab->hosts[au->host].name, action_result_name(st.result), st.message);
	action_free(au->action);
	au->action = NULL;
	actions_ui_clear(au);
	lab_refresh_now(ui->lab);   /* the new state at the next poll */
	return true;
}

void actions_ui_draw(struct ui *ui, struct actions_ui *au, WINDOW *w, struct rect r)
{
	struct dialog d = { .kind = DIALOG_CONFIRM };
	char title[32], detail[320], *doing = NULL;
	int64_t now = time_mono_ms();

	if (au->state == AU_IDLE || (au->state == AU_RUNNING && au->hidden))
		return;
	snprintf(title, sizeof title, "%s", au->verb);
	title[0] = (char)(title[0] - ('a' - 'A') * (title[0] >= 'a' && title[0] <= 'z'));
	d.title = title;
	d.text = au->question;
	if (au->state == AU_CONFIRM) {
		d.detail = au->seen;
	} else {
		struct action_status st;

		action_status(au->action, &st);
		d.kind = DIALOG_PROGRESS;
		doing = xasprintf("%s %s on %s", strcmp(au->verb, "stop") == 0 ? "Stopping" :
		                  strcmp(au->verb, "start") == 0 ? "Starting" : "Restarting",
		                  au->container, ui->lab->hosts[au->host].name);
		d.text = doing;
		snprintf(detail, sizeof detail, "%s (%lld s)",
		         st.progress[0] != '\0' ? st.progress : "starting",
		         (long long)(st.duration_ms / 1000));
		d.detail = detail;
		ui_change_at(ui, now + 1000 - st.duration_ms % 1000);   /* the seconds tick */
	}
	dialog_draw(w, r, &ui->pal, &d);
	free(doing);
}
