/* feed_docker — a host's containers: the source whose value is a struct
 * feed_containers.  The list is asked only when it may have changed: while
 * the host's event stream (backends/docker_watch.h) reports nothing since the
 * last list, a poll publishes that list again with fresh stats, up to
 * FEED_DOCKER_RELIST_QUIET_MS; an event polls at once. */
#ifndef KITETOP_CORE_FEEDS_FEED_DOCKER_H
#define KITETOP_CORE_FEEDS_FEED_DOCKER_H

#include <stddef.h>
#include <stdint.h>

#include "backends/docker.h"
#include "core/base/interest.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"

struct feed_docker_list;

/* The value of a host's docker source. */
struct feed_containers {
	struct docker_container *items;
	size_t n;
	char *engine_version;       /* "20.10.24+dfsg1", or NULL */
	/* The list's version: two values of the same version (non-zero) hold
	 * the same containers in the same order, alike in all but their CPU
	 * and memory figures (cpu_pct, mem_bytes, mem_limit_bytes) and
	 * Docker's status words ("Up 3 hours": docker_containers_alike): a
	 * list published again with fresh figures keeps its version, and so
	 * does a list asked of the engine again that is alike; another gets a
	 * new one.  0: unknown (a value made elsewhere, a recording's), never
	 * the same as another.  A reader keeps what it works out of a list
	 * by this version (events, ui_changes, verdict_overall_memo,
	 * tui/row_order), so none of that may read those fields. */
	uint64_t version;
	/* set: items' strings are this list's, shared by the values of one
	 * version (only the items array is the value's own) */
	struct feed_docker_list *shared;
};

/* The container called name in c (NULL-safe), or NULL. */
const struct docker_container *feed_containers_find(const struct feed_containers *c, const char *name);
/* A stand-in for a configured container that a host does not have:
 * state "missing", every figure unknown.  name is borrowed. */
struct docker_container feed_missing_container(const char *name);

/* Frees a struct feed_containers (the feed's value, or a reader's of its
 * JSON): its items (or its reference to their shared strings) and engine
 * version. */
void feed_containers_free(void *v);

/* The docker source of h, or NULL for docker = none.  fleet and h must
 * outlive it. */
struct source *feed_docker_new(struct fleet *fleet, struct fleet_host *h, struct wake *wake);
/* Polls at once, asking the engine for the list rather than reusing the
 * kept one (the refresh key). */
void feed_docker_relist(struct source *docker);

/* The figures the stats workers of d have for l's running and paused
 * containers into them, and keeps the workers asking for those of them
 * that in (a host's containers on screen, core/base/interest.h) names:
 * every one while in is unknown (never published, or NULL).  The docker
 * feed's fallback where the host's cgroup files cannot be read. */
void feed_docker_stats_fill_some(struct docker *d, struct interest *in, struct docker_container *l,
                                 size_t n);

/* Where a host without SSH whose engine is this machine's has its
 * containers' cgroup files read: "/sys/fs/cgroup", or $KITETOP_CGROUP_ROOT
 * (for tests and benches) with each "%h" the host's name.  Caller frees. */
char *feed_docker_cgroup_root(const char *host);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct feed_containers *feed_docker_value(const struct snapshot *s);

#endif
