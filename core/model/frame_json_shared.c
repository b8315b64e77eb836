/* frame_json_shared — the shared sections of a status JSON read back into a
 * frame (see frame_json.h): postgres, redis, cloudflare, the service probes
 * (services[]) and authentik.
 *
 * What these sections leave out, and what is made of it:
 *   - postgres: no users of the client groups, no replicas, recovery,
 *     longest query's text or database, round trip or statement timeout;
 *     version_num is made from version ("15.20" -> 150020); sees_all is
 *     false only when split_brain[] says the role lacks pg_monitor;
 *   - redis: version, used memory and clients only, the rest absent;
 *   - cloudflare: the tunnel's id from the configuration, no name; each
 *     connector's connections are `connections` live ones, their colos
 *     those listed (in order, the last one repeated), each with the
 *     connector's origin_ip and opened_at; no arch, version or run_at; a
 *     connector with a host was matched by id;
 *   - services: each probe's ok, status, ms and error ("not probed" is a
 *     probe not done); the probes feed failed when every probe says the
 *     same error and nothing else; "drift" is not read: it is the
 *     verdict of the hosts' containers, which status computes again;
 *   - authentik: hosts' live, ready and error; version (current only),
 *     workers; the section's error is the public URL's ("public_url: ...")
 *     or the API's; no outposts, no API URL. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/frame_json.h"
#include "core/model/frame_json_internal.h"

/* What split_brain[] says when the role does not read other sessions. */
#define FRAME_JSON_PG_HIDDEN "postgres: the monitoring role lacks pg_monitor"

/* The section key of the document as a shared source's: NULL when it is
 * not an object (no such source: *feed left unconfigured) or holds neither
 * figures nor an error (*feed configured, not polled); else the section
 * (*feed configured), its error in *error and whether it holds figures
 * (has_figures says, given the section) in *figures. */
static const cJSON *frame_json_section(const struct frame_json *fj, struct frame_feed *feed,
                                       const char *key, bool (*has_figures)(const cJSON *o),
                                       const char **error, bool *figures)
{
	const cJSON *o = frame_json_item(fj->root, key);

	if (!cJSON_IsObject(o))
		return NULL;   /* null: no such source */
	frame_json_unpolled(fj, feed);
	*error = frame_json_string(o, "error");
	*figures = has_figures(o);
	if (!*figures && *error == NULL)
		return NULL;
	return o;
}

/* ---- postgres ---- */

static void frame_json_free_pg(void *v)
{
	pg_status_done(v);
	free(v);
}

static bool frame_json_pg_figures(const cJSON *o)
{
	double d;

	return frame_json_string(o, "version") != NULL || frame_json_number(o, "connections", &d) ||
	       frame_json_bool(o, "ok") == 1;
}

/* server_version_num from server_version: 150020 for "15.20", 90624 for
 * "9.6.24"; -1 when it is not one. */
static int frame_json_pg_version_num(const char *v)
{
	int major = -1, minor = 0, patch = 0;

	if (sscanf(v, "%d.%d.%d", &major, &minor, &patch) < 1 || major < 0 || major > 999 ||
	    minor < 0 || minor > 99 || patch < 0 || patch > 99)
		return -1;
	return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + patch;
}

static void frame_json_pg_clients(struct pg_status *ps, const cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr);
	const cJSON *o;

	ps->clients = xcalloc((n < FRAME_JSON_MAX_ITEMS ? n : FRAME_JSON_MAX_ITEMS) + 1, sizeof *ps->clients);
	cJSON_ArrayForEach(o, arr) {
		struct pg_client_group *g = &ps->clients[ps->n_clients];
		long long count = 0;

		if (ps->n_clients >= FRAME_JSON_MAX_ITEMS)
			break;
		if (!cJSON_IsObject(o))
			continue;
		frame_json_copy(g->database, sizeof g->database, frame_json_string(o, "database"));
		frame_json_copy(g->application, sizeof g->application, frame_json_string(o, "application"));
		frame_json_copy(g->client_addr, sizeof g->client_addr, frame_json_string(o, "client_addr"));
		frame_json_copy(g->state, sizeof g->state, frame_json_string(o, "state"));
		(void)frame_json_int(o, "count", 0, INT_MAX, &count);
		g->count = (int)count;
		ps->n_clients++;
	}
}

