/* logs — see logs.h. */
#include "core/feeds/logs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/cancel.h"
#include "core/base/util.h"
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
};

static int logs_on_line(const struct docker_log_line *line, void *arg)
{
	struct logs *l = arg;
	struct logs_line *slot;
	char *text;

	if (atomic_load(&l->cancel))
		return -1;
	text = xstrndup(line->text, line->len);
	for (char *p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = '?';
	pthread_mutex_lock(&l->lock);
	if (l->n == LOGS_MAX_LINES) {
		free(l->ring[l->start].text);
		l->start = (l->start + 1) % LOGS_MAX_LINES;
		l->n--;
		l->dropped++;
	}
	slot = &l->ring[(l->start + l->n) % LOGS_MAX_LINES];
	slot->text = text;
	slot->ts_ms = line->ts_ms;
	slot->stderr_stream = line->stream == DOCKER_STREAM_STDERR;
	l->n++;
	pthread_mutex_unlock(&l->lock);
	wake_signal(l->wake);
	return 0;
}

static void *logs_main(void *arg)
{
	struct logs *l = arg;
	char *cause = NULL;
	struct docker *d = route_docker_open(l->host, l->fleet->cfg->timeout_ms, -1, &l->cancel, &cause);
	struct docker_logs_options opt = { .tail = l->opt.tail, .since_s = l->opt.since_s,
	                                   .follow = l->opt.follow, .timestamps = true };

	/* the end of a followed stream is news; of the others, just the end */
	if (d != NULL && docker_logs(d, l->container, &opt, logs_on_line, l, &cause) == 0 &&
	    l->opt.follow && !atomic_load(&l->cancel))
		util_set_cause(&cause, "the log stream ended (the container stopped?)");
	docker_free(d);
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
