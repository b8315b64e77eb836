/* logs — see logs.h. */
#include "core/feeds/logs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/cancel.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/logs_resume.h"
#include "core/fleet/route.h"

struct logs {
	struct fleet *fleet;
	struct fleet_host *host;
	char *container;
	struct wake *wake;
	struct logs_options opt;
	atomic_int cancel;
	pthread_t thread;

	pthread_mutex_t lock;       /* guards everything below */
	struct logs_line *ring;     /* LOGS_MAX_LINES slots */
	size_t start, n;            /* oldest slot, lines held */
	size_t dropped;
	bool running;
	char err[512];
	/* a followed stream that broke and was asked again (logs_main) */
	int64_t last_ts_ms;         /* the last line's timestamp, 0: none yet */
	int64_t lost_ms, resumed_ms;   /* wall clock; lost_ms 0: no gap to mark */
	bool resuming;              /* skip what was already shown */
};

static bool logs_seen_locked(const struct logs *l, int64_t ts_ms, const char *text);
static void logs_mark_gap_locked(struct logs *l);
static void logs_append_locked(struct logs *l, char *text, int64_t ts_ms, bool err);

static int logs_on_line(const struct docker_log_line *line, void *arg)
{
	struct logs *l = arg;
	char *text;

	if (atomic_load(&l->cancel))
		return -1;
	text = xstrndup(line->text, line->len);
	for (char *p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = '?';
	pthread_mutex_lock(&l->lock);
	if (l->resuming && logs_seen_locked(l, line->ts_ms, text)) {
		pthread_mutex_unlock(&l->lock);
		free(text);
		return 0;
	}
	l->resuming = false;
	if (l->lost_ms != 0) {
		logs_mark_gap_locked(l);
		l->lost_ms = 0;
		l->err[0] = '\0';
	}
	if (line->ts_ms > l->last_ts_ms)
		l->last_ts_ms = line->ts_ms;
	logs_append_locked(l, text, line->ts_ms, line->stream == DOCKER_STREAM_STDERR);
	pthread_mutex_unlock(&l->lock);
	wake_signal(l->wake);
	return 0;
}

static void logs_append_locked(struct logs *l, char *text, int64_t ts_ms, bool err)
{
	struct logs_line *slot;

	if (l->n == LOGS_MAX_LINES) {
		free(l->ring[l->start].text);
		l->start = (l->start + 1) % LOGS_MAX_LINES;
		l->n--;
		l->dropped++;
	}
	slot = &l->ring[(l->start + l->n) % LOGS_MAX_LINES];
	slot->text = text;
	slot->ts_ms = ts_ms;
	slot->stderr_stream = err;
	l->n++;
}

/* A resumed stream starts at the last line's millisecond, so it repeats that
 * line and any before it: a line older than the last, or of the same
 * millisecond and text as one already held, is not news. */
static bool logs_seen_locked(const struct logs *l, int64_t ts_ms, const char *text)
{
	if (ts_ms < l->last_ts_ms)
		return true;
	if (ts_ms > l->last_ts_ms)
		return false;
	for (size_t i = l->n; i > 0; i--) {
		const struct logs_line *p = &l->ring[(l->start + i - 1) % LOGS_MAX_LINES];

		if (p->ts_ms != ts_ms)
			break;
		if (strcmp(p->text, text) == 0)
			return true;
	}
	return false;
}

/* One line where the stream was down, so the reader knows lines may be
 * missing there (those printed while down come after it, as the engine
 * kept them). */
static void logs_mark_gap_locked(struct logs *l)
{
	char text[96];

	logs_resume_gap_text(l->lost_ms, l->resumed_ms, text, sizeof text);
	logs_append_locked(l, xstrdup(text), l->last_ts_ms, false);
}

void logs_wait_retry(struct fleet_host *host, int64_t ms, const atomic_int *cancel)
{
	int64_t until = time_mono_ms() + ms;
	bool down = false;

	while ((cancel == NULL || !atomic_load(cancel)) && time_mono_ms() < until) {
		if (host->ssh != NULL) {
			struct transport_ssh_status st;

			transport_ssh_status(host->ssh, &st);
			if (!st.connected)
				down = true;
			else if (down)
				return;   /* back: the engine answers again */
		}
		time_sleep_ms(until - time_mono_ms() < 100 ? until - time_mono_ms() : 100);
	}
}

/* One stream: 0 when it ended (the container stopped, or not following), -1
 * with *cause when it broke. */
static int logs_stream(struct logs *l, const struct docker_logs_options *opt, char **cause)
{
	struct docker *d = route_docker_open(l->host, l->fleet->cfg->timeout_ms, -1, &l->cancel, cause);
	int rc = d != NULL ? docker_logs(d, l->container, opt, logs_on_line, l, cause) : -1;

	docker_free(d);
	return rc;
}

static void *logs_main(void *arg)
{
	struct logs *l = arg;
	char *cause = NULL;
	struct docker_logs_options opt = { .tail = l->opt.tail, .since_s = l->opt.since_s,
	                                   .follow = l->opt.follow, .timestamps = true };
	int64_t backoff = LOGS_RETRY_MIN_MS;
	int rc = logs_stream(l, &opt, &cause);

	/* a followed stream that broke (the host's SSH dropped, its engine
	 * restarted) is asked again from its last line, with a backoff while
	 * the host stays down; a tail that never started is an error as before */
	while (rc == -1 && l->opt.follow && !atomic_load(&l->cancel)) {
		pthread_mutex_lock(&l->lock);
		if (l->lost_ms == 0) {
			/* a new break (the last resume delivered lines): start over */
			l->lost_ms = time_real_ms();
			backoff = LOGS_RETRY_MIN_MS;
		}
		util_strlcpy(l->err, cause != NULL ? cause : "the log stream broke", sizeof l->err);
		pthread_mutex_unlock(&l->lock);
		wake_signal(l->wake);
		free(cause);
		cause = NULL;
		logs_wait_retry(l->host, backoff, &l->cancel);
		backoff = backoff * 2 > LOGS_RETRY_MAX_MS ? LOGS_RETRY_MAX_MS : backoff * 2;
		if (atomic_load(&l->cancel))
			break;
		pthread_mutex_lock(&l->lock);
		l->resumed_ms = time_real_ms();
		l->resuming = l->last_ts_ms > 0;
		opt.tail = -1;
		opt.since_s = 0;
		opt.since_ms = l->last_ts_ms;   /* 0: nothing came yet, ask as at first */
		if (l->last_ts_ms == 0)
			opt = (struct docker_logs_options){ .tail = l->opt.tail, .since_s = l->opt.since_s,
			                                    .follow = true, .timestamps = true };
		pthread_mutex_unlock(&l->lock);
		rc = logs_stream(l, &opt, &cause);
		if (rc == -1 && cause != NULL && strstr(cause, "No such container") != NULL)
			break;
	}
	/* the end of a followed stream is news; of the others, just the end */
	if (rc == 0 && l->opt.follow && !atomic_load(&l->cancel))
		util_set_cause(&cause, "the log stream ended (the container stopped?)");
	pthread_mutex_lock(&l->lock);
	l->running = false;
	if (cause != NULL && !atomic_load(&l->cancel))
		util_strlcpy(l->err, cause, sizeof l->err);
	pthread_mutex_unlock(&l->lock);
	free(cause);
	wake_signal(l->wake);
	return NULL;
}

struct logs *logs_open(struct fleet *fleet, struct fleet_host *host, const char *container,
                       struct wake *wake)
{
	struct logs_options opt = { .tail = LOGS_TAIL, .follow = true };

	return logs_open_with(fleet, host, container, &opt, wake);
}

struct logs *logs_open_with(struct fleet *fleet, struct fleet_host *host, const char *container,
                            const struct logs_options *opt, struct wake *wake)
{
	struct logs *l = xcalloc(1, sizeof *l);
	int rc;

	l->fleet = fleet;
	l->host = host;
	l->container = xstrdup(container);
	l->wake = wake;
	l->opt = *opt;
	l->ring = xcalloc(LOGS_MAX_LINES, sizeof *l->ring);
	l->running = true;
	atomic_init(&l->cancel, 0);
	pthread_mutex_init(&l->lock, NULL);
	rc = pthread_create(&l->thread, NULL, logs_main, l);
	if (rc != 0) {
		l->running = false;
		util_strlcpy(l->err, "cannot start the log thread", sizeof l->err);
		l->thread = pthread_self();   /* marks "not started" for close */
	} else {
		util_thread_name(l->thread, "logs");
	}
	return l;
}

void logs_close(struct logs *l)
{
	if (l == NULL)
		return;
	cancel_raise(&l->cancel);
	if (!pthread_equal(l->thread, pthread_self()))
		pthread_join(l->thread, NULL);
	for (size_t i = 0; i < l->n; i++)
		free(l->ring[(l->start + i) % LOGS_MAX_LINES].text);
	free(l->ring);
	free(l->container);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

void logs_state(struct logs *l, size_t *n, size_t *dropped, bool *running, char *err, size_t errsz)
{
	pthread_mutex_lock(&l->lock);
	*n = l->n;
	*dropped = l->dropped;
	*running = l->running;
	util_strlcpy(err, l->err, errsz);
	pthread_mutex_unlock(&l->lock);
}

size_t logs_copy(struct logs *l, size_t first, size_t count, struct logs_line **out)
{
	size_t k = 0;

	pthread_mutex_lock(&l->lock);
	if (first > l->n)
		first = l->n;
	if (count > l->n - first)
		count = l->n - first;
	*out = xcalloc(count + 1, sizeof **out);
	for (k = 0; k < count; k++) {
		const struct logs_line *src = &l->ring[(l->start + first + k) % LOGS_MAX_LINES];

		(*out)[k] = *src;
		(*out)[k].text = xstrdup(src->text);
	}
	pthread_mutex_unlock(&l->lock);
	return k;
}

void logs_lines_free(struct logs_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}
