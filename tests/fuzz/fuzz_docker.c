/* Fuzz target of backends/docker_parse: the first byte picks the decoder
 * (0 container list, 1 inspect, 2 stats, 3 version, 4 framed logs,
 * 5 TTY logs with timestamps, taken modulo 6; but 'E' the /events stream); for
 * logs and events the second byte sets the size of the pieces the body is fed
 * in, so frames and lines split at every place. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/docker_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_line(const struct docker_log_line *line, void *arg)
{
	size_t *total = arg;

	/* touch every byte: a bad pointer or length shows under ASan */
	if (line->len > 0 && (line->text[0] == 0 || line->text[line->len - 1] == 0))
		(*total)++;
	*total += line->len;
	return *total > (1u << 22) ? -1 : 0;
}

static int count_event(const struct docker_event *ev, void *arg)
{
	size_t *total = arg;

	*total += strlen(ev->name) + strlen(ev->action) + strlen(ev->id);
	return 0;
}

static void fuzz_events(const char *body, size_t len, size_t step)
{
	struct docker_eventdec e;
	size_t total = 0, off;

	docker_eventdec_init(&e, count_event, &total);
	for (off = 0; off < len; off += step)
		docker_eventdec_feed(&e, body + off, len - off < step ? len - off : step);
	docker_eventdec_done(&e);
}

static void fuzz_logs(const char *body, size_t len, size_t step, bool tty, bool ts)
{
	struct docker_logdemux m;
	size_t total = 0, off;
	int rc = 0;

	docker_logdemux_init(&m, tty, ts, count_line, &total);
	for (off = 0; off < len && rc == 0; off += step)
		rc = docker_logdemux_feed(&m, body + off, len - off < step ? len - off : step);
	if (rc == 0)
		docker_logdemux_finish(&m);
	docker_logdemux_done(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	size_t len, step;
	char *cause = NULL;

	if (size < 2)
		return 0;
	body = (const char *)data + 2;
	len = size - 2;
	step = data[1] == 0 ? len + 1 : data[1];
	if (data[0] == 'E') {
		fuzz_events(body, len, step);
		return 0;
	}
	switch (data[0] % 6) {
	case 0: {
		struct docker_container *l = NULL;
		size_t n = 0, i;

		if (docker_parse_containers(body, len, &l, &n, &cause) == 0) {
			for (i = 0; i < n; i++)
				if (strlen(l[i].name) + strlen(l[i].image) + strlen(l[i].status) >
				    3 * DOCKER_MAX_TEXT ||
				    (l[i].image_id != NULL && strlen(l[i].image_id) > DOCKER_MAX_TEXT))
					abort();
		}
		docker_containers_free(l, n);
		break;
	}
	case 1: {
		struct docker_inspect in;

		docker_parse_inspect(body, len, &in, &cause);
		break;
	}
	case 2: {
		struct docker_stats_sample cur, pre;

		if (docker_parse_stats(body, len, &cur, &pre, &cause) == 0)
			(void)docker_stats_cpu_pct(&pre, &cur);
		break;
	}
	case 3: {
		struct docker_version v;

		docker_parse_version(body, len, &v, &cause);
		break;
	}
	case 4:
		fuzz_logs(body, len, step, false, data[1] & 1);
		break;
	default:
		fuzz_logs(body, len, step, true, true);
		break;
	}
	free(cause);
	return 0;
}
