/* config_env — what the configuration takes from the environment (path
 * expansion, the file lookup, this machine as the default host), per-host
 * URLs, and the struct's defaults and release. */
#include "core/config/config.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/config/config_internal.h"
#include "core/base/util.h"

/* $HOME when it is an absolute path, else the password database, else "/". */
static char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd pw, *res = NULL;
	char tmp[4096];

	if (h != NULL && h[0] == '/')
		return xstrdup(h);
	if (getpwuid_r(getuid(), &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL &&
	    res->pw_dir != NULL && res->pw_dir[0] == '/')
		return xstrdup(res->pw_dir);
	return xstrdup("/");
}

/* The value of one of the variables we expand, or NULL for any other name.
 * An XDG variable that is unset, empty or relative takes its default, as the
 * XDG Base Directory specification says. */
static char *var_value(const char *name, size_t n)
{
	static const struct {
		const char *name;
		const char *under_home;   /* default below $HOME, or NULL */
	} vars[] = {
		{ "HOME", "" },
		{ "XDG_CONFIG_HOME", "/.config" },
		{ "XDG_STATE_HOME", "/.local/state" },
		{ "XDG_CACHE_HOME", "/.cache" },
		{ "XDG_DATA_HOME", "/.local/share" },
		{ "XDG_RUNTIME_DIR", NULL },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(vars); i++) {
		const char *v;
		char *home, *r;

		if (strlen(vars[i].name) != n || strncmp(vars[i].name, name, n) != 0)
			continue;
		if (i == 0)
			return home_dir();
		v = getenv(vars[i].name);
		if (v != NULL && v[0] == '/')
			return xstrdup(v);
		if (vars[i].under_home == NULL)
			return xasprintf("/run/user/%u", (unsigned)getuid());
		home = home_dir();
		r = xasprintf("%s%s", strcmp(home, "/") == 0 ? "" : home, vars[i].under_home);
		free(home);
		return r;
	}
	return NULL;
}

char *config_expand_path(const char *path)
{
	struct buf b;
	const char *p = path;

	buf_init(&b);
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
		char *home = home_dir();

		buf_puts(&b, strcmp(home, "/") == 0 && p[1] == '/' ? "" : home);
		free(home);
		p++;
	}
	while (*p != '\0') {
		const char *name, *after;
		size_t n;
		char *v;

		if (*p != '$') {
			buf_putc(&b, *p++);
			continue;
		}
		if (p[1] == '{') {
			const char *close = strchr(p + 2, '}');

			if (close == NULL) {
				buf_putc(&b, *p++);
				continue;
			}
			name = p + 2;
			n = (size_t)(close - name);
			after = close + 1;
		} else {
			name = p + 1;
			for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_'; n++)
				;
			after = name + n;
		}
		v = n > 0 ? var_value(name, n) : NULL;
		if (v == NULL) {
			buf_append(&b, p, (size_t)(after - p));   /* not ours: left as written */
		} else {
			buf_puts(&b, v);
			free(v);
		}
		p = after;
	}
	return buf_steal(&b);
}

char *config_find(const char *explicit_path)
{
	const char *env = getenv("KITETOP_CONFIG");
	char *path;

	if (explicit_path != NULL)
		return xstrdup(explicit_path);
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	path = config_expand_path("$XDG_CONFIG_HOME/kitetop/kitetop.conf");
	if (access(path, F_OK) == 0)
		return path;
	free(path);
	return NULL;
}

void config_local_docker(struct config_host *h)
{
	const char *dh = getenv("DOCKER_HOST");
	char *why = NULL;

	free(h->docker_url);
	h->docker_url = NULL;
	if (dh != NULL && (strncmp(dh, "unix://", 7) == 0 || strncmp(dh, "tcp://", 6) == 0) &&
	    config_check_docker(dh, &h->docker, &h->docker_url, &why) == 0) {
		const char *verify = getenv("DOCKER_TLS_VERIFY");
		const char *certs = getenv("DOCKER_CERT_PATH");

		if (h->docker == CONFIG_DOCKER_TCP && verify != NULL && verify[0] != '\0') {
			char *dir = certs != NULL && certs[0] != '\0' ? xstrdup(certs)
			                                              : config_expand_path("~/.docker");

			h->tls_ca = xasprintf("%s/ca.pem", dir);
			h->tls_cert = xasprintf("%s/cert.pem", dir);
			h->tls_key = xasprintf("%s/key.pem", dir);
			free(dir);
		}
		return;
	}
	free(why);
	if (access("/var/run/docker.sock", F_OK) == 0) {
		h->docker = CONFIG_DOCKER_UNIX;
		h->docker_url = xstrdup("/var/run/docker.sock");
	} else {
		h->docker = CONFIG_DOCKER_NONE;
	}
}

void config_local_host(struct config_host *h)
{
	char name[256] = "";
	size_t i, n;

	if (gethostname(name, sizeof(name) - 1) != 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	n = strlen(name);
	if (n > CONFIG_NAME_MAX)
		n = CONFIG_NAME_MAX;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
			name[i] = '-';
	}
	name[n] = '\0';
	h->name = xstrdup(n > 0 ? name : "localhost");
	h->stop_timeout = CONFIG_DEFAULT_STOP_TIMEOUT;
	h->implicit = true;
	config_local_docker(h);
}

