/* http — the one libcurl wrapper (see http.h).
 *
 * A client owns one easy handle and one multi handle.  Requests run through
 * the multi handle in our own loop (curl_multi_perform + curl_multi_poll), so
 * that a cancel raised with cancel_raise() (core/cancel.h) wakes the wait at
 * once (curl_multi_wakeup) and the stall timeout is checked when due.  The
 * easy interface alone may sleep for a second between progress callbacks,
 * and polling the cancel flag every few tens of milliseconds instead would
 * wake each waiting request many times a second (dockerd holds a one-shot
 * stats request up to its 1 s tick).  Every cancel flag is raised with
 * cancel_raise(); the wait still ends every HTTP_POLL_MS as a safety net
 * against a wake-up that never comes, an open-ended stream's every
 * HTTP_STREAM_POLL_MS.  The multi handle keeps the connection cache, so
 * curl_easy_reset() between requests keeps connections alive.  Each
 * request's state is a struct http_xfer: the client's own for
 * http_request(), one per place for http_request_many().  The pure text
 * functions (http_status_error, http_escape) are in http_text.c. */
#include "backends/http.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cancel.h"
#include "core/timeutil.h"
#include "core/util.h"

#define HTTP_POLL_MS 1000        /* a safety net: every cancel is raised with cancel_raise() */
#define HTTP_STREAM_POLL_MS 30000 /* the same for an open-ended stream (no total and no
                                   * stall timeout: Docker's events, a followed log),
                                   * which may idle for hours: a look every second
                                   * would be its only wake-up */
#define HTTP_MAX_REDIRECTS 5L
#define HTTP_UNIX_PATH_MAX 107   /* sun_path less its NUL */

enum http_abort {
	HTTP_ABORT_NONE,
	HTTP_ABORT_CANCEL,
	HTTP_ABORT_STALL,
	HTTP_ABORT_CAP,
	HTTP_ABORT_STOP,
};

/* One request in progress: its easy handle and what its callbacks need. */
struct http_xfer {
	CURL *easy;
	const struct http_request *req;
	struct http_response *resp;
	size_t max_bytes;
	long cur_status;             /* from the last status line seen */
	int64_t start, last_activity_ms;
	long connect_ms, timeout_ms, stall_ms;
	enum http_abort abort;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
};

struct http_client {
	struct http_xfer x;          /* http_request's */
	CURLM *multi;
	const atomic_int *cancel;
	struct http_client *prev, *next;   /* http_clients, under http_clients_mu */
};

/* Every live client, so that a raised cancel flag (core/cancel.h) wakes the
 * requests waiting in curl_multi_poll() at once, instead of each polling
 * its flag every few tens of milliseconds. */
static pthread_mutex_t http_clients_mu = PTHREAD_MUTEX_INITIALIZER;
static struct http_client *http_clients;

static void http_wake_all(void)
{
	pthread_mutex_lock(&http_clients_mu);
	for (struct http_client *c = http_clients; c != NULL; c = c->next)
		curl_multi_wakeup(c->multi);
	pthread_mutex_unlock(&http_clients_mu);
}

void http_global_init(void)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_ALL);

	if (rc != CURLE_OK)
		fatal("curl_global_init: %s", curl_easy_strerror(rc));
	/* With CURLOPT_NOSIGNAL set, SIGPIPE is ours to ignore (libcurl-thread.3). */
	signal(SIGPIPE, SIG_IGN);
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

struct http_client *http_client_new(const atomic_int *cancel)
{
	struct http_client *c = xcalloc(1, sizeof *c);

	c->x.easy = curl_easy_init();
	c->multi = curl_multi_init();
	if (c->x.easy == NULL || c->multi == NULL)
		fatal("cannot create a curl handle");
	c->cancel = cancel;
	cancel_add_waker(http_wake_all);
	pthread_mutex_lock(&http_clients_mu);
	c->next = http_clients;
	if (http_clients != NULL)
		http_clients->prev = c;
	http_clients = c;
	pthread_mutex_unlock(&http_clients_mu);
	return c;
}

