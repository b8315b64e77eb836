/* cancel — raising a cancel flag and waking whoever waits on it.
 *
 * Threads that wait in poll() for a peer (an HTTP request, a database) check
 * their cancel flag when they wake.  Rather than waking every few tens of
 * milliseconds to look, a waiting module registers a waker: cancel_raise()
 * sets the flag and then calls every waker, which interrupts its waits
 * (curl_multi_wakeup, a pipe) so the flag is seen at once.  Cancels are rare
 * (a source stopping, a logs view closing), so a waker may wake all its
 * waiters, whichever flag was raised.
 *
 * Thread use: any thread. */
#ifndef KITETOP_CORE_BASE_CANCEL_H
#define KITETOP_CORE_BASE_CANCEL_H

#include <stdatomic.h>

#define CANCEL_MAX_WAKERS 8

/* Sets *flag to 1, then calls every registered waker. */
void cancel_raise(atomic_int *flag);
/* Registers fn (once; a second registration of the same fn is ignored). */
void cancel_add_waker(void (*fn)(void));

#endif