char *config_host_url(const struct config_host *h, const char *url)
{
	struct buf b;
	const char *p = url;

	buf_init(&b);
	while (*p != '\0') {
		if (strncmp(p, "{address}", 9) == 0) {
			const char *a = h->address != NULL ? h->address : "127.0.0.1";

			/* an IPv6 address goes in brackets in a URL */
			buf_printf(&b, strchr(a, ':') != NULL ? "[%s]" : "%s", a);
			p += 9;
		} else if (strncmp(p, "{name}", 6) == 0) {
			buf_puts(&b, h->name);
			p += 6;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_steal(&b);
}

void config_init_defaults(struct config *cfg)
{
	cfg->refresh_ms = CONFIG_DEFAULT_REFRESH_MS;
	cfg->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
	cfg->mouse = true;
	cfg->audit_log = config_expand_path("$XDG_STATE_HOME/kitetop/audit.log");
	config_alerts_defaults(cfg);
}

/* Makes the structs the sections fill, with their defaults. */
static void secret_done(struct config_secret *s)
{
	free(s->file);
	free(s->env);
	if (s->value != NULL)
		explicit_bzero(s->value, strlen(s->value));
	free(s->value);
}

void config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nhosts; i++) {
		struct config_host *h = &cfg->hosts[i];

		free(h->name);
		free(h->address);
		free(h->ssh);
		free(h->identity_file);
		free(h->known_hosts);
		free(h->jump);
		free(h->docker_url);
		free(h->docker_socket);
		free(h->tls_ca);
		free(h->tls_cert);
		free(h->tls_key);
		free(h->prom_selector);
		free(h->tunnel_container);
		free(h->tunnel_ready);
		free(h->tunnel_origin_ip);
	}
	for (i = 0; i < cfg->nservices; i++) {
		free(cfg->services[i].name);
		free(cfg->services[i].container);
		free(cfg->services[i].health);
		free(cfg->services[i].public_url);
	}
	for (i = 0; i < cfg->npanels; i++) {
		free(cfg->panels[i].title);
		free(cfg->panels[i].query);
	}
	for (i = 0; i < cfg->nclusters; i++) {
		struct config_cluster *k = &cfg->clusters[i];

		free(k->name);
		for (size_t j = 0; j < k->nvia; j++)
			free(k->via[j]);
		free(k->via);
		free(k->api);
		free(k->kubeconfig);
		secret_done(&k->token);
		for (size_t j = 0; j < k->nnamespaces; j++)
			free(k->namespaces[j]);
		free(k->namespaces);
	}
	free(cfg->hosts);
	free(cfg->services);
	free(cfg->panels);
	free(cfg->clusters);
	if (cfg->prometheus != NULL) {
		free(cfg->prometheus->url);
		free(cfg->prometheus->via);
		free(cfg->prometheus->user);
		secret_done(&cfg->prometheus->password);
		secret_done(&cfg->prometheus->token);
		free(cfg->prometheus->tls_ca);
		free(cfg->prometheus);
	}
	if (cfg->postgres != NULL) {
		free(cfg->postgres->conninfo);
		secret_done(&cfg->postgres->password);
		free(cfg->postgres->via);
		free(cfg->postgres);
	}
	if (cfg->redis != NULL) {
		free(cfg->redis->address);
		free(cfg->redis->user);
		secret_done(&cfg->redis->password);
		free(cfg->redis->via);
		free(cfg->redis);
	}
	if (cfg->authentik != NULL) {
		free(cfg->authentik->url);
		free(cfg->authentik->public_url);
		secret_done(&cfg->authentik->token);
		free(cfg->authentik->tls_ca);
		free(cfg->authentik);
	}
	if (cfg->cloudflare != NULL) {
		free(cfg->cloudflare->account_id);
		free(cfg->cloudflare->tunnel_id);
		secret_done(&cfg->cloudflare->token);
		free(cfg->cloudflare->api_url);
		free(cfg->cloudflare);
	}
	config_keys_free(&cfg->keys);
	free(cfg->path);
	free(cfg->theme);
	free(cfg->audit_log);
	free(cfg->log_path);
	free(cfg);
}

struct config *config_default(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));

	config_init_defaults(cfg);
	cfg->hosts = xcalloc(1, sizeof(*cfg->hosts));
	cfg->nhosts = 1;
	if (config_docker_ssh_host(&cfg->hosts[0]) == 0)
		config_local_host(&cfg->hosts[0]);
	/* the defaults hold: warn < crit, nothing to refuse */
	config_alerts_finish(cfg, NULL, 0, &(int){ 0 }, NULL);
	return cfg;
}

const struct config_host *config_host_by_name(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		if (cfg->hosts[i].name != NULL && strcmp(cfg->hosts[i].name, name) == 0)
			return &cfg->hosts[i];
	}
	return NULL;
}
