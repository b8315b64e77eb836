/* feed_exec — see feed_exec.h. */
#include "core/feeds/feed_exec.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

/* Waits (bounded by the configured timeout) for h's SSH session's first
 * connection attempt: at start the session may still be connecting, and a
 * failure here would back off for two intervals.  0 when connected, else
 * -1 with *cause ("what: why"). */
static int feed_ssh_ready(struct fleet *fleet, struct fleet_host *h, const char *what,
                          const atomic_int *cancel, char **cause)
{
	if (h->ssh == NULL) {
		util_set_cause(cause, "%s: %s", what, h->ssh_error != NULL ? h->ssh_error : "no SSH session");
		return -1;
	}
	for (int64_t until = time_mono_ms() + fleet->cfg->timeout_ms;;) {
		struct fleet_reach r;

		fleet_host_reach(h, &r);
		if (r.connected)
			return 0;
		if (r.known || time_mono_ms() >= until || (cancel != NULL && atomic_load(cancel) != 0)) {
			util_set_cause(cause, "%s: %s", what, r.error[0] != '\0' ? r.error : "ssh: not connected");
			return -1;
		}
		time_sleep_ms(100);
	}
}

/* A connection to the exec tunnel at path: the fd, or -1 with *cause. */
static int feed_exec_connect(const char *path, const char *what, char **cause)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		util_set_cause(cause, "%s: tunnel socket path too long", what);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		util_set_cause(cause, "%s: cannot reach the SSH tunnel: %s", what, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* feed_sampler_answer_len, looking only at lines that start at or after
 * from (what was looked at before cannot hold the end). */
static size_t feed_exec_answer_len_from(const char *b, size_t len, const char *end, size_t from)
{
	size_t el = strlen(end);

	for (size_t i = from; i + el < len; i++) {
		if ((i == 0 || b[i - 1] == '\n') && memcmp(b + i, end, el) == 0 &&
		    (b[i + el] == '\n' || (b[i + el] == '\r' && i + el + 1 < len && b[i + el + 1] == '\n')))
			return i + el + (b[i + el] == '\r' ? 2 : 1);
	}
	return 0;
}

size_t feed_sampler_answer_len(const char *b, size_t len, const char *end)
{
	return feed_exec_answer_len_from(b, len, end, 0);
}

/* What feed_exec_read saw end the read. */
enum feed_exec_stop {
	FEED_EXEC_EOF,        /* the stream ended */
	FEED_EXEC_ANSWER,     /* an answer's end line (end != NULL) */
	FEED_EXEC_MORE,       /* that, and bytes after it (cut off) */
};

/* Reads fd into *out (at most max bytes more) until the stream ends or,
 * with end != NULL, until an answer ending with the line `end`, within
 * timeout_ms.  0 and *stop; -1 with *cause; FEED_EXEC_TIMEOUT with *cause
 * at the deadline. */
static int feed_exec_read(int fd, const char *what, size_t max, int timeout_ms,
                          const atomic_int *cancel, const char *end, struct buf *out,
                          enum feed_exec_stop *stop, char **cause)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	size_t start = out->len, at, looked = 0;
	char tmp[16384];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - time_mono_ms();
		ssize_t n;

		if (cancel != NULL && atomic_load(cancel) != 0) {
			util_set_cause(cause, "%s: cancelled", what);
			return -1;
		}
		if (left <= 0) {
			util_set_cause(cause, "%s: timeout after %d s", what, (timeout_ms + 999) / 1000);
			return FEED_EXEC_TIMEOUT;
		}
		if (poll(&pfd, 1, left < 100 ? (int)left : 100) < 0 && errno != EINTR) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			return -1;
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, tmp, sizeof tmp);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		/* a kept channel's reset: the other end closed with our line
		 * unread (the session lost), an end too */
		if (n < 0 && (errno != ECONNRESET || end == NULL)) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			return -1;
		}
		if (n <= 0) {
			*stop = FEED_EXEC_EOF;
			return 0;
		}
		if (out->len + (size_t)n - start > max) {
			util_set_cause(cause, "%s: answer larger than %zu KiB", what, max / 1024);
			return -1;
		}
		buf_append(out, tmp, (size_t)n);
		if (end == NULL)
			continue;
		/* the answer comes a line or so a read: only the new bytes
		 * (and the line they finish) are looked at */
		at = feed_exec_answer_len_from(out->data + start, out->len - start, end, looked);
		if (at > 0) {
			*stop = start + at == out->len ? FEED_EXEC_ANSWER : FEED_EXEC_MORE;
			out->len = start + at;
			return 0;
		}
		looked = out->len - start;
		while (looked > 0 && out->data[start + looked - 1] != '\n')
			looked--;
	}
}

