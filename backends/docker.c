#include "backends/docker.h"

#include <errno.h>
#include <stdatomic.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/docker_internal.h"
#include "backends/docker_parse.h"
#include "backends/docker_stats.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define DOCKER_DEFAULT_TIMEOUT_MS 5000
#define DOCKER_DEFAULT_STATS_WORKERS DOCKER_STATS_MAX_WORKERS
#define DOCKER_INSPECT_BUDGET 64          /* inspects per list at most */
#define DOCKER_INSPECT_TIME_MS 500        /* inspects stop after this long in one list */
#define DOCKER_START_TIMEOUT_MS 60000
#define DOCKER_STOP_DEFAULT_WAIT_S 120    /* t unknown: the container's StopTimeout */


struct docker *docker_new(const struct docker_options *opt)
{
	struct docker *d = xcalloc(1, sizeof(*d));

	d->unix_socket = xstrdup(opt->unix_socket);
	d->base_url = xstrdup(opt->base_url != NULL ? opt->base_url : "http://localhost");
	/* "http://localhost/" + "/v1.41/..." would give "//": drop the slash. */
	if (d->base_url[0] != '\0' && d->base_url[strlen(d->base_url) - 1] == '/')
		d->base_url[strlen(d->base_url) - 1] = '\0';
	d->ca_file = xstrdup(opt->tls.ca_file);
	d->cert_file = xstrdup(opt->tls.cert_file);
	d->key_file = xstrdup(opt->tls.key_file);
	d->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : DOCKER_DEFAULT_TIMEOUT_MS;
	d->stats_workers = opt->stats_workers == 0 ? DOCKER_DEFAULT_STATS_WORKERS : opt->stats_workers;
	d->cancel = opt->cancel;
	d->list_stats = true;
	d->http = http_client_new(opt->cancel);
	return d;
}

void docker_free(struct docker *d)
{
	if (d == NULL)
		return;
	docker_stats_pool_free(d->stats);
	http_client_free(d->http);
	free(d->unix_socket);
	free(d->base_url);
	free(d->ca_file);
	free(d->cert_file);
	free(d->key_file);
	free(d->ic);
	free(d);
}

/* ---- requests and their errors ---- */

/* A transport failure in words; the next call negotiates again. */
static void transport_error(struct docker *d, char *why, char **cause)
{
	d->connected = false;
	if (d->unix_socket != NULL && strcmp(why, "cancelled") != 0) {
		if (access(d->unix_socket, F_OK) != 0 && errno == ENOENT) {
			util_set_cause(cause, "docker: no socket at %s (is dockerd running?)",
			               d->unix_socket);
			free(why);
			return;
		}
		if (access(d->unix_socket, R_OK | W_OK) != 0 && errno == EACCES) {
			util_set_cause(cause, "docker: permission denied on %s", d->unix_socket);
			free(why);
			return;
		}
	}
	if (cause != NULL) {
		free(*cause);
		*cause = docker_transport_words(why);
	}
	free(why);
}

/* The daemon's {"message": "..."}, sanitised, or NULL.  Caller frees. */
static char *daemon_message(const struct http_response *resp)
{
	cJSON *root;
	const cJSON *m;
	char *out = NULL;

	if (resp->body.len == 0)
		return NULL;
	root = cJSON_ParseWithLength(resp->body.data, resp->body.len);
	m = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "message") : NULL;
	if (cJSON_IsString(m) && m->valuestring != NULL && m->valuestring[0] != '\0')
		out = util_text_sanitize(m->valuestring, DOCKER_MAX_TEXT);
	cJSON_Delete(root);
	return out;
}

void docker_status_error(const struct http_response *resp, char **cause)
{
	char *msg = daemon_message(resp);

	if (msg != NULL) {
		util_set_cause(cause, "docker: HTTP %ld: %s", resp->status, msg);
	} else {
		char *e = http_status_error(resp);

		util_set_cause(cause, "docker: %s", e);
		free(e);
	}
	free(msg);
}

/* One request.  0 when a response came (check resp->status), -1 with *cause. */
int docker_call(struct docker *d, const struct call *c, struct http_response *resp, char **cause)
{
	char *url = xasprintf("%s%s%s", d->base_url, c->unversioned ? "" : d->prefix, c->path);
	struct http_request req = {
		.method = c->method,
		.url = url,
		.unix_socket = d->unix_socket,
		.connect_timeout_ms = d->timeout_ms,
		.timeout_ms = c->timeout_ms != 0 ? c->timeout_ms : d->timeout_ms,
		.stall_timeout_ms = c->stall_timeout_ms,
		.ca_file = d->ca_file,
		.cert_file = d->cert_file,
		.key_file = d->key_file,
		.on_data = c->on_data,
		.on_data_arg = c->on_data_arg,
	};
	char *why = NULL;
	int rc;

	rc = http_request(d->http, &req, resp, &why);
	free(url);
	if (rc != 0) {
		transport_error(d, why, cause);
		return -1;
	}
	return 0;
}

