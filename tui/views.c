/* views — see views.h. */
#include "tui/views.h"

#include "tui/view_cluster.h"
#include "tui/view_data.h"
#include "tui/view_detail.h"
#include "tui/view_errors.h"
#include "tui/view_events.h"
#include "tui/view_logs.h"
#include "tui/view_metrics.h"
#include "tui/view_overview.h"
#include "tui/view_services.h"
#include "tui/view_svclogs.h"
#include "tui/view_traffic.h"

const struct view *const views_tabs[UI_VIEW_COUNT] = {
	[UI_VIEW_OVERVIEW] = &view_overview,
	[UI_VIEW_SERVICES] = &view_services,
	[UI_VIEW_DATA] = &view_data,
	[UI_VIEW_TRAFFIC] = &view_traffic,
	[UI_VIEW_METRICS] = &view_metrics,
	[UI_VIEW_EVENTS] = &view_events,
	[UI_VIEW_CLUSTER] = &view_cluster,
};

const struct view *views_active(const struct ui *ui)
{
	if (ui->logs != NULL)
		return &view_logs;
	if (ui->svclogs != NULL)
		return &view_svclogs;
	if (ui->detail != NULL)
		return &view_detail;
	if (ui->errview != NULL)
		return &view_errors;
	return views_tabs[ui->view];
}

void views_cmd_select(struct ui *ui, enum key_action a)
{
	for (size_t i = 0; i < UI_VIEW_COUNT; i++)
		if (views_tabs[i]->select == a) {
			ui->view = (enum ui_view)i;
			ui->help = false;
		}
}
