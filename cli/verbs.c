/* verbs — see verbs.h. */
#include "cli/verbs.h"
#include "cli/verbs_internal.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "core/actions/action.h"
#include "core/feeds/feeds.h"
#include "core/fleet/fleet.h"
#include "core/base/timeutil.h"
#include "core/actions/traffic.h"
#include "core/base/util.h"
#include "core/base/wake.h"
#include "cli/verbs_kube.h"

#define VERBS_POLL_MS 200

static volatile sig_atomic_t verbs_signal;
static struct wake *verbs_wake;   /* for the signal handler */

static void verbs_on_signal(int sig)
{
	verbs_signal = sig;
	wake_signal(verbs_wake);
}

/* One action verb.  host is args[0], already resolved. */
struct verbs_entry {
	const char *name;           /* as in cli.c's table */
	bool all_hosts;             /* needs every host's SSH session (interlocks), not only host's */
	/* "Restart grafana on monk?"; caller frees */
	char *(*question)(const struct cli *cli);
	/* the running action, or NULL and *cause (e.g. an unknown second host) */
	struct action *(*start)(struct fleet *fleet, struct fleet_host *host, const struct cli *cli,
	                        struct wake *wake, char **cause);
};

static char *verbs_container_question(const struct cli *cli)
{
	return action_question(cli->action->name, cli->args[1], cli->args[0]);
}

static struct action *verbs_container_start(struct fleet *fleet, struct fleet_host *host,
                                            const struct cli *cli, struct wake *wake, char **cause)
{
	return action_container_start(fleet, host, cli->args[1], cli->action->name, cli->dry_run, wake);
}

static char *verbs_traffic_question(const struct cli *cli)
{
	if (strcmp(cli->action->name, "flip") == 0)
		return xasprintf("Flip traffic from %s to %s?", cli->args[0], cli->args[1]);
	if (strcmp(cli->action->name, "undrain") == 0)
		return xasprintf("Undrain %s? Its connector takes traffic again.", cli->args[0]);
	return xasprintf("Drain %s? All its traffic goes to the other host(s).", cli->args[0]);
}

static struct action *verbs_traffic_start(struct fleet *fleet, struct fleet_host *host,
                                          const struct cli *cli, struct wake *wake, char **cause)
{
	enum traffic_verb v = TRAFFIC_DRAIN;

	traffic_verb_parse(cli->action->name, &v);
	return traffic_start(fleet, v, host->name, v == TRAFFIC_FLIP ? cli->args[1] : NULL, cli->force,
	                     cli->dry_run, wake, cause);
}

static const struct verbs_entry verbs[] = {
	{ "restart", false, verbs_container_question, verbs_container_start },
	{ "stop", false, verbs_container_question, verbs_container_start },
	{ "start", false, verbs_container_question, verbs_container_start },
	{ "drain", true, verbs_traffic_question, verbs_traffic_start },
	{ "undrain", true, verbs_traffic_question, verbs_traffic_start },
	{ "flip", true, verbs_traffic_question, verbs_traffic_start },
};

bool verbs_is_yes(const char *line)
{
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		n--;
	return (n == 1 && (line[0] == 'y' || line[0] == 'Y')) ||
	       (n == 3 && strncasecmp(line, "yes", 3) == 0);
}

static void verbs_no_host(const struct fleet *fleet, const char *name)
{
	fprintf(stderr, "kitetop: no host '%s' in the configuration (hosts:", name);
	for (size_t i = 0; i < fleet->nhosts; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", fleet->hosts[i].name);
	fprintf(stderr, ")\n");
}

int verbs_confirm(const char *question)
{
	char line[64];

	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "kitetop: refused: \"%s\" needs a yes, and there is no terminal to ask on "
		        "(give --yes)\n", question);
		return -1;
	}
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL || !verbs_is_yes(line)) {
		fprintf(stderr, "kitetop: cancelled, nothing done\n");
		return -1;
	}
	return 0;
}

