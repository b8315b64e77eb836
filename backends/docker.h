/* docker — the Docker Engine API client: containers with health, restarts and
 * stats, logs, and the start/stop/restart actions.
 *
 * It speaks HTTP through backends/http and never knows the transport: the
 * caller gives a unix socket (the local engine's, or the SSH tunnel's socket
 * that bridges to `docker system dial-stdio` on the remote) with the base URL
 * "http://localhost", or a TCP base URL ("https://host:2376") with TLS files.
 *
 * A struct docker is used by one thread at a time (its source's or the action
 * thread's).  Stats are gathered apart from the poll: one-shot stats wait for
 * the daemon's 1 s collector tick, so worker threads (each with its own
 * connection; 4, or one per 6 running containers, at most 16 or
 * opt.stats_workers) fetch them in the background, the oldest sample first,
 * for the containers the last docker_list_containers() saw running or paused;
 * a poll returns the latest figures at once (CPU % once a container has two
 * samples).  The workers start at the first list, go idle 15 s after the last
 * one and end in docker_free().
 *
 * Errors are words: "docker: connection refused (is dockerd running?)",
 * "docker: permission denied on /var/run/docker.sock", "docker: HTTP 500:
 * <the daemon's message>", "docker: response over 8 MB", "docker: no such
 * container grafana". */
#ifndef KITETOP_BACKENDS_DOCKER_H
#define KITETOP_BACKENDS_DOCKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker_types.h"

#define DOCKER_API_PREFERRED 1041   /* v1.41 (Docker 20.10), the version tested */

/* Copies every string of opt.  Never fails (the first request does).
 * Free with docker_free(). */
struct docker *docker_new(const struct docker_options *opt);
/* Stops the stats workers (within ~100 ms) and frees everything. */
void docker_free(struct docker *d);

/* GET /version: picks the API version (the daemon's maximum, at
 * most DOCKER_API_PREFERRED, at least the daemon's minimum) and caches it
 * until a transport error.  Called by the others when needed. */
int docker_connect(struct docker *d, char **cause);
/* The words for a transport failure (the HTTP wrapper's why), without the
 * socket checks: "docker: connection refused (is dockerd running?)", a
 * reply that is not HTTP "docker: the engine's reply is not HTTP (is that
 * a Docker socket?)", else "docker: <why>".  Caller frees. */
char *docker_transport_words(const char *why);
/* After a successful docker_connect(): "20.10.24+dfsg1" / "1.41" (borrowed,
 * valid until the next call on d), or NULL. */
const char *docker_engine_version(const struct docker *d);
const char *docker_api_version(const struct docker *d);

/* All containers (GET /containers/json?all=1) with health, restarts,
 * StartedAt (inspect: for new containers, those whose state changed or that
 * restarted, restarting ones and those docker_inspect_again() named; at most
 * 64 per call, and none after 1 s: the rest at the next call; never
 * periodically) and, unless docker_set_list_stats() turned it off, the
 * latest background stats of running and paused ones.  *out (caller frees
 * with docker_containers_free()) has *n entries in the daemon's order. */
int docker_list_containers(struct docker *d, struct docker_container **out, size_t *n,
                           char **cause);
/* The next docker_list_containers() returns the list alone (no inspects,
 * not settled; when not connected yet, asked before /version, without the
 * API version in its path): a first answer as soon as it comes, over a slow
 * link; then
 * docker_list_inspect() on that list does what the list would have. */
void docker_list_bare(struct docker *d);
/* The inspects a list does, on l (from docker_list_containers()), and what
 * they add to it.  -1 only on a transport failure, with *cause. */
int docker_list_inspect(struct docker *d, struct docker_container *l, size_t n, char **cause);
/* An event at event_ms (epoch ms; 0 unknown) named the container (full
 * id): the next list inspects it again (what the last inspect said is shown
 * until then), unless its last inspect came more than 2 s after the event
 * (a replayed event it already saw).  Unknown ids: nothing. */
void docker_inspect_again(struct docker *d, const char *full_id, int64_t event_ms);
/* Whether docker_list_containers() feeds the stats workers (default on).
 * Off when the caller reads the figures elsewhere (backends/cgroupstat.h)
 * and asks docker_fill_stats() only for the containers it could not read. */
void docker_set_list_stats(struct docker *d, bool on);
/* Inspect requests made so far, and of them those docker_inspect_again()
 * asked for (for tests and the note). */
