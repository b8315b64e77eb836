/* verbs — the command line's action verbs (kitetop restart|stop|start HOST
 * CONTAINER, ...): resolve the host, ask, run the action (core/action) and
 * report in one line.
 *
 * The flow is the same for every verb: an unknown host is an error (exit
 * 1); read-only refuses without asking; otherwise, unless --yes or
 * --dry-run, ask "Restart grafana on monk? [y/N]" on the terminal (no
 * terminal: refuse with the reason, exit 1); then the SSH sessions the verb
 * needs are started and the action runs, its progress on stderr when stderr
 * is a terminal.  Done: its summary on stdout, exit 0.  Refused or failed:
 * "kitetop: refused: read-only" / "kitetop: failed: ..." on stderr, exit 1.
 * Unknown (the request was sent, the link died before the answer and the
 * state could not be seen after waiting for the link): "kitetop: unknown:
 * the link to monk died after the restart was sent; check with ..." on
 * stderr, exit 3.
 * SIGINT, SIGTERM or SIGHUP while it runs cancel it (audited as failed:
 * cancelled; the engine may still finish a stop it began), exit 128+signal.
 *
 * A verb is one row of the table in verbs.c: a question and a start
 * function (see struct verbs_entry there), next to its line in cli.c. */
#ifndef KITETOP_CLI_VERBS_H
#define KITETOP_CLI_VERBS_H

#include "core/config/config.h"
#include "cli/cli.h"

/* Runs cli's action verb (cli->verb == CLI_ACTION) on cfg.  Returns the
 * process exit status. */
int verbs_run(const struct config *cfg, const struct cli *cli);

/* Pure: is line (as read after the question) a yes?  "y", "Y", "yes", "YES"
 * with surrounding blanks; anything else, the empty line too, is no. */
bool verbs_is_yes(const char *line);

#endif
