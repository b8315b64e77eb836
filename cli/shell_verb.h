/* shell_verb — `kitetop exec HOST CONTAINER [CMD...]` and `kitetop shell
 * HOST` (core/actions/shell.h): a shell or a command in a container, a login
 * shell on a host, on this terminal.  The host is resolved and reached and
 * the container looked up first, so that each of those failures is one clear
 * line and exit status 1; then the session runs and its exit status is
 * kitetop's.  Read-only refuses (exit 1). */
#ifndef KITETOP_CLI_SHELL_VERB_H
#define KITETOP_CLI_SHELL_VERB_H

#include "cli/cli.h"
#include "core/config/config.h"

/* The verb's exit status. */
int shell_verb_run(const struct config *cfg, const struct cli *cli);

#endif
