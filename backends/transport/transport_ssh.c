/* transport_ssh — see transport_ssh.h.  The setup side (sockets, the thread's
 * life, status) is here; the connected loop that pumps channels is in
 * ssh_pump.c, behind ssh_pump.h. */
#include "backends/transport/transport_ssh.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "backends/transport/ssh_config.h"
#include "backends/transport/ssh_jump.h"
#include "backends/transport/ssh_probe.h"
#include "backends/transport/ssh_pump.h"
#include "backends/transport/ssh_pump_queue.h"
#include "backends/transport/ssh_pty.h"
#include "backends/transport/ssh_session.h"
#include "backends/transport/ssh_sockdir.h"
#include "backends/transport/transport_ssh_internal.h"
#include "core/base/backoff.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

void
transport_ssh_wake(struct transport_ssh *t)
{
	char c = 1;

	/* a full pipe is a pending wake-up already */
	(void)write(t->wake[1], &c, 1);
	transport_ssh_lanes_wake(t);
}

/* Empties the wake pipe; true when the thread must stop. */
static bool
transport_ssh_drain(void *arg)
{
	struct transport_ssh *t = arg;
	char b[64];
	bool stop;

	while (read(t->wake[0], b, sizeof b) > 0)
		;
	pthread_mutex_lock(&t->lock);
	stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

/* Callbacks of the pump, which runs in the thread. */
static void
transport_ssh_pump_status(void *arg, const struct ssh_pump_report *r)
{
	struct transport_ssh *t = arg;

	pthread_mutex_lock(&t->lock);
	if (r->rtt_ms >= 0) {
		t->st.rtt_ms = r->rtt_ms;
		t->st.rtt_at_ms = time_real_ms();
	}
	t->st.tunnels = r->tunnels;
	t->st.channels = r->channels;
	t->st.waiting = r->waiting;
	if (r->channels_peak > t->st.channels_peak)
		t->st.channels_peak = r->channels_peak;
	if (r->error != NULL)
		util_strlcpy(t->st.error, r->error, sizeof t->st.error);
	pthread_mutex_unlock(&t->lock);
}

size_t
transport_ssh_listeners(void *arg, struct ssh_pump_listener ***out, size_t *cap)
{
	struct transport_ssh *t = arg;
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->nlisteners;
	if (n > *cap) {
		*cap = t->listeners_cap;
		*out = xrealloc(*out, *cap * sizeof **out);
	}
	if (n > 0)
		memcpy(*out, t->listeners, n * sizeof **out);
	pthread_mutex_unlock(&t->lock);
	return n;
}

int
transport_ssh_dead_ms(const struct transport_ssh *t)
{
	/* 1.5 s less than the timeout: the first bytes left unanswered by a
	 * stall go out up to a second or two after it (the sources send every
	 * refresh, at different times), so the host is unreachable about the
	 * timeout after the stall, as its sources' own requests time out */
	return t->timeout_ms >= 3000 ? t->timeout_ms - 1500 : t->timeout_ms;
}

/* Takes a pending transport_ssh_retry_now. */
static bool
transport_ssh_take_retry(struct transport_ssh *t)
{
	bool retry;

	pthread_mutex_lock(&t->lock);
	retry = t->retry;
	t->retry = false;
	pthread_mutex_unlock(&t->lock);
	return retry;
}

void
transport_ssh_retry_now(struct transport_ssh *t)
{
	pthread_mutex_lock(&t->lock);
	/* kept for a connection that is up, it would cut short the first wait
	 * after a later loss, long after the key was pressed */
	if (!t->st.connected)
		t->retry = true;
	pthread_mutex_unlock(&t->lock);
	transport_ssh_wake(t);
}

void
transport_ssh_set_on_connect(struct transport_ssh *t, transport_ssh_connect_fn fn, void *arg)
{
	pthread_mutex_lock(&t->cb_lock);
	t->on_connect = fn;
	t->on_connect_arg = arg;
	pthread_mutex_unlock(&t->cb_lock);
}

static void
transport_ssh_tell_connected(struct transport_ssh *t)
{
	pthread_mutex_lock(&t->cb_lock);
	if (t->on_connect != NULL)
		t->on_connect(t->on_connect_arg);
	pthread_mutex_unlock(&t->cb_lock);
}

/* How a backoff wait ended. */
enum transport_ssh_waited {
	TRANSPORT_SSH_WAITED,      /* the deadline passed (or stop: the caller looks) */
	TRANSPORT_SSH_RETRY,       /* transport_ssh_retry_now */
	TRANSPORT_SSH_ANSWERED,    /* the probe saw the SSH server answer again */
};

/* How a backoff wait looks at the SSH port meanwhile. */
enum transport_ssh_probing {
	TRANSPORT_SSH_PROBE_NONE,
	/* the last attempt found nothing answering: the first answer ends the wait */
	TRANSPORT_SSH_PROBE_DOWN,
	/* the last attempt followed a probe's answer and failed all the same (a
	 * server that sends its banner and no more): an answer ends the wait
	 * only after the probe itself saw none, else the attempts would follow
	 * each other a second apart */
	TRANSPORT_SSH_PROBE_CHANGE,
};

/* While disconnected: waits until deadline (or stop, or a retry asked for),
 * accepting and closing what arrives on the sockets so that clients fail at
 * once.  Unless probing is NONE, the SSH port is probed meanwhile (ssh_probe,
 * once a second) and the wait ends as soon as the server answers again (see
 * transport_ssh_probing); an answer that does not count ends the probing. */
static enum transport_ssh_waited
transport_ssh_backoff(struct transport_ssh *t, int64_t deadline, enum transport_ssh_probing probing)
{
	struct ssh_pump_listener **l = NULL;
	struct pollfd *pfd = NULL;
	size_t cap = 0, pcap = 0;
	struct ssh_probe pr;
	enum transport_ssh_waited out = TRANSPORT_SSH_WAITED;
	bool probe = probing != TRANSPORT_SSH_PROBE_NONE;
	bool seen_down = probing == TRANSPORT_SSH_PROBE_DOWN;

	ssh_probe_init(&pr, t->target.hostname, t->target.port,
	    time_mono_ms() + SSH_PROBE_INTERVAL_MS);
	for (;;) {
		size_t n = transport_ssh_listeners(t, &l, &cap), i;
		int64_t now = time_mono_ms(), left = deadline - now;
		nfds_t np = (nfds_t)(n + 1);
		short ev = 0;
		int pfd_probe = -1, ready, r;

		/* a retry asked for while connecting counts too: its wake-up
		 * byte was eaten by the connect's own poll */
		if (transport_ssh_take_retry(t)) {
			out = TRANSPORT_SSH_RETRY;
			break;
		}
		if (left <= 0)
			break;
		if (n + 2 > pcap) {
			pcap = n + 2;
			pfd = xrealloc(pfd, pcap * sizeof *pfd);
		}
		pfd[0].fd = t->wake[0];
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[i + 1].fd = l[i]->fd;
			pfd[i + 1].events = POLLIN;
		}
		if (probe) {
			int fd = ssh_probe_fd(&pr, &ev);

			if (fd >= 0) {
				pfd_probe = (int)np;
				pfd[np].fd = fd;
				pfd[np++].events = ev;
			}
			if (ssh_probe_due_ms(&pr) - now < left)
				left = ssh_probe_due_ms(&pr) - now;
			if (left < 0)
				left = 0;
		}
		ready = poll(pfd, np, (int)left);
		if (probe) {
			r = ssh_probe_step(&pr, time_mono_ms(), pfd_probe >= 0 && ready > 0 ?
			    pfd[pfd_probe].revents : 0);
			if (r == 1 && seen_down) {
				out = TRANSPORT_SSH_ANSWERED;
				break;
			}
			if (r == 1)
				probe = false;   /* it answered all along: see above */
			if (r == -1)
				seen_down = true;
			if (r != 0)
				continue;   /* the other descriptors keep their events */
		}
		if (ready <= 0)
			continue;
		if ((pfd[0].revents & POLLIN) && transport_ssh_drain(t))
			break;
		for (i = 0; i < n; i++) {
			if (pfd[i + 1].revents & POLLIN) {
				int fd = accept4(l[i]->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

				if (fd >= 0)
					close(fd);
			}
		}
	}
	ssh_probe_done(&pr);
	free(l);
	free(pfd);
	return out;
}

bool
transport_ssh_stopping(struct transport_ssh *t)
{
	bool stop;

	pthread_mutex_lock(&t->lock);
	stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

/* The wait after `failures` failed attempts in a row. */
int64_t
transport_ssh_wait_ms(int failures, uint64_t *rnd)
{
	return backoff_jitter_ms(backoff_delay_ms(TRANSPORT_SSH_BACKOFF_MIN_MS, failures,
	    TRANSPORT_SSH_BACKOFF_MAX_MS), backoff_random(rnd));
}

static void *
transport_ssh_main(void *arg)
{
	struct transport_ssh *t = arg;
	int failures = 0;
	uint64_t rnd = 0;
	bool was_down = false, probed = false;
	int timeout = t->target.connect_timeout_s > 0 ? t->target.connect_timeout_s * 1000 :
	    t->timeout_ms;

	while (!transport_ssh_stopping(t)) {
		struct ssh_session_params p = {
			.name = t->name, .target = &t->target, .identity_file = t->identity_file,
			.timeout_ms = timeout, .wake_fd = t->wake[0], .drain = transport_ssh_drain,
			.wake_arg = t,
		};
		struct ssh_session c;
		struct ssh_pump_params pp;
		struct ssh_jump *jump = NULL;
		char *cause = NULL;
		enum transport_ssh_waited w;

		/* a hop that fails leaves c unopened: nothing is "unanswered" then
		 * (the probe looks at the target's own port, which only the last
		 * hop reaches), so a jump host waits out its backoff */
		memset(&c, 0, sizeof c);
		if (transport_ssh_open(t, &p, &c, &jump, &cause) != 0) {
			if (strcmp(cause, "stopped") == 0) {
				free(cause);
				break;
			}
			pthread_mutex_lock(&t->lock);
			util_strlcpy(t->st.error, cause, sizeof t->st.error);
			if (t->st.connected || t->st.since_ms == 0)
				t->st.since_ms = time_real_ms();
			t->st.connected = false;
			pthread_mutex_unlock(&t->lock);
			free(cause);
			was_down = true;
			w = transport_ssh_backoff(t, time_mono_ms() + transport_ssh_wait_ms(failures, &rnd),
			    !c.unanswered ? TRANSPORT_SSH_PROBE_NONE :
			    probed ? TRANSPORT_SSH_PROBE_CHANGE : TRANSPORT_SSH_PROBE_DOWN);
			/* R starts the doubling over; an answer of the probe does
			 * not (the full attempt may fail all the same) */
			if (w == TRANSPORT_SSH_RETRY)
				failures = 0;
			else if (failures < 30)
				failures++;
			probed = w == TRANSPORT_SSH_ANSWERED;
			continue;
		}
		failures = 0;
		probed = false;
		pthread_mutex_lock(&t->lock);
		t->retry = false;   /* an R pressed while connecting was answered */
		t->st.connected = true;
		t->st.since_ms = time_real_ms();
		t->st.connect_ms = (int)c.connect_ms;
		t->st.connects++;
		t->st.channels_peak = 0;
		t->st.error[0] = '\0';
		util_strlcpy(t->st.auth, c.auth, sizeof t->st.auth);
		pthread_mutex_unlock(&t->lock);
		/* extra sessions that failed wait for this one */
		transport_ssh_lanes_wake(t);
		/* after an outage the feeds relayed through this host are in their
		 * own backoff: tell them now rather than at their next retry */
		if (was_down)
			transport_ssh_tell_connected(t);
		was_down = false;

		memset(&pp, 0, sizeof pp);
		pp.name = t->name;
		pp.session = &c;
		pp.alive_interval_ms = t->target.alive_interval_s * 1000;
		pp.dead_ms = transport_ssh_dead_ms(t);
		pp.await_others = transport_ssh_lanes_await;
		pp.wake_fd = t->wake[0];
		pp.drain = transport_ssh_drain;
		pp.listeners = transport_ssh_listeners;
		pp.report = transport_ssh_pump_status;
		pp.take_ptys = transport_ssh_take_ptys;
		pp.share_listeners = t->nlanes > 0;
		pp.arg = t;
		cause = NULL;
		/* returns when the connection is lost (*cause) or on stop (NULL) */
		ssh_pump_run(&pp, &cause);
		if (cause != NULL && ssh_jump_failure(jump) != NULL)
			util_set_cause(&cause, "%s", ssh_jump_failure(jump));
		ssh_session_disconnect(&c, cause == NULL ? 200 : 0);
		ssh_pump_teardown(&pp);
		ssh_session_close(&c);
		ssh_jump_close(jump, cause == NULL ? 200 : 0);
		/* sessions asked for while it went down would wait for the next one */
		transport_ssh_fail_ptys(t, cause != NULL ? cause : "the SSH connection was closed");

		pthread_mutex_lock(&t->lock);
		t->st.connected = false;
		t->st.since_ms = time_real_ms();
		t->st.tunnels = t->st.channels = t->st.waiting = 0;
		t->st.auth[0] = '\0';
		if (cause != NULL)
			util_strlcpy(t->st.error, cause, sizeof t->st.error);
		pthread_mutex_unlock(&t->lock);
		if (cause == NULL)
			break;
		free(cause);
		/* a lost connection is retried after the shortest backoff */
		was_down = true;
		(void)transport_ssh_backoff(t, time_mono_ms() + transport_ssh_wait_ms(0, &rnd),
		    TRANSPORT_SSH_PROBE_NONE);
	}
	return NULL;
}

static pthread_once_t transport_ssh_swept = PTHREAD_ONCE_INIT;

static void transport_ssh_sweep(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (xdg != NULL && *xdg == '/')
		(void)ssh_sockdir_sweep(xdg, getuid(), getpid());
	(void)ssh_sockdir_sweep("/tmp", getuid(), getpid());
}

static char *
transport_ssh_socket_dir(char **cause)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat sb;
	char *dir;

	/* 52: a socket's whole path, BASE/kitetop-ssh-PID-XXXXXX/pgN/.s.PGSQL.PORT,
	 * must fit the 107 bytes of sun_path */
	if (base == NULL || *base != '/' || stat(base, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    access(base, W_OK) != 0 || strlen(base) > 52)
		base = "/tmp";
	/* the directories of a kitetop killed by a signal or a crash, which had
	 * no chance to remove them: looked for once a process */
	pthread_once(&transport_ssh_swept, transport_ssh_sweep);
	dir = ssh_sockdir_template(base);
	if (mkdtemp(dir) == NULL) {
		util_set_cause(cause, "cannot create a private directory in %s: %s", base,
		    strerror(errno));
		free(dir);
		return NULL;
	}
	(void)chmod(dir, 0700);
	return dir;
}

struct transport_ssh *
transport_ssh_new(const char *host_name, const struct transport_ssh_options *opt,
    int timeout_ms, char **cause)
{
	struct transport_ssh *t;
	char *why = NULL;

	if (opt->target == NULL) {
		util_set_cause(cause, "host %s has no ssh target", host_name);
		return NULL;
	}
	ssh_session_global_init();
	t = xcalloc(1, sizeof *t);
	t->wake[0] = t->wake[1] = -1;
	if (ssh_config_lookup(opt->target, &t->target, &why) != 0) {
		util_set_cause(cause, "host %s: ssh = %s: %s", host_name, opt->target, why);
		free(why);
		free(t);
		return NULL;
	}
	if (opt->known_hosts != NULL) {
		size_t i;

		for (i = 0; i < t->target.nknown_hosts_files; i++)
			free(t->target.known_hosts_files[i]);
		free(t->target.known_hosts_files);
		t->target.known_hosts_files = xcalloc(1, sizeof(char *));
		t->target.known_hosts_files[0] = xstrdup(opt->known_hosts);
		t->target.nknown_hosts_files = 1;
	}
	if (ssh_jump_resolve(opt->jump != NULL ? opt->jump : t->target.proxy_jump, NULL, NULL,
	    opt->known_hosts, &t->jumps, &t->njumps, &why) != 0) {
		util_set_cause(cause, "host %s: ssh = %s: %s", host_name, opt->target, why);
		free(why);
		ssh_target_done(&t->target);
		free(t);
		return NULL;
	}
	t->name = xstrdup(host_name);
	t->identity_file = xstrdup(opt->identity_file);
	t->docker_socket = xstrdup(opt->docker_socket);
	t->timeout_ms = timeout_ms > 0 ? timeout_ms : TRANSPORT_SSH_DEFAULT_TIMEOUT_MS;
	t->st.rtt_ms = -1;
	t->st.connect_ms = -1;
	{
		int n = opt->sessions > 0 ? opt->sessions : TRANSPORT_SSH_DEFAULT_SESSIONS;

		t->nlanes = (n > TRANSPORT_SSH_MAX_SESSIONS ? TRANSPORT_SSH_MAX_SESSIONS : n) - 1;
	}
	for (int i = 0; i < t->nlanes; i++)
		t->lanes[i] = (struct transport_ssh_lane){ .t = t, .index = i + 1,
			.wake = { -1, -1 } };
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->cb_lock, NULL);
	if (pipe2(t->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		util_set_cause(cause, "pipe: %s", strerror(errno));
		t->wake[0] = t->wake[1] = -1;
		transport_ssh_free(t);
		return NULL;
	}
	for (int i = 0; i < t->nlanes; i++) {
		if (pipe2(t->lanes[i].wake, O_CLOEXEC | O_NONBLOCK) != 0) {
			util_set_cause(cause, "pipe: %s", strerror(errno));
			t->lanes[i].wake[0] = t->lanes[i].wake[1] = -1;
			transport_ssh_free(t);
			return NULL;
		}
	}
	t->dir = transport_ssh_socket_dir(cause);
	if (t->dir == NULL) {
		transport_ssh_free(t);
		return NULL;
	}
	return t;
}

int
transport_ssh_start(struct transport_ssh *t, char **cause)
{
	int rc;

	if (t->started)
		return 0;
	rc = pthread_create(&t->thread, NULL, transport_ssh_main, t);
	if (rc != 0) {
		util_set_cause(cause, "cannot start the ssh thread of %s: %s", t->name, strerror(rc));
		return -1;
	}
	{
		char *n = xasprintf("ssh/%s", t->name);

		util_thread_name(t->thread, n);
		free(n);
	}
	t->started = true;
	for (int i = 0; i < t->nlanes; i++) {
		struct transport_ssh_lane *l = &t->lanes[i];
		char *n;

		/* without it the host is still served, by fewer sessions */
		if (pthread_create(&l->thread, NULL, transport_ssh_lane_main, l) != 0)
			continue;
		n = xasprintf("ssh/%s/%d", t->name, l->index);
		util_thread_name(l->thread, n);
		free(n);
		l->started = true;
	}
	return 0;
}

/* Creates a listening socket at path.  fd or -1 with *cause. */
static int
transport_ssh_listen(const char *path, char **cause)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (util_strlcpy(sa.sun_path, path, sizeof sa.sun_path) >= sizeof sa.sun_path) {
		util_set_cause(cause, "socket path too long: %s", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0) {
		util_set_cause(cause, "cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	(void)chmod(path, 0600);
	return fd;
}

/* Finds or creates the listener of an endpoint.  Returns it (owned by t) or
 * NULL with *cause.  pg: the socket goes in its own directory, named for libpq. */
static struct ssh_pump_listener *
transport_ssh_endpoint(struct transport_ssh *t, enum ssh_pump_kind kind, const char *rhost,
    int rport, const char *command, bool pg, bool http, bool urgent, char **cause)
{
	struct ssh_pump_listener *l = NULL;
	size_t i;
	char *path = NULL, *dir = NULL;

	if (kind == SSH_PUMP_TCP && (rhost == NULL || *rhost == '\0' || rport < 1 ||
	    rport > 65535)) {
		util_set_cause(cause, "bad tunnel endpoint %s:%d", rhost != NULL ? rhost : "", rport);
		return NULL;
	}
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->nlisteners; i++) {
		struct ssh_pump_listener *x = t->listeners[i];

		bool same;

		if (x->kind != kind || x->pg != pg || x->http != http ||
		    x->docker != (kind == SSH_PUMP_EXEC && command == NULL) || x->urgent != urgent)
			continue;
		if (kind == SSH_PUMP_TCP)
			same = strcmp(x->rhost, rhost) == 0 && x->rport == rport;
		else
			same = command == NULL || strcmp(x->command, command) == 0;
		if (same) {
			pthread_mutex_unlock(&t->lock);
			return x;
		}
	}
	if (t->nlisteners == t->listeners_cap) {
		size_t cap = ssh_pump_queue_grow(t->listeners_cap, t->nlisteners + 1,
		    TRANSPORT_SSH_MAX_LISTENERS);

		if (cap == 0) {
			pthread_mutex_unlock(&t->lock);
			util_set_cause(cause, "too many tunnels to %s (at most %d endpoints)",
			    t->name, TRANSPORT_SSH_MAX_LISTENERS);
			return NULL;
		}
		/* the thread copies the pointers under the lock: moving them is safe */
		t->listeners = xrealloc(t->listeners, cap * sizeof *t->listeners);
		t->listeners_cap = cap;
	}
	t->seq++;
	if (pg) {
		dir = xasprintf("%s/pg%u", t->dir, t->seq);
		if (mkdir(dir, 0700) != 0) {
			util_set_cause(cause, "cannot create %s: %s", dir, strerror(errno));
			goto out;
		}
		path = xasprintf("%s/.s.PGSQL.%d", dir, rport);
	} else if (kind == SSH_PUMP_EXEC && command == NULL)
		path = xasprintf("%s/docker.sock", t->dir);
	else
		path = xasprintf("%s/%c%u.sock", t->dir, kind == SSH_PUMP_TCP ? 't' : 'x', t->seq);

	l = xcalloc(1, sizeof *l);
	l->fd = transport_ssh_listen(path, cause);
	if (l->fd < 0) {
		free(l);
		l = NULL;
		if (dir != NULL)
			rmdir(dir);
		goto out;
	}
	l->kind = kind;
	l->pg = pg;
	l->http = http;
	l->docker = kind == SSH_PUMP_EXEC && command == NULL;
	l->urgent = urgent;
	l->path = path;
	l->dir = dir;
	path = dir = NULL;
	if (kind == SSH_PUMP_TCP) {
		l->rhost = xstrdup(rhost);
		l->rport = rport;
		l->label = xasprintf("%s:%d", rhost, rport);
	} else if (command != NULL) {
		l->command = xstrdup(command);
		l->label = xasprintf("command \"%s\"", command);
	} else {
		/* the Docker engine; the socket path goes through the remote shell */
		if (t->docker_socket != NULL) {
			struct buf b;
			const char *p;

			buf_init(&b);
			buf_puts(&b, "docker -H 'unix://");
			for (p = t->docker_socket; *p != '\0'; p++) {
				if (*p == '\'')
					buf_puts(&b, "'\\''");
				else
					buf_putc(&b, *p);
			}
			buf_puts(&b, "' system dial-stdio");
			l->command = buf_steal(&b);
			l->socket = xstrdup(t->docker_socket);
		} else
			l->command = xstrdup("docker system dial-stdio");
		l->label = xstrdup("the Docker engine (docker system dial-stdio)");
	}
	t->listeners[t->nlisteners++] = l;
out:
	pthread_mutex_unlock(&t->lock);
	free(path);
	free(dir);
	if (l != NULL)
		transport_ssh_wake(t);
	return l;
}

const char *
transport_ssh_docker_socket(struct transport_ssh *t, char **cause)
{
	struct ssh_pump_listener *l = transport_ssh_endpoint(t, SSH_PUMP_EXEC, NULL, 0, NULL,
	    false, false, false, cause);

	return l != NULL ? l->path : NULL;
}

char *
transport_ssh_forward(struct transport_ssh *t, const char *rhost, int rport, char **cause)
{
	struct ssh_pump_listener *l = transport_ssh_endpoint(t, SSH_PUMP_TCP, rhost, rport, NULL,
	    false, false, false, cause);

	return l != NULL ? xstrdup(l->path) : NULL;
}

char *
transport_ssh_forward_http(struct transport_ssh *t, const char *rhost, int rport, char **cause)
{
	struct ssh_pump_listener *l = transport_ssh_endpoint(t, SSH_PUMP_TCP, rhost, rport, NULL,
	    false, true, false, cause);

	return l != NULL ? xstrdup(l->path) : NULL;
}

char *
transport_ssh_forward_dir(struct transport_ssh *t, const char *rhost, int rport, char **cause)
{
	struct ssh_pump_listener *l = transport_ssh_endpoint(t, SSH_PUMP_TCP, rhost, rport, NULL,
	    true, false, false, cause);

	return l != NULL ? xstrdup(l->dir) : NULL;
}

char *
transport_ssh_forward_exec(struct transport_ssh *t, const char *command, char **cause)
{
	return transport_ssh_forward_exec_first(t, command, false, cause);
}

char *
transport_ssh_forward_exec_first(struct transport_ssh *t, const char *command, bool urgent,
    char **cause)
{
	struct ssh_pump_listener *l;

	if (command == NULL || *command == '\0') {
		util_set_cause(cause, "empty command for an exec tunnel");
		return NULL;
	}
	l = transport_ssh_endpoint(t, SSH_PUMP_EXEC, NULL, 0, command, false, false, urgent, cause);
	return l != NULL ? xstrdup(l->path) : NULL;
}

void
transport_ssh_status(struct transport_ssh *t, struct transport_ssh_status *out)
{
	pthread_mutex_lock(&t->lock);
	*out = t->st;
	out->sessions = (t->st.connected ? 1 : 0) + t->lanes_up;
	pthread_mutex_unlock(&t->lock);
}

void
transport_ssh_free(struct transport_ssh *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->started) {
		pthread_mutex_lock(&t->lock);
		t->stop = true;
		pthread_mutex_unlock(&t->lock);
		transport_ssh_wake(t);
		pthread_join(t->thread, NULL);
		for (i = 0; i < (size_t)t->nlanes; i++)
			if (t->lanes[i].started)
				pthread_join(t->lanes[i].thread, NULL);
	}
	for (i = 0; i < (size_t)t->nlanes; i++) {
		if (t->lanes[i].wake[0] >= 0)
			close(t->lanes[i].wake[0]);
		if (t->lanes[i].wake[1] >= 0)
			close(t->lanes[i].wake[1]);
	}
	transport_ssh_fail_ptys(t, "the SSH transport was stopped");
	for (i = 0; i < t->nlisteners; i++) {
		struct ssh_pump_listener *l = t->listeners[i];

		close(l->fd);
		unlink(l->path);
		if (l->dir != NULL)
			rmdir(l->dir);
		free(l->path);
		free(l->dir);
		free(l->rhost);
		free(l->command);
		free(l->socket);
		free(l->label);
		free(l);
	}
	free(t->listeners);
	if (t->dir != NULL)
		rmdir(t->dir);
	if (t->wake[0] >= 0)
		close(t->wake[0]);
	if (t->wake[1] >= 0)
		close(t->wake[1]);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->cb_lock);
	ssh_target_done(&t->target);
	ssh_jump_targets_free(t->jumps, t->njumps);
	free(t->name);
	free(t->identity_file);
	free(t->docker_socket);
	free(t->dir);
	free(t);
}
