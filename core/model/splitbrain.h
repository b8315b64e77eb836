/* splitbrain — "are each host's Authentik and Forgejo connected to the shared
 * database?", decided from pg_stat_activity's client groups (struct
 * pg_status) and the hosts' addresses.  Pure: no I/O, no threads.
 *
 * An app is a configured service whose name (case-insensitive) is also a
 * database, a role or an application_name seen on the server (so nothing is
 * hard-coded: in KiteStacks, authentik and forgejo).  A client group belongs
 * to app A when its application_name is A (or begins with A followed by a
 * character that is not a letter or digit, "authentik-worker"), or its
 * database or user is A: which application_name the apps set is unconfirmed
 * (Authentik and Forgejo do not document the application_name they set),
 * so database and user count too.  The group belongs to the
 * host that has its client address among its addresses (its `address` and
 * its Tailscale IPs).
 *
 * Verdict per app and host:
 *   ok       connections from the host's addresses;
 *   split    none, while the same app on another host has some: that host's
 *            app uses another database (the `invalid_grant` split brain);
 *   none     none from any host (the app is idle, or not using this db);
 *   unknown  the database did not answer, or its role cannot see other
 *            sessions' addresses (no pg_monitor). */
#ifndef KITETOP_CORE_MODEL_SPLITBRAIN_H
#define KITETOP_CORE_MODEL_SPLITBRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "backends/postgres.h"

#define SPLITBRAIN_MAX_ADDRS 8
#define SPLITBRAIN_ADDR_LEN 64

struct splitbrain_host {
	const char *name;                                    /* borrowed */
	char addrs[SPLITBRAIN_MAX_ADDRS][SPLITBRAIN_ADDR_LEN]; /* numeric, as Postgres prints them */
	size_t n_addrs;
};

enum splitbrain_verdict { SPLITBRAIN_OK, SPLITBRAIN_NONE, SPLITBRAIN_SPLIT, SPLITBRAIN_UNKNOWN };

struct splitbrain_entry {
	char app[64];
	size_t host;               /* index into the hosts given */
	int conns;                 /* connections of the app from the host's addresses */
	enum splitbrain_verdict verdict;
};

struct splitbrain {
	struct splitbrain_entry *entries;   /* owned; app by app (config order), hosts in order */
	size_t n;
	int unattributed;          /* the apps' connections from addresses of no host */
	char error[256];           /* why the verdicts are unknown, "" otherwise */
};

void splitbrain_init(struct splitbrain *sb);
/* Frees what sb owns and re-inits it. */
void splitbrain_done(struct splitbrain *sb);

/* Adds addr (copied, cut to size) to h's addresses unless present or full. */
void splitbrain_host_add(struct splitbrain_host *h, const char *addr);

/* True when client group g belongs to app (see above). */
bool splitbrain_group_is_app(const struct pg_client_group *g, const char *app);
/* The index of the host that has addr among its addresses, or -1. */
int splitbrain_host_of(const struct splitbrain_host *hosts, size_t nh, const char *addr);

/* Fills *sb (reset first).  ps: the database's status, or NULL when there is
 * none at all; fresh false when ps is an old one (the database failed since):
 * the apps are still listed, with verdict unknown and error = pg_error (may be
 * NULL).  apps: candidate names (the configured services). */
void splitbrain_check(const struct pg_status *ps, bool fresh, const char *pg_error,
                      const struct splitbrain_host *hosts, size_t nh,
                      const char *const *apps, size_t napps, struct splitbrain *sb);

/* "ok", "none", "split", "unknown" */
const char *splitbrain_verdict_name(enum splitbrain_verdict v);
/* One line for a person: "authentik@monk → shared db ✓ 4 conns",
 * "authentik@kscloud1 → shared db ✗ no connections (monk has 4)",
 * "... ? unknown"; utf8 false uses "->", "ok", "X", "?".  Into out (size n). */
void splitbrain_line(const struct splitbrain *sb, const struct splitbrain_entry *e,
                     const struct splitbrain_host *hosts, size_t nh, bool utf8,
                     char *out, size_t n);
/* The entries as a JSON array: [{"app": "authentik", "host": "monk",
 * "verdict": "ok|none|split|unknown", "connections": 4 (null when unknown),
 * "error": null or why unknown}].  Caller owns (cJSON_Delete). */
cJSON *splitbrain_json(const struct splitbrain *sb, const struct splitbrain_host *hosts, size_t nh);
/* True when any entry is split. */
bool splitbrain_any_split(const struct splitbrain *sb);

#endif
