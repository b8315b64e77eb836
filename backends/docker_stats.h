/* docker_stats — the background stats workers of backends/docker.
 *
 * dockerd answers a one-shot stats request at its next 1 s collector tick, so
 * asking for 100 containers one after the other takes 50-100 s.  A pool of
 * worker threads, each with its own http_client (its own connection), asks
 * for the containers it was told are running, the one asked least recently
 * first, each at most once per DOCKER_STATS_INTERVAL_MS (an idle one: per
 * DOCKER_STATS_IDLE_INTERVAL_MS); requests made during
 * one tick are all answered at the next, so W workers refresh about W
 * containers a second.  CPU % comes from two successive samples of the same
 * container (one-shot samples carry no precpu_stats).
 *
 * Thread safety: every function is called by the owner's thread; the workers
 * share the table with it under the pool's mutex. */
#ifndef KITETOP_BACKENDS_DOCKER_STATS_H
#define KITETOP_BACKENDS_DOCKER_STATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/docker_types.h"

#define DOCKER_STATS_INTERVAL_MS 10000 /* per container, at most this often: a container's CPU %
                                       * is its average over ~10 s, and each stats request
                                       * (one per container, through SSH) costs CPU at
                                       * both ends */
#define DOCKER_STATS_IDLE_PCT 1.0       /* below this CPU % (of one core) a container is idle
                                       * (a HEALTHCHECK alone costs an idle service 0.4-0.9 %
                                       * at a 10 s interval: each check is an exec): */
#define DOCKER_STATS_IDLE_INTERVAL_MS 30000 /* it is asked this often (most containers
                                       * idle most of the time, so this takes most of
                                       * the requests away, and the jump to busy
                                       * shows within 30 s) */
#define DOCKER_STATS_WANT_MS 15000     /* a container is asked for this long after a list */
#define DOCKER_STATS_MAX_AGE_MS 45000  /* older figures are reported unknown */
#define DOCKER_STATS_MAX_WORKERS 16
#define DOCKER_STATS_MIN_WORKERS 4
#define DOCKER_STATS_PER_WORKER 6      /* containers per worker: each refreshed every ~6 s */

struct docker_stats_pool;

/* A pool of at most `workers` threads (1..DOCKER_STATS_MAX_WORKERS) that
 * connect as opt says (strings copied; opt->cancel is not used: the pool has
 * its own stop flag, and idles while `cancel` is non-zero).  Threads start in
 * docker_stats_pool_want(): one per DOCKER_STATS_PER_WORKER containers, at
 * least DOCKER_STATS_MIN_WORKERS (or one per container, if fewer), never
 * more than `workers`.  Free with docker_stats_pool_free(). */
struct docker_stats_pool *docker_stats_pool_new(const struct docker_options *opt, int workers,
                                                const atomic_int *cancel);
/* Stops the workers (any request in flight ends within ~100 ms) and frees. */
void docker_stats_pool_free(struct docker_stats_pool *p);

/* The containers whose figures are kept (full ids of the running and paused
 * ones) and the API path prefix ("/v1.41"); of those, the ones to ask for:
 * ask[i] (ask NULL: all).  One not asked keeps the figures it has (until
 * DOCKER_STATS_MAX_AGE_MS) and is not requested until it is asked again;
 * ids not named are forgotten. */
void docker_stats_pool_want(struct docker_stats_pool *p, const char *const *ids, const bool *ask,
                            size_t n, const char *api_prefix);

/* The latest figures of a container into c->cpu_pct, mem_bytes,
 * mem_limit_bytes (left as they are when unknown). */
void docker_stats_pool_fill(struct docker_stats_pool *p, struct docker_container *c);

/* Requests made, and failed, since the pool started (for tests and the note). */
void docker_stats_pool_counts(struct docker_stats_pool *p, long *requests, long *failures);

#endif
