/* docker_types — the values the Docker Engine API client and its decoders
 * share: a container's state and health, a container as listed, a log
 * line, the client's options.  Plain value types and their helpers; no I/O. */
#ifndef KITETOP_BACKENDS_DOCKER_TYPES_H
#define KITETOP_BACKENDS_DOCKER_TYPES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum docker_state {
	DOCKER_STATE_UNKNOWN,      /* "unknown": a State the daemon should not send */
	DOCKER_STATE_RUNNING,
	DOCKER_STATE_EXITED,
	DOCKER_STATE_RESTARTING,
	DOCKER_STATE_PAUSED,
	DOCKER_STATE_CREATED,
	DOCKER_STATE_DEAD,
	DOCKER_STATE_REMOVING,
	DOCKER_STATE_MISSING,      /* never from the daemon: a configured service absent on a host */
};

enum docker_health {
	DOCKER_HEALTH_NONE,        /* no healthcheck */
	DOCKER_HEALTH_STARTING,
	DOCKER_HEALTH_HEALTHY,
	DOCKER_HEALTH_UNHEALTHY,
};

enum docker_stream {
	DOCKER_STREAM_STDIN,
	DOCKER_STREAM_STDOUT,
	DOCKER_STREAM_STDERR,
};

/* Names as in `status --json`: "running", "exited", ..., "missing", "unknown";
 * "healthy", "unhealthy", "starting", "none".  Static strings. */
const char *docker_state_name(enum docker_state s);
const char *docker_health_name(enum docker_health h);
/* "running" -> DOCKER_STATE_RUNNING; UNKNOWN for anything else. */
enum docker_state docker_state_parse(const char *s);
/* "healthy", "unhealthy", "starting"; anything else (or NULL): none. */
enum docker_health docker_health_parse(const char *s);

struct docker_container {
	char id[13];               /* short id: the first 12 characters */
	char full_id[65];          /* what the API calls it by */
	char *name;                /* without the leading "/"; sanitised for display */
	char *image;               /* the reference it was created from: "grafana/grafana:11.2.0" */
	char *image_id;            /* ImageID "sha256:..."; NULL unknown */
	char *status;              /* the daemon's text: "Up 3 hours (healthy)" */
	char *compose_project;     /* com.docker.compose.project, or NULL */
	char *compose_service;     /* com.docker.compose.service, or NULL */
	enum docker_state state;
	enum docker_health health;
	int restarts;              /* RestartCount; -1 unknown */
	int exit_code;             /* last exit code (exited, dead, restarting); -1 unknown */
	int64_t started_at_ms;     /* epoch ms; 0 never started or unknown */
	bool tty;                  /* Config.Tty (from inspect; false unknown) */
	double cpu_pct;            /* docker CLI's CPU % (100 = one core); < 0 unknown */
	int64_t mem_bytes;         /* memory without page cache; < 0 unknown */
	int64_t mem_limit_bytes;   /* < 0 unknown */
	/* (a field added here: also in docker_containers_copy, _free, _alike) */
};

/* Whether a[0..n) and b[0..n) are the same containers in the same order,
 * alike in every field but their figures (cpu_pct, mem_bytes,
 * mem_limit_bytes) and status (Docker's words, "Up 3 hours", which change
 * with time alone; read only to tell a restart, backends/docker.c).  Every
 * other field of struct docker_container is compared: one added to it
 * belongs here. */
bool docker_containers_alike(const struct docker_container *a, const struct docker_container *b, size_t n);
/* Frees an array from docker_list_containers()/docker_parse_containers(). */
void docker_containers_free(struct docker_container *list, size_t n);
/* A deep copy of list's n entries (free with docker_containers_free). */
struct docker_container *docker_containers_copy(const struct docker_container *list, size_t n);

/* A line of a container's log.  text is not NUL-terminated, borrowed for the
 * call only.  ts_ms is the daemon's timestamp when asked for, else 0. */
struct docker_log_line {
	enum docker_stream stream;
	const char *text;
	size_t len;
	int64_t ts_ms;
};
/* Return 0 to go on, -1 to stop the logs (docker_logs() then returns 0). */
typedef int (*docker_log_cb)(const struct docker_log_line *line, void *arg);

struct docker_tls {
	const char *ca_file;       /* any may be NULL */
	const char *cert_file;
	const char *key_file;
};

struct docker_options {
	const char *unix_socket;   /* the engine's (or the tunnel's) socket; NULL = TCP */
	const char *base_url;      /* "http://localhost" with a socket, "https://host:2376" */
	struct docker_tls tls;
	long timeout_ms;           /* per request (not streams, not actions); 0 = 5000 */
	int stats_workers;         /* background stats connections at most (4 to 16 by
	                            * the number running); 0 = 16, -1 = no stats */
	const atomic_int *cancel;  /* borrowed; when non-zero, requests end with "cancelled" */
};

/* A container event.  Strings are borrowed for the callback only. */
struct docker_event {
	char id[13];
	char full_id[65];
	const char *name;          /* Actor.Attributes.name; "" unknown */
	const char *action;        /* "start", "die", "health_status: unhealthy", ... */
	int64_t time_ms;           /* epoch ms; 0 unknown */
};
/* Return 0 to go on, -1 to stop the stream (docker_events() then returns 0). */
typedef int (*docker_event_cb)(const struct docker_event *ev, void *arg);

#endif
