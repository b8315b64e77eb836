/* view_services — the Services view (2): configured services down, hosts
 * across; each cell the service's container on that host and its health
 * probe through that host, then the public probe; every failed probe in
 * full under the matrix. */
#ifndef KITETOP_TUI_VIEW_SERVICES_H
#define KITETOP_TUI_VIEW_SERVICES_H

#include "core/model/frame.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_services;

void view_services_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);

#endif
