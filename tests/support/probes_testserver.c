/* probes_testserver — see probes_testserver.h. */
#include "tests/support/probes_testserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

#define PTS_MAX_CONNS 512

struct probes_testserver {
	int lfd;
	char base[64];
	pthread_t acceptor;
	atomic_int stop;
	pthread_mutex_t lock;
	pthread_t conns[PTS_MAX_CONNS];
	size_t nconns;
	int inflight, max_inflight, requests;
	bool gate_open;
};

struct pts_conn {
	struct probes_testserver *s;
	int fd;
};

static const char pts_html502[] =
	"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
	"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

static void pts_send(int fd, int code, const char *extra, const char *body, size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\n%sContent-Length: %zu\r\n"
	                 "Connection: close\r\n\r\n", code, extra != NULL ? extra : "", len);

	(void)util_write_all(fd, head, (size_t)n);
	if (len > 0)
		(void)util_write_all(fd, body, len);
}

static void pts_send_file(int fd, int code, const char *name)
{
	char *path = xasprintf("tests/fixtures/authentik/%s", name), *data = NULL, *cause = NULL;
	size_t len = 0;

	if (util_read_file(path, 1 << 20, &data, &len, &cause) != 0) {
		fprintf(stderr, "probes_testserver: %s\n", cause);
		free(cause);
		pts_send(fd, 500, NULL, "no fixture", 10);
	} else {
		pts_send(fd, code, "Content-Type: application/json\r\n", data, len);
	}
	free(data);
	free(path);
}

static void pts_authentik(int fd, const char *path, const char *head)
{
	if (strstr(head, "Authorization: Bearer " PROBES_TESTSERVER_TOKEN "\r\n") == NULL)
		pts_send_file(fd, 403, "error-403-token.json");
	else if (strcmp(path, "/api/v3/admin/version/") == 0)
		pts_send_file(fd, 200, "version.json");
	else if (strcmp(path, "/api/v3/admin/workers/") == 0)
		pts_send_file(fd, 200, "workers.json");
	else if (strncmp(path, "/api/v3/outposts/instances/?", 28) == 0)
		pts_send_file(fd, 200, "outposts.json");
	else if (strcmp(path, "/api/v3/outposts/instances/3f9d8a52-6c1e-4c1b-9a57-2f0e5d6c7b81/health/") == 0)
		pts_send_file(fd, 200, "outpost-health.json");
	else
		pts_send(fd, 404, NULL, "{\"detail\": \"Not found.\"}", 24);
}

/* The request is answered: it no longer counts as in flight (once). */
static void pts_leave(struct probes_testserver *s, bool *counted)
{
	if (!*counted)
		return;
	*counted = false;
	pthread_mutex_lock(&s->lock);
	s->inflight--;
	pthread_mutex_unlock(&s->lock);
}

