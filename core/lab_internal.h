/* lab_internal — what the lab's source files (core/lab*.c) share; not for
 * the rest of the program, which uses lab.h.
 *
 * Each group of sources lives in a file of its own (lab.c: hosts' docker and
 * metrics; lab_shared.c: postgres, redis, cloudflare; ...) and is added by
 * one call from lab_new(). */
#ifndef KITETOP_CORE_LAB_INTERNAL_H
#define KITETOP_CORE_LAB_INTERNAL_H

#include "core/lab.h"

/* The host named via (NULL: none), or NULL with *cause when there is none. */
struct lab_host *lab_via(struct lab *lab, const char *via, char **cause);
/* Appends s to the lab's sources (started, stopped and freed with the lab). */
void lab_add_source(struct lab *lab, struct source *s);

/* lab_shared.c: the postgres, redis and cloudflare sources, when configured. */
void lab_shared_add(struct lab *lab, struct wake *wake);
/* lab_tailscale.c: a tailscale source per host with ssh. */
void lab_tailscale_add(struct lab *lab, struct wake *wake);
/* lab_panels.c: the panels source ([panel] sections), when there are panels
 * and a [prometheus]; sets lab->panels. */
void lab_panels_add(struct lab *lab, struct wake *wake);
/* lab_tunnel.c: each host's tunnel source (lab_host.tunnel), when it has a tunnel_container. */
void lab_tunnel_add(struct lab *lab, struct wake *wake);

#endif
