/* implicit — the services a fleet runs without [service] sections: the
 * containers of the same name, or else of the same compose service (the
 * com.docker.compose.service label), on more than one host.  The Services
 * view, `status` and the overall verdict use them when the configuration
 * names no service.
 *
 * Pure functions of a frame (no I/O, no clock); the result borrows the
 * frame's containers and is valid until the frame is released. */
#ifndef KITETOP_CORE_MODEL_IMPLICIT_H
#define KITETOP_CORE_MODEL_IMPLICIT_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/docker.h"
#include "core/model/frame.h"

struct implicit_service {
	char *name;                           /* the container name, or the compose service */
	const struct docker_container **dc;   /* [nhosts]: the host's container, NULL when it
	                                       * has none or its Docker did not answer */
	size_t present;                       /* hosts that have one (at least 2) */
};

struct implicit_services {
	struct implicit_service *v;           /* sorted by name */
	size_t n, nhosts;
};

/* The implicit services of f's hosts whose Docker answered: first the
 * container names found on two hosts or more; then, among the containers
 * left, the compose services found on two hosts or more (a host's first
 * container of that service; a compose service named like a service of
 * the first kind is left out).  *out is overwritten; free with
 * implicit_services_done. */
void implicit_services_build(const struct frame *f, struct implicit_services *out);
void implicit_services_done(struct implicit_services *s);

/* Whether a host's container of an implicit service is a problem: missing
 * (NULL), restarting, unhealthy, or exited or dead with an exit code that
 * is not 0 (or not known).  A container that exited with 0 (a job done) or
 * was created or paused is not. */
bool implicit_container_bad(const struct docker_container *dc);

/* Words for a bad container: "missing", "unhealthy", "restarting",
 * "exited (1)".  Into out (n bytes). */
void implicit_container_words(const struct docker_container *dc, char *out, size_t n);

#endif
