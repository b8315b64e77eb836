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
 * curl_easy_reset() between requests keeps connections alive.
 *
 * Here: the clients, one transfer (its options, its callbacks, its begin and
 * end) and http_request()'s loop.  Each request's state is a struct
 * http_xfer (http_internal.h): the client's own for http_request(), one per
 * place for http_request_many() (http_many.c).  A failed transfer is put
 * into words by http_error.c; the pure text functions (http_status_error,
 * http_escape) are in http_text.c. */
#include "backends/http.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/cancel.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "backends/http_internal.h"

#define HTTP_UNIX_PATH_MAX 107   /* sun_path less its NUL */

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

void http_client_keep(struct http_client *c, size_t n)
{
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)n);
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

void http_response_reset(struct http_response *r)
{
	r->status = 0;
	buf_reset(&r->body);
	r->total_ms = 0;
	r->retry_after_s = -1;
	free(r->api_version);
	r->api_version = NULL;
	r->stopped = false;
}

bool http_is_cancelled(const struct http_client *c)
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

	if (req->ca_pem != NULL) {
		struct curl_blob b = { (void *)(uintptr_t)req->ca_pem, req->ca_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &b);
	} else if (req->ca_file != NULL) {
		curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
	}
	if (req->cert_pem != NULL) {
		struct curl_blob b = { (void *)(uintptr_t)req->cert_pem, req->cert_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &b);
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
	} else if (req->cert_file != NULL) {
		curl_easy_setopt(e, CURLOPT_SSLCERT, req->cert_file);
	}
	if (req->key_pem != NULL) {
		struct curl_blob b = { (void *)(uintptr_t)req->key_pem, req->key_pem_len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &b);
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	} else if (req->key_file != NULL) {
		curl_easy_setopt(e, CURLOPT_SSLKEY, req->key_file);
	}
	if (req->gzip)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
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

int http_xfer_begin(const struct http_client *c, struct http_xfer *x,
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

int http_xfer_end(struct http_xfer *x, CURLcode rc, char **cause)
{
	struct http_response *resp = x->resp;
	int ret = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->total_ms = (double)(time_mono_ms() - x->start);
	if (rc == CURLE_OK || x->abort == HTTP_ABORT_STOP) {
		resp->stopped = x->abort == HTTP_ABORT_STOP;
	} else {
		free(*cause);
		*cause = http_xfer_error(x, rc);
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

long http_wait_ms(const struct http_xfer *x, long wait)
{
	if (x->stall_ms > 0) {
		long due = x->stall_ms - (long)(time_mono_ms() - x->last_activity_ms);

		if (due < wait)
			wait = due < 1 ? 1 : due;
	}
	return wait;
}

bool http_stalled(struct http_xfer *x)
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
