/* tunnel — a host's tunnel connector: state, decisions and a fresh check
 * (see tunnel.h). */
#include "core/feeds/tunnel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/http.h"
#include "core/fleet/fleet.h"
#include "core/fleet/route.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

void tunnel_state_init(struct tunnel_state *ts, const char *container)
{
	memset(ts, 0, sizeof *ts);
	ts->configured = container != NULL && container[0] != '\0';
	if (ts->configured)
		util_strlcpy(ts->container, container, sizeof ts->container);
	util_strlcpy(ts->docker_state, "unknown", sizeof ts->docker_state);
	ts->ready = -1;
	ts->ready_connections = -1;
	ts->api_listed = -1;
	ts->api_conns = -1;
	ts->api_live = -1;
}

void tunnel_apply_docker(struct tunnel_state *ts, const struct docker_container *dc,
                         const char *error)
{
	ts->docker_error[0] = '\0';
	ts->drained = false;
	if (error != NULL) {
		util_strlcpy(ts->docker_state, "unknown", sizeof ts->docker_state);
		util_strlcpy(ts->docker_error, error, sizeof ts->docker_error);
		return;
	}
	if (dc == NULL) {
		util_strlcpy(ts->docker_state, "missing", sizeof ts->docker_state);
		return;
	}
	util_strlcpy(ts->docker_state, docker_state_name(dc->state), sizeof ts->docker_state);
	ts->drained = dc->state != DOCKER_STATE_RUNNING && dc->state != DOCKER_STATE_MISSING &&
	              dc->state != DOCKER_STATE_UNKNOWN;
}

void tunnel_apply_ready(struct tunnel_state *ts, long http_status, const char *body, size_t len,
                        const char *transport_error)
{
	struct cf_ready r;
	char *cause = NULL;

	ts->ready_error[0] = '\0';
	ts->ready_connections = -1;
	ts->connector_id[0] = '\0';
	ts->ready_status = (int)http_status;
	if (http_status == 0) {
		bool not_running = strcmp(ts->docker_state, "unknown") != 0 &&
		                   strcmp(ts->docker_state, "running") != 0;

		util_strlcpy(ts->ready_error, transport_error != NULL ? transport_error : "no answer",
		             sizeof ts->ready_error);
		ts->ready = not_running ? 0 : -1;
		return;
	}
	if (body != NULL && cf_parse_ready(body, len, &r, &cause) == 0) {
		ts->ready_connections = r.ready_connections;
		util_strlcpy(ts->connector_id, r.connector_id, sizeof ts->connector_id);
	} else if (http_status == 200) {
		util_strlcpy(ts->ready_error, cause != NULL ? cause : "cloudflared /ready: no body",
		             sizeof ts->ready_error);
	}
	free(cause);
	ts->ready = http_status == 200 && ts->ready_connections != 0 ? 1 : 0;
}

