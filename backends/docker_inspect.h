/* docker_inspect — the container detail (the TUI's Enter): what GET
 * /containers/{id}/json says about one container beyond the list, decoded by
 * a pure function (no network, no threads; unit-tested on inspects recorded
 * from the lab's dockerd, with a fuzz target).
 *
 * Hostile input never crashes the decoder: a field of the wrong type is
 * absent, every string is sanitised for the screen (control characters and
 * invalid UTF-8 become '?', capped), lists are capped (DOCKER_DETAIL_MAX_*). */
#ifndef KITETOP_BACKENDS_DOCKER_INSPECT_H
#define KITETOP_BACKENDS_DOCKER_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker.h"

#define DOCKER_DETAIL_MAX_LIST 256      /* ports, mounts, labels kept at most */
#define DOCKER_DETAIL_MAX_HEALTH 16     /* health results kept (dockerd keeps 5) */
#define DOCKER_DETAIL_MAX_OUTPUT 512    /* bytes of a health check's output */
#define DOCKER_DETAIL_MAX_TEXT 1024     /* bytes of any other string */

/* One health check result (State.Health.Log[]). */
struct docker_health_result {
	int64_t start_ms, end_ms;   /* epoch ms; 0 unknown */
	int exit_code;              /* -1 unknown */
	char *output;               /* one line: newlines and tabs become spaces, trailing
	                             * blanks dropped, sanitised; never NULL */
};

/* A published or exposed port: "3000/tcp" -> "0.0.0.0:3000" (host NULL: exposed only). */
struct docker_port {
	char *container;            /* "3000/tcp" */
	char *host;                 /* "0.0.0.0:3000", "[::]:3000", or NULL */
};

struct docker_mount {
	char *type;                 /* "bind", "volume", "tmpfs", ...; "" unknown */
	char *source;               /* host path or volume name; "" unknown */
	char *destination;          /* path in the container */
	bool read_only;             /* RW false */
};

struct docker_label {
	char *key, *value;
};

struct docker_detail {
	char *name;                 /* without the leading "/"; "" unknown */
	char full_id[65];           /* "" unknown */
	char *image;                /* Config.Image as the user named it ("grafana/grafana:11") */
	char *image_id;             /* Image ("sha256:..."); "" unknown */
	char *command;              /* Path and Args joined by spaces; "" unknown */
	char *restart_policy;       /* HostConfig.RestartPolicy: "unless-stopped",
	                             * "on-failure:3"; "" unknown */
	char *network_mode;         /* HostConfig.NetworkMode; "" unknown */
	char *error;                /* State.Error, or "" */
	enum docker_state state;
	enum docker_health health;
	int failing_streak;         /* State.Health.FailingStreak; -1 unknown */
	int exit_code;              /* State.ExitCode; -1 unknown */
	int restarts;               /* RestartCount; -1 unknown */
	bool oom_killed;
	int64_t created_ms;         /* epoch ms; 0 unknown */
	int64_t started_ms;         /* 0 never started or unknown */
	int64_t finished_ms;        /* 0 never or unknown */
	const char *compose_project;   /* the label's value (points into labels), or NULL */
	const char *compose_service;
	struct docker_health_result *health_log;   /* oldest first, as the daemon keeps it */
	size_t nhealth_log;
	struct docker_port *ports;  /* sorted by container port */
	size_t nports;
	struct docker_mount *mounts;   /* in the daemon's order */
	size_t nmounts;
	struct docker_label *labels;   /* sorted by key */
	size_t nlabels;
};

/* Decodes an inspect body into *out (caller frees with docker_detail_free()).
 * -1 with *cause ("docker: inspect: not a JSON object") when the body is not
 * a JSON object; a missing field is only unknown. */
int docker_detail_parse(const char *json, size_t len, struct docker_detail **out, char **cause);
void docker_detail_free(struct docker_detail *d);

#endif
