/* lab — see lab.h. */
#include "core/lab.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/http.h"
#include "backends/localhost.h"
#include "backends/postgres.h"
#include "backends/prometheus.h"
#include "backends/redis.h"
#include "backends/transport_ssh.h"
#include "core/metrics.h"
#include "core/timeutil.h"
#include "core/util.h"

/* A first sample is taken when the thread starts and the first poll waits
 * this long, so that the first published CPU and network figures are rates
 * over a real interval and `kitetop status` has them. */
#define LAB_PROC_BASELINE_MS 250

static void *proc_thread_init(void *arg, const atomic_int *cancel)
{
	struct localhost *lh = localhost_new("/proc", "/");
	struct metrics m;

	metrics_init(&m);
	localhost_sample(lh, &m);   /* the baseline for rates */
	metrics_done(&m);
	return lh;
}

static int proc_poll(void *state, void **value, char **cause)
{
	struct metrics *m = xmalloc(sizeof *m);

	metrics_init(m);
	localhost_sample(state, m);
	*value = m;
	return 0;   /* figures that failed carry their own errors */
}

static void proc_thread_done(void *state)
{
	localhost_free(state);
}

static void metrics_free_value(void *v)
{
	metrics_done(v);
	free(v);
}

static const struct source_ops proc_source_ops = {
	.kind = "metrics",
	.thread_init = proc_thread_init,
	.poll = proc_poll,
	.thread_done = proc_thread_done,
	.free_value = metrics_free_value,
};

/* ---- the docker source: one per host, through its SSH tunnel or a socket */

struct lab_docker_state {
	struct lab_host *host;
	struct docker *d;
	char *setup_error;          /* the endpoint could not be made */
	const atomic_int *cancel;
	int timeout_ms;
};

struct docker_arg {
	struct lab_host *host;
	int timeout_ms;
};

struct docker *lab_docker_open(struct lab_host *host, int timeout_ms, int stats_workers,
                               const atomic_int *cancel, char **cause)
{
	const struct config_host *h = host->cfg;
	struct docker_options opt = { .timeout_ms = timeout_ms, .cancel = cancel,
	                              .stats_workers = stats_workers };
	char *sock = NULL, *url = NULL;
	struct docker *d;

	switch (h->docker) {
	case CONFIG_DOCKER_SSH: {
		const char *path;

		if (host->ssh == NULL) {
			util_set_cause(cause, "%s", host->ssh_error != NULL ? host->ssh_error : "no SSH session");
			return NULL;
		}
		path = transport_ssh_docker_socket(host->ssh, cause);
		if (path == NULL)
			return NULL;
		sock = xstrdup(path);
		url = xstrdup("http://localhost");
		if (stats_workers > LAB_SSH_STATS_WORKERS || stats_workers == 0)
			opt.stats_workers = LAB_SSH_STATS_WORKERS;
		break;
	}
	case CONFIG_DOCKER_UNIX:
		sock = xstrdup(h->docker_url);
		url = xstrdup("http://localhost");
		break;
	case CONFIG_DOCKER_TCP: {
		char *spec = xasprintf("tcp://%s", h->docker_url != NULL ? h->docker_url : "");
		int rc = docker_endpoint_parse(spec, h->tls_cert != NULL || h->tls_ca != NULL,
		                               &sock, &url, cause);

		free(spec);
		if (rc == -1)
			return NULL;
		opt.tls.ca_file = h->tls_ca;
		opt.tls.cert_file = h->tls_cert;
		opt.tls.key_file = h->tls_key;
		break;
	}
	default:
		util_set_cause(cause, "%s has no Docker engine configured (docker = none)", host->name);
		return NULL;
	}
	opt.unix_socket = sock;
	opt.base_url = url;
	d = docker_new(&opt);   /* copies the strings */
	free(sock);
	free(url);
	return d;
}

static void *docker_thread_init(void *arg, const atomic_int *cancel)
{
	struct docker_arg *a = arg;
	struct lab_docker_state *st = xcalloc(1, sizeof *st);

	st->host = a->host;
	st->cancel = cancel;
	st->timeout_ms = a->timeout_ms;
	st->d = lab_docker_open(a->host, a->timeout_ms, 0, cancel, &st->setup_error);
	return st;
}

