/* transport_ssh — one SSH connection per host, owned by one thread, carrying
 * every tunnel to that host.
 *
 * The thread owns a non-blocking libssh2 session (ssh_session) and serves,
 * with poll(), private unix sockets in a 0700 directory (under
 * $XDG_RUNTIME_DIR, else /tmp; removed by transport_ssh_free).  Each
 * connection accepted on such a socket becomes one SSH channel, and bytes are
 * pumped both ways with bounded buffers, so that a slow or stuck channel never
 * stalls the others:
 *   - the Docker socket: `exec docker system dial-stdio` on the host (with
 *     `-H unix://PATH` when the host's docker_socket is set), what the docker
 *     CLI does for DOCKER_HOST=ssh://; libcurl reaches it with
 *     CURLOPT_UNIX_SOCKET_PATH;
 *   - direct-tcpip to a host:port seen from the remote side;
 *   - the same, as a libpq socket DIR/.s.PGSQL.PORT (libpq: host=DIR port=PORT);
 *   - any other command's stdin/stdout (exec).
 * EOF travels both ways (a client's shutdown(SHUT_WR) becomes the channel's
 * EOF and the other way round); when the connection is down, connections on
 * the sockets are accepted and closed at once, so clients fail fast.
 * At most TRANSPORT_SSH_MAX_CHANNELS connections of a host hold a channel at
 * once; the others wait for one (a queue, not a refusal), within their
 * client's own timeout.
 *
 * Liveness: every ServerAliveInterval seconds (default 15) the thread sends a
 * request that needs an answer (an "env" request on a control channel, or
 * opening that channel when it is not open); no answer within one interval
 * means the connection is dead, so a dead host is noticed within two
 * intervals.  The time to the answer is the SSH round-trip time.  Reconnection
 * follows with exponential backoff, 1 s doubling to 15 s, each wait moved by
 * a random ±20 % so that several kitetops do not knock in lockstep.  While
 * the last attempt found nothing answering, the port is probed once a second
 * meanwhile (ssh_probe: a TCP connect and the server's "SSH-"), and an
 * answer ends the wait; transport_ssh_retry_now cuts a wait short, and the
 * on_connect callback tells the owner when the host is back.
 *
 * Threads and locking: every function may be called from any thread, except
 * transport_ssh_free, which must be the last call and not concurrent with
 * another on the same transport.  The status, the list of sockets and the stop
 * flag are guarded by one mutex inside the transport; the libssh2 session and
 * its channels are touched by the transport's thread only.  The process must
 * ignore SIGPIPE or let the transport send with MSG_NOSIGNAL (it does). */
#ifndef KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_H
#define KITETOP_BACKENDS_TRANSPORT_TRANSPORT_SSH_H

#include <stdbool.h>
#include <stdint.h>

/* Sockets per host (one per endpoint: a host:port, a command, the Docker
 * engine), made as they are asked for; the next endpoint is refused with
 * "too many tunnels to HOST (at most 1024 endpoints)". */
#define TRANSPORT_SSH_MAX_LISTENERS 1024
/* Tunnel connections with an SSH channel at once per host; more wait in a
 * queue, in order (see ssh_pump_queue.h).  OpenSSH bounds a connection's
 * session channels (MaxSessions, 10 by default: shells, exec, the Docker
 * engine) but not its direct-tcpip ones; Dropbear bounds all its channels
 * at build time (MAX_CHANNELS).  Each channel costs the server a socket. */
#define TRANSPORT_SSH_MAX_CHANNELS 128
/* Tunnel connections accepted per host (waiting or with a channel); more
 * wait in their socket's listen backlog. */
#define TRANSPORT_SSH_MAX_BRIDGES 1024
#define TRANSPORT_SSH_BUF_CAP (256 * 1024) /* per direction and connection */
#define TRANSPORT_SSH_BACKOFF_MIN_MS 1000
#define TRANSPORT_SSH_BACKOFF_MAX_MS 15000
#define TRANSPORT_SSH_DEFAULT_TIMEOUT_MS 5000  /* when transport_ssh_new is given none */
/* SSH connections per host.  libssh2 opens one channel at a time on a
 * session, each open a round trip: on a slow link (300 ms) a first poll that
 * needs some 25 channels (Docker, Prometheus, every probe) waits 7 s for its
 * opens alone.  Several sessions open theirs side by side; the first one
 * carries the host's state (connected, round trip, interactive sessions),
 * the others take tunnel connections only (ssh_pump.h, share_listeners). */
