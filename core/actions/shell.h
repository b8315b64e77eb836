/* shell — a shell (or a command) in a container or on a host, on this
 * process's terminal: `e` and `S` in the dashboard, `kitetop exec` and
 * `kitetop shell`.
 *
 * How it reaches the host, and why:
 *   - a host reached over SSH: an SSH session channel of the host's existing
 *     libssh2 session (transport_ssh_open_pty: no second login, the
 *     session's thread keeps every libssh2 call), with a pty when stdin is a
 *     terminal.  A host shell is the user's login shell; a container's is
 *     `docker exec -it` run by the docker CLI on the host
 *     (core/actions/shell_command.h), which does the TTY attach itself, so
 *     kitetop does not speak the Engine API's hijacked exec stream over the
 *     dial-stdio bridge.  The terminal is put in raw mode and bytes are
 *     relayed both ways with poll(); SIGWINCH sends a window change.
 *   - this machine (no ssh; docker through a socket or tcp): `docker exec`
 *     or `$SHELL -l` run with fork/exec on the real terminal, nothing
 *     relayed.
 * The exit status is the remote command's (128 + a signal's number when one
 * ended it).
 *
 * Audited: one "started" line (action "exec" or "shell", target the
 * container or null) before anything opens, and its outcome: what was
 * opened, never what was typed.  Read-only refuses with a "refused" line.
 *
 * Thread: the one that owns the terminal (the UI's, with curses ended, or
 * the CLI's main thread).  It blocks until the session ends; other threads
 * (feeds, transports) go on meanwhile. */
#ifndef KITETOP_CORE_ACTIONS_SHELL_H
#define KITETOP_CORE_ACTIONS_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config/config.h"

struct fleet_host;

#define SHELL_REFUSED (-2)   /* shell_run's return for a refusal (read-only, no audit log) */

struct shell_target {
	struct fleet_host *host;      /* borrowed */
	const char *container;        /* NULL: a login shell on the host */
	const char *const *argv;      /* the command to run in the container; argc 0: its shell */
	size_t argc;
};

/* "exec" (a container) or "shell" (the host): the audit log's action. */
const char *shell_action(const struct shell_target *t);

/* In read-only mode: writes the audit "refused" line (best effort) and
 * returns true; else false. */
bool shell_refused(const struct config *cfg, const struct shell_target *t);

/* Runs the session on stdin/stdout/stderr until it ends.  0 and *status;
 * -1 and *cause (it could not start, or the connection was lost);
 * SHELL_REFUSED and *cause (read-only, or the audit log cannot be
 * written). */
int shell_run(const struct config *cfg, const struct shell_target *t, int *status,
              char **cause);

#endif
