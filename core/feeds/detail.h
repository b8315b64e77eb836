/* detail — one container's inspect (the TUI's container detail, Enter),
 * fetched by a thread of its own so the UI never waits on the network.
 *
 * detail_open() starts a thread that inspects the container through the
 * host's Docker client (route_docker_open) at once and then every refresh
 * interval while open; each result (a decoded struct docker_detail, or an
 * error in words) is left under the struct's mutex and the UI is woken.  The
 * UI takes new results with detail_take().  detail_close() raises the cancel
 * flag (a request in flight ends within ~100 ms), joins and frees. */
#ifndef KITETOP_CORE_FEEDS_DETAIL_H
#define KITETOP_CORE_FEEDS_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/docker_inspect.h"
#include "core/fleet/fleet.h"
#include "core/base/wake.h"

struct detail;

/* host and fleet borrowed (must outlive the detail); container copied.
 * interval_ms: time between inspects (< 1000: 1000). */
struct detail *detail_open(struct fleet *fleet, struct fleet_host *host, const char *container,
                           int interval_ms, struct wake *wake);
void detail_close(struct detail *d);

/* The result of the latest inspect not yet taken: 1 with *out (the
 * caller's, free with docker_detail_free) or, on failure, *out NULL and the
 * error copied into err; 0 when nothing new came since the last call. */
int detail_take(struct detail *d, struct docker_detail **out, char *err, size_t errsz);

#endif
