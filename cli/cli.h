/* cli — kitetop's command line (its verbs and options), parsed into a
 * struct (pure: no I/O).
 *
 * Global options go before or after the verb alike:
 *   kitetop -c lab.conf status --json  ==  kitetop status --json -c lab.conf */
#ifndef KITETOP_CLI_CLI_H
#define KITETOP_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cli_verb {
	CLI_TUI, CLI_STATUS, CLI_CHECK, CLI_HELP, CLI_VERSION, CLI_ACTION, CLI_LOGS,
	CLI_EVENTS, CLI_RECORD, CLI_REPLAY, CLI_EXEC, CLI_SHELL, CLI_INIT
};

#define CLI_MAX_ARGS 2
#define CLI_MAX_INIT_HOSTS 64   /* FLEET_MAX_HOSTS */

/* An action verb of the command line (restart, stop, start, ...): the one
 * table in cli.c; a new verb is one line there plus its runner in
 * cli/verbs.c.  Its first argument is always a HOST. */
struct cli_action_verb {
	const char *name;        /* "restart" */
	int min_args, max_args;  /* positional arguments after the verb */
	bool force;              /* takes --force */
	const char *args;        /* "HOST CONTAINER", for messages */
};

struct cli {
	enum cli_verb verb;
	const char *config;      /* -c / --config; borrowed from argv */
	const char *theme;       /* --theme */
	bool read_only;          /* --read-only */
	int refresh_ms;          /* --refresh SECONDS; 0 = not given */
	bool json;               /* status --json */
	bool exit_code;          /* status --exit-code: exit 1 on warn, 2 on crit, 3 unknown */
	bool status_all;         /* status --all: every pod of a cluster, not only those in trouble */
	const char *log;         /* --log FILE: each source's errors, with times */
	/* init [HOST...] [--stdout] */
	const char *init_hosts[CLI_MAX_INIT_HOSTS];
	int init_nhosts;
	bool init_stdout;
	const char *logs_host;   /* logs HOST CONTAINER [--tail N] [--follow] */
	const char *logs_container;
	long logs_tail;          /* --tail N; -1 (not given): every line */
	bool logs_follow;        /* --follow, -f */
	bool logs_all_hosts;     /* logs SERVICE --all-hosts: logs_host is the service */
	int64_t logs_since_s;    /* --since 10m (seconds back, 0: all); -1 not given */
	/* events [--since WHEN] [--host H] [--json] */
	const char *since;       /* as given (core/history/eventlog.h parses it) */
	const char *host;        /* --host */
	/* record FILE [--for DURATION] | replay FILE */
	const char *file;
	int64_t for_ms;          /* --for; 0: until stopped */
	/* exec HOST CONTAINER [CMD...] | shell HOST: every word after CONTAINER
	 * is the command's, options included (`exec monk db psql -c 'select 1'`) */
	const char *shell_host;
	const char *shell_container;
	const char *const *shell_argv;   /* the command's words (into argv), or NULL */
	int shell_argc;
	/* CLI_ACTION */
	const struct cli_action_verb *action;   /* the verb (from the table) */
	const char *args[CLI_MAX_ARGS];         /* HOST, then CONTAINER or TO; borrowed */
	int nargs;
	bool yes;                /* --yes / -y: do not ask */
	bool dry_run;            /* --dry-run: say what would be done, do nothing */
	bool force;              /* --force (only verbs that take it) */
};

#define CLI_USAGE \
	"usage: kitetop [-c FILE] [--theme NAME] [--read-only] [--refresh SECONDS] [--log FILE]\n" \
	"       kitetop init [HOST...] [--stdout]\n" \
	"       kitetop status [--json] [--all] [--exit-code] | check\n" \
	"       kitetop logs HOST CONTAINER [--tail N] [--follow]\n" \
	"       kitetop logs SERVICE --all-hosts [--since 10m|1h|all] [--follow]\n" \
	"       kitetop events [--since 1h|2026-12-06T03:00] [--host HOST] [--json]\n" \
	"       kitetop record FILE [--for DURATION] | replay FILE\n" \
	"       kitetop restart|stop|start HOST CONTAINER [--yes] [--dry-run]\n" \
	"       kitetop exec HOST CONTAINER [CMD...] | shell HOST\n" \
	"       kitetop drain HOST | undrain HOST | flip FROM TO [--yes] [--dry-run] [--force]\n" \
	"       kitetop --version | --help\n"

/* The action verbs (*n of them), and the one called name (NULL: none). */
const struct cli_action_verb *cli_action_verbs(size_t *n);
const struct cli_action_verb *cli_action_verb_find(const char *name);

/* Pure: a duration "90s", "15m", "2h", "1d" (or plain seconds) in ms; 0
 * and *ms, or -1 (not one, or not positive). */
int cli_duration_ms(const char *s, int64_t *ms);

/* 0, or -1 with *cause ("unknown option --foo") for a usage error. */
int cli_parse(int argc, const char *const *argv, struct cli *out, char **cause);

#endif