/* GET that must answer 200: the body in resp. */
static int get_ok(struct docker *d, const char *path, struct http_response *resp, char **cause)
{
	struct call c = { .path = path };

	if (docker_call(d, &c, resp, cause) != 0)
		return -1;
	if (resp->status != 200) {
		docker_status_error(resp, cause);
		return -1;
	}
	return 0;
}

/* ---- version ---- */

int docker_connect(struct docker *d, char **cause)
{
	struct http_response resp;
	struct call ver = { .path = "/version", .unversioned = true };
	struct docker_version v;
	int api, header_api = 0;

	if (d->connected)
		return 0;
	/* /version alone (no /_ping first: one round trip less, which counts
	 * through a slow SSH link); its API-Version header stands in when the
	 * body names no ApiVersion (engines before 1.25) */
	http_response_init(&resp);
	if (docker_call(d, &ver, &resp, cause) != 0)
		goto fail;
	if (resp.status != 200) {
		docker_status_error(&resp, cause);
		goto fail;
	}
	if (resp.api_version != NULL && docker_api_parse(resp.api_version, &header_api) != 0)
		header_api = 0;
	if (docker_parse_version(resp.body.data, resp.body.len, &v, cause) != 0)
		goto fail;
	if (v.api_max == 0)
		v.api_max = header_api;
	/* The daemon's newest, at most the one tested, at least the daemon's oldest. */
	api = v.api_max != 0 && v.api_max < DOCKER_API_PREFERRED ? v.api_max : DOCKER_API_PREFERRED;
	if (v.api_min > api)
		api = v.api_min;
	if (api < DOCKER_API_PREFERRED) {
		util_set_cause(cause, "docker: the engine speaks API %d.%d at most, kitetop needs "
		               "1.41 (Docker 20.10) or newer", api / 1000, api % 1000);
		goto fail;
	}
	d->version = v;
	d->api = api;
	snprintf(d->api_str, sizeof(d->api_str), "%d.%d", api / 1000, api % 1000);
	snprintf(d->prefix, sizeof(d->prefix), "/v%s", d->api_str);
	d->connected = true;
	http_response_done(&resp);
	return 0;
fail:
	http_response_done(&resp);
	return -1;
}

const char *docker_engine_version(const struct docker *d)
{
	return d->connected && d->version.version[0] ? d->version.version : NULL;
}

const char *docker_api_version(const struct docker *d)
{
	return d->connected ? d->api_str : NULL;
}

/* ---- containers ---- */

static int ic_cmp(const void *a, const void *b)
{
	return strcmp(((const struct inspect_entry *)a)->id, ((const struct inspect_entry *)b)->id);
}

/* The cache is sorted by id, but for entries added since the last sort. */
static struct inspect_entry *ic_find_in(struct docker *d, size_t n, const char *id)
{
	struct inspect_entry key;

	util_strlcpy(key.id, id, sizeof(key.id));
	return n == 0 ? NULL : bsearch(&key, d->ic, n, sizeof(*d->ic), ic_cmp);
}

static struct inspect_entry *ic_find(struct docker *d, const char *id)
{
	return ic_find_in(d, d->nic, id);
}

static void ic_add(struct docker *d, const char *id)
{
	struct inspect_entry *e;

	if (d->nic == d->capic) {
		d->capic = d->capic ? d->capic * 2 : 32;
		d->ic = xreallocarray(d->ic, d->capic, sizeof(*d->ic));
	}
	e = &d->ic[d->nic++];
	memset(e, 0, sizeof(*e));
	util_strlcpy(e->id, id, sizeof(e->id));
	e->seen = true;
}

/* 0 fetched, 1 gone (404), -1 failed with *cause. */
static int inspect(struct docker *d, const char *id, struct docker_inspect *out, char **cause)
{
	struct http_response resp;
	struct call c = { .path = NULL };
	char *path = xasprintf("/containers/%s/json", id);
	int rc = -1;

	c.path = path;
	http_response_init(&resp);
	if (docker_call(d, &c, &resp, cause) == 0) {
		if (resp.status == 404)
			rc = 1;
		else if (resp.status != 200)
			docker_status_error(&resp, cause);
		else if (docker_parse_inspect(resp.body.data, resp.body.len, out, cause) == 0)
			rc = 0;
	}
	http_response_done(&resp);
	free(path);
	return rc;
}

