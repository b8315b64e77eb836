/* http_error — the words for a failed HTTP transfer (http_internal.h):
 * "connection refused", "timeout after 5 s", "TLS: certificate problem: ...",
 * never holding the bearer token or the password. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "backends/http_internal.h"
#include "core/base/buf.h"
#include "core/base/util.h"

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

/* http_connect_error_words (http_internal.h).  curl checks a socket it has
 * just connected for writability; a Unix socket whose other end already
 * accepted and closed it (an SSH tunnel whose channel was refused, a
 * listener closing what it cannot serve) polls as writable and hung up with
 * no socket error, which curl calls a failed connect with errno 0: that
 * connection was made, and closed before any response. */
char *http_connect_error_words(int oserr, const char *unix_socket)
{
	if (unix_socket != NULL && oserr == 0)
		return xstrdup("connection closed before any response");
	if (oserr == ECONNREFUSED || oserr == 0)
		return xstrdup("connection refused");
	if (unix_socket != NULL)
		return xasprintf("cannot connect to %s: %s", unix_socket, strerror(oserr));
	return xasprintf("cannot connect: %s", strerror(oserr));
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
		return http_connect_error_words((int)oserr, req->unix_socket);
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
		/* curl says this also of a reply that is not HTTP at all (it takes
		 * one without a status line for HTTP/0.9, which it refuses): for
		 * an http(s) URL the scheme was fine, the other end is not HTTP */
		if (strncmp(req->url, "http://", 7) == 0 || strncmp(req->url, "https://", 8) == 0)
			return xstrdup("not an HTTP response");
		return xstrdup("unsupported URL scheme");
	case CURLE_WEIRD_SERVER_REPLY:
		return xstrdup("not an HTTP response");
	default:
		if (c->errbuf[0] != '\0')
			return xstrdup(c->errbuf);
		return xstrdup(curl_easy_strerror(rc));
	}
}

char *http_xfer_error(struct http_xfer *x, CURLcode rc)
{
	char *msg = http_error_text(x, rc);

	http_scrub(&msg, x->req->bearer_token);
	http_scrub(&msg, x->req->basic_password);
	return msg;
}