#define TRANSPORT_SSH_DEFAULT_SESSIONS 4
#define TRANSPORT_SSH_MAX_SESSIONS 8

struct transport_ssh;

/* How to reach one host.  transport_ssh_new copies the strings. */
struct transport_ssh_options {
	const char *target;         /* "user@host:port" or a ~/.ssh/config alias */
	const char *identity_file;  /* the one key to use, or NULL (ssh_config's) */
	const char *known_hosts;    /* the one known_hosts file, or NULL (ssh_config's) */
	const char *docker_socket;  /* the remote Docker socket, or NULL (the default) */
	const char *jump;           /* jump hosts, as ProxyJump (which it replaces); "none":
	                             * none; NULL: ssh_config's ProxyJump */
	int sessions;               /* SSH connections, 1 to TRANSPORT_SSH_MAX_SESSIONS;
	                             * 0: TRANSPORT_SSH_DEFAULT_SESSIONS */
};

/* A copy of the connection's state, for the host's snapshot. */
struct transport_ssh_status {
	bool connected;
	int64_t since_ms;       /* wall clock (time_real_ms) of the last change of `connected`;
	                         * 0 before the first attempt ended */
	int rtt_ms;             /* last measured SSH round trip; -1 unknown */
	int64_t rtt_at_ms;      /* wall clock of that measure */
	int connect_ms;         /* time the last successful connection took to open; -1 */
	int tunnels;            /* tunnel connections open now (waiting ones included) */
	int channels;           /* of those, holding an SSH channel */
	int channels_peak;      /* the most channels held at once on this connection */
	int waiting;            /* tunnel connections waiting for a channel now */
	unsigned connects;      /* successful connections so far */
	int sessions;           /* SSH connections up now (the first and the extra ones) */
	char error[512];        /* the last error in words; "" when none since connecting */
	char auth[160];         /* how the session authenticated ("" when not connected) */
};

/* Prepares the transport of host host_name: resolves opt->target through
 * ~/.ssh/config (opt->identity_file, when set, replaces the key files and
 * limits agent keys to that key; opt->known_hosts replaces the ssh_config's
 * files) and the jump hosts (opt->jump, else ProxyJump: each hop resolved
 * through ~/.ssh/config too, and connected with the same identity file and
 * known_hosts; see ssh_jump.h) and creates the socket directory.  timeout_ms bounds connect,
 * handshake and authentication (ssh_config's ConnectTimeout wins when set;
 * 0 or less: TRANSPORT_SSH_DEFAULT_TIMEOUT_MS).  Does not connect: see start.
 * NULL and *cause on error (bad target, bad ~/.ssh/config, no directory). */
struct transport_ssh *transport_ssh_new(const char *host_name,
    const struct transport_ssh_options *opt, int timeout_ms, char **cause);

/* Starts the thread, which connects at once and keeps reconnecting.
 * 0, or -1 and *cause. */
int transport_ssh_start(struct transport_ssh *t, char **cause);

/* The unix socket that reaches the host's Docker engine (created on first
 * call; listening when this returns).  Owned by t, valid until
 * transport_ssh_free.  NULL and *cause on error. */
const char *transport_ssh_docker_socket(struct transport_ssh *t, char **cause);

/* A unix socket whose connections reach rhost:rport as seen from the host
 * (direct-tcpip).  The same endpoint asked twice gives the same socket.
 * Returns a copy of the path, which the caller frees; NULL and *cause on
 * error. */
char *transport_ssh_forward(struct transport_ssh *t, const char *rhost, int rport,
    char **cause);

/* The same for an HTTP endpoint: a connection kept idle between two
 * requests (keep-alive) may be closed when another connection waits for a
 * channel (see TRANSPORT_SSH_MAX_CHANNELS and ssh_pump_queue.h). */
char *transport_ssh_forward_http(struct transport_ssh *t, const char *rhost, int rport,
    char **cause);

