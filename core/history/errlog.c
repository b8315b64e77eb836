/* errlog — see errlog.h. */
#include "core/history/errlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

enum { ERRLOG_SSH, ERRLOG_METRICS, ERRLOG_DOCKER, ERRLOG_TUNNEL, ERRLOG_TAILSCALE, ERRLOG_PER_HOST };
enum { ERRLOG_POSTGRES, ERRLOG_REDIS, ERRLOG_CLOUDFLARE, ERRLOG_PANELS, ERRLOG_PROBES,
       ERRLOG_AUTHENTIK, ERRLOG_SHARED };

static const char *const errlog_host_names[ERRLOG_PER_HOST] = {
	"ssh", "metrics", "docker", "tunnel", "tailscale",
};
static const char *const errlog_shared_names[ERRLOG_SHARED] = {
	"postgres", "redis", "cloudflare", "panels", "probes", "authentik",
};

struct errlog_slot {
	bool seen;          /* a state was observed */
	char *norm;         /* the error with its numbers as '#', or NULL: ok */
	int64_t since_ms;   /* wall clock the error began */
};

struct errlog {
	char *path;
	int fd;
	long max_bytes;
	struct errlog_slot *slots;
	size_t nslots;
	char *error;
};

char *errlog_default_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (state != NULL && state[0] == '/')
		return xasprintf("%s/kitetop/kitetop.log", state);
	return xasprintf("%s/.local/state/kitetop/kitetop.log",
	                 home != NULL && home[0] != '\0' ? home : ".");
}

static int errlog_reopen(struct errlog *l, char **cause)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd == -1) {
		util_set_cause(cause, "error log %s: %s", l->path, strerror(errno));
		return -1;
	}
	return 0;
}

struct errlog *errlog_open(const char *path, long max_bytes, char **cause)
{
	struct errlog *l = xcalloc(1, sizeof *l);

	l->path = xstrdup(path);
	l->fd = -1;
	l->max_bytes = max_bytes > 0 ? max_bytes : ERRLOG_MAX_BYTES;
	if (util_mkdirs_for(path) != 0) {
		util_set_cause(cause, "error log %s: cannot create its directory: %s", path,
		               strerror(errno));
		errlog_free(l);
		return NULL;
	}
	if (errlog_reopen(l, cause) != 0) {
		errlog_free(l);
		return NULL;
	}
	return l;
}

const char *errlog_error(const struct errlog *l)
{
	return l->error;
}

void errlog_free(struct errlog *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		close(l->fd);
	for (size_t i = 0; i < l->nslots; i++)
		free(l->slots[i].norm);
	free(l->slots);
	free(l->path);
	free(l->error);
	free(l);
}

/* The error with every run of digits as one '#'.  Caller frees. */
static char *errlog_norm(const char *s)
{
	struct buf b;

	buf_init(&b);
	while (*s != '\0') {
		if (isdigit((unsigned char)*s)) {
			buf_putc(&b, '#');
			while (isdigit((unsigned char)*s))
				s++;
		} else {
			buf_putc(&b, *s++);
		}
	}
	return buf_steal(&b);
}

/* Appends line (newline-terminated), rotating first when it would pass
 * the bound. */
static void errlog_write(struct errlog *l, const char *line, size_t len)
{
	struct stat st;
	char *old, *cause = NULL;

	if (l->fd >= 0 && fstat(l->fd, &st) == 0 && st.st_size > 0 &&
	    st.st_size + (off_t)len > (off_t)l->max_bytes) {
		old = xasprintf("%s.1", l->path);
		if (rename(l->path, old) != 0 || errlog_reopen(l, &cause) != 0) {
			free(l->error);
			l->error = cause != NULL ? cause : xasprintf("error log %s: cannot rotate: %s",
			                                             l->path, strerror(errno));
		}
		free(old);
	}
	if (l->fd < 0 || util_write_all(l->fd, line, len) != 0) {
		if (l->fd >= 0) {
			free(l->error);
			l->error = xasprintf("error log %s: %s", l->path, strerror(errno));
		}
	}
}

/* "2026-12-06T22:04:30.123Z" */
static void errlog_stamp(char *out, size_t n, int64_t ms)
{
	size_t len;

	time_format_iso8601(out, n, ms);
	len = strlen(out);
	if (len > 0 && out[len - 1] == 'Z' && len + 5 <= n)
		snprintf(out + len - 1, n - len + 1, ".%03dZ", (int)(((ms % 1000) + 1000) % 1000));
}

