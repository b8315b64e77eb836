/* action — see action.h. */
#include "core/actions/action.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actions/audit.h"
#include "core/base/timeutil.h"
#include "core/base/cancel.h"
#include "core/base/util.h"

struct action_ctx {
	struct action *a;
};

struct action {
	const struct config *cfg;
	char *verb, *host, *target;
	bool forced, dry_run;
	const struct action_ops *ops;
	void *arg;
	struct wake *wake;
	atomic_int cancel;
	struct action_ctx ctx;
	pthread_t thread;
	bool started;               /* the thread runs (or ran) */
	bool joined;
	int64_t start_mono;

	pthread_mutex_t lock;       /* guards what follows */
	pthread_cond_t cond;
	enum action_result result;
	char progress[256];
	char message[1024];
	int64_t duration_ms;
};

const char *action_result_name(enum action_result r)
{
	switch (r) {
	case ACTION_RUNNING: return "running";
	case ACTION_OK: return "ok";
	case ACTION_FAILED: return "failed";
	case ACTION_REFUSED: return "refused";
	case ACTION_UNKNOWN: return "unknown";
	}
	return "unknown";
}

enum action_result action_classify_error(enum action_stage stage, bool answered, bool cancelled)
{
	if (cancelled || stage == ACTION_STAGE_BEFORE || answered)
		return ACTION_FAILED;
	return ACTION_UNKNOWN;
}

char *action_question(const char *verb, const char *target, const char *host)
{
	char *q;

	if (target != NULL)
		q = xasprintf("%s %s on %s?", verb, target, host);
	else
		q = xasprintf("%s %s?", verb, host);
	q[0] = (char)toupper((unsigned char)q[0]);
	return q;
}

static void action_finish(struct action *a, enum action_result r, const char *message)
{
	pthread_mutex_lock(&a->lock);
	a->result = r;
	util_strlcpy(a->message, message != NULL ? message : "", sizeof a->message);
	a->duration_ms = time_mono_ms() - a->start_mono;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	wake_signal(a->wake);
}

void action_progress(struct action_ctx *ctx, const char *fmt, ...)
{
	struct action *a = ctx->a;
	va_list ap;

	pthread_mutex_lock(&a->lock);
	va_start(ap, fmt);
	vsnprintf(a->progress, sizeof a->progress, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&a->lock);
	wake_signal(a->wake);
}

const atomic_int *action_cancel_flag(struct action_ctx *ctx)
{
	return &ctx->a->cancel;
}

bool action_cancelled(struct action_ctx *ctx)
{
	return atomic_load(&ctx->a->cancel) != 0;
}

const struct config *action_config(struct action_ctx *ctx)
{
	return ctx->a->cfg;
}

static void *action_main(void *arg)
{
	struct action *a = arg;
	struct audit_record rec;
	enum action_result result;
	char *summary = NULL, *cause = NULL, *acause = NULL, *msg;
	int rc = 0;

	if (a->ops->check != NULL)
		rc = a->ops->check(&a->ctx, a->arg, &summary, &cause);
	if (rc != 0 && rc != ACTION_NOTHING_CHECK) {
		bool refused = rc == ACTION_REFUSED_CHECK;
		const char *why = cause != NULL ? cause : "the check failed";

		if (!a->dry_run &&
		    audit_once(a->cfg->audit_log, a->host, a->target, a->verb, a->forced,
		               refused ? "refused" : "failed", why, &acause) != 0)
			msg = xasprintf("%s (and %s)", why, acause);
		else
			msg = xstrdup(why);
		action_finish(a, refused ? ACTION_REFUSED : ACTION_FAILED, msg);
		goto out;
	}
	if (a->dry_run) {
		if (rc == ACTION_NOTHING_CHECK)
			msg = xasprintf("dry run: nothing to do: %s", summary != NULL ? summary : "");
		else if (a->target != NULL)
			msg = xasprintf("dry run: would %s %s on %s%s%s", a->verb, a->target, a->host,
			                summary != NULL ? "; " : "", summary != NULL ? summary : "");
		else
			msg = xasprintf("dry run: would %s %s%s%s", a->verb, a->host,
			                summary != NULL ? "; " : "", summary != NULL ? summary : "");
		action_finish(a, ACTION_OK, msg);
		goto out;
	}
	free(summary);
	summary = NULL;
	if (audit_begin(&rec, a->cfg->audit_log, a->host, a->target, a->verb, a->forced, &acause) != 0) {
		audit_record_done(&rec);
		msg = xstrdup(acause);
		action_finish(a, ACTION_REFUSED, msg);
		goto out;
	}
	rc = a->ops->run(&a->ctx, a->arg, &summary, &cause);
	if (rc != 0 && cause == NULL)
		cause = xstrdup("failed");
	result = rc == 0 ? ACTION_OK : rc == ACTION_UNKNOWN_RUN ? ACTION_UNKNOWN : ACTION_FAILED;
	if (audit_end_as(&rec, action_result_name(result), rc == 0 ? NULL : cause, &acause) != 0)
		msg = xasprintf("%s (but %s)", rc == 0 ? (summary ? summary : "done") : cause, acause);
	else
		msg = xstrdup(rc == 0 ? (summary ? summary : "done") : cause);
	action_finish(a, result, msg);
out:
	free(msg);
	free(summary);
	free(cause);
	free(acause);
	return NULL;
}

