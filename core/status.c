/* status — see status.h. */
#include "core/status.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "core/status_tunnel.h"
#include "backends/docker.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "core/format.h"
#include "core/lab_tailscale.h"
#include "backends/metrics.h"
#include "core/status_services.h"
#include "core/timeutil.h"
#include "core/util.h"

const char *status_level_name(enum status_level l)
{
	switch (l) {
	case STATUS_OK: return "ok";
	case STATUS_WARN: return "warn";
	case STATUS_CRIT: return "crit";
	default: return "unknown";
	}
}

static enum status_level status_worse(enum status_level a, enum status_level b)
{
	/* unknown ranks between warn and crit, as Nagios treats it */
	static const int rank[] = { 0, 1, 3, 2 };

	return rank[b] > rank[a] ? b : a;
}

static void status_note(struct buf *reasons, const char *host, const char *what)
{
	if (reasons != NULL)
		buf_printf(reasons, "%s: %s\n", host, what);
}

static enum status_level status_pct_level(double pct)
{
	if (pct >= STATUS_CRIT_PCT)
		return STATUS_CRIT;
	if (pct >= STATUS_WARN_PCT)
		return STATUS_WARN;
	return STATUS_OK;
}

static enum status_level status_host_metrics(const struct lab_host *h, struct buf *reasons)
{
	struct snapshot *snap;
	const struct metrics *m;
	enum status_level lvl = STATUS_OK;
	static const struct {
		enum metrics_figure f;
		const char *name;
		size_t off;
	} pcts[] = {
		{ METRICS_CPU, "cpu", offsetof(struct metrics, cpu_pct) },
		{ METRICS_MEM, "memory", offsetof(struct metrics, mem_pct) },
		{ METRICS_DISK, "disk", offsetof(struct metrics, disk_pct) },
	};

	if (h->metrics == NULL)
		return STATUS_OK;
	snap = source_get(h->metrics);
	if (snap == NULL) {
		status_note(reasons, h->name, "metrics: no answer yet");
		return STATUS_UNKNOWN;
	}
	if (snap->error != NULL) {
		char *w = xasprintf("metrics: %s", snap->error);

		status_note(reasons, h->name, w);
		free(w);
		snapshot_unref(snap);
		return STATUS_UNKNOWN;
	}
	m = snap->value;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(pcts); i++) {
		double v = *(const double *)(const void *)((const char *)m + pcts[i].off);
		enum status_level l;
		char *w;

		if (!m->valid[pcts[i].f])
			continue;
		l = status_pct_level(v);
		/* a busy CPU is normal; only a saturated one is worth a warning */
		if (pcts[i].f == METRICS_CPU && l == STATUS_CRIT)
			l = STATUS_WARN;
		else if (pcts[i].f == METRICS_CPU)
			l = STATUS_OK;
		if (l == STATUS_OK)
			continue;
		w = xasprintf("%s %.1f%%", pcts[i].name, v);
		status_note(reasons, h->name, w);
		free(w);
		lvl = status_worse(lvl, l);
	}
	snapshot_unref(snap);
	return lvl;
}

/* A failed (or absent) docker snapshot's error, "docker: ..." once.  Caller frees. */
static char *status_docker_error(const struct snapshot *snap)
{
	if (snap == NULL)
		return xstrdup("docker: no answer yet");
	if (strncmp(snap->error, "docker:", 7) == 0)
		return xstrdup(snap->error);
	return xasprintf("docker: %s", snap->error);
}

static enum status_level status_host_docker(struct lab *lab, const struct lab_host *h,
                                            struct buf *reasons)
{
	struct snapshot *snap;
	const struct lab_containers *c;
	enum status_level lvl = STATUS_OK;

