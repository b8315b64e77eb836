/* feed_cloudflare — the tunnel's connectors from the Cloudflare API, matched
 * to hosts by the connectorId each host's cloudflared reports. */
#include "core/feeds/feed_cloudflare.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"
#include "core/feeds/tunnel.h"

struct cf_arg {
	struct fleet *fleet;
	struct source *const *tunnels;   /* [host], borrowed from the caller */
};

struct cf_state {
	struct fleet *fleet;
	struct source *const *tunnels;
	struct http_client *http;
};

static void *cf_thread_init(void *arg, const atomic_int *cancel)
{
	struct cf_state *st = xcalloc(1, sizeof *st);
	const struct cf_arg *a = arg;

	st->fleet = a->fleet;
	st->tunnels = a->tunnels;
	st->http = http_client_new(cancel);
	return st;
}

/* The connectorId in the host's tunnel snapshot when it is ready and not
 * stale (at most two of the tunnel source's polls old): true and id. */
static bool cf_tunnel_connector(struct source *tunnel, char *id, size_t n)
{
	struct snapshot *snap = tunnel != NULL ? source_get(tunnel) : NULL;
	const struct tunnel_state *ts = snap != NULL && snap->error == NULL ? snap->value : NULL;
	bool ok = ts != NULL && ts->ready == 1 && ts->connector_id[0] != '\0' &&
	    time_mono_ms() - snap->fetched_mono_ms < 2 * (int64_t)source_interval_ms(tunnel);

	if (ok)
		util_strlcpy(id, ts->connector_id, n);
	snapshot_unref(snap);
	return ok;
}

/* The connectorId a host's cloudflared reports at its /ready (through that
 * host), into id; "" when it has none or does not answer.  The host's tunnel
 * source asks /ready already: its answer is taken when fresh, and only
 * asked here when there is none (each ask is an SSH channel). */
static void cf_host_connector(struct cf_state *st, size_t host, char *id, size_t n)
{
	struct fleet_host *h = &st->fleet->hosts[host];
	char *url = NULL, *sock = NULL, *cause = NULL;
	struct http_request req = { 0 };
	struct http_response resp;
	struct cf_ready ready;

	id[0] = '\0';
	if (cf_tunnel_connector(st->tunnels[host], id, n))
		return;
	if (h->cfg->tunnel_ready == NULL ||
	    route_http(st->fleet, h->name, h->cfg->tunnel_ready, &url, &sock, &cause) == -1) {
		free(cause);
		return;
	}
	http_response_init(&resp);
	req.url = url;
	req.unix_socket = sock;
	req.timeout_ms = st->fleet->cfg->timeout_ms;
	if (http_request(st->http, &req, &resp, &cause) == 0 &&
	    cf_parse_ready(resp.body.data, resp.body.len, &ready, &cause) == 0)
		util_strlcpy(id, ready.connector_id, n);
	free(cause);
	http_response_done(&resp);
	free(url);
	free(sock);
}

static void cf_tunnel_free_value(void *v)
{
	cf_tunnel_done(v);
	free(v);
}

static int cf_source_poll(void *state, void **value, char **cause)
{
	struct cf_state *st = state;
	const struct config_cloudflare *cc = st->fleet->cfg->cloudflare;
	size_t n = st->fleet->nhosts;
	struct cf_host *hosts = xcalloc(n + 1, sizeof *hosts);
	char (*ids)[CF_ID_LEN] = xcalloc(n + 1, sizeof *ids);
	struct cf_tunnel *t = xmalloc(sizeof *t);
	int rc;

	cf_tunnel_init(t);
	rc = cf_fetch(st->http, cc->api_url, cc->account_id, cc->tunnel_id, cc->token.value, t, cause);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			struct fleet_host *h = &st->fleet->hosts[i];

			cf_host_connector(st, i, ids[i], sizeof ids[i]);
			hosts[i] = (struct cf_host){ .name = h->name, .connector_id = ids[i],
			                             .origin_ip = h->cfg->tunnel_origin_ip };
		}
		cf_match(t, hosts, n);
		*value = t;
	} else {
		cf_tunnel_free_value(t);
	}
	free(hosts);
	free(ids);
	return rc;
}

static void cf_thread_done(void *state)
{
	struct cf_state *st = state;

	http_client_free(st->http);
	free(st);
}

static const struct source_ops cf_source_ops = {
	.kind = "cloudflare",
	.thread_init = cf_thread_init,
	.poll = cf_source_poll,
	.thread_done = cf_thread_done,
	.free_value = cf_tunnel_free_value,
	.free_arg = free,
};

struct source *feed_cloudflare_new(struct fleet *fleet, struct source *const *tunnels,
                                   struct wake *wake)
{
	const struct config *cfg = fleet->cfg;
	struct source_params p = { .name = "cloudflare" };
	struct cf_arg *arg;

	if (cfg->cloudflare == NULL)
		return NULL;
	p.interval_ms = feed_whole_refreshes_ms(cfg->refresh_ms, cfg->cloudflare->refresh_ms);
	arg = xmalloc(sizeof *arg);
	*arg = (struct cf_arg){ .fleet = fleet, .tunnels = tunnels };
	return source_new(&p, &cf_source_ops, arg, wake);
}

const struct cf_tunnel *feed_cloudflare_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