void http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&http_clients_mu);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		http_clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&http_clients_mu);
	curl_easy_cleanup(c->x.easy);
	curl_multi_cleanup(c->multi);
	free(c);
}

void http_response_init(struct http_response *r)
{
	r->status = 0;
	buf_init(&r->body);
	r->total_ms = 0;
	r->retry_after_s = -1;
	r->api_version = NULL;
	r->stopped = false;
}

void http_response_done(struct http_response *r)
{
	buf_done(&r->body);
	free(r->api_version);
	r->api_version = NULL;
}

static void http_response_reset(struct http_response *r)
{
	r->status = 0;
	buf_reset(&r->body);
	r->total_ms = 0;
	r->retry_after_s = -1;
	free(r->api_version);
	r->api_version = NULL;
	r->stopped = false;
}

/* "5 s", "300 ms", "1.5 s". */
static void http_format_ms(char *out, size_t n, long ms)
{
	if (ms < 1000)
		snprintf(out, n, "%ld ms", ms);
	else if (ms % 1000 == 0)
		snprintf(out, n, "%ld s", ms / 1000);
	else
		snprintf(out, n, "%.1f s", (double)ms / 1000.0);
}

/* "8 MB", "64 KB", "1.5 MB", "100 bytes". */
static void http_format_size(char *out, size_t n, size_t bytes)
{
	const size_t mb = (size_t)1024 * 1024, kb = 1024;

	if (bytes >= mb && bytes % mb == 0)
		snprintf(out, n, "%zu MB", bytes / mb);
	else if (bytes >= mb)
		snprintf(out, n, "%.1f MB", (double)bytes / (double)mb);
	else if (bytes >= kb && bytes % kb == 0)
		snprintf(out, n, "%zu KB", bytes / kb);
	else if (bytes >= kb)
		snprintf(out, n, "%.1f KB", (double)bytes / (double)kb);
	else
		snprintf(out, n, "%zu bytes", bytes);
}

static bool http_is_cancelled(const struct http_client *c)
{
	return c->cancel != NULL && atomic_load(c->cancel) != 0;
}

/* Grows the body so that it holds need bytes (its NUL included), doubling
 * but never past limit: the body of a capped response never takes more than
 * cap + 1 bytes. */
static void http_body_reserve(struct buf *b, size_t need, size_t limit)
{
	size_t ncap;

	if (need <= b->cap)
		return;
	ncap = b->cap > 0 ? b->cap : 4096;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > limit)
		ncap = limit;
	if (ncap < need)
		ncap = need;
	b->data = xrealloc(b->data, ncap);
	b->cap = ncap;
	if (b->len == 0)
		b->data[0] = '\0';
}

static size_t http_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer *c = arg;
	struct buf *body = &c->resp->body;
	size_t n = size * nmemb;
	curl_off_t clen = -1;

	c->last_activity_ms = time_mono_ms();
	if (c->req->on_data != NULL && c->cur_status >= 200 && c->cur_status < 300) {
		if (c->req->on_data(ptr, n, c->req->on_data_arg) != 0) {
			c->abort = HTTP_ABORT_STOP;
			return 0;
		}
		return n;
	}
	if (n > c->max_bytes - body->len) {
		c->abort = HTTP_ABORT_CAP;
		return 0;
	}
	if (body->len == 0 &&
	    curl_easy_getinfo(c->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen) == CURLE_OK &&
	    clen > 0 && (uint64_t)clen <= c->max_bytes)
		http_body_reserve(body, (size_t)clen + 1, c->max_bytes + 1);
	http_body_reserve(body, body->len + n + 1, c->max_bytes + 1);
	buf_append(body, ptr, n);
	return n;
}

