/* ssh_config — resolves an ssh target ("user@host[:port]", "ssh://user@host[:port]"
 * as DOCKER_HOST and docker contexts write it, or a Host alias) into what a
 * connection needs: user, host name, port, identity files, known_hosts files,
 * timeouts, the agent socket, certificate files, ProxyJump and ProxyCommand.
 *
 * ssh_config_lookup() asks OpenSSH itself first: `ssh -G [-p PORT] [-l USER]
 * HOST` (no shell, a timeout, stdin /dev/null) prints the configuration ssh
 * would use, Include and every Match criterion evaluated; its lowercase
 * "key value" lines are read by ssh_config_parse_g().  When no ssh binary can
 * be run, or $HOME is not the passwd entry's home directory (ssh reads the
 * latter, kitetop the former), kitetop reads ~/.ssh/config with its own
 * parser, described next.
 *
 * The own parser understands (case-insensitive, "Key Value" or "Key=Value",
 * values may be quoted with " or '): Host (patterns with * and ?, !negation,
 * several per line), Match (the criteria all, host, originalhost, user and
 * localuser, with comma-separated pattern lists and !negation; a Match block
 * with any other criterion -- exec, canonical, final, localnetwork, tagged --
 * is taken as NOT matching, since only ssh can evaluate those), Include
 * (globs; a relative path is relative to ~/.ssh; at most
 * SSH_CONFIG_INCLUDE_DEPTH levels; only by ssh_config_resolve_file), HostName
 * (%h, %%), User, Port, IdentityFile (repeatable), IdentitiesOnly,
 * UserKnownHostsFile (several per line, "none"), ConnectTimeout,
 * ServerAliveInterval, IdentityAgent, CertificateFile (repeatable), ProxyJump
 * and ProxyCommand.  Every other keyword is ignored without error.
 *
 * Semantics follow ssh(1): the first value obtained for a keyword wins, except
 * IdentityFile and CertificateFile, which accumulate.  The name matched
 * against Host patterns is the host as given in the target
 * (case-insensitive).  The user and port given in the target beat User and
 * Port.  IdentityFile, CertificateFile, IdentityAgent and UserKnownHostsFile
 * expand ~ and the tokens %d (home), %u (local user), %h (remote host name),
 * %r (remote user), %p (port), %n (the host as given), %% (a percent); an
 * unknown token is kept as written.  IdentityAgent SSH_AUTH_SOCK (or unset)
 * means $SSH_AUTH_SOCK, $NAME the socket in that environment variable, none
 * no agent at all.
 *
 * Defaults: user = $USER (else the passwd entry), port 22, identities
 * ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa (only when no IdentityFile
 * applies; ssh -G's own default list is taken as this one), known hosts
 * ~/.ssh/known_hosts, no connect timeout (0), keepalive interval
 * SSH_CONFIG_DEFAULT_ALIVE_S (also when ServerAliveInterval is 0: kitetop
 * always needs keepalives to notice a dead host).
 *
 * No global state: callable from any thread. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define SSH_CONFIG_DEFAULT_PORT 22
#define SSH_CONFIG_DEFAULT_ALIVE_S 15
#define SSH_CONFIG_MAX_BYTES (256 * 1024)   /* a larger ~/.ssh/config is refused */
#define SSH_CONFIG_MAX_FILES 16             /* identity and known_hosts files kept */
#define SSH_CONFIG_INCLUDE_DEPTH 8          /* Include within Include, as ssh(1)'s limit */
#define SSH_CONFIG_G_TIMEOUT_MS 5000        /* ssh -G must answer within this */

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
	char *proxy_command;         /* ProxyCommand as written; NULL when none */
	char *identity_agent;        /* the agent socket to use; NULL: $SSH_AUTH_SOCK */
	bool agent_none;             /* IdentityAgent none: no agent at all */
	char **certificate_files;    /* CertificateFile, expanded */
	size_t ncertificate_files;
	const char *resolved_by;     /* "ssh -G" or "ssh_config" (static) */
};

/* Where ~, %d and %u point.  NULL members (or a NULL env) mean: $HOME (else the
 * passwd entry) and $USER (else the passwd entry). */
struct ssh_config_env {
	const char *home;
	const char *local_user;
};

/* Splits "user@host[:port]", "host:port", "[v6addr]:port" or "alias", each
 * optionally written as a URL: "ssh://user@host:port" (a trailing "/" is
 * allowed, a path is not).
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

/* Same, reading path (NULL = ~/.ssh/config) and the files it Includes.  A
 * missing file is no error. */
int ssh_config_resolve_file(const char *target, const char *path,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause);

/* Fills *out from the text of `ssh -G` (len bytes): its hostname, user, port,
 * identityfile, identitiesonly, userknownhostsfile, connecttimeout,
 * serveraliveinterval, identityagent, certificatefile, proxyjump and
 * proxycommand lines; alias is the host as given.  0, or -1 with *cause when
 * the text lacks hostname, user or port or has a bad value. */
int ssh_config_parse_g(const char *alias, const char *text, size_t len,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause);

/* Runs `ssh_bin -G [-F config] [-p PORT] [-l USER] HOST` for target (ssh_bin
 * NULL = "ssh" on $PATH, config NULL = ssh's own choice), waiting at most
 * timeout_ms.  0 and *out filled; -1 with *cause when ssh ran and refused
 * (its message); -2 with *cause when ssh could not be run (not installed). */
int ssh_config_resolve_ssh(const char *ssh_bin, const char *config, const char *target,
    const struct ssh_config_env *env, int timeout_ms, struct ssh_target *out, char **cause);

/* What a connection uses: ssh -G when it can run and $HOME is the passwd
 * entry's home (else, or when ssh is missing, ssh_config_resolve_file on
 * ~/.ssh/config).  $KITETOP_SSH, when set, names the ssh binary ("none": never
 * run one). */
int ssh_config_lookup(const char *target, struct ssh_target *out, char **cause);

void ssh_target_done(struct ssh_target *t);

/* Glob match of one pattern (no '!'), * and ?, case-insensitive (ASCII). */
bool ssh_config_pattern_match(const char *pattern, const char *s);

/* ssh(1)'s Host rule for a list of patterns: true when some positive pattern
 * matches host and no negated ("!pat") pattern does. */
bool ssh_config_host_match(const char *const *patterns, size_t n, const char *host);

/* Expands ~ and the %-tokens listed above in path.  Caller frees. */
char *ssh_config_expand(const char *path, const char *home, const char *local_user,
    const struct ssh_target *t);

/* The host names of the config's Host lines, in order, each once (compared
 * without case): the patterns with *, ? or ! are not hosts and are left out,
 * and so are Match blocks.  *n of them (0: NULL may be returned); free with
 * ssh_config_hosts_free. */
char **ssh_config_hosts(const char *text, size_t len, size_t *n);
/* Same, reading path (NULL = ~/.ssh/config).  NULL and *cause when it does
 * not exist or cannot be read; a file without Host lines gives *n = 0. */
char **ssh_config_hosts_file(const char *path, const struct ssh_config_env *env, size_t *n,
    char **cause);
void ssh_config_hosts_free(char **hosts, size_t n);

#endif