/* Starts the SSH sessions the verb needs.  0 or -1 (printed). */
static int verbs_connect(struct fleet *fleet, struct fleet_host *host, bool all)
{
	for (size_t i = 0; i < fleet->nhosts; i++) {
		struct fleet_host *h = &fleet->hosts[i];
		char *cause = NULL;

		if (h->ssh == NULL || (!all && h != host))
			continue;
		if (transport_ssh_start(h->ssh, &cause) != 0) {
			fprintf(stderr, "kitetop: failed: %s: %s\n", h->name, cause);
			free(cause);
			return -1;
		}
	}
	return 0;
}

bool verbs_follow(struct action *a, struct wake *wake)
{
	bool show = isatty(STDERR_FILENO);
	char last[256] = "";
	struct action_status st;
	struct pollfd pfd = { .fd = wake != NULL ? wake_fd(wake) : -1, .events = POLLIN };

	for (;;) {
		action_status(a, &st);
		if (show && st.progress[0] != '\0' && strcmp(st.progress, last) != 0) {
			fprintf(stderr, "kitetop: %s ...\n", st.progress);
			util_strlcpy(last, st.progress, sizeof last);
		}
		if (st.result != ACTION_RUNNING)
			return true;
		if (verbs_signal != 0)
			return false;
		if (poll(&pfd, 1, VERBS_POLL_MS) == -1 && errno != EINTR)
			time_sleep_ms(VERBS_POLL_MS);
		if (wake != NULL)
			wake_drain(wake);
	}
}

int verbs_signal_number(void)
{
	return (int)verbs_signal;
}

void verbs_signals_done(void)
{
	verbs_wake = NULL;
}

void verbs_signals(struct wake *wake)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	verbs_wake = wake;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = verbs_on_signal;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int verbs_run(const struct config *cfg, const struct cli *cli)
{
	const struct verbs_entry *e = NULL;
	struct feeds *feeds;
	struct fleet_host *host;
	struct wake *wake;
	struct action *a;
	struct action_status st;
	char *question, *cause = NULL;
	int rc = 1;

	if (cli->action->cluster)
		return verbs_kube_run(cfg, cli);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(verbs); i++)
		if (strcmp(verbs[i].name, cli->action->name) == 0)
			e = &verbs[i];
	if (e == NULL) {
		fprintf(stderr, "kitetop: %s is not available in this build\n", cli->action->name);
		return 2;
	}
	feeds = feeds_new(cfg, NULL);
	host = fleet_host_named(feeds->fleet, cli->args[0]);
	if (host == NULL) {
		verbs_no_host(feeds->fleet, cli->args[0]);
		feeds_free(feeds);
		return 1;
	}
	question = e->question(cli);
	if (!cfg->read_only && !cli->dry_run && !cli->yes && verbs_confirm(question) != 0) {
		free(question);
		feeds_free(feeds);
		return 1;
	}
	free(question);
	wake = wake_new(NULL);   /* NULL: polled without it */
	verbs_signals(wake);
	if (!cfg->read_only && verbs_connect(feeds->fleet, host, e->all_hosts) != 0) {
		verbs_wake = NULL;
		wake_free(wake);
		feeds_free(feeds);
		return 1;
	}
	a = e->start(feeds->fleet, host, cli, wake, &cause);
	if (a == NULL) {
		fprintf(stderr, "kitetop: failed: %s\n", cause);
		free(cause);
	} else if (!verbs_follow(a, wake)) {
		/* action_free cancels: the audit log gets "failed: cancelled" */
		fprintf(stderr, "kitetop: interrupted: %s %s cancelled (the engine may still finish "
		        "it)\n", cli->action->name, cli->args[cli->nargs - 1]);
		action_free(a);
		rc = 128 + verbs_signal;
	} else {
		action_status(a, &st);
		if (st.result == ACTION_OK) {
			printf("%s\n", st.message);
			rc = fflush(stdout) == 0 ? 0 : 1;
		} else {
			fprintf(stderr, "kitetop: %s: %s\n", action_result_name(st.result), st.message);
			/* its own status: a script must not retry (or give up on)
			 * a restart that may well have happened */
			if (st.result == ACTION_UNKNOWN)
				rc = 3;
		}
		action_free(a);
	}
	verbs_wake = NULL;
	wake_free(wake);
	feeds_free(feeds);
	return rc;
}