static void frame_json_pg_databases(struct pg_status *ps, const cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr);
	const cJSON *o;

	ps->databases = xcalloc((n < FRAME_JSON_MAX_ITEMS ? n : FRAME_JSON_MAX_ITEMS) + 1,
	                        sizeof *ps->databases);
	cJSON_ArrayForEach(o, arr) {
		struct pg_database *d = &ps->databases[ps->n_databases];
		long long size;

		if (ps->n_databases >= FRAME_JSON_MAX_ITEMS)
			break;
		if (frame_json_string(o, "name") == NULL)
			continue;
		frame_json_copy(d->name, sizeof d->name, frame_json_string(o, "name"));
		d->size_bytes = frame_json_int(o, "size_bytes", 0, 1LL << 60, &size) ? size : -1;
		ps->n_databases++;
	}
}

static void frame_json_postgres(struct frame_json *fj)
{
	const char *err = NULL;
	bool figures = false;
	const cJSON *o, *e;
	struct pg_status *ps = NULL;
	long long n;
	double d;

	if (fj->cfg->postgres == NULL)
		return;
	o = frame_json_section(fj, &fj->f->postgres.feed, "postgres", frame_json_pg_figures, &err, &figures);
	if (o == NULL)
		return;
	if (figures) {
		ps = xmalloc(sizeof *ps);
		pg_status_init(ps);
		frame_json_copy(ps->version, sizeof ps->version, frame_json_string(o, "version"));
		ps->version_num = frame_json_pg_version_num(ps->version);
		if (frame_json_int(o, "connections", -1, INT_MAX, &n))
			ps->connections = (int)n;
		if (frame_json_int(o, "max_connections", -1, INT_MAX, &n))
			ps->max_connections = (int)n;
		if (frame_json_int(o, "reserved_connections", -1, INT_MAX, &n))
			ps->reserved_connections = (int)n;
		if (frame_json_int(o, "waiting_locks", -1, INT_MAX, &n))
			ps->waiting_locks = (int)n;
		if (frame_json_number(o, "longest_query_s", &d) && d >= 0)
			ps->longest_query_s = d;
		frame_json_pg_clients(ps, frame_json_item(o, "clients"));
		frame_json_pg_databases(ps, frame_json_item(o, "databases"));
		ps->sees_all = true;
		cJSON_ArrayForEach(e, frame_json_item(o, "split_brain")) {
			const char *why = frame_json_string(e, "error");

			if (why != NULL &&
			    strncmp(why, FRAME_JSON_PG_HIDDEN, strlen(FRAME_JSON_PG_HIDDEN)) == 0)
				ps->sees_all = false;
		}
	}
	fj->f->postgres.value = frame_json_hold(fj, &fj->f->postgres.feed, ps, frame_json_free_pg, err);
}

/* ---- redis ---- */

static void frame_json_free_redis(void *v)
{
	redis_status_done(v);
	free(v);
}

static bool frame_json_redis_figures(const cJSON *o)
{
	double d;

	return frame_json_string(o, "version") != NULL || frame_json_number(o, "used_memory_bytes", &d) ||
	       frame_json_number(o, "connected_clients", &d) || frame_json_bool(o, "ok") == 1;
}

static void frame_json_redis(struct frame_json *fj)
{
	const char *err = NULL;
	bool figures = false;
	const cJSON *o;
	struct redis_status *rs = NULL;
	long long n;

	if (fj->cfg->redis == NULL)
		return;
	o = frame_json_section(fj, &fj->f->redis.feed, "redis", frame_json_redis_figures, &err, &figures);
	if (o == NULL)
		return;
	if (figures) {
		rs = xmalloc(sizeof *rs);
		redis_status_init(rs);
		frame_json_copy(rs->version, sizeof rs->version, frame_json_string(o, "version"));
		if (frame_json_int(o, "used_memory_bytes", 0, 1LL << 60, &n))
			rs->used_memory_bytes = n;
		if (frame_json_int(o, "connected_clients", 0, 1LL << 60, &n))
			rs->connected_clients = n;
	}
	fj->f->redis.value = frame_json_hold(fj, &fj->f->redis.feed, rs, frame_json_free_redis, err);
}