	if (h->docker == NULL)
		return STATUS_OK;
	snap = source_get(h->docker);
	if (snap == NULL || snap->error != NULL) {
		char *w = status_docker_error(snap);

		status_note(reasons, h->name, w);
		free(w);
		snapshot_unref(snap);
		return snap != NULL ? STATUS_CRIT : STATUS_UNKNOWN;
	}
	c = snap->value;
	for (size_t i = 0; i < lab->cfg->nservices; i++) {
		const char *want = lab->cfg->services[i].container;
		const struct docker_container *dc = lab_containers_find(c, want);
		char *w = NULL;

		if (dc == NULL)
			w = xasprintf("%s missing", want);
		else if (dc->state != DOCKER_STATE_RUNNING)
			w = xasprintf("%s %s", want, docker_state_name(dc->state));
		else if (dc->health == DOCKER_HEALTH_UNHEALTHY)
			w = xasprintf("%s unhealthy", want);
		if (w != NULL) {
			status_note(reasons, h->name, w);
			free(w);
			lvl = STATUS_WARN;
		}
	}
	snapshot_unref(snap);
	return lvl;
}

/* crit when an app that connects to the shared database from one host has
 * no connection from another (core/splitbrain). */
static enum status_level status_split_brain(struct lab *lab, struct buf *reasons)
{
	struct splitbrain_host *hosts = xcalloc(lab->nhosts + 1, sizeof *hosts);
	struct splitbrain sb;
	enum status_level lvl = STATUS_OK;

	splitbrain_init(&sb);
	if (lab_splitbrain(lab, hosts, &sb)) {
		for (size_t i = 0; i < sb.n; i++) {
			char line[256];

			if (sb.entries[i].verdict != SPLITBRAIN_SPLIT)
				continue;
			splitbrain_line(&sb, &sb.entries[i], hosts, lab->nhosts, false, line, sizeof line);
			status_note(reasons, "split brain", line);
			lvl = STATUS_CRIT;
		}
	}
	splitbrain_done(&sb);
	free(hosts);
	return lvl;
}

