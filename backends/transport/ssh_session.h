/* ssh_session — opens one verified, authenticated, non-blocking libssh2
 * session: TCP connect, handshake (host-key algorithms from known_hosts),
 * strict host-key check (ssh_knownhosts), then authentication in this order:
 * the agent ($SSH_AUTH_SOCK), the identity files (a passphrase-protected key
 * is reported, never prompted for), and "none" (Tailscale SSH accepts the
 * connection without any key).  Passwords are not supported, by design.
 *
 * Everything here runs in the thread that owns the session; a session and
 * its channels must stay in that thread.  libssh2_init() must have been called
 * (ssh_session_global_init() does it once, thread-safely). */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_SESSION_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <libssh2.h>

#include "backends/transport/ssh_config.h"

/* A session that runs over a relay instead of its own TCP connection (a jump
 * host's channel, see ssh_jump.h).  sock: the session's socket (one end of a
 * socketpair), taken over by ssh_session_open (closed by ssh_session_close,
 * also when the open fails).  fd: polled by every wait on the session besides
 * its socket; step(arg) moves the relay's bytes and is called before each
 * wait and after it (and by the pump before each pass).  Owned by the
 * caller; must outlive the session. */
struct ssh_session_via {
	int sock;
	int fd;
	void (*step)(void *arg);
	void *arg;
};

struct ssh_session_params {
	const char *name;                  /* the host's name in kitetop's config, for messages */
	const struct ssh_target *target;
	/* kitetop's identity_file, or NULL.  When set it is the only key file, and
	 * agent keys are offered only when they are that key (as IdentitiesOnly). */
	const char *identity_file;
	int timeout_ms;                    /* for connect; then handshake and authentication
	                                    * go on while the server answers within it (at
	                                    * most 4 times it in all) */
	/* While waiting, also polls wake_fd (-1: none).  When it is readable,
	 * drain(wake_arg) is called; if it returns true the attempt is abandoned
	 * with the cause "stopped". */
	int wake_fd;
	bool (*drain)(void *wake_arg);
	void *wake_arg;
	const struct ssh_session_via *via; /* NULL: a TCP connection to target */
};

struct ssh_session {
	int sock;                          /* -1 when closed */
	LIBSSH2_SESSION *s;
	const struct ssh_session_via *via; /* params->via */
	char auth[160];                    /* how it authenticated, e.g. "key file ~/.ssh/id_ed25519" */
	int64_t connect_ms;                /* time the whole opening took */
	int64_t last_rx_ms;                /* time_mono_ms() when bytes last came from the
	                                    * server (libssh2 keeps a pointer to this struct:
	                                    * it must not move while the session lives) */
	bool unanswered;                   /* after a failed open: nothing SSH answered (the
	                                    * TCP connect failed, or no handshake in time) */
	uint64_t rx_reads;                 /* socket reads that brought bytes: a channel whose
	                                    * read found nothing has nothing new until this
	                                    * changes (ssh_pump reads only then) */
	int64_t idle_ms;                   /* while opening: a wait's deadline moves on to
	                                    * this long after the server's last bytes (up
	                                    * to open_cap_ms); 0 after */
	int64_t open_cap_ms;               /* time_mono_ms() the opening gives up at */
	unsigned test_eagain_every;        /* ssh_session_test_eagain_every when opened */
	unsigned test_sends;
};

/* libssh2_init(0), once per process (pthread_once). */
void ssh_session_global_init(void);

/* Opens the session.  0 and *out filled, or -1 with *cause in words. */
int ssh_session_open(const struct ssh_session_params *p, struct ssh_session *out,
    char **cause);

/* Waits until the session's socket is ready in the directions libssh2 is
 * blocked on (or readable when none), the wake fd is readable, or the deadline
 * (time_mono_ms) passes.  Returns 1 ready, 0 timed out, -1 stopped (see
 * ssh_session_params.drain). */
int ssh_session_wait(const struct ssh_session *c, const struct ssh_session_params *p,
    int64_t deadline_ms);

/* Says goodbye (SSH_MSG_DISCONNECT, waiting at most grace_ms; 0 = skip it),
 * then shuts the socket down so that every later libssh2 call on the session
 * fails at once instead of waiting.  Channels may then be freed without
 * blocking; ssh_session_close() releases the rest. */
void ssh_session_disconnect(struct ssh_session *c, int grace_ms);
void ssh_session_close(struct ssh_session *c);

/* Tests only: when nonzero, every Nth send of each session opened from now
 * on says EAGAIN without sending (as a full socket does), so that every
 * stalled call of libssh2 is repeated as it must be.  0 in the program. */
extern unsigned ssh_session_test_eagain_every;

/* Whether a libssh2 call's error means the session itself is gone (the
 * socket, the transport's crypto or protocol, or a call libssh2 refused
 * as out of order), rather than one channel's end. */
bool ssh_session_lost_rc(int rc);

/* libssh2's last error message for the session ("" when none).  Borrowed. */
const char *ssh_session_last_error(LIBSSH2_SESSION *s);

#endif
