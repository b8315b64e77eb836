/* init_config — the pure half of `kitetop init`: which service a container
 * looks like, the configuration written from what the probes found, the
 * report of what they found, and the fix to suggest for an error.  No I/O
 * (cli/init_verb.c probes the hosts and writes the file).
 *
 * The configuration is an INI file as kitetop(1) documents, commented so that
 * a newcomer can read it top to bottom: a [host NAME] (ssh = the alias or
 * target, address = its HostName, docker = ssh) for each host, in the order
 * given; a host that was given on the command line is always written, one
 * that came from ~/.ssh/config only when its Docker answered (else its
 * section is written commented out, with the reason).  A [service KIND] for
 * each kind of container found (container = its name on the first host that
 * has it), tunnel_container on the hosts that run cloudflared, and commented
 * [prometheus] / [postgres] / [redis] / [authentik] sections to fill in
 * where those were found (they need credentials init cannot know). */
#ifndef KITETOP_CLI_INIT_CONFIG_H
#define KITETOP_CLI_INIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/base/buf.h"

enum init_kind {
	INIT_CLOUDFLARED, INIT_AUTHENTIK, INIT_NODE_EXPORTER, INIT_PROMETHEUS, INIT_POSTGRES,
	INIT_REDIS, INIT_NKINDS
};

/* What the probe of one host found.  Every string is owned (init_host_done). */
struct init_host {
	char *name;                /* the [host] name */
	char *target;              /* ssh = ... (an alias, or user@host:port as given) */
	char *address;             /* the HostName it resolved to, or NULL */
	bool from_ssh_config;      /* not given on the command line */
	char *error;               /* SSH did not connect: why; NULL when reachable */
	char *docker_error;        /* reachable, but Docker did not answer: why */
	char *docker_version;      /* "20.10.24+dfsg1", or NULL */
	size_t ncontainers;
	char *found[INIT_NKINDS];  /* the container of each kind (the first), or NULL */
	int ms;                    /* how long the probe took */
};

void init_host_done(struct init_host *h);

/* "cloudflared", "authentik", "node-exporter", "prometheus", "postgres", "redis". */
const char *init_kind_name(enum init_kind k);

/* The kind a container looks like, or -1.  By its image's repository (the
 * registry, the tag and the digest left out, without case):
 * cloudflare/cloudflared, goauthentik/server (any repository with
 * "authentik" in its path), prom/node-exporter (node-exporter,
 * node_exporter), prom/prometheus, postgres / postgresql / postgis /
 * timescaledb, redis / redis-stack / valkey; exporters of the others are not
 * the service.  When the image says nothing (a local build, a mirror's own
 * name), the container's name is asked the same way. */
int init_detect(const char *image, const char *name);

/* A [host] name for a target: the host part of "user@host:port", anything
 * but letters, digits, '.', '_' and '-' as '-'.  Caller frees. */
char *init_host_name(const char *target);

/* A suggestion for an SSH or Docker error of a probe ("start sshd on the
 * host, or ..."), or NULL when none fits.  name is the host as given. */
char *init_fix(const char *error, const char *name);

/* The configuration for hosts[0..n) (their names made unique), with when
 * ("2026-12-06 22:30 UTC") in its first comment.  Caller frees. */
char *init_config_text(const struct init_host *hosts, size_t n, const char *when);

/* The report, one paragraph a host:
 *   monk: reachable (0.4 s), Docker 20.10.24, 13 containers; found cloudflared, authentik
 *   nas: NOT reachable: ssh: cannot connect to 10.0.0.9 port 22: Connection refused
 *       fix: is sshd running there? `ssh nas` must work first
 * then a total line. */
void init_report(const struct init_host *hosts, size_t n, struct buf *out);

#endif
