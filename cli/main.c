/* kitetop — entry point: the command line, then the TUI or a verb. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "backends/docker.h"
#include "backends/http.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/fleet/fleet.h"
#include "core/fleet/route.h"
#include "core/history/errlog.h"
#include "core/model/frame.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "tui/app.h"
#include "cli/cli.h"
#include "cli/events_verb.h"
#include "cli/init_verb.h"
#include "cli/logs_verb.h"
#include "cli/record_verb.h"
#include "cli/shell_verb.h"
#include "cli/status_check.h"
#include "cli/status_json.h"
#include "cli/status_text.h"
#include "cli/verbs.h"

int main(int argc, char **argv);

static const char help_text[] =
	CLI_USAGE
	"\n"
	"A terminal dashboard for labs that run the same services on several Docker\n"
	"hosts: each host side by side, its metrics, containers, tunnel and the shared\n"
	"database, with safe restarts and traffic flips.\n"
	"\n"
	"  -c, --config FILE    configuration (else $KITETOP_CONFIG, else\n"
	"                       $XDG_CONFIG_HOME/kitetop/kitetop.conf; none: this machine)\n"
	"      --theme NAME     colour theme: default, light, cyberpunk, mono,\n"
	"                       high-contrast, or a path to a .theme file\n"
	"      --read-only      refuse every action\n"
	"      --refresh SECS   seconds between polls of each source (default 2)\n"
	"      --log FILE       each source's errors, with times, one line per change\n"
	"                       (log = yes: $XDG_STATE_HOME/kitetop/kitetop.log)\n"
	"  -V, --version        print the version\n"
	"  -h, --help           this help\n"
	"\n"
	"  init [HOST...]       probe the hosts (else ~/.ssh/config's) over SSH and write\n"
	"                       a commented configuration where kitetop reads it (never\n"
	"                       over one); --stdout: print it instead\n"
	"  status [--json]      one snapshot of everything, then exit; --exit-code:\n"
	"                       exit 1 on warn, 2 on crit, 3 unknown\n"
	"  check                like status, as a Nagios plugin (perfdata too), exit\n"
	"                       0 ok, 1 warn, 2 crit, 3 unknown\n"
	"  logs HOST CONTAINER  a container's logs (stderr lines to stderr);\n"
	"                       --tail N: the last N lines (default: all),\n"
	"                       --follow, -f: then new lines until interrupted,\n"
	"                       --since 10m|1h|all: only lines that recent\n"
	"  logs SERVICE --all-hosts\n"
	"                       the service's logs from every host, merged by time,\n"
	"                       a host column first; --since (default 10m), --follow\n"
	"  events               the changes kitetop recorded and the actions taken,\n"
	"                       oldest first; --since 1h|2d|2026-12-06T03:00 (local\n"
	"                       time; Z: UTC), --host HOST, --json\n"
	"  replay FILE          a recording drawn again in the dashboard: space plays\n"
	"                       and pauses, , . step, [ ] speed, g G first and last\n"
	"  restart|stop|start HOST CONTAINER\n"
	"                       act on a container (asks on a terminal; audited)\n"
	"      -y, --yes        do not ask\n"
	"      --dry-run        say what would be done, do nothing\n"
	"  exec HOST CONTAINER [CMD...]\n"
	"                       a shell in the container (bash, else sh), or CMD (every\n"
	"                       word after CONTAINER); with a pty when stdin is a\n"
	"                       terminal; exits with its status (audited)\n"
	"  shell HOST           a login shell on the host, through kitetop's own SSH\n"
	"                       session (audited)\n"
	"  record FILE          poll as the dashboard does and write each new frame\n"
	"                       to FILE (gzip), until interrupted; --for DURATION\n"
	"                       (90s, 10m, 2h): stop after that long\n"
	"\n"
	"In the dashboard, ? lists the keys.  See kitetop(1).\n";

/* check: the reason of an UNKNOWN goes to stdout, where Nagios reads it. */
static struct config *main_config(const struct cli *cli, bool check)
{
	char *path = config_find(cli->config), *cause = NULL;
	struct config *cfg;

	if (path == NULL)
		cfg = config_default();
	else
		cfg = config_load(path, &cause);
	free(path);
	if (cfg == NULL) {
		if (check)
			printf("KITETOP UNKNOWN - %s\n", cause);
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return NULL;
	}
	if (cli->log != NULL)
		cfg->log_path = config_expand_path(cli->log);
	else if (cfg->log)
		cfg->log_path = errlog_default_path();
	if (cli->refresh_ms > 0)
		cfg->refresh_ms = cli->refresh_ms;
	if (cli->read_only)
		cfg->read_only = true;
	return cfg;
}

