/* The log stream decoder of docker_parse.h: frames (moby's stdcopy format)
 * or raw TTY bytes, cut into lines. */
#include "backends/docker_parse.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

#define STREAM_SYSERR 3   /* stdcopy.Systemerr: the daemon's own error, mid-stream */

void docker_logdemux_init(struct docker_logdemux *m, bool tty, bool timestamps,
                          docker_log_cb cb, void *arg)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->tty = tty;
	m->timestamps = timestamps;
	m->cb = cb;
	m->arg = arg;
	for (i = 0; i < UTIL_ARRAY_LEN(m->line); i++)
		buf_init(&m->line[i]);
	buf_init(&m->syserr);
}

void docker_logdemux_done(struct docker_logdemux *m)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(m->line); i++)
		buf_done(&m->line[i]);
	buf_done(&m->syserr);
	free(m->error);
	m->error = NULL;
}

const char *docker_logdemux_error(const struct docker_logdemux *m)
{
	return m->error;
}

static int fail(struct docker_logdemux *m, char *error)
{
	m->failed = true;
	free(m->error);
	m->error = error;
	return -1;
}

/* Hands one complete line to the callback, without its "\r" and, when asked,
 * with its timestamp split off. */
static int emit(struct docker_logdemux *m, int stream, const char *text, size_t len)
{
	struct docker_log_line line;

	if (len > 0 && text[len - 1] == '\r')
		len--;
	line.stream = (enum docker_stream)stream;
	line.ts_ms = 0;
	if (m->timestamps) {
		const char *sp = memchr(text, ' ', len < 40 ? len : 40);
		char ts[41];
		int64_t ms;

		if (sp != NULL) {
			memcpy(ts, text, (size_t)(sp - text));
			ts[sp - text] = '\0';
			if (time_parse_iso8601(ts, &ms) == 0) {
				line.ts_ms = ms;
				len -= (size_t)(sp + 1 - text);
				text = sp + 1;
			}
		}
	}
	line.text = text;
	line.len = len;
	if (m->cb(&line, m->arg) != 0) {
		m->failed = true;
		return -1;
	}
	return 0;
}

/* Payload bytes of one stream: complete lines go out, the rest waits. */
static int payload(struct docker_logdemux *m, int stream, const char *p, size_t len)
{
	struct buf *b;

	if (stream == STREAM_SYSERR) {
		if (m->syserr.len < DOCKER_MAX_TEXT)
			buf_append(&m->syserr, p, len < DOCKER_MAX_TEXT ? len : DOCKER_MAX_TEXT);
		return 0;
	}
	b = &m->line[stream];
	while (len > 0) {
		const char *nl = memchr(p, '\n', len);
		size_t take = nl != NULL ? (size_t)(nl - p) : len;

		if (b->len + take > DOCKER_MAX_LOG_LINE) {
			/* An endless line: hand it over in pieces of the cap. */
			size_t room = DOCKER_MAX_LOG_LINE - b->len;

			buf_append(b, p, room);
			if (emit(m, stream, b->data, b->len) != 0)
				return -1;
			buf_reset(b);
			p += room;
			len -= room;
			continue;
		}
		if (nl == NULL) {
			buf_append(b, p, take);
			return 0;
		}
		if (b->len == 0) {
			if (emit(m, stream, p, take) != 0)
				return -1;
		} else {
			buf_append(b, p, take);
			if (emit(m, stream, b->data, b->len) != 0)
				return -1;
			buf_reset(b);
		}
		p += take + 1;
		len -= take + 1;
	}
	return 0;
}

static int syserr_done(struct docker_logdemux *m)
{
	char *msg = util_text_sanitize(buf_cstr(&m->syserr), DOCKER_MAX_TEXT), *error;
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '?' || msg[n - 1] == ' '))
		msg[--n] = '\0';   /* its trailing newline, sanitised */
	error = xasprintf("docker: logs: %s", msg[0] ? msg : "error from the daemon");

	free(msg);
	return fail(m, error);
}