/* Retry-After: seconds, or an HTTP date. */
static long http_parse_retry_after(const char *v)
{
	char *end;
	long s;
	time_t t;

	if (isdigit((unsigned char)*v)) {
		errno = 0;
		s = strtol(v, &end, 10);
		if (errno == 0 && *end == '\0' && s >= 0)
			return s;
		return -1;
	}
	t = curl_getdate(v, NULL);
	if (t == (time_t)-1)
		return -1;
	t -= time(NULL);
	return t > 0 ? (long)t : 0;
}

static size_t http_header_cb(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct http_xfer *c = arg;
	size_t n = size * nitems, len = n, name_len;
	const char *colon, *v;
	char *value;

	c->last_activity_ms = time_mono_ms();
	while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n'))
		len--;
	if (len > 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		/* A new response (a redirect or 100 Continue came before). */
		const char *sp = memchr(ptr, ' ', len);

		/* Three digits after "HTTP/1.1 " (the line is not NUL-terminated). */
		c->cur_status = 0;
		if (sp != NULL) {
			size_t i = (size_t)(sp - ptr) + 1, end = i + 3;

			for (; i < len && i < end && isdigit((unsigned char)ptr[i]); i++)
				c->cur_status = c->cur_status * 10 + (ptr[i] - '0');
		}
		c->resp->retry_after_s = -1;
		free(c->resp->api_version);
		c->resp->api_version = NULL;
		return n;
	}
	colon = memchr(ptr, ':', len);
	if (colon == NULL)
		return n;
	name_len = (size_t)(colon - ptr);
	v = colon + 1;
	while (v < ptr + len && (*v == ' ' || *v == '\t'))
		v++;
	value = xstrndup(v, (size_t)(ptr + len - v));
	for (size_t i = strlen(value); i > 0 && (value[i - 1] == ' ' || value[i - 1] == '\t'); i--)
		value[i - 1] = '\0';
	if (name_len == 11 && strncasecmp(ptr, "Retry-After", 11) == 0) {
		c->resp->retry_after_s = http_parse_retry_after(value);
	} else if (name_len == 11 && strncasecmp(ptr, "Api-Version", 11) == 0) {
		free(c->resp->api_version);
		c->resp->api_version = value;
		value = NULL;
	}
	free(value);
	return n;
}

/* The host part of url, for "cannot resolve NAME".  Caller frees. */
static char *http_url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out;

	if (u == NULL)
		return xstrdup("the host");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return xstrdup("the host");
	}
	out = xstrdup(host);
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

/* Replaces every occurrence of secret in *msg by "***". */
static void http_scrub(char **msg, const char *secret)
{
	struct buf b;
	const char *p, *hit;
	size_t slen;

	if (*msg == NULL || secret == NULL || *secret == '\0' || strstr(*msg, secret) == NULL)
		return;
	slen = strlen(secret);
	buf_init(&b);
	for (p = *msg; (hit = strstr(p, secret)) != NULL; p = hit + slen) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, "***");
	}
	buf_puts(&b, p);
	free(*msg);
	*msg = buf_steal(&b);
}

static bool http_is_tls_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		return true;
	default:
		return false;
	}
}

/* "TLS: certificate problem: self-signed certificate" from curl's text,
 * without OpenSSL's prefixes and codes. */
static char *http_tls_error(const struct http_xfer *c, CURLcode rc)
{
	static const char *const prefixes[] = {
		"SSL: ", "OpenSSL SSL_connect: ", "OpenSSL SSL_read: ", "OpenSSL SSL_write: ",
	};
	const char *t = c->errbuf[0] != '\0' ? c->errbuf : curl_easy_strerror(rc);
	size_t len;

	if (strncmp(t, "SSL certificate problem: ", 25) == 0)
		return xasprintf("TLS: certificate problem: %s", t + 25);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(prefixes); i++) {
		if (strncmp(t, prefixes[i], strlen(prefixes[i])) == 0)
			t += strlen(prefixes[i]);
	}
	/* "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number" */
	if (strncmp(t, "OpenSSL/", 8) == 0 && strstr(t, ": ") != NULL)
		t = strstr(t, ": ") + 2;
	if (strncmp(t, "error:", 6) == 0 && strstr(t, "::") != NULL && strstr(t, "::")[2] != '\0')
		t = strstr(t, "::") + 2;
	len = strlen(t);
	if (len > 9 && strcmp(t + len - 9, ", errno 0") == 0)
		len -= 9;
	return xasprintf("TLS: %.*s", (int)len, t);
}

