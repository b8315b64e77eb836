/* source — see source.h for the threads and the locking. */
#include "core/feeds/source.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/backoff.h"
#include "core/base/timeutil.h"
#include "core/base/cancel.h"
#include "core/base/util.h"

#define SOURCE_WAIT_RECHECK_MS 250   /* source_wait_seq() looks at its cancel flag */

struct source {
	char *name;
	const struct source_ops *ops;
	void *arg;
	struct wake *wake;

	struct snapshot_slot slot;
	atomic_int cancel;

	pthread_t thread;
	bool started;
	bool joined;

	pthread_mutex_t lock;     /* guards the fields below */
	pthread_cond_t cond;      /* CLOCK_MONOTONIC */
	bool stop;
	bool refresh_now;
	bool paused;
	int interval_ms;
	int first_delay_ms;
	int failures;
	atomic_bool done;         /* the thread function has returned */
	atomic_bool complete;     /* a poll returned 0 or -1 (not only SOURCE_POLL_PARTIAL) */
};

int64_t source_backoff_ms(int interval_ms, int failures)
{
	int64_t iv = interval_ms > 0 ? interval_ms : 1000;

	/* a failing source never polls more often than a healthy one */
	return backoff_delay_ms(iv, failures, iv > SOURCE_MAX_BACKOFF_MS ? iv : SOURCE_MAX_BACKOFF_MS);
}

int64_t source_next_tick_ms(int64_t now_mono, int interval_ms)
{
	int64_t iv = interval_ms > 0 ? interval_ms : 1000;
	int64_t wait = iv - now_mono % iv;

	return wait < iv / 10 ? wait + iv : wait;
}

struct source *source_new(const struct source_params *p, const struct source_ops *ops,
                          void *arg, struct wake *wake)
{
	struct source *s = xcalloc(1, sizeof *s);

	s->name = xstrdup(p->name != NULL ? p->name : ops->kind);
	s->ops = ops;
	s->arg = arg;
	s->wake = wake;
	s->interval_ms = p->interval_ms > 0 ? p->interval_ms : 2000;
	s->first_delay_ms = p->first_delay_ms;
	snapshot_slot_init(&s->slot);
	atomic_init(&s->cancel, 0);
	atomic_init(&s->done, false);
	pthread_mutex_init(&s->lock, NULL);
	time_cond_init_mono(&s->cond);
	return s;
}

/* Waits on the condvar until `ms` passed, or stop/refresh.  Called locked.
 * Returns false when the source must stop. */
static bool source_wait_locked(struct source *s, int64_t ms)
{
	int64_t deadline = time_mono_ms() + ms;

	for (;;) {
		if (s->stop)
			return false;
		if (s->refresh_now) {
			s->refresh_now = false;
			return true;
		}
		if (!s->paused && time_mono_ms() >= deadline)
			return true;
		if (s->paused) {
			pthread_cond_wait(&s->cond, &s->lock);
			continue;
		}
		time_cond_wait_until(&s->cond, &s->lock, deadline);
	}
}

/* One poll; true when it was partial (the next one follows at once). */
static bool source_poll_once(struct source *s, void *state)
{
	void *value = NULL;
	char *cause = NULL;
	struct snapshot *snap, *prev;
	int64_t t0 = time_mono_ms();
	int rc = s->ops->poll(state, &value, &cause);
	bool ok = rc == 0 || rc == SOURCE_POLL_PARTIAL;

	if (atomic_load(&s->cancel) && !ok) {
		free(cause);   /* stopping: a "cancelled" error is not news */
		return false;
	}
	if (ok) {
		snap = snapshot_new_value(value, s->ops->free_value);
	} else {
		if (value != NULL && s->ops->free_value != NULL)
			s->ops->free_value(value);
		prev = snapshot_slot_get(&s->slot);
		/* keep pointing at the last success, never at an older error */
		snap = snapshot_new_error(cause != NULL ? cause : "failed",
		                          prev != NULL && prev->error != NULL ? prev->last_good : prev);
		snapshot_unref(prev);
		free(cause);
	}
	snap->took_ms = (double)(time_mono_ms() - t0);

	/* the count and the snapshot change together: one who sees the new
	 * snapshot sees its failure counted (the unit test under ASan once
	 * saw seq 3 and 1 failure) */
	pthread_mutex_lock(&s->lock);
	s->failures = ok ? 0 : s->failures + 1;
	snapshot_slot_publish(&s->slot, snap);
	if (rc != SOURCE_POLL_PARTIAL)
		atomic_store(&s->complete, true);
	pthread_cond_broadcast(&s->cond);   /* for source_wait_seq() */
	pthread_mutex_unlock(&s->lock);
	wake_signal(s->wake);
	return rc == SOURCE_POLL_PARTIAL;
}

