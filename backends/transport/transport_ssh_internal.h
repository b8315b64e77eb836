/* transport_ssh_internal — the transport's state, shared by transport_ssh.c
 * (sockets, the thread, status) and transport_ssh_pty.c (interactive
 * sessions), and by no other file. */
#ifndef KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_INTERNAL_H
#define KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "backends/transport/ssh_config.h"
#include "backends/transport/ssh_pump.h"
#include "backends/transport/transport_ssh.h"

#define TRANSPORT_SSH_MAX_PTYS 8       /* sessions asked for and not yet taken by the thread */

struct ssh_pty;

struct transport_ssh {
	char *name;
	struct ssh_target target;
	struct ssh_target *jumps;      /* the jump hosts in order (ProxyJump), or NULL */
	size_t njumps;
	char *identity_file;
	char *docker_socket;           /* the remote one, or NULL */
	int timeout_ms;
	char *dir;

	int wake[2];                   /* [0] polled by the thread, [1] written to wake it */
	pthread_t thread;
	bool started;

	/* held while on_connect runs, so that clearing it waits for a call
	 * in progress (the callback's owner may be freed right after) */
	pthread_mutex_t cb_lock;
	transport_ssh_connect_fn on_connect;
	void *on_connect_arg;

	pthread_mutex_t lock;          /* guards everything below */
	bool stop;
	bool retry;                    /* transport_ssh_retry_now: cut the backoff short */
	struct transport_ssh_status st;
	struct ssh_pump_listener **listeners;   /* grown as endpoints are asked for */
	size_t nlisteners;             /* entries below nlisteners never change */
	size_t listeners_cap;
	unsigned seq;                  /* for socket names */
	struct ssh_pty *ptys[TRANSPORT_SSH_MAX_PTYS];   /* sessions asked for, not yet taken */
	size_t nptys;
};

/* Wakes the transport's thread (its pump looks at the sessions again). */
void transport_ssh_wake(struct transport_ssh *t);

/* The pump's take_ptys callback: moves the queued sessions to out. */
size_t transport_ssh_take_ptys(void *arg, struct ssh_pty **out, size_t max);
/* Ends every queued session with error (the connection is gone). */
void transport_ssh_fail_ptys(struct transport_ssh *t, const char *error);

#endif
