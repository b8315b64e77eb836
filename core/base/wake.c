/* wake — see wake.h. */
#include "core/base/wake.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/util.h"

struct wake {
	int rfd, wfd;
	atomic_bool pending;   /* a byte is in the pipe, or about to be */
};

struct wake *wake_new(char **cause)
{
	int fds[2];
	struct wake *w;

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1) {
		util_set_cause(cause, "cannot create wake pipe: %s", strerror(errno));
		return NULL;
	}
	w = xmalloc(sizeof *w);
	w->rfd = fds[0];
	w->wfd = fds[1];
	atomic_init(&w->pending, false);
	return w;
}

void wake_free(struct wake *w)
{
	if (w == NULL)
		return;
	close(w->rfd);
	close(w->wfd);
	free(w);
}

void wake_signal(struct wake *w)
{
	int saved = errno;
	ssize_t n;

	if (w == NULL)
		return;
	/* one byte per wake-up is enough: the threads that publish while one
	 * is pending make no system call (wake_drain clears it) */
	if (atomic_exchange(&w->pending, true))
		return;
	do
		n = write(w->wfd, "w", 1);
	while (n == -1 && errno == EINTR);
	errno = saved;   /* EAGAIN: the pipe is full, the reader is already woken */
}

int wake_fd(const struct wake *w)
{
	return w->rfd;
}

void wake_drain(struct wake *w)
{
	char tmp[256];
	ssize_t n;

	do
		n = read(w->rfd, tmp, sizeof tmp);
	while (n > 0 || (n == -1 && errno == EINTR));
	/* after the read: a signal between the two finds the flag still up
	 * and writes nothing, but what it published is seen by the reader,
	 * who looks at the state after draining */
	atomic_store(&w->pending, false);
}
