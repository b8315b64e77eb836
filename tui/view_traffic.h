/* view_traffic — the Traffic view (4): the tunnel's connectors per host
 * (container, state, readiness, connector id; from the Cloudflare API:
 * connections, colos, opened at), DRAINED hosts, and the drain / undrain /
 * flip keys (d, u, F) for the selected host, asked with actions_ui's dialog
 * and run on core/action's thread (core/traffic).  Also the overview's
 * one-line tunnel summary per host column.  tui/ only. */
#ifndef KITETOP_TUI_VIEW_TRAFFIC_H
#define KITETOP_TUI_VIEW_TRAFFIC_H

#include "core/model/frame.h"
#include "tui/actions_ui.h"
#include "tui/keys.h"
#include "tui/ui.h"
#include "tui/views.h"

extern const struct view view_traffic;

void view_traffic_draw(struct ui *ui, const struct frame *f, WINDOW *w, struct rect r);

/* The overview's tunnel line for host hi, cut from the top of *body
 * (nothing when the host has no tunnel_container). */
void view_traffic_host_line(struct ui *ui, const struct frame *f, WINDOW *w, struct rect *body,
                            size_t hi);

/* KEY_ACT_DRAIN, KEY_ACT_UNDRAIN or KEY_ACT_FLIP on the selected host, as
 * f shows the tunnels: opens the confirm dialog (or a toast saying why not). */
void view_traffic_action(struct ui *ui, struct actions_ui *au, const struct frame *f, enum key_action a);
/* The command of d, u and F (tui/keys.c): view_traffic_action on a frame
 * of its own. */
void view_traffic_cmd(struct ui *ui, enum key_action a);

#endif