static void add_colo(char *colos, size_t n, const char *colo)
{
	size_t l = strlen(colo);
	const char *p = colos;

	if (l == 0)
		return;
	while ((p = strstr(p, colo)) != NULL) {
		if ((p == colos || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return;
		p += l;
	}
	p = colos;
	if (strlen(p) + (p[0] != '\0') + l + 1 > n)
		return;   /* no room: the line shows the first ones */
	{
		size_t used = strlen(colos);

		if (used > 0)
			colos[used++] = ' ';
		memcpy(colos + used, colo, l + 1);
	}
}

void tunnel_apply_cloudflare(struct tunnel_state *ts, const struct cf_tunnel *t, int host,
                             const char *error)
{
	const struct cf_connector *c = NULL;
	int64_t first = 0;

	ts->api_error[0] = '\0';
	ts->api_listed = -1;
	ts->api_conns = -1;
	ts->api_live = -1;
	ts->api_connector[0] = '\0';
	ts->colos[0] = '\0';
	ts->opened_at[0] = '\0';
	if (t == NULL) {
		if (error != NULL)
			util_strlcpy(ts->api_error, error, sizeof ts->api_error);
		return;
	}
	for (size_t i = 0; ts->connector_id[0] != '\0' && i < t->n_connectors; i++)
		if (strcmp(t->connectors[i].id, ts->connector_id) == 0)
			c = &t->connectors[i];
	for (size_t i = 0; c == NULL && i < t->n_connectors; i++)
		if (t->connectors[i].host == host && host >= 0)
			c = &t->connectors[i];
	ts->api_listed = c != NULL;
	if (c == NULL)
		return;
	util_strlcpy(ts->api_connector, c->id, sizeof ts->api_connector);
	ts->api_conns = (int)c->n_conns;
	ts->api_live = (int)c->live;
	for (size_t i = 0; i < c->n_conns; i++) {
		const struct cf_conn *k = &c->conns[i];

		if (k->pending)
			continue;
		add_colo(ts->colos, sizeof ts->colos, k->colo);
		if (k->opened_at[0] != '\0' && (first == 0 || (k->opened_at_ms != 0 && k->opened_at_ms < first))) {
			first = k->opened_at_ms != 0 ? k->opened_at_ms : 1;
			util_strlcpy(ts->opened_at, k->opened_at, sizeof ts->opened_at);
		}
	}
}

bool tunnel_healthy(const struct tunnel_state *ts, bool use_api, char *why, size_t n)
{
	char scratch[8];

	if (why == NULL) {
		why = scratch;
		n = sizeof scratch;
	}
	why[0] = '\0';
	if (!ts->configured) {
		snprintf(why, n, "no tunnel_container configured");
		return false;
	}
	if (strcmp(ts->docker_state, "running") != 0) {
		if (ts->docker_error[0] != '\0')
			snprintf(why, n, "%s state unknown: %s", ts->container, ts->docker_error);
		else
			snprintf(why, n, "%s is %s", ts->container, ts->docker_state);
		return false;
	}
	if (ts->ready_status == 0) {
		snprintf(why, n, "/ready: %s", ts->ready_error[0] != '\0' ? ts->ready_error : "no answer");
		return false;
	}
	if (ts->ready_status != 200) {
		snprintf(why, n, "/ready answers %d", ts->ready_status);
		return false;
	}
	if (ts->ready_connections <= 0) {
		if (ts->ready_connections == 0)
			snprintf(why, n, "/ready reports 0 ready connections");
		else
			snprintf(why, n, "/ready: %s", ts->ready_error[0] != '\0' ? ts->ready_error :
			         "no readyConnections");
		return false;
	}
	if (!use_api)
		return true;
	if (ts->api_listed == -1) {
		snprintf(why, n, "the Cloudflare API: %s", ts->api_error[0] != '\0' ? ts->api_error :
		         "no answer");
		return false;
	}
	if (ts->api_listed == 0) {
		snprintf(why, n, "its connector %.13s is not in the tunnel's connections",
		         ts->connector_id[0] != '\0' ? ts->connector_id : "(unknown)");
		return false;
	}
	if (ts->api_live <= 0) {
		snprintf(why, n, "its connector has no live connection in the Cloudflare API");
		return false;
	}
	return true;
}

bool tunnel_unseen(const struct tunnel_state *ts, bool use_api)
{
	if (!ts->configured || tunnel_healthy(ts, use_api, NULL, 0))
		return false;
	/* the first check that fails, in tunnel_healthy's order */
	if (strcmp(ts->docker_state, "running") != 0)
		return ts->docker_error[0] != '\0' || strcmp(ts->docker_state, "unknown") == 0;
	if (ts->ready_status == 0)
		return true;
	if (ts->ready_status != 200 || ts->ready_connections <= 0)
		return false;
	return ts->api_listed == -1;
}

void tunnel_summary(const struct tunnel_state *ts, char *out, size_t n)
{
	if (!ts->configured) {
		snprintf(out, n, "no tunnel");
		return;
	}
	if (ts->drained) {
		snprintf(out, n, "DRAINED (%s %s)", ts->container, ts->docker_state);
		return;
	}
	if (strcmp(ts->docker_state, "running") != 0) {
		snprintf(out, n, "%s %s%s%s", ts->container, ts->docker_state,
		         ts->docker_error[0] != '\0' ? ": " : "", ts->docker_error);
		return;
	}
	if (ts->ready == 1) {
		if (ts->api_live >= 0)
			snprintf(out, n, "ready, %d connections, %d at the edge", ts->ready_connections,
			         ts->api_live);
		else
			snprintf(out, n, "ready, %d connections", ts->ready_connections);
	} else if (ts->ready == 0) {
		if (ts->ready_status != 0)
			snprintf(out, n, "not ready (/ready %d)", ts->ready_status);
		else
			snprintf(out, n, "not ready (%s)", ts->ready_error);
	} else {
		snprintf(out, n, "readiness unknown%s%s", ts->ready_error[0] != '\0' ? ": " : "",
		         ts->ready_error);
	}
}

/* ---- fetching (blocking; source and action threads) ---- */

int tunnel_fetch_api(struct fleet *fleet, struct http_client *http, struct cf_tunnel *out,
                     char **cause)
{
	const struct config_cloudflare *cc = fleet->cfg->cloudflare;
	struct cf_host *hosts;
	int rc;

	cf_tunnel_init(out);
	if (cc == NULL) {
		util_set_cause(cause, "no [cloudflare] configured");
		return -1;
	}
	rc = cf_fetch(http, cc->api_url, cc->account_id, cc->tunnel_id, cc->token.value, out, cause);
	if (rc == -1)
		return -1;
	hosts = xcalloc(fleet->nhosts + 1, sizeof *hosts);
	for (size_t i = 0; i < fleet->nhosts; i++)
		hosts[i] = (struct cf_host){ .name = fleet->hosts[i].name,
		                             .origin_ip = fleet->hosts[i].cfg->tunnel_origin_ip };
	cf_match(out, hosts, fleet->nhosts);
	free(hosts);
	return 0;
}

void tunnel_fetch_ready(struct fleet *fleet, size_t host, struct http_client *http,
                        struct tunnel_state *ts)
{
	const struct fleet_host *h = &fleet->hosts[host];
	struct http_request req = { 0 };
	struct http_response resp;
	char *url = NULL, *sock = NULL, *cause = NULL;

	if (h->cfg->tunnel_ready == NULL) {
		tunnel_apply_ready(ts, 0, NULL, 0, "no tunnel_ready configured");
		ts->ready = -1;
		return;
	}
	if (route_http(fleet, h->name, h->cfg->tunnel_ready, &url, &sock, &cause) == -1) {
		tunnel_apply_ready(ts, 0, NULL, 0, cause);
		free(cause);
		return;
	}
	http_response_init(&resp);
	req.url = url;
	req.unix_socket = sock;
	req.timeout_ms = fleet->cfg->timeout_ms;
	req.max_bytes = 64 * 1024;
	if (http_request(http, &req, &resp, &cause) == 0)
		tunnel_apply_ready(ts, resp.status, resp.body.data, resp.body.len, NULL);
	else
		tunnel_apply_ready(ts, 0, NULL, 0, cause);
	free(cause);
	http_response_done(&resp);
	free(url);
	free(sock);
}

void tunnel_check(struct fleet *fleet, size_t host, struct http_client *http,
                  const struct cf_tunnel *api, const char *api_error, const atomic_int *cancel,
                  struct tunnel_state *out)
{
	struct fleet_host *h = &fleet->hosts[host];
	struct docker_container *list = NULL;
	size_t n = 0;
	char *cause = NULL;
	struct docker *d;

	tunnel_state_init(out, h->cfg->tunnel_container);
	out->checked_ms = time_real_ms();
	if (!out->configured)
		return;
	if (!h->local) {
		struct fleet_reach r;

		fleet_host_reach(h, &r);
		if (h->ssh == NULL || (r.known && !r.connected)) {
			char *why = xasprintf("cannot reach %s over SSH: %s", h->name,
			                      h->ssh == NULL ? (h->ssh_error != NULL ? h->ssh_error : "no SSH session") :
			                      r.error[0] != '\0' ? r.error : "not connected");

			tunnel_apply_docker(out, NULL, why);
			tunnel_apply_ready(out, 0, NULL, 0, why);
			free(why);
			if (api != NULL || api_error != NULL)
				tunnel_apply_cloudflare(out, api, (int)host, api_error);
			return;
		}
	}
	d = route_docker_open(h, fleet->cfg->timeout_ms, -1, cancel, &cause);
	if (d == NULL || docker_list_containers(d, &list, &n, &cause) == -1) {
		tunnel_apply_docker(out, NULL, cause != NULL ? cause : "docker: no answer");
	} else {
		const struct docker_container *dc = NULL;

		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].name, out->container) == 0)
				dc = &list[i];
		tunnel_apply_docker(out, dc, NULL);
	}
	free(cause);
	docker_containers_free(list, n);
	docker_free(d);
	tunnel_fetch_ready(fleet, host, http, out);
	if (api != NULL || api_error != NULL)
		tunnel_apply_cloudflare(out, api, (int)host, api_error);
}
