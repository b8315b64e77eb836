/* lab — see lab.h. */
#include "core/lab.h"
#include "core/lab_internal.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/docker_watch.h"
#include "backends/http.h"
#include "backends/localhost.h"
#include "backends/postgres.h"
#include "backends/prometheus.h"
#include "backends/redis.h"
#include "backends/transport/transport_ssh.h"
#include "backends/metrics.h"
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

struct docker_arg {
	struct lab_host *host;
	int timeout_ms;
	atomic_uint relist;         /* bumped by lab_refresh_now(): list, do not reuse */
};

/* The list is asked only when it may have changed: while the host's event
 * stream (backends/docker_watch.h) reports nothing since the last list, a
 * poll publishes that list again (with fresh stats) without asking, up to
 * LAB_DOCKER_RELIST_MS.  An event triggers a poll at once. */
struct lab_docker_state {
	struct docker_arg *arg;     /* the host and timeout */
	struct docker *d;
	char *setup_error;          /* the endpoint could not be made */
	const atomic_int *cancel;
	unsigned polls;
	struct docker_watch *watch; /* from the second poll (a one-shot status never gets one) */
	uint64_t list_mark;         /* the watch's mark when the kept list was asked */
	unsigned list_relist;       /* arg->relist then */
	int64_t list_at;            /* mono ms it was asked */
	struct docker_container *last;   /* that list, settled; NULL: none to reuse */
	size_t nlast;
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

	st->arg = a;
	st->cancel = cancel;
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

/* From the watch thread: a container event, or the stream (re)started. */
static void docker_on_event(void *arg)
{
	struct lab_host *h = arg;

	if (h->docker != NULL)
		source_refresh_now(h->docker);
}

/* The kept list into c when nothing may have changed since it was asked. */
static bool docker_reuse_list(struct lab_docker_state *st, struct lab_containers *c)
{
	uint64_t mark = docker_watch_mark(st->watch);

	if (st->last == NULL || mark == 0 || mark != st->list_mark ||
	    atomic_load(&st->arg->relist) != st->list_relist ||
	    time_mono_ms() - st->list_at >= LAB_DOCKER_RELIST_MS)
		return false;
	c->items = docker_containers_copy(st->last, st->nlast);
	c->n = st->nlast;
	docker_fill_stats(st->d, c->items, c->n);
	return true;
}

static int docker_poll(void *state, void **value, char **cause)
{
	struct lab_docker_state *st = state;
	struct lab_host *h = st->arg->host;
	struct lab_containers *c;
	uint64_t mark;
	unsigned relist;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "%s", st->setup_error);
		return -1;
	}
	if (h->ssh != NULL) {
		struct transport_ssh_status ss;

		/* the first connection attempt is under way: wait for it (bounded),
		 * so that the first snapshot is the containers, not "connecting" */
		lab_host_wait_ssh_first(h, time_mono_ms() + st->arg->timeout_ms, st->cancel, &ss);
		if (!ss.connected) {
			util_set_cause(cause, "%s", ss.error[0] != '\0' ? ss.error : "ssh: connecting");
			return -1;
		}
	}
	c = xcalloc(1, sizeof *c);
	if (docker_reuse_list(st, c))
		goto out;
	mark = docker_watch_mark(st->watch);
	relist = atomic_load(&st->arg->relist);
	docker_containers_free(st->last, st->nlast);
	st->last = NULL;
	docker_set_watch_mark(st->d, mark);
	if (docker_list_containers(st->d, &c->items, &c->n, cause) == -1) {
		struct transport_ssh_status ss;

		free(c);
		/* a dial-stdio tunnel that failed says why on the remote side
		 * ("Cannot connect to the Docker daemon ..."): that beats "closed" */
		if (h->ssh != NULL && cause != NULL && *cause != NULL &&
		    strstr(*cause, "connection closed") != NULL) {
			transport_ssh_status(h->ssh, &ss);
			/* only the Docker tunnel's own failure, not another tunnel's */
			if (ss.connected && strstr(ss.error, "dial-stdio") != NULL)
				util_set_cause(cause, "docker: %s", ss.error);
		}
		return -1;
	}
	if (mark != 0 && docker_list_settled(st->d)) {
		st->last = docker_containers_copy(c->items, c->n);
		st->nlast = c->n;
		st->list_mark = mark;
		st->list_relist = relist;
		st->list_at = time_mono_ms();
	}
	if (st->watch == NULL && ++st->polls >= 2)
		st->watch = docker_watch_for(st->d, docker_on_event, h);
out:
	c->engine_version = xstrdup(docker_engine_version(st->d));
	*value = c;
	return 0;
}