/* A failure to read or write that TLS reported (an alert, say). */
static bool http_is_tls_io_error(const struct http_xfer *c, CURLcode rc)
{
	return (rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR) &&
	       strstr(c->errbuf, "unexpected eof") == NULL &&
	       (strncmp(c->errbuf, "OpenSSL SSL_read: OpenSSL/", 26) == 0 ||
	        strncmp(c->errbuf, "OpenSSL SSL_write: OpenSSL/", 27) == 0);
}

/* The words for a failed transfer. */
static char *http_error_text(struct http_xfer *c, CURLcode rc)
{
	long connect_ms = c->connect_ms, timeout_ms = c->timeout_ms, stall_ms = c->stall_ms;
	const struct http_request *req = c->req;
	char t[48];
	long oserr = 0;
	curl_off_t connected_us = 0;

	switch (c->abort) {
	case HTTP_ABORT_CANCEL:
		return xstrdup("cancelled");
	case HTTP_ABORT_STALL:
		http_format_ms(t, sizeof t, stall_ms);
		return xasprintf("stalled: no data for %s", t);
	case HTTP_ABORT_CAP:
		http_format_size(t, sizeof t, c->max_bytes);
		return xasprintf("response over %s", t);
	case HTTP_ABORT_STOP:
	case HTTP_ABORT_NONE:
		break;
	}
	if (http_is_tls_error(rc) || http_is_tls_io_error(c, rc))
		return http_tls_error(c, rc);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST: {
		char *host = http_url_host(req->url);
		char *msg = xasprintf("cannot resolve %s", host);

		free(host);
		return msg;
	}
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(c->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED || oserr == 0)
			return xstrdup("connection refused");
		if (req->unix_socket != NULL)
			return xasprintf("cannot connect to %s: %s", req->unix_socket,
			                 strerror((int)oserr));
		return xasprintf("cannot connect: %s", strerror((int)oserr));
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(c->easy, CURLINFO_CONNECT_TIME_T, &connected_us);
		if (connected_us == 0 && (timeout_ms == 0 || connect_ms < timeout_ms)) {
			http_format_ms(t, sizeof t, connect_ms);
			return xasprintf("connect timeout after %s", t);
		}
		http_format_ms(t, sizeof t, timeout_ms);
		return xasprintf("timeout after %s", t);
	case CURLE_FILESIZE_EXCEEDED:
		http_format_size(t, sizeof t, c->max_bytes);
		return xasprintf("response over %s", t);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		curl_easy_getinfo(c->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNRESET)
			return xstrdup("connection reset by the server");
		return xstrdup("connection closed before the response was complete");
	case CURLE_GOT_NOTHING:
		return xstrdup("connection closed before any response");
	case CURLE_TOO_MANY_REDIRECTS:
		return xasprintf("too many redirects (over %ld)", HTTP_MAX_REDIRECTS);
	case CURLE_URL_MALFORMAT:
		return xstrdup("bad URL");
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("unsupported URL scheme");
	case CURLE_WEIRD_SERVER_REPLY:
		return xstrdup("not an HTTP response");
	default:
		if (c->errbuf[0] != '\0')
			return xstrdup(c->errbuf);
		return xstrdup(curl_easy_strerror(rc));
	}
}

static struct curl_slist *http_slist_add(struct curl_slist *l, const char *line)
{
	struct curl_slist *n = curl_slist_append(l, line);

	if (n == NULL)
		fatal("out of memory");
	return n;
}

