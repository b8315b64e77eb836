#include "backends/docker_stats.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker_parse.h"
#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/cancel.h"
#include "core/base/util.h"

#define STATS_MAX_BYTES ((size_t)1 << 20)
#define STATS_TIMEOUT_MS 5000   /* one tick is 1 s; a stuck daemon gives up here */
#define STATS_CANCEL_RECHECK_MS 1000 /* idle while the owner's cancel flag is up */

struct stats_entry {
	char id[DOCKER_MAX_ID + 1];
	int64_t wanted_until;       /* mono ms */
	int64_t asked_at;           /* mono ms of the last request; 0 never */
	bool busy;                  /* a worker is asking now */
	unsigned gen;               /* the want() call that last named it */
	bool have_prev;
	struct docker_stats_sample prev;
	double cpu_pct;             /* < 0 unknown */
	int64_t mem_bytes, mem_limit_bytes;
	int64_t sampled_at;         /* mono ms of the figures; 0 none */
};

struct docker_stats_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int stop;            /* the workers' http cancel flag too */
	const atomic_int *cancel;   /* the owner's: idle while set */
	char *unix_socket, *base_url, *ca_file, *cert_file, *key_file;
	char api_prefix[24];
	pthread_t threads[DOCKER_STATS_MAX_WORKERS];
	int nthreads, max_workers;
	struct stats_entry *e;      /* sorted by id (between want() calls) */
	size_t n, cap;
	unsigned gen;
	long requests, failures;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct stats_entry *)a)->id, ((const struct stats_entry *)b)->id);
}

/* bsearch over the first n entries. */
static struct stats_entry *find_in(struct docker_stats_pool *p, size_t n, const char *id)
{
	struct stats_entry key;

	util_strlcpy(key.id, id, sizeof(key.id));
	return n == 0 ? NULL : bsearch(&key, p->e, n, sizeof(*p->e), entry_cmp);
}

static struct stats_entry *find(struct docker_stats_pool *p, const char *id)
{
	return find_in(p, p->n, id);
}

/* How often s is asked: less often while it idles. */
static int64_t docker_stats_interval_ms(const struct stats_entry *s)
{
	bool idle = s->sampled_at != 0 && s->cpu_pct >= 0 && s->cpu_pct < DOCKER_STATS_IDLE_PCT;

	return idle ? DOCKER_STATS_IDLE_INTERVAL_MS : DOCKER_STATS_INTERVAL_MS;
}

/* The wanted entry asked least recently and not within the interval; NULL if
 * none, with *due_ms the time (mono ms) the next one falls due (0: none is
 * wanted; the next want() wakes the workers). */
static struct stats_entry *pick(struct docker_stats_pool *p, int64_t now, int64_t *due_ms)
{
	struct stats_entry *best = NULL;
	size_t i;

	*due_ms = 0;
	if (p->cancel != NULL && atomic_load(p->cancel)) {
		*due_ms = now + STATS_CANCEL_RECHECK_MS;
		return NULL;
	}
	for (i = 0; i < p->n; i++) {
		struct stats_entry *s = &p->e[i];
		int64_t due = s->asked_at + docker_stats_interval_ms(s);

		if (s->busy || s->wanted_until < now)
			continue;
		if (s->asked_at != 0 && due > now) {
			if (*due_ms == 0 || due < *due_ms)
				*due_ms = due;
			continue;
		}
		if (best == NULL || s->asked_at < best->asked_at)
			best = s;
	}
	return best;
}

/* Sleeps until due_ms (mono), or until want() or free() signal; due_ms 0:
 * until signalled. */
