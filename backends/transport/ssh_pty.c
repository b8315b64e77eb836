/* ssh_pty — see ssh_pty.h. */
#include "backends/transport/ssh_pty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

static void
ssh_pty_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* One socketpair: *mine for the asker (blocking), *pump's non-blocking. */
static int
ssh_pty_pair(int *mine, int *pump, char **cause)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		util_set_cause(cause, "socketpair: %s", strerror(errno));
		return -1;
	}
	*mine = sv[0];
	*pump = sv[1];
	(void)fcntl(*pump, F_SETFL, fcntl(*pump, F_GETFL) | O_NONBLOCK);
	return 0;
}

struct ssh_pty *
ssh_pty_new(const char *command, const char *term, int cols, int rows, char **cause)
{
	struct ssh_pty *p = xcalloc(1, sizeof *p);
	pthread_condattr_t ca;

	p->fd = p->err_fd = p->pump_fd = p->pump_err_fd = -1;
	if (ssh_pty_pair(&p->fd, &p->pump_fd, cause) != 0 ||
	    (term == NULL && ssh_pty_pair(&p->err_fd, &p->pump_err_fd, cause) != 0)) {
		ssh_pty_close(&p->fd);
		ssh_pty_close(&p->pump_fd);
		free(p);
		return NULL;
	}
	p->command = xstrdup(command);
	p->term = xstrdup(term);
	p->label = command != NULL ? xasprintf("command \"%s\"", command) :
	    xstrdup("a login shell");
	pthread_mutex_init(&p->lock, NULL);
	/* waits are bounded in monotonic time, as the rest of kitetop */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	p->refs = 1;
	p->cols = cols;
	p->rows = rows;
	p->exit_status = -1;
	return p;
}

void
ssh_pty_ref(struct ssh_pty *p)
{
	pthread_mutex_lock(&p->lock);
	p->refs++;
	pthread_mutex_unlock(&p->lock);
}

void
ssh_pty_unref(struct ssh_pty *p)
{
	int left;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	left = --p->refs;
	pthread_mutex_unlock(&p->lock);
	if (left > 0)
		return;
	ssh_pty_close(&p->fd);
	ssh_pty_close(&p->err_fd);
	ssh_pty_close(&p->pump_fd);
	ssh_pty_close(&p->pump_err_fd);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p->command);
	free(p->term);
	free(p->label);
	free(p->error);
	free(p);
}

void
ssh_pty_started(struct ssh_pty *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->state == SSH_PTY_OPENING)
		p->state = SSH_PTY_RUNNING;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void
ssh_pty_finish(struct ssh_pty *p, int status, const char *error)
{
	pthread_mutex_lock(&p->lock);
	if (p->state != SSH_PTY_DONE) {
		p->state = SSH_PTY_DONE;
		p->exit_status = status;
		p->error = xstrdup(error);
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

bool
ssh_pty_resized(struct ssh_pty *p, unsigned *seq, int *cols, int *rows)
{
	bool changed;

	pthread_mutex_lock(&p->lock);
	changed = p->size_seq != *seq;
	*seq = p->size_seq;
	*cols = p->cols;
	*rows = p->rows;
	pthread_mutex_unlock(&p->lock);
	return changed;
}

bool
ssh_pty_abandoned(struct ssh_pty *p)
{
	bool a;

	pthread_mutex_lock(&p->lock);
	a = p->abandoned;
	pthread_mutex_unlock(&p->lock);
	return a;
}

void
ssh_pty_set_size(struct ssh_pty *p, int cols, int rows)
{
	pthread_mutex_lock(&p->lock);
	if (cols != p->cols || rows != p->rows) {
		p->cols = cols;
		p->rows = rows;
		p->size_seq++;
	}
	pthread_mutex_unlock(&p->lock);
}

void
ssh_pty_abandon(struct ssh_pty *p)
{
	pthread_mutex_lock(&p->lock);
	p->abandoned = true;
	pthread_mutex_unlock(&p->lock);
}

enum ssh_pty_state
ssh_pty_wait(struct ssh_pty *p, enum ssh_pty_state until, int64_t deadline_mono_ms)
{
	enum ssh_pty_state st;

	pthread_mutex_lock(&p->lock);
	while (p->state < until) {
		int64_t left = deadline_mono_ms - time_mono_ms();
		struct timespec ts;

		if (left <= 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)(left / 1000);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	st = p->state;
	pthread_mutex_unlock(&p->lock);
	return st;
}

int
ssh_pty_signal_number(const char *name)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
		{ "ABRT", SIGABRT }, { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "SEGV", SIGSEGV },
		{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 }, { "BUS", SIGBUS },
	};

	if (name == NULL)
		return 0;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sigs); i++)
		if (strcasecmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return 0;
}