/* ---- cloudflare ---- */

static void frame_json_free_cloudflare(void *v)
{
	cf_tunnel_done(v);
	free(v);
}

static bool frame_json_cf_figures(const cJSON *o)
{
	return frame_json_string(o, "status") != NULL || cJSON_IsArray(frame_json_item(o, "connectors"));
}

static enum cf_status frame_json_cf_status(const char *name)
{
	for (int s = CF_STATUS_UNKNOWN; name != NULL && s <= CF_STATUS_INACTIVE; s++)
		if (strcmp(cf_status_name((enum cf_status)s), name) == 0)
			return (enum cf_status)s;
	return CF_STATUS_UNKNOWN;
}

/* A connector as status writes it into c: false for one without an id. */
static bool frame_json_cf_connector(const struct frame_json *fj, const cJSON *o, struct cf_connector *c)
{
	const char *colos[CF_MAX_CONNS], *origin = frame_json_string(o, "origin_ip");
	const char *opened = frame_json_string(o, "opened_at");
	size_t ncolos = 0, n;
	long long live = 0;
	int64_t opened_ms = 0;
	const cJSON *k;

	if (frame_json_string(o, "id") == NULL)
		return false;
	memset(c, 0, sizeof *c);
	frame_json_copy(c->id, sizeof c->id, frame_json_string(o, "id"));
	c->host = frame_json_host_index(fj->cfg, frame_json_string(o, "host"));
	c->matched_by = c->host >= 0 ? CF_MATCH_ID : CF_MATCH_NONE;
	cJSON_ArrayForEach(k, frame_json_item(o, "colos")) {
		if (cJSON_IsString(k) && ncolos < CF_MAX_CONNS)
			colos[ncolos++] = k->valuestring;
	}
	(void)frame_json_int(o, "connections", 0, INT_MAX, &live);
	n = (size_t)live > ncolos ? (size_t)live : ncolos;
	n = n < CF_MAX_CONNS ? n : CF_MAX_CONNS;   /* the decoder's cap */
	if (opened != NULL && time_parse_iso8601(opened, &opened_ms) != 0)
		opened_ms = 0;
	for (size_t i = 0; i < n; i++) {
		struct cf_conn *conn = &c->conns[i];
		const char *colo = ncolos == 0 ? "" : colos[i < ncolos ? i : ncolos - 1];

		frame_json_copy(conn->colo, sizeof conn->colo, colo);
		frame_json_copy(conn->origin_ip, sizeof conn->origin_ip, origin);
		frame_json_copy(conn->opened_at, sizeof conn->opened_at, opened);
		conn->opened_at_ms = opened_ms;
	}
	c->n_conns = c->live = n;
	return true;
}

static void frame_json_cloudflare(struct frame_json *fj)
{
	const char *err = NULL;
	bool figures = false;
	const cJSON *o, *arr, *k;
	struct cf_tunnel *t = NULL;

	if (fj->cfg->cloudflare == NULL)
		return;
	o = frame_json_section(fj, &fj->f->cloudflare.feed, "cloudflare", frame_json_cf_figures, &err,
	                       &figures);
	if (o == NULL)
		return;
	if (figures) {
		size_t n;

		t = xmalloc(sizeof *t);
		cf_tunnel_init(t);
		frame_json_copy(t->id, sizeof t->id, fj->cfg->cloudflare->tunnel_id);
		t->status = frame_json_cf_status(frame_json_string(o, "status"));
		arr = frame_json_item(o, "connectors");
		n = (size_t)cJSON_GetArraySize(arr);
		t->connectors = xcalloc((n < CF_MAX_CONNECTORS ? n : CF_MAX_CONNECTORS) + 1,
		                        sizeof *t->connectors);
		cJSON_ArrayForEach(k, arr) {
			if (t->n_connectors >= CF_MAX_CONNECTORS) {
				t->dropped++;
				continue;
			}
			if (frame_json_cf_connector(fj, k, &t->connectors[t->n_connectors]))
				t->n_connectors++;
		}
	}
	fj->f->cloudflare.value = frame_json_hold(fj, &fj->f->cloudflare.feed, t, frame_json_free_cloudflare,
	                                          err);
}

