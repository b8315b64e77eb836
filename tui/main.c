/* kitetop — entry point: the command line, then the TUI or a verb. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "backends/http.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/lab.h"
#include "core/status.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "tui/app.h"
#include "tui/cli.h"

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

static int main_status(struct config *cfg, bool json)
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
		return 2;
	http_global_init();
	if (cli.verb == CLI_STATUS)
		rc = main_status(cfg, cli.json);
	else
		rc = app_run(cfg, cli.theme);
	config_free(cfg);
	http_global_cleanup();
	return rc;
}