static void *pts_conn_main(void *arg)
{
	struct pts_conn *c = arg;
	struct probes_testserver *s = c->s;
	char req[8192], path[4096];
	size_t len = 0;

	while (len < sizeof req - 1 && !atomic_load(&s->stop)) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = read(c->fd, req + len, sizeof req - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[len] = '\0';
	if (sscanf(req, "GET %4095s", path) == 1) {
		bool counted = true;

		pthread_mutex_lock(&s->lock);
		s->requests++;
		if (++s->inflight > s->max_inflight)
			s->max_inflight = s->inflight;
		pthread_mutex_unlock(&s->lock);
		if (strncmp(path, "/slow?ms=", 9) == 0) {
			int64_t until = time_mono_ms() + atoi(path + 9);

			while (time_mono_ms() < until && !atomic_load(&s->stop))
				time_sleep_ms(5);
			pts_leave(s, &counted);   /* before the answer: the client may ask again at once */
			pts_send(c->fd, 200, NULL, "slow", 4);
		} else if (strncmp(path, "/gate?n=", 8) == 0) {
			/* held until n requests are in at once (or ms passed) */
			const char *msp = strstr(path, "&ms=");
			int need = atoi(path + 8);
			int64_t until = time_mono_ms() + (msp != NULL ? atoi(msp + 4) : 5000);
			bool open_ = false;

			while (!atomic_load(&s->stop) && time_mono_ms() < until) {
				pthread_mutex_lock(&s->lock);
				open_ = s->gate_open || s->inflight >= need;
				if (open_)
					s->gate_open = true;   /* once open, for every waiting request */
				pthread_mutex_unlock(&s->lock);
				if (open_)
					break;
				time_sleep_ms(5);
			}
			pts_leave(s, &counted);
			if (open_)
				pts_send(c->fd, 200, NULL, "gate", 4);
			else
				pts_send(c->fd, 504, NULL, "gate stayed shut", 16);
		} else if (strcmp(path, "/ok") == 0) {
			pts_send(c->fd, 200, NULL, "ok", 2);
		} else if (strncmp(path, "/status?code=", 13) == 0) {
			pts_send(c->fd, atoi(path + 13), NULL, "", 0);
		} else if (strcmp(path, "/loop") == 0) {
			pts_send(c->fd, 302, "Location: /loop\r\n", "", 0);
		} else if (strcmp(path, "/reset") == 0) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		} else if (strcmp(path, "/html502") == 0 || strncmp(path, "/ak502/", 7) == 0) {
			pts_send(c->fd, 502, "Content-Type: text/html\r\n", pts_html502, sizeof pts_html502 - 1);
		} else if (strncmp(path, "/akstart/", 9) == 0) {
			pts_send(c->fd, 200, NULL, "{\"error\": \"authentik starting\"}", 31);
		} else if (strncmp(path, "/ak/", 4) == 0) {
			pts_authentik(c->fd, path + 3, req);
		} else {
			pts_send(c->fd, 404, NULL, "Not Found", 9);
		}
		pts_leave(s, &counted);
	}
	close(c->fd);
	free(c);
	return NULL;
}

static void *pts_accept_main(void *arg)
{
	struct probes_testserver *s = arg;

	while (!atomic_load(&s->stop)) {
		struct pollfd pfd = { .fd = s->lfd, .events = POLLIN };
		struct pts_conn *c;
		int fd;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		c = xmalloc(sizeof *c);
		c->s = s;
		c->fd = fd;
		pthread_mutex_lock(&s->lock);
		if (s->nconns < PTS_MAX_CONNS &&
		    pthread_create(&s->conns[s->nconns], NULL, pts_conn_main, c) == 0) {
			s->nconns++;
		} else {
			close(fd);
			free(c);
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

struct probes_testserver *probes_testserver_start(void)
{
	struct probes_testserver *s = xcalloc(1, sizeof *s);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;

	inet_pton(AF_INET, "127.0.0.22", &sa.sin_addr);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(s->lfd, 256) != 0 || getsockname(s->lfd, (struct sockaddr *)&sa, &sl) != 0) {
		fprintf(stderr, "probes_testserver: cannot listen on 127.0.0.22: %s\n", strerror(errno));
		if (s->lfd >= 0)
			close(s->lfd);
		free(s);
		return NULL;
	}
	snprintf(s->base, sizeof s->base, "http://127.0.0.22:%d", ntohs(sa.sin_port));
	pthread_mutex_init(&s->lock, NULL);
	if (pthread_create(&s->acceptor, NULL, pts_accept_main, s) != 0) {
		close(s->lfd);
		free(s);
		return NULL;
	}
	return s;
}

void probes_testserver_stop(struct probes_testserver *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, 1);
	pthread_join(s->acceptor, NULL);
	for (size_t i = 0; i < s->nconns; i++)
		pthread_join(s->conns[i], NULL);
	close(s->lfd);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

const char *probes_testserver_base(const struct probes_testserver *s)
{
	return s->base;
}

int probes_testserver_max_inflight(struct probes_testserver *s)
{
	int v;

	pthread_mutex_lock(&s->lock);
	v = s->max_inflight;
	pthread_mutex_unlock(&s->lock);
	return v;
}

int probes_testserver_requests(struct probes_testserver *s)
{
	int v;

	pthread_mutex_lock(&s->lock);
	v = s->requests;
	pthread_mutex_unlock(&s->lock);
	return v;
}
