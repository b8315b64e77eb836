/* status_tunnel — hosts[].tunnel of `kitetop status` (see status_tunnel.h). */
#include "core/model/status_tunnel.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

cJSON *status_tunnel_state_json(const struct tunnel_state *ts)
{
	cJSON *o;
	int conns = -1;

	if (ts == NULL || !ts->configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "container", ts->container);
	cJSON_AddStringToObject(o, "state", ts->docker_state);
	if (ts->ready == -1)
		cJSON_AddNullToObject(o, "ready");
	else
		cJSON_AddBoolToObject(o, "ready", ts->ready == 1);
	if (ts->ready_connections >= 0)
		conns = ts->ready_connections;
	else if (ts->api_live >= 0)
		conns = ts->api_live;
	if (conns >= 0)
		cJSON_AddNumberToObject(o, "connections", conns);
	else
		cJSON_AddNullToObject(o, "connections");
	cJSON_AddBoolToObject(o, "drained", ts->drained);
	return o;
}

cJSON *status_tunnel_json(const struct lab_host *h)
{
	struct snapshot *snap;
	struct tunnel_state unknown;
	cJSON *o;

	if (h->tunnel == NULL)
		return cJSON_CreateNull();
	snap = source_get(h->tunnel);
	tunnel_state_init(&unknown, h->cfg->tunnel_container);
	o = status_tunnel_state_json(snap != NULL && snap->value != NULL ? snap->value : &unknown);
	snapshot_unref(snap);
	return o;
}

void status_tunnel_text(const struct lab_host *h, struct buf *out)
{
	struct snapshot *snap;
	const struct tunnel_state *ts;
	char sum[300];

	if (h->tunnel == NULL)
		return;
	snap = source_get(h->tunnel);
	ts = snap != NULL ? snap->value : NULL;
	if (ts == NULL) {
		buf_printf(out, "  tunnel  %s: no answer yet\n", h->cfg->tunnel_container);
	} else {
		tunnel_summary(ts, sum, sizeof sum);
		if (ts->drained)
			buf_printf(out, "  tunnel  %s\n", sum);
		else
			buf_printf(out, "  tunnel  %s %s, %s%s%.8s\n", ts->container, ts->docker_state, sum,
			           ts->connector_id[0] != '\0' ? ", connector " : "", ts->connector_id);
	}
	snapshot_unref(snap);
}

static enum status_level worse(enum status_level a, enum status_level b)
{
	static const int rank[] = { 0, 1, 3, 2 };

	return rank[b] > rank[a] ? b : a;
}

enum status_level status_tunnel_level_states(const char *const *names,
                                             const struct tunnel_state *states, size_t n,
                                             struct buf *reasons)
{
	enum status_level lvl = STATUS_OK;
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
			lvl = worse(lvl, STATUS_WARN);
		}
		if (is_down) {
			down++;
			lvl = worse(lvl, STATUS_WARN);
		}
	}
	if (configured > 0 && down == configured) {
		if (reasons != NULL)
			buf_printf(reasons, "cloudflare: every tunnel connector is down\n");
		lvl = worse(lvl, STATUS_CRIT);
	}
	return lvl;
}

enum status_level status_tunnel_level(struct lab *lab, struct buf *reasons)
{
	struct tunnel_state *states = xcalloc(lab->nhosts + 1, sizeof *states);
	const char **names = xcalloc(lab->nhosts + 1, sizeof *names);
	enum status_level lvl;

	for (size_t i = 0; i < lab->nhosts; i++) {
		const struct lab_host *h = &lab->hosts[i];
		struct snapshot *snap = h->tunnel != NULL ? source_get(h->tunnel) : NULL;
		struct lab_reach r;

		names[i] = h->name;
		tunnel_state_init(&states[i], NULL);
		lab_host_reach(h, &r);
		if (snap != NULL && snap->value != NULL && r.connected)
			states[i] = *(const struct tunnel_state *)snap->value;
		snapshot_unref(snap);
	}
	lvl = status_tunnel_level_states(names, states, lab->nhosts, reasons);
	free(states);
	free(names);
	return lvl;
}
