/* logs_verb — `kitetop logs SERVICE --all-hosts [--since 10m] [--follow]`:
 * the service's container logs from every host with a docker engine, one
 * core/feeds/logs stream per host, merged by the engine's timestamps and
 * printed one line each as "HOST  2026-12-06T12:00:01.234Z  text" (the
 * format the TUI saves).  Without --follow the streams end and everything
 * is printed in order; with it a line waits a second for a slower host's
 * older lines before it is printed.  A host that fails says so on stderr;
 * the exit status is 1 only when every host failed. */
#ifndef KITETOP_CLI_LOGS_VERB_H
#define KITETOP_CLI_LOGS_VERB_H

#include "cli/cli.h"
#include "core/config/config.h"

int logs_verb_run(struct config *cfg, const struct cli *cli);

/* `kitetop logs HOST CONTAINER [--tail N] [--since D] [--follow]`: one
 * container's lines as `docker logs` prints them (stderr's to stderr),
 * through the host's SSH session (started alone: no source polls) or its
 * socket.  Followed, a stream that breaks after it started (the SSH session
 * dropped, the engine restarted) is asked again from its last line's time,
 * at once when the host's session is back (else 1 s doubling to 8 s); the
 * error goes to stderr once, and one line "— connection lost HH:MM:SS,
 * resumed HH:MM:SS —" before the first new line marks the gap.  Exit status
 * 0, or 1 with the error on stderr. */
int logs_verb_container(struct config *cfg, const struct cli *cli);

#endif
