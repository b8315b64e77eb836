/* config_internal — the internals of the config module, shared by its files:
 * config.c (the line scan, inih, the checks across keys), config_keys.c (the
 * key tables, storing values), config_check.c (checks of single values),
 * config_env.c (paths, this machine, defaults, config_free).  Not for use
 * outside core/config*.c.
 *
 * Each check takes the text of one value and returns 0, or -1 with *why set to
 * a message in words (without file and line: config.c adds them) that the
 * caller frees.  Messages never contain a secret. */
#ifndef KITETOP_CORE_CONFIG_CONFIG_INTERNAL_H
#define KITETOP_CORE_CONFIG_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config/config.h"

#define CONFIG_SECRET_MAX (64 * 1024)
#define CONFIG_NAME_MAX 64
#define CONFIG_TITLE_MAX 200

/* Length of the valid UTF-8 sequence at s (at most len bytes), or 0 when invalid. */
size_t config_check_utf8_char(const unsigned char *s, size_t len);

/* A host or service name: [A-Za-z0-9._-]+, at most CONFIG_NAME_MAX bytes. */
int config_check_name(const char *what, const char *s, char **why);
/* A panel title: printable, no '"', at most CONFIG_TITLE_MAX bytes. */
int config_check_title(const char *s, char **why);

/* http:// or https://, a host, no credentials, no spaces.  With placeholders,
 * {address} and {name} are allowed (and no other {...}). */
int config_check_url(const char *s, bool placeholders, char **why);
/* user@host[:port], [v6]:port or a Host alias.  *host gets the host part (caller frees). */
int config_check_ssh(const char *s, char **host, char **why);
/* jump = : "none", or ssh targets (ssh:// allowed) separated by commas. */
int config_check_jump(const char *s, char **why);
/* host:port or [v6]:port. */
int config_check_hostport(const char *s, char **why);
/* A host name or IP address (no port). */
int config_check_address(const char *s, char **why);
/* An IPv4 or IPv6 address. */
int config_check_ip(const char *s, char **why);
/* ssh | unix:///path | tcp://host:port | none.  *url gets the path or host:port. */
int config_check_docker(const char *s, enum config_docker_kind *kind, char **url, char **why);
/* A Docker container name: [A-Za-z0-9][A-Za-z0-9_.-]*. */
int config_check_container(const char *s, char **why);
/* "200", "2xx" or "200-399". */
int config_check_expect(const char *s, int *min, int *max, char **why);
/* A number of seconds (digits with an optional fraction) within [min, max], as ms. */
int config_check_seconds(const char *s, double min, double max, int *ms, char **why);
/* A whole number within [min, max]. */
int config_check_int(const char *s, long min, long max, int *out, char **why);
/* A finite decimal number, optionally signed, with an optional exponent. */
int config_check_number(const char *s, double *out, char **why);
/* bytes | percent | seconds | plain. */
int config_check_unit(const char *s, enum config_unit *unit, char **why);
/* A libpq conninfo string that holds no password. */
int config_check_conninfo(const char *s, char **why);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
int config_check_env_name(const char *s, char **why);
/* Letters and digits only (a Cloudflare account id). */
int config_check_alnum(const char *s, char **why);
/* A UUID: 8-4-4-4-12 hex digits. */
int config_check_uuid(const char *s, char **why);
/* A Prometheus label selector without the braces: label matchers
 * (name OP "value") separated by commas. */
int config_check_selector(const char *s, char **why);

/* Reads a secret file: a regular file, mode & 077 == 0, at most
 * CONFIG_SECRET_MAX bytes, not empty; trailing newlines stripped.
 * *value is the caller's (wipe it before freeing). */
int config_read_secret_file(const char *path, char **value, char **why);
/* 0, or -1 with *why when the private key at path is not a regular file or
 * is open to group or others (missing or unreadable: 0, left to ssh). */
int config_check_key_file(const char *path, char **why);

/* ---- shared by config.c and config_keys.c ---- */

enum sec_kind {
	SEC_KITETOP, SEC_HOST, SEC_PROMETHEUS, SEC_POSTGRES, SEC_REDIS,
	SEC_AUTHENTIK, SEC_CLOUDFLARE, SEC_SERVICE, SEC_PANEL, SEC_ALERTS, SEC_KEYS, SEC_CLUSTER,
	SEC_NKINDS
};