/* The same for libpq: returns a directory (caller frees) holding the socket
 * .s.PGSQL.<rport>, so that conninfo "host=DIR port=RPORT" reaches
 * rhost:rport on the host. */
char *transport_ssh_forward_dir(struct transport_ssh *t, const char *rhost, int rport,
    char **cause);

/* A unix socket whose connections are bridged to the stdin/stdout of command
 * run on the host (through the user's shell, as ssh(1) does).  The remote
 * stderr is kept (its first 200 bytes) for the error message when the command
 * fails.  Caller frees the path. */
char *transport_ssh_forward_exec(struct transport_ssh *t, const char *command, char **cause);
/* The same; urgent: its connections' channels open before the others
 * waiting (with the Docker engine's), for a command on the critical path of
 * a first refresh on a slow link (a first CPU figure's two cgroup reads). */
char *transport_ssh_forward_exec_first(struct transport_ssh *t, const char *command, bool urgent,
    char **cause);

/* ---- interactive sessions (transport_ssh_pty.c) ----
 *
 * A login shell, or a command, in a session channel of the host's existing
 * SSH session (no second login), run by the transport's thread like every
 * other channel; the caller gets local sockets bridged to it.
 *
 * With a pty (term not NULL): one socket carries what is typed and what the
 * pty shows (its stderr included); the window size follows
 * transport_ssh_pty_resize.  Without (term NULL, a command only): stdin and
 * stdout on the first socket, stderr on a second, as `ssh host cmd` does.
 * shutdown(fd, SHUT_WR) sends EOF to the remote side.  When the remote side
 * ends, both sockets reach EOF; transport_ssh_pty_wait then gives the exit
 * status.  Any thread; one at a time per session. */
struct transport_ssh_pty;

/* Starts command (NULL: the user's login shell, which needs a pty) on the
 * host, with a pty of type term and size cols x rows (term NULL: no pty),
 * and waits until it started (bounded by the transport's timeout).  NULL and
 * *cause when not connected, refused, or no answer.  Free with
 * transport_ssh_pty_free before the transport. */
struct transport_ssh_pty *transport_ssh_open_pty(struct transport_ssh *t, const char *command,
    const char *term, int cols, int rows, char **cause);
/* The socket of stdin and stdout (and stderr with a pty); the session's. */
int transport_ssh_pty_fd(const struct transport_ssh_pty *p);
/* The socket of stderr without a pty, else -1. */
int transport_ssh_pty_stderr_fd(const struct transport_ssh_pty *p);
/* The window changed: the thread sends it (window-change) at once. */
void transport_ssh_pty_resize(struct transport_ssh_pty *p, int cols, int rows);
/* Waits (at most timeout_ms) for the end: 0 and *status (the exit status, or
 * 128 + the signal that ended it), or -1 and *cause (the connection lost, no
 * end within the time). */
int transport_ssh_pty_wait(struct transport_ssh_pty *p, int timeout_ms, int *status,
    char **cause);
/* Closes the sockets; a session still running has its channel closed.
 * NULL is allowed. */
void transport_ssh_pty_free(struct transport_ssh_pty *p);

/* Ends the wait between two connection attempts now (the R key): the thread
 * tries at once, and backs off from the shortest wait again.  Nothing
 * happens to a connection that is up. */
void transport_ssh_retry_now(struct transport_ssh *t);

/* Called by the transport's thread when a connection opened after a failed
 * attempt or a lost connection (not on the first success): the host is back.
 * It must be quick and must not call transport_ssh_set_on_connect. */
typedef void (*transport_ssh_connect_fn)(void *arg);
/* Sets (fn NULL: clears) the callback.  Once it returns, the previous
 * callback is not running and will not run again, so its arg may be freed. */
void transport_ssh_set_on_connect(struct transport_ssh *t, transport_ssh_connect_fn fn,
    void *arg);

/* Copies the current state (under the transport's mutex). */
void transport_ssh_status(struct transport_ssh *t, struct transport_ssh_status *out);

/* Stops the thread (stop flag and wake pipe; the thread sends a disconnect
 * waiting at most 200 ms, then drops everything) and joins it, closes the
 * sockets and removes the directory.  Returns within about a second even when
 * channels are busy or the host is unreachable.  NULL is allowed. */
void transport_ssh_free(struct transport_ssh *t);

#endif