static void wait_until(struct docker_stats_pool *p, int64_t due_ms)
{
	if (due_ms == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	else
		time_cond_wait_until(&p->cv, &p->mu, due_ms);
}

/* One request, outside the lock.  0 with *sample, or -1. */
static int fetch(struct docker_stats_pool *p, struct http_client *c, const char *id,
                 const char *prefix, struct docker_stats_sample *sample)
{
	struct http_request req = {
		.url = NULL,
		.unix_socket = p->unix_socket,
		.timeout_ms = STATS_TIMEOUT_MS,
		.max_bytes = STATS_MAX_BYTES,
		.ca_file = p->ca_file,
		.cert_file = p->cert_file,
		.key_file = p->key_file,
	};
	struct http_response resp;
	char *url, *cause = NULL;
	int rc = -1;

	url = xasprintf("%s%s/containers/%s/stats?stream=false&one-shot=true", p->base_url, prefix, id);
	req.url = url;
	http_response_init(&resp);
	if (http_request(c, &req, &resp, &cause) == 0 && resp.status == 200 &&
	    docker_parse_stats(resp.body.data, resp.body.len, sample, NULL, &cause) == 0)
		rc = 0;
	free(cause);
	http_response_done(&resp);
	free(url);
	return rc;
}

static void store(struct stats_entry *s, const struct docker_stats_sample *cur, int64_t now)
{
	double pct = s->have_prev ? docker_stats_cpu_pct(&s->prev, cur) : -1;

	/* A first sample has no CPU % yet; a reset one starts over. */
	s->cpu_pct = pct;
	s->mem_bytes = cur->mem_bytes;
	s->mem_limit_bytes = cur->mem_limit_bytes;
	s->sampled_at = now;
	s->prev = *cur;
	s->have_prev = cur->has_cpu;
}

static void *worker(void *arg)
{
	struct docker_stats_pool *p = arg;
	struct http_client *c = http_client_new(&p->stop);

	pthread_mutex_lock(&p->mu);
	while (!atomic_load(&p->stop)) {
		int64_t now = time_mono_ms();
		int64_t due;
		struct stats_entry *s = pick(p, now, &due);
		struct docker_stats_sample sample;
		char id[sizeof(s->id)], prefix[sizeof(p->api_prefix)];
		int rc;

		if (s == NULL) {
			wait_until(p, due);
			continue;
		}
		s->busy = true;
		s->asked_at = now;
		memcpy(id, s->id, sizeof(id));
		memcpy(prefix, p->api_prefix, sizeof(prefix));
		p->requests++;
		pthread_mutex_unlock(&p->mu);

		rc = fetch(p, c, id, prefix, &sample);

		pthread_mutex_lock(&p->mu);
		/* The table may have changed meanwhile: find the entry again. */
		s = find(p, id);
		if (s != NULL) {
			s->busy = false;
			if (rc == 0)
				store(s, &sample, time_mono_ms());
		}
		if (rc != 0)
			p->failures++;
	}
	pthread_mutex_unlock(&p->mu);
	http_client_free(c);
	return NULL;
}

struct docker_stats_pool *docker_stats_pool_new(const struct docker_options *opt, int workers,
                                                const atomic_int *cancel)
{
	struct docker_stats_pool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->mu, NULL);
	time_cond_init_mono(&p->cv);
	atomic_init(&p->stop, 0);
	p->cancel = cancel;
	p->unix_socket = xstrdup(opt->unix_socket);
	p->base_url = xstrdup(opt->base_url != NULL ? opt->base_url : "http://localhost");
	p->ca_file = xstrdup(opt->tls.ca_file);
	p->cert_file = xstrdup(opt->tls.cert_file);
	p->key_file = xstrdup(opt->tls.key_file);
	util_strlcpy(p->api_prefix, "/v1.41", sizeof(p->api_prefix));
	if (workers < 1)
		workers = 1;
	if (workers > DOCKER_STATS_MAX_WORKERS)
		workers = DOCKER_STATS_MAX_WORKERS;
	p->max_workers = workers;
	return p;
}

/* Workers for n containers: one per DOCKER_STATS_PER_WORKER, at least
 * min(n, DOCKER_STATS_MIN_WORKERS), at most max_workers; never fewer than
 * already run.  Called under the lock. */
