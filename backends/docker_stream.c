/* docker_stream — the Docker engine's streams: a container's logs and the
 * engine's events (see docker.h). */
#include "backends/docker.h"

#include <stdio.h>
#include <stdlib.h>

#include "backends/docker_internal.h"
#include "backends/http.h"
#include "core/base/buf.h"
#include "core/base/util.h"

/* ---- logs ---- */

static int logs_data(const char *data, size_t len, void *arg)
{
	return docker_logdemux_feed(arg, data, len);
}

int docker_logs(struct docker *d, const char *id_or_name, const struct docker_logs_options *opt,
                docker_log_cb cb, void *arg, char **cause)
{
	static const struct docker_logs_options defaults = { .tail = -1 };
	struct docker_inspect in;
	struct docker_logdemux m;
	struct http_response resp;
	struct call c = { .timeout_ms = -1 };
	struct buf path;
	char *esc;
	int rc;

	if (opt == NULL)
		opt = &defaults;
	/* Framed or raw: only Config.Tty says, at API 1.41. */
	if (docker_container_inspect(d, id_or_name, &in, cause) != 0)
		return -1;
	esc = http_escape(id_or_name);
	buf_init(&path);
	buf_printf(&path, "/containers/%s/logs?stdout=1&stderr=1", esc);
	free(esc);
	buf_printf(&path, opt->tail >= 0 ? "&tail=%ld" : "&tail=all", opt->tail);
	/* the engine takes fractional seconds: a resumed stream starts at its
	 * last line's millisecond, not a whole second before it */
	if (opt->since_ms > 0)
		buf_printf(&path, "&since=%lld.%03lld", (long long)(opt->since_ms / 1000),
		           (long long)(opt->since_ms % 1000));
	else if (opt->since_s > 0)
		buf_printf(&path, "&since=%lld", (long long)opt->since_s);
	if (opt->timestamps)
		buf_puts(&path, "&timestamps=1");
	if (opt->follow)
		buf_puts(&path, "&follow=1");
	c.path = buf_cstr(&path);
	/* A follow may be quiet for hours; a plain read must keep coming. */
	c.stall_timeout_ms = opt->follow ? 0 : d->timeout_ms;
	docker_logdemux_init(&m, in.tty, opt->timestamps, cb, arg);
	c.on_data = logs_data;
	c.on_data_arg = &m;
	http_response_init(&resp);
	rc = docker_call(d, &c, &resp, cause);
	if (rc == 0 && resp.status != 200) {
		docker_status_error(&resp, cause);
		rc = -1;
	} else if (rc == 0 && resp.stopped) {
		/* the callback stopped (fine), or the frames were bad */
		if (docker_logdemux_error(&m) != NULL) {
			util_set_cause(cause, "%s", docker_logdemux_error(&m));
			rc = -1;
		}
	} else if (rc == 0 && docker_logdemux_finish(&m) != 0 && docker_logdemux_error(&m) != NULL) {
		util_set_cause(cause, "%s", docker_logdemux_error(&m));
		rc = -1;
	}
	http_response_done(&resp);
	docker_logdemux_done(&m);
	buf_done(&path);
	return rc;
}

/* ---- events ---- */

static int events_data(const char *data, size_t len, void *arg)
{
	return docker_eventdec_feed(arg, data, len);
}

int docker_events(struct docker *d, int64_t since_s, docker_event_cb cb, void *arg,
                  char **cause)
{
	static const char filters[] =
		"{\"type\":[\"container\"],\"event\":[\"create\",\"start\",\"die\",\"stop\","
		"\"restart\",\"pause\",\"unpause\",\"destroy\",\"health_status\",\"oom\"]}";
	struct docker_eventdec e;
	struct http_response resp;
	struct call c = { .timeout_ms = -1 };
	char *esc, *path;
	int rc;

	if (docker_connect(d, cause) != 0)
		return -1;
	esc = http_escape(filters);
	path = since_s > 0 ? xasprintf("/events?filters=%s&since=%lld", esc, (long long)since_s) :
	    xasprintf("/events?filters=%s", esc);
	free(esc);
	docker_eventdec_init(&e, cb, arg);
	c.path = path;
	c.on_data = events_data;
	c.on_data_arg = &e;
	http_response_init(&resp);
	rc = docker_call(d, &c, &resp, cause);
	if (rc == 0 && resp.status != 200) {
		docker_status_error(&resp, cause);
		rc = -1;
	} else if (rc == 0 && !resp.stopped) {
		/* The daemon ends the stream only when it shuts down. */
		util_set_cause(cause, "docker: the event stream ended");
		rc = -1;
	}
	http_response_done(&resp);
	docker_eventdec_done(&e);
	free(path);
	return rc;
}
