/* ui_changes — feeds tui/changes from each frame (each host's
 * reachability, each container's severity, a configured container missing),
 * rings the bell once per change for the worse when `bell = yes`, and tells
 * the views what to highlight. */
#include "tui/ui_changes.h"

#include <stdio.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/model/verdict.h"
#include "tui/changes.h"

/* "host" or "host\x1f" "container" */
static void ui_changes_key(char *out, size_t n, const char *host, const char *container)
{
	if (container != NULL)
		snprintf(out, n, "%s\x1f%s", host, container);
	else
		snprintf(out, n, "%s", host);
}

void ui_changes_scan(struct ui *ui, const struct frame *f)
{
	int64_t now = time_mono_ms();
	size_t worse = 0;
	char key[512];

	if (ui->changes == NULL)
		ui->changes = changes_new();
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];
		const struct feed_containers *c = h->docker.feed.error == NULL ? h->docker.value : NULL;

		if (h->reach.known) {
			ui_changes_key(key, sizeof key, h->name, NULL);
			worse += changes_note(ui->changes, key, h->reach.connected ? 0 : 3, now);
		}
		/* a list of the version last scanned here would note every
		 * container again at the level it has (changes_note: nothing
		 * then) */
		if (c != NULL && i < FLEET_MAX_HOSTS && c->version != 0 &&
		    c->version == ui->changes_version[i])
			continue;
		if (i < FLEET_MAX_HOSTS)
			ui->changes_version[i] = c != NULL ? c->version : 0;
		for (size_t k = 0; c != NULL && k < c->n; k++) {
			ui_changes_key(key, sizeof key, h->name, c->items[k].name);
			worse += changes_note(ui->changes, key, verdict_container_severity(&c->items[k]), now);
		}
		for (size_t k = 0; c != NULL && k < ui->cfg->nservices; k++) {
			const char *want = ui->cfg->services[k].container;

			if (frame_host_container(h, want) != NULL)
				continue;
			ui_changes_key(key, sizeof key, h->name, want);
			worse += changes_note(ui->changes, key, 3, now);
		}
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
