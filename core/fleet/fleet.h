/* fleet — the model of the user's machines: the configured hosts, each with
 * its SSH transport when it is reached over SSH, and the services and shared
 * endpoints of the configuration they run.
 *
 * The fleet owns the hosts' transports; the configuration is borrowed and
 * must outlive it.  fleet_new() prepares every transport without connecting;
 * fleet_start() starts their threads, which connect and keep reconnecting.
 *
 * Thread use: fleet_new/_start/_free are for the UI (or CLI) thread.  The
 * struct fields are set by fleet_new and never change afterwards, so any
 * thread (feeds, actions) may read them; a transport's live state is read
 * through fleet_host_reach() or transport_ssh_status(), which lock. */
#ifndef KITETOP_CORE_FLEET_FLEET_H
#define KITETOP_CORE_FLEET_FLEET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base/interest.h"
#include "core/config/config.h"

struct transport_ssh;
struct transport_ssh_status;

struct fleet_host {
	const struct config_host *cfg;
	const char *name;
	bool local;                 /* no ssh: this machine */
	struct transport_ssh *ssh;  /* the host's SSH session, or NULL (local, or failed: see ssh_error) */
	char *ssh_error;            /* why the transport could not be set up, or NULL */
	struct interest *interest;  /* the containers on screen (core/base/interest.h): the UI
	                             * publishes, the docker feed asks Docker's stats API for
	                             * those only */
};

/* The state of a host's SSH session: connected, the error in words (empty
 * when none) and the round trip (-1 unknown).  For a local host: connected. */
struct fleet_reach {
	bool known;                 /* false before the first connection attempt ended */
	bool connected;
	int rtt_ms;
	int64_t since_ms;
	char error[512];
};
void fleet_host_reach(const struct fleet_host *h, struct fleet_reach *out);

struct fleet {
	const struct config *cfg;
	struct fleet_host *hosts;
	size_t nhosts;
};

/* SSH connections for each of n SSH hosts: the transport's default (4, so
 * that a slow link opens its channels side by side) while the fleet stays
 * within FLEET_SSH_SESSIONS_BUDGET connections in all, fewer a host beyond,
 * at least 1.  Each connection costs a thread, a libssh2 session and its
 * buffers (~170 KiB resident): at 8 hosts, 4 each made 32 and put kitetop
 * over its memory target; the hosts' own connections open side by side
 * anyway. */
#define FLEET_SSH_SESSIONS_BUDGET 16
int fleet_ssh_sessions(size_t n);

struct fleet *fleet_new(const struct config *cfg);
/* Starts every host's transport thread.  0, or -1 and *cause. */
int fleet_start(struct fleet *fleet, char **cause);
void fleet_free(struct fleet *fleet);   /* NULL-safe; stops the transports */

/* The host called name, or NULL. */
struct fleet_host *fleet_host_named(struct fleet *fleet, const char *name);
/* Changes whenever any host's SSH state does. */
uint64_t fleet_generation(struct fleet *fleet);

/* Waits (bounded by deadline_mono_ms, or until *cancel) until h's first
 * connection attempt ended; *ss is its state afterwards.  h has ssh. */
void fleet_host_wait_ssh_first(const struct fleet_host *h, int64_t deadline_mono_ms,
                               const atomic_int *cancel, struct transport_ssh_status *ss);
/* The same for every host with ssh. */
void fleet_wait_ssh_first(struct fleet *fleet, int64_t deadline_mono_ms, const atomic_int *cancel);

#endif