/* True when the list's uptime is less than it was at the inspect plus the
 * time since: the container restarted without our seeing another state
 * (`docker restart`, a quick crash and restart).  2 s of slack for the time
 * the requests take. */
static bool restarted_since(const struct inspect_entry *e, const struct docker_container *c,
                            int64_t now)
{
	int64_t lo, hi;

	if (e->up_lo < 0 || docker_uptime_from_status(c->status, &lo, &hi) != 0)
		return false;
	return hi + 2 < e->up_lo + (now - e->fetched_at) / 1000;
}

/* How much a container needs a fresh inspect: 3 never seen, its state
 * changed, it restarted or an event named it (docker_inspect_again()), 2
 * restarting, 0 no need.  No periodic inspect: what the list does not say
 * (restarts, start time) changes only with a state change, a restart the
 * uptime betrays, or an event. */
static int inspect_need(const struct inspect_entry *e, const struct docker_container *c,
                        int64_t now)
{
	if (e == NULL || e->fetched_at <= 0 || e->list_state != c->state ||
	    restarted_since(e, c, now))
		return 3;
	return c->state == DOCKER_STATE_RESTARTING ? 2 : 0;
}

/* Inspects those that need it, the most needed first, within the budget.
 * -1 only on a transport failure (the daemon is gone). */
static int refresh_inspects(struct docker *d, struct docker_container *l, size_t n,
                            char **cause)
{
	int64_t now = time_mono_ms();
	int budget = DOCKER_INSPECT_BUDGET, level;
	size_t i, keep = 0, sorted = d->nic;

	for (i = 0; i < d->nic; i++)
		d->ic[i].seen = false;
	for (i = 0; i < n; i++) {
		struct inspect_entry *e = ic_find_in(d, sorted, l[i].full_id);

		e != NULL ? (void)(e->seen = true) : ic_add(d, l[i].full_id);
	}
	for (i = 0; i < d->nic; i++)   /* forget removed containers */
		if (d->ic[i].seen)
			d->ic[keep++] = d->ic[i];
	d->nic = keep;
	qsort(d->ic, d->nic, sizeof(*d->ic), ic_cmp);

	for (level = 3; level >= 2 && budget > 0; level--) {
		for (i = 0; i < n && budget > 0; i++) {
			struct inspect_entry *e = ic_find(d, l[i].full_id);
			struct docker_inspect in;
			int rc;

			if (inspect_need(e, &l[i], now) != level)
				continue;
			if (time_mono_ms() - now > DOCKER_INSPECT_TIME_MS)
				return 0;   /* the rest at the next list */
			budget--;
			d->inspects++;
			d->again += e->fetched_at < 0;
			rc = inspect(d, l[i].full_id, &in, cause);
			if (rc < 0 && !d->connected)
				return -1;
			if (rc == 0) {
				int64_t lo, hi;

				e->in = in;
				e->list_state = l[i].state;
				e->fetched_at = now;
				e->fetched_real_ms = time_real_ms();
				e->up_lo = docker_uptime_from_status(l[i].status, &lo, &hi) == 0 ? lo : -1;
			}
			/* 404: removed since the list; 500 and bad JSON: try again next time */
			free(*cause);
			*cause = NULL;
		}
	}
	return 0;
}

static void apply_inspect(struct docker *d, struct docker_container *c)
{
	const struct inspect_entry *e = ic_find(d, c->full_id);

	if (e == NULL || e->fetched_at == 0)
		return;
	c->restarts = e->in.restarts;
	c->started_at_ms = e->in.started_at_ms;
	c->tty = e->in.tty;
	if (c->exit_code < 0 && (c->state == DOCKER_STATE_EXITED || c->state == DOCKER_STATE_DEAD))
		c->exit_code = e->in.exit_code;
	/* The list's Status text is live; inspect fills in when it says nothing. */
	if (c->health == DOCKER_HEALTH_NONE && e->list_state == c->state &&
	    c->state == DOCKER_STATE_RUNNING)
		c->health = e->in.health;
}

