/* http_testserver — see http_testserver.h. */
#include "tests/support/http_testserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define TS_HEAD_MAX 65536
#define TS_BLOCK (64 * 1024)

struct ts_conn {
	struct http_testserver *s;
	int fd;
	bool head;                   /* the request in progress is a HEAD */
	pthread_t thread;
	struct ts_conn *next;
};

struct http_testserver {
	int tcp_fd;
	int unix_fd;
	int stop_pipe[2];
	int port;
	char base[64];
	char dir[64];
	char path[128];
	pthread_t accept_thread;
	atomic_int connections;
	pthread_mutex_t lock;
	struct ts_conn *conns;
};

/* Waits until fd has events, the server stops, or ms pass (-1: forever).
 * Returns 1 when fd is ready, 0 on timeout, -1 when stopping or the peer
 * closed (only watched when events has POLLRDHUP). */
static int ts_wait(struct http_testserver *s, int fd, short events, int64_t ms)
{
	int64_t deadline = ms < 0 ? -1 : time_mono_ms() + ms;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = s->stop_pipe[0], .events = POLLIN },
			{ .fd = fd, .events = events },
		};
		int timeout = -1, n;

		if (deadline >= 0) {
			int64_t left = deadline - time_mono_ms();

			if (left <= 0)
				return 0;
			timeout = (int)left;
		}
		n = poll(p, 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (p[0].revents != 0)
			return -1;
		if (p[1].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
			return -1;
		if (p[1].revents & events)
			return 1;
	}
}

/* Waits ms (or forever with -1) unless the client leaves or we stop.
 * 0 when the time passed, -1 otherwise. */
static int ts_sleep(struct ts_conn *c, int64_t ms)
{
	return ts_wait(c->s, c->fd, POLLRDHUP, ms) == 0 ? 0 : -1;
}

