/* feed_common — see feed_common.h. */
#include "core/feeds/feed_common.h"

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

int feed_whole_refreshes_ms(int refresh_ms, int min_ms)
{
	int r = refresh_ms > 0 ? refresh_ms : 2000;

	return r >= min_ms ? r : (min_ms + r - 1) / r * r;
}

int feed_prom_interval_ms(const struct config *cfg)
{
	return feed_whole_refreshes_ms(cfg->refresh_ms, FEED_PROM_MIN_INTERVAL_MS);
}

int feed_probe_interval_ms(const struct config *cfg)
{
	return feed_whole_refreshes_ms(cfg->refresh_ms, FEED_PROBE_MIN_INTERVAL_MS);
}

struct source *feed_host_source_new(const struct fleet_host *h, const char *kind,
                                    struct source_params p, const struct source_ops *ops,
                                    void *arg, struct wake *wake)
{
	char *name = xasprintf("%s/%s", h->name, kind);
	struct source *s;

	p.name = name;
	s = source_new(&p, ops, arg, wake);
	free(name);
	return s;
}

int feed_exec_connect(const char *path, const char *what, char **cause)
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

/* Runs the command through the exec tunnel at path; its output into *out.
 * 0, or -1 with *cause. */
static int feed_exec_run(const char *path, const char *what, size_t max, int timeout_ms,
                         const atomic_int *cancel, struct buf *out, char **cause)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	int fd, rc = -1;
	char tmp[16384];

	fd = feed_exec_connect(path, what, cause);
	if (fd < 0)
		return -1;
	(void)shutdown(fd, SHUT_WR);     /* no input: the channel's EOF */
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - time_mono_ms();
		ssize_t n;

		if (cancel != NULL && atomic_load(cancel) != 0) {
			util_set_cause(cause, "%s: cancelled", what);
			break;
		}
		if (left <= 0) {
			util_set_cause(cause, "%s: timeout after %d s", what, (timeout_ms + 999) / 1000);
			rc = FEED_EXEC_TIMEOUT;
			break;
		}
		if (poll(&pfd, 1, left < 100 ? (int)left : 100) < 0 && errno != EINTR) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			break;
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, tmp, sizeof tmp);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			util_set_cause(cause, "%s: %s", what, strerror(errno));
			break;
		}
		if (n == 0) {
			rc = 0;
			break;
		}
		if (out->len + (size_t)n > max) {
			util_set_cause(cause, "%s: answer larger than %zu KiB", what, max / 1024);
			break;
		}
		buf_append(out, tmp, (size_t)n);
	}
	close(fd);
	return rc;
}

int feed_ssh_ready(struct fleet *fleet, struct fleet_host *h, const char *what,
                   const atomic_int *cancel, char **cause)
{
	if (h->ssh == NULL) {
		util_set_cause(cause, "%s: %s", what, h->ssh_error != NULL ? h->ssh_error : "no SSH session");
		return -1;
	}
	/* at start the session may still be connecting: wait for its first
	 * attempt (a failure here would back off for two intervals) */
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

int feed_ssh_exec(struct fleet *fleet, struct fleet_host *h, const char *command, const char *what,
                  size_t max, const atomic_int *cancel, struct buf *out, char **cause)
{
	return feed_ssh_exec_longer(fleet, h, command, what, 0, false, max, cancel, out, cause);
}

int feed_ssh_exec_longer(struct fleet *fleet, struct fleet_host *h, const char *command,
                         const char *what, int extra_ms, bool urgent, size_t max,
                         const atomic_int *cancel, struct buf *out, char **cause)
{
	char *path;
	int rc;

	if (feed_ssh_ready(fleet, h, what, cancel, cause) != 0)
		return -1;
	path = transport_ssh_forward_exec_first(h->ssh, command, urgent, cause);
	if (path == NULL)
		return -1;
	rc = feed_exec_run(path, what, max, fleet->cfg->timeout_ms + extra_ms, cancel, out, cause);
	free(path);
	return rc;
}
