/* ssh_config_internal — what ssh_config.c, ssh_config_target.c and
 * ssh_config_g.c share; not for other modules. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_INTERNAL_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_INTERNAL_H

#include "backends/transport/ssh_config.h"

/* $HOME (else the passwd entry), $USER (else the passwd entry), unless env
 * names them. */
const char *ssh_config_home(const struct ssh_config_env *env);
const char *ssh_config_local_user(const struct ssh_config_env *env);

/* Sets t's agent from an IdentityAgent value: "none" → agent_none,
 * "SSH_AUTH_SOCK" → $SSH_AUTH_SOCK (identity_agent stays NULL), "$NAME" → that
 * variable's value (unset: no agent), else the path, ~ and tokens expanded. */
void ssh_config_target_agent(struct ssh_target *t, const char *value, const char *home,
    const char *local_user);

/* kitetop's default identity files (~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
void ssh_config_target_default_ids(struct ssh_target *t, const char *home,
    const char *local_user);

#endif