const struct docker_container *lab_containers_find(const struct lab_containers *c, const char *name)
{
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

struct docker_container lab_missing_container(const char *name)
{
	return (struct docker_container){
		.name = (char *)(uintptr_t)name, .state = DOCKER_STATE_MISSING,
		.health = DOCKER_HEALTH_NONE, .restarts = -1, .exit_code = -1,
		.cpu_pct = -1, .mem_bytes = -1, .mem_limit_bytes = -1,
	};
}

static void lab_containers_free(void *v)
{
	struct lab_containers *c = v;

	docker_containers_free(c->items, c->n);
	free(c->engine_version);
	free(c);
}

static int docker_poll(void *state, void **value, char **cause)
{
	struct lab_docker_state *st = state;
	struct lab_containers *c;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "%s", st->setup_error);
		return -1;
	}
	if (st->host->ssh != NULL) {
		struct transport_ssh_status ss;

		int64_t deadline = time_mono_ms() + st->timeout_ms;

		/* the first connection attempt is under way: wait for it (bounded),
		 * so that the first snapshot is the containers, not "connecting" */
		transport_ssh_status(st->host->ssh, &ss);
		while (!ss.connected && ss.since_ms == 0 && time_mono_ms() < deadline &&
		       !atomic_load(st->cancel)) {
			time_sleep_ms(20);
			transport_ssh_status(st->host->ssh, &ss);
		}
		if (!ss.connected) {
			util_set_cause(cause, "%s", ss.error[0] != '\0' ? ss.error : "ssh: connecting");
			return -1;
		}
	}
	c = xcalloc(1, sizeof *c);
	if (docker_list_containers(st->d, &c->items, &c->n, cause) == -1) {
		struct transport_ssh_status ss;

		free(c);
		/* a dial-stdio tunnel that failed says why on the remote side
		 * ("Cannot connect to the Docker daemon ..."): that beats "closed" */
		if (st->host->ssh != NULL && cause != NULL && *cause != NULL &&
		    strstr(*cause, "connection closed") != NULL) {
			transport_ssh_status(st->host->ssh, &ss);
			/* only the Docker tunnel's own failure, not another tunnel's */
			if (ss.connected && strstr(ss.error, "dial-stdio") != NULL)
				util_set_cause(cause, "docker: %s", ss.error);
		}
		return -1;
	}
	c->engine_version = xstrdup(docker_engine_version(st->d));
	*value = c;
	return 0;
}

static void docker_thread_done(void *state)
{
	struct lab_docker_state *st = state;

	docker_free(st->d);
	free(st->setup_error);
	free(st);
}

static const struct source_ops docker_source_ops = {
	.kind = "docker",
	.thread_init = docker_thread_init,
	.poll = docker_poll,
	.thread_done = docker_thread_done,
	.free_value = lab_containers_free,
};

void lab_host_reach(const struct lab_host *h, struct lab_reach *out)
{
	struct transport_ssh_status ss;

	*out = (struct lab_reach){ .rtt_ms = -1 };
	if (h->local) {
		out->known = out->connected = true;
		return;
	}
	if (h->ssh == NULL) {
		out->known = true;
		util_strlcpy(out->error, h->ssh_error != NULL ? h->ssh_error : "no SSH session",
		             sizeof out->error);
		return;
	}
	transport_ssh_status(h->ssh, &ss);
	out->known = ss.since_ms != 0;
	out->connected = ss.connected;
	out->rtt_ms = ss.connected ? ss.rtt_ms : -1;
	out->since_ms = ss.since_ms;
	if (!ss.connected)
		util_strlcpy(out->error, ss.error, sizeof out->error);
}

/* ---- the prometheus source: one per host with a prom_selector ------------ */

struct prom_arg {
	struct lab *lab;
	struct lab_host *host;
};

struct prom_state {
	struct prom_arg *arg;
	struct http_client *http;
	struct prom_client client;
	char *url, *sock;
	char *setup_error;
};

