/* bench/events_gen — writes a simulated event history for bench/events_since.sh:
 * DAYS days, up to now, of a two-host lab (monk, kscloud1 and the shared
 * layer), PER_DAY events a day through eventlog_append in batches of a
 * few (as a frame's changes come), so that the log rotates as it would;
 * and an audit log of a few actions a day.  Prints nothing; exit 1 on an
 * error.
 *
 * usage: events_gen EVENTS_PATH AUDIT_PATH DAYS PER_DAY */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actions/audit.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/eventlog.h"

int main(int argc, char **argv);

static const char *const gen_hosts[] = { "monk", "kscloud1", "" };
static const char *const gen_containers[] = { "grafana", "kavita", "forgejo", "karakeep",
                                              "authentik", "homepage", "cloudflared" };

/* The i-th event: a state and its recovery in turn, of the kinds a lab sees. */
static struct event gen_event(long i, int64_t t)
{
	const char *host = gen_hosts[i % 3];
	const char *c = gen_containers[(i / 3) % UTIL_ARRAY_LEN(gen_containers)];
	bool down = (i / 21) % 2 == 0;
	struct event e = { .time_ms = t, .level = down ? EVENT_LEVEL_CRIT : EVENT_LEVEL_OK };

	EVENT_SET(e.host, host);
	EVENT_SET(e.object, c);
	switch (i % 5) {
	case 0:
		e.kind = EVENT_CONTAINER;
		EVENT_SET(e.from, down ? "running" : "exited (1)");
		EVENT_SET(e.to, down ? "exited (1)" : "running");
		EVENT_SET(e.detail, down ? "OOM killed" : "");
		break;
	case 1:
		e.kind = EVENT_HEALTH;
		EVENT_SET(e.from, down ? "healthy" : "unhealthy");
		EVENT_SET(e.to, down ? "unhealthy" : "healthy");
		break;
	case 2:
		e.kind = EVENT_PROBE;
		EVENT_SET(e.from, down ? "ok" : "failing");
		EVENT_SET(e.to, down ? "failing" : "ok");
		EVENT_SET(e.detail, down ? "HTTP 503 from http://127.0.0.2:3000/api/healthz" : "");
		break;
	case 3:
		e.kind = EVENT_RESTARTS;
		EVENT_SET(e.from, "3");
		EVENT_SET(e.to, "4");
		break;
	default:
		e.kind = host[0] != '\0' ? EVENT_HOST : EVENT_SOURCE;
		EVENT_SET(e.object, host[0] != '\0' ? host : "redis");
		EVENT_SET(e.from, down ? (host[0] != '\0' ? "reachable" : "ok") : "unreachable");
		EVENT_SET(e.to, down ? (host[0] != '\0' ? "unreachable" : "failing") : "reachable");
		EVENT_SET(e.detail, down ? "connection timed out after 5000 ms" : "");
		break;
	}
	return e;
}

static int gen_audit(const char *path, int64_t from, int days)
{
	FILE *f = fopen(path, "w");
	struct audit_entry a = { .host = "monk", .target = "grafana", .action = "restart" };

	if (f == NULL)
		return -1;
	for (int d = 0; d < days * 4; d++) {
		char id[32], *line;

		snprintf(id, sizeof id, "4711-%d", d);
		a.id = id;
		a.result = d % 7 == 0 ? "failed" : "ok";
		a.error = d % 7 == 0 ? "timed out" : NULL;
		line = audit_format(&a, from + (int64_t)d * 6 * 3600 * 1000, "kite", "laptop");
		fputs(line, f);
		free(line);
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	int64_t now = time_real_ms(), from, step;
	long total, per_day;
	int days;
	char *cause = NULL;

	if (argc != 5 || (days = atoi(argv[3])) <= 0 || (per_day = atol(argv[4])) <= 0) {
		fprintf(stderr, "usage: events_gen EVENTS_PATH AUDIT_PATH DAYS PER_DAY\n");
		return 2;
	}
	total = per_day * days;
	from = now - (int64_t)days * 86400000;
	step = (int64_t)days * 86400000 / total;
	for (long i = 0; i < total; i += 4) {
		struct event batch[4];
		size_t n = 0;

		for (; n < 4 && i + (long)n < total; n++)
			batch[n] = gen_event(i + (long)n, from + (i + (long)n) * step);
		if (eventlog_append(argv[1], batch, n, &cause) != 0) {
			fprintf(stderr, "events_gen: %s\n", cause);
			return 1;
		}
	}
	if (gen_audit(argv[2], from, days) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
