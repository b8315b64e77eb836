/* shell — see shell.h. */
#include "core/actions/shell.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/actions/audit.h"
#include "core/actions/shell_command.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/fleet/fleet.h"

#define SHELL_EXIT_WAIT_MS 10000   /* from the channel's EOF to its exit status */
#define SHELL_CHUNK 16384

const char *shell_action(const struct shell_target *t)
{
	return t->container != NULL ? "exec" : "shell";
}

bool shell_refused(const struct config *cfg, const struct shell_target *t)
{
	if (!cfg->read_only)
		return false;
	(void)audit_refused(cfg->audit_log, t->host->name, t->container, shell_action(t), false,
	                    "read-only", NULL);
	return true;
}

/* ---- the terminal ---- */

static int shell_winch_fd = -1;   /* the write end of the relay's self-pipe, for the handler */

static void shell_on_winch(int sig)
{
	int saved = errno;
	char c = 1;

	(void)sig;
	if (shell_winch_fd >= 0)
		(void)write(shell_winch_fd, &c, 1);
	errno = saved;
}

/* The terminal's size (80x24 when it has none). */
static void shell_term_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ||
	     ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) && ws.ws_col > 0 && ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* What the relay changes in the process, to be put back. */
struct shell_saved {
	bool raw;
	struct termios tio;
	struct sigaction winch;
	int pipe[2];
};

/* Raw terminal (every byte, ^C and ^D included, goes to the remote pty,
 * whose own line discipline does echo and signals), and SIGWINCH to a
 * self-pipe. */
static void shell_term_enter(struct shell_saved *s, bool tty)
{
	struct sigaction sa;

	s->raw = false;
	s->pipe[0] = s->pipe[1] = -1;
	if (tty && tcgetattr(STDIN_FILENO, &s->tio) == 0) {
		struct termios raw = s->tio;

		cfmakeraw(&raw);
		s->raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0;
	}
	if (pipe2(s->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		s->pipe[0] = s->pipe[1] = -1;
	shell_winch_fd = s->pipe[1];
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = shell_on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, &s->winch);
}

static void shell_term_leave(struct shell_saved *s)
{
	sigaction(SIGWINCH, &s->winch, NULL);
	shell_winch_fd = -1;
	if (s->raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &s->tio);
	if (s->pipe[0] >= 0) {
		close(s->pipe[0]);
		close(s->pipe[1]);
	}
}

/* ---- the relay (SSH) ---- */

static bool shell_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* One relay: what is typed goes to the session (held in up while the
 * session cannot take it, so that its output is still read meanwhile), what
 * it prints comes to stdout / stderr. */
struct shell_relay {
	struct transport_ssh_pty *p;
	int fd, efd, winch;
	bool in_eof, out_eof, err_eof;
	struct buf up;
};

/* Reads src into dst; false at EOF (or an error). */
static bool shell_copy_out(int src, int dst)
{
	char tmp[SHELL_CHUNK];
	ssize_t n = read(src, tmp, sizeof tmp);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	(void)shell_write_all(dst, tmp, (size_t)n);   /* a closed stdout: keep draining */
	return true;
}

static void shell_relay_input(struct shell_relay *r)
{
	char tmp[SHELL_CHUNK];
	ssize_t n = read(STDIN_FILENO, tmp, sizeof tmp);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* stdin ended: the remote side gets EOF (`docker exec -i` semantics) */
		r->in_eof = true;
		if (r->up.len == 0)
			(void)shutdown(r->fd, SHUT_WR);
		return;
	}
	buf_append(&r->up, tmp, (size_t)n);
}

static void shell_relay_send(struct shell_relay *r)
{
	ssize_t n = send(r->fd, r->up.data, r->up.len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n > 0)
		buf_consume(&r->up, (size_t)n);
	else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		buf_reset(&r->up);   /* the session is gone: its EOF follows */
		r->in_eof = true;
	}
	if (r->in_eof && r->up.len == 0)
		(void)shutdown(r->fd, SHUT_WR);
}

static void shell_relay_winch(struct shell_relay *r)
{
	char tmp[64];
	int cols, rows;

	while (read(r->winch, tmp, sizeof tmp) > 0)
		;
	shell_term_size(&cols, &rows);
	transport_ssh_pty_resize(r->p, cols, rows);
}

static void shell_relay_loop(struct shell_relay *r)
{
	while (!r->out_eof || (r->efd >= 0 && !r->err_eof)) {
		struct pollfd pfd[4] = {
			{ .fd = r->in_eof || r->up.len > 0 ? -1 : STDIN_FILENO, .events = POLLIN },
			{ .fd = r->out_eof ? -1 : r->fd,
			  .events = (short)(POLLIN | (r->up.len > 0 ? POLLOUT : 0)) },
			{ .fd = r->efd >= 0 && !r->err_eof ? r->efd : -1, .events = POLLIN },
			{ .fd = r->winch, .events = POLLIN },
		};

		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[3].revents & POLLIN)
			shell_relay_winch(r);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			shell_relay_input(r);
		if (r->up.len > 0 && (pfd[1].revents & POLLOUT))
			shell_relay_send(r);
		if ((pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) && !shell_copy_out(r->fd, STDOUT_FILENO))
			r->out_eof = true;
		if ((pfd[2].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !shell_copy_out(r->efd, STDERR_FILENO))
			r->err_eof = true;
	}
}

