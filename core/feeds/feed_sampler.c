/* feed_sampler — see feed_sampler.h. */
#include "core/feeds/feed_sampler.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"

void feed_sampler_init(struct feed_sampler *s)
{
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

static void feed_sampler_close(struct feed_sampler *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

void feed_sampler_done(struct feed_sampler *s)
{
	feed_sampler_close(s);
	free(s->command);
	s->command = NULL;
}

char *feed_sampler_loop(const char *command)
{
	return xasprintf("while read -r _; do %s; done", command);
}

size_t feed_sampler_answer_len(const char *b, size_t len, const char *end)
{
	size_t el = strlen(end);

	for (size_t i = 0; i + el < len; i++) {
		if ((i == 0 || b[i - 1] == '\n') && memcmp(b + i, end, el) == 0 &&
		    (b[i + el] == '\n' || (b[i + el] == '\r' && i + el + 1 < len && b[i + el + 1] == '\n')))
			return i + el + (b[i + el] == '\r' ? 2 : 1);
	}
	return 0;
}

/* Opens the channel: 0, or -1 with *cause. */
static int feed_sampler_open(struct feed_sampler *s, struct fleet *fleet, struct fleet_host *h,
                             const char *command, const char *what, const atomic_int *cancel,
                             char **cause)
{
	char *loop, *path;

	if (feed_ssh_ready(fleet, h, what, cancel, cause) != 0)
		return -1;
	loop = feed_sampler_loop(command);
	path = transport_ssh_forward_exec(h->ssh, loop, cause);
	free(loop);
	if (path == NULL)
		return -1;
	s->fd = feed_exec_connect(path, what, cause);
	free(path);
	if (s->fd < 0)
		return -1;
	free(s->command);
	s->command = xstrdup(command);
	s->opened++;
	return 0;
}

/* The answer to one line sent: as feed_sampler_ask; 1 when the channel was
 * found closed before any byte of it (to open again). */
static int feed_sampler_once(struct feed_sampler *s, const char *end, const char *what, size_t max,
                             int timeout_ms, const atomic_int *cancel, struct buf *out,
                             char **cause)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	size_t start = out->len, at;
	char tmp[16384];

	if (send(s->fd, "\n", 1, MSG_NOSIGNAL) != 1) {
		feed_sampler_close(s);
		return 1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
		int64_t left = deadline - time_mono_ms();
		ssize_t n;

		if (cancel != NULL && atomic_load(cancel) != 0) {
			util_set_cause(cause, "%s: cancelled", what);
			break;
		}
		if (left <= 0) {
			/* a late answer would be taken for the next one */
			util_set_cause(cause, "%s: timeout after %d s", what, (timeout_ms + 999) / 1000);
			feed_sampler_close(s);
			return FEED_EXEC_TIMEOUT;
		}
		if (poll(&pfd, 1, left < 100 ? (int)left : 100) < 0 && errno != EINTR) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			break;
		}
		if (pfd.revents == 0)
			continue;
		n = read(s->fd, tmp, sizeof tmp);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno != ECONNRESET) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			break;
		}
		if (n <= 0) {
			/* the channel ended: closed meanwhile (nothing), or the
			 * shell's own answer (its error) */
			feed_sampler_close(s);
			return out->len == start ? 1 : 0;
		}
		if (out->len + (size_t)n - start > max) {
			util_set_cause(cause, "%s: answer larger than %zu KiB", what, max / 1024);
			break;
		}
		buf_append(out, tmp, (size_t)n);
		at = feed_sampler_answer_len(out->data + start, out->len - start, end);
		if (at > 0) {
			/* more than one answer: out of step, so from the start again */
			if (start + at != out->len) {
				out->len = start + at;
				feed_sampler_close(s);
			}
			return 0;
		}
	}
	feed_sampler_close(s);
	return -1;
}

int feed_sampler_ask(struct feed_sampler *s, struct fleet *fleet, struct fleet_host *h,
                     const char *command, const char *end, const char *what, size_t max,
                     const atomic_int *cancel, struct buf *out, char **cause)
{
	bool fresh = false;
	int rc;

	if (s->fd >= 0 && (s->command == NULL || strcmp(s->command, command) != 0))
		feed_sampler_close(s);
	for (;;) {
		if (s->fd < 0) {
			if (feed_sampler_open(s, fleet, h, command, what, cancel, cause) != 0)
				return -1;
			fresh = true;
		}
		rc = feed_sampler_once(s, end, what, max, fleet->cfg->timeout_ms, cancel, out, cause);
		if (rc != 1)
			return rc;
		/* closed before it answered: a kept channel lost with the
		 * session is opened again, once; a new one that ends at once
		 * is the host's refusal */
		if (fresh) {
			util_set_cause(cause, "%s: the command ended without an answer", what);
			return -1;
		}
	}
}
