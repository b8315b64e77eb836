/* status_json — see status_json.h. */
#include "cli/status_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/metrics.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "cli/status_clusters.h"
#include "cli/status_panels.h"
#include "cli/status_services.h"
#include "cli/status_tunnel.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_tailscale.h"
#include "core/model/splitbrain.h"
#include "core/model/verdict.h"

static void status_json_number_or_null(cJSON *o, const char *key, bool valid, double v)
{
	if (valid && isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void status_json_string_or_null(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* The host's Tailscale: null without its source. */
static cJSON *status_json_tailscale(const struct frame *f, size_t i)
{
	const struct frame_feed *feed = &f->hosts[i].tailscale.feed;
	const struct feed_tailscale *v = feed->error == NULL ? f->hosts[i].tailscale.value : NULL;
	cJSON *o, *arr;
	char line[512];

	if (!feed->configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (v == NULL) {
		cJSON_AddNullToObject(o, "installed");
		cJSON_AddStringToObject(o, "error", feed->polled ? feed->error : "no answer yet");
		return o;
	}
	cJSON_AddBoolToObject(o, "installed", v->installed);
	if (v->installed) {
		cJSON_AddStringToObject(o, "backend_state", v->st.backend_state);
		cJSON_AddBoolToObject(o, "online", v->st.has_self && v->st.self.online);
		arr = cJSON_AddArrayToObject(o, "ips");
		for (size_t k = 0; k < v->st.self.n_ips; k++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(v->st.self.ips[k]));
	}
	feed_tailscale_line(f->cfg, i, v, line, sizeof line);
	cJSON_AddStringToObject(o, "summary", line);
	cJSON_AddNullToObject(o, "error");
	return o;
}

/* The figure errors, "; "-separated, as the section's error; NULL when
 * none.  Caller frees. */
static char *status_json_metrics_error(const struct metrics *m)
{
	struct buf b;

	buf_init(&b);
	for (int fig = 0; fig < METRICS_NFIGURES; fig++) {
		if (m->valid[fig] || m->error[fig] == NULL)
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_printf(&b, "%s: %s", metrics_figure_name(fig), m->error[fig]);
	}
	return b.len > 0 ? buf_steal(&b) : (buf_done(&b), NULL);
}

static cJSON *status_json_metrics(const struct frame *f, const struct frame_host *h)
{
	const struct frame_feed *feed = &h->metrics.feed;
	const struct metrics *m = feed->error == NULL ? h->metrics.value : NULL;
	cJSON *o;
	char *err;

	if (!feed->configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	/* the configured source, also when it failed: a host read through
	 * Prometheus never falls back to /proc, and a remote host's /proc is
	 * read over SSH, so "proc" there would be wrong */
	cJSON_AddStringToObject(o, "source", f->cfg->prometheus != NULL && h->cfg->prom_selector != NULL ?
	                        "prometheus" : h->cfg->ssh != NULL ? "ssh" : "proc");
	if (m == NULL) {
		static const char *const keys[] = { "cpu_pct", "mem_pct", "disk_pct",
			"net_rx_bps", "net_tx_bps", "load1", "uptime_s" };

		for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
			cJSON_AddNullToObject(o, keys[i]);
		cJSON_AddStringToObject(o, "error", feed->polled ? feed->error : "no answer yet");
		return o;
	}
	if (m->origin != METRICS_FROM_PROC)
		cJSON_ReplaceItemInObject(o, "source", cJSON_CreateString(
		                          m->origin == METRICS_FROM_PROMETHEUS ? "prometheus" : "ssh"));
	status_json_number_or_null(o, "cpu_pct", m->valid[METRICS_CPU], round(m->cpu_pct * 10) / 10);
	status_json_number_or_null(o, "mem_pct", m->valid[METRICS_MEM], round(m->mem_pct * 10) / 10);
	status_json_number_or_null(o, "disk_pct", m->valid[METRICS_DISK], round(m->disk_pct * 10) / 10);
	status_json_number_or_null(o, "net_rx_bps", m->valid[METRICS_NET], round(m->net_rx_bps));
	status_json_number_or_null(o, "net_tx_bps", m->valid[METRICS_NET], round(m->net_tx_bps));
	status_json_number_or_null(o, "load1", m->valid[METRICS_LOAD], m->load1);
	status_json_number_or_null(o, "uptime_s", m->valid[METRICS_UPTIME], floor(m->uptime_s));
	err = status_json_metrics_error(m);
	status_json_string_or_null(o, "error", err);
	free(err);
	return o;
}

/* One container; dc NULL: the configured container called missing, which
 * the host does not have. */
static cJSON *status_json_container(const struct docker_container *dc, const char *missing)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];

	if (dc == NULL) {
		cJSON_AddStringToObject(o, "name", missing);
		cJSON_AddNullToObject(o, "id");
		cJSON_AddNullToObject(o, "image");
		cJSON_AddNullToObject(o, "image_id");
		cJSON_AddStringToObject(o, "state", docker_state_name(DOCKER_STATE_MISSING));
		cJSON_AddStringToObject(o, "health", docker_health_name(DOCKER_HEALTH_NONE));
		cJSON_AddNullToObject(o, "restarts");
		cJSON_AddNullToObject(o, "started_at");
		cJSON_AddNullToObject(o, "cpu_pct");
		cJSON_AddNullToObject(o, "mem_bytes");
		return o;
	}
	cJSON_AddStringToObject(o, "name", dc->name);
	cJSON_AddStringToObject(o, "id", dc->id);
	status_json_string_or_null(o, "image", dc->image);
	status_json_string_or_null(o, "image_id", dc->image_id);
	cJSON_AddStringToObject(o, "state", docker_state_name(dc->state));
	cJSON_AddStringToObject(o, "health", docker_health_name(dc->health));
	status_json_number_or_null(o, "restarts", dc->restarts >= 0, dc->restarts);
	if (dc->started_at_ms > 0) {
		time_format_iso8601(when, sizeof when, dc->started_at_ms);
		cJSON_AddStringToObject(o, "started_at", when);
	} else {
		cJSON_AddNullToObject(o, "started_at");
	}
	status_json_number_or_null(o, "cpu_pct", dc->cpu_pct >= 0, round(dc->cpu_pct * 100) / 100);
	status_json_number_or_null(o, "mem_bytes", dc->mem_bytes >= 0, (double)dc->mem_bytes);
	return o;
}

cJSON *status_json_containers(const struct frame *f, const struct frame_host *h, char **error)
{
	const struct frame_feed *feed = &h->docker.feed;
	const struct feed_containers *c = h->docker.value;
	cJSON *arr;

	if (!feed->configured)
		return cJSON_CreateNull();
	if (!feed->polled || feed->error != NULL) {
		*error = verdict_docker_error(feed);
		return cJSON_CreateNull();
	}
	arr = cJSON_CreateArray();
	for (size_t i = 0; c != NULL && i < c->n; i++)
		cJSON_AddItemToArray(arr, status_json_container(&c->items[i], NULL));
	for (size_t i = 0; i < f->cfg->nservices; i++) {
		const char *want = f->cfg->services[i].container;
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			if (strcmp(f->cfg->services[j].container, want) == 0)
				seen = true;
		if (!seen && feed_containers_find(c, want) == NULL)
			cJSON_AddItemToArray(arr, status_json_container(NULL, want));
	}
	return arr;
}

/* A shared source's section begins with "ok".  Not ok (failed, or no
 * answer yet): its keys null and its error, and false is returned; else
 * the caller adds the figures and a null error. */
static bool status_json_shared_ok(cJSON *o, const struct frame_feed *feed, const char *const *keys,
                                  size_t nkeys)
{
	if (feed->polled && feed->error == NULL) {
		cJSON_AddTrueToObject(o, "ok");
		return true;
	}
	cJSON_AddFalseToObject(o, "ok");
	for (size_t i = 0; i < nkeys; i++)
		cJSON_AddNullToObject(o, keys[i]);
	cJSON_AddStringToObject(o, "error", feed->polled ? feed->error : "no answer yet");
	return false;
}

/* The postgres section: null when not configured; with [postgres], its
 * split_brain array: per app and host, connected to the shared database? */
static cJSON *status_json_postgres(const struct frame *f)
{
	static const char *const keys[] = { "version", "connections", "max_connections",
		"reserved_connections", "clients",
		"databases", "longest_query_s", "waiting_locks" };
	const struct pg_status *ps = f->postgres.value;
	struct splitbrain_host *sbh;
	struct splitbrain sb;
	cJSON *o, *arr;

	if (!f->postgres.feed.configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (status_json_shared_ok(o, &f->postgres.feed, keys, UTIL_ARRAY_LEN(keys))) {
		cJSON_AddStringToObject(o, "version", ps->version);
		cJSON_AddNumberToObject(o, "connections", ps->connections);
		cJSON_AddNumberToObject(o, "max_connections", ps->max_connections);
		status_json_number_or_null(o, "reserved_connections", ps->reserved_connections >= 0,
		                           ps->reserved_connections);
		arr = cJSON_AddArrayToObject(o, "clients");
		for (size_t i = 0; i < ps->n_clients; i++) {
			const struct pg_client_group *g = &ps->clients[i];
			cJSON *c = cJSON_CreateObject();

			cJSON_AddStringToObject(c, "database", g->database);
			cJSON_AddStringToObject(c, "application", g->application);
			status_json_string_or_null(c, "client_addr", g->client_addr[0] != '\0' ? g->client_addr : NULL);
			cJSON_AddStringToObject(c, "state", g->state);
			cJSON_AddNumberToObject(c, "count", g->count);
			cJSON_AddItemToArray(arr, c);
		}
		arr = cJSON_AddArrayToObject(o, "databases");
		for (size_t i = 0; i < ps->n_databases; i++) {
			cJSON *d = cJSON_CreateObject();

			cJSON_AddStringToObject(d, "name", ps->databases[i].name);
			status_json_number_or_null(d, "size_bytes", ps->databases[i].size_bytes >= 0,
			                           (double)ps->databases[i].size_bytes);
			cJSON_AddItemToArray(arr, d);
		}
		status_json_number_or_null(o, "longest_query_s", ps->longest_query_s >= 0,
		                           round(ps->longest_query_s * 10) / 10);
		cJSON_AddNumberToObject(o, "waiting_locks", ps->waiting_locks);
		cJSON_AddNullToObject(o, "error");
	}
	sbh = xcalloc(f->nhosts + 1, sizeof *sbh);
	splitbrain_init(&sb);
	verdict_splitbrain(f, sbh, &sb);
	cJSON_AddItemToObject(o, "split_brain", splitbrain_json(&sb, sbh, f->nhosts));
	splitbrain_done(&sb);
	free(sbh);
	return o;
}

static cJSON *status_json_redis(const struct frame *f)
{
	static const char *const keys[] = { "version", "used_memory_bytes", "connected_clients" };
	const struct redis_status *rs = f->redis.value;
	cJSON *o;

	if (!f->redis.feed.configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (status_json_shared_ok(o, &f->redis.feed, keys, UTIL_ARRAY_LEN(keys))) {
		status_json_string_or_null(o, "version", rs->version[0] != '\0' ? rs->version : NULL);
		status_json_number_or_null(o, "used_memory_bytes", rs->used_memory_bytes >= 0,
		                           (double)rs->used_memory_bytes);
		status_json_number_or_null(o, "connected_clients", rs->connected_clients >= 0,
		                           (double)rs->connected_clients);
		cJSON_AddNullToObject(o, "error");
	}
	return o;
}

/* One connector of the tunnel: its host (matched by the cloudflare
 * source), its live connections' colos once each, the first origin and
 * opening time. */
static cJSON *status_json_connector(const struct frame *f, const struct cf_connector *c)
{
	cJSON *j = cJSON_CreateObject(), *colos;
	const char *opened = NULL, *origin = NULL;

	cJSON_AddStringToObject(j, "id", c->id);
	status_json_string_or_null(j, "host", c->host >= 0 && (size_t)c->host < f->nhosts ?
	                           f->hosts[c->host].name : NULL);
	colos = cJSON_AddArrayToObject(j, "colos");
	for (size_t k = 0; k < c->n_conns; k++) {
		bool seen = false;

		if (c->conns[k].pending)
			continue;
		for (size_t m = 0; m < k; m++)
			seen = seen || (!c->conns[m].pending && strcmp(c->conns[m].colo, c->conns[k].colo) == 0);
		if (!seen)
			cJSON_AddItemToArray(colos, cJSON_CreateString(c->conns[k].colo));
		origin = origin != NULL ? origin : c->conns[k].origin_ip;
		opened = opened != NULL ? opened : c->conns[k].opened_at;
	}
	status_json_string_or_null(j, "origin_ip", origin);
	cJSON_AddNumberToObject(j, "connections", (double)c->live);
	status_json_string_or_null(j, "opened_at", opened);
	return j;
}

static cJSON *status_json_cloudflare(const struct frame *f)
{
	const struct frame_feed *feed = &f->cloudflare.feed;
	const struct cf_tunnel *t = f->cloudflare.value;
	cJSON *o, *arr;

	if (!feed->configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (!feed->polled || feed->error != NULL) {
		cJSON_AddNullToObject(o, "status");
		cJSON_AddNullToObject(o, "connectors");
		cJSON_AddStringToObject(o, "error", feed->polled ? feed->error : "no answer yet");
		return o;
	}
	cJSON_AddStringToObject(o, "status", cf_status_name(t->status));
	arr = cJSON_AddArrayToObject(o, "connectors");
	for (size_t i = 0; i < t->n_connectors; i++)
		cJSON_AddItemToArray(arr, status_json_connector(f, &t->connectors[i]));
	cJSON_AddNullToObject(o, "error");
	return o;
}

/* One host: name, reachable (null while the first connection attempt
 * runs), error, ssh_rtt_ms, metrics, tunnel, containers, tailscale. */
static cJSON *status_json_host(const struct frame *f, size_t i)
{
	const struct frame_host *h = &f->hosts[i];
	cJSON *o = cJSON_CreateObject(), *containers;
	char *err = NULL;

	cJSON_AddStringToObject(o, "name", h->name);
	if (h->reach.known)
		cJSON_AddBoolToObject(o, "reachable", h->reach.connected);
	else
		cJSON_AddNullToObject(o, "reachable");   /* still connecting */
	containers = h->reach.connected ? status_json_containers(f, h, &err) : cJSON_CreateNull();
	if (!h->reach.connected)
		err = xstrdup(h->reach.error[0] != '\0' ? h->reach.error : "ssh: connecting");
	status_json_string_or_null(o, "error", err);
	free(err);
	status_json_number_or_null(o, "ssh_rtt_ms", !h->local && h->reach.rtt_ms >= 0, h->reach.rtt_ms);
	cJSON_AddItemToObject(o, "metrics", status_json_metrics(f, h));
	cJSON_AddItemToObject(o, "tunnel", status_tunnel_json(h));
	cJSON_AddItemToObject(o, "containers", containers);
	cJSON_AddItemToObject(o, "tailscale", status_json_tailscale(f, i));
	return o;
}

char *status_json(const struct frame *f)
{
	return status_json_all(f, false);
}

char *status_json_all(const struct frame *f, bool all)
{
	cJSON *root = cJSON_CreateObject(), *hosts;
	char when[40], *text, *out;

	time_format_iso8601(when, sizeof when, f->taken_ms);
	/* the document's version (docs/status.schema.json): 2 since it says so */
	cJSON_AddNumberToObject(root, "schema", STATUS_JSON_SCHEMA);
	cJSON_AddStringToObject(root, "generated_at", when);
	cJSON_AddStringToObject(root, "overall", verdict_level_name(verdict_overall(f, NULL)));
	hosts = cJSON_AddArrayToObject(root, "hosts");
	for (size_t i = 0; i < f->nhosts; i++)
		cJSON_AddItemToArray(hosts, status_json_host(f, i));
	cJSON_AddItemToObject(root, "services", status_services_json(f));
	cJSON_AddItemToObject(root, "authentik", status_services_authentik_json(f));
	cJSON_AddItemToObject(root, "postgres", status_json_postgres(f));
	cJSON_AddItemToObject(root, "redis", status_json_redis(f));
	cJSON_AddItemToObject(root, "cloudflare", status_json_cloudflare(f));
	cJSON_AddItemToObject(root, "panels", status_panels_json(f));
	cJSON_AddItemToObject(root, "clusters", status_clusters_json(f, all));

	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		fatal("out of memory");
	out = xasprintf("%s\n", text);
	cJSON_free(text);
	return out;
}