/* ---- the service probes ---- */

/* A probe's JSON that says only why it was not done (not ok, no status,
 * no time): that error ("not probed", the round's failure), else NULL. */
static const char *frame_json_probe_why(const cJSON *o)
{
	double d;

	if (!cJSON_IsObject(o) || frame_json_bool(o, "ok") == 1 || frame_json_number(o, "status", &d) ||
	    frame_json_number(o, "ms", &d))
		return NULL;
	return frame_json_string(o, "error");
}

static void frame_json_probe(struct probe_result *r, const cJSON *o)
{
	const char *why = frame_json_probe_why(o);
	long long status;
	double ms;

	*r = (struct probe_result){ .ms = -1 };
	if (!cJSON_IsObject(o) || (why != NULL && strcmp(why, "not probed") == 0))
		return;
	r->done = true;
	r->ok = frame_json_bool(o, "ok") == 1;
	if (frame_json_int(o, "status", 1, 999, &status))
		r->status = (long)status;
	if (frame_json_number(o, "ms", &ms) && ms >= 0)
		r->ms = ms;
	r->error = frame_json_text(frame_json_string(o, "error"));
}

/* Each probe the configuration asks for (slot s * (nhosts + 1) + h, the
 * public one at h = nhosts) with its JSON (NULL when the document has
 * none); returns how many of those the document has. */
static size_t frame_json_probe_items(const struct frame_json *fj, const cJSON **items)
{
	const struct config *cfg = fj->cfg;
	const cJSON *arr = frame_json_item(fj->root, "services"), *o;
	size_t found = 0;

	for (size_t s = 0; s < cfg->nservices; s++) {
		const struct config_service *svc = &cfg->services[s];
		const cJSON *entry = NULL;

		cJSON_ArrayForEach(o, arr) {
			const char *name = frame_json_string(o, "name");

			if (entry == NULL && name != NULL && strcmp(name, svc->name) == 0)
				entry = o;
		}
		for (size_t h = 0; h <= cfg->nhosts; h++) {
			bool want = h < cfg->nhosts ? svc->health != NULL : svc->public_url != NULL;
			const cJSON *hosts = frame_json_item(entry, "hosts");
			const cJSON *item = h < cfg->nhosts ?
			    frame_json_item(frame_json_item(hosts, cfg->hosts[h].name), "probe") :
			    frame_json_item(entry, "public");

			items[s * (cfg->nhosts + 1) + h] = want ? item : NULL;
			found += want && cJSON_IsObject(item);
		}
	}
	return found;
}

