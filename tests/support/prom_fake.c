/* prom_fake — see prom_fake.h. */
#include "tests/support/prom_fake.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/util.h"

#define PROM_FAKE_ADDR "127.0.0.23"

struct prom_fake {
	int fd;
	pthread_t thread;
	atomic_int requests;
	atomic_int stop;
	char url[64];
};

/* What one query answers. */
struct fake_answer {
	int status;                 /* 0: series below; else this status with body */
	char *body;                 /* owned, when status != 0 */
	bool scalar;
	struct buf series;          /* the series, comma-separated */
	size_t n;
	const char *extra;          /* labels the combined query adds, or NULL */
};

static char *fake_unescape(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			buf_putc(&b, ' ');
		} else if (s[i] == '%' && i + 2 < len) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			buf_putc(&b, (char)strtol(hex, NULL, 16));
			i += 2;
		} else {
			buf_putc(&b, s[i]);
		}
	}
	return buf_steal(&b);
}

/* The value of name= in a form/query string (decoded), or NULL. */
static char *fake_param(const char *params, const char *name)
{
	size_t nl = strlen(name);
	const char *p = params;

	while (p != NULL && *p != '\0') {
		const char *end = p + strcspn(p, "& \r\n");

		if (strncmp(p, name, nl) == 0 && p[nl] == '=')
			return fake_unescape(p + nl + 1, (size_t)(end - p - nl - 1));
		p = *end == '&' ? end + 1 : NULL;
	}
	return NULL;
}

/* One series: labels (a JSON object's inside) and value v; a->extra (labels
 * of the combined query, may be NULL) first. */
static void fake_series(struct fake_answer *a, const char *labels, double v, bool range)
{
	buf_printf(&a->series, "%s{\"metric\":{%s%s%s},", a->n > 0 ? "," : "",
	           a->extra != NULL ? a->extra : "", a->extra != NULL && *labels != '\0' ? "," : "",
	           labels);
	if (range) {
		buf_puts(&a->series, "\"values\":[");
		for (int i = 0; i < 5; i++)
			buf_printf(&a->series, "%s[%d,\"%g\"]", i > 0 ? "," : "", 1000 + i, v - 4 + i);
		buf_puts(&a->series, "]}");
	} else {
		buf_printf(&a->series, "\"value\":[1000,\"%g\"]}", v);
	}
	a->n++;
}

static void fake_fail(struct fake_answer *a, int status, char *body)
{
	a->status = status;
	a->body = body;
}

static void fake_one(const char *q, bool range, struct fake_answer *a)
{
	const char *inst;

	if (strstr(q, "html_page") != NULL) {
		fake_fail(a, 200, xstrdup("<html>\n<head><title>Sign in</title></head>\n<body>proxy</body>\n</html>\n"));
	} else if (strstr(q, "big_matrix") != NULL) {
		fake_fail(a, 200, NULL);   /* 20 MB, written by the caller */
	} else if (strstr(q, "bad_value") != NULL) {
		fake_fail(a, 200, xstrdup("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		                          "\"result\":[{\"metric\":{},\"value\":[\"x\",null]}]}}"));
	} else if (strstr(q, "parse_error(") != NULL) {
		fake_fail(a, 400, xstrdup("{\"status\":\"error\",\"errorType\":\"bad_data\","
		                          "\"error\":\"parse error: unexpected end of input\"}"));
	} else if (strstr(q, "scalar_q") != NULL) {
		a->scalar = true;
	} else if (strstr(q, "ok_by_instance") != NULL) {
		fake_series(a, "\"instance\":\"a:9100\"", 40, range);
		fake_series(a, "\"instance\":\"b:9100\"", 95, range);
	} else if ((inst = strstr(q, "one_host{instance=\"")) != NULL) {
		const char *v = inst + strlen("one_host{instance=\"");
		char *labels = xasprintf("\"instance\":\"%.*s\"", (int)strcspn(v, "\""), v);

		fake_series(a, labels, 7, range);
		free(labels);
	} else if (strstr(q, "many_series") != NULL) {
		for (int i = 0; i < 10000; i++) {
			char labels[32];

			snprintf(labels, sizeof labels, "\"i\":\"%05d\"", i);
			fake_series(a, labels, i, range);
		}
	}
}

/* The combined query taken apart: each " or " part is
 * [label_replace(]label_replace((Q), "kitetop_panel", "N", "", "")[, "kitetop_host", "J", "", "")]. */
static void fake_combined(const char *q, bool range, struct fake_answer *a)
{
	char *copy = xstrdup(q), *part = copy, *next;

	do {
		char *inner, *end, *p, *h, *extra;

		next = strstr(part, " or label_replace(");
		if (next != NULL)
			*next = '\0';
		inner = strstr(part, "((");
		end = strstr(part, "), \"kitetop_panel\", \"");
		if (inner == NULL || end == NULL)
			break;
		*end = '\0';
		p = end + strlen("), \"kitetop_panel\", \"");
		h = strstr(p, "\"kitetop_host\", \"");
		extra = h != NULL ? xasprintf("\"kitetop_panel\":\"%.*s\",\"kitetop_host\":\"%.*s\"",
		                              (int)strcspn(p, "\""), p, (int)strcspn(h + 17, "\""), h + 17)
		                  : xasprintf("\"kitetop_panel\":\"%.*s\"", (int)strcspn(p, "\""), p);
		a->extra = extra;
		fake_one(inner + 2, range, a);
		a->extra = NULL;
		free(extra);
		if (a->status != 0)
			break;
		if (a->scalar) {
			a->scalar = false;
			fake_fail(a, 400, xstrdup("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
			                          "\"1:15: parse error: expected type instant vector in call "
			                          "to function \\\"label_replace\\\", got scalar\"}"));
			break;
		}
		part = next != NULL ? next + 4 : NULL;
	} while (part != NULL);
	free(copy);
}

