/* verdict_tunnel — the tunnel connectors' part of the overall verdict (see
 * verdict.h): verdict_tunnel_level_states is pure, for tests and fuzzing;
 * verdict_tunnel_level reads the frame's hosts. */
#include "core/model/verdict.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

enum verdict_level verdict_tunnel_level_states(const char *const *names,
                                               const struct tunnel_state *states, size_t n,
                                               struct buf *reasons)
{
	enum verdict_level lvl = VERDICT_OK;
	size_t configured = 0, down = 0;
	char sum[300];

	for (size_t i = 0; i < n; i++) {
		const struct tunnel_state *ts = &states[i];
		bool is_down = false;

		if (!ts->configured)
			continue;
		configured++;
		tunnel_summary(ts, sum, sizeof sum);
		if (ts->drained) {
			is_down = true;
			if (reasons != NULL)
				buf_printf(reasons, "%s: tunnel %s\n", names[i], sum);
		} else if (strcmp(ts->docker_state, "missing") == 0) {
			is_down = true;
			if (reasons != NULL)
				buf_printf(reasons, "%s: tunnel connector %s is missing\n", names[i], ts->container);
		} else if (strcmp(ts->docker_state, "running") != 0) {
			continue;   /* Docker's own error is reported with the containers */
		} else if (ts->ready == 0) {
			is_down = true;
			if (reasons != NULL)
				buf_printf(reasons, "%s: tunnel connector %s\n", names[i], sum);
		} else if (ts->ready == -1 && ts->ready_error[0] != '\0') {
			if (reasons != NULL)
				buf_printf(reasons, "%s: tunnel connector %s\n", names[i], sum);
			lvl = verdict_worst(lvl, VERDICT_WARN);
		}
		if (is_down) {
			down++;
			lvl = verdict_worst(lvl, VERDICT_WARN);
		}
	}
	if (configured > 0 && down == configured) {
		if (reasons != NULL)
			buf_printf(reasons, "cloudflare: every tunnel connector is down\n");
		lvl = verdict_worst(lvl, VERDICT_CRIT);
	}
	return lvl;
}

enum verdict_level verdict_tunnel_level(const struct frame *f, struct buf *reasons)
{
	struct tunnel_state *states = xcalloc(f->nhosts + 1, sizeof *states);
	const char **names = xcalloc(f->nhosts + 1, sizeof *names);
	enum verdict_level lvl;

	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];
		/* the latest poll's state only: an old one after an error says nothing now */
		const struct tunnel_state *ts = h->tunnel.feed.error == NULL ? h->tunnel.value : NULL;

		names[i] = h->name;
		tunnel_state_init(&states[i], NULL);
		if (ts != NULL && h->reach.connected)
			states[i] = *ts;
	}
	lvl = verdict_tunnel_level_states(names, states, f->nhosts, reasons);
	free(states);
	free(names);
	return lvl;
}