enum val_type {
	V_STR, V_PATH, V_ABSPATH, V_THEME, V_URL, V_HOSTURL, V_BOOL, V_SECS, V_INT,
	V_SECRET_FILE, V_SECRET_ENV, V_VIA, V_CONTAINER, V_SSH, V_JUMP, V_DOCKER, V_SELECTOR,
	V_IP, V_ADDRESS, V_HOSTPORT, V_CONNINFO, V_ALNUM, V_UUID, V_EXPECT, V_UNIT,
	V_WARN, V_CRIT, V_PCT, V_VIALIST, V_KUBECONFIG, V_NAMESPACES
};

struct key_def {
	const char *name;
	enum val_type type;
	size_t off;            /* of the field in the section's struct */
	double min, max;       /* V_SECS, V_INT */
};

#define KEYS_MAX 24

struct kind_def {
	const char *name;
	bool named;            /* [host NAME], [service NAME], [panel "TITLE"] */
	const struct key_def *keys;
	size_t nkeys;
};

extern const struct kind_def config_kinds[SEC_NKINDS];

struct section {
	enum sec_kind kind;
	int line;
	char *name;            /* NULL for the singletons */
	void *obj;             /* the struct the keys go into */
	int key_line[KEYS_MAX];  /* 0 = not set */
};

/* The index of key name in config_kinds[kind].keys, or -1; then *suggest is the
 * closest key (an edit or two away) or NULL. */
int config_key_find(enum sec_kind kind, const char *name, const struct key_def **suggest);
/* Checks value v of key d and stores it in sec->obj.  dir: the base of
 * relative paths, or NULL.  Reads secrets.  -1 and *why on a bad value. */
int config_set_value(const char *dir, struct section *sec, const struct key_def *d, const char *v,
                     char **why);
/* A line of [keys]: checks its key names and stores it in k (path: for
 * messages).  -1 and *why when a name is unknown, a key is named twice on
 * the line, or the action was set on an earlier line. */
int config_keys_add(struct config_keys *k, const char *action, const char *value, int line,
                    char **why);
void config_keys_free(struct config_keys *k);

/* Expands v and takes it from dir when relative.  Caller frees. */
char *config_resolve_path(const char *dir, const char *v);
/* The [kitetop] defaults. */
void config_init_defaults(struct config *cfg);

/* ---- config_alerts.c: [alerts] and its overrides in [host] and [service] ---- */

/* The [alerts] defaults into cfg->alerts. */
void config_alerts_defaults(struct config *cfg);
/* A percentage from 0 to 100 (decimals allowed) for key name. */
int config_check_pct(const char *name, const char *s, double *out, char **why);
/* Once every section is read (secs[nsecs], NULL for none): gives each host
 * and service the [alerts] thresholds it does not set itself, then checks
 * that each warn is below its crit.  -1 with *line and *why on the first
 * pair that is not. */
int config_alerts_finish(struct config *cfg, const struct section *secs, size_t nsecs, int *line,
                         char **why);

/* Fills h as this machine: the sanitised hostname, no ssh, docker from
 * config_local_docker(), implicit = true.  h must be zeroed. */
void config_local_host(struct config_host *h);
/* docker of a host without ssh: $DOCKER_HOST when it is unix:// or tcp://
 * (with $DOCKER_CERT_PATH's ca/cert/key.pem when $DOCKER_TLS_VERIFY is set),
 * else unix /var/run/docker.sock when it exists, else none. */
void config_local_docker(struct config_host *h);

/* Without a configuration file: when DOCKER_HOST is ssh://..., or (no
 * DOCKER_HOST) the current docker context's endpoint is, fills the zeroed h
 * as that one host (named for the context, else the host; ssh = the URL,
 * docker = ssh) and returns 1; else 0 and h is untouched. */
int config_docker_ssh_host(struct config_host *h);

/* ---- config_cluster.c: [cluster NAME] ---- */

/* The values of V_VIALIST, V_KUBECONFIG and V_NAMESPACES into the
 * struct config_cluster sec->obj. */
int config_cluster_set(const char *dir, struct section *sec, const struct key_def *d, const char *v,
                       char **why);
/* A new section's struct (zeroed by the caller). */
void config_cluster_init(struct config_cluster *k, const char *name, int line);
/* Once every section is read: the defaults (api, kubeconfig), then the
 * checks (via names [host]s with ssh, no via only when this machine reaches
 * the API itself).  -1 with *line (of the lines given) and *why. */
int config_cluster_finish(const struct config *cfg, struct config_cluster *k, int via_line,
                          int kubeconfig_line, int *line, char **why);

#endif
