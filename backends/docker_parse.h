/* docker_parse — the pure decoders behind backends/docker: the Docker Engine
 * API's JSON (container list, inspect, one-shot stats, version) and the
 * multiplexed log stream.  No network, no threads: each is unit-tested on
 * fixtures recorded from a real dockerd and has a fuzz target.
 *
 * Hostile input never crashes a decoder: a field of the wrong type is treated
 * as absent, strings shown to people are sanitised (control characters and
 * invalid UTF-8 become '?', at most DOCKER_MAX_TEXT bytes), lists are capped. */
#ifndef KITETOP_BACKENDS_DOCKER_PARSE_H
#define KITETOP_BACKENDS_DOCKER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker_types.h"
#include "core/base/buf.h"

#define DOCKER_MAX_CONTAINERS 10000   /* entries past this are ignored */
#define DOCKER_MAX_TEXT 256           /* bytes of a name, image or status text */
#define DOCKER_MAX_ID 64              /* a full container id */
#define DOCKER_MAX_LOG_LINE 65536     /* a longer log line is cut into pieces */

/* What inspect (GET /containers/{id}/json) tells beyond the list. */
struct docker_inspect {
	enum docker_state state;
	enum docker_health health;   /* State.Health.Status; NONE without a healthcheck */
	int restarts;                /* RestartCount; -1 unknown */
	int exit_code;               /* State.ExitCode; -1 unknown */
	int64_t started_at_ms;       /* State.StartedAt; 0 never started or unknown */
	int64_t finished_at_ms;      /* State.FinishedAt; 0 never or unknown */
	bool tty;                    /* Config.Tty: logs are raw, not framed */
	bool oom_killed;
};

/* One stats sample (GET /containers/{id}/stats?stream=false&one-shot=true). */
struct docker_stats_sample {
	bool has_cpu;                /* cpu_stats with total_usage and system_cpu_usage */
	double cpu_total_ns;         /* cpu_stats.cpu_usage.total_usage */
	double system_ns;            /* cpu_stats.system_cpu_usage */
	unsigned online_cpus;        /* online_cpus, else len(percpu_usage); 0 unknown */
	int64_t mem_bytes;           /* usage minus inactive file cache, as the CLI; -1 unknown */
	int64_t mem_limit_bytes;     /* memory_stats.limit; -1 unknown */
};

struct docker_version {
	char version[64];            /* "20.10.24+dfsg1"; "" unknown */
	int api_max;                 /* ApiVersion as DOCKER_API(1, 41); 0 unknown */
	int api_min;                 /* MinAPIVersion; 0 unknown */
};

#define DOCKER_API(major, minor) ((major) * 1000 + (minor))

/* "1.41" -> 1041.  0, or -1 when s is not MAJOR.MINOR. */
int docker_api_parse(const char *s, int *out);


/* The container list.  *out is an array of *n entries (possibly 0) that the
 * caller frees with docker_containers_free().  Entries without a usable Id
 * are skipped; stats fields are set to unknown and restarts/started_at to
 * unknown (the list does not carry them).  -1 with *cause when the body is
 * not a JSON array.  Callers on several threads parse one at a time (a
 * process-wide lock: a big list's JSON tree is ~10 times its text). */
int docker_parse_containers(const char *json, size_t len, struct docker_container **out,
                            size_t *n, char **cause);

/* Inspect of one container.  -1 with *cause when the body is not a JSON object. */
int docker_parse_inspect(const char *json, size_t len, struct docker_inspect *out, char **cause);

/* A stats body: its cpu_stats/memory_stats into *cur and, when pre is not
 * NULL, its precpu_stats into *pre (empty in one-shot samples: has_cpu false).
 * -1 with *cause when the body is not a JSON object. */
int docker_parse_stats(const char *json, size_t len, struct docker_stats_sample *cur,
                       struct docker_stats_sample *pre, char **cause);

/* The docker CLI's CPU %: (cpu delta / system delta) * cpus * 100, 0 when a
 * delta is not positive.  -1 (unknown) when either sample lacks CPU figures
 * or a counter went backwards (the container restarted between them). */
