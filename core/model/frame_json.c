/* frame_json — see frame_json.h.  This half: the document, the helpers both
 * halves use, and each host with its metrics, containers, tunnel and
 * Tailscale.  The shared sections are in frame_json_shared.c.
 *
 * What a host's part of the document leaves out, and what is made of it:
 *   - metrics: no history; the figures' errors are split back from the
 *     section's "error" ("cpu: ...; net: ...") when that is what it holds
 *     (a failed poll's error that reads so is taken for them);
 *   - containers: only what status writes (name, short id, image, image
 *     id, state, health, restarts, started_at, cpu, memory); full_id is the short id,
 *     no status text, exit code, compose labels or memory limit.  A
 *     container "missing" is not one (the views add the configured ones a
 *     host lacks).  For a host that is not reachable the document has no
 *     containers, but its services[] still say each configured one's state
 *     and health as the docker feed last had them: those become the list;
 *   - tunnel: container, state, ready, connections (as readyConnections),
 *     drained; the Cloudflare API's view of the host's connector is applied
 *     from the cloudflare section as the tunnel feed does, and its id taken
 *     as the connectorId of /ready when /ready answered; /ready's status is
 *     200 when ready, 503 when a running connector is not; any other
 *     connector not ready, or whose readiness is unknown, gets the /ready
 *     error "no answer" (the feed always has one then), and a state
 *     "unknown" the docker failure of the host's "error";
 *   - tailscale: installed, backend state, online, own IPs; the version and
 *     the other hosts as peers (direct, relayed, offline) are read back from
 *     "summary"; the peers' IPs and the resolved addresses are not there. */
#include "core/model/frame_json.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/frame_json_internal.h"

/* ---- helpers ---- */

