/* docker_action — a container action and its verification (docker.h:
 * docker_container_act).  Only the public calls of docker.h: the action
 * itself (docker_container_action) and inspects before and after. */
#include "backends/docker_action.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker_parse.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define DOCKER_ACT_VERIFY_MS 10000
#define DOCKER_ACT_POLL_MS 250
#define DOCKER_ACT_SETTLE_MS 1000   /* a (re)started container must still run this much later */

static void act_progress(docker_progress_cb cb, void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void act_progress(docker_progress_cb cb, void *arg, const char *fmt, ...)
{
	va_list ap;
	char text[256];

	if (cb == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	cb(text, arg);
}

static bool act_running(enum docker_state s)
{
	return s == DOCKER_STATE_RUNNING || s == DOCKER_STATE_RESTARTING || s == DOCKER_STATE_PAUSED;
}

static bool act_stopped(enum docker_state s)
{
	return s == DOCKER_STATE_EXITED || s == DOCKER_STATE_CREATED || s == DOCKER_STATE_DEAD;
}

/* " since 12:00:03 UTC" for a start time, "" when unknown. */
static void act_since(char *out, size_t n, int64_t started_at_ms)
{
	char iso[40];

	if (started_at_ms <= 0) {
		out[0] = '\0';
		return;
	}
	time_format_iso8601(iso, sizeof iso, started_at_ms);
	/* "2026-11-23T12:00:03Z" -> "12:00:03" */
	if (strlen(iso) >= 19)
		snprintf(out, n, " since %.8s UTC", iso + 11);
	else
		snprintf(out, n, " since %s", iso);
}

/* The state after the action: 1 verified, 0 not yet, -1 failed for good
 * (*cause set). */
static int act_verified(const char *shown, const char *action, const struct docker_inspect *before,
                        const struct docker_inspect *now, char **cause)
{
	bool new_start = now->started_at_ms != 0 && now->started_at_ms != before->started_at_ms;

	if (strcmp(action, "stop") == 0)
		return act_stopped(now->state) ? 1 : 0;
	if (strcmp(action, "restart") == 0 && !new_start)
		return 0;
	if (strcmp(action, "start") == 0 && !new_start && act_running(before->state))
		return now->state == DOCKER_STATE_RUNNING ? 1 : 0;   /* was running already */
	if (now->state == DOCKER_STATE_RUNNING)
		return 1;
	if (new_start && (act_stopped(now->state) || now->state == DOCKER_STATE_RESTARTING)) {
		util_set_cause(cause, "%s %s but %s at once (exit code %d)", shown,
		               strcmp(action, "start") == 0 ? "started" : "restarted",
		               now->state == DOCKER_STATE_RESTARTING ? "is restarting" : "exited",
		               now->exit_code);
		return -1;
	}
	return 0;
}

int docker_container_act(struct docker *d, const char *name, const char *action,
                         int stop_timeout_s, int verify_ms, docker_progress_cb progress,
                         void *arg, char **summary, char **cause)
{
	struct docker_act_trace t;

	return docker_container_act_traced(d, name, action, stop_timeout_s, verify_ms, progress, arg,
	                                   &t, summary, cause);
}

int docker_container_act_traced(struct docker *d, const char *name, const char *action,
                                int stop_timeout_s, int verify_ms, docker_progress_cb progress,
                                void *arg, struct docker_act_trace *t, char **summary,
                                char **cause)
{
	char *shown;
	const char *ing;
	int rc = -1;

	memset(t, 0, sizeof *t);
	t->step = DOCKER_ACT_BEFORE;
	if (action == NULL || (strcmp(action, "start") != 0 && strcmp(action, "stop") != 0 &&
	                       strcmp(action, "restart") != 0)) {
		util_set_cause(cause, "docker: unknown action %s", action ? action : "(none)");
		return -1;
	}
	if (name == NULL || name[0] == '\0') {
		util_set_cause(cause, "docker: no container named");
		return -1;
	}
	ing = strcmp(action, "start") == 0 ? "starting" : strcmp(action, "stop") == 0 ? "stopping" :
	      "restarting";
	shown = util_text_sanitize(name, DOCKER_MAX_TEXT);
	act_progress(progress, arg, "inspecting %s", shown);
	if (docker_container_inspect(d, name, &t->before, cause) != 0)
		goto out;
	if (stop_timeout_s >= 0 && strcmp(action, "start") != 0)
		act_progress(progress, arg, "%s %s (it has %d s to stop)", ing, shown, stop_timeout_s);
	else
		act_progress(progress, arg, "%s %s", ing, shown);
	/* From here on the request may have reached the engine: an error
	 * without an answer (a reset, a refused reconnect of the forward) cannot
	 * tell whether it did, so the caller looks at the state afterwards. */
	t->step = DOCKER_ACT_SENT;
	if (docker_container_action_answered(d, name, action, stop_timeout_s, &t->answered,
	                                     cause) != 0)
		goto out;
	t->step = DOCKER_ACT_VERIFYING;
	rc = docker_container_verify(d, name, action, &t->before, verify_ms, progress, arg,
	                             &t->answered, summary, cause);
out:
	free(shown);
	return rc;
}

int docker_container_verify(struct docker *d, const char *name, const char *action,
                            const struct docker_inspect *before, int verify_ms,
                            docker_progress_cb progress, void *arg, bool *answered,
                            char **summary, char **cause)
{
	struct docker_inspect now;
	char *shown, since[48];
	int64_t deadline, settle_at = 0;   /* mono ms: when a first "running" is confirmed */
	int64_t seen_start = 0;
	int rc = -1, v = 0;

	*answered = false;
	shown = util_text_sanitize(name, DOCKER_MAX_TEXT);
	act_progress(progress, arg, "verifying that %s %s", shown,
	             strcmp(action, "stop") == 0 ? "stopped" : strcmp(action, "start") == 0 ?
	             "runs" : "started again");
	deadline = time_mono_ms() + (verify_ms > 0 ? verify_ms : DOCKER_ACT_VERIFY_MS);
	for (;;) {
		/* an inspect that fails here leaves *answered false: the state
		 * was not seen, which says nothing about the action */
		if (docker_container_inspect(d, name, &now, cause) != 0)
			goto out;
		v = act_verified(shown, action, before, &now, cause);
		/* running once is not enough after a (re)start: a process that
		 * dies at once is still "running" for a moment.  Look again a
		 * second later: the same start, still running. */
		if (v == 1 && strcmp(action, "stop") != 0 && now.started_at_ms != before->started_at_ms) {
			if (settle_at == 0 || now.started_at_ms != seen_start) {
				settle_at = time_mono_ms() + DOCKER_ACT_SETTLE_MS;
				seen_start = now.started_at_ms;
				v = 0;
				act_progress(progress, arg, "%s runs; checking it stays up", shown);
			} else if (time_mono_ms() < settle_at) {
				v = 0;
			}
		} else if (v == 0 && settle_at != 0 && now.started_at_ms != seen_start &&
		           now.started_at_ms != 0) {
			util_set_cause(cause, "%s %s but is restarting again (exit code %d)", shown,
			               strcmp(action, "start") == 0 ? "started" : "restarted",
			               now.exit_code);
			v = -1;
		}
		if (v != 0 || time_mono_ms() >= deadline + (settle_at != 0 ? DOCKER_ACT_SETTLE_MS : 0))
			break;
		time_sleep_ms(DOCKER_ACT_POLL_MS);
	}
	*answered = true;   /* what follows is the engine's own word */
	if (v == -1)
		goto out;
	if (v == 0) {
		if (strcmp(action, "stop") == 0)
			util_set_cause(cause, "%s still %s after the stop", shown,
			               docker_state_name(now.state));
		else if (strcmp(action, "restart") == 0 && now.started_at_ms == before->started_at_ms)
			util_set_cause(cause, "%s did not restart: its start time did not change", shown);
		else
			util_set_cause(cause, "%s is %s, not running, after the %s", shown,
			               docker_state_name(now.state), action);
		goto out;
	}
	act_since(since, sizeof since, now.started_at_ms);
	if (strcmp(action, "stop") == 0) {
		if (act_stopped(before->state))
			*summary = xasprintf("%s was already stopped (%s)", shown,
			                     docker_state_name(now.state));
		else
			*summary = xasprintf("%s stopped (exit code %d)", shown, now.exit_code);
	} else if (strcmp(action, "start") == 0 && act_running(before->state) &&
	           now.started_at_ms == before->started_at_ms) {
		*summary = xasprintf("%s was already running%s", shown, since);
	} else {
		*summary = xasprintf("%s %s, running%s", shown,
		                     strcmp(action, "start") == 0 ? "started" : "restarted", since);
	}
	rc = 0;
out:
	free(shown);
	return rc;
}