/* The error log of one frame (status, check: what failed, when the
 * snapshot was taken); a log that cannot be written is said on stderr. */
static void main_errlog(const struct config *cfg, const struct frame *f)
{
	struct errlog *l;
	char *cause = NULL;

	if (cfg->log_path == NULL)
		return;
	l = errlog_open(cfg->log_path, 0, &cause);
	if (l != NULL) {
		errlog_frame(l, f);
		if (errlog_error(l) != NULL)
			cause = xstrdup(errlog_error(l));
		errlog_free(l);
	}
	if (cause != NULL)
		fprintf(stderr, "kitetop: %s\n", cause);
	free(cause);
}

/* status, status --json, check: one poll of every source (bounded by its
 * timeout), then one frame of it rendered. */
static int main_status(struct config *cfg, bool json, bool check, bool exit_code, bool all)
{
	struct feeds *feeds = feeds_new(cfg, NULL);
	char *cause = NULL, *text;
	struct frame f;
	struct buf out;
	int rc = 0;

	if (feeds_start(feeds, &cause) == -1) {
		if (check)
			printf("KITETOP UNKNOWN - %s\n", cause);
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		feeds_free(feeds);
		return check ? 3 : 1;
	}
	feeds_wait_all(feeds, time_mono_ms() + cfg->timeout_ms + 1000);
	frame_take(&f, feeds);
	main_errlog(cfg, &f);
	buf_init(&out);
	if (check) {
		rc = (int)status_check_line(&f, &out);
		fputs(buf_cstr(&out), stdout);
	} else {
		if (json) {
			text = status_json_all(&f, all);
			fputs(text, stdout);
			free(text);
		} else {
			status_text(&f, &out);
			fputs(buf_cstr(&out), stdout);
		}
		if (exit_code)
			rc = (int)verdict_overall(&f, NULL);
	}
	buf_done(&out);
	frame_release(&f);
	feeds_free(feeds);
	if (fflush(stdout) != 0)
		rc = check || exit_code ? 3 : 1;   /* Nagios: UNKNOWN */
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct config *cfg;
	char *cause = NULL;
	int rc;

	setlocale(LC_ALL, "");
	if (cli_parse(argc, (const char *const *)argv, &cli, &cause) == -1) {
		fprintf(stderr, "kitetop: %s\n%s", cause, CLI_USAGE);
		free(cause);
		return 2;
	}
	switch (cli.verb) {
	case CLI_HELP:
		fputs(help_text, stdout);
		return 0;
	case CLI_VERSION:
		printf("kitetop %s\n", KITETOP_VERSION);
		return 0;
	default:
		break;
	}
	if (cli.verb == CLI_REPLAY)
		return app_replay(cli.file, cli.theme);   /* its configuration is the recording's */
	if (cli.verb == CLI_INIT) {
		http_global_init();
		rc = init_verb_run(&cli);
		http_global_cleanup();
		return rc;
	}
	cfg = main_config(&cli, cli.verb == CLI_CHECK);
	if (cfg == NULL)
		/* Nagios: UNKNOWN; status --exit-code the same, 2 being crit there */
		return cli.verb == CLI_CHECK || cli.exit_code ? 3 : 2;
	http_global_init();
	if (cli.verb == CLI_ACTION)
		rc = verbs_run(cfg, &cli);
	else if (cli.verb == CLI_STATUS || cli.verb == CLI_CHECK)
		rc = main_status(cfg, cli.json, cli.verb == CLI_CHECK, cli.exit_code, cli.status_all);
	else if (cli.verb == CLI_LOGS && cli.logs_all_hosts)
		rc = logs_verb_run(cfg, &cli);
	else if (cli.verb == CLI_LOGS)
		rc = logs_verb_container(cfg, &cli);
	else if (cli.verb == CLI_EVENTS)
		rc = events_verb_run(cfg, &cli);
	else if (cli.verb == CLI_RECORD)
		rc = record_verb_run(cfg, &cli);
	else if (cli.verb == CLI_EXEC || cli.verb == CLI_SHELL)
		rc = shell_verb_run(cfg, &cli);
	else
		rc = app_run(cfg, cli.theme);
	config_free(cfg);
	http_global_cleanup();
	return rc;
}