/* One source's state now: error (NULL: ok) at when_ms. */
static void errlog_source(struct errlog *l, struct errlog_slot *s, const char *host,
                          const char *what, const char *error, int64_t when_ms)
{
	char *norm = error != NULL ? errlog_norm(error) : NULL;
	char stamp[40];
	struct buf b;

	if (s->seen && (norm == NULL ? s->norm == NULL : s->norm != NULL && strcmp(norm, s->norm) == 0)) {
		free(norm);
		return;   /* the same state */
	}
	if (!s->seen && norm == NULL) {
		s->seen = true;
		return;   /* fine from the start: nothing to say */
	}
	buf_init(&b);
	errlog_stamp(stamp, sizeof stamp, when_ms);
	buf_printf(&b, "%s %s%s%s: ", stamp, host != NULL ? host : "", host != NULL ? " " : "", what);
	if (norm != NULL) {
		buf_puts(&b, "error: ");
		for (const char *c = error; *c != '\0'; c++)   /* in full, on one line */
			buf_putc(&b, (unsigned char)*c < 0x20 ? ' ' : *c);
		if (s->norm == NULL)
			s->since_ms = when_ms;
	} else {
		int64_t secs = (when_ms - s->since_ms) / 1000;

		if (secs < 120)
			buf_printf(&b, "ok again after %lld s", (long long)(secs > 0 ? secs : 0));
		else if (secs < 7200)
			buf_printf(&b, "ok again after %lld min", (long long)(secs / 60));
		else
			buf_printf(&b, "ok again after %lld h", (long long)(secs / 3600));
	}
	buf_putc(&b, '\n');
	errlog_write(l, buf_cstr(&b), b.len);
	buf_done(&b);
	free(s->norm);
	s->norm = norm;
	s->seen = true;
}

static void errlog_feed(struct errlog *l, struct errlog_slot *s, const char *host, const char *what,
                        const struct frame_feed *feed, int64_t now_ms)
{
	if (!feed->configured || !feed->polled)
		return;   /* nothing known yet */
	errlog_source(l, s, host, what, feed->error, feed->polled_ms > 0 ? feed->polled_ms : now_ms);
}

void errlog_frame(struct errlog *l, const struct frame *f)
{
	size_t need = f->nhosts * ERRLOG_PER_HOST + ERRLOG_SHARED;
	const struct frame_feed *shared[ERRLOG_SHARED] = {
		&f->postgres.feed, &f->redis.feed, &f->cloudflare.feed, &f->panels.feed,
		&f->probes.feed, &f->authentik.feed,
	};
	int64_t now = f->taken_ms > 0 ? f->taken_ms : time_real_ms();

	if (l->nslots < need) {   /* the configuration never changes: once */
		l->slots = xreallocarray(l->slots, need, sizeof *l->slots);
		memset(l->slots + l->nslots, 0, (need - l->nslots) * sizeof *l->slots);
		l->nslots = need;
	}
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];
		struct errlog_slot *s = &l->slots[i * ERRLOG_PER_HOST];
		const struct frame_feed *feeds[ERRLOG_PER_HOST] = {
			NULL, &h->metrics.feed, &h->docker.feed, &h->tunnel.feed, &h->tailscale.feed,
		};

		if (h->reach.known)
			errlog_source(l, &s[ERRLOG_SSH], h->name, errlog_host_names[ERRLOG_SSH],
			              h->reach.connected ? NULL : h->reach.error[0] != '\0' ?
			              h->reach.error : "not connected",
			              h->reach.since_ms > 0 ? h->reach.since_ms : now);
		if (!h->reach.connected)
			continue;   /* its sources wait for the connection: not their errors */
		for (int k = ERRLOG_METRICS; k < ERRLOG_PER_HOST; k++)
			errlog_feed(l, &s[k], h->name, errlog_host_names[k], feeds[k], now);
	}
	for (int k = 0; k < ERRLOG_SHARED; k++)
		errlog_feed(l, &l->slots[f->nhosts * ERRLOG_PER_HOST + k], NULL, errlog_shared_names[k],
		            shared[k], now);
}