static void frame_json_probes(struct frame_json *fj)
{
	const struct config *cfg = fj->cfg;
	size_t nh = cfg->nhosts, ns = cfg->nservices;
	const cJSON **items;
	const char *common = NULL;
	bool failed = true, asked = false;
	struct feed_probes *p;

	/* the source exists when a service has a probe (status writes the same
	 * "no answer yet" for a source without an answer and for none) */
	for (size_t s = 0; s < ns; s++)
		asked = asked || cfg->services[s].health != NULL || cfg->services[s].public_url != NULL;
	if (!asked)
		return;
	frame_json_unpolled(fj, &fj->f->probes.feed);
	items = xcalloc(ns * (nh + 1) + 1, sizeof *items);
	if (frame_json_probe_items(fj, items) == 0) {
		free(items);
		return;
	}
	/* the round failed (or never ran) when every probe says only the same why */
	for (size_t i = 0; i < ns * (nh + 1); i++) {
		const char *why;
		bool want = i % (nh + 1) < nh ? cfg->services[i / (nh + 1)].health != NULL :
		            cfg->services[i / (nh + 1)].public_url != NULL;

		if (!want)
			continue;
		why = frame_json_probe_why(items[i]);
		if (why == NULL || strcmp(why, "not probed") == 0 ||
		    (common != NULL && strcmp(why, common) != 0))
			failed = false;
		common = why;
	}
	if (failed && common != NULL) {
		(void)frame_json_hold(fj, &fj->f->probes.feed, NULL, NULL, common);
		free(items);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->nservices = ns;
	p->nhosts = nh;
	p->host = xcalloc(ns * nh + 1, sizeof *p->host);
	p->pub = xcalloc(ns + 1, sizeof *p->pub);
	for (size_t s = 0; s < ns; s++) {
		for (size_t h = 0; h < nh; h++)
			frame_json_probe(&p->host[s * nh + h], items[s * (nh + 1) + h]);
		frame_json_probe(&p->pub[s], items[s * (nh + 1) + nh]);
	}
	fj->f->probes.value = frame_json_hold(fj, &fj->f->probes.feed, p, feed_probes_free, NULL);
	free(items);
}

/* ---- authentik ---- */

/* true when the section is a failed (or not yet answered) poll's: every
 * host's live unknown, no version, no workers, an error. */
static bool frame_json_authentik_failed(const cJSON *o)
{
	const cJSON *h;
	double d;
	size_t n = 0;

	if (frame_json_string(o, "error") == NULL || frame_json_string(o, "version") != NULL ||
	    frame_json_number(o, "workers", &d))
		return false;
	cJSON_ArrayForEach(h, frame_json_item(o, "hosts")) {
		if (frame_json_bool(h, "live") >= 0 || frame_json_bool(h, "ready") >= 0)
			return false;
		n++;
	}
	return n > 0;
}

static void frame_json_authentik(struct frame_json *fj)
{
	const struct config_authentik *ac = fj->cfg->authentik;
	const cJSON *o = frame_json_item(fj->root, "authentik");
	const char *err = frame_json_string(o, "error"), *version = frame_json_string(o, "version");
	struct feed_authentik *a;
	size_t nh = fj->cfg->nhosts;
	long long n;

	if (ac == NULL)
		return;
	if (!cJSON_IsObject(o))
		return;   /* null: no authentik source */
	frame_json_unpolled(fj, &fj->f->authentik.feed);
	if (frame_json_authentik_failed(o)) {
		(void)frame_json_hold(fj, &fj->f->authentik.feed, NULL, NULL, err);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->nhosts = nh;
	a->hosts = xcalloc(nh + 1, sizeof *a->hosts);
	a->have_url = ac->url != NULL;
	for (size_t h = 0; h < nh; h++) {
		const cJSON *ho = frame_json_item(frame_json_item(o, "hosts"), fj->cfg->hosts[h].name);

		a->hosts[h].live_ms = -1;
		a->hosts[h].live = frame_json_bool(ho, "live") == 1;
		a->hosts[h].ready = frame_json_bool(ho, "ready") == 1;
		a->hosts[h].error = frame_json_text(frame_json_string(ho, "error"));
	}
	a->have_public = ac->public_url != NULL;
	a->pub = (struct authentik_health){ .live = a->have_public, .ready = a->have_public, .live_ms = -1 };
	a->have_api = ac->token.value != NULL;
	authentik_info_init(&a->info);
	if (version != NULL) {
		a->info.have_version = true;
		frame_json_copy(a->info.version.current, sizeof a->info.version.current, version);
	}
	if (frame_json_int(o, "workers", 0, INT_MAX, &n))
		a->info.workers = (int)n;
	if (err != NULL && a->have_public && strncmp(err, "public_url: ", 12) == 0) {
		/* authentik_health_judge's words: "live: ..." or "not ready: ..." */
		a->pub.error = frame_json_text(err + 12);
		a->pub.live = strncmp(err + 12, "live:", 5) != 0;
		a->pub.ready = false;
	} else if (err != NULL) {
		a->info.error = frame_json_text(err);
	}
	fj->f->authentik.value = frame_json_hold(fj, &fj->f->authentik.feed, a, feed_authentik_free,
	                                         NULL);
}

void frame_json_shared(struct frame_json *fj)
{
	const struct config *cfg = fj->cfg;

	frame_json_postgres(fj);
	frame_json_redis(fj);
	frame_json_cloudflare(fj);
	frame_json_probes(fj);
	frame_json_authentik(fj);
	if (cfg->prometheus != NULL && cfg->npanels > 0)
		frame_json_unpolled(fj, &fj->f->panels.feed);
}
