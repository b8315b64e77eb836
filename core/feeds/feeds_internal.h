/* lab_internal — what the lab's source files (core/lab*.c) share; not for
 * the rest of the program, which uses lab.h.
 *
 * Each group of sources lives in a file of its own (lab.c: hosts' docker and
 * metrics; lab_shared.c: postgres, redis, cloudflare; ...) and is added by
 * one call from lab_new(). */
#ifndef KITETOP_CORE_FEEDS_FEEDS_INTERNAL_H
#define KITETOP_CORE_FEEDS_FEEDS_INTERNAL_H

#include "core/fleet/fleet.h"

/* Health probes (services, Authentik) run at most this often, however short
 * the refresh: each is an HTTP request and, through SSH, a channel opened
 * and closed; at the refresh (2 s) they were most of an idle dashboard's
 * CPU, and at 10 s still a quarter of it.  30 s is Docker's own HEALTHCHECK
 * default (Uptime Kuma's is 60 s); an action, or the refresh key, probes at
 * once. */
#define LAB_PROBE_MIN_INTERVAL_MS 30000
/* A ready tunnel connector's /ready is asked again this often (sooner when
 * its container changes; every refresh while it is not ready). */
#define LAB_READY_INTERVAL_MS 10000
/* A host's container list is asked at least this often even while its event
 * stream says nothing changed (core/lab.c's docker source). */
#define LAB_DOCKER_RELIST_MS 30000
int lab_probe_interval_ms(const struct lab *lab);
/* Prometheus (the hosts' figures and the panels) is asked at most this
 * often: its answers change only when it scrapes (every 15 s in the lab and
 * most setups, every minute by default), so asking at a 2 s refresh got the
 * same figures most of the time; sparklines then hold one sample per poll. */
#define LAB_PROM_MIN_INTERVAL_MS 5000   /* rounded up to whole refreshes: 6 s at 2 s */
int lab_prom_interval_ms(const struct lab *lab);
/* At least min_ms, and a whole number of refreshes (refresh_ms <= 0: 2 s):
 * the slower sources then poll on refresh ticks and answer into the same
 * frames as the others (Cloudflare's `refresh = 5` at a 2 s refresh gave a
 * frame of its own every 10 s: it is polled every 6 s). */
int lab_whole_refreshes_ms(int refresh_ms, int min_ms);

/* The host named via (NULL: none), or NULL with *cause when there is none. */
struct lab_host *lab_via(struct lab *lab, const char *via, char **cause);
/* Appends s to the lab's sources (started, stopped and freed with the lab). */
void lab_add_source(struct lab *lab, struct source *s);
/* A source of host h named "HOST/kind" (p's name is set here), added to the
 * lab's sources; returns it. */
struct source *lab_add_host_source(struct lab *lab, const struct lab_host *h, const char *kind,
                                   struct source_params p, const struct source_ops *ops,
                                   void *arg, struct wake *wake);

/* lab_shared.c: the postgres, redis and cloudflare sources, when configured. */
void lab_shared_add(struct lab *lab, struct wake *wake);
/* lab_tailscale.c: a tailscale source per host with ssh. */
void lab_tailscale_add(struct lab *lab, struct wake *wake);
/* lab_panels.c: the panels source ([panel] sections), when there are panels
 * and a [prometheus]; sets lab->panels. */
void lab_panels_add(struct lab *lab, struct wake *wake);
/* lab_tunnel.c: each host's tunnel source (lab_host.tunnel), when it has a tunnel_container. */
void lab_tunnel_add(struct lab *lab, struct wake *wake);

/* lab_probes.c: the service probes source, when a [service] has health or
 * public_url; lab_authentik.c: the authentik source, when [authentik] is set. */
void lab_probes_add(struct lab *lab, struct wake *wake);
void lab_authentik_add(struct lab *lab, struct wake *wake);
/* Helpers of the probe sources (lab_probes.c).  Waits (bounded) until every
 * SSH host's first connection attempt ended. */
void lab_wait_ssh_first(struct lab *lab, int64_t deadline_mono_ms, const atomic_int *cancel);
/* The same for host h (which has ssh); *ss is its state afterwards. */
struct transport_ssh_status;
void lab_host_wait_ssh_first(const struct lab_host *h, int64_t deadline_mono_ms,
                             const atomic_int *cancel, struct transport_ssh_status *ss);
/* "unreachable: ..." when h's SSH is down (caller frees), else NULL. */
char *lab_probe_unreachable(const struct lab_host *h);
/* A probe job through h's tunnel that the tunnel closed or reset: its
 * error becomes the tunnel's own failure ("connection refused (monk could
 * not connect to 127.0.0.2:5000)") when the transport reports one; when its
 * last error names another tunnel, the job is run once more alone (pool). */
struct probe_pool;
struct probe_job;
void lab_probe_explain(const struct lab_host *h, struct probe_pool *pool, struct probe_job *job,
                       long timeout_ms);

#endif