int feed_ssh_exec(struct fleet *fleet, struct fleet_host *h, const char *command, const char *what,
                  size_t max, const atomic_int *cancel, struct buf *out, char **cause)
{
	return feed_ssh_exec_longer(fleet, h, command, what, 0, false, max, cancel, out, cause);
}

int feed_ssh_exec_longer(struct fleet *fleet, struct fleet_host *h, const char *command,
                         const char *what, int extra_ms, bool urgent, size_t max,
                         const atomic_int *cancel, struct buf *out, char **cause)
{
	int timeout_ms = fleet->cfg->timeout_ms + extra_ms;
	enum feed_exec_stop stop;
	char *path;
	int fd, rc;

	if (feed_ssh_ready(fleet, h, what, cancel, cause) != 0)
		return -1;
	path = transport_ssh_forward_exec_first(h->ssh, command, urgent, cause);
	if (path == NULL)
		return -1;
	fd = feed_exec_connect(path, what, cause);
	free(path);
	if (fd < 0)
		return -1;
	(void)shutdown(fd, SHUT_WR);     /* no input: the channel's EOF */
	rc = feed_exec_read(fd, what, max, timeout_ms, cancel, NULL, out, &stop, cause);
	close(fd);
	return rc;
}

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

/* Each answer held by the shell (a command substitution) and written at
 * once: the commands write it in pieces (an echo, a cat or a grep each),
 * each of which the host's sshd would send as a packet of its own, each a
 * wake-up of the reader's threads; one write is one or two packets. */
char *feed_sampler_loop(const char *command)
{
	return xasprintf("while read -r _; do o=$(%s); printf '%%s\\n' \"$o\"; done", command);
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
	return 0;
}

int feed_sampler_ask(struct feed_sampler *s, struct fleet *fleet, struct fleet_host *h,
                     const char *command, const char *end, const char *what, size_t max,
                     const atomic_int *cancel, struct buf *out, char **cause)
{
	bool fresh = false;

	if (s->fd >= 0 && (s->command == NULL || strcmp(s->command, command) != 0))
		feed_sampler_close(s);
	for (;;) {
		enum feed_exec_stop stop;
		size_t start = out->len;
		int rc;

		if (s->fd < 0) {
			if (feed_sampler_open(s, fleet, h, command, what, cancel, cause) != 0)
				return -1;
			fresh = true;
		}
		if (send(s->fd, "\n", 1, MSG_NOSIGNAL) == 1)
			rc = feed_exec_read(s->fd, what, max, fleet->cfg->timeout_ms, cancel, end, out,
			                    &stop, cause);
		else
			rc = 0, stop = FEED_EXEC_EOF;
		/* an answer late (a timeout) or more than one: out of step, so
		 * from the start again at the next ask */
		if (rc != 0 || stop != FEED_EXEC_ANSWER)
			feed_sampler_close(s);
		if (rc != 0 || stop != FEED_EXEC_EOF || out->len > start)
			return rc;   /* an answer, or a shell's words before it ended */
		/* closed before it answered: a kept channel lost with the
		 * session is opened again, once; a new one that ends at once
		 * is the host's refusal */
		if (fresh) {
			util_set_cause(cause, "%s: the command ended without an answer", what);
			return -1;
		}
	}
}