static int ts_send(struct ts_conn *c, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (ts_wait(c->s, c->fd, POLLOUT, -1) != 1)
				return -1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int ts_sendf(struct ts_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ts_sendf(struct ts_conn *c, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	rc = ts_send(c, s, strlen(s));
	free(s);
	return rc;
}

static int ts_respond(struct ts_conn *c, int code, const char *ctype, const char *extra,
                      const char *body, size_t len)
{
	if (ts_sendf(c, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n",
	             code, ctype, len, extra != NULL ? extra : "") != 0)
		return -1;
	return c->head ? 0 : ts_send(c, body, len);
}

/* The integer value of key in the query string, or def. */
static long ts_query(const char *query, const char *key, long def)
{
	size_t klen = strlen(key);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return strtol(p + klen + 1, NULL, 10);
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return def;
}

static bool ts_query_is(const char *query, const char *key, const char *value)
{
	size_t klen = strlen(key), vlen = strlen(value);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=' &&
		    strncmp(p + klen + 1, value, vlen) == 0 &&
		    (p[klen + 1 + vlen] == '\0' || p[klen + 1 + vlen] == '&'))
			return true;
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return false;
}

static int ts_big(struct ts_conn *c, const char *query)
{
	long mb = ts_query(query, "mb", 20);
	size_t total = (size_t)mb * 1024 * 1024, sent = 0;
	char *block = xmalloc(TS_BLOCK);
	int rc;

	memset(block, 'x', TS_BLOCK);
	if (ts_query_is(query, "mode", "chunked"))
		rc = ts_sendf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
	else if (ts_query_is(query, "mode", "close"))
		rc = ts_sendf(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	else
		rc = ts_sendf(c, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", total);
	if (c->head)
		total = 0;
	while (rc == 0 && sent < total) {
		size_t n = total - sent < TS_BLOCK ? total - sent : TS_BLOCK;

		if (ts_query_is(query, "mode", "chunked"))
			rc = ts_sendf(c, "%zx\r\n", n);
		if (rc == 0)
			rc = ts_send(c, block, n);
		if (rc == 0 && ts_query_is(query, "mode", "chunked"))
			rc = ts_send(c, "\r\n", 2);
		sent += n;
	}
	if (rc == 0 && !c->head && ts_query_is(query, "mode", "chunked"))
		rc = ts_send(c, "0\r\n\r\n", 5);
	free(block);
	if (ts_query_is(query, "mode", "close"))
		return -1;
	return rc;
}

/* Serves one request; -1 closes the connection. */
static int ts_serve(struct ts_conn *c, const char *head, const char *body, size_t body_len)
{
	char path[512], *query;
	const char *sp = strchr(head, ' ');
	size_t n;

	if (sp == NULL)
		return -1;
	c->head = strncmp(head, "HEAD ", 5) == 0;
	n = strcspn(sp + 1, " ");
	if (n >= sizeof path)
		return -1;
	memcpy(path, sp + 1, n);
	path[n] = '\0';
	query = strchr(path, '?');
	if (query != NULL)
		*query++ = '\0';
	else
		query = path + n;

	if (strcmp(path, "/ok") == 0)
		return ts_respond(c, 200, "text/plain", NULL, "hello", 5);
	if (strcmp(path, "/status") == 0) {
		const char *j = "{\"message\":\"backend is down\"}";

		return ts_respond(c, (int)ts_query(query, "code", 503), "application/json", NULL,
		                  j, strlen(j));
	}
	if (strcmp(path, "/text") == 0)
		return ts_respond(c, (int)ts_query(query, "code", 503), "text/plain", NULL,
		                  "overloaded, try later\n", 22);
	if (strcmp(path, "/html") == 0) {
		const char *h = "<html>\n<body>\n<h1>Bad Gateway</h1>\n</body>\n</html>\n";

		return ts_respond(c, (int)ts_query(query, "code", 502), "text/html", NULL,
		                  h, strlen(h));
	}
	if (strcmp(path, "/slow") == 0) {
		if (ts_sleep(c, ts_query(query, "ms", 1000)) != 0)
			return -1;
		return ts_respond(c, 200, "text/plain", NULL, "slow", 4);
	}
	if (strcmp(path, "/dribble") == 0) {
		long ms = ts_query(query, "ms", 100), k = ts_query(query, "n", 10);

		if (ts_sendf(c, "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n\r\n", k) != 0)
			return -1;
		for (long i = 0; i < k; i++) {
			if (ts_sleep(c, ms) != 0 || ts_send(c, "d", 1) != 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(path, "/big") == 0)
		return ts_big(c, query);
	if (strcmp(path, "/cut") == 0) {
		char part[1000];

		memset(part, 'c', sizeof part);
		ts_sendf(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
		ts_send(c, part, sizeof part);
		return -1;
	}
	if (strcmp(path, "/cutchunked") == 0) {
		char part[1000];

		memset(part, 'c', sizeof part);
		ts_sendf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n",
		         sizeof part);
		ts_send(c, part, sizeof part);
		return -1;
	}
	if (strcmp(path, "/nothing") == 0)
		return -1;
	if (strcmp(path, "/garbage") == 0) {
		ts_sendf(c, "SSH-2.0-OpenSSH_9.2\r\nnot a web server\r\n");
		return -1;
	}
	if (strcmp(path, "/retry") == 0) {
		char extra[128];

		snprintf(extra, sizeof extra, "Retry-After: %ld\r\nApi-Version: 1.41\r\n",
		         ts_query(query, "after", 7));
		return ts_respond(c, 429, "text/plain", extra, "slow down", 9);
	}
	if (strcmp(path, "/retrydate") == 0) {
		char extra[128], date[64];
		time_t t = time(NULL) + 120;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		snprintf(extra, sizeof extra, "Retry-After: %s\r\n", date);
		return ts_respond(c, 503, "text/plain", extra, "later", 5);
	}
	if (strcmp(path, "/echo") == 0) {
		struct buf b;
		int rc;

		buf_init(&b);
		buf_puts(&b, head);
		buf_append(&b, body, body_len);
		rc = ts_respond(c, 200, "text/plain", NULL, buf_cstr(&b), b.len);
		buf_done(&b);
		return rc;
	}
	if (strcmp(path, "/redirect") == 0) {
		long left = ts_query(query, "n", 0);
		char extra[64];

		if (left <= 0)
			return ts_respond(c, 200, "text/plain", NULL, "landed", 6);
		snprintf(extra, sizeof extra, "Location: /redirect?n=%ld\r\n", left - 1);
		return ts_respond(c, 302, "text/plain", extra, "moved", 5);
	}
	if (strcmp(path, "/elsewhere") == 0) {
		char extra[96];

		snprintf(extra, sizeof extra, "Location: http://localhost:%d/echo\r\n", c->s->port);
		return ts_respond(c, 302, "text/plain", extra, "moved", 5);
	}
	if (strcmp(path, "/hang") == 0) {
		ts_sleep(c, -1);
		return -1;
	}
	if (strcmp(path, "/stream") == 0) {
		long ms = ts_query(query, "ms", 10);

		if (ts_sendf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") != 0)
			return -1;
		while (ts_send(c, "5\r\ntick\n\r\n", 10) == 0 && ts_sleep(c, ms) == 0)
			;
		return -1;
	}
	if (strcmp(path, "/stall") == 0) {
		ts_sendf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n");
		ts_sleep(c, -1);
		return -1;
	}
	return ts_respond(c, 404, "text/plain", NULL, "no such path", 12);
}

static void *ts_conn_main(void *arg)
{
	struct ts_conn *c = arg;
	struct buf in;

	buf_init(&in);
	for (;;) {
		char tmp[4096];
		const char *end = in.len > 0 ? strstr(in.data, "\r\n\r\n") : NULL;
		ssize_t n;

		if (end != NULL) {
			size_t head_len = (size_t)(end - in.data) + 4, body_len = 0;
			const char *cl = strcasestr(in.data, "\r\nContent-Length:");
			char *head;
			int rc;

			if (cl != NULL && cl < end)
				body_len = (size_t)strtoul(cl + 17, NULL, 10);
			if (in.len >= head_len + body_len) {
				head = xstrndup(in.data, head_len);
				rc = ts_serve(c, head, in.data + head_len, body_len);
				free(head);
				buf_consume(&in, head_len + body_len);
				if (rc != 0)
					break;
				continue;
			}
		}
		if (in.len > TS_HEAD_MAX)
			break;
		if (in.len > 0 && (in.data[0] < 'A' || in.data[0] > 'Z')) {
			/* Not HTTP (a TLS hello, say): answer as a plain server would. */
			ts_sendf(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
			         "Connection: close\r\n\r\n");
			break;
		}
		if (ts_wait(c->s, c->fd, POLLIN, -1) != 1)
			break;
		n = recv(c->fd, tmp, sizeof tmp, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		buf_append(&in, tmp, (size_t)n);
	}
	buf_done(&in);
	close(c->fd);
	return NULL;
}

static void *ts_accept_main(void *arg)
{
	struct http_testserver *s = arg;

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = s->stop_pipe[0], .events = POLLIN },
			{ .fd = s->tcp_fd, .events = POLLIN },
			{ .fd = s->unix_fd, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents != 0)
			break;
		for (int i = 1; i < 3; i++) {
			struct ts_conn *c;
			int fd, one = 1;

			if (!(p[i].revents & POLLIN))
				continue;
			fd = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			if (i == 1)
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			atomic_fetch_add(&s->connections, 1);
			c = xcalloc(1, sizeof *c);
			c->s = s;
			c->fd = fd;
			pthread_mutex_lock(&s->lock);
			if (pthread_create(&c->thread, NULL, ts_conn_main, c) != 0) {
				close(fd);
				free(c);
			} else {
				c->next = s->conns;
				s->conns = c;
			}
			pthread_mutex_unlock(&s->lock);
		}
	}
	return NULL;
}

struct http_testserver *http_testserver_start(void)
{
	struct http_testserver *s = xcalloc(1, sizeof *s);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t slen = sizeof sin;

	s->tcp_fd = s->unix_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	util_strlcpy(s->dir, "/tmp/kt-http-XXXXXX", sizeof s->dir);
	if (pipe2(s->stop_pipe, O_CLOEXEC) != 0 || mkdtemp(s->dir) == NULL)
		goto fail;
	snprintf(s->path, sizeof s->path, "%s/http.sock", s->dir);

	s->tcp_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s->tcp_fd < 0 || bind(s->tcp_fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(s->tcp_fd, 64) != 0 ||
	    getsockname(s->tcp_fd, (struct sockaddr *)&sin, &slen) != 0)
		goto fail;
	s->port = ntohs(sin.sin_port);
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);

	s->unix_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	util_strlcpy(sun.sun_path, s->path, sizeof sun.sun_path);
	if (s->unix_fd < 0 || bind(s->unix_fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(s->unix_fd, 64) != 0)
		goto fail;

	if (pthread_create(&s->accept_thread, NULL, ts_accept_main, s) != 0)
		goto fail;
	return s;

fail:
	fprintf(stderr, "http_testserver: cannot listen: %s\n", strerror(errno));
	if (s->tcp_fd >= 0)
		close(s->tcp_fd);
	if (s->unix_fd >= 0)
		close(s->unix_fd);
	unlink(s->path);
	rmdir(s->dir);
	free(s);
	return NULL;
}

void http_testserver_stop(struct http_testserver *s)
{
	struct ts_conn *c, *next;

	if (s == NULL)
		return;
	if (util_write_all(s->stop_pipe[1], "x", 1) != 0)
		fprintf(stderr, "http_testserver: cannot signal stop\n");
	pthread_join(s->accept_thread, NULL);
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		pthread_join(c->thread, NULL);
		free(c);
	}
	close(s->tcp_fd);
	close(s->unix_fd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	unlink(s->path);
	rmdir(s->dir);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int http_testserver_port(const struct http_testserver *s)
{
	return s->port;
}

const char *http_testserver_base(const struct http_testserver *s)
{
	return s->base;
}

const char *http_testserver_socket(const struct http_testserver *s)
{
	return s->path;
}

int http_testserver_connections(const struct http_testserver *s)
{
	return atomic_load(&s->connections);
}
