/* ui — helpers shared by the views: ages and staleness that also tell the
 * loop when the next redraw is due. */
#include "tui/ui.h"

#include "core/base/timeutil.h"

void ui_change_at(struct ui *ui, int64_t mono)
{
	if (mono > ui->now_mono && (ui->next_change == 0 || mono < ui->next_change))
		ui->next_change = mono;
}

void ui_age_label(struct ui *ui, int64_t fetched_mono, int interval_ms, char *out, size_t n)
{
	int64_t age = ui->now_mono - fetched_mono, unit;
	int64_t fresh = (int64_t)(interval_ms > 0 ? interval_ms : ui->cfg->refresh_ms) +
	    UI_AGE_GRACE_MS;

	if (age < 0)
		age = 0;
	time_format_age(out, n, age);
	/* While the figure is fresh its source answers again within a
	 * refresh, and that answer's frame draws the label anew: no frame is
	 * due for the label alone (a frame a second would double an idle
	 * dashboard's work).  Once late, the label ticks by its unit. */
	if (age < fresh) {
		ui_change_at(ui, fetched_mono + fresh);
		return;
	}
	/* the label changes when the age crosses its next whole unit */
	unit = age < 60000 ? 1000 : age < 3600000 ? 60000 : age < 86400000 ? 3600000 : 86400000;
	ui_change_at(ui, fetched_mono + (age / unit + 1) * unit);
}

bool ui_is_stale(struct ui *ui, const struct snapshot *s, int interval_ms)
{
	int64_t limit = (int64_t)UI_STALE_INTERVALS * interval_ms;
	int64_t when = s->fetched_mono_ms + limit;

	if (ui->now_mono >= when)
		return true;
	ui_change_at(ui, when);
	return false;
}