/* Frees the header list, wiping the lines first (the bearer token is one). */
static void http_slist_free(struct curl_slist *l)
{
	for (struct curl_slist *p = l; p != NULL; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* Sets the options of one request.  Returns the header list to free after
 * the transfer (may be NULL). */
static struct curl_slist *http_setup(struct http_xfer *c, const struct http_request *req,
                                     long connect_ms, long timeout_ms)
{
	CURL *e = c->easy;
	struct curl_slist *hdrs = NULL;
	const char *method = req->method != NULL ? req->method : "GET";

	curl_easy_reset(e);
	c->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "kitetop/" KITETOP_VERSION);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* A cancelled request must not wait for a pending name lookup: the
	 * resolver thread is left to finish (and clean up) on its own. */
	curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	/* Refuses a body over the cap on its Content-Length, before it comes
	 * (not for HEAD, whose length describes a body that never comes). */
	if (req->on_data == NULL && strcmp(method, "HEAD") != 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_bytes);
	if (req->unix_socket != NULL)
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
	if (req->follow_redirects) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRECTS);
	}

	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		if (req->body != NULL || strcmp(method, "POST") == 0) {
			curl_easy_setopt(e, CURLOPT_POST, 1L);
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			                 (curl_off_t)(req->body != NULL ? req->body_len : 0));
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
		}
	}
	if (req->body != NULL) {
		char *h = xasprintf("Content-Type: %s", req->content_type != NULL ?
		                    req->content_type : "application/octet-stream");
		hdrs = http_slist_add(hdrs, h);
		free(h);
		hdrs = http_slist_add(hdrs, "Expect:");
	}

	if (req->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
	if (req->cert_file != NULL)
		curl_easy_setopt(e, CURLOPT_SSLCERT, req->cert_file);
	if (req->key_file != NULL)
		curl_easy_setopt(e, CURLOPT_SSLKEY, req->key_file);
	if (req->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}

	if (req->bearer_token != NULL) {
		char *h = xasprintf("Authorization: Bearer %s", req->bearer_token);
		hdrs = http_slist_add(hdrs, h);
		explicit_bzero(h, strlen(h));
		free(h);
	}
	if (req->basic_user != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, req->basic_user);
		curl_easy_setopt(e, CURLOPT_PASSWORD,
		                 req->basic_password != NULL ? req->basic_password : "");
	}
	for (const char *const *h = req->headers; h != NULL && *h != NULL; h++)
		hdrs = http_slist_add(hdrs, *h);
	if (hdrs != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	return hdrs;
}

/* Starts a transfer: checks the request and sets its options.  -1 with
 * *cause when it cannot run (nothing to end then). */
static int http_xfer_begin(const struct http_client *c, struct http_xfer *x,
                           const struct http_request *req, struct http_response *resp,
                           char **cause)
{
	x->start = time_mono_ms();
	http_response_reset(resp);
	x->connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms :
	                HTTP_DEFAULT_CONNECT_MS;
	x->timeout_ms = req->timeout_ms == 0 ? HTTP_DEFAULT_TIMEOUT_MS :
	                req->timeout_ms < 0 ? 0 : req->timeout_ms;
	x->stall_ms = req->stall_timeout_ms > 0 ? req->stall_timeout_ms : 0;
	if (req->url == NULL) {
		util_set_cause(cause, "no URL");
		return -1;
	}
	if (req->unix_socket != NULL && strlen(req->unix_socket) > HTTP_UNIX_PATH_MAX) {
		util_set_cause(cause, "socket path too long (over %d characters)", HTTP_UNIX_PATH_MAX);
		return -1;
	}
	if (http_is_cancelled(c)) {
		util_set_cause(cause, "cancelled");
		return -1;
	}
	x->req = req;
	x->resp = resp;
	x->max_bytes = req->max_bytes > 0 ? req->max_bytes : HTTP_DEFAULT_MAX_BYTES;
	x->cur_status = 0;
	x->abort = HTTP_ABORT_NONE;
	x->last_activity_ms = x->start;
	x->hdrs = http_setup(x, req, x->connect_ms, x->timeout_ms);
	return 0;
}