/* The host's tailscale source as JSON: null without one. */
static cJSON *status_tailscale_json(struct lab *lab, size_t i)
{
	struct snapshot *snap = lab->hosts[i].tailscale != NULL ? source_get(lab->hosts[i].tailscale) : NULL;
	const struct lab_tailscale *v = snap != NULL && snap->error == NULL ? snap->value : NULL;
	cJSON *o, *arr;
	char line[512];

	if (lab->hosts[i].tailscale == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	if (v == NULL) {
		cJSON_AddNullToObject(o, "installed");
		cJSON_AddStringToObject(o, "error", snap != NULL ? snap->error : "no answer yet");
		snapshot_unref(snap);
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
	lab_tailscale_line(lab, i, v, line, sizeof line);
	cJSON_AddStringToObject(o, "summary", line);
	cJSON_AddNullToObject(o, "error");
	snapshot_unref(snap);
	return o;
}

enum status_level status_overall(struct lab *lab, struct buf *reasons)
{
	enum status_level lvl = STATUS_OK;

	for (size_t i = 0; i < lab->nhosts; i++) {
		const struct lab_host *h = &lab->hosts[i];
		struct lab_reach r;

		lab_host_reach(h, &r);
		if (!r.connected) {
			char *w = xasprintf("unreachable: %s", r.error[0] != '\0' ? r.error : "connecting");

			status_note(reasons, h->name, w);
			free(w);
			lvl = status_worse(lvl, r.known ? STATUS_CRIT : STATUS_UNKNOWN);
			continue;
		}
		lvl = status_worse(lvl, status_host_metrics(h, reasons));
		lvl = status_worse(lvl, status_host_docker(lab, h, reasons));
	}
	lvl = status_worse(lvl, status_tunnel_level(lab, reasons));
	if (lab->cloudflare != NULL) {
		struct snapshot *snap = source_get(lab->cloudflare);
		const struct cf_tunnel *t = snap != NULL && snap->error == NULL ? snap->value : NULL;

		if (snap != NULL && snap->error != NULL) {
			status_note(reasons, "cloudflare", snap->error);
			lvl = status_worse(lvl, STATUS_WARN);   /* the API, not the traffic */
		} else if (t != NULL && t->status != CF_STATUS_HEALTHY) {
			status_note(reasons, "cloudflare", cf_status_name(t->status));
			lvl = status_worse(lvl, t->status == CF_STATUS_DEGRADED ? STATUS_WARN : STATUS_CRIT);
		}
		snapshot_unref(snap);
	}
	for (size_t i = 0; i < 2; i++) {
		struct source *src = i == 0 ? lab->postgres : lab->redis;
		struct snapshot *snap;

		if (src == NULL)
			continue;
		snap = source_get(src);
		if (snap == NULL || snap->error != NULL) {
			status_note(reasons, i == 0 ? "postgres" : "redis", snap != NULL ? snap->error : "no answer yet");
			lvl = status_worse(lvl, snap != NULL ? STATUS_CRIT : STATUS_UNKNOWN);
		}
		snapshot_unref(snap);
	}
	lvl = status_worse(lvl, status_split_brain(lab, reasons));
	lvl = status_worse(lvl, status_services_level(lab, reasons));
	return lvl;
}

static void json_add_number_or_null(cJSON *o, const char *key, bool valid, double v)
{
	if (valid && isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void json_add_string_or_null(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* The first figure error, as the section's error (others are similar). */
static char *status_metrics_error(const struct metrics *m)
{
	struct buf b;

	buf_init(&b);
	for (int f = 0; f < METRICS_NFIGURES; f++) {
		if (m->valid[f] || m->error[f] == NULL)
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_printf(&b, "%s: %s", metrics_figure_name(f), m->error[f]);
	}
	return b.len > 0 ? buf_steal(&b) : (buf_done(&b), NULL);
}

static cJSON *status_metrics_json(const struct lab_host *h)
{
	struct snapshot *snap;
	const struct metrics *m;
	cJSON *o;
	char *err;

	if (h->metrics == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "source", "proc");
	snap = source_get(h->metrics);
	m = snap != NULL && snap->error == NULL ? snap->value : NULL;
	if (m == NULL) {
		static const char *const keys[] = { "cpu_pct", "mem_pct", "disk_pct",
			"net_rx_bps", "net_tx_bps", "load1", "uptime_s" };

		for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
			cJSON_AddNullToObject(o, keys[i]);
		cJSON_AddStringToObject(o, "error", snap != NULL ? snap->error : "no answer yet");
		snapshot_unref(snap);
		return o;
	}
	if (m->origin == METRICS_FROM_PROMETHEUS)
		cJSON_ReplaceItemInObject(o, "source", cJSON_CreateString("prometheus"));
	json_add_number_or_null(o, "cpu_pct", m->valid[METRICS_CPU], round(m->cpu_pct * 10) / 10);
	json_add_number_or_null(o, "mem_pct", m->valid[METRICS_MEM], round(m->mem_pct * 10) / 10);
	json_add_number_or_null(o, "disk_pct", m->valid[METRICS_DISK], round(m->disk_pct * 10) / 10);
	json_add_number_or_null(o, "net_rx_bps", m->valid[METRICS_NET], round(m->net_rx_bps));
	json_add_number_or_null(o, "net_tx_bps", m->valid[METRICS_NET], round(m->net_tx_bps));
	json_add_number_or_null(o, "load1", m->valid[METRICS_LOAD], m->load1);
	json_add_number_or_null(o, "uptime_s", m->valid[METRICS_UPTIME], floor(m->uptime_s));
	err = status_metrics_error(m);
	json_add_string_or_null(o, "error", err);
	free(err);
	snapshot_unref(snap);
	return o;
}

static cJSON *status_container_json(const struct docker_container *dc, const char *missing)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];

	if (dc == NULL) {
		cJSON_AddStringToObject(o, "name", missing);
		cJSON_AddNullToObject(o, "id");
		cJSON_AddNullToObject(o, "image");
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
	json_add_string_or_null(o, "image", dc->image);
	cJSON_AddStringToObject(o, "state", docker_state_name(dc->state));
	cJSON_AddStringToObject(o, "health", docker_health_name(dc->health));
	json_add_number_or_null(o, "restarts", dc->restarts >= 0, dc->restarts);
	if (dc->started_at_ms > 0) {
		time_format_iso8601(when, sizeof when, dc->started_at_ms);
		cJSON_AddStringToObject(o, "started_at", when);
	} else {
		cJSON_AddNullToObject(o, "started_at");
	}
	json_add_number_or_null(o, "cpu_pct", dc->cpu_pct >= 0, round(dc->cpu_pct * 100) / 100);
	json_add_number_or_null(o, "mem_bytes", dc->mem_bytes >= 0, (double)dc->mem_bytes);
	return o;
}

/* The host's containers, then every configured service's container that the
 * host does not have, as "missing".  NULL (and *error) when docker failed. */
static cJSON *status_containers_json(struct lab *lab, const struct lab_host *h, char **error)
{
	struct snapshot *snap;
	const struct lab_containers *c;
	cJSON *arr;

	if (h->docker == NULL)
		return cJSON_CreateNull();
	snap = source_get(h->docker);
	if (snap == NULL || snap->error != NULL) {
		*error = status_docker_error(snap);
		snapshot_unref(snap);
		return cJSON_CreateNull();
	}
	c = snap->value;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < c->n; i++)
		cJSON_AddItemToArray(arr, status_container_json(&c->items[i], NULL));
	for (size_t i = 0; i < lab->cfg->nservices; i++) {
		const char *want = lab->cfg->services[i].container;
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			if (strcmp(lab->cfg->services[j].container, want) == 0)
				seen = true;
		if (!seen && lab_containers_find(c, want) == NULL)
			cJSON_AddItemToArray(arr, status_container_json(NULL, want));
	}
	snapshot_unref(snap);
	return arr;
}

/* A shared source's section: null when not configured; its error and
 * null figures when it failed (keys given); else filled by fill(). */
static cJSON *status_shared_json(struct source *src, const char *const *keys, size_t nkeys,
                                 void (*fill)(cJSON *o, const void *value))
{
	struct snapshot *snap;
	cJSON *o;

	if (src == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	snap = source_get(src);
	if (snap == NULL || snap->error != NULL) {
		cJSON_AddFalseToObject(o, "ok");
		for (size_t i = 0; i < nkeys; i++)
			cJSON_AddNullToObject(o, keys[i]);
		cJSON_AddStringToObject(o, "error", snap != NULL ? snap->error : "no answer yet");
	} else {
		cJSON_AddTrueToObject(o, "ok");
		fill(o, snap->value);
		cJSON_AddNullToObject(o, "error");
	}
	snapshot_unref(snap);
	return o;
}

static void status_pg_fill(cJSON *o, const void *value)
{
	const struct pg_status *ps = value;
	cJSON *arr;

	cJSON_AddStringToObject(o, "version", ps->version);
	cJSON_AddNumberToObject(o, "connections", ps->connections);
	cJSON_AddNumberToObject(o, "max_connections", ps->max_connections);
	arr = cJSON_AddArrayToObject(o, "clients");
	for (size_t i = 0; i < ps->n_clients; i++) {
		const struct pg_client_group *g = &ps->clients[i];
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "database", g->database);
		cJSON_AddStringToObject(c, "application", g->application);
		json_add_string_or_null(c, "client_addr", g->client_addr[0] != '\0' ? g->client_addr : NULL);
		cJSON_AddStringToObject(c, "state", g->state);
		cJSON_AddNumberToObject(c, "count", g->count);
		cJSON_AddItemToArray(arr, c);
	}
	arr = cJSON_AddArrayToObject(o, "databases");
	for (size_t i = 0; i < ps->n_databases; i++) {
		cJSON *d = cJSON_CreateObject();

		cJSON_AddStringToObject(d, "name", ps->databases[i].name);
		json_add_number_or_null(d, "size_bytes", ps->databases[i].size_bytes >= 0,
		                        (double)ps->databases[i].size_bytes);
		cJSON_AddItemToArray(arr, d);
	}
	json_add_number_or_null(o, "longest_query_s", ps->longest_query_s >= 0,
	                        round(ps->longest_query_s * 10) / 10);
	cJSON_AddNumberToObject(o, "waiting_locks", ps->waiting_locks);
}

static void status_redis_fill(cJSON *o, const void *value)
{
	const struct redis_status *rs = value;

	json_add_string_or_null(o, "version", rs->version[0] != '\0' ? rs->version : NULL);
	json_add_number_or_null(o, "used_memory_bytes", rs->used_memory_bytes >= 0,
	                        (double)rs->used_memory_bytes);
	json_add_number_or_null(o, "connected_clients", rs->connected_clients >= 0,
	                        (double)rs->connected_clients);
}

static cJSON *status_cloudflare_json(struct lab *lab)
{
	struct snapshot *snap;
	const struct cf_tunnel *t;
	cJSON *o, *arr;

	if (lab->cloudflare == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	snap = source_get(lab->cloudflare);
	if (snap == NULL || snap->error != NULL) {
		cJSON_AddNullToObject(o, "status");
		cJSON_AddNullToObject(o, "connectors");
		cJSON_AddStringToObject(o, "error", snap != NULL ? snap->error : "no answer yet");
		snapshot_unref(snap);
		return o;
	}
	t = snap->value;
	cJSON_AddStringToObject(o, "status", cf_status_name(t->status));
	arr = cJSON_AddArrayToObject(o, "connectors");
	for (size_t i = 0; i < t->n_connectors; i++) {
		const struct cf_connector *c = &t->connectors[i];
		cJSON *j = cJSON_CreateObject(), *colos;
		const char *opened = NULL, *origin = NULL;

		cJSON_AddStringToObject(j, "id", c->id);
		json_add_string_or_null(j, "host", c->host >= 0 && (size_t)c->host < lab->nhosts ?
		                        lab->hosts[c->host].name : NULL);
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
		json_add_string_or_null(j, "origin_ip", origin);
		cJSON_AddNumberToObject(j, "connections", (double)c->live);
		json_add_string_or_null(j, "opened_at", opened);
		cJSON_AddItemToArray(arr, j);
	}
	cJSON_AddNullToObject(o, "error");
	snapshot_unref(snap);
	return o;
}

char *status_json(struct lab *lab)
{
	static const char *const pg_keys[] = { "version", "connections", "max_connections", "clients",
		"databases", "longest_query_s", "waiting_locks" };
	static const char *const redis_keys[] = { "version", "used_memory_bytes", "connected_clients" };
	cJSON *root = cJSON_CreateObject(), *hosts;
	char when[40], *text, *out;

	time_format_iso8601(when, sizeof when, time_real_ms());
	cJSON_AddStringToObject(root, "generated_at", when);
	cJSON_AddStringToObject(root, "overall", status_level_name(status_overall(lab, NULL)));
	hosts = cJSON_AddArrayToObject(root, "hosts");
	for (size_t i = 0; i < lab->nhosts; i++) {
		const struct lab_host *h = &lab->hosts[i];
		cJSON *o = cJSON_CreateObject();

		struct lab_reach r;
		char *err = NULL;
		cJSON *containers;

		lab_host_reach(h, &r);
		cJSON_AddStringToObject(o, "name", h->name);
		if (r.known)
			cJSON_AddBoolToObject(o, "reachable", r.connected);
		else
			cJSON_AddNullToObject(o, "reachable");   /* still connecting */
		containers = r.connected ? status_containers_json(lab, h, &err) : cJSON_CreateNull();
		if (!r.connected)
			err = xstrdup(r.error[0] != '\0' ? r.error : "ssh: connecting");
		json_add_string_or_null(o, "error", err);
		free(err);
		json_add_number_or_null(o, "ssh_rtt_ms", !h->local && r.rtt_ms >= 0, r.rtt_ms);
		cJSON_AddItemToObject(o, "metrics", status_metrics_json(h));
		cJSON_AddItemToObject(o, "tunnel", status_tunnel_json(h));
		cJSON_AddItemToObject(o, "containers", containers);
		cJSON_AddItemToObject(o, "tailscale", status_tailscale_json(lab, i));
		cJSON_AddItemToArray(hosts, o);
	}
	cJSON_AddItemToObject(root, "services", status_services_json(lab));
	cJSON_AddItemToObject(root, "authentik", status_authentik_json(lab));
	cJSON_AddItemToObject(root, "postgres", status_shared_json(lab->postgres, pg_keys,
	                      UTIL_ARRAY_LEN(pg_keys), status_pg_fill));
	if (lab->postgres != NULL) {   /* an extra array: per app and host, connected? */
		struct splitbrain_host *sbh = xcalloc(lab->nhosts + 1, sizeof *sbh);
		struct splitbrain sb;

		splitbrain_init(&sb);
		lab_splitbrain(lab, sbh, &sb);
		cJSON_AddItemToObject(cJSON_GetObjectItem(root, "postgres"), "split_brain",
		                      splitbrain_json(&sb, sbh, lab->nhosts));
		splitbrain_done(&sb);
		free(sbh);
	}
	cJSON_AddItemToObject(root, "redis", status_shared_json(lab->redis, redis_keys,
	                      UTIL_ARRAY_LEN(redis_keys), status_redis_fill));
	cJSON_AddItemToObject(root, "cloudflare", status_cloudflare_json(lab));

	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		fatal("out of memory");
	out = xasprintf("%s\n", text);
	cJSON_free(text);
	return out;
}

static void status_text_metrics(const struct lab_host *h, struct buf *out)
{
	struct snapshot *snap = h->metrics != NULL ? source_get(h->metrics) : NULL;
	const struct metrics *m = snap != NULL && snap->error == NULL ? snap->value : NULL;
	char a[32], b[32];

	if (h->metrics == NULL) {
		buf_puts(out, "  metrics: none configured for this host\n");
		return;
	}
	if (m == NULL) {
		buf_printf(out, "  metrics: %s\n", snap != NULL ? snap->error : "no answer yet");
		snapshot_unref(snap);
		return;
	}
	for (int f = 0; f < METRICS_NFIGURES; f++) {
		buf_printf(out, "  %-7s ", metrics_figure_name(f));
		if (!m->valid[f]) {
			buf_printf(out, "error: %s\n", m->error[f] != NULL ? m->error[f] : "unknown");
			continue;
		}
		switch (f) {
		case METRICS_CPU: format_pct(a, sizeof a, m->cpu_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_MEM: format_pct(a, sizeof a, m->mem_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_DISK: format_pct(a, sizeof a, m->disk_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_NET:
			format_rate(a, sizeof a, m->net_rx_bps);
			format_rate(b, sizeof b, m->net_tx_bps);
			buf_printf(out, "rx %s  tx %s\n", a, b);
			break;
		case METRICS_LOAD: buf_printf(out, "%.2f\n", m->load1); break;
		default:
			time_format_duration(a, sizeof a, (int64_t)m->uptime_s);
			buf_printf(out, "%s\n", a);
			break;
		}
	}
	snapshot_unref(snap);
}

static void status_text_containers(struct lab *lab, const struct lab_host *h, struct buf *out)
{
	char *err = NULL;
	cJSON *arr, *c;

	if (h->docker == NULL)
		return;
	arr = status_containers_json(lab, h, &err);
	if (err != NULL) {
		buf_printf(out, "  containers: %s\n", err);
		free(err);
	}
	cJSON_ArrayForEach(c, arr) {
		const char *state = cJSON_GetObjectItem(c, "state")->valuestring;
		const char *health = cJSON_GetObjectItem(c, "health")->valuestring;

		if (strcmp(health, "none") != 0)
			buf_printf(out, "  %-28s %-10s %s\n", cJSON_GetObjectItem(c, "name")->valuestring,
			           state, health);
		else
			buf_printf(out, "  %-28s %s\n", cJSON_GetObjectItem(c, "name")->valuestring, state);
	}
	cJSON_Delete(arr);
}

void status_text(struct lab *lab, struct buf *out)
{
	struct buf reasons;
	enum status_level lvl;
	char when[40];

	buf_init(&reasons);
	lvl = status_overall(lab, &reasons);
	time_format_iso8601(when, sizeof when, time_real_ms());
	buf_printf(out, "kitetop status at %s: %s\n", when, status_level_name(lvl));
	if (reasons.len > 0)
		buf_puts(out, buf_cstr(&reasons));
	for (size_t i = 0; i < lab->nhosts; i++) {
		const struct lab_host *h = &lab->hosts[i];

		struct lab_reach r;

		lab_host_reach(h, &r);
		buf_printf(out, "\n%s (%s)", h->name, h->local ? "this machine" : h->cfg->ssh);
		if (!h->local && r.connected && r.rtt_ms >= 0)
			buf_printf(out, " ssh %d ms", r.rtt_ms);
		else if (!h->local && !r.connected)
			buf_printf(out, " unreachable: %s", r.error[0] != '\0' ? r.error : "connecting");
		buf_putc(out, '\n');
		status_text_metrics(h, out);
		status_tunnel_text(h, out);
		status_text_containers(lab, h, out);
	}
	status_services_text(lab, out);
	buf_done(&reasons);
}