void docker_inspect_counts(const struct docker *d, long *all, long *again);
/* How many container lists this process has asked of any engine (for the
 * tests that check how often kitetop lists). */
long docker_list_requests(void);
/* True when the last docker_list_containers() inspected every new, changed
 * and restarting container (false: some were left for the next call, so the
 * list must be asked again soon). */
bool docker_list_settled(const struct docker *d);
/* The latest background stats of l's running and paused containers into
 * them, and keeps the workers sampling those of them that ask[i] names (ask
 * NULL: all; what a list does, for a list kept from an earlier call); the
 * others keep the figures they have, not asked again. */
void docker_fill_stats(struct docker *d, struct docker_container *l, size_t n, const bool *ask);
/* The connection options of d (its endpoint, TLS files and timeout; no
 * cancel flag, no stats workers), for a second client of the same engine
 * such as an event watch (docker_watch.h).  The strings are d's: valid
 * while d is. */
void docker_options_of(const struct docker *d, struct docker_options *out);


/* POST /containers/{id}/{action}: action is "start", "stop" or "restart";
 * stop_timeout_s is the t= given to stop and restart (< 0: the container's
 * own default).  204 and 304 (already so) are success; 404 "docker: no such
 * container NAME"; 409 and 500 the daemon's message. */
int docker_container_action(struct docker *d, const char *id_or_name, const char *action,
                            int stop_timeout_s, char **cause);
/* The same, and *answered (may be NULL) says whether the daemon answered at
 * all (any status): an action whose request went out but got no answer may
 * or may not have happened. */
int docker_container_action_answered(struct docker *d, const char *id_or_name, const char *action,
                                     int stop_timeout_s, bool *answered, char **cause);

/* GET /info: the raw body into *body (caller frees; *len bytes), once per
 * connection for its CgroupVersion and CgroupDriver. */
int docker_info_json(struct docker *d, char **body, size_t *len, char **cause);
/* GET /containers/{id}/json: the raw inspect body into *body (caller frees;
 * *len bytes, NUL-terminated), for decoders beyond the list's
 * (backends/docker_inspect).  404: "docker: no such container NAME". */
int docker_inspect_json(struct docker *d, const char *id_or_name, char **body, size_t *len,
                        char **cause);
/* GET /containers/{id}/json: the container's State (struct docker_inspect of
 * backends/docker_parse.h).  404: -1 with "docker: no such container NAME". */
struct docker_inspect;
int docker_container_inspect(struct docker *d, const char *id_or_name, struct docker_inspect *out,
                             char **cause);

/* A progress report of docker_container_act(): text borrowed for the call. */
typedef void (*docker_progress_cb)(const char *text, void *arg);

/* backends/docker_action.c: action ("start", "stop", "restart") on a
 * container, then verified by inspecting it until verify_ms passed (0: 10 s):
 * restart: State.StartedAt changed and it runs; stop: it no longer runs
 * (exited, created or dead); start: it runs.  Reports each step to progress
 * (may be NULL).  0 with *summary ("grafana restarted, running since
 * 12:00:03 UTC"; caller frees), or -1 with *cause in words ("grafana
 * restarted but exited at once (exit code 1)", "grafana still runs 10 s
 * after the stop"). */
int docker_container_act(struct docker *d, const char *name, const char *action,
                         int stop_timeout_s, int verify_ms, docker_progress_cb progress,
                         void *arg, char **summary, char **cause);

struct docker_logs_options {
	long tail;                 /* the last N lines; < 0 all */
	int64_t since_s;           /* epoch seconds; 0 = from the start */
	int64_t since_ms;          /* epoch ms, instead of since_s when set (a resumed stream) */
	bool follow;               /* stream until cancelled or the callback stops */
	bool timestamps;           /* fills line.ts_ms */
};

/* GET /containers/{id}/logs, decoded (framed or TTY) into lines in order.
 * Returns 0 at the end of the logs or when cb stopped, -1 with *cause. */
int docker_logs(struct docker *d, const char *id_or_name, const struct docker_logs_options *opt,
                docker_log_cb cb, void *arg, char **cause);


/* GET /events for containers (create, start, die, stop, restart, pause,
 * unpause, destroy, health_status, oom) from since_s (epoch s; 0 = from now)
 * until the cancel flag is set (then -1 "docker: cancelled") or cb stops (0).
 * It blocks: give it its own struct docker on its own thread. */
int docker_events(struct docker *d, int64_t since_s, docker_event_cb cb, void *arg,
                  char **cause);

#endif