void docker_fill_stats(struct docker *d, struct docker_container *l, size_t n, const bool *ask)
{
	const char **ids;
	bool *askv;
	size_t i, k = 0;

	if (d->stats_workers < 0 || (d->stats == NULL && n == 0))
		return;
	if (d->stats == NULL) {
		struct docker_options o = {
			.unix_socket = d->unix_socket,
			.base_url = d->base_url,
			.tls = { d->ca_file, d->cert_file, d->key_file },
		};

		d->stats = docker_stats_pool_new(&o, d->stats_workers, d->cancel);
	}
	ids = xreallocarray(NULL, n + 1, sizeof(*ids));
	askv = xreallocarray(NULL, n + 1, sizeof(*askv));
	for (i = 0; i < n; i++)
		if (l[i].state == DOCKER_STATE_RUNNING || l[i].state == DOCKER_STATE_PAUSED) {
			askv[k] = ask == NULL || ask[i];
			ids[k++] = l[i].full_id;
		}
	docker_stats_pool_want(d->stats, ids, askv, k, d->prefix);
	free(askv);
	free(ids);
	for (i = 0; i < n; i++)
		if (l[i].state == DOCKER_STATE_RUNNING || l[i].state == DOCKER_STATE_PAUSED)
			docker_stats_pool_fill(d->stats, &l[i]);
}

/* Process-wide, so that a test can see how often the engines are asked. */
static atomic_long list_requests;

long docker_list_requests(void)
{
	return atomic_load(&list_requests);
}

int docker_list_containers(struct docker *d, struct docker_container **out, size_t *n,
                           char **cause)
{
	struct http_response resp;
	struct docker_container *l = NULL;
	size_t count = 0;
	bool bare = d->bare;

	d->bare = false;
	*out = NULL;
	*n = 0;
	/* bare and not connected yet: unversioned (the engine's own API), and
	 * /version after it, in docker_list_inspect: the list a round trip
	 * sooner */
	if (!bare && docker_connect(d, cause) != 0)
		return -1;
	http_response_init(&resp);
	atomic_fetch_add(&list_requests, 1);
	if (get_ok(d, "/containers/json?all=1", &resp, cause) != 0 ||
	    docker_parse_containers(resp.body.data, resp.body.len, &l, &count, cause) != 0) {
		http_response_done(&resp);
		return -1;
	}
	http_response_done(&resp);
	if (bare)
		d->settled = false;
	else if (docker_list_inspect(d, l, count, cause) != 0) {
		docker_containers_free(l, count);
		return -1;
	}
	*out = l;
	*n = count;
	return 0;
}

void docker_list_bare(struct docker *d)
{
	d->bare = true;
}

int docker_list_inspect(struct docker *d, struct docker_container *l, size_t count, char **cause)
{
	int64_t now;

	if (docker_connect(d, cause) != 0 || refresh_inspects(d, l, count, cause) != 0)
		return -1;
	d->settled = true;
	now = time_mono_ms();
	for (size_t i = 0; i < count; i++) {
		apply_inspect(d, &l[i]);
		/* new, changed or restarting ones not inspected yet (over the
		 * budget): the next call must list again to finish them */
		if (inspect_need(ic_find(d, l[i].full_id), &l[i], now) >= 2)
			d->settled = false;
	}
	if (d->list_stats)
		docker_fill_stats(d, l, count, NULL);
	return 0;
}

void docker_inspect_again(struct docker *d, const char *full_id, int64_t event_ms)
{
	struct inspect_entry *e = ic_find(d, full_id);

	if (e != NULL && e->fetched_at > 0 && (event_ms <= 0 || event_ms + 2000 > e->fetched_real_ms))
		e->fetched_at = -e->fetched_at;   /* what it said stays shown until then */
}

void docker_set_list_stats(struct docker *d, bool on)
{
	d->list_stats = on;
}

void docker_inspect_counts(const struct docker *d, long *all, long *again)
{
	*all = d->inspects;
	*again = d->again;
}

bool docker_list_settled(const struct docker *d)
{
	return d->settled;
}

void docker_options_of(const struct docker *d, struct docker_options *out)
{
	*out = (struct docker_options){
		.unix_socket = d->unix_socket,
		.base_url = d->base_url,
		.tls = { d->ca_file, d->cert_file, d->key_file },
		.timeout_ms = d->timeout_ms,
	};
}

/* Connected, for a container named id_or_name: 0, or -1 and *cause. */
static int connect_for(struct docker *d, const char *id_or_name, char **cause)
{
	if (id_or_name == NULL || id_or_name[0] == '\0') {
		util_set_cause(cause, "docker: no container named");
		return -1;
	}
	return docker_connect(d, cause);
}

