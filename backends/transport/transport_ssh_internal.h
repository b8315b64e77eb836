/* transport_ssh_internal — the transport's state, shared by transport_ssh.c
 * (sockets, the thread, status) and transport_ssh_pty.c (interactive
 * sessions), and by no other file. */
#ifndef KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_INTERNAL_H
#define KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/transport/ssh_config.h"
#include "backends/transport/ssh_pump.h"
#include "backends/transport/transport_ssh.h"

#define TRANSPORT_SSH_MAX_PTYS 8       /* sessions asked for and not yet taken by the thread */

struct ssh_jump;
struct ssh_pty;
struct ssh_session;
struct ssh_session_params;
struct transport_ssh;

/* One of the extra SSH connections of a host (transport_ssh.h, sessions):
 * its own thread, session and wake pipe; the transport's listeners. */
struct transport_ssh_lane {
	struct transport_ssh *t;
	int index;                     /* 1.. (0 is the transport's own thread) */
	int wake[2];
	pthread_t thread;
	bool started;
	_Atomic int64_t await_from;    /* its bytes unanswered since (0: none) */
};

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
	int nlanes;                    /* extra sessions: sessions - 1 */
	struct transport_ssh_lane lanes[TRANSPORT_SSH_MAX_SESSIONS - 1];

	/* held while on_connect runs, so that clearing it waits for a call
	 * in progress (the callback's owner may be freed right after) */
	pthread_mutex_t cb_lock;
	transport_ssh_connect_fn on_connect;
	void *on_connect_arg;

	pthread_mutex_t lock;          /* guards everything below */
	bool stop;
	bool retry;                    /* transport_ssh_retry_now: cut the backoff short */
	struct transport_ssh_status st;
	int lanes_up;                  /* extra sessions connected now */
	struct ssh_pump_listener **listeners;   /* grown as endpoints are asked for */
	size_t nlisteners;             /* entries below nlisteners never change */
	size_t listeners_cap;
	unsigned seq;                  /* for socket names */
	struct ssh_pty *ptys[TRANSPORT_SSH_MAX_PTYS];   /* sessions asked for, not yet taken */
	size_t nptys;
};

/* For transport_ssh_lane.c: the pump's listeners callback (arg: the
 * transport), whether the transport stops, the wait after `failures` failed
 * attempts in a row, and an extra session's thread (arg: its lane). */
size_t transport_ssh_listeners(void *arg, struct ssh_pump_listener ***out, size_t *cap);
bool transport_ssh_stopping(struct transport_ssh *t);
int64_t transport_ssh_wait_ms(int failures, uint64_t *rnd);
/* The pumps' dead_ms (ssh_pump.h) for the transport's timeout. */
int transport_ssh_dead_ms(const struct transport_ssh *t);
void *transport_ssh_lane_main(void *arg);
/* Wakes the extra sessions' threads (the first one connected). */
void transport_ssh_lanes_wake(struct transport_ssh *t);
/* Opens a session to the host, through its jump hosts when it has some (*jump:
 * the chain, to close after the session; each caller its own, driven by the
 * calling thread).  0, or -1 with *cause. */
int transport_ssh_open(struct transport_ssh *t, struct ssh_session_params *p,
    struct ssh_session *c, struct ssh_jump **jump, char **cause);
/* The first session's await_others (ssh_pump.h): the extra ones' earliest. */
int64_t transport_ssh_lanes_await(void *arg);

/* Wakes the transport's thread (its pump looks at the sessions again). */
void transport_ssh_wake(struct transport_ssh *t);

/* The pump's take_ptys callback: moves the queued sessions to out. */
size_t transport_ssh_take_ptys(void *arg, struct ssh_pty **out, size_t max);
/* Ends every queued session with error (the connection is gone). */
void transport_ssh_fail_ptys(struct transport_ssh *t, const char *error);

#endif
