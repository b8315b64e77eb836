/* transport_ssh_pty — interactive sessions on a transport (transport_ssh.h):
 * queued for the transport's thread, whose pump opens their channels
 * (ssh_pump_pty.c), and the caller's handle on them. */
#include "backends/transport/transport_ssh.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/transport/ssh_pty.h"
#include "backends/transport/transport_ssh_internal.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

struct transport_ssh_pty {
	struct transport_ssh *t;
	struct ssh_pty *pty;
};

size_t
transport_ssh_take_ptys(void *arg, struct ssh_pty **out, size_t max)
{
	struct transport_ssh *t = arg;
	size_t n, i;

	pthread_mutex_lock(&t->lock);
	n = t->nptys < max ? t->nptys : max;
	for (i = 0; i < n; i++)
		out[i] = t->ptys[i];
	for (i = n; i < t->nptys; i++)
		t->ptys[i - n] = t->ptys[i];
	t->nptys -= n;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void
transport_ssh_fail_ptys(struct transport_ssh *t, const char *error)
{
	struct ssh_pty *ptys[TRANSPORT_SSH_MAX_PTYS];
	size_t n = transport_ssh_take_ptys(t, ptys, TRANSPORT_SSH_MAX_PTYS), i;

	for (i = 0; i < n; i++) {
		ssh_pty_finish(ptys[i], -1, error);
		ssh_pty_unref(ptys[i]);
	}
}

/* Queues pty (with a reference for the pump) and wakes the thread.  0, or
 * -1 with *cause. */
static int
transport_ssh_queue_pty(struct transport_ssh *t, struct ssh_pty *pty, char **cause)
{
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	if (!t->started || !t->st.connected) {
		util_set_cause(cause, "ssh: %s: not connected%s%s", t->name,
		    t->st.error[0] != '\0' ? ": " : "", t->st.error);
		rc = -1;
	} else if (t->nptys == TRANSPORT_SSH_MAX_PTYS) {
		util_set_cause(cause, "ssh: %s: too many sessions starting at once", t->name);
		rc = -1;
	} else {
		ssh_pty_ref(pty);
		t->ptys[t->nptys++] = pty;
	}
	pthread_mutex_unlock(&t->lock);
	if (rc == 0)
		transport_ssh_wake(t);
	return rc;
}

struct transport_ssh_pty *
transport_ssh_open_pty(struct transport_ssh *t, const char *command, const char *term,
    int cols, int rows, char **cause)
{
	struct transport_ssh_pty *p;
	struct ssh_pty *pty;
	enum ssh_pty_state st;
	bool ran;

	if (command == NULL && term == NULL) {
		util_set_cause(cause, "a login shell needs a pty");
		return NULL;
	}
	pty = ssh_pty_new(command, term, cols > 0 ? cols : 80, rows > 0 ? rows : 24, cause);
	if (pty == NULL)
		return NULL;
	if (transport_ssh_queue_pty(t, pty, cause) != 0) {
		ssh_pty_unref(pty);
		return NULL;
	}
	st = ssh_pty_wait(pty, SSH_PTY_RUNNING, time_mono_ms() + t->timeout_ms);
	pthread_mutex_lock(&pty->lock);
	/* ended without an error: it ran (a command that ends at once may be
	 * done before this thread looks); its output and status are the
	 * caller's to read */
	ran = st == SSH_PTY_RUNNING || (st == SSH_PTY_DONE && pty->error == NULL);
	pthread_mutex_unlock(&pty->lock);
	if (!ran) {
		pthread_mutex_lock(&pty->lock);
		if (st == SSH_PTY_DONE)
			util_set_cause(cause, "%s", pty->error);
		else
			util_set_cause(cause, "ssh: %s: %s did not start within %d s", t->name,
			    pty->label, (t->timeout_ms + 999) / 1000);
		pthread_mutex_unlock(&pty->lock);
		/* the pump closes the channel when it gets that far */
		ssh_pty_abandon(pty);
		transport_ssh_wake(t);
		ssh_pty_unref(pty);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->t = t;
	p->pty = pty;
	return p;
}

int
transport_ssh_pty_fd(const struct transport_ssh_pty *p)
{
	return p->pty->fd;
}

int
transport_ssh_pty_stderr_fd(const struct transport_ssh_pty *p)
{
	return p->pty->err_fd;
}

void
transport_ssh_pty_resize(struct transport_ssh_pty *p, int cols, int rows)
{
	if (cols <= 0 || rows <= 0)
		return;
	ssh_pty_set_size(p->pty, cols, rows);
	transport_ssh_wake(p->t);
}

int
transport_ssh_pty_wait(struct transport_ssh_pty *p, int timeout_ms, int *status, char **cause)
{
	struct ssh_pty *pty = p->pty;
	int rc = 0;

	(void)ssh_pty_wait(pty, SSH_PTY_DONE, time_mono_ms() + timeout_ms);
	pthread_mutex_lock(&pty->lock);
	if (pty->state != SSH_PTY_DONE) {
		util_set_cause(cause, "ssh: %s: no exit status within %d s", p->t->name,
		    (timeout_ms + 999) / 1000);
		rc = -1;
	} else if (pty->error != NULL) {
		util_set_cause(cause, "%s", pty->error);
		rc = -1;
	} else {
		*status = pty->exit_status;
	}
	pthread_mutex_unlock(&pty->lock);
	return rc;
}

void
transport_ssh_pty_free(struct transport_ssh_pty *p)
{
	if (p == NULL)
		return;
	ssh_pty_abandon(p->pty);
	transport_ssh_wake(p->t);
	ssh_pty_unref(p->pty);
	free(p);
}
