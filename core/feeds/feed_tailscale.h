/* feed_tailscale — per host with ssh, `tailscale status --json` run on the
 * host through its SSH session's exec tunnel every FEED_TAILSCALE_INTERVAL_MS,
 * decoded with backends/tailscale; and the host addresses of the split-brain
 * check (core/model/splitbrain), which are each host's `address` (resolved
 * on the source's thread when it is a name) and its Tailscale IPs.
 *
 * The command is fixed (FEED_TAILSCALE_COMMAND; nothing from the configuration
 * or elsewhere is put into it).  The exec tunnel gives its client only the
 * command's output, not its exit status, so the command appends a last line
 * "kitetop-exit-status N" with the shell's $?: 127 (command not found) is
 * "tailscale: not installed", which is not an error.  This needs a POSIX-like
 * login shell on the host (sh, bash, dash, zsh, ash); with another, the line
 * is missing and the poll fails with that said. */
#ifndef KITETOP_CORE_FEEDS_FEED_TAILSCALE_H
#define KITETOP_CORE_FEEDS_FEED_TAILSCALE_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/tailscale.h"
#include "core/base/wake.h"
#include "core/feeds/source.h"
#include "core/fleet/fleet.h"
#include "core/model/splitbrain.h"

#define FEED_TAILSCALE_INTERVAL_MS 30000
#define FEED_TAILSCALE_MAX_OUTPUT (8 * 1024 * 1024)
#define FEED_TAILSCALE_COMMAND "tailscale status --json 2>&1; echo \"kitetop-exit-status $?\""
#define FEED_TAILSCALE_MAX_RESOLVED 4

/* The value of a host's tailscale source. */
struct feed_tailscale {
	bool installed;                  /* false: the command is not on the host */
	struct tailscale_status st;      /* when installed */
	/* the host's `address`, resolved to numeric addresses when it is a name */
	char resolved[FEED_TAILSCALE_MAX_RESOLVED][SPLITBRAIN_ADDR_LEN];
	size_t n_resolved;
};

void feed_tailscale_init(struct feed_tailscale *v);
void feed_tailscale_done(struct feed_tailscale *v);

/* Decodes the command's whole output (see above) into *v (init'ed by the
 * caller; the resolved addresses are left alone).  0, or -1 with *cause
 * ("tailscale: exit status 1: ...", "tailscale: no exit status in the
 * answer ...", the decoder's words).  Pure; for tests. */
int feed_tailscale_decode(const char *out, size_t len, struct feed_tailscale *v, char **cause);

/* One line for a person about host i's Tailscale from value v (NULL: none
 * yet): "tailscale: not installed", "tailscale 1.70.0 100.101.1.10 online ·
 * kscloud1 direct · nas relay fra", "tailscale: NeedsLogin".  Reads the other
 * hosts' addresses from the configuration only.  Into out (size n). */
void feed_tailscale_line(const struct config *cfg, size_t i, const struct feed_tailscale *v,
                        char *out, size_t n);

/* Pure: each host's addresses for the split-brain check into hosts[cfg->nhosts]:
 * its `address` when numeric, what v[i] (NULL: none) resolved it to, its own
 * Tailscale IPs, and the IPs the other hosts' tailnets list for it (a peer
 * found by the host's name or address), so that a host whose tailscale is
 * not polled is still recognised by its Tailscale IPs. */
void feed_tailscale_hosts(const struct config *cfg, const struct feed_tailscale *const *v,
                         struct splitbrain_host *hosts);

/* The tailscale source of fleet->hosts[host] (value: struct feed_tailscale),
 * or NULL for a host without ssh. */
struct source *feed_tailscale_new(struct fleet *fleet, size_t host, struct wake *wake);

/* The value of one of these sources' snapshots (snapshot_value: the last
 * good one after a failure), typed; NULL when there is none. */
const struct feed_tailscale *feed_tailscale_value(const struct snapshot *s);

#endif
