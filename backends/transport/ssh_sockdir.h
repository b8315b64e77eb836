/* ssh_sockdir — the private directories that hold an SSH transport's
 * forwarded unix sockets: their name, and the sweep of those a kitetop that
 * died (a signal, a crash) left behind. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_SOCKDIR_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_SOCKDIR_H

#include <sys/types.h>

/* The mkdtemp() template of a new directory in base, "BASE/kitetop-ssh-PID-
 * XXXXXX": the pid tells a later kitetop whether its owner is still alive.
 * The caller frees it. */
char *ssh_sockdir_template(const char *base);

/* Removes, in base, the kitetop-ssh-PID-XXXXXX directories that uid owns and
 * whose pid is not alive (and is not self): the sockets in them and in their
 * pgN folders, then the folders themselves, which are left in place when
 * anything else is in them.  Symbolic links, other names and other owners'
 * directories are not touched.  Returns how many directories went. */
int ssh_sockdir_sweep(const char *base, uid_t uid, pid_t self);

#endif
