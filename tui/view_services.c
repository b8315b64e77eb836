/* view_services — the services matrix: configured services down, hosts
 * across; each cell the service's container state and health on that host,
 * as a glyph and a word (probe results join when the probes land). */
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "tui/rows.h"
#include "tui/ui.h"
#include "widgets/panel.h"
#include "widgets/text.h"

#define SERVICES_MAX_HOSTS 64

void view_services_draw(struct ui *ui, WINDOW *w, struct rect r)
{
	struct snapshot *snap[SERVICES_MAX_HOSTS] = { 0 };
	size_t nh = ui->lab->nhosts < SERVICES_MAX_HOSTS ? ui->lab->nhosts : SERVICES_MAX_HOSTS;
	struct rect body = panel_draw(w, r, &ui->pal, "Services", "2", true), row;
	int namew = 24, cellw;
	static const enum theme_role role[] = { THEME_OK, THEME_WARN, THEME_WARN, THEME_CRIT };

	if (body.h <= 0 || body.w <= 0)
		return;
	if (ui->cfg->nservices == 0) {
		text_put(w, body.y, body.x, body.w, ui->pal.attr[THEME_DIM],
		         "no [service NAME] sections in the configuration");
		return;
	}
	if (namew > body.w / 3)
		namew = body.w / 3;
	cellw = nh > 0 ? (body.w - namew) / (int)nh : 0;
	for (size_t h = 0; h < nh; h++)
		snap[h] = ui->lab->hosts[h].docker != NULL ? source_get(ui->lab->hosts[h].docker) : NULL;

	row = rect_cut_top(&body, 1);
	text_put(w, row.y, row.x, namew, ui->pal.attr[THEME_HEADER], "SERVICE");
	for (size_t h = 0; h < nh; h++)
		text_put(w, row.y, row.x + namew + (int)h * cellw, cellw - 1, ui->pal.attr[THEME_HEADER],
		         ui->lab->hosts[h].name);
	for (size_t i = 0; i < ui->cfg->nservices && body.h > 0; i++) {
		const struct config_service *svc = &ui->cfg->services[i];

		if (!rows_name_match(svc->name, ui->filter) && !rows_name_match(svc->container, ui->filter))
			continue;
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, namew - 1, ui->pal.attr[THEME_LABEL], svc->name);
		for (size_t h = 0; h < nh; h++) {
			int x = row.x + namew + (int)h * cellw;
			char cell[96], state[48];

			if (ui->lab->hosts[h].docker == NULL) {
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[THEME_DIM], "no docker");
			} else if (snap[h] == NULL) {
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[THEME_DIM], "waiting...");
			} else if (snap[h]->error != NULL) {
				snprintf(cell, sizeof cell, "%s ?", ui->utf8 ? "\xe2\x9c\x96" : "x");
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[THEME_ERROR], cell);
			} else {
				const struct docker_container *dc = lab_containers_find(snap[h]->value, svc->container);
				struct docker_container missing = lab_missing_container(svc->container);

				if (dc == NULL)
					dc = &missing;
				rows_container_state(state, sizeof state, dc);
				snprintf(cell, sizeof cell, "%s %s", rows_container_glyph(dc, ui->utf8), state);
				text_put(w, row.y, x, cellw - 1, ui->pal.attr[role[rows_container_severity(dc)]], cell);
			}
		}
	}
	if (body.h > 1) {
		rect_cut_top(&body, 1);
		row = rect_cut_top(&body, 1);
		text_put(w, row.y, row.x, row.w, ui->pal.attr[THEME_DIM],
		         "A cell is the service's container on that host; ? means the engine did not answer (see 1).");
	}
	for (size_t h = 0; h < nh; h++)
		snapshot_unref(snap[h]);
}
