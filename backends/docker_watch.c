/* docker_watch — see docker_watch.h. */
#include "backends/docker_watch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/cancel.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct docker_watch {
	struct docker *d;
	void (*on_event)(void *arg);
	void *arg;
	atomic_int stop;            /* the stream's cancel flag too */
	atomic_bool live;
	atomic_uint_fast64_t count; /* events + starts + ends */
	atomic_long events, starts;
	pthread_mutex_t mu;         /* cv's, and the named ids' */
	pthread_cond_t cv;          /* CLOCK_MONOTONIC; signalled by free */
	struct { char id[65]; int64_t time_ms; } *named;   /* full ids the events named since the last drain */
	size_t nnamed;
	pthread_t thread;
};

static int watch_event(const struct docker_event *ev, void *arg)
{
	struct docker_watch *w = arg;

	pthread_mutex_lock(&w->mu);
	if (ev->full_id[0] != '\0' && w->nnamed < DOCKER_WATCH_MAX_NAMED) {
		size_t i;

		for (i = 0; i < w->nnamed && strcmp(w->named[i].id, ev->full_id) != 0; i++)
			;
		if (i == w->nnamed) {
			util_strlcpy(w->named[i].id, ev->full_id, sizeof w->named[i].id);
			w->named[w->nnamed++].time_ms = ev->time_ms;
		} else if (ev->time_ms > w->named[i].time_ms) {
			w->named[i].time_ms = ev->time_ms;   /* the latest */
		}
	}
	pthread_mutex_unlock(&w->mu);
	atomic_fetch_add(&w->count, 1);
	atomic_fetch_add(&w->events, 1);
	if (w->on_event != NULL)
		w->on_event(w->arg);
	return atomic_load(&w->stop) ? -1 : 0;
}

/* Sleeps ms, or less when free() asks the thread to stop. */
static void watch_sleep(struct docker_watch *w, int64_t ms)
{
	int64_t until = time_mono_ms() + ms;

	pthread_mutex_lock(&w->mu);
	while (!atomic_load(&w->stop) && time_mono_ms() < until)
		time_cond_wait_until(&w->cv, &w->mu, until);
	pthread_mutex_unlock(&w->mu);
}

static void *watch_main(void *arg)
{
	struct docker_watch *w = arg;
	int64_t backoff = 1000;

	while (!atomic_load(&w->stop)) {
		int64_t since = time_real_ms() / 1000 - DOCKER_WATCH_REPLAY_S, t0 = time_mono_ms();
		char *cause = NULL;

		/* live from the start: whatever happens from now on is either
		 * streamed or replayed (since), and the bump makes the list
		 * taken before this point stale */
		atomic_store(&w->live, true);
		atomic_fetch_add(&w->count, 1);
		atomic_fetch_add(&w->starts, 1);
		if (w->on_event != NULL)
			w->on_event(w->arg);
		(void)docker_events(w->d, since, watch_event, w, &cause);
		atomic_store(&w->live, false);
		atomic_fetch_add(&w->count, 1);
		free(cause);
		/* a stream that lasted is no failure: start again at 1 s */
		if (time_mono_ms() - t0 > DOCKER_WATCH_BACKOFF_MAX_MS)
			backoff = 1000;
		watch_sleep(w, backoff);
		backoff = backoff * 2 > DOCKER_WATCH_BACKOFF_MAX_MS ? DOCKER_WATCH_BACKOFF_MAX_MS :
		    backoff * 2;
	}
	return NULL;
}

struct docker_watch *docker_watch_new(const struct docker_options *opt,
                                      void (*on_event)(void *arg), void *arg)
{
	struct docker_watch *w = xcalloc(1, sizeof *w);
	struct docker_options o = *opt;

	atomic_init(&w->stop, 0);
	atomic_init(&w->live, false);
	atomic_init(&w->count, 1);
	atomic_init(&w->events, 0);
	atomic_init(&w->starts, 0);
	w->on_event = on_event;
	w->arg = arg;
	w->named = xreallocarray(NULL, DOCKER_WATCH_MAX_NAMED, sizeof *w->named);
	o.cancel = &w->stop;
	o.stats_workers = -1;       /* the stream never lists */
	w->d = docker_new(&o);
	pthread_mutex_init(&w->mu, NULL);
	time_cond_init_mono(&w->cv);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		docker_free(w->d);
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w->named);
		free(w);
		return NULL;
	}
	util_thread_name(w->thread, "docker-watch");
	return w;
}

void docker_watch_free(struct docker_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	cancel_raise(&w->stop);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	docker_free(w->d);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->named);
	free(w);
}

void docker_watch_drain(struct docker_watch *w,
                        void (*cb)(const char *full_id, int64_t time_ms, void *arg), void *arg)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < w->nnamed; i++)
		cb(w->named[i].id, w->named[i].time_ms, arg);
	w->nnamed = 0;
	pthread_mutex_unlock(&w->mu);
}

uint64_t docker_watch_mark(struct docker_watch *w)
{
	uint64_t m;

	if (w == NULL || !atomic_load(&w->live))
		return 0;
	m = (uint64_t)atomic_load(&w->count);
	/* the stream may have ended between the two loads */
	return atomic_load(&w->live) ? m : 0;
}

void docker_watch_counts(struct docker_watch *w, long *events, long *starts)
{
	*events = w != NULL ? atomic_load(&w->events) : 0;
	*starts = w != NULL ? atomic_load(&w->starts) : 0;
}

void docker_watch_gate_event(struct docker_watch_gate *g, int64_t now)
{
	int64_t open_at = g->last_at < 0 ? now : g->last_at + DOCKER_WATCH_COALESCE_MS;

	/* a list already pending serves this event too */
	if (g->due < 0)
		g->due = open_at > now ? open_at : now;
}

int64_t docker_watch_gate_due(const struct docker_watch_gate *g)
{
	return g->due;
}

void docker_watch_gate_listed(struct docker_watch_gate *g, int64_t now)
{
	g->last_at = now;
	g->due = -1;
}