/* GET path's body (200) into *body; 404: "no such container id_or_name". */
static int get_body(struct docker *d, const char *path, const char *id_or_name, char **body,
                    size_t *len, char **cause)
{
	struct http_response resp;
	struct call c = { .path = path };
	int rc = -1;

	http_response_init(&resp);
	if (docker_call(d, &c, &resp, cause) == 0) {
		if (resp.status == 404) {
			char *shown = util_text_sanitize(id_or_name, DOCKER_MAX_TEXT);

			util_set_cause(cause, "docker: no such container %s", shown);
			free(shown);
		} else if (resp.status != 200) {
			docker_status_error(&resp, cause);
		} else {
			*len = resp.body.len;
			*body = resp.body.data != NULL ? buf_steal(&resp.body) : xstrdup("");
			rc = 0;
		}
	}
	http_response_done(&resp);
	return rc;
}

int docker_inspect_json(struct docker *d, const char *id_or_name, char **body, size_t *len,
                        char **cause)
{
	char *esc, *path;
	int rc;

	*body = NULL;
	*len = 0;
	if (connect_for(d, id_or_name, cause) != 0)
		return -1;
	esc = http_escape(id_or_name);
	path = xasprintf("/containers/%s/json", esc);
	free(esc);
	rc = get_body(d, path, id_or_name, body, len, cause);
	free(path);
	return rc;
}

int docker_info_json(struct docker *d, char **body, size_t *len, char **cause)
{
	*body = NULL;
	return docker_connect(d, cause) != 0 ? -1 : get_body(d, "/info", "info", body, len, cause);
}

/* ---- actions ---- */

int docker_container_action(struct docker *d, const char *id_or_name, const char *action,
                            int stop_timeout_s, char **cause)
{
	return docker_container_action_answered(d, id_or_name, action, stop_timeout_s, NULL, cause);
}

int docker_container_action_answered(struct docker *d, const char *id_or_name, const char *action,
                                     int stop_timeout_s, bool *answered, char **cause)
{
	struct http_response resp;
	struct call c = { .method = "POST" };
	char *esc, *path, *shown, *msg;
	bool is_start;
	int rc = -1;

	if (answered != NULL)
		*answered = false;
	if (action == NULL || (strcmp(action, "start") != 0 && strcmp(action, "stop") != 0 &&
	                       strcmp(action, "restart") != 0)) {
		util_set_cause(cause, "docker: unknown action %s", action ? action : "(none)");
		return -1;
	}
	if (connect_for(d, id_or_name, cause) != 0)
		return -1;
	is_start = strcmp(action, "start") == 0;
	esc = http_escape(id_or_name);
	if (is_start || stop_timeout_s < 0)
		path = xasprintf("/containers/%s/%s", esc, action);
	else
		path = xasprintf("/containers/%s/%s?t=%d", esc, action, stop_timeout_s);
	free(esc);
	/* The daemon answers stop and restart only after the container stopped:
	 * up to t seconds, then the kill. */
	if (is_start)
		c.timeout_ms = DOCKER_START_TIMEOUT_MS;
	else
		c.timeout_ms = ((long)(stop_timeout_s >= 0 ? stop_timeout_s : DOCKER_STOP_DEFAULT_WAIT_S)
		                + 15) * 1000 + d->timeout_ms;
	c.path = path;
	http_response_init(&resp);
	if (docker_call(d, &c, &resp, cause) != 0)
		goto out;
	if (answered != NULL)
		*answered = true;
	shown = util_text_sanitize(id_or_name, DOCKER_MAX_TEXT);
	msg = daemon_message(&resp);
	switch (resp.status) {
	case 204:
	case 304:   /* already started / stopped */
		rc = 0;
		/* The cache knows ids, not names: inspect all again at the next
		 * list, so that the new StartedAt shows at once (actions are rare). */
		for (size_t i = 0; i < d->nic; i++)
			d->ic[i].fetched_at = 0;
		break;
	case 404:
		util_set_cause(cause, "docker: no such container %s", shown);
		break;
	case 409:
		util_set_cause(cause, "docker: cannot %s %s: %s", action, shown,
		               msg ? msg : "conflict");
		break;
	default:
		docker_status_error(&resp, cause);
		break;
	}
	free(msg);
	free(shown);
out:
	http_response_done(&resp);
	free(path);
	return rc;
}

int docker_container_inspect(struct docker *d, const char *id_or_name, struct docker_inspect *out,
                             char **cause)
{
	char *esc;
	int rc;

	if (connect_for(d, id_or_name, cause) != 0)
		return -1;
	esc = http_escape(id_or_name);
	rc = inspect(d, esc, out, cause);
	free(esc);
	if (rc == 1) {
		char *shown = util_text_sanitize(id_or_name, DOCKER_MAX_TEXT);

		util_set_cause(cause, "docker: no such container %s", shown);
		free(shown);
	}
	return rc == 0 ? 0 : -1;
}
