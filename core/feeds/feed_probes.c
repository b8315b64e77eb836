/* feed_probes — the service probes source (see feed_probes.h): each
 * [service]'s `health` on every host through that host, and its
 * `public_url` directly, all in one concurrent round per refresh. */
#include "core/feeds/feed_probes.h"

#include <stdlib.h>
#include <string.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/fleet/route.h"

const struct probe_result *feed_probes_host(const struct feed_probes *p, size_t service, size_t host)
{
	if (p == NULL || service >= p->nservices || host >= p->nhosts)
		return NULL;
	return &p->host[service * p->nhosts + host];
}

const struct probe_result *feed_probes_public(const struct feed_probes *p, size_t service)
{
	if (p == NULL || service >= p->nservices)
		return NULL;
	return &p->pub[service];
}

char *feed_probe_unreachable(const struct fleet_host *h)
{
	struct fleet_reach r;

	fleet_host_reach(h, &r);
	if (r.connected)
		return NULL;
	return xasprintf("unreachable: %s", r.error[0] != '\0' ? r.error : "ssh: connecting");
}

/* 1: r explained by its tunnel's failure; 0: not a tunnel failure; -1: a
 * tunnel failure that the transport's last error does not name. */
static int feed_probe_explain_once(const struct fleet_host *h, const char *url, struct probe_result *r)
{
	struct transport_ssh_status ss;
	char *host = NULL, *needle, *msg = NULL;
	const char *p, *end;

	if (h == NULL || h->ssh == NULL || r->error == NULL || url == NULL ||
	    (strncmp(r->error, "connection closed before", 24) != 0 &&
	     strcmp(r->error, "connection reset by the server") != 0))
		return 0;
	transport_ssh_status(h->ssh, &ss);
	if (!ss.connected) {
		msg = xasprintf("unreachable: %s", ss.error[0] != '\0' ? ss.error : "ssh: connecting");
		free(r->error);
		r->error = msg;
		return 1;
	}
	/* the tunnel's own failure, "... the tunnel to 127.0.0.2:5000 failed: ..." */
	p = strstr(url, "://");
	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	host = xstrndup(p, (size_t)(end - p));
	if (strchr(host, ':') == NULL || host[0] == '[') {
		free(host);
		return 0;
	}
	needle = xasprintf("the tunnel to %s failed", host);
	if (strstr(ss.error, needle) != NULL) {
		/* SSH_OPEN_CONNECT_FAILED: the host's sshd could not connect (libssh2
		 * says "connect failed"); other reasons (prohibited, resource
		 * shortage) are the transport's words */
		if (strstr(ss.error, "(connect failed)") != NULL)
			msg = xasprintf("connection refused (%s could not connect to %s)", h->name, host);
		else
			msg = xstrdup(ss.error);
		free(r->error);
		r->error = msg;
	}
	free(needle);
	free(host);
	return msg != NULL ? 1 : -1;
}

void feed_probe_explain(const struct fleet_host *h, struct probe_pool *pool, struct probe_job *job,
                       long timeout_ms)
{
	/* another tunnel of the host may have failed at the same moment and
	 * overwritten the transport's last error: ask this one again, alone */
	if (feed_probe_explain_once(h, job->url, &job->result) == -1 && pool != NULL) {
		probe_pool_run(pool, job, 1, 1, timeout_ms);
		feed_probe_explain_once(h, job->url, &job->result);
	}
}

struct probes_state {
	struct fleet *fleet;
	struct probe_pool *pool;
	const atomic_int *cancel;
};

static void *probes_thread_init(void *arg, const atomic_int *cancel)
{
	struct probes_state *st = xcalloc(1, sizeof *st);

	st->fleet = arg;
	st->cancel = cancel;
	st->pool = probe_pool_new((st->fleet->nhosts + 1) * FEED_PROBES_PER_HOST, cancel);
	return st;
}

void feed_probes_free(void *v)
{
	struct feed_probes *p = v;

	for (size_t i = 0; i < p->nservices * p->nhosts; i++)
		probe_result_done(&p->host[i]);
	for (size_t i = 0; i < p->nservices; i++)
		probe_result_done(&p->pub[i]);
	free(p->host);
	free(p->pub);
	free(p);
}

struct probes_slot {
	struct probe_result *dst;
	size_t host;                 /* fleet->nhosts: the public URL */
	char *url, *sock, *setup_error;
};