int docker_logdemux_feed(struct docker_logdemux *m, const char *data, size_t len)
{
	if (m->failed)
		return -1;
	if (m->tty)
		return payload(m, DOCKER_STREAM_STDOUT, data, len);
	while (len > 0) {
		if (m->frame_left == 0 && m->hdr_len < 8) {
			size_t want = 8 - m->hdr_len, take = len < want ? len : want;

			memcpy(m->hdr + m->hdr_len, data, take);
			m->hdr_len += take;
			data += take;
			len -= take;
			if (m->hdr_len < 8)
				return 0;
			if (m->hdr[0] > STREAM_SYSERR)
				return fail(m, xasprintf("docker: logs: bad frame header (stream %u)",
				                         m->hdr[0]));
			m->frame_stream = m->hdr[0];
			m->frame_left = (uint32_t)m->hdr[4] << 24 | (uint32_t)m->hdr[5] << 16 |
			                (uint32_t)m->hdr[6] << 8 | (uint32_t)m->hdr[7];
			if (m->frame_left == 0)
				m->hdr_len = 0;
			buf_reset(&m->syserr);
			continue;
		}
		{
			size_t take = len < m->frame_left ? len : m->frame_left;

			if (payload(m, m->frame_stream, data, take) != 0)
				return -1;
			data += take;
			len -= take;
			m->frame_left -= (uint32_t)take;
			if (m->frame_left == 0) {
				m->hdr_len = 0;
				if (m->frame_stream == STREAM_SYSERR)
					return syserr_done(m);
			}
		}
	}
	return 0;
}

int docker_logdemux_finish(struct docker_logdemux *m)
{
	size_t i;

	if (m->failed)
		return -1;
	/* Unfinished lines first: what arrived is shown even if the end was cut. */
	for (i = 0; i < UTIL_ARRAY_LEN(m->line); i++) {
		if (m->line[i].len > 0 &&
		    emit(m, (int)i, m->line[i].data, m->line[i].len) != 0)
			return -1;
		buf_reset(&m->line[i]);
	}
	if (!m->tty && (m->frame_left > 0 || m->hdr_len > 0)) {
		if (m->frame_stream == STREAM_SYSERR && m->frame_left > 0)
			return syserr_done(m);
		return fail(m, xstrdup("docker: logs: stream ended inside a frame"));
	}
	return 0;
}

/* ---- the /events stream ---- */

void docker_eventdec_init(struct docker_eventdec *e, docker_event_cb cb, void *arg)
{
	memset(e, 0, sizeof(*e));
	e->cb = cb;
	e->arg = arg;
	buf_init(&e->line);
}

void docker_eventdec_done(struct docker_eventdec *e)
{
	buf_done(&e->line);
}

static int event_line(struct docker_eventdec *e, const char *p, size_t len)
{
	struct docker_event ev;
	char *name = NULL, *action = NULL;
	int rc = 0;

	if (docker_parse_event(p, len, &ev, &name, &action) == 0) {
		ev.name = name;
		ev.action = action;
		if (e->cb(&ev, e->arg) != 0) {
			e->stopped = true;
			rc = -1;
		}
	}
	free(name);
	free(action);
	return rc;
}

int docker_eventdec_feed(struct docker_eventdec *e, const char *data, size_t len)
{
	if (e->stopped)
		return -1;
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl != NULL ? (size_t)(nl - data) : len;

		if (!e->skipping) {
			if (e->line.len + take > DOCKER_MAX_LOG_LINE) {
				e->skipping = true;
				buf_reset(&e->line);
			} else {
				buf_append(&e->line, data, take);
			}
		}
		if (nl == NULL)
			return 0;
		if (!e->skipping && e->line.len > 0 &&
		    event_line(e, e->line.data, e->line.len) != 0)
			return -1;
		buf_reset(&e->line);
		e->skipping = false;
		data += take + 1;
		len -= take + 1;
	}
	return 0;
}