static void *prom_thread_init(void *arg, const atomic_int *cancel)
{
	struct prom_arg *a = arg;
	struct prom_state *st = xcalloc(1, sizeof *st);
	const struct config_prometheus *pc = a->lab->cfg->prometheus;
	char *cause = NULL;

	st->arg = a;
	st->http = http_client_new(cancel);
	if (lab_http_endpoint(a->lab, pc->via, pc->url, &st->url, &st->sock, &cause) == -1)
		st->setup_error = cause;
	st->client = (struct prom_client){
		.http = st->http, .base_url = st->url, .unix_socket = st->sock,
		.bearer_token = pc->token.value, .basic_user = pc->user,
		.basic_password = pc->password.value, .ca_file = pc->tls_ca,
		.insecure = pc->insecure, .timeout_ms = a->lab->cfg->timeout_ms,
	};
	return st;
}

static int prom_poll(void *state, void **value, char **cause)
{
	struct prom_state *st = state;
	struct metrics *m;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "prometheus: %s", st->setup_error);
		return -1;
	}
	m = xmalloc(sizeof *m);
	metrics_init(m);
	if (prom_host_metrics(&st->client, st->arg->host->cfg->prom_selector, m, cause) == -1) {
		metrics_done(m);
		free(m);
		return -1;
	}
	*value = m;
	return 0;
}

static void prom_thread_done(void *state)
{
	struct prom_state *st = state;

	http_client_free(st->http);
	free(st->url);
	free(st->sock);
	free(st->setup_error);
	free(st);
}

static const struct source_ops prom_source_ops = {
	.kind = "prometheus",
	.thread_init = prom_thread_init,
	.poll = prom_poll,
	.thread_done = prom_thread_done,
	.free_value = metrics_free_value,
};

/* The host named via (NULL: none), or NULL with *cause when there is none. */
static struct lab_host *lab_via(struct lab *lab, const char *via, char **cause)
{
	for (size_t i = 0; via != NULL && i < lab->nhosts; i++)
		if (strcmp(lab->hosts[i].name, via) == 0)
			return &lab->hosts[i];
	if (via != NULL)
		util_set_cause(cause, "no host named %s", via);
	return NULL;
}

/* ---- the postgres source (the shared database) ---------------------------- */

struct pg_state {
	struct lab *lab;
	const atomic_int *cancel;
	struct pg_conn *conn;
};

static void *pg_thread_init(void *arg, const atomic_int *cancel)
{
	struct pg_state *st = xcalloc(1, sizeof *st);

	st->lab = arg;
	st->cancel = cancel;
	return st;
}

/* host and port of a conninfo (libpq's own parser); defaults localhost:5432. */
static void lab_conninfo_endpoint(const char *conninfo, char **host, int *port)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL), *o;

	*host = NULL;
	*port = 5432;
	for (o = opts; o != NULL && o->keyword != NULL; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "hostaddr") == 0 || (strcmp(o->keyword, "host") == 0 && *host == NULL)) {
			free(*host);
			*host = xstrdup(o->val);
		} else if (strcmp(o->keyword, "port") == 0) {
			*port = atoi(o->val);
		}
	}
	PQconninfoFree(opts);
	if (*host == NULL)
		*host = xstrdup("localhost");
}

static void pg_status_free_value(void *v)
{
	pg_status_done(v);
	free(v);
}

static int pg_source_poll(void *state, void **value, char **cause)
{
	struct pg_state *st = state;
	const struct config_postgres *pc = st->lab->cfg->postgres;
	struct pg_status *ps;

	if (st->conn == NULL) {
		struct lab_host *via = lab_via(st->lab, pc->via, cause);
		char *dir = NULL;

		if (pc->via != NULL && via == NULL)
			return -1;
		if (via != NULL && via->ssh != NULL) {
			char *host;
			int port;

			lab_conninfo_endpoint(pc->conninfo, &host, &port);
			dir = transport_ssh_forward_dir(via->ssh, host, port, cause);
			free(host);
			if (dir == NULL)
				return -1;
		}
		st->conn = pg_open(pc->conninfo, dir, pc->password.value, st->lab->cfg->timeout_ms,
		                   st->cancel, cause);
		free(dir);
		if (st->conn == NULL)
			return -1;
	}
	ps = xmalloc(sizeof *ps);
	pg_status_init(ps);
	if (pg_poll(st->conn, pc->show_queries, ps, cause) == -1) {
		pg_status_free_value(ps);
		pg_close(st->conn);    /* broken: open anew next time */
		st->conn = NULL;
		return -1;
	}
	*value = ps;
	return 0;
}