static int probes_poll(void *state, void **value, char **cause)
{
	struct probes_state *st = state;
	struct fleet *fleet = st->fleet;
	const struct config *cfg = fleet->cfg;
	size_t nh = fleet->nhosts, ns = cfg->nservices, n = 0;
	struct feed_probes *p = xcalloc(1, sizeof *p);
	struct probe_job *jobs = xcalloc(ns * (nh + 1) + 1, sizeof *jobs);
	struct probes_slot *slots = xcalloc(ns * (nh + 1) + 1, sizeof *slots);
	char **down = xcalloc(nh + 1, sizeof *down);
	int64_t t0 = time_mono_ms();

	p->nservices = ns;
	p->nhosts = nh;
	p->host = xcalloc(ns * nh + 1, sizeof *p->host);
	p->pub = xcalloc(ns + 1, sizeof *p->pub);
	for (size_t i = 0; i < ns * nh; i++)
		p->host[i].ms = -1;
	for (size_t i = 0; i < ns; i++)
		p->pub[i].ms = -1;
	fleet_wait_ssh_first(fleet, t0 + cfg->timeout_ms, st->cancel);
	t0 = time_mono_ms();
	for (size_t h = 0; h < nh; h++)
		down[h] = feed_probe_unreachable(&fleet->hosts[h]);
	for (size_t s = 0; s < ns; s++) {
		const struct config_service *svc = &cfg->services[s];

		for (size_t h = 0; svc->health != NULL && h < nh; h++) {
			struct probes_slot *sl = &slots[n];
			char *err = NULL;

			sl->dst = &p->host[s * nh + h];
			sl->host = h;
			if (down[h] != NULL)
				sl->setup_error = xstrdup(down[h]);
			else if (route_http(fleet, fleet->hosts[h].name, svc->health, &sl->url,
			                           &sl->sock, &err) == -1)
				sl->setup_error = err;
			jobs[n] = (struct probe_job){ .url = sl->url, .unix_socket = sl->sock,
				.group = (int)h, .expect_min = svc->expect_min, .expect_max = svc->expect_max,
				.follow_redirects = true, .setup_error = sl->setup_error };
			n++;
		}
		if (svc->public_url != NULL) {
			struct probes_slot *sl = &slots[n];

			sl->dst = &p->pub[s];
			sl->host = nh;
			sl->url = xstrdup(svc->public_url);
			jobs[n] = (struct probe_job){ .url = sl->url, .group = (int)nh,
				.expect_min = svc->expect_min, .expect_max = svc->expect_max,
				.follow_redirects = true };
			n++;
		}
	}
	probe_pool_run(st->pool, jobs, n, FEED_PROBES_PER_HOST, cfg->timeout_ms);
	for (size_t i = 0; i < n; i++) {
		struct probes_slot *sl = &slots[i];

		if (sl->host < nh && sl->url != NULL)
			feed_probe_explain(&fleet->hosts[sl->host], st->pool, &jobs[i], cfg->timeout_ms);
		*sl->dst = jobs[i].result;   /* taken over */
		free(sl->url);
		free(sl->sock);
		free(sl->setup_error);
	}
	for (size_t h = 0; h < nh; h++)
		free(down[h]);
	free(down);
	free(jobs);
	free(slots);
	p->round_ms = (double)(time_mono_ms() - t0);
	if (atomic_load(st->cancel)) {
		feed_probes_free(p);
		util_set_cause(cause, "cancelled");
		return -1;
	}
	*value = p;
	return 0;
}

static void probes_thread_done(void *state)
{
	struct probes_state *st = state;

	probe_pool_free(st->pool);
	free(st);
}

static const struct source_ops probes_source_ops = {
	.kind = "probes",
	.thread_init = probes_thread_init,
	.poll = probes_poll,
	.thread_done = probes_thread_done,
	.free_value = feed_probes_free,
};

struct source *feed_probes_new(struct fleet *fleet, struct wake *wake)
{
	const struct config *cfg = fleet->cfg;
	struct source_params p = { .name = "probes", .interval_ms = feed_probe_interval_ms(cfg) };
	bool any = false;

	for (size_t i = 0; i < cfg->nservices; i++)
		any = any || cfg->services[i].health != NULL || cfg->services[i].public_url != NULL;
	return any ? source_new(&p, &probes_source_ops, fleet, wake) : NULL;
}

const struct feed_probes *feed_probes_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
