/* eventlog_file — the log's files (see eventlog.h): appending, rotating
 * under a lock, reading the rotated files and the audit log back. */
#include "core/history/eventlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/util.h"
#include "core/history/eventlog_internal.h"

/* Big enough that a log at its cap is read in a few dozen read(2)s. */
#define EVENTLOG_READ_BUF (1024 * 1024)
/* The audit log is not ours: its lines may be longer than ours. */
#define EVENTLOG_AUDIT_MAX_LINE (64 * 1024)

/* ---- appending ---- */

/* Is a file of size bytes due for rotation before adding more?  A file
 * never passes the limit by a whole batch: it rotates first (an empty one
 * takes the batch whatever its size). */
static bool eventlog_due(off_t size, size_t adding)
{
	return size > 0 && (uint64_t)size + adding > (uint64_t)EVENTLOG_ROTATE_BYTES;
}

/* path.N (N > 0), or path itself (N == 0).  Caller frees. */
static char *eventlog_rotated(const char *path, int n)
{
	return n == 0 ? xstrdup(path) : xasprintf("%s.%d", path, n);
}

/* .2 -> .3 (the oldest dropped by the rename), .1 -> .2, path -> .1. */
static int eventlog_rotate(const char *path)
{
	int rc = 0;

	for (int i = EVENTLOG_KEEP; i >= 1 && rc == 0; i--) {
		char *from = eventlog_rotated(path, i - 1), *to = eventlog_rotated(path, i);

		if (rename(from, to) != 0 && errno != ENOENT)
			rc = -1;
		free(from);
		free(to);
	}
	return rc;
}

/* Rotates path when adding bytes would take it past the limit, under the
 * lock of path.lock.  0, or -1 with *cause. */
static int eventlog_rotate_if_due(const char *path, size_t adding, char **cause)
{
	struct stat st;
	char *lock;
	int fd, rc = 0;

	if (stat(path, &st) != 0 || !eventlog_due(st.st_size, adding))
		return 0;
	lock = xasprintf("%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd == -1) {
		util_set_cause(cause, "cannot open %s: %s", lock, strerror(errno));
		free(lock);
		return -1;
	}
	while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	/* Another writer may have rotated while this one waited: look again,
	 * so that two writers rotate once. */
	if (rc == 0 && stat(path, &st) == 0 && eventlog_due(st.st_size, adding))
		rc = eventlog_rotate(path);
	if (rc != 0)
		util_set_cause(cause, "cannot rotate %s: %s", path, strerror(errno));
	close(fd);   /* and with it the lock */
	free(lock);
	return rc;
}

/* n events as lines, one after another.  Caller frees. */
static char *eventlog_lines(const struct event *ev, size_t n, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	for (size_t i = 0; i < n; i++) {
		char *line = eventlog_format(&ev[i]);
		size_t l = strlen(line);

		if (*len + l + 1 > cap) {
			cap = (*len + l + 1) * 2;
			buf = xrealloc(buf, cap);
		}
		memcpy(buf + *len, line, l + 1);
		*len += l;
		free(line);
	}
	return buf;
}

/* One write(2) of the whole batch: with O_APPEND another writer's lines
 * go before or after it, never inside. */
static int eventlog_write(int fd, const char *buf, size_t len)
{
	for (;;) {
		ssize_t w = write(fd, buf, len);

		if (w == (ssize_t)len)
			return 0;
		if (w == -1 && errno == EINTR)
			continue;
		if (w != -1)
			errno = ENOSPC;   /* a short write: the disk is full */
		return -1;
	}
}

