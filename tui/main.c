/* kitetop — entry point: the command line, then the TUI or a verb. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/http.h"
#include "backends/transport/transport_ssh.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/lab.h"
#include "core/status.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "tui/app.h"
#include "tui/cli.h"
#include "tui/verbs.h"

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
	"  -V, --version        print the version\n"
	"  -h, --help           this help\n"
	"\n"
	"  status [--json]      one snapshot of everything, then exit\n"
	"  check                like status, as a Nagios plugin: one line, exit\n"
	"                       0 ok, 1 warn, 2 crit, 3 unknown\n"
	"  logs HOST CONTAINER  a container's logs (stderr lines to stderr);\n"
	"                       --tail N: the last N lines (default: all),\n"
	"                       --follow, -f: then new lines until interrupted\n"
	"  restart|stop|start HOST CONTAINER\n"
	"                       act on a container (asks on a terminal; audited)\n"
	"      -y, --yes        do not ask\n"
	"      --dry-run        say what would be done, do nothing\n"
	"\n"
	"In the dashboard, ? lists the keys.  See kitetop(1).\n";

static struct config *main_config(const struct cli *cli)
{
	char *path = config_find(cli->config), *cause = NULL;
	struct config *cfg;

	if (path == NULL)
		cfg = config_default();
	else
		cfg = config_load(path, &cause);
	free(path);
	if (cfg == NULL) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return NULL;
	}
	if (cli->refresh_ms > 0)
		cfg->refresh_ms = cli->refresh_ms;
	if (cli->read_only)
		cfg->read_only = true;
	return cfg;
}

/* Nagios plugin output: "KITETOP WARNING - monk: kavita exited; ..." */
static int main_check(struct lab *lab)
{
	static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf reasons, line;
	enum status_level lvl;
	const char *p, *nl;

	buf_init(&reasons);
	buf_init(&line);
	lvl = status_overall(lab, &reasons);
	buf_printf(&line, "KITETOP %s - %zu host%s", word[lvl], lab->nhosts, lab->nhosts == 1 ? "" : "s");
	for (p = buf_cstr(&reasons); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		buf_puts(&line, p == buf_cstr(&reasons) ? ": " : "; ");
		buf_append(&line, p, (size_t)(nl - p + (*nl == '\n' ? 0 : 1)));
	}
	printf("%s\n", buf_cstr(&line));
	buf_done(&line);
	buf_done(&reasons);
	return (int)lvl;
}

static int main_status(struct config *cfg, bool json, bool check)
{
	struct lab *lab = lab_new(cfg, NULL);
	char *cause = NULL;
	struct buf out;

	if (lab_start(lab, &cause) == -1) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		lab_free(lab);
		return 1;
	}
	/* one poll of every source, bounded by its timeout */
	lab_wait_all(lab, time_mono_ms() + cfg->timeout_ms + 1000);
	if (check) {
		int rc = main_check(lab);

		lab_free(lab);
		return fflush(stdout) == 0 ? rc : 3;
	}
	if (json) {
		char *text = status_json(lab);

		fputs(text, stdout);
		free(text);
	} else {
		buf_init(&out);
		status_text(lab, &out);
		fputs(buf_cstr(&out), stdout);
		buf_done(&out);
	}
	lab_free(lab);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* One log line to stdout or stderr, as `docker logs` does; stops the
 * stream when the output is gone (a closed pipe). */
static int main_log_line(const struct docker_log_line *line, void *arg)
{
	FILE *f = line->stream == DOCKER_STREAM_STDERR ? stderr : stdout;

	(void)arg;
	if (fwrite(line->text, 1, line->len, f) != line->len || fputc('\n', f) == EOF)
		return -1;
	if (line->stream == DOCKER_STREAM_STDERR || fflush(stdout) == 0)
		return 0;
	return -1;
}

/* kitetop logs HOST CONTAINER [--tail N] [--follow]: through the host's
 * SSH session (started alone: no source polls) or its socket. */
static int main_logs(struct config *cfg, const struct cli *cli)
{
	struct lab *lab = lab_new(cfg, NULL);
	struct lab_host *h = NULL;
	struct docker *d = NULL;
	struct docker_logs_options opt = { .tail = cli->logs_tail, .follow = cli->logs_follow };
	char *cause = NULL;
	int rc = 1;

	for (size_t i = 0; i < lab->nhosts; i++)
		if (strcmp(lab->hosts[i].name, cli->logs_host) == 0)
			h = &lab->hosts[i];
	if (h == NULL) {
		util_set_cause(&cause, "no host called %s in the configuration", cli->logs_host);
	} else if (h->cfg->docker == CONFIG_DOCKER_NONE) {
		util_set_cause(&cause, "%s: docker = none", h->name);
	} else if (h->ssh == NULL || transport_ssh_start(h->ssh, &cause) == 0) {
		d = lab_docker_open(h, cfg->timeout_ms, -1, NULL, &cause);
		if (d != NULL && docker_logs(d, cli->logs_container, &opt, main_log_line, NULL, &cause) == 0)
			rc = 0;
	}
	if (rc != 0)
		fprintf(stderr, "kitetop: %s\n", cause != NULL ? cause : "logs failed");
	free(cause);
	docker_free(d);
	lab_free(lab);
	if (fflush(stdout) != 0)
		rc = 1;
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
	cfg = main_config(&cli);
	if (cfg == NULL)
		return cli.verb == CLI_CHECK ? 3 : 2;   /* Nagios: UNKNOWN */
	http_global_init();
	if (cli.verb == CLI_ACTION)
		rc = verbs_run(cfg, &cli);
	else if (cli.verb == CLI_STATUS || cli.verb == CLI_CHECK)
		rc = main_status(cfg, cli.json, cli.verb == CLI_CHECK);
	else if (cli.verb == CLI_LOGS)
		rc = main_logs(cfg, &cli);
	else
		rc = app_run(cfg, cli.theme);
	config_free(cfg);
	http_global_cleanup();
	return rc;
}
