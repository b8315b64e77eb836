/* config — kitetop's INI configuration, parsed with inih and validated.
 *
 * config_load() reads a file and returns a complete, validated struct config
 * or NULL with *cause = "FILE:LINE: what is wrong" (the first error).  Every
 * string in the struct is owned by it and freed by config_free().  Secrets
 * (*_file, *_env) are read and checked at load time; their values live only
 * in the `secret` fields and are never printed by kitetop.
 *
 * Paths (~, $HOME, $XDG_CONFIG_HOME, $XDG_STATE_HOME, $XDG_RUNTIME_DIR) are
 * expanded at load time. */
#ifndef KITETOP_CORE_CONFIG_CONFIG_H
#define KITETOP_CORE_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_MAX_BYTES (1024 * 1024)   /* a larger file is refused */
#define CONFIG_MAX_LINE 4096             /* a longer line is refused */
#define CONFIG_DEFAULT_REFRESH_MS 2000
#define CONFIG_DEFAULT_TIMEOUT_MS 5000
#define CONFIG_DEFAULT_STOP_TIMEOUT 35
#define CONFIG_DEFAULT_CLOUDFLARE_REFRESH_MS 30000
#define CONFIG_DEFAULT_CLOUDFLARE_API "https://api.cloudflare.com/client/v4"

enum config_docker_kind {
	/* not set; config_load() and config_default() never leave it: a host with
	 * ssh gets SSH, one without gets $DOCKER_HOST (unix:// or tcp://), else
	 * UNIX /var/run/docker.sock when it exists, else NONE. */
	CONFIG_DOCKER_DEFAULT,
	CONFIG_DOCKER_SSH,
	CONFIG_DOCKER_UNIX,     /* docker_url holds the socket path (without unix://) */
	CONFIG_DOCKER_TCP,      /* docker_url holds "host:port" */
	CONFIG_DOCKER_NONE,
};

enum config_unit { CONFIG_UNIT_PLAIN, CONFIG_UNIT_BYTES, CONFIG_UNIT_PERCENT, CONFIG_UNIT_SECONDS };

/* Where a secret came from and what it is.  value is NULL when neither key was set. */
struct config_secret {
	char *file;    /* expanded path, or NULL */
	char *env;     /* variable name, or NULL */
	char *value;   /* the secret, trailing newline stripped; never print */
};

/* The figures of a host that [alerts] and [host NAME] give thresholds for. */
enum config_alert_figure { CONFIG_ALERT_CPU, CONFIG_ALERT_MEM, CONFIG_ALERT_DISK, CONFIG_ALERT_NFIGURES };

#define CONFIG_DEFAULT_PCT_WARN 85.0
#define CONFIG_DEFAULT_PCT_CRIT 95.0
#define CONFIG_DEFAULT_RESTARTS_WARN 3
#define CONFIG_DEFAULT_PG_CONN_WARN 80.0
#define CONFIG_DEFAULT_PG_CONN_CRIT 95.0

/* Percentages: a figure at or above warn is a warning, at or above crit
 * critical; warn < crit always holds. */
struct config_pct_alerts {
	double warn[CONFIG_ALERT_NFIGURES];
	double crit[CONFIG_ALERT_NFIGURES];
};

/* [alerts]: the thresholds of the verdicts (all have defaults). */
struct config_alerts {
	int line;                  /* of [alerts]; 0 when absent */
	struct config_pct_alerts host;  /* every host's, unless its [host] sets its own */
	int restarts_warn;         /* restarts of a container within its last hour; 0 = off */
	int probe_ms_warn;         /* a health probe slower than this is a warning; 0 = off */
	double pg_conn_warn, pg_conn_crit;  /* % of PostgreSQL's max_connections in use */
};

struct config_host {
	char *name;
	int line;                  /* of the [host NAME] header */
	char *address;             /* default: the host part of ssh, else NULL */
	char *ssh;                 /* "user@host:port", an alias, or NULL (this machine) */
	char *identity_file;
	char *known_hosts;
	char *jump;                /* jump hosts "[user@]host[:port],...", "none", or NULL
	                            * (~/.ssh/config's ProxyJump) */
	enum config_docker_kind docker;
	char *docker_url;          /* see enum */
	char *docker_socket;       /* remote socket used over ssh, or NULL (the default) */
	char *tls_ca, *tls_cert, *tls_key;
	char *prom_selector;
	char *tunnel_container;
	char *tunnel_ready;        /* URL, {address}/{name} not yet substituted */
	char *tunnel_origin_ip;
	int stop_timeout;          /* seconds */
	struct config_pct_alerts alerts;  /* in force: its own keys, else [alerts]' */
	bool implicit;             /* this machine, made up because no [host] was given */
};

