/* ui_changes — feeds tui/changes from the lab's latest state (each host's
 * reachability, each container's severity, a configured container missing),
 * rings the bell once per change for the worse when `bell = yes`, and tells
 * the views what to highlight. */
#include <stdio.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "tui/changes.h"
#include "tui/rows.h"
#include "tui/ui.h"

/* "host" or "host\x1f" "container" */
static void ui_changes_key(char *out, size_t n, const char *host, const char *container)
{
	if (container != NULL)
		snprintf(out, n, "%s\x1f%s", host, container);
	else
		snprintf(out, n, "%s", host);
}

void ui_changes_scan(struct ui *ui)
{
	int64_t now = time_mono_ms();
	size_t worse = 0;
	char key[512];

	if (ui->changes == NULL)
		ui->changes = changes_new();
	for (size_t i = 0; i < ui->lab->nhosts; i++) {
		struct lab_host *h = &ui->lab->hosts[i];
		struct lab_reach reach;
		struct snapshot *snap;
		const struct lab_containers *c;

		lab_host_reach(h, &reach);
		if (reach.known) {
			ui_changes_key(key, sizeof key, h->name, NULL);
			worse += changes_note(ui->changes, key, reach.connected ? 0 : 3, now);
		}
		snap = h->docker != NULL ? source_get(h->docker) : NULL;
		c = snap != NULL && snap->error == NULL ? snap->value : NULL;
		for (size_t k = 0; c != NULL && k < c->n; k++) {
			ui_changes_key(key, sizeof key, h->name, c->items[k].name);
			worse += changes_note(ui->changes, key, rows_container_severity(&c->items[k]), now);
		}
		for (size_t k = 0; c != NULL && k < ui->cfg->nservices; k++) {
			const char *want = ui->cfg->services[k].container;

			if (lab_containers_find(c, want) != NULL)
				continue;
			ui_changes_key(key, sizeof key, h->name, want);
			worse += changes_note(ui->changes, key, 3, now);
		}
		snapshot_unref(snap);
	}
	if (worse > 0 && ui->cfg->bell)
		beep();
}

bool ui_changed(struct ui *ui, const char *host, const char *container)
{
	char key[512];
	int64_t until;

	ui_changes_key(key, sizeof key, host, container);
	until = changes_until(ui->changes, key, time_mono_ms());
	if (until == 0)
		return false;
	ui_change_at(ui, until);    /* redraw when the highlight ends */
	return true;
}