/* Ends a begun transfer whose result is rc: the response's status and time,
 * or the failure in words.  Returns what http_request returns. */
static int http_xfer_end(struct http_xfer *x, CURLcode rc, char **cause)
{
	struct http_response *resp = x->resp;
	int ret = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->total_ms = (double)(time_mono_ms() - x->start);
	if (rc == CURLE_OK || x->abort == HTTP_ABORT_STOP) {
		resp->stopped = x->abort == HTTP_ABORT_STOP;
	} else {
		char *msg = http_error_text(x, rc);

		http_scrub(&msg, x->req->bearer_token);
		http_scrub(&msg, x->req->basic_password);
		free(*cause);
		*cause = msg;
		buf_reset(&resp->body);
		ret = -1;
	}
	/* Forget the borrowed strings (secrets among them). */
	curl_easy_reset(x->easy);
	http_slist_free(x->hdrs);
	x->hdrs = NULL;
	x->req = NULL;
	x->resp = NULL;
	return ret;
}

/* The wait for curl_multi_poll: libcurl shortens it to its own timers
 * (timeouts); a cancel wakes it (http_wake_all); a stall check needs a
 * wakeup of its own. */
static long http_wait_ms(const struct http_xfer *x, long wait)
{
	if (x->stall_ms > 0) {
		long due = x->stall_ms - (long)(time_mono_ms() - x->last_activity_ms);

		if (due < wait)
			wait = due < 1 ? 1 : due;
	}
	return wait;
}

static bool http_stalled(struct http_xfer *x)
{
	if (x->stall_ms > 0 && time_mono_ms() - x->last_activity_ms >= x->stall_ms) {
		x->abort = HTTP_ABORT_STALL;
		return true;
	}
	return false;
}