struct config_service {
	char *name;
	int line;
	char *container;           /* required */
	char *health;              /* per-host URL, or NULL */
	int expect_min, expect_max;  /* accepted statuses, default 200..299 */
	char *public_url;
	int restarts_warn;         /* in force: its own key, else [alerts]' */
	int probe_ms_warn;
};

struct config_panel {
	char *title;
	int line;
	char *query;               /* required */
	enum config_unit unit;
	bool has_warn, has_crit;
	double warn, crit;
	bool per_host;
};

struct config_prometheus {
	int line;
	char *url;                 /* required */
	char *via;                 /* host name, or NULL */
	char *user;
	struct config_secret password;
	struct config_secret token;
	char *tls_ca;
	bool insecure;
};

struct config_postgres {
	int line;
	char *conninfo;            /* required */
	struct config_secret password;
	char *via;
	bool show_queries;
};

struct config_redis {
	int line;
	char *address;             /* "host:port", required */
	char *user;
	struct config_secret password;
	char *via;
};

struct config_authentik {
	int line;
	char *url;                 /* per-host URL, or NULL */
	char *public_url;
	struct config_secret token;
	char *tls_ca;
	bool insecure;
};

struct config_cloudflare {
	int line;
	char *account_id;          /* required */
	char *tunnel_id;           /* required */
	struct config_secret token;  /* required */
	char *api_url;             /* default https://api.cloudflare.com/client/v4 */
	int refresh_ms;
};

/* [cluster NAME]: a Kubernetes (K3s) cluster, reached through the SSH
 * session of one of its server nodes (via, tried in order) to the API at
 * that node's `api` address.  Credentials: a kubeconfig read over SSH from
 * the server (remote:PATH, the default /etc/rancher/k3s/k3s.yaml, kept in
 * memory only), a local kubeconfig (a path, or context:NAME from
 * $KUBECONFIG / ~/.kube/config), or a bearer token (token_file). */
enum config_kubeconfig_kind { CONFIG_KUBECONFIG_REMOTE, CONFIG_KUBECONFIG_LOCAL, CONFIG_KUBECONFIG_CONTEXT };

#define CONFIG_DEFAULT_KUBE_API "https://127.0.0.1:6443"
#define CONFIG_DEFAULT_KUBECONFIG "/etc/rancher/k3s/k3s.yaml"

struct config_cluster {
	char *name;
	int line;
	char **via;                /* [host] names with ssh, in order; required */
	size_t nvia;
	char *api;                 /* default CONFIG_DEFAULT_KUBE_API */
	enum config_kubeconfig_kind kubeconfig_kind;
	char *kubeconfig;          /* remote path, local expanded path, or context name */
	struct config_secret token;  /* token_file: instead of the kubeconfig's user */
	char **namespaces;         /* NULL/0: all; else pods and events of these only */
	size_t nnamespaces;
};

/* [keys]: ACTION = KEY[, KEY...], a line an action.  This module knows the
 * names of keys, not the key table (tui/ sits above it): it checks each key
 * name and that an action is set once and names no key twice, and keeps the
 * rest, line numbers included, for the table to check when the dashboard
 * starts (tui/keys.c, keys_apply()). */
#define CONFIG_KEYS_PER_ACTION 4

/* A key named in [keys], without curses: a printable ASCII character and
 * Space are their own code, a Ctrl key its control byte (Ctrl-A 1 .. Ctrl-Z
 * 26; Tab 9, Esc 27), and the keys with no byte of their own come after
 * 0x100.  Ctrl-H, Ctrl-I and Ctrl-J / Ctrl-M are the bytes Backspace, Tab and
 * Enter send, so they are taken as those. */
