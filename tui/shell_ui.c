/* shell_ui — see shell_ui.h. */
#include "tui/shell_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backends/docker_types.h"
#include "core/actions/shell.h"
#include "core/base/util.h"
#include "core/fleet/fleet.h"

/* Curses learns the size the terminal has now: its own SIGWINCH handler
 * was not the one installed while the shell ran. */
static void shell_ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
}

/* Hands the terminal to the session and takes it back. */
static void shell_ui_suspend_run(struct ui *ui, const struct shell_target *t, const char *what)
{
	char *cause = NULL;
	int status = 0, rc;

	def_prog_mode();
	endwin();
	printf("kitetop: %s; exit it to come back to the dashboard\n", what);
	fflush(stdout);
	rc = shell_run(ui->cfg, t, &status, &cause);
	reset_prog_mode();
	shell_ui_resize();
	/* everything is drawn again: the shell wrote all over the screen */
	clearok(curscr, TRUE);
	if (rc == 0)
		ui_toast(ui, "back from %s (exit %d)", what, status);
	else
		ui_toast(ui, "%s: %s", what, cause != NULL ? cause : "failed");
	free(cause);
}

/* The selected container, when it runs (as the frame says): its name
 * (borrowed until the next draw), or NULL with a toast. */
static const char *shell_ui_container(struct ui *ui, const struct frame *f)
{
	const struct frame_host *h = ui->host < f->nhosts ? &f->hosts[ui->host] : NULL;
	const char *name = ui_selected_name(ui);
	const struct docker_container *c;

	if (ui->view != UI_VIEW_OVERVIEW || h == NULL || !h->docker.feed.configured || name == NULL) {
		ui_toast(ui, "no container selected (j k choose one in the overview)");
		return NULL;
	}
	if (ui_row_missing(f, ui->host, name)) {
		ui_toast(ui, "%s is missing on %s: no shell in it", name, h->name);
		return NULL;
	}
	c = frame_host_container(h, name);
	if (c != NULL && c->state != DOCKER_STATE_RUNNING) {
		ui_toast(ui, "%s on %s is %s: no shell in it", name, h->name,
		         docker_state_name(c->state));
		return NULL;
	}
	return name;
}

void shell_ui_cmd(struct ui *ui, enum key_action a)
{
	struct fleet *fleet = ui->feeds != NULL ? ui->feeds->fleet : NULL;
	struct shell_target t = { 0 };
	struct frame f;
	char *what, *name;

	if (fleet == NULL || ui->host >= fleet->nhosts)
		return;
	t.host = &fleet->hosts[ui->host];
	frame_take(&f, ui->feeds);
	if (a == KEY_ACT_EXEC)
		t.container = shell_ui_container(ui, &f);
	if (a == KEY_ACT_EXEC && t.container == NULL) {
		frame_release(&f);
		return;
	}
	if (shell_refused(ui->cfg, &t)) {
		ui_toast(ui, "read-only");
		frame_release(&f);
		return;
	}
	/* the name is the frame's: copied before the frame goes */
	what = t.container != NULL ? xasprintf("a shell in %s on %s", t.container, t.host->name) :
	       xasprintf("a login shell on %s", t.host->name);
	name = xstrdup(t.container);
	t.container = name;
	frame_release(&f);
	shell_ui_suspend_run(ui, &t, what);
	free(name);
	free(what);
}