static void docker_thread_done(void *state)
{
	struct lab_docker_state *st = state;

	docker_watch_free(st->watch);   /* before d: its callback names the host only */
	docker_containers_free(st->last, st->nlast);
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

#define LAB_PROM_HISTORY_MS (10 * 60 * 1000)   /* the past that seeds the sparklines */
#define LAB_PROM_HISTORY_TRIES 3

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
	int history_tries;          /* query_range attempts to seed the sparklines */
	bool history_done;
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
	/* the first good poll carries the last LAB_PROM_HISTORY_MS too, so the
	 * sparklines start full; a failed attempt is retried on the next polls */
	if (!st->history_done && st->history_tries < LAB_PROM_HISTORY_TRIES) {
		int64_t step = lab_prom_interval_ms(st->arg->lab);   /* a sample a poll */
		int64_t end = time_real_ms() / step * step - step;   /* the instant sample follows */
		char *why = NULL;

		st->history_tries++;
		if (prom_host_history(&st->client, st->arg->host->cfg->prom_selector,
		                      end - LAB_PROM_HISTORY_MS, end, step, &m->history, &why) == 0)
			st->history_done = true;
		free(why);
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

int lab_whole_refreshes_ms(int refresh_ms, int min_ms)
{
	int r = refresh_ms > 0 ? refresh_ms : 2000;

	return r >= min_ms ? r : (min_ms + r - 1) / r * r;
}

int lab_prom_interval_ms(const struct lab *lab)
{
	return lab_whole_refreshes_ms(lab->cfg->refresh_ms, LAB_PROM_MIN_INTERVAL_MS);
}

int lab_probe_interval_ms(const struct lab *lab)
{
	return lab_whole_refreshes_ms(lab->cfg->refresh_ms, LAB_PROBE_MIN_INTERVAL_MS);
}

struct lab_host *lab_via(struct lab *lab, const char *via, char **cause)
{
	for (size_t i = 0; via != NULL && i < lab->nhosts; i++)
		if (strcmp(lab->hosts[i].name, via) == 0)
			return &lab->hosts[i];
	if (via != NULL)
		util_set_cause(cause, "no host named %s", via);
	return NULL;
}


void lab_add_source(struct lab *lab, struct source *s)
{
	lab->sources = xreallocarray(lab->sources, lab->nsources + 1, sizeof *lab->sources);
	lab->sources[lab->nsources++] = s;
}

struct source *lab_add_host_source(struct lab *lab, const struct lab_host *h, const char *kind,
                                   struct source_params p, const struct source_ops *ops,
                                   void *arg, struct wake *wake)
{
	char *name = xasprintf("%s/%s", h->name, kind);
	struct source *s;

	p.name = name;
	s = source_new(&p, ops, arg, wake);
	free(name);
	lab_add_source(lab, s);
	return s;
}

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
			struct transport_ssh_options opt = {
				.target = h->cfg->ssh,
				.identity_file = h->cfg->identity_file,
				.known_hosts = h->cfg->known_hosts,
				.docker_socket = h->cfg->docker_socket,
			};
			char *cause = NULL;

			h->ssh = transport_ssh_new(h->name, &opt, cfg->timeout_ms, &cause);
			if (h->ssh == NULL)
				h->ssh_error = cause;
		}
		if (h->cfg->docker != CONFIG_DOCKER_NONE && h->cfg->docker != CONFIG_DOCKER_DEFAULT)
			h->docker = lab_add_host_source(lab, h, "docker",
			    (struct source_params){ .interval_ms = cfg->refresh_ms },
			    &docker_source_ops, &lab->docker_args[i], wake);
		if (cfg->prometheus != NULL && h->cfg->prom_selector != NULL) {
			lab->prom_args[i] = (struct prom_arg){ .lab = lab, .host = h };
			h->metrics = lab_add_host_source(lab, h, "prometheus",
			    (struct source_params){ .interval_ms = lab_prom_interval_ms(lab) },
			    &prom_source_ops, &lab->prom_args[i], wake);
		} else if (h->local) {
			h->metrics = lab_add_host_source(lab, h, "metrics",
			    (struct source_params){ .interval_ms = cfg->refresh_ms,
			                            .first_delay_ms = LAB_PROC_BASELINE_MS },
			    &proc_source_ops, NULL, wake);
		}
	}
	lab_shared_add(lab, wake);
	lab_tailscale_add(lab, wake);
	lab_panels_add(lab, wake);
	lab_tunnel_add(lab, wake);
	lab_probes_add(lab, wake);
	lab_authentik_add(lab, wake);
	return lab;
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
	free(lab->tunnel_args);
	free(lab->tailscale_args);
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
	for (size_t i = 0; lab->docker_args != NULL && i < lab->nhosts; i++)
		atomic_fetch_add(&lab->docker_args[i].relist, 1);
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
