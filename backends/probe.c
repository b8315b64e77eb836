/* probe — see probe.h. */
#include "backends/probe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/util.h"

struct probe_pool {
	size_t max_workers;
	const atomic_int *cancel;

	/* the round in progress, guarded by lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct probe_job *jobs;
	size_t n, next_unstarted;
	bool *started;
	size_t *inflight;           /* per group */
	size_t per_group;
	long timeout_ms;
};

struct probe_worker {
	struct probe_pool *pool;
	struct http_client *http;
	pthread_t thread;
};

struct probe_pool *probe_pool_new(size_t max_workers, const atomic_int *cancel)
{
	struct probe_pool *p = xcalloc(1, sizeof *p);

	if (max_workers == 0)
		max_workers = 1;
	if (max_workers > PROBE_MAX_WORKERS)
		max_workers = PROBE_MAX_WORKERS;
	p->max_workers = max_workers;
	p->cancel = cancel;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	return p;
}

void probe_pool_free(struct probe_pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}

void probe_result_done(struct probe_result *r)
{
	free(r->error);
	*r = (struct probe_result){ .ms = -1 };
}

char *probe_judge(long status, int expect_min, int expect_max, const char *body, size_t len)
{
	struct http_response resp;
	size_t i = 0;
	char *msg, *out;

	if (expect_min == 0 && expect_max == 0) {
		expect_min = 200;
		expect_max = 299;
	}
	if (status >= expect_min && status <= expect_max)
		return NULL;
	if (status < 400) {
		if (expect_min == expect_max)
			return xasprintf("HTTP %ld (expected %d)", status, expect_min);
		return xasprintf("HTTP %ld (expected %d-%d)", status, expect_min, expect_max);
	}
	http_response_init(&resp);
	resp.status = status;
	if (body != NULL && len > 0)
		buf_append(&resp.body, body, len);
	msg = http_status_error(&resp);
	http_response_done(&resp);
	while (body != NULL && i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
	       body[i] == '\t'))
		i++;
	if (body != NULL && i < len && body[i] == '<' && strchr(msg, ':') == NULL) {
		out = xasprintf("%s (an HTML page)", msg);
		free(msg);
		return out;
	}
	return msg;
}

/* Drops a 2xx body as it comes, stopping after PROBE_MAX_BODY. */
static int probe_discard(const char *data, size_t len, void *arg)
{
	size_t *seen = arg;

	(void)data;
	*seen += len;
	return *seen > PROBE_MAX_BODY ? -1 : 0;
}

static void probe_one(struct probe_pool *p, struct http_client *http, struct probe_job *j)
{
	struct http_request req = { 0 };
	struct http_response resp;
	size_t seen = 0;
	char *cause = NULL;

	if (j->setup_error != NULL) {
		j->result.done = true;
		j->result.error = xstrdup(j->setup_error);
		return;
	}
	req.url = j->url;
	req.unix_socket = j->unix_socket;
	req.connect_timeout_ms = p->timeout_ms;
	req.timeout_ms = p->timeout_ms;
	req.max_bytes = PROBE_MAX_BODY;
	req.bearer_token = j->bearer_token;
	req.ca_file = j->ca_file;
	req.insecure = j->insecure;
	req.follow_redirects = j->follow_redirects;
	req.on_data = probe_discard;
	req.on_data_arg = &seen;
	http_response_init(&resp);
	j->result.done = true;
	if (http_request(http, &req, &resp, &cause) == -1) {
		j->result.error = cause;
		j->result.ms = resp.total_ms;
	} else {
		j->result.status = resp.status;
		j->result.ms = resp.total_ms;
		j->result.error = probe_judge(resp.status, j->expect_min, j->expect_max,
		                              resp.body.data, resp.body.len);
		j->result.ok = j->result.error == NULL;
	}
	http_response_done(&resp);
}

/* The next job that may start now (its group under the bound), or -1;
 * *any_left says whether unstarted jobs remain.  Under the lock. */
static long probe_pick(struct probe_pool *p, bool *any_left)
{
	*any_left = false;
	while (p->next_unstarted < p->n && p->started[p->next_unstarted])
		p->next_unstarted++;
	for (size_t i = p->next_unstarted; i < p->n; i++) {
		if (p->started[i])
			continue;
		*any_left = true;
		if (p->inflight[p->jobs[i].group] < p->per_group)
			return (long)i;
	}
	return -1;
}

static void *probe_worker_main(void *arg)
{
	struct probe_worker *w = arg;
	struct probe_pool *p = w->pool;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		bool any_left;
		long i = probe_pick(p, &any_left);
		struct probe_job *j;

		if (i < 0 && !any_left)
			break;
		if (i < 0) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		j = &p->jobs[i];
		p->started[i] = true;
		p->inflight[j->group]++;
		pthread_mutex_unlock(&p->lock);
		probe_one(p, w->http, j);
		pthread_mutex_lock(&p->lock);
		p->inflight[j->group]--;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void probe_pool_run(struct probe_pool *p, struct probe_job *jobs, size_t n, size_t per_group,
                    long timeout_ms)
{
	size_t ngroups = 1, nworkers, started = 0;
	struct probe_worker *w;

	for (size_t i = 0; i < n; i++) {
		if (jobs[i].group < 0)
			jobs[i].group = 0;
		if ((size_t)jobs[i].group + 1 > ngroups)
			ngroups = (size_t)jobs[i].group + 1;
		free(jobs[i].result.error);
		jobs[i].result = (struct probe_result){ .ms = -1 };
	}
	if (n == 0)
		return;
	p->jobs = jobs;
	p->n = n;
	p->next_unstarted = 0;
	p->started = xcalloc(n, sizeof *p->started);
	p->inflight = xcalloc(ngroups, sizeof *p->inflight);
	p->per_group = per_group > 0 ? per_group : 1;
	p->timeout_ms = timeout_ms > 0 ? timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	nworkers = n < p->max_workers ? n : p->max_workers;
	if (nworkers > ngroups * p->per_group)
		nworkers = ngroups * p->per_group;
	w = xcalloc(nworkers, sizeof *w);
	for (size_t i = 0; i < nworkers; i++) {
		/* a client a round: one every 10 s gains nothing from a
		 * connection cache (the health endpoints close, and through SSH
		 * each is a channel of its own), and 30 idle ones are ~1 MB */
		w[i].pool = p;
		w[i].http = http_client_new(p->cancel);
		if (pthread_create(&w[i].thread, NULL, probe_worker_main, &w[i]) != 0)
			break;
		started++;
	}
	if (started == 0)
		probe_worker_main(&w[0]);   /* no thread could be made: the round runs here */
	for (size_t i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	for (size_t i = 0; i < nworkers; i++)
		http_client_free(w[i].http);
	free(w);
	free(p->started);
	free(p->inflight);
	p->started = NULL;
	p->inflight = NULL;
	p->jobs = NULL;
	p->n = 0;
}