int eventlog_append(const char *path, const struct event *ev, size_t n, char **cause)
{
	struct stat st;
	char *buf;
	size_t len;
	int fd, err = 0;

	if (n == 0)
		return 0;
	if (path == NULL || path[0] == '\0') {
		util_set_cause(cause, "no place for the event log (neither XDG_STATE_HOME nor HOME is set)");
		return -1;
	}
	if (util_mkdirs_for(path) != 0) {
		util_set_cause(cause, "cannot create the directory of %s: %s", path, strerror(errno));
		return -1;
	}
	buf = eventlog_lines(ev, n, &len);
	if (eventlog_rotate_if_due(path, len, cause) != 0) {
		free(buf);
		return -1;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd == -1) {
		util_set_cause(cause, "cannot open %s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	/* A log of ours made looser by hand goes back to 0600: it says what
	 * ran where. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0 &&
	    st.st_uid == geteuid())
		(void)fchmod(fd, 0600);
	if (eventlog_write(fd, buf, len) != 0)
		err = errno;
	if (close(fd) != 0 && err == 0 && errno != EINTR)
		err = errno;
	free(buf);
	if (err != 0) {
		util_set_cause(cause, "cannot write %s: %s", path, strerror(err));
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

struct eventlog_reader {
	const struct eventlog_query *q;
	struct event_list *list;   /* what was selected, oldest first */
	size_t max_line;           /* longer lines are not events */
	size_t bad;                /* lines that were not events */
	char *buf;                 /* EVENTLOG_READ_BUF bytes */
};

/* Keeps the newest q->max of the list (all when 0). */
static void eventlog_keep_newest(struct event_list *l, size_t max)
{
	if (max == 0 || l->n <= max)
		return;
	memmove(l->v, l->v + (l->n - max), max * sizeof *l->v);
	l->n = max;
}

static bool eventlog_selects(const struct eventlog_query *q, const struct event *e)
{
	return (q->since_ms == 0 || e->time_ms >= q->since_ms) &&
	       (q->host == NULL || strcmp(q->host, e->host) == 0);
}

static void eventlog_take_line(struct eventlog_reader *r, const char *line, size_t len)
{
	struct event e;
	int64_t t;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	if (len > r->max_line) {
		r->bad++;
		return;
	}
	/* Most of a long log is older than --since: those lines are passed
	 * over on their time alone, without a JSON parse (nor its verdict). */
	if (r->q->since_ms != 0 && eventlog_line_time(line, len, &t) == 0 && t < r->q->since_ms)
		return;
	if (eventlog_parse(line, len, &e) != 0) {
		r->bad++;
		return;
	}
	if (!eventlog_selects(r->q, &e))
		return;
	event_list_push(r->list, &e);
	/* with a max, memory stays at twice it however long the log */
	if (r->q->max != 0 && r->list->n >= 2 * r->q->max + 64)
		eventlog_keep_newest(r->list, r->q->max);
}

/* The lines of fd through r.  0, or -1 (errno) on a read error. */
static int eventlog_read_fd(struct eventlog_reader *r, int fd)
{
	size_t have = 0, start;
	bool overlong = false;   /* inside a line longer than the buffer */

	for (;;) {
		ssize_t got = read(fd, r->buf + have, EVENTLOG_READ_BUF - have);
		char *nl;

		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1)
			return -1;
		if (got == 0)
			break;
		have += (size_t)got;
		start = 0;
		while ((nl = memchr(r->buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (r->buf + start));

			if (overlong)
				r->bad++;   /* the end of the long line */
			else
				eventlog_take_line(r, r->buf + start, len);
			overlong = false;
			start += len + 1;
		}
		if (start == 0 && have == EVENTLOG_READ_BUF) {
			overlong = true;   /* no end in a full buffer: drop it */
			have = 0;
			continue;
		}
		memmove(r->buf, r->buf + start, have - start);
		have -= start;
	}
	if (overlong)
		r->bad++;
	else if (have > 0)
		eventlog_take_line(r, r->buf, have);   /* a last line without its '\n' */
	return 0;
}

/* One file's lines through r; a missing file is none.  0, or -1 with
 * *cause. */
static int eventlog_read_file(struct eventlog_reader *r, const char *path, char **cause)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), rc;

	if (fd == -1 && errno == ENOENT)
		return 0;
	if (fd == -1) {
		util_set_cause(cause, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	rc = eventlog_read_fd(r, fd);
	if (rc != 0)
		util_set_cause(cause, "cannot read %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* The log's files, the oldest first: path.3, .2, .1, then path.  A
 * rotation while they are read may show a few lines twice or not at all:
 * a reader takes no lock, so that it never holds up a writer. */
static int eventlog_read_log(struct eventlog_reader *r, const char *path, char **cause)
{
	int rc = 0;

	for (int i = EVENTLOG_KEEP; i >= 0 && rc == 0; i--) {
		char *p = eventlog_rotated(path, i);

		rc = eventlog_read_file(r, p, cause);
		free(p);
	}
	return rc;
}

/* a and b, each oldest first, into out in time order; on a tie a's first
 * (the order within each is kept as it was). */
static void eventlog_merge(const struct event_list *a, const struct event_list *b,
                           struct event_list *out, size_t max)
{
	size_t i = 0, j = 0, total = a->n + b->n;
	size_t drop = max != 0 && total > max ? total - max : 0;

	for (size_t k = 0; k < total; k++) {
		const struct event *e;

		if (j == b->n || (i < a->n && a->v[i].time_ms <= b->v[j].time_ms))
			e = &a->v[i++];
		else
			e = &b->v[j++];
		if (k >= drop)
			event_list_push(out, e);
	}
}

int eventlog_read(const char *path, const char *audit_path, const struct eventlog_query *q,
                  struct event_list *out, size_t *skipped, char **cause)
{
	struct event_list log = { 0 }, actions = { 0 };
	struct eventlog_reader r = { .q = q, .list = &log, .max_line = EVENTLOG_MAX_LINE };
	int rc = 0;

	r.buf = xmalloc(EVENTLOG_READ_BUF);
	if (path != NULL && path[0] != '\0')
		rc = eventlog_read_log(&r, path, cause);
	if (skipped != NULL)
		*skipped = r.bad;
	/* The audit log's bad lines are not counted: they are not the event
	 * log's, and whoever reads that count is told of that file. */
	if (rc == 0 && audit_path != NULL && audit_path[0] != '\0') {
		r.list = &actions;
		r.max_line = EVENTLOG_AUDIT_MAX_LINE;
		rc = eventlog_read_file(&r, audit_path, cause);
	}
	free(r.buf);
	if (rc == 0) {
		eventlog_keep_newest(&log, q->max);
		eventlog_keep_newest(&actions, q->max);
		eventlog_merge(&log, &actions, out, q->max);
	}
	event_list_free(&log);
	event_list_free(&actions);
	return rc;
}
