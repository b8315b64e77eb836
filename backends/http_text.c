/* http_text — the HTTP wrapper's pure text functions (http.h):
 * http_status_error() and http_escape(). */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <curl/curl.h>

#include "backends/http.h"
#include "core/base/buf.h"
#include "core/base/util.h"

#define HTTP_STATUS_TEXT_MAX 200 /* longest server text quoted in an error */

/* Copies one line of server text, control characters as spaces, at most
 * HTTP_STATUS_TEXT_MAX bytes (then "..."). */
static char *http_clean_text(const char *s, size_t len)
{
	struct buf b;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	buf_init(&b);
	for (size_t i = 0; i < len && i < HTTP_STATUS_TEXT_MAX; i++)
		buf_putc(&b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i]);
	if (len > HTTP_STATUS_TEXT_MAX)
		buf_puts(&b, "...");
	return buf_steal(&b);
}

/* The message of a JSON error body: "message", "error", or Cloudflare's
 * errors[0].message.  Caller frees; NULL when there is none. */
static char *http_json_message(const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *m = NULL;
	char *out = NULL;

	if (root == NULL)
		return NULL;
	if (cJSON_IsObject(root)) {
		m = cJSON_GetObjectItemCaseSensitive(root, "message");
		if (!cJSON_IsString(m) || m->valuestring[0] == '\0')
			m = cJSON_GetObjectItemCaseSensitive(root, "error");
		if (!cJSON_IsString(m) || m->valuestring[0] == '\0') {
			const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");

			m = cJSON_IsArray(errs) ? cJSON_GetArrayItem(errs, 0) : NULL;
			m = cJSON_IsObject(m) ? cJSON_GetObjectItemCaseSensitive(m, "message") : NULL;
		}
		if (cJSON_IsString(m) && m->valuestring[0] != '\0')
			out = http_clean_text(m->valuestring, strlen(m->valuestring));
	}
	cJSON_Delete(root);
	return out;
}

char *http_status_error(const struct http_response *resp)
{
	const char *body = resp->body.data;
	size_t len = resp->body.len, start = 0, end = len;
	char *text = NULL, *out;

	while (start < end && isspace((unsigned char)body[start]))
		start++;
	while (end > start && isspace((unsigned char)body[end - 1]))
		end--;
	if (start < end && (body[start] == '{' || body[start] == '[')) {
		text = http_json_message(body + start, end - start);
	} else if (start < end && end - start <= HTTP_STATUS_TEXT_MAX && body[start] != '<' &&
	           memchr(body + start, '\n', end - start) == NULL &&
	           memchr(body + start, '\0', end - start) == NULL) {
		text = http_clean_text(body + start, end - start);
	}
	if (text != NULL && text[0] != '\0')
		out = xasprintf("HTTP %ld: %s", resp->status, text);
	else
		out = xasprintf("HTTP %ld", resp->status);
	free(text);
	return out;
}

char *http_escape(const char *s)
{
	size_t len = strlen(s);
	char *e, *out;

	if (len > INT_MAX)
		fatal("http_escape: string too long");
	e = curl_easy_escape(NULL, s, (int)len);
	if (e == NULL)
		fatal("out of memory");
	out = xstrdup(e);
	curl_free(e);
	return out;
}