static void pg_thread_done(void *state)
{
	struct pg_state *st = state;

	pg_close(st->conn);
	free(st);
}

static const struct source_ops pg_source_ops = {
	.kind = "postgres",
	.thread_init = pg_thread_init,
	.poll = pg_source_poll,
	.thread_done = pg_thread_done,
	.free_value = pg_status_free_value,
};

/* ---- the redis source --------------------------------------------------- */

static void redis_status_free_value(void *v)
{
	redis_status_done(v);
	free(v);
}

static int redis_source_poll(void *state, void **value, char **cause)
{
	struct lab *lab = state;
	const struct config_redis *rc = lab->cfg->redis;
	struct lab_host *via = lab_via(lab, rc->via, cause);
	struct redis_target t = { .user = rc->user, .password = rc->password.value };
	const char *colon = strrchr(rc->address, ':');
	char *host = colon != NULL ? xstrndup(rc->address, (size_t)(colon - rc->address)) :
	             xstrdup(rc->address);
	char *sock = NULL;
	struct redis_status *rs;
	int rv;

	t.port = colon != NULL ? atoi(colon + 1) : 6379;
	t.host = host;
	if (rc->via != NULL && via == NULL) {
		free(host);
		return -1;
	}
	if (via != NULL && via->ssh != NULL) {
		sock = transport_ssh_forward(via->ssh, host, t.port, cause);   /* the same socket each time */
		if (sock == NULL) {
			free(host);
			return -1;
		}
		t.unix_path = sock;
	}
	rs = xmalloc(sizeof *rs);
	redis_status_init(rs);
	rv = redis_poll(&t, lab->cfg->timeout_ms, rs, cause);
	free(host);
	free(sock);
	if (rv == -1) {
		redis_status_free_value(rs);
		return -1;
	}
	*value = rs;
	return 0;
}

static const struct source_ops redis_source_ops = {
	.kind = "redis",
	.poll = redis_source_poll,
	.free_value = redis_status_free_value,
};

/* ---- the cloudflare source: the tunnel's connectors, matched to hosts ----- */

struct cf_state {
	struct lab *lab;
	struct http_client *http;
};

static void *cf_thread_init(void *arg, const atomic_int *cancel)
{
	struct cf_state *st = xcalloc(1, sizeof *st);

	st->lab = arg;
	st->http = http_client_new(cancel);
	return st;
}

/* The connectorId a host's cloudflared reports at its /ready (through that
 * host), into id; "" when it has none or does not answer. */
static void cf_host_connector(struct cf_state *st, struct lab_host *h, char *id, size_t n)
{
	char *url = NULL, *sock = NULL, *cause = NULL;
	struct http_request req = { 0 };
	struct http_response resp;
	struct cf_ready ready;

	id[0] = '\0';
	if (h->cfg->tunnel_ready == NULL ||
	    lab_http_endpoint(st->lab, h->name, h->cfg->tunnel_ready, &url, &sock, &cause) == -1) {
		free(cause);
		return;
	}
	http_response_init(&resp);
	req.url = url;
	req.unix_socket = sock;
	req.timeout_ms = st->lab->cfg->timeout_ms;
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
	const struct config_cloudflare *cc = st->lab->cfg->cloudflare;
	size_t n = st->lab->nhosts;
	struct cf_host *hosts = xcalloc(n + 1, sizeof *hosts);
	char (*ids)[CF_ID_LEN] = xcalloc(n + 1, sizeof *ids);
	struct cf_tunnel *t = xmalloc(sizeof *t);
	int rc;

	cf_tunnel_init(t);
	rc = cf_fetch(st->http, cc->api_url, cc->account_id, cc->tunnel_id, cc->token.value, t, cause);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			struct lab_host *h = &st->lab->hosts[i];

			cf_host_connector(st, h, ids[i], sizeof ids[i]);
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
};

static void lab_add_source(struct lab *lab, struct source *s)
{
	lab->sources = xreallocarray(lab->sources, lab->nsources + 1, sizeof *lab->sources);
	lab->sources[lab->nsources++] = s;
}

