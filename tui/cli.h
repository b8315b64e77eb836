/* cli — the command line of DESIGN.md, parsed into a struct (pure: no I/O).
 *
 * Global options go before or after the verb alike:
 *   kitetop -c lab.conf status --json  ==  kitetop status --json -c lab.conf */
#ifndef KITETOP_TUI_CLI_H
#define KITETOP_TUI_CLI_H

#include <stdbool.h>

enum cli_verb { CLI_TUI, CLI_STATUS, CLI_CHECK, CLI_HELP, CLI_VERSION, CLI_LOGS };

struct cli {
	enum cli_verb verb;
	const char *config;      /* -c / --config; borrowed from argv */
	const char *theme;       /* --theme */
	bool read_only;          /* --read-only */
	int refresh_ms;          /* --refresh SECONDS; 0 = not given */
	bool json;               /* status --json */
	const char *logs_host;   /* logs HOST CONTAINER [--tail N] [--follow] */
	const char *logs_container;
	long logs_tail;          /* --tail N; -1 (not given): every line */
	bool logs_follow;        /* --follow, -f */
};

#define CLI_USAGE \
	"usage: kitetop [-c FILE] [--theme NAME] [--read-only] [--refresh SECONDS]\n" \
	"       kitetop status [--json] | check\n" \
	"       kitetop logs HOST CONTAINER [--tail N] [--follow]\n" \
	"       kitetop --version | --help\n"

/* 0, or -1 with *cause ("unknown option --foo") for a usage error. */
int cli_parse(int argc, const char *const *argv, struct cli *out, char **cause);

#endif
