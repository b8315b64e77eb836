/* ssh_pump_waitset — the epoll set the SSH pump waits on, kept in step with
 * what each fd is wanted for (read, write, or nothing), so that a wait costs
 * the kernel work for the fds that are ready instead of for every listener
 * and client at each wait.
 *
 * Each registered fd has a word holding the events it is registered for now
 * (0: not registered), kept by whoever owns the fd; the set keeps those of the
 * transport's listening sockets itself.  Internal to ssh_pump. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_WAITSET_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_WAITSET_H

#include <stddef.h>
#include <stdint.h>

#include <sys/epoll.h>

#include "backends/transport/ssh_pump.h"
#include "backends/transport/transport_ssh.h"

struct ssh_pump_waitset_listener {
	const struct ssh_pump_listener *listener;
	int fd;                  /* listener->fd when registered: a closed fd's number
	                          * may come back for another listener */
	uint32_t registered;     /* events */
};

struct ssh_pump_waitset {
	int epfd;                /* -1 when not open */
	struct ssh_pump_waitset_listener *listeners;   /* grown as needed */
	size_t nlisteners, cap;
};

/* Creates the epoll set.  0, or -1 with errno. */
int ssh_pump_waitset_open(struct ssh_pump_waitset *ws);

/* Closes it (nothing when it was not opened) and frees its memory. */
void ssh_pump_waitset_close(struct ssh_pump_waitset *ws);

/* Registers fd for the events want (0: takes it out of the set), *registered
 * being what it is registered for now; updates *registered.  Taking out an fd
 * that is gone already is fine.  0, or the errno of the refusal (*registered
 * unchanged). */
int ssh_pump_waitset_set(struct ssh_pump_waitset *ws, int fd, uint32_t *registered,
    uint32_t want);

/* Makes the set's listeners the n of listeners: new ones in, gone ones out
 * (matched by object and fd), each registered for want.  0, or the errno of
 * the first refusal (the others are still done).  Cheap (no system call, no
 * search) when listeners only grew at the end since the last call and want
 * did not change, as the transport's do. */
int ssh_pump_waitset_listeners(struct ssh_pump_waitset *ws,
    struct ssh_pump_listener *const *listeners, size_t n, uint32_t want);

/* The index in ws->listeners of the listener registered with fd, or
 * ws->nlisteners when fd is not a listener's. */
size_t ssh_pump_waitset_listener_index(const struct ssh_pump_waitset *ws, int fd);

/* epoll_wait() on the set: the number of events, or -1 with errno. */
int ssh_pump_waitset_wait(struct ssh_pump_waitset *ws, struct epoll_event *events,
    int max, int timeout_ms);

#endif
