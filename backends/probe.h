/* probe — HTTP health probes, many at once: a GET per job, judged by its
 * status against an expected range, with the latency measured.
 *
 * A struct probe_pool owns one HTTP client (backends/http), kept between
 * rounds so that connections stay alive: as many as the round has probes
 * (one per target), so that the next round reuses them.  probe_pool_run() runs a round in
 * the calling thread, every probe at once through that client's multi handle
 * (http_request_many): at most max_workers in flight, and at most per_group
 * of one group (a host).  So N jobs of one group with N <= per_group all run
 * at once and the round takes about the slowest probe, bounded by the
 * timeout; a hung host holds at most per_group of the places.
 *
 * A 2xx body is read and dropped as it arrives (up to PROBE_MAX_BODY, then
 * the transfer stops: a health page never needs more); another status's body
 * is kept (same cap) only to describe the failure.
 *
 * Threads: a pool is used by one thread at a time (a source's thread).  The
 * cancel flag raised with cancel_raise() ends a round at once, the probes
 * not yet started included ("cancelled"). */
#ifndef KITETOP_BACKENDS_PROBE_H
#define KITETOP_BACKENDS_PROBE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define PROBE_MAX_BODY ((size_t)1024 * 1024)
#define PROBE_MAX_WORKERS 64

struct probe_pool;

struct probe_result {
	bool done;                 /* the probe ran (false: not probed) */
	bool ok;                   /* a response with an expected status */
	long status;               /* HTTP status; 0 when no response */
	double ms;                 /* time to the complete response (or the failure) */
	char *error;               /* NULL when ok; words ("HTTP 404", "connection refused") */
};

struct probe_job {
	const char *url;           /* borrowed for the round */
	const char *unix_socket;   /* through a tunnel (CURLOPT_UNIX_SOCKET_PATH), or NULL */
	int group;                 /* 0.. (a host); bounds concurrency */
	int expect_min, expect_max;  /* accepted statuses; 0, 0 = 200..299 */
	bool follow_redirects;     /* at most 5; a loop is "too many redirects" */
	const char *bearer_token;  /* or NULL; never shown */
	const char *ca_file;
	bool insecure;
	const char *setup_error;   /* when set, the job is not run: its error is this */
	struct probe_result result;   /* filled by the round */
};

/* cancel (borrowed, may be NULL) ends a round early ("cancelled"). */
struct probe_pool *probe_pool_new(size_t max_workers, const atomic_int *cancel);
void probe_pool_free(struct probe_pool *p);

/* Runs every job: at most per_group at once in a group, at most the pool's
 * workers in all.  Each probe is bounded by timeout_ms (connect and total).
 * Every job's result is reset and filled (its error owned by the job: see
 * probe_result_done).  Returns when every probe ended. */
void probe_pool_run(struct probe_pool *p, struct probe_job *jobs, size_t n, size_t per_group,
                    long timeout_ms);

void probe_result_done(struct probe_result *r);

/* Judges a response (pure): NULL when status is within [min, max] (0, 0 =
 * 2xx), else the error: "HTTP 404", "HTTP 503: <short text>", "HTTP 502 (an
 * HTML page)", "HTTP 302 (expected 200-299)" for a status outside the range
 * that is not an error status.  Caller frees. */
char *probe_judge(long status, int expect_min, int expect_max, const char *body, size_t len);

#endif
