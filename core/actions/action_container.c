/* action_container — restart, stop and start a container on a fleet's host
 * (action.h: action_container_start). */
#include "core/actions/action.h"

#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/docker_action.h"
#include "backends/docker_parse.h"
#include "core/fleet/fleet.h"
#include "core/fleet/route.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define ACTION_SSH_POLL_MS 50
#define ACTION_RELINK_MS 20000      /* how long a dead link may take to come back */
#define ACTION_RELINK_POLL_MS 500
#define ACTION_REVERIFY_MS 20000    /* a stop still under way when the link returns */

struct container_arg {
	struct fleet *fleet;
	struct fleet_host *host;
	char *container;
	char *verb;
	struct docker *d;           /* opened by check, on the action's thread */
};

bool action_container_verb(const char *verb)
{
	return verb != NULL && (strcmp(verb, "restart") == 0 || strcmp(verb, "stop") == 0 ||
	                        strcmp(verb, "start") == 0);
}

/* Waits (up to the timeout) until the host's SSH session connected or
 * failed.  0, or -1 with *cause. */
static int container_wait_ssh(struct action_ctx *ctx, struct fleet_host *h, char **cause)
{
	const struct config *cfg = action_config(ctx);
	int64_t deadline = time_mono_ms() + cfg->timeout_ms + 1000;
	struct fleet_reach r;

	if (h->ssh == NULL) {
		util_set_cause(cause, "%s: %s", h->name, h->ssh_error != NULL ? h->ssh_error :
		               "no SSH session");
		return -1;
	}
	for (;;) {
		fleet_host_reach(h, &r);
		if (r.known && r.connected)
			return 0;
		/* a known failure that is not the first attempt's: fail at once */
		if (r.known && !r.connected) {
			util_set_cause(cause, "cannot reach %s over SSH: %s", h->name,
			               r.error[0] != '\0' ? r.error : "not connected");
			return -1;
		}
		if (action_cancelled(ctx)) {
			util_set_cause(cause, "cancelled");
			return -1;
		}
		if (time_mono_ms() >= deadline) {
			util_set_cause(cause, "cannot reach %s over SSH: no session within %d s", h->name,
			               (cfg->timeout_ms + 1000) / 1000);
			return -1;
		}
		time_sleep_ms(ACTION_SSH_POLL_MS);
	}
}

static int container_check(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct container_arg *arg = argp;
	const struct config *cfg = action_config(ctx);
	struct fleet_host *h = arg->host;
	struct docker_inspect in;
	char *why = NULL, up[32];

	action_progress(ctx, "connecting to %s", h->name);
	if (h->cfg->docker == CONFIG_DOCKER_SSH && container_wait_ssh(ctx, h, cause) != 0)
		return -1;
	arg->d = route_docker_open(h, cfg->timeout_ms, -1, action_cancel_flag(ctx), &why);
	if (arg->d == NULL) {
		util_set_cause(cause, "%s: %s", h->name, why);
		free(why);
		return -1;
	}
	action_progress(ctx, "inspecting %s on %s", arg->container, h->name);
	if (docker_container_inspect(arg->d, arg->container, &in, &why) != 0) {
		util_set_cause(cause, "%s: %s", h->name, why);
		free(why);
		return -1;
	}
	if (in.state == DOCKER_STATE_RUNNING && in.started_at_ms > 0) {
		time_format_duration(up, sizeof up, (time_real_ms() - in.started_at_ms) / 1000);
		*summary = xasprintf("%s is running (up %s)", arg->container, up);
	} else {
		*summary = xasprintf("%s is %s", arg->container, docker_state_name(in.state));
	}
	return 0;
}

struct container_progress {
	struct action_ctx *ctx;
	const char *host;
};

static void container_on_progress(const char *text, void *argp)
{
	struct container_progress *p = argp;

	action_progress(p->ctx, "%s: %s", p->host, text);
}

static enum action_stage container_stage(enum docker_act_step step)
{
	switch (step) {
	case DOCKER_ACT_BEFORE: return ACTION_STAGE_BEFORE;
	case DOCKER_ACT_SENT: return ACTION_STAGE_SENT;
	case DOCKER_ACT_VERIFYING: return ACTION_STAGE_VERIFYING;
	}
	return ACTION_STAGE_SENT;
}

/* After the link died with the request out: waits for the host's SSH
 * session and engine to come back (bounded) and verifies against before,
 * allowing settle_ms for a stop still under way.  0 with *summary (it
 * happened), -1 with *cause (the engine's state says it did not),
 * ACTION_UNKNOWN_RUN (the state could not be seen in time). */