/* The session over SSH.  0 and *status, or -1 and *cause. */
static int shell_ssh(struct fleet_host *h, const char *command, int *status, char **cause)
{
	bool tty = isatty(STDIN_FILENO);
	const char *term = getenv("TERM");
	struct shell_relay r = { .winch = -1 };
	struct shell_saved saved;
	int cols, rows, rc;

	if (h->ssh == NULL) {
		util_set_cause(cause, "%s: %s", h->name, h->ssh_error != NULL ? h->ssh_error :
		               "no SSH session");
		return -1;
	}
	shell_term_size(&cols, &rows);
	r.p = transport_ssh_open_pty(h->ssh, command, tty ? (term != NULL && *term != '\0' ?
	                             term : "xterm") : NULL, cols, rows, cause);
	if (r.p == NULL)
		return -1;
	r.fd = transport_ssh_pty_fd(r.p);
	r.efd = transport_ssh_pty_stderr_fd(r.p);
	buf_init(&r.up);
	shell_term_enter(&saved, tty);
	r.winch = saved.pipe[0];
	/* the size may have changed between the open and the handler */
	if (tty)
		shell_relay_winch(&r);
	shell_relay_loop(&r);
	shell_term_leave(&saved);
	buf_done(&r.up);
	rc = transport_ssh_pty_wait(r.p, SHELL_EXIT_WAIT_MS, status, cause);
	transport_ssh_pty_free(r.p);
	return rc;
}

/* ---- this machine ---- */

/* Runs argv on the real terminal and waits.  0 and *status, or -1. */
static int shell_local(char **argv, int *status, char **cause)
{
	struct sigaction ign, old_int, old_quit;
	char *fail = xasprintf("kitetop: cannot run %s\n", argv[0]);
	int ws = 0;
	pid_t pid;

	/* as system(3): ^C and ^\ are the child's, not kitetop's */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);   /* kitetop ignores it; the shell must not */
		execvp(argv[0], argv);
		(void)write(STDERR_FILENO, fail, strlen(fail));
		_exit(127);
	}
	free(fail);
	if (pid > 0)
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid < 0) {
		util_set_cause(cause, "fork: %s", strerror(errno));
		return -1;
	}
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
	return 0;
}

/* The -H of this machine's docker CLI for h, or NULL (its default). */
static char *shell_docker_host(const struct config_host *h)
{
	if (h->docker == CONFIG_DOCKER_UNIX && h->docker_url != NULL)
		return xasprintf("unix://%s", h->docker_url);
	if (h->docker == CONFIG_DOCKER_TCP && h->docker_url != NULL)
		return xasprintf("tcp://%s", h->docker_url);
	return NULL;
}

/* ---- the session ---- */

/* Runs the session, once audited.  0 and *status, or -1 and *cause. */
static int shell_dispatch(const struct shell_target *t, int *status, char **cause)
{
	struct fleet_host *h = t->host;
	bool tty = isatty(STDIN_FILENO);
	char **argv, *cmd, *dh;
	int rc;

	if (t->container == NULL) {
		if (!h->local)
			return shell_ssh(h, NULL, status, cause);
		argv = shell_argv_login(getenv("SHELL"));
	} else if (h->cfg->docker == CONFIG_DOCKER_SSH) {
		cmd = shell_command_remote(h->cfg->docker_socket, t->container, t->argv, t->argc, tty);
		rc = shell_ssh(h, cmd, status, cause);
		free(cmd);
		return rc;
	} else {
		dh = shell_docker_host(h->cfg);
		argv = shell_argv_docker(dh, t->container, t->argv, t->argc, tty);
		free(dh);
	}
	rc = shell_local(argv, status, cause);
	shell_argv_free(argv);
	return rc;
}

/* What cannot work at all, before the audit's "started" line. */
static int shell_check(const struct shell_target *t, char **cause)
{
	const struct fleet_host *h = t->host;

	if (t->container != NULL && !shell_container_name_ok(t->container)) {
		util_set_cause(cause, "'%s' is not a container's name", t->container);
		return -1;
	}
	if (t->container != NULL && h->cfg->docker == CONFIG_DOCKER_NONE) {
		util_set_cause(cause, "%s: docker = none: no containers to enter", h->name);
		return -1;
	}
	return 0;
}

int shell_run(const struct config *cfg, const struct shell_target *t, int *status, char **cause)
{
	struct audit_record rec;
	char *why = NULL;
	int rc;

	if (shell_refused(cfg, t)) {
		util_set_cause(cause, "refused: read-only");
		return SHELL_REFUSED;
	}
	if (shell_check(t, cause) != 0) {
		(void)audit_once(cfg->audit_log, t->host->name, t->container, shell_action(t), false,
		                 "failed", *cause, NULL);
		return -1;
	}
	if (audit_begin(&rec, cfg->audit_log, t->host->name, t->container, shell_action(t), false,
	                &why) != 0) {
		util_set_cause(cause, "refused: %s", why);
		free(why);
		audit_record_done(&rec);
		return SHELL_REFUSED;
	}
	rc = shell_dispatch(t, status, cause);
	/* the outcome is whether it opened and ended, not its last command's status */
	(void)audit_end(&rec, rc == 0 ? NULL : *cause, NULL);
	return rc;
}