static void lab_add_shared(struct lab *lab, struct wake *wake);

struct lab *lab_new(const struct config *cfg, struct wake *wake)
{
	struct lab *lab = xcalloc(1, sizeof *lab);

	lab->cfg = cfg;
	lab->wake = wake;
	lab->nhosts = cfg->nhosts;
	lab->hosts = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *lab->hosts);
	lab->docker_args = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *lab->docker_args);
	lab->prom_args = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *lab->prom_args);
	for (size_t i = 0; i < cfg->nhosts; i++) {
		lab->docker_args[i].host = &lab->hosts[i];
		lab->docker_args[i].timeout_ms = cfg->timeout_ms;
	}
	for (size_t i = 0; i < cfg->nhosts; i++) {
		struct lab_host *h = &lab->hosts[i];

		h->cfg = &cfg->hosts[i];
		h->name = h->cfg->name;
		h->local = h->cfg->ssh == NULL;
		if (!h->local) {
			char *cause = NULL;

			h->ssh = transport_ssh_new(h->name, h->cfg, cfg->timeout_ms, &cause);
			if (h->ssh == NULL)
				h->ssh_error = cause;
		}
		if (h->cfg->docker != CONFIG_DOCKER_NONE && h->cfg->docker != CONFIG_DOCKER_DEFAULT) {
			char *name = xasprintf("%s/docker", h->name);
			struct source_params p = { .name = name, .interval_ms = cfg->refresh_ms };

			h->docker = source_new(&p, &docker_source_ops, &lab->docker_args[i], wake);
			lab_add_source(lab, h->docker);
			free(name);
		}
		if (cfg->prometheus != NULL && h->cfg->prom_selector != NULL) {
			char *name = xasprintf("%s/prometheus", h->name);
			struct source_params p = { .name = name, .interval_ms = cfg->refresh_ms };

			lab->prom_args[i] = (struct prom_arg){ .lab = lab, .host = h };
			h->metrics = source_new(&p, &prom_source_ops, &lab->prom_args[i], wake);
			lab_add_source(lab, h->metrics);
			free(name);
		} else if (h->local) {
			char *name = xasprintf("%s/metrics", h->name);
			struct source_params p = {
				.name = name,
				.interval_ms = cfg->refresh_ms,
				.first_delay_ms = LAB_PROC_BASELINE_MS,
			};

			h->metrics = source_new(&p, &proc_source_ops, NULL, wake);
			lab_add_source(lab, h->metrics);
			free(name);
		}
	}
	lab_add_shared(lab, wake);
	return lab;
}

static void lab_add_shared(struct lab *lab, struct wake *wake)
{
	const struct config *cfg = lab->cfg;

	if (cfg->postgres != NULL) {
		struct source_params p = { .name = "postgres", .interval_ms = cfg->refresh_ms };

		lab->postgres = source_new(&p, &pg_source_ops, lab, wake);
		lab_add_source(lab, lab->postgres);
	}
	if (cfg->cloudflare != NULL) {
		struct source_params p = { .name = "cloudflare", .interval_ms = cfg->cloudflare->refresh_ms };

		lab->cloudflare = source_new(&p, &cf_source_ops, lab, wake);
		lab_add_source(lab, lab->cloudflare);
	}
	if (cfg->redis != NULL) {
		struct source_params p = { .name = "redis", .interval_ms = cfg->refresh_ms };

		lab->redis = source_new(&p, &redis_source_ops, lab, wake);
		lab_add_source(lab, lab->redis);
	}
}

int lab_start(struct lab *lab, char **cause)
{
	for (size_t i = 0; i < lab->nhosts; i++) {
		struct lab_host *h = &lab->hosts[i];

		if (h->ssh != NULL && transport_ssh_start(h->ssh, cause) == -1)
			return -1;
	}
	for (size_t i = 0; i < lab->nsources; i++)
		if (source_start(lab->sources[i], cause) == -1)
			return -1;
	return 0;
}