double docker_stats_cpu_pct(const struct docker_stats_sample *prev,
                            const struct docker_stats_sample *cur);

/* GET /version.  -1 with *cause when the body is not a JSON object. */
int docker_parse_version(const char *json, size_t len, struct docker_version *out, char **cause);

/* From a list Status text: "Up 3 hours (healthy)" -> HEALTHY, "(unhealthy)",
 * "(health: starting)" -> STARTING, else NONE. */
enum docker_health docker_health_from_status(const char *status);
/* "Exited (3) 2 hours ago" / "Restarting (2) ..." -> 3 / 2; else -1. */
int docker_exit_code_from_status(const char *status);

/* The uptime a list Status text "Up 5 minutes (healthy)" gives, as docker's
 * HumanDuration rounds it: at least *lo and less than *hi seconds.  0, or -1
 * when the text is not "Up ...". */
int docker_uptime_from_status(const char *status, int64_t *lo, int64_t *hi);

/* The log stream decoder: the 8-byte-header frames of a container without a
 * TTY ([stream, 0, 0, 0, size big-endian 32]), or the raw bytes of one with a
 * TTY, cut into lines (without "\n" or a trailing "\r") handed to the
 * callback.  Feed it the body in pieces split anywhere. */
struct docker_logdemux {
	bool tty;
	bool timestamps;             /* split the RFC 3339 prefix into line.ts_ms */
	docker_log_cb cb;
	void *arg;
	unsigned char hdr[8];
	size_t hdr_len;
	uint32_t frame_left;         /* payload bytes still to come in this frame */
	int frame_stream;            /* 0 stdin, 1 stdout, 2 stderr, 3 the daemon's error */
	struct buf line[3];          /* per stream: the unfinished line */
	struct buf syserr;           /* a stream-3 frame: an error from the daemon */
	bool failed;
	char *error;                 /* why it failed, or NULL */
};

void docker_logdemux_init(struct docker_logdemux *m, bool tty, bool timestamps,
                          docker_log_cb cb, void *arg);
/* 0, or -1 once the callback asked to stop or the framing was invalid
 * (docker_logdemux_error() says which; after -1, further input is ignored). */
int docker_logdemux_feed(struct docker_logdemux *m, const char *data, size_t len);
/* End of the stream: hands over unfinished lines.  -1 when the stream ended
 * inside a frame ("logs: stream ended inside a frame") or the callback stopped. */
int docker_logdemux_finish(struct docker_logdemux *m);
/* NULL, or the reason of the last -1 (borrowed; NULL when the callback stopped). */
const char *docker_logdemux_error(const struct docker_logdemux *m);
void docker_logdemux_done(struct docker_logdemux *m);

/* The /events stream decoder: one JSON object a line; container events go to
 * the callback, other lines (other types, bad JSON, lines over
 * DOCKER_MAX_LOG_LINE) are skipped.  Feed it pieces split anywhere. */
struct docker_eventdec {
	docker_event_cb cb;
	void *arg;
	struct buf line;
	bool skipping;               /* inside an overlong line */
	bool stopped;
};

void docker_eventdec_init(struct docker_eventdec *e, docker_event_cb cb, void *arg);
/* 0, or -1 once the callback asked to stop. */
int docker_eventdec_feed(struct docker_eventdec *e, const char *data, size_t len);
void docker_eventdec_done(struct docker_eventdec *e);
/* One event line.  0 with *ev (its strings the caller frees: *name, *action),
 * -1 when the line is not a container event. */
int docker_parse_event(const char *json, size_t len, struct docker_event *ev, char **name,
                       char **action);

/* A DOCKER_HOST-style endpoint into options: "unix:///run/docker.sock" (or a
 * bare absolute path) gives *unix_socket and the base URL "http://localhost";
 * "tcp://host:2376" gives the base URL "https://host:2376" when tls is true,
 * else "http://host:2375".  Both out-strings are the caller's (one may be
 * NULL).  -1 with *cause for anything else ("ssh" is the caller's business). */
int docker_endpoint_parse(const char *spec, bool tls, char **unix_socket, char **base_url,
                          char **cause);

#endif