/* Runs the transfer: our own loop, so cancel and stall are seen quickly. */
static CURLcode http_run(struct http_client *c, struct http_xfer *x)
{
	bool open_ended = x->timeout_ms == 0 && x->stall_ms == 0;
	CURLcode rc = CURLE_OK;
	CURLMcode mc;
	CURLMsg *msg;
	int running = 1, left;

	mc = curl_multi_add_handle(c->multi, x->easy);
	if (mc != CURLM_OK)
		return CURLE_FAILED_INIT;
	for (;;) {
		mc = curl_multi_perform(c->multi, &running);
		if (mc != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		if (running == 0)
			break;
		if (http_is_cancelled(c)) {
			x->abort = HTTP_ABORT_CANCEL;
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		if (http_stalled(x)) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		mc = curl_multi_poll(c->multi, NULL, 0,
		                     (int)http_wait_ms(x, open_ended ? HTTP_STREAM_POLL_MS :
		                                       HTTP_POLL_MS), NULL);
		if (mc != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
	}
	if (running == 0) {
		rc = CURLE_FAILED_INIT;
		while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == x->easy)
				rc = msg->data.result;
		}
	}
	curl_multi_remove_handle(c->multi, x->easy);
	return rc;
}

int http_request(struct http_client *c, const struct http_request *req,
                 struct http_response *resp, char **cause)
{
	if (http_xfer_begin(c, &c->x, req, resp, cause) != 0)
		return -1;
	return http_xfer_end(&c->x, http_run(c, &c->x), cause);
}

/* ---- several requests at once ------------------------------------------- */

struct http_many_slot {
	struct http_xfer x;
	struct http_many_item *item;
	bool active;
};

/* The next item that may start (its group under per_group), or NULL. */
static struct http_many_item *http_many_pick(struct http_many_item *items, size_t n,
                                             size_t *next, const size_t *inflight,
                                             size_t per_group)
{
	for (size_t i = *next; i < n; i++) {
		if (items[i].rc != 1)
			continue;
		if (inflight[items[i].group] < per_group) {
			if (i == *next)
				(*next)++;
			return &items[i];
		}
	}
	return NULL;
}

/* Ends a slot's transfer with rc (out of the multi first) and frees the slot. */
static void http_many_finish(struct http_client *c, struct http_many_slot *sl, CURLcode rc,
                             size_t *inflight)
{
	curl_multi_remove_handle(c->multi, sl->x.easy);
	sl->item->rc = http_xfer_end(&sl->x, rc, &sl->item->cause);
	sl->active = false;
	inflight[sl->item->group]--;
}

void http_request_many(struct http_client *c, struct http_many_item *items, size_t n,
                       size_t max_inflight, size_t per_group)
{
	struct http_many_slot *slots;
	size_t ngroups = 1, nslots, active = 0, next = 0, *inflight;
	bool cancelled = false;

	for (size_t i = 0; i < n; i++) {
		if (items[i].group < 0)
			items[i].group = 0;
		if ((size_t)items[i].group + 1 > ngroups)
			ngroups = (size_t)items[i].group + 1;
		items[i].rc = 1;   /* not started */
	}
	if (n == 0)
		return;
	per_group = per_group > 0 ? per_group : 1;
	nslots = max_inflight > 0 && max_inflight < n ? max_inflight : n;
	slots = xcalloc(nslots, sizeof *slots);
	inflight = xcalloc(ngroups, sizeof *inflight);
	for (;;) {
		CURLMsg *msg;
		int running, left;
		long wait = HTTP_POLL_MS;

		/* start what may start, each in a free slot */
		for (size_t k = 0; k < nslots && !cancelled; k++) {
			struct http_many_slot *sl = &slots[k];
			struct http_many_item *it;

			while (!sl->active &&
			       (it = http_many_pick(items, n, &next, inflight, per_group)) != NULL) {
				if (sl->x.easy == NULL && (sl->x.easy = curl_easy_init()) == NULL)
					fatal("cannot create a curl handle");
				it->rc = -1;
				if (http_xfer_begin(c, &sl->x, it->req, it->resp, &it->cause) != 0)
					continue;   /* it ended there: the next one takes the slot */
				if (curl_multi_add_handle(c->multi, sl->x.easy) != CURLM_OK) {
					it->rc = http_xfer_end(&sl->x, CURLE_FAILED_INIT, &it->cause);
					continue;
				}
				sl->item = it;
				sl->active = true;
				inflight[it->group]++;
				active++;
			}
		}
		if (active == 0)
			break;
		if (curl_multi_perform(c->multi, &running) != CURLM_OK)
			cancelled = true;   /* ends them below, as failed */
		while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (size_t k = 0; k < nslots; k++) {
				struct http_many_slot *sl = &slots[k];

				if (!sl->active || sl->x.easy != msg->easy_handle)
					continue;
				http_many_finish(c, sl, msg->data.result, inflight);
				active--;
				break;
			}
		}
		if (!cancelled && http_is_cancelled(c))
			cancelled = true;
		/* a cancel, or a stall, ends what runs */
		for (size_t k = 0; k < nslots; k++) {
			struct http_many_slot *sl = &slots[k];

			if (!sl->active)
				continue;
			if (cancelled)
				sl->x.abort = HTTP_ABORT_CANCEL;
			else if (!http_stalled(&sl->x)) {
				wait = http_wait_ms(&sl->x, wait);
				continue;
			}
			http_many_finish(c, sl, CURLE_ABORTED_BY_CALLBACK, inflight);
			active--;
		}
		if (cancelled && active == 0)
			break;
		if (active > 0 && curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL) != CURLM_OK)
			cancelled = true;
	}
	/* what never started */
	for (size_t i = 0; i < n; i++) {
		if (items[i].rc == 1) {
			http_response_reset(items[i].resp);
			util_set_cause(&items[i].cause, "cancelled");
			items[i].rc = -1;
		}
	}
	for (size_t k = 0; k < nslots; k++)
		if (slots[k].x.easy != NULL)
			curl_easy_cleanup(slots[k].x.easy);
	free(slots);
	free(inflight);
}