const cJSON *frame_json_item(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

const char *frame_json_string(const cJSON *o, const char *key)
{
	const cJSON *v = frame_json_item(o, key);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

bool frame_json_number(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = frame_json_item(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble != v->valuedouble ||
	    v->valuedouble > 1e300 || v->valuedouble < -1e300)
		return false;
	*out = v->valuedouble;
	return true;
}

bool frame_json_int(const cJSON *o, const char *key, long long min, long long max, long long *out)
{
	double d;

	if (!frame_json_number(o, key, &d) || d < (double)min || d > (double)max)
		return false;
	*out = (long long)d;
	return true;
}

int frame_json_bool(const cJSON *o, const char *key)
{
	const cJSON *v = frame_json_item(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

char *frame_json_text(const char *s)
{
	return util_text_sanitize(s, FRAME_JSON_MAX_TEXT);
}

void frame_json_copy(char *dst, size_t n, const char *s)
{
	char *t = util_text_sanitize(s != NULL ? s : "", n - 1);

	util_strlcpy(dst, t, n);
	free(t);
}

int frame_json_host_index(const struct config *cfg, const char *name)
{
	for (size_t i = 0; name != NULL && i < cfg->nhosts; i++)
		if (strcmp(cfg->hosts[i].name, name) == 0)
			return (int)i;
	return -1;
}

void *frame_json_hold(struct frame_json *fj, struct frame_feed *feed, void *value,
                      snapshot_free_fn free_value, const char *error)
{
	struct frame *f = fj->f;
	struct snapshot *good = NULL, *s;
	char *err;

	frame_json_unpolled(fj, feed);
	if (error != NULL && strcmp(error, FRAME_JSON_NO_ANSWER) == 0) {
		if (value != NULL)
			free_value(value);   /* status writes it for a source not polled, whatever else */
		return NULL;
	}
	err = frame_json_text(error);
	if (value != NULL) {
		good = snapshot_new_value(value, free_value);
		good->fetched_ms = good->last_ok_ms = f->taken_ms;
		good->fetched_mono_ms = f->taken_mono_ms;
		good->seq = 1;
	}
	if (err != NULL) {
		s = snapshot_new_error(err, good);   /* a reference to good of its own */
		snapshot_unref(good);
		s->fetched_ms = f->taken_ms;
		s->fetched_mono_ms = f->taken_mono_ms;
		s->seq = 1;
		free(err);
	} else {
		s = good;
	}
	if (s == NULL)
		return NULL;
	if (f->nrefs >= fj->cap) {   /* never: the room is one per feed */
		snapshot_unref(s);
		return NULL;
	}
	f->refs[f->nrefs++] = s;
	feed->polled = true;
	feed->error = s->error;
	feed->stale = s->error != NULL && s->last_good != NULL;
	feed->value_mono_ms = f->taken_mono_ms;
	feed->polled_mono_ms = f->taken_mono_ms;
	feed->polled_ms = f->taken_ms;
	feed->last_ok_ms = s->last_ok_ms;
	feed->seq = 1;
	return value;
}

void frame_json_unpolled(const struct frame_json *fj, struct frame_feed *feed)
{
	*feed = (struct frame_feed){ .configured = true, .interval_ms = fj->cfg->refresh_ms };
}

/* ---- metrics ---- */

static void frame_json_free_metrics(void *v)
{
	metrics_done(v);
	free(v);
}

/* The figure whose "NAME: " begins s, after figure `after`, not valid and
 * without an error yet; *rest past it.  -1 when none. */
static int frame_json_figure_at(const struct metrics *m, const char *s, int after, const char **rest)
{
	for (int fig = after + 1; fig < METRICS_NFIGURES; fig++) {
		const char *name = metrics_figure_name(fig);
		size_t n = strlen(name);

		if (strncmp(s, name, n) == 0 && s[n] == ':' && s[n + 1] == ' ' && !m->valid[fig] &&
		    m->error[fig] == NULL) {
			*rest = s + n + 2;
			return fig;
		}
	}
	return -1;
}

/* text as the figures' errors, the way status joins them ("cpu: ...; net:
 * ...", in figure order, each naming a figure without a value).  false,
 * with m's errors left unset, when text is not such a list. */
static bool frame_json_figure_errors(struct metrics *m, const char *text)
{
	const char *p = text, *next = NULL;
	int fig = frame_json_figure_at(m, text, -1, &p);

	if (fig < 0)
		return false;
	while (fig >= 0) {
		const char *end = NULL;
		int nf = -1;

		for (const char *q = strstr(p, "; "); q != NULL && nf < 0; q = strstr(q + 1, "; ")) {
			nf = frame_json_figure_at(m, q + 2, fig, &next);
			end = q;
		}
		if (nf < 0)
			end = p + strlen(p);
		m->error[fig] = xstrndup(p, (size_t)(end - p));
		fig = nf;
		p = next;
	}
	return true;
}

static void frame_json_metrics(struct frame_json *fj, struct frame_host *h, const cJSON *o)
{
	static const char *const keys[] = { "cpu_pct", "mem_pct", "disk_pct", "net_rx_bps",
		"net_tx_bps", "load1", "uptime_s" };
	double v[UTIL_ARRAY_LEN(keys)] = { 0 };
	bool have[UTIL_ARRAY_LEN(keys)], any = false;
	const char *src = frame_json_string(o, "source");
	char *err = frame_json_text(frame_json_string(o, "error"));
	struct metrics *m;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
		have[i] = frame_json_number(o, keys[i], &v[i]);
		any = any || have[i];
	}
	if (!cJSON_IsObject(o)) {
		free(err);   /* null: no metrics source */
		return;
	}
	m = xmalloc(sizeof *m);
	metrics_init(m);
	m->origin = src != NULL && strcmp(src, "prometheus") == 0 ? METRICS_FROM_PROMETHEUS :
	            src != NULL && strcmp(src, "ssh") == 0 ? METRICS_FROM_SSH : METRICS_FROM_PROC;
	m->cpu_pct = v[0];
	m->mem_pct = v[1];
	m->disk_pct = v[2];
	m->net_rx_bps = v[3];
	m->net_tx_bps = v[4];
	m->load1 = v[5];
	m->uptime_s = v[6];
	m->valid[METRICS_CPU] = have[0];
	m->valid[METRICS_MEM] = have[1];
	m->valid[METRICS_DISK] = have[2];
	m->valid[METRICS_NET] = have[3] && have[4];
	m->valid[METRICS_LOAD] = have[5];
	m->valid[METRICS_UPTIME] = have[6];
	if (err != NULL && frame_json_figure_errors(m, err)) {
		free(err);   /* the figures' own errors: the poll succeeded */
		err = NULL;
	} else if (err != NULL && !any) {
		frame_json_free_metrics(m);   /* the poll failed: status shows no figures then */
		m = NULL;
	}
	h->metrics.value = frame_json_hold(fj, &h->metrics.feed, m, frame_json_free_metrics, err);
	free(err);
}

/* ---- containers ---- */

/* A container as status writes it: false for one without a name, and for
 * a configured one the host does not have ("missing"). */
static bool frame_json_container(const cJSON *o, struct docker_container *dc)
{
	const char *name = frame_json_string(o, "name"), *state = frame_json_string(o, "state");
	const char *started = frame_json_string(o, "started_at");
	long long n;
	double d;
	int64_t ms;

	if (name == NULL || (state != NULL && strcmp(state, "missing") == 0))
		return false;
	*dc = (struct docker_container){ .restarts = -1, .exit_code = -1, .cpu_pct = -1,
		.mem_bytes = -1, .mem_limit_bytes = -1 };
	dc->name = util_text_sanitize(name, 256);
	frame_json_copy(dc->id, sizeof dc->id, frame_json_string(o, "id"));
	util_strlcpy(dc->full_id, dc->id, sizeof dc->full_id);
	dc->image = frame_json_text(frame_json_string(o, "image"));
	dc->image_id = frame_json_text(frame_json_string(o, "image_id"));
	dc->state = docker_state_parse(state);
	dc->health = docker_health_parse(frame_json_string(o, "health"));
	if (frame_json_int(o, "restarts", 0, INT_MAX, &n))
		dc->restarts = (int)n;
	if (started != NULL && time_parse_iso8601(started, &ms) == 0 && ms > 0)
		dc->started_at_ms = ms;
	if (frame_json_number(o, "cpu_pct", &d) && d >= 0)
		dc->cpu_pct = d;
	if (frame_json_int(o, "mem_bytes", 0, 1LL << 60, &n))
		dc->mem_bytes = n;
	return true;
}

static struct feed_containers *frame_json_containers(const cJSON *arr)
{
	struct feed_containers *c = xcalloc(1, sizeof *c);
	size_t n = (size_t)cJSON_GetArraySize(arr);
	const cJSON *o;

	c->items = xcalloc((n < FRAME_JSON_MAX_ITEMS ? n : FRAME_JSON_MAX_ITEMS) + 1, sizeof *c->items);
	cJSON_ArrayForEach(o, arr) {
		if (c->n >= FRAME_JSON_MAX_ITEMS)
			break;
		if (frame_json_container(o, &c->items[c->n]))
			c->n++;
	}
	return c;
}

/* The JSON of service svc in the document's services[], or NULL. */
static const cJSON *frame_json_service(const struct frame_json *fj, const char *svc)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, frame_json_item(fj->root, "services")) {
		const char *name = frame_json_string(o, "name");

		if (name != NULL && strcmp(name, svc) == 0)
			return o;
	}
	return NULL;
}

/* The containers of an unreachable host from services[].hosts.NAME (state
 * and health of each configured container, as its docker feed last had
 * them), or NULL when no service says. */
static struct feed_containers *frame_json_containers_of_services(const struct frame_json *fj,
                                                                 const char *host)
{
	const struct config *cfg = fj->cfg;
	struct feed_containers *c = xcalloc(1, sizeof *c);
	bool said = false;

	c->items = xcalloc(cfg->nservices + 1, sizeof *c->items);
	for (size_t s = 0; s < cfg->nservices; s++) {
		const cJSON *svc = frame_json_service(fj, cfg->services[s].name);
		const cJSON *ho = frame_json_item(frame_json_item(svc, "hosts"), host);
		const char *state = frame_json_string(ho, "state");
		struct docker_container *dc = &c->items[c->n];

		if (state == NULL)
			continue;
		said = true;
		if (strcmp(state, "missing") == 0 ||
		    feed_containers_find(c, cfg->services[s].container) != NULL)
			continue;
		*dc = (struct docker_container){ .restarts = -1, .exit_code = -1, .cpu_pct = -1,
			.mem_bytes = -1, .mem_limit_bytes = -1 };
		dc->name = xstrdup(cfg->services[s].container);
		dc->state = docker_state_parse(state);
		dc->health = docker_health_parse(frame_json_string(ho, "health"));
		c->n++;
	}
	if (!said) {
		feed_containers_free(c);
		return NULL;
	}
	return c;
}

static void frame_json_docker(struct frame_json *fj, struct frame_host *h, const cJSON *ho)
{
	const cJSON *arr = frame_json_item(ho, "containers");
	const char *err = h->reach.connected ? frame_json_string(ho, "error") : NULL;
	struct feed_containers *c = NULL;

	if (h->cfg->docker == CONFIG_DOCKER_NONE || h->cfg->docker == CONFIG_DOCKER_DEFAULT)
		return;
	if (err != NULL && strcmp(err, "docker: " FRAME_JSON_NO_ANSWER) == 0)
		err = FRAME_JSON_NO_ANSWER;   /* verdict_docker_error's words for no poll yet */
	if (cJSON_IsArray(arr))
		c = frame_json_containers(arr);
	else if (!h->reach.connected)
		c = frame_json_containers_of_services(fj, h->name);
	else if (err == NULL)
		return;   /* reachable, no containers, no error: no docker source */
	if (c == NULL && err == NULL) {
		frame_json_unpolled(fj, &h->docker.feed);
		return;
	}
	h->docker.value = frame_json_hold(fj, &h->docker.feed, c, feed_containers_free, err);
}

/* ---- tunnel ---- */

static void frame_json_free_tunnel(void *v)
{
	free(v);
}

static void frame_json_tunnel(struct frame_json *fj, size_t i, struct frame_host *h, const cJSON *o,
                              const char *docker_error)
{
	const struct frame *f = fj->f;
	struct tunnel_state *ts;
	long long n;
	bool running;

	if (h->cfg->tunnel_container == NULL || h->cfg->tunnel_container[0] == '\0')
		return;
	if (!cJSON_IsObject(o))
		return;   /* null: no tunnel source */
	ts = xmalloc(sizeof *ts);
	tunnel_state_init(ts, h->cfg->tunnel_container);
	if (frame_json_string(o, "container") != NULL)
		frame_json_copy(ts->container, sizeof ts->container, frame_json_string(o, "container"));
	if (frame_json_string(o, "state") != NULL)
		frame_json_copy(ts->docker_state, sizeof ts->docker_state, frame_json_string(o, "state"));
	ts->ready = frame_json_bool(o, "ready");
	if (frame_json_int(o, "connections", 0, INT_MAX, &n))
		ts->ready_connections = (int)n;
	ts->drained = frame_json_bool(o, "drained") == 1;
	ts->checked_ms = f->taken_ms;
	running = strcmp(ts->docker_state, "running") == 0;
	if (strcmp(ts->docker_state, "unknown") == 0 && docker_error != NULL)
		frame_json_copy(ts->docker_error, sizeof ts->docker_error, docker_error);
	if (ts->ready == 1)
		ts->ready_status = 200;
	else if (ts->ready == 0 && running)
		ts->ready_status = 503;
	else
		util_strlcpy(ts->ready_error, "no answer", sizeof ts->ready_error);
	if (f->cloudflare.feed.configured) {
		const struct frame_feed *cf = &f->cloudflare.feed;

		if (cf->polled && cf->error == NULL)
			tunnel_apply_cloudflare(ts, f->cloudflare.value, (int)i, NULL);
		else
			tunnel_apply_cloudflare(ts, NULL, 0, cf->polled ? cf->error : FRAME_JSON_NO_ANSWER);
		if (ts->api_listed == 1 && ts->ready != -1)
			util_strlcpy(ts->connector_id, ts->api_connector, sizeof ts->connector_id);
	}
	h->tunnel.value = frame_json_hold(fj, &h->tunnel.feed, ts, frame_json_free_tunnel, NULL);
}

/* ---- tailscale ---- */

static void frame_json_free_tailscale(void *v)
{
	feed_tailscale_done(v);
	free(v);
}

/* One " · NAME PATH" of the summary (seg, n bytes) as a peer of v, when NAME
 * is a configured host other than i. */
static void frame_json_tailscale_peer(const struct config *cfg, size_t i, struct feed_tailscale *v,
                                      const char *seg, size_t n)
{
	for (size_t k = 0; k < cfg->nhosts; k++) {
		const char *name = cfg->hosts[k].name, *path;
		size_t ln = strlen(name), pn;
		struct tailscale_node *p;

		if (k == i || n <= ln || strncmp(seg, name, ln) != 0 || seg[ln] != ' ')
			continue;
		path = seg + ln + 1;
		pn = n - ln - 1;
		if (pn == 14 && strncmp(path, "not in tailnet", pn) == 0)
			return;
		p = &v->st.peers[v->st.n_peers++];
		memset(p, 0, sizeof *p);
		util_strlcpy(p->host_name, name, sizeof p->host_name);
		p->online = !(pn == 7 && strncmp(path, "offline", pn) == 0);
		p->direct = pn == 6 && strncmp(path, "direct", pn) == 0;
		if (pn > 6 && strncmp(path, "relay ", 6) == 0) {
			char region[sizeof p->relay];

			snprintf(region, sizeof region, "%.*s", (int)(pn - 6), path + 6);
			frame_json_copy(p->relay, sizeof p->relay, region);
		}
		return;
	}
}

/* What feed_tailscale_line wrote for a running Tailscale, read back: the
 * version, whether the node has a Self (the line says "online" for a node
 * without one), and each other configured host as a peer with its path. */
static void frame_json_tailscale_summary(const struct config *cfg, size_t i, struct feed_tailscale *v,
                                         const char *line, bool online)
{
	static const char dot[] = " \xc2\xb7 ";
	const char *p;
	size_t n;

	v->st.self.online = online;
	v->st.has_self = online || v->st.self.n_ips > 0;
	if (line == NULL || strncmp(line, "tailscale ", 10) != 0)
		return;   /* "tailscale: NeedsLogin", "tailscale: not installed" */
	p = line + 10;
	n = strcspn(p, " ");
	if (n < sizeof v->st.version) {
		char version[sizeof v->st.version];

		snprintf(version, sizeof version, "%.*s", (int)n, p);
		frame_json_copy(v->st.version, sizeof v->st.version, version);
	}
	p += n;
	n = strlen(v->st.self.ips[0]);
	if (v->st.self.n_ips > 0 && p[0] == ' ' && strncmp(p + 1, v->st.self.ips[0], n) == 0)
		p += n + 1;
	if (strncmp(p, " online", 7) == 0) {
		p += 7;
		v->st.has_self = online;   /* "online" while "online" is false: no Self */
	} else if (strncmp(p, " offline", 8) == 0) {
		p += 8;
		v->st.has_self = true;
	} else {
		return;
	}
	v->st.peers = xcalloc(cfg->nhosts + 1, sizeof *v->st.peers);
	while (strncmp(p, dot, sizeof dot - 1) == 0) {
		const char *end;

		p += sizeof dot - 1;
		end = strstr(p, dot);
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (v->st.n_peers < cfg->nhosts)
			frame_json_tailscale_peer(cfg, i, v, p, n);
		p += n;
	}
}

static void frame_json_tailscale(struct frame_json *fj, size_t i, struct frame_host *h, const cJSON *o)
{
	int installed = frame_json_bool(o, "installed"), online = frame_json_bool(o, "online");
	const char *err = frame_json_string(o, "error");
	const cJSON *ip;
	struct feed_tailscale *v = NULL;

	if (h->cfg->ssh == NULL || !cJSON_IsObject(o))
		return;   /* null: no tailscale source */
	if (installed < 0 && err == NULL) {
		frame_json_unpolled(fj, &h->tailscale.feed);
		return;
	}
	if (installed >= 0) {
		v = xmalloc(sizeof *v);
		feed_tailscale_init(v);
		v->installed = installed == 1;
	}
	if (v != NULL && v->installed) {
		frame_json_copy(v->st.backend_state, sizeof v->st.backend_state,
		                frame_json_string(o, "backend_state"));
		cJSON_ArrayForEach(ip, frame_json_item(o, "ips")) {
			if (cJSON_IsString(ip) && v->st.self.n_ips < TAILSCALE_MAX_IPS)
				frame_json_copy(v->st.self.ips[v->st.self.n_ips++], TAILSCALE_IP_LEN,
				                ip->valuestring);
		}
		frame_json_tailscale_summary(fj->cfg, i, v, frame_json_string(o, "summary"), online == 1);
	}
	h->tailscale.value = frame_json_hold(fj, &h->tailscale.feed, v, frame_json_free_tailscale, err);
}

/* ---- hosts ---- */

static void frame_json_host(struct frame_json *fj, size_t i, const cJSON *ho)
{
	struct frame_host *h = &fj->f->hosts[i];
	int reachable = frame_json_bool(ho, "reachable");
	const char *err = frame_json_string(ho, "error");
	long long rtt;

	h->reach = (struct fleet_reach){ .known = reachable >= 0, .connected = reachable == 1,
		.rtt_ms = -1 };
	if (!h->reach.connected && err != NULL && strcmp(err, "ssh: connecting") != 0)
		frame_json_copy(h->reach.error, sizeof h->reach.error, err);
	if (frame_json_int(ho, "ssh_rtt_ms", 0, INT_MAX, &rtt))
		h->reach.rtt_ms = (int)rtt;
	/* every host has a metrics source: Prometheus, /proc, or /proc over SSH */
	frame_json_metrics(fj, h, frame_json_item(ho, "metrics"));
	frame_json_docker(fj, h, ho);
	frame_json_tunnel(fj, i, h, frame_json_item(ho, "tunnel"),
	                  h->reach.connected ? err : NULL);
	frame_json_tailscale(fj, i, h, frame_json_item(ho, "tailscale"));
}

/* Each host of the document into its configured host.  -1 and *cause for
 * a host the configuration lacks or one listed twice. */
static int frame_json_hosts(struct frame_json *fj, const cJSON *hosts, char **cause)
{
	bool *seen = xcalloc(fj->cfg->nhosts + 1, sizeof *seen);
	const cJSON *ho;

	cJSON_ArrayForEach(ho, hosts) {
		const char *name = frame_json_string(ho, "name");
		int i = frame_json_host_index(fj->cfg, name);

		if (name == NULL)
			continue;
		if (i < 0 || seen[i]) {
			char *shown = util_text_sanitize(name, 64);

			util_set_cause(cause, i < 0 ? "status JSON: host \"%s\" is not in the configuration" :
			               "status JSON: host \"%s\" is listed twice", shown);
			free(shown);
			free(seen);
			return -1;
		}
		seen[i] = true;
		frame_json_host(fj, (size_t)i, ho);
	}
	free(seen);
	return 0;
}

int frame_json_read(struct frame *f, const struct config *cfg, const char *json, size_t len,
                    char **cause)
{
	struct frame_json fj = { .f = f, .cfg = cfg };
	const char *when;
	cJSON *root;
	int64_t ms;

	frame_init(f, cfg);
	if (json == NULL || len > FRAME_JSON_MAX_BYTES) {
		util_set_cause(cause, "status JSON: %s", json == NULL ? "none" : "over 64 MB");
		frame_release(f);
		return -1;
	}
	root = cJSON_ParseWithLength(json, len);
	if (!cJSON_IsObject(root) || !cJSON_IsArray(frame_json_item(root, "hosts"))) {
		util_set_cause(cause, "status JSON: %s", root == NULL ? "not JSON" :
		               !cJSON_IsObject(root) ? "not an object" : "no \"hosts\" array");
		cJSON_Delete(root);
		frame_release(f);
		return -1;
	}
	when = frame_json_string(root, "generated_at");
	if (when != NULL && time_parse_iso8601(when, &ms) == 0 && ms > 0)
		f->taken_ms = ms;
	fj.root = root;
	fj.cap = cfg->nhosts * 4 + 8 + 2 * FRAME_JSON_MAX_CLUSTERS;
	f->refs = xcalloc(fj.cap, sizeof *f->refs);
	frame_json_shared(&fj);   /* first: the tunnels apply the cloudflare section */
	if (frame_json_hosts(&fj, frame_json_item(root, "hosts"), cause) != 0) {
		cJSON_Delete(root);
		frame_release(f);
		return -1;
	}
	frame_json_clusters(&fj);
	cJSON_Delete(root);
	return 0;
}
