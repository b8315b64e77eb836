/* ssh_pump_waitset — see ssh_pump_waitset.h. */
#include "backends/transport/ssh_pump_waitset.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/base/util.h"

int
ssh_pump_waitset_open(struct ssh_pump_waitset *ws)
{
	ws->nlisteners = ws->cap = 0;
	ws->listeners = NULL;
	ws->epfd = epoll_create1(EPOLL_CLOEXEC);
	return ws->epfd < 0 ? -1 : 0;
}

void
ssh_pump_waitset_close(struct ssh_pump_waitset *ws)
{
	if (ws->epfd >= 0)
		close(ws->epfd);
	ws->epfd = -1;
	free(ws->listeners);
	ws->listeners = NULL;
	ws->nlisteners = ws->cap = 0;
}

int
ssh_pump_waitset_set(struct ssh_pump_waitset *ws, int fd, uint32_t *registered, uint32_t want)
{
	struct epoll_event ev = { .events = want, .data.fd = fd };
	int rc;

	if (want == *registered)
		return 0;
	if (want == 0) {
		(void)epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL);   /* gone already: fine */
		*registered = 0;
		return 0;
	}
	rc = epoll_ctl(ws->epfd, *registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
	if (rc != 0 && errno == EEXIST)
		rc = epoll_ctl(ws->epfd, EPOLL_CTL_MOD, fd, &ev);
	else if (rc != 0 && errno == ENOENT)
		rc = epoll_ctl(ws->epfd, EPOLL_CTL_ADD, fd, &ev);
	if (rc != 0)
		return errno;
	*registered = want;
	return 0;
}

static bool
ssh_pump_waitset_same(const struct ssh_pump_listener *l, const struct ssh_pump_waitset_listener *w)
{
	return l == w->listener && l->fd == w->fd;
}

int
ssh_pump_waitset_listeners(struct ssh_pump_waitset *ws,
    struct ssh_pump_listener *const *listeners, size_t n, uint32_t want)
{
	int first_err = 0, err;
	size_t i, j, keep;

	/* the usual case: the same listeners in the same order, maybe more */
	for (j = 0; j < ws->nlisteners && j < n; j++)
		if (!ssh_pump_waitset_same(listeners[j], &ws->listeners[j]))
			break;
	if (j == ws->nlisteners) {
		if (n > ws->cap) {
			ws->cap = n < 2 * ws->cap ? 2 * ws->cap : n;
			ws->listeners = xrealloc(ws->listeners, ws->cap * sizeof *ws->listeners);
		}
		for (; j < n; j++) {
			ws->listeners[j].listener = listeners[j];
			ws->listeners[j].fd = listeners[j]->fd;
			ws->listeners[j].registered = 0;
		}
		ws->nlisteners = n;
		for (j = 0; j < n; j++) {
			err = ssh_pump_waitset_set(ws, ws->listeners[j].fd,
			    &ws->listeners[j].registered, want);
			if (err != 0 && first_err == 0)
				first_err = err;
		}
		return first_err;
	}
	for (j = keep = 0; j < ws->nlisteners; j++) {
		for (i = 0; i < n; i++)
			if (ssh_pump_waitset_same(listeners[i], &ws->listeners[j]))
				break;
		if (i == n)
			(void)ssh_pump_waitset_set(ws, ws->listeners[j].fd,
			    &ws->listeners[j].registered, 0);
		else
			ws->listeners[keep++] = ws->listeners[j];
	}
	ws->nlisteners = keep;
	for (i = 0; i < n; i++) {
		for (j = 0; j < ws->nlisteners; j++)
			if (ssh_pump_waitset_same(listeners[i], &ws->listeners[j]))
				break;
		if (j == ws->nlisteners) {
			if (j == ws->cap) {
				ws->cap = ws->cap < 8 ? 8 : 2 * ws->cap;
				ws->listeners = xrealloc(ws->listeners,
				    ws->cap * sizeof *ws->listeners);
			}
			ws->listeners[j].listener = listeners[i];
			ws->listeners[j].fd = listeners[i]->fd;
			ws->listeners[j].registered = 0;
			ws->nlisteners++;
		}
		err = ssh_pump_waitset_set(ws, ws->listeners[j].fd, &ws->listeners[j].registered,
		    want);
		if (err != 0 && first_err == 0)
			first_err = err;
	}
	return first_err;
}

size_t
ssh_pump_waitset_listener_index(const struct ssh_pump_waitset *ws, int fd)
{
	size_t j;

	for (j = 0; j < ws->nlisteners; j++)
		if (ws->listeners[j].fd == fd)
			break;
	return j;
}

int
ssh_pump_waitset_wait(struct ssh_pump_waitset *ws, struct epoll_event *events, int max,
    int timeout_ms)
{
	return epoll_wait(ws->epfd, events, max, timeout_ms);
}