struct action *action_start(const struct config *cfg, const struct action_spec *spec,
                            struct wake *wake)
{
	struct action *a = xcalloc(1, sizeof *a);
	int rc;

	a->cfg = cfg;
	a->verb = xstrdup(spec->action);
	a->host = xstrdup(spec->host);
	a->target = xstrdup(spec->target);
	a->forced = spec->forced;
	a->dry_run = spec->dry_run;
	a->ops = spec->ops;
	a->arg = spec->arg;
	a->wake = wake;
	a->ctx.a = a;
	a->result = ACTION_RUNNING;
	a->start_mono = time_mono_ms();
	atomic_init(&a->cancel, 0);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (cfg->read_only) {
		/* best effort: the action is refused whether or not the line is written */
		if (!a->dry_run)
			audit_refused(cfg->audit_log, a->host, a->target, a->verb, a->forced, "read-only", NULL);
		action_finish(a, ACTION_REFUSED, "read-only");
		return a;
	}
	rc = pthread_create(&a->thread, NULL, action_main, a);
	if (rc != 0) {
		action_finish(a, ACTION_FAILED, "cannot start the action's thread");
		return a;
	}
	a->started = true;
	return a;
}

void action_status(struct action *a, struct action_status *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&a->lock);
	out->result = a->result;
	out->dry_run = a->dry_run;
	util_strlcpy(out->action, a->verb != NULL ? a->verb : "", sizeof out->action);
	util_strlcpy(out->progress, a->progress, sizeof out->progress);
	util_strlcpy(out->message, a->message, sizeof out->message);
	out->duration_ms = a->result == ACTION_RUNNING ? time_mono_ms() - a->start_mono : a->duration_ms;
	pthread_mutex_unlock(&a->lock);
}

bool action_finished(struct action *a)
{
	bool done;

	pthread_mutex_lock(&a->lock);
	done = a->result != ACTION_RUNNING;
	pthread_mutex_unlock(&a->lock);
	return done;
}

void action_wait(struct action *a)
{
	pthread_mutex_lock(&a->lock);
	while (a->result == ACTION_RUNNING)
		pthread_cond_wait(&a->cond, &a->lock);
	pthread_mutex_unlock(&a->lock);
}

void action_cancel(struct action *a)
{
	if (a != NULL)
		cancel_raise(&a->cancel);
}

void action_free(struct action *a)
{
	if (a == NULL)
		return;
	cancel_raise(&a->cancel);   /* wakes its waits at once */
	if (a->started && !a->joined) {
		pthread_join(a->thread, NULL);
		a->joined = true;
	}
	if (a->ops != NULL && a->ops->free_arg != NULL)
		a->ops->free_arg(a->arg);
	free(a->verb);
	free(a->host);
	free(a->target);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}
