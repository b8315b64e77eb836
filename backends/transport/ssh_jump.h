/* ssh_jump — reaching a host through jump hosts (ssh's ProxyJump), with
 * libssh2, which has no such thing of its own.
 *
 * The first jump host is connected directly; through its session a
 * direct-tcpip channel is opened to the next hop (the next jump host, or the
 * target), and the next libssh2 session runs over that channel: libssh2 needs
 * a socket, so the session gets one end of a socketpair, and a relay moves
 * bytes between the other end and the channel (bounded buffers both ways,
 * non-blocking, honouring libssh2's rule that a half-sent packet must be
 * finished by the same call).  So on to the target, whose session is the
 * caller's: it opens it with ssh_session_open() and ssh_jump_via().
 *
 * Every session of the chain and every relay is driven from the thread that
 * opened the chain (the host's own thread): the relays move their bytes in
 * ssh_jump_step(), which the waits of ssh_session and the pump call, and their
 * fds sit in one epoll set (ssh_session_via.fd) that those waits poll.
 *
 * Each jump host is checked like the target: its host key against known_hosts
 * (strictly), authentication with the same keys.  Errors name the hop:
 * "ssh: jump host bastion (127.0.0.101:22): ...".  A hop that dies while the
 * chain is up ends the relays behind it (the target's session sees its socket
 * close) and ssh_jump_failure() says which hop and why. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_JUMP_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_JUMP_H

#include <stddef.h>

#include "backends/transport/ssh_config.h"
#include "backends/transport/ssh_session.h"

#define SSH_JUMP_MAX_HOPS 8
#define SSH_JUMP_BUF_CAP (64 * 1024)   /* per direction and relay */

struct ssh_jump;

/* Splits a ProxyJump value ("[user@]host[:port]" or an alias, or
 * "ssh://[user@]host[:port]", several separated by commas) into its hops, in
 * order.  "none" (or NULL or "") is no jump: 0 and *n = 0.  Fills hops[] with
 * allocated strings (caller frees each) and returns 0, or -1 with *cause (an
 * empty hop, too many hops, a malformed hop). */
int ssh_jump_split(const char *spec, char **hops, size_t max, size_t *n, char **cause);

/* Resolves every hop of spec through the ssh config at path (NULL:
 * ~/.ssh/config; env as ssh_config_resolve_file).  known_hosts, when not
 * NULL, replaces each hop's known_hosts files.  The hops' own ProxyJump is
 * not followed.  0 with *out (an array of *n targets, release with
 * ssh_jump_targets_free), or -1 with *cause. */
int ssh_jump_resolve(const char *spec, const char *path, const struct ssh_config_env *env,
    const char *known_hosts, struct ssh_target **out, size_t *n, char **cause);
void ssh_jump_targets_free(struct ssh_target *targets, size_t n);

/* Opens the chain: a session to each of the n hops in turn (p: name, target
 * and via are set here per hop; identity_file, timeout (per hop) and the wake
 * fd are p's), the last one with a channel to final_host:final_port.  0 and
 * *out, or -1 with *cause (naming the hop; "stopped" when p->drain said so).
 * hops must outlive the chain. */
int ssh_jump_open(const struct ssh_target *hops, size_t n, const char *final_host,
    int final_port, const struct ssh_session_params *p, struct ssh_jump **out,
    char **cause);

/* What the target's session runs over (its params' via).  Its sock must be
 * given to ssh_session_open, which takes it over whatever the outcome. */
const struct ssh_session_via *ssh_jump_via(struct ssh_jump *j);

/* Moves every relay's bytes as far as they go without blocking. */
void ssh_jump_step(void *jump);

/* Why the chain broke ("ssh: jump host NAME (HOST:PORT): ..."), or NULL
 * while every hop is alive.  Borrowed. */
const char *ssh_jump_failure(const struct ssh_jump *j);

/* Closes the chain, last hop first, each saying goodbye within grace_ms (0:
 * not at all).  Call after the target's session is closed.  NULL is fine. */
void ssh_jump_close(struct ssh_jump *j, int grace_ms);

#endif
