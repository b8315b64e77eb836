/* ssh_pty — one interactive session (a login shell or a command, with or
 * without a pty) shared between the thread that asked for it and the
 * transport's thread that runs its channel.
 *
 * Why a channel of the host's existing session: kitetop already holds an
 * authenticated session to every host it watches, so a shell costs one more
 * channel, no second login (no second host-key check, no key prompt), and it
 * goes wherever the session goes.  The channel stays on the thread that owns
 * the session (libssh2 is not thread-safe); the asking thread only sees a
 * local socket (a socketpair) bridged to it, and this object for what cannot
 * travel as bytes: the window size going out, the start and the exit status
 * coming back.
 *
 * The object is reference-counted (the asker and the pump), guarded by its
 * own mutex; a condition variable announces the start and the end. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PTY_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PTY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum ssh_pty_state {
	SSH_PTY_OPENING,         /* queued, or its channel being opened */
	SSH_PTY_RUNNING,         /* the shell or command started */
	SSH_PTY_DONE,            /* ended: exit status or error */
};

struct ssh_pty {
	/* set by ssh_pty_new, never changed */
	char *command;           /* NULL: the user's login shell */
	char *term;              /* the pty's TERM; NULL: no pty */
	char *label;             /* for messages: "a login shell", "command \"...\"" */
	int fd, err_fd;          /* the asker's ends: stdin+stdout (+stderr with a pty);
	                          * stderr without a pty (else -1) */
	int pump_fd, pump_err_fd;  /* the pump's ends, until a bridge takes them (-1) */

	pthread_mutex_t lock;    /* guards everything below */
	pthread_cond_t cond;     /* broadcast when state changes */
	int refs;
	int cols, rows;
	unsigned size_seq;       /* bumped at each resize */
	bool abandoned;          /* the asker let go: close the channel */
	enum ssh_pty_state state;
	int exit_status;         /* DONE without error: the status, or 128 + the signal */
	char *error;             /* DONE: why it failed, or NULL */
};

/* A new session (one reference), with its socketpairs.  NULL and *cause
 * when they cannot be made. */
struct ssh_pty *ssh_pty_new(const char *command, const char *term, int cols, int rows,
    char **cause);
void ssh_pty_ref(struct ssh_pty *p);
/* Drops a reference; the last one closes what is left open and frees. */
void ssh_pty_unref(struct ssh_pty *p);

/* The pump's side. */
void ssh_pty_started(struct ssh_pty *p);
/* The end: error NULL with status (the command's exit status, or 128 +
 * signal), or error in words.  Only the first call counts. */
void ssh_pty_finish(struct ssh_pty *p, int status, const char *error);
/* True (with the size) when a resize is newer than *seq, which it updates. */
bool ssh_pty_resized(struct ssh_pty *p, unsigned *seq, int *cols, int *rows);
bool ssh_pty_abandoned(struct ssh_pty *p);

/* The asker's side. */
void ssh_pty_set_size(struct ssh_pty *p, int cols, int rows);
void ssh_pty_abandon(struct ssh_pty *p);
/* Waits until the state is at least `until` or deadline_mono_ms passed;
 * returns the state then. */
enum ssh_pty_state ssh_pty_wait(struct ssh_pty *p, enum ssh_pty_state until,
    int64_t deadline_mono_ms);

/* Pure: a signal's name as SSH sends it ("TERM", "KILL"; with or without
 * "SIG") to its number, or 0 when unknown. */
int ssh_pty_signal_number(const char *name);

#endif
