/* shell_command — what runs for `e` / `S` and `kitetop exec` / `kitetop
 * shell`: the remote command line of a container's shell (for a session
 * channel, which hands it to the user's shell on the host) and the argv of
 * the same run on this machine.  Pure: no I/O.
 *
 * A container's shell is `docker exec -it CONTAINER sh -c 'command -v bash
 * >/dev/null && exec bash || exec sh'`: the remote docker CLI attaches the
 * TTY itself, so kitetop needs nothing of the Engine API's hijacked exec
 * stream; bash when the image has it, else sh.  Everything that comes from
 * the user or the configuration (the socket, the container, the command's
 * words) is quoted for a POSIX shell, so that no name can add a command. */
#ifndef KITETOP_CORE_ACTIONS_SHELL_COMMAND_H
#define KITETOP_CORE_ACTIONS_SHELL_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

/* The command run in a container when none is given. */
#define SHELL_COMMAND_DEFAULT "command -v bash >/dev/null && exec bash || exec sh"

/* s as one word of a POSIX shell: in single quotes, each ' as '\''.  ""
 * gives ''.  Caller frees. */
char *shell_quote(const char *s);

/* True for a name Docker could have given a container or an ID: a letter or
 * digit, then letters, digits, _ . - (so never an option like "-it"). */
bool shell_container_name_ok(const char *name);

/* The remote command: docker [-H 'unix://SOCKET'] exec -it|-i 'CONTAINER'
 * then argv quoted (argc 0: sh -c SHELL_COMMAND_DEFAULT).  tty: -it, else -i
 * (stdin kept open, no TTY, like `docker exec -i`).  socket NULL: the
 * remote CLI's default (its DOCKER_HOST).  Caller frees. */
char *shell_command_remote(const char *socket, const char *container,
                           const char *const *argv, size_t argc, bool tty);

/* The same for this machine's docker CLI, as an argv (NULL-terminated,
 * each string and the array allocated; shell_argv_free frees): docker_host
 * is a -H value ("unix:///run/docker.sock", "tcp://h:2375") or NULL. */
char **shell_argv_docker(const char *docker_host, const char *container,
                         const char *const *argv, size_t argc, bool tty);
/* A login shell on this machine: shell (NULL or "": /bin/sh) with -l. */
char **shell_argv_login(const char *shell);
void shell_argv_free(char **argv);

#endif