enum config_key {
	CONFIG_KEY_TAB = 9,
	CONFIG_KEY_ESC = 27,
	CONFIG_KEY_SPACE = ' ',
	CONFIG_KEY_UP = 0x101, CONFIG_KEY_DOWN, CONFIG_KEY_LEFT, CONFIG_KEY_RIGHT,
	CONFIG_KEY_PGUP, CONFIG_KEY_PGDN, CONFIG_KEY_HOME, CONFIG_KEY_END,
	CONFIG_KEY_BTAB, CONFIG_KEY_ENTER, CONFIG_KEY_BACKSPACE,
	CONFIG_KEY_F1 = 0x121,   /* Fn is CONFIG_KEY_F1 + n - 1, n up to 12 */
	CONFIG_KEY_F12 = CONFIG_KEY_F1 + 11,
};

struct config_binding {
	char *action;              /* as written: the key table says whether it exists */
	int line;
	int keys[CONFIG_KEYS_PER_ACTION];   /* enum config_key */
	size_t nkeys;
};

struct config_keys {
	char *path;                /* for messages, as config_load's; NULL with no [keys] */
	struct config_binding *bindings;
	size_t n;
};

/* The code of a key name ("a", "R", "space", "ctrl-x", "f5", "pgdn"; the
 * names of more than one character in any case), or -1 and *why. */
int config_key_parse(const char *name, int *key, char **why);

/* The most hosts a fleet may have: config_load refuses a file with more
 * [host] sections, and everything that keeps per-host state in an array
 * sizes it by this. */
#define FLEET_MAX_HOSTS 64

struct config {
	char *path;                /* the file read, or NULL for the implicit config */
	int refresh_ms;
	int timeout_ms;
	char *theme;               /* NULL = default; a name, or an expanded path (has a /, ~ or $) */
	bool read_only;
	char *audit_log;           /* expanded; default $XDG_STATE_HOME/kitetop/audit.log */
	bool bell;
	bool mouse;                /* default yes */
	bool log;                  /* log = yes: the error log at its default path */
	/* the error log (core/history/errlog.h) to write, or NULL: not read
	 * from the file; the caller sets it (--log FILE, or log = yes) */
	char *log_path;
	struct config_alerts alerts;

	struct config_host *hosts;
	size_t nhosts;
	struct config_service *services;
	size_t nservices;
	struct config_panel *panels;
	size_t npanels;
	struct config_cluster *clusters;
	size_t nclusters;

	/* NULL when the section is absent */
	struct config_prometheus *prometheus;
	struct config_postgres *postgres;
	struct config_redis *redis;
	struct config_authentik *authentik;
	struct config_cloudflare *cloudflare;

	struct config_keys keys;   /* [keys]; n = 0 when absent */
};

/* Loads and validates path.  NULL and *cause on error.  A file with no [host]
 * section (an empty file too) gets this machine as its one host, as
 * config_default() does.  Relative paths in the file are taken from the
 * file's directory. */
struct config *config_load(const char *path, char **cause);
/* Same, from text in memory; path is used in messages, as cfg->path, and as
 * the base of relative paths (NULL: "(configuration)", paths from the cwd).
 * Secret files named in the text are read.  Not reentrant with other users
 * of inih: it sets inih's process-wide options for the length of the call
 * (under a lock of its own) and restores them. */
struct config *config_parse(const char *path, const char *text, size_t len, char **cause);
/* The configuration with no file: one host, the Docker engine the docker CLI
 * would use when that is over SSH (DOCKER_HOST=ssh://..., else the current
 * docker context's ssh:// endpoint), else this machine. */
struct config *config_default(void);
void config_free(struct config *cfg);

/* Which file to read: explicit (-c) if not NULL, else $KITETOP_CONFIG, else
 * $XDG_CONFIG_HOME/kitetop/kitetop.conf (~/.config/...).  Returns a path the
 * caller frees, or NULL when none was given and the default does not exist. */
char *config_find(const char *explicit_path);

/* Expands ~ and $VAR / ${VAR} for the XDG variables and HOME.  Caller frees. */
char *config_expand_path(const char *path);

const struct config_host *config_host_by_name(const struct config *cfg, const char *name);

/* Replaces {address} and {name} in a per-host URL (a NULL address is
 * 127.0.0.1; an IPv6 address is put in brackets).  Caller frees. */
char *config_host_url(const struct config_host *h, const char *url);

#endif
