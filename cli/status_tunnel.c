/* status_tunnel — hosts[].tunnel of `kitetop status` (see status_tunnel.h). */
#include "cli/status_tunnel.h"

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

/* The state of h's latest poll, or NULL (none yet, or it failed). */
static const struct tunnel_state *status_tunnel_now(const struct frame_host *h)
{
	return h->tunnel.feed.error == NULL ? h->tunnel.value : NULL;
}

cJSON *status_tunnel_json(const struct frame_host *h)
{
	const struct tunnel_state *ts = status_tunnel_now(h);
	struct tunnel_state unknown;

	if (!h->tunnel.feed.configured)
		return cJSON_CreateNull();
	tunnel_state_init(&unknown, h->cfg->tunnel_container);
	return status_tunnel_state_json(ts != NULL ? ts : &unknown);
}

void status_tunnel_text(const struct frame_host *h, struct buf *out)
{
	const struct tunnel_state *ts = status_tunnel_now(h);
	char sum[300];

	if (!h->tunnel.feed.configured)
		return;
	if (ts == NULL) {
		buf_printf(out, "  tunnel  %s: no answer yet\n", h->cfg->tunnel_container);
		return;
	}
	tunnel_summary(ts, sum, sizeof sum);
	if (ts->drained)
		buf_printf(out, "  tunnel  %s\n", sum);
	else
		buf_printf(out, "  tunnel  %s %s, %s%s%s\n", ts->container, ts->docker_state, sum,
		           ts->connector_id[0] != '\0' ? ", connector " : "", ts->connector_id);
}
