/* shell_verb — see shell_verb.h. */
#include "cli/shell_verb.h"

#include <stdio.h>
#include <stdlib.h>

#include "backends/docker.h"
#include "backends/docker_parse.h"
#include "backends/transport/transport_ssh.h"
#include "core/actions/audit.h"
#include "core/actions/shell.h"
#include "core/actions/shell_command.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/fleet/fleet.h"
#include "core/fleet/route.h"

/* Starts h's SSH session (alone: nothing else of the fleet) and waits for
 * its first attempt.  0, or -1 and *cause. */
static int shell_verb_connect(const struct config *cfg, struct fleet_host *h, char **cause)
{
	struct transport_ssh_status ss;

	if (h->ssh == NULL) {
		if (h->local)
			return 0;
		util_set_cause(cause, "%s: %s", h->name, h->ssh_error != NULL ? h->ssh_error :
		               "no SSH session");
		return -1;
	}
	if (transport_ssh_start(h->ssh, cause) != 0)
		return -1;
	fleet_host_wait_ssh_first(h, time_mono_ms() + cfg->timeout_ms + 1000, NULL, &ss);
	if (!ss.connected) {
		util_set_cause(cause, "cannot reach %s over SSH: %s", h->name,
		               ss.error[0] != '\0' ? ss.error : "no session within the timeout");
		return -1;
	}
	return 0;
}

/* The container exists and runs (asked of its engine).  0, or -1 and *cause. */
static int shell_verb_container(const struct config *cfg, struct fleet_host *h,
                                const char *name, char **cause)
{
	struct docker_inspect in;
	struct docker *d;
	char *why = NULL;
	int rc = -1;

	if (!shell_container_name_ok(name)) {
		util_set_cause(cause, "'%s' is not a container's name", name);
		return -1;
	}
	if (h->cfg->docker == CONFIG_DOCKER_NONE) {
		util_set_cause(cause, "%s: docker = none: no containers to enter", h->name);
		return -1;
	}
	d = route_docker_open(h, cfg->timeout_ms, -1, NULL, &why);
	if (d != NULL && docker_container_inspect(d, name, &in, &why) == 0) {
		if (in.state == DOCKER_STATE_RUNNING)
			rc = 0;
		else
			util_set_cause(cause, "%s on %s is not running (%s)", name, h->name,
			               docker_state_name(in.state));
	} else {
		util_set_cause(cause, "%s: %s", h->name, why);
	}
	free(why);
	docker_free(d);
	return rc;
}

int shell_verb_run(const struct config *cfg, const struct cli *cli)
{
	struct fleet *fleet = fleet_new(cfg);
	struct fleet_host *h = fleet_host_named(fleet, cli->shell_host);
	struct shell_target t = {
		.host = h, .container = cli->shell_container, .argv = cli->shell_argv,
		.argc = cli->shell_argc > 0 ? (size_t)cli->shell_argc : 0,
	};
	char *cause = NULL;
	int status = 1;

	if (h == NULL)
		util_set_cause(&cause, "no host called %s in the configuration", cli->shell_host);
	else if (shell_refused(cfg, &t))
		util_set_cause(&cause, "refused: read-only");
	else if (shell_verb_connect(cfg, h, &cause) != 0 ||
	         (t.container != NULL && shell_verb_container(cfg, h, t.container, &cause) != 0))
		/* it could not begin: one "failed" line, as the actions write */
		(void)audit_once(cfg->audit_log, h->name, t.container, shell_action(&t), false,
		                 "failed", cause, NULL);
	else if (shell_run(cfg, &t, &status, &cause) == 0)
		status = status >= 0 && status <= 255 ? status : 1;
	if (cause != NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		status = 1;
	}
	free(cause);
	fleet_free(fleet);
	return status;
}