static int container_reverify(struct action_ctx *ctx, struct fleet_host *h, struct docker **d,
                              const char *container, const char *verb,
                              const struct docker_inspect *before, int settle_ms,
                              char **summary, char **cause)
{
	const struct config *cfg = action_config(ctx);
	struct container_progress p = { ctx, h->name };
	int wait_ms = cfg->timeout_ms > ACTION_RELINK_MS ? cfg->timeout_ms : ACTION_RELINK_MS;
	int64_t deadline = time_mono_ms() + wait_ms;
	struct docker_inspect now;
	struct fleet_reach r;
	char *why = NULL;
	bool answered;

	while (!action_cancelled(ctx) && time_mono_ms() < deadline) {
		action_progress(ctx, "the link to %s died after the %s was sent; reconnecting to "
		                "verify (%lld s left)", h->name, verb,
		                (long long)((deadline - time_mono_ms()) / 1000));
		if (h->cfg->docker == CONFIG_DOCKER_SSH) {
			fleet_host_reach(h, &r);
			if (!r.connected) {
				time_sleep_ms(ACTION_RELINK_POLL_MS);
				continue;
			}
		}
		/* a fresh client: the old one's connection went with the link */
		docker_free(*d);
		*d = route_docker_open(h, cfg->timeout_ms, -1, action_cancel_flag(ctx), &why);
		if (*d == NULL || docker_container_inspect(*d, container, &now, &why) != 0) {
			free(why);
			why = NULL;
			time_sleep_ms(ACTION_RELINK_POLL_MS);
			continue;
		}
		if (docker_container_verify(*d, container, verb, before, settle_ms,
		                            container_on_progress, &p, &answered, summary, &why) == 0)
			return 0;
		if (answered) {
			util_set_cause(cause, "%s: %s", h->name, why);
			free(why);
			return -1;
		}
		free(why);   /* the link died again: try again while there is time */
		why = NULL;
	}
	return ACTION_UNKNOWN_RUN;
}

int action_docker_act(struct action_ctx *ctx, struct fleet_host *h, struct docker **d,
                      const char *container, const char *verb, int stop_timeout_s,
                      char **summary, char **cause)
{
	struct container_progress p = { ctx, h->name };
	struct docker_act_trace t;
	char *s = NULL, *why = NULL;
	int rc, settle_ms = ACTION_REVERIFY_MS;

	if (docker_container_act_traced(*d, container, verb, stop_timeout_s, 0,
	                                container_on_progress, &p, &t, summary, &why) == 0)
		return 0;
	if (action_classify_error(container_stage(t.step), t.answered, action_cancelled(ctx)) ==
	    ACTION_FAILED) {
		util_set_cause(cause, "%s: %s", h->name, why);
		free(why);
		return -1;
	}
	/* The request may have reached the engine: "failed" could be a lie.
	 * Look at the engine's state once the link is back; a stop may take
	 * its whole timeout there. */
	if (stop_timeout_s >= 0 && stop_timeout_s * 1000 + 10000 > settle_ms)
		settle_ms = stop_timeout_s * 1000 + 10000;
	rc = container_reverify(ctx, h, d, container, verb, &t.before, settle_ms, &s, cause);
	if (rc == 0) {
		*summary = xasprintf("%s (verified after the link came back)", s);
		free(s);
	} else if (rc == ACTION_UNKNOWN_RUN) {
		util_set_cause(cause, "the link to %s died after the %s was sent; check with "
		               "`kitetop status` or docker inspect %s (%s)", h->name, verb, container,
		               why);
	}
	free(why);
	return rc;
}

static int container_run(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct container_arg *arg = argp;
	char *s = NULL;
	int rc;

	rc = action_docker_act(ctx, arg->host, &arg->d, arg->container, arg->verb, -1, &s, cause);
	if (rc == 0) {
		*summary = xasprintf("%s: %s", arg->host->name, s);
		free(s);
	}
	return rc;
}

static void container_free(void *argp)
{
	struct container_arg *arg = argp;

	docker_free(arg->d);
	free(arg->container);
	free(arg->verb);
	free(arg);
}

static const struct action_ops container_ops = {
	.check = container_check,
	.run = container_run,
	.free_arg = container_free,
};

struct action *action_container_start(struct fleet *fleet, struct fleet_host *host,
                                      const char *container, const char *verb, bool dry_run,
                                      struct wake *wake)
{
	struct container_arg *arg = xcalloc(1, sizeof *arg);
	struct action_spec spec = {
		.action = verb, .host = host->name, .target = container, .dry_run = dry_run,
		.ops = &container_ops, .arg = arg,
	};

	arg->fleet = fleet;
	arg->host = host;
	arg->container = xstrdup(container);
	arg->verb = xstrdup(verb);
	return action_start(fleet->cfg, &spec, wake);
}
