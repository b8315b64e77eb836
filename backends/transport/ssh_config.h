/* ssh_config — resolves an ssh target ("user@host[:port]" or a Host alias of
 * ~/.ssh/config) into what a connection needs: user, host name, port,
 * identity files, known_hosts files, timeouts.
 *
 * Understood keywords (case-insensitive, "Key Value" or "Key=Value", values
 * may be quoted with " or '): Host (patterns with * and ?, !negation, several
 * per line), Match (only "Match all" is taken as matching; any other Match
 * block is skipped as not matching), HostName (%h, %%), User, Port,
 * IdentityFile (repeatable), IdentitiesOnly, UserKnownHostsFile (several per
 * line, "none"), ConnectTimeout, ServerAliveInterval, ProxyJump (kept as
 * written; "none" = no jump).  Every other keyword is
 * ignored without error, and so is Include (its files are NOT read).
 *
 * Semantics follow ssh(1): the first value obtained for a keyword wins, except
 * IdentityFile, which accumulates.  The name matched against Host patterns is
 * the host as given in the target (case-insensitive).  The user and port
 * given in the target beat User and Port.  IdentityFile and UserKnownHostsFile
 * expand ~ and the tokens %d (home), %u (local user), %h (remote host name),
 * %r (remote user), %p (port), %n (the host as given), %% (a percent); an
 * unknown token is kept as written.
 *
 * Defaults: user = $USER (else the passwd entry), port 22, identities
 * ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa (only when no IdentityFile
 * applies), known hosts ~/.ssh/known_hosts, no connect timeout (0), keepalive
 * interval SSH_CONFIG_DEFAULT_ALIVE_S (also when ServerAliveInterval is 0:
 * kitetop always needs keepalives to notice a dead host).
 *
 * Pure functions of their input, no global state: callable from any thread. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define SSH_CONFIG_DEFAULT_PORT 22
#define SSH_CONFIG_DEFAULT_ALIVE_S 15
#define SSH_CONFIG_MAX_BYTES (256 * 1024)   /* a larger ~/.ssh/config is refused */
#define SSH_CONFIG_MAX_FILES 16             /* identity and known_hosts files kept */

/* The resolved target.  Every string is owned by the struct; ssh_target_done()
 * frees them. */
struct ssh_target {
	char *alias;                 /* the host as given in the target */
	char *user;
	char *hostname;              /* HostName, %h expanded; else the alias */
	int port;
	char **identity_files;       /* expanded paths, in the order to try */
	size_t nidentity_files;
	bool identities_default;     /* the list is the built-in default one */
	bool identities_only;
	char **known_hosts_files;    /* expanded paths; empty after "none" */
	size_t nknown_hosts_files;
	int connect_timeout_s;       /* 0 = not set */
	int alive_interval_s;        /* > 0 */
	char *proxy_jump;          /* ProxyJump as written: "[user@]host[:port][,...]"; NULL when none */
};

/* Where ~, %d and %u point.  NULL members (or a NULL env) mean: $HOME (else the
 * passwd entry) and $USER (else the passwd entry). */
struct ssh_config_env {
	const char *home;
	const char *local_user;
};

/* Splits "user@host[:port]", "host:port", "[v6addr]:port" or "alias".
 * *user and *host are set (caller frees; *user may be NULL), *port to the port
 * or 0 when none was given.  Returns 0, or -1 with *cause. */
int ssh_config_split_target(const char *target, char **user, char **host, int *port,
    char **cause);

/* Resolves target against the ssh_config text (len bytes, need not be
 * NUL-terminated; NULL/0 = no config).  name is the file name used in
 * messages.  On success fills *out (to be released with ssh_target_done) and
 * returns 0; on error returns -1 with *cause ("NAME line N: what") and leaves
 * *out zeroed. */
int ssh_config_resolve(const char *target, const char *name, const char *text, size_t len,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause);

/* Same, reading path (NULL = ~/.ssh/config).  A missing file is no error. */
int ssh_config_resolve_file(const char *target, const char *path,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause);

void ssh_target_done(struct ssh_target *t);

/* Glob match of one pattern (no '!'), * and ?, case-insensitive (ASCII). */
bool ssh_config_pattern_match(const char *pattern, const char *s);

/* ssh(1)'s Host rule for a list of patterns: true when some positive pattern
 * matches host and no negated ("!pat") pattern does. */
bool ssh_config_host_match(const char *const *patterns, size_t n, const char *host);

/* Expands ~ and the %-tokens listed above in path.  Caller frees. */
char *ssh_config_expand(const char *path, const char *home, const char *local_user,
    const struct ssh_target *t);

#endif