static void fake_send(int c, int status, const char *type, const char *body, size_t len)
{
	char head[256];
	int hl = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: %s\r\n"
	                  "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, type, len);

	if (send(c, head, (size_t)hl, MSG_NOSIGNAL) < 0)
		return;
	while (len > 0) {
		ssize_t w = send(c, body, len, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		body += w;
		len -= (size_t)w;
	}
}

static void fake_serve(struct prom_fake *f, int c)
{
	struct buf req;
	char tmp[65536], *head_end, *params = NULL, *q;
	ssize_t r;
	bool range;
	struct fake_answer a = { 0 };

	buf_init(&req);
	while ((r = recv(c, tmp, sizeof tmp, 0)) > 0) {
		const char *cl;

		buf_append(&req, tmp, (size_t)r);
		head_end = strstr(buf_cstr(&req), "\r\n\r\n");
		if (head_end == NULL)
			continue;
		cl = strcasestr(buf_cstr(&req), "Content-Length: ");
		if (cl == NULL || cl > head_end ||
		    req.len >= (size_t)(head_end + 4 - req.data) + strtoul(cl + 16, NULL, 10))
			break;
	}
	head_end = strstr(buf_cstr(&req), "\r\n\r\n");
	if (head_end == NULL) {
		buf_done(&req);
		return;
	}
	f->requests++;
	range = strstr(req.data, "/api/v1/query_range") != NULL;
	if (strncmp(req.data, "POST", 4) == 0)
		params = head_end + 4;
	else if ((params = strchr(req.data, '?')) != NULL)
		params++;
	q = fake_param(params, "query");
	buf_init(&a.series);
	if (q != NULL && strstr(q, "kitetop_panel") != NULL)
		fake_combined(q, range, &a);
	else if (q != NULL)
		fake_one(q, range, &a);
	if (a.status != 0 && a.body == NULL) {
		size_t big = 20u << 20;
		char *body = xmalloc(big);

		memset(body, ' ', big);
		memcpy(body, "{\"status\":\"success\"", 19);
		fake_send(c, 200, "application/json", body, big);
		free(body);
	} else if (a.status != 0) {
		fake_send(c, a.status, strstr(a.body, "<html>") != NULL ? "text/html" : "application/json",
		          a.body, strlen(a.body));
		free(a.body);
	} else {
		char *body = a.scalar ?
		             xstrdup("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1000,\"3\"]}}") :
		             xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"%s\",\"result\":[%s]}}",
		                       range ? "matrix" : "vector", buf_cstr(&a.series));

		fake_send(c, 200, "application/json", body, strlen(body));
		free(body);
	}
	buf_done(&a.series);
	free(q);
	buf_done(&req);
}

static void *fake_main(void *arg)
{
	struct prom_fake *f = arg;
	int c;

	while ((c = accept(f->fd, NULL, NULL)) >= 0) {
		if (atomic_load(&f->stop)) {
			close(c);
			break;
		}
		fake_serve(f, c);
		close(c);
	}
	return NULL;
}

struct prom_fake *prom_fake_start(void)
{
	struct prom_fake *f = xcalloc(1, sizeof *f);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;

	inet_pton(AF_INET, PROM_FAKE_ADDR, &a.sin_addr);
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(f->fd, 64) != 0 ||
	    getsockname(f->fd, (struct sockaddr *)&a, &len) != 0) {
		perror("prom_fake: listen on " PROM_FAKE_ADDR);
		if (f->fd >= 0)
			close(f->fd);
		free(f);
		return NULL;
	}
	snprintf(f->url, sizeof f->url, "http://%s:%d", PROM_FAKE_ADDR, ntohs(a.sin_port));
	if (pthread_create(&f->thread, NULL, fake_main, f) != 0) {
		close(f->fd);
		free(f);
		return NULL;
	}
	return f;
}

void prom_fake_stop(struct prom_fake *f)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int c;

	if (f == NULL)
		return;
	atomic_store(&f->stop, 1);
	/* wake accept() with a connection of our own */
	getsockname(f->fd, (struct sockaddr *)&a, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c >= 0 && connect(c, (struct sockaddr *)&a, sizeof a) != 0)
		perror("prom_fake: stop");
	pthread_join(f->thread, NULL);
	if (c >= 0)
		close(c);
	close(f->fd);
	free(f);
}

const char *prom_fake_url(const struct prom_fake *f)
{
	return f->url;
}

int prom_fake_requests(const struct prom_fake *f)
{
	return atomic_load(&f->requests);
}