static void grow(struct docker_stats_pool *p, size_t n)
{
	size_t want = (n + DOCKER_STATS_PER_WORKER - 1) / DOCKER_STATS_PER_WORKER;

	if (want < DOCKER_STATS_MIN_WORKERS)
		want = n < DOCKER_STATS_MIN_WORKERS ? n : DOCKER_STATS_MIN_WORKERS;
	if (want > (size_t)p->max_workers)
		want = (size_t)p->max_workers;
	while ((size_t)p->nthreads < want) {
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0)
			break;   /* fewer workers: slower stats, nothing worse */
		util_thread_name(p->threads[p->nthreads], "stats");
		p->nthreads++;
	}
}

void docker_stats_pool_free(struct docker_stats_pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	cancel_raise(&p->stop);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)   /* nthreads only grows under the owner's thread */
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->unix_socket);
	free(p->base_url);
	free(p->ca_file);
	free(p->cert_file);
	free(p->key_file);
	free(p->e);
	free(p);
}

void docker_stats_pool_want(struct docker_stats_pool *p, const char *const *ids, const bool *ask,
                            size_t n, const char *api_prefix)
{
	int64_t now = time_mono_ms();
	size_t i, keep = 0, sorted, nask = 0, added = 0;
	bool fresh = false;   /* a container newly wanted: the workers must look */

	pthread_mutex_lock(&p->mu);
	util_strlcpy(p->api_prefix, api_prefix, sizeof(p->api_prefix));
	p->gen++;
	sorted = p->n;
	for (i = 0; i < n; i++) {
		struct stats_entry *s = find_in(p, sorted, ids[i]);

		if (s == NULL) {
			if (p->n == p->cap) {
				p->cap = p->cap ? p->cap * 2 : 16;
				p->e = xreallocarray(p->e, p->cap, sizeof(*p->e));
			}
			s = &p->e[p->n++];
			added++;
			memset(s, 0, sizeof(*s));
			util_strlcpy(s->id, ids[i], sizeof(s->id));
			s->cpu_pct = -1;
			s->mem_bytes = s->mem_limit_bytes = -1;
		}
		s->gen = p->gen;
		if (ask != NULL && !ask[i]) {
			/* kept (its figures until they are too old), not asked */
			s->wanted_until = 0;
			continue;
		}
		if (s->wanted_until < now)
			fresh = true;
		s->wanted_until = now + DOCKER_STATS_WANT_MS;
		nask++;
	}
	/* Forget those not wanted now (stopped or removed): a restarted
	 * container starts over, its old counters are of no use.  A busy one
	 * stays until its worker is done with it. */
	for (i = 0; i < p->n; i++)
		if (p->e[i].gen == p->gen || p->e[i].busy)
			p->e[keep++] = p->e[i];
	p->n = keep;
	/* sorted but for the entries added after them (forgetting some keeps
	 * the order): none added, nothing to sort (at 500 containers a sort
	 * each poll was most of a poll's work) */
	if (added > 0)
		qsort(p->e, p->n, sizeof(*p->e), entry_cmp);
	grow(p, nask);
	if (fresh)
		pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void docker_stats_pool_fill(struct docker_stats_pool *p, struct docker_container *c)
{
	struct stats_entry *s;
	int64_t now = time_mono_ms();

	pthread_mutex_lock(&p->mu);
	s = find(p, c->full_id);
	if (s != NULL && s->sampled_at != 0 && now - s->sampled_at < DOCKER_STATS_MAX_AGE_MS) {
		c->cpu_pct = s->cpu_pct;
		c->mem_bytes = s->mem_bytes;
		c->mem_limit_bytes = s->mem_limit_bytes;
	}
	pthread_mutex_unlock(&p->mu);
}

void docker_stats_pool_counts(struct docker_stats_pool *p, long *requests, long *failures)
{
	pthread_mutex_lock(&p->mu);
	*requests = p->requests;
	*failures = p->failures;
	pthread_mutex_unlock(&p->mu);
}
