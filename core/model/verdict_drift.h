/* verdict_drift — the "same" service running different images on the
 * hosts: each host's Watchtower updates on its own schedule, so one host
 * can run grafana 11.3.0 while another still runs 11.2.0, or the same tag
 * pulled at different times.  Only the hosts that run the container now
 * have a say: a host that is unreachable, whose engine failed, or where
 * the container is missing or not running is left out (those are reported
 * as what they are).  Pure functions of a frame, like verdict.h's. */
#ifndef KITETOP_CORE_MODEL_VERDICT_DRIFT_H
#define KITETOP_CORE_MODEL_VERDICT_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/docker.h"
#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

enum verdict_drift_kind {
	VERDICT_DRIFT_NONE,
	VERDICT_DRIFT_IMAGE,       /* the image references differ */
	VERDICT_DRIFT_DIGEST,      /* the same reference, different image ids */
};

/* Room for what differs on one side (a longer reference is cut). */
#define VERDICT_DRIFT_WHAT 272

struct verdict_drift {
	enum verdict_drift_kind kind;
	size_t a, b;               /* the hosts named (f->hosts indexes): the first
	                            * that runs it, the first that differs from it */
	char what_a[VERDICT_DRIFT_WHAT], what_b[VERDICT_DRIFT_WHAT];
	                           /* the tags when only they differ ("11.2.0"),
	                            * else the references; short image ids for a
	                            * digest ("sha256:1a2b3c4d") */
};

/* container as host h runs it, or NULL when h has no say: not connected,
 * its engine not answered or failed, the container missing or not running. */
const struct docker_container *verdict_drift_running(const struct frame_host *h,
                                                     const char *container);
/* Compares the image of container across the hosts that run it: true and
 * *d filled on drift, false (d->kind none) when they agree or fewer than
 * two hosts run it.  A host whose image id is unknown is compared by its
 * reference only. */
bool verdict_drift(const struct frame *f, const char *container, struct verdict_drift *d);
/* "image differs: 11.2.0 vs 11.3.0", "same tag, different digest:
 * sha256:1a2b3c4d vs sha256:5e6f7a8b"; "" for no drift. */
void verdict_drift_reason(const struct verdict_drift *d, char *out, size_t n);
/* The same with the hosts: "image differs on monk and kscloud1: 11.2.0 vs
 * 11.3.0". */
void verdict_drift_reason_hosts(const struct frame *f, const struct verdict_drift *d, char *out,
                                size_t n);
/* The drift part of verdict_overall: a warning for each configured
 * service's container that drifted (named by the first service), then for
 * each other container running under the same name on several hosts;
 * reasons get "grafana: image differs on monk and kscloud1: 11.2.0 vs
 * 11.3.0" lines. */
enum verdict_level verdict_drift_level(const struct frame *f, struct buf *reasons);

#endif