bool lab_stop(struct lab *lab)
{
	int64_t deadline = time_mono_ms() + LAB_STOP_MS;
	bool all = true;

	for (size_t i = 0; i < lab->nsources; i++)
		source_stop(lab->sources[i]);
	for (size_t i = 0; i < lab->nsources; i++)
		if (source_join(lab->sources[i], deadline) == -1)
			all = false;
	return all;
}

void lab_free(struct lab *lab)
{
	if (lab == NULL)
		return;
	lab_stop(lab);
	for (size_t i = 0; i < lab->nsources; i++)
		source_free(lab->sources[i]);
	for (size_t i = 0; i < lab->nhosts; i++) {
		transport_ssh_free(lab->hosts[i].ssh);
		free(lab->hosts[i].ssh_error);
	}
	free(lab->sources);
	free(lab->docker_args);
	free(lab->prom_args);
	free(lab->hosts);
	free(lab);
}

bool lab_wait_all(struct lab *lab, int64_t deadline_mono_ms)
{
	for (;;) {
		size_t have = 0;

		for (size_t i = 0; i < lab->nsources; i++)
			if (source_seq(lab->sources[i]) > 0)
				have++;
		if (have == lab->nsources)
			return true;
		if (time_mono_ms() >= deadline_mono_ms)
			return false;
		time_sleep_ms(10);
	}
}

void lab_refresh_now(struct lab *lab)
{
	for (size_t i = 0; i < lab->nsources; i++)
		source_refresh_now(lab->sources[i]);
}

void lab_set_paused(struct lab *lab, bool paused)
{
	for (size_t i = 0; i < lab->nsources; i++)
		source_set_paused(lab->sources[i], paused);
}

uint64_t lab_generation(struct lab *lab)
{
	uint64_t g = 0;

	for (size_t i = 0; i < lab->nsources; i++)
		g += source_seq(lab->sources[i]);
	for (size_t i = 0; i < lab->nhosts; i++) {
		struct transport_ssh_status ss;

		if (lab->hosts[i].ssh == NULL)
			continue;
		transport_ssh_status(lab->hosts[i].ssh, &ss);
		g += (uint64_t)ss.connects * 2 + (ss.connected ? 1 : 0) + (uint64_t)(ss.since_ms & 0xffff) * 7;
	}
	return g;
}

/* "http://[v6]:port/x" or "https://host/x" into host and port. */
static int lab_url_host_port(const char *url, char **host, int *port, char **cause)
{
	const char *p = strstr(url, "://"), *end, *colon = NULL;
	bool https = strncmp(url, "https://", 8) == 0;
	long v;

	if (p == NULL) {
		util_set_cause(cause, "not a URL: %s", url);
		return -1;
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL) {
			util_set_cause(cause, "bad IPv6 address in %s", url);
			return -1;
		}
		*host = xstrndup(p + 1, (size_t)(rb - p - 1));
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		*host = xstrndup(p, (size_t)((colon != NULL ? colon : end) - p));
	}
	if (colon == NULL) {
		*port = https ? 443 : 80;
		return 0;
	}
	v = strtol(colon + 1, NULL, 10);
	if (v <= 0 || v > 65535) {
		free(*host);
		*host = NULL;
		util_set_cause(cause, "bad port in %s", url);
		return -1;
	}
	*port = (int)v;
	return 0;
}

int lab_http_endpoint(struct lab *lab, const char *via, const char *url, char **url_out,
                      char **unix_socket, char **cause)
{
	const struct lab_host *h;
	char *host = NULL;
	int port;

	*unix_socket = NULL;
	*url_out = NULL;
	h = lab_via(lab, via, cause);
	if (via != NULL && h == NULL)
		return -1;
	*url_out = h != NULL ? config_host_url(h->cfg, url) : xstrdup(url);
	if (h == NULL || h->local)
		return 0;
	if (h->ssh == NULL) {
		util_set_cause(cause, "%s", h->ssh_error != NULL ? h->ssh_error : "no SSH session");
		goto fail;
	}
	if (lab_url_host_port(*url_out, &host, &port, cause) == -1)
		goto fail;
	*unix_socket = transport_ssh_forward(h->ssh, host, port, cause);
	free(host);
	if (*unix_socket == NULL)
		goto fail;
	return 0;
fail:
	free(*url_out);
	*url_out = NULL;
	return -1;
}
