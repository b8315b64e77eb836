/* detail — see detail.h. */
#include "core/feeds/detail.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/docker.h"
#include "core/base/cancel.h"
#include "core/base/util.h"
#include "core/fleet/route.h"

struct detail {
	struct fleet *fleet;
	struct fleet_host *host;
	char *container;
	struct wake *wake;
	int interval_ms;
	atomic_int cancel;
	pthread_t thread;
	bool started;

	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t cond;        /* signalled by close */
	bool fresh;                 /* a result not yet taken */
	struct docker_detail *result;
	char err[512];
};

/* One inspect: the result (or error) left for the UI. */
static void detail_fetch(struct detail *d, struct docker *dc, const char *setup_error)
{
	struct docker_detail *dd = NULL;
	char *body = NULL, *cause = NULL;
	size_t len = 0;

	if (dc == NULL)
		cause = xstrdup(setup_error != NULL ? setup_error : "docker: no client");
	else if (docker_inspect_json(dc, d->container, &body, &len, &cause) == 0)
		docker_detail_parse(body, len, &dd, &cause);
	free(body);
	if (atomic_load(&d->cancel)) {
		docker_detail_free(dd);
		free(cause);
		return;
	}
	pthread_mutex_lock(&d->lock);
	docker_detail_free(d->result);
	d->result = dd;
	util_strlcpy(d->err, cause != NULL ? cause : "", sizeof d->err);
	d->fresh = true;
	pthread_mutex_unlock(&d->lock);
	free(cause);
	wake_signal(d->wake);
}

static void *detail_main(void *arg)
{
	struct detail *d = arg;
	char *cause = NULL;
	struct docker *dc = route_docker_open(d->host, d->fleet->cfg->timeout_ms, -1, &d->cancel, &cause);

	while (!atomic_load(&d->cancel)) {
		struct timespec until;

		detail_fetch(d, dc, cause);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += d->interval_ms / 1000;
		until.tv_nsec += (long)(d->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&d->lock);
		while (!atomic_load(&d->cancel) &&
		       pthread_cond_timedwait(&d->cond, &d->lock, &until) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&d->lock);
	}
	docker_free(dc);
	free(cause);
	return NULL;
}

struct detail *detail_open(struct fleet *fleet, struct fleet_host *host, const char *container,
                           int interval_ms, struct wake *wake)
{
	struct detail *d = xcalloc(1, sizeof *d);

	d->fleet = fleet;
	d->host = host;
	d->container = xstrdup(container);
	d->wake = wake;
	d->interval_ms = interval_ms < 1000 ? 1000 : interval_ms;
	atomic_init(&d->cancel, 0);
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (pthread_create(&d->thread, NULL, detail_main, d) == 0) {
		d->started = true;
	} else {
		util_strlcpy(d->err, "cannot start the inspect thread", sizeof d->err);
		d->fresh = true;
	}
	return d;
}

void detail_close(struct detail *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	cancel_raise(&d->cancel);
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (d->started)
		pthread_join(d->thread, NULL);
	docker_detail_free(d->result);
	free(d->container);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

int detail_take(struct detail *d, struct docker_detail **out, char *err, size_t errsz)
{
	int rc = 0;

	*out = NULL;
	pthread_mutex_lock(&d->lock);
	if (d->fresh) {
		*out = d->result;
		d->result = NULL;
		util_strlcpy(err, d->err, errsz);
		d->fresh = false;
		rc = 1;
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}