static void *source_main(void *arg)
{
	struct source *s = arg;
	void *state = s->ops->thread_init != NULL ? s->ops->thread_init(s->arg, &s->cancel) : s->arg;
	uint64_t rnd = 0;
	bool go;

	pthread_mutex_lock(&s->lock);
	go = source_wait_locked(s, s->first_delay_ms);
	pthread_mutex_unlock(&s->lock);

	while (go) {
		if (source_poll_once(s, state)) {
			go = !atomic_load(&s->cancel);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		/* healthy sources poll on the interval's ticks of the monotonic
		 * clock, so that those sharing an interval answer together and
		 * the UI draws them in one frame; failing ones back off, spread
		 * so that the sources of several kitetops part ways */
		go = source_wait_locked(s, s->failures == 0 ?
		    source_next_tick_ms(time_mono_ms(), s->interval_ms) :
		    backoff_jitter_ms(source_backoff_ms(s->interval_ms, s->failures),
		                      backoff_random(&rnd)));
		pthread_mutex_unlock(&s->lock);
	}
	if (s->ops->thread_done != NULL)
		s->ops->thread_done(state);
	atomic_store(&s->done, true);
	return NULL;
}

int source_start(struct source *s, char **cause)
{
	static const int async[] = { SIGTERM, SIGHUP, SIGINT, SIGWINCH, SIGQUIT, SIGCHLD,
	                             SIGUSR1, SIGUSR2, SIGALRM };
	sigset_t block, old;
	int rc;

	/* Asynchronous signals go to the UI thread, whose poll() they must
	 * interrupt (SIGWINCH for curses); the thread inherits this mask. */
	sigemptyset(&block);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(async); i++)
		sigaddset(&block, async[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&s->thread, NULL, source_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (rc != 0) {
		util_set_cause(cause, "%s: cannot start thread: %s", s->name, strerror(rc));
		return -1;
	}
	util_thread_name(s->thread, s->name);
	s->started = true;
	return 0;
}

void source_stop(struct source *s)
{
	cancel_raise(&s->cancel);
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

int source_join(struct source *s, int64_t deadline_mono_ms)
{
	if (!s->started || s->joined)
		return 0;
	/* pthread_timedjoin_np uses CLOCK_REALTIME; poll the done flag instead,
	 * then join a thread that is known to be finishing. */
	while (!atomic_load(&s->done)) {
		if (time_mono_ms() >= deadline_mono_ms)
			return -1;
		time_sleep_ms(5);
	}
	pthread_join(s->thread, NULL);
	s->joined = true;
	return 0;
}

void source_free(struct source *s)
{
	if (s == NULL)
		return;
	if (s->started && !s->joined) {
		source_stop(s);
		if (source_join(s, time_mono_ms() + 1000) == -1) {
			pthread_detach(s->thread);
			return;   /* still running: leaking it is the safe choice */
		}
	}
	snapshot_slot_done(&s->slot);
	if (s->ops->free_arg != NULL)
		s->ops->free_arg(s->arg);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s->name);
	free(s);
}

void *source_arg(const struct source *s)
{
	return s->arg;
}

struct snapshot *source_get(struct source *s)
{
	return snapshot_slot_get(&s->slot);
}

bool source_complete(struct source *s)
{
	return atomic_load(&s->complete);
}

uint64_t source_seq(struct source *s)
{
	return snapshot_slot_seq(&s->slot);
}

uint64_t source_wait_seq(struct source *s, uint64_t after, int64_t deadline_mono_ms,
                         const atomic_int *cancel)
{
	uint64_t seq;

	pthread_mutex_lock(&s->lock);
	while ((seq = source_seq(s)) <= after && !s->stop &&
	       (cancel == NULL || atomic_load(cancel) == 0)) {
		int64_t now = time_mono_ms(), until = deadline_mono_ms;

		if (now >= deadline_mono_ms)
			break;
		/* a raised cancel flag wakes no condition variable: look again
		 * now and then */
		if (until - now > SOURCE_WAIT_RECHECK_MS)
			until = now + SOURCE_WAIT_RECHECK_MS;
		time_cond_wait_until(&s->cond, &s->lock, until);
	}
	pthread_mutex_unlock(&s->lock);
	return seq;
}

const char *source_name(const struct source *s)
{
	return s->name;
}

int source_interval_ms(const struct source *s)
{
	return s->interval_ms;   /* written only by the UI thread */
}

void source_refresh_now(struct source *s)
{
	pthread_mutex_lock(&s->lock);
	s->refresh_now = true;
	s->failures = 0;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void source_set_paused(struct source *s, bool paused)
{
	pthread_mutex_lock(&s->lock);
	s->paused = paused;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void source_set_interval(struct source *s, int interval_ms)
{
	pthread_mutex_lock(&s->lock);
	s->interval_ms = interval_ms > 0 ? interval_ms : s->interval_ms;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

int source_failures(struct source *s)
{
	int n;

	pthread_mutex_lock(&s->lock);
	n = s->failures;
	pthread_mutex_unlock(&s->lock);
	return n;
}
