/* wake — a self-pipe that lets any thread wake the UI thread's poll().
 *
 * wake_signal() is async-signal-safe and thread-safe (one write(2) of one
 * byte to a non-blocking pipe, and none while a wake-up is pending: after one
 * signal and before the reader's wake_drain(), the rest are free).  Only the
 * UI thread polls wake_fd() and calls wake_drain(); it must look at what the
 * signallers published after draining, not before. */
#ifndef KITETOP_CORE_BASE_WAKE_H
#define KITETOP_CORE_BASE_WAKE_H

struct wake;

/* NULL and *cause when the pipe cannot be made. */
struct wake *wake_new(char **cause);
void wake_free(struct wake *w);
void wake_signal(struct wake *w);       /* NULL w: no-op */
int wake_fd(const struct wake *w);      /* the read end, for poll() */
void wake_drain(struct wake *w);        /* empties the pipe */

#endif
