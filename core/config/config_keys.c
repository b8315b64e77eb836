/* config_keys — every key of every section, and how each value is checked
 * and stored. */
#include <stdlib.h>
#include <string.h>

#include "core/config/config.h"
#include "core/config/config_internal.h"
#include "core/base/util.h"

#define KEY(n, t, s, f) { n, t, offsetof(s, f), 0, 0 }
#define KEYR(n, t, s, f, lo, hi) { n, t, offsetof(s, f), lo, hi }

static const struct key_def kitetop_keys[] = {
	KEYR("refresh", V_SECS, struct config, refresh_ms, 0.2, 3600),
	KEYR("timeout", V_SECS, struct config, timeout_ms, 0.1, 600),
	KEY("theme", V_THEME, struct config, theme),
	KEY("read_only", V_BOOL, struct config, read_only),
	KEY("audit_log", V_PATH, struct config, audit_log),
	KEY("bell", V_BOOL, struct config, bell),
	KEY("mouse", V_BOOL, struct config, mouse),
	KEY("log", V_BOOL, struct config, log),
};

static const struct key_def host_keys[] = {
	KEY("address", V_ADDRESS, struct config_host, address),
	KEY("ssh", V_SSH, struct config_host, ssh),
	KEY("identity_file", V_PATH, struct config_host, identity_file),
	KEY("known_hosts", V_PATH, struct config_host, known_hosts),
	KEY("jump", V_JUMP, struct config_host, jump),
	KEY("docker", V_DOCKER, struct config_host, docker),
	KEY("docker_socket", V_ABSPATH, struct config_host, docker_socket),
	KEY("tls_ca", V_PATH, struct config_host, tls_ca),
	KEY("tls_cert", V_PATH, struct config_host, tls_cert),
	KEY("tls_key", V_PATH, struct config_host, tls_key),
	KEY("prom_selector", V_SELECTOR, struct config_host, prom_selector),
	KEY("tunnel_container", V_CONTAINER, struct config_host, tunnel_container),
	KEY("tunnel_ready", V_HOSTURL, struct config_host, tunnel_ready),
	KEY("tunnel_origin_ip", V_IP, struct config_host, tunnel_origin_ip),
	KEYR("stop_timeout", V_INT, struct config_host, stop_timeout, 0, 3600),
	KEY("cpu_warn", V_PCT, struct config_host, alerts.warn[CONFIG_ALERT_CPU]),
	KEY("cpu_crit", V_PCT, struct config_host, alerts.crit[CONFIG_ALERT_CPU]),
	KEY("mem_warn", V_PCT, struct config_host, alerts.warn[CONFIG_ALERT_MEM]),
	KEY("mem_crit", V_PCT, struct config_host, alerts.crit[CONFIG_ALERT_MEM]),
	KEY("disk_warn", V_PCT, struct config_host, alerts.warn[CONFIG_ALERT_DISK]),
	KEY("disk_crit", V_PCT, struct config_host, alerts.crit[CONFIG_ALERT_DISK]),
};

static const struct key_def prometheus_keys[] = {
	KEY("url", V_URL, struct config_prometheus, url),
	KEY("via", V_VIA, struct config_prometheus, via),
	KEY("user", V_STR, struct config_prometheus, user),
	KEY("password_file", V_SECRET_FILE, struct config_prometheus, password),
	KEY("password_env", V_SECRET_ENV, struct config_prometheus, password),
	KEY("token_file", V_SECRET_FILE, struct config_prometheus, token),
	KEY("token_env", V_SECRET_ENV, struct config_prometheus, token),
	KEY("tls_ca", V_PATH, struct config_prometheus, tls_ca),
	KEY("insecure", V_BOOL, struct config_prometheus, insecure),
};

static const struct key_def postgres_keys[] = {
	KEY("conninfo", V_CONNINFO, struct config_postgres, conninfo),
	KEY("password_file", V_SECRET_FILE, struct config_postgres, password),
	KEY("password_env", V_SECRET_ENV, struct config_postgres, password),
	KEY("via", V_VIA, struct config_postgres, via),
	KEY("show_queries", V_BOOL, struct config_postgres, show_queries),
};

static const struct key_def redis_keys[] = {
	KEY("address", V_HOSTPORT, struct config_redis, address),
	KEY("user", V_STR, struct config_redis, user),
	KEY("password_file", V_SECRET_FILE, struct config_redis, password),
	KEY("password_env", V_SECRET_ENV, struct config_redis, password),
	KEY("via", V_VIA, struct config_redis, via),
};

static const struct key_def authentik_keys[] = {
	KEY("url", V_HOSTURL, struct config_authentik, url),
	KEY("public_url", V_URL, struct config_authentik, public_url),
	KEY("token_file", V_SECRET_FILE, struct config_authentik, token),
	KEY("token_env", V_SECRET_ENV, struct config_authentik, token),
	KEY("tls_ca", V_PATH, struct config_authentik, tls_ca),
	KEY("insecure", V_BOOL, struct config_authentik, insecure),
};

static const struct key_def cloudflare_keys[] = {
	KEY("account_id", V_ALNUM, struct config_cloudflare, account_id),
	KEY("tunnel_id", V_UUID, struct config_cloudflare, tunnel_id),
	KEY("token_file", V_SECRET_FILE, struct config_cloudflare, token),
	KEY("token_env", V_SECRET_ENV, struct config_cloudflare, token),
	KEY("api_url", V_URL, struct config_cloudflare, api_url),
	KEYR("refresh", V_SECS, struct config_cloudflare, refresh_ms, 1, 3600),
};

static const struct key_def service_keys[] = {
	KEY("container", V_CONTAINER, struct config_service, container),
	KEY("health", V_HOSTURL, struct config_service, health),
	KEY("expect", V_EXPECT, struct config_service, expect_min),
	KEY("public_url", V_URL, struct config_service, public_url),
	KEYR("restarts_warn", V_INT, struct config_service, restarts_warn, 0, 1000),
	KEYR("probe_ms_warn", V_INT, struct config_service, probe_ms_warn, 0, 600000),
};

static const struct key_def panel_keys[] = {
	KEY("query", V_STR, struct config_panel, query),
	KEY("unit", V_UNIT, struct config_panel, unit),
	KEY("warn", V_WARN, struct config_panel, warn),
	KEY("crit", V_CRIT, struct config_panel, crit),
	KEY("per_host", V_BOOL, struct config_panel, per_host),
};

static const struct key_def cluster_keys[] = {
	KEY("via", V_VIALIST, struct config_cluster, via),
	KEY("api", V_URL, struct config_cluster, api),
	KEY("kubeconfig", V_KUBECONFIG, struct config_cluster, kubeconfig),
	KEY("token_file", V_SECRET_FILE, struct config_cluster, token),
	KEY("namespaces", V_NAMESPACES, struct config_cluster, namespaces),
};

/* Any key here may be set in [host NAME] (cpu_*, mem_*, disk_*) or [service
 * NAME] (restarts_warn, probe_ms_warn) too: the same names, the same ranges. */
static const struct key_def alerts_keys[] = {
	KEY("cpu_warn", V_PCT, struct config_alerts, host.warn[CONFIG_ALERT_CPU]),
	KEY("cpu_crit", V_PCT, struct config_alerts, host.crit[CONFIG_ALERT_CPU]),
	KEY("mem_warn", V_PCT, struct config_alerts, host.warn[CONFIG_ALERT_MEM]),
	KEY("mem_crit", V_PCT, struct config_alerts, host.crit[CONFIG_ALERT_MEM]),
	KEY("disk_warn", V_PCT, struct config_alerts, host.warn[CONFIG_ALERT_DISK]),
	KEY("disk_crit", V_PCT, struct config_alerts, host.crit[CONFIG_ALERT_DISK]),
	KEYR("restarts_warn", V_INT, struct config_alerts, restarts_warn, 0, 1000),
	KEYR("probe_ms_warn", V_INT, struct config_alerts, probe_ms_warn, 0, 600000),
	KEY("pg_conn_warn", V_PCT, struct config_alerts, pg_conn_warn),
	KEY("pg_conn_crit", V_PCT, struct config_alerts, pg_conn_crit),
};

_Static_assert(UTIL_ARRAY_LEN(host_keys) <= KEYS_MAX, "host_keys: raise KEYS_MAX");
_Static_assert(UTIL_ARRAY_LEN(prometheus_keys) <= KEYS_MAX, "prometheus_keys: raise KEYS_MAX");
_Static_assert(UTIL_ARRAY_LEN(alerts_keys) <= KEYS_MAX, "alerts_keys: raise KEYS_MAX");

const struct kind_def config_kinds[SEC_NKINDS] = {
	[SEC_KITETOP] = { "kitetop", false, kitetop_keys, UTIL_ARRAY_LEN(kitetop_keys) },
	[SEC_HOST] = { "host", true, host_keys, UTIL_ARRAY_LEN(host_keys) },
	[SEC_PROMETHEUS] = { "prometheus", false, prometheus_keys, UTIL_ARRAY_LEN(prometheus_keys) },
	[SEC_POSTGRES] = { "postgres", false, postgres_keys, UTIL_ARRAY_LEN(postgres_keys) },
	[SEC_REDIS] = { "redis", false, redis_keys, UTIL_ARRAY_LEN(redis_keys) },
	[SEC_AUTHENTIK] = { "authentik", false, authentik_keys, UTIL_ARRAY_LEN(authentik_keys) },
	[SEC_CLOUDFLARE] = { "cloudflare", false, cloudflare_keys, UTIL_ARRAY_LEN(cloudflare_keys) },
	[SEC_SERVICE] = { "service", true, service_keys, UTIL_ARRAY_LEN(service_keys) },
	[SEC_PANEL] = { "panel", true, panel_keys, UTIL_ARRAY_LEN(panel_keys) },
	[SEC_ALERTS] = { "alerts", false, alerts_keys, UTIL_ARRAY_LEN(alerts_keys) },
	/* its keys are the key table's actions: config_keys_add() takes them */
	[SEC_KEYS] = { "keys", false, NULL, 0 },
	[SEC_CLUSTER] = { "cluster", true, cluster_keys, UTIL_ARRAY_LEN(cluster_keys) },
};


int config_key_find(enum sec_kind kind, const char *name, const struct key_def **suggest)
{
	const struct kind_def *kd = &config_kinds[kind];
	size_t i, best = 3;

	*suggest = NULL;
	for (i = 0; i < kd->nkeys; i++) {
		if (strcmp(kd->keys[i].name, name) == 0)
			return (int)i;
	}
	for (i = 0; i < kd->nkeys; i++) {
		size_t d = util_edit_distance(name, kd->keys[i].name);

		if (d < best) {
			best = d;
			*suggest = &kd->keys[i];
		}
	}
	return -1;
}

char *config_resolve_path(const char *dir, const char *v)
{
	char *e = config_expand_path(v), *r;

	if (e[0] == '/' || dir == NULL)
		return e;
	r = xasprintf("%s/%s", dir, e);
	free(e);
	return r;
}


static int set_secret(const char *dir, const struct key_def *d, struct config_secret *sc,
                      const char *v, char **why)
{
	size_t base = strcspn(d->name, "_");

	if (sc->value != NULL || sc->file != NULL || sc->env != NULL) {
		util_set_cause(why, "%.*s_file and %.*s_env are both set: keep one", (int)base, d->name,
		               (int)base, d->name);
		return -1;
	}
	if (d->type == V_SECRET_FILE) {
		char *path = config_resolve_path(dir, v);

		if (config_read_secret_file(path, &sc->value, why) != 0) {
			free(path);
			return -1;
		}
		sc->file = path;
		return 0;
	}
	if (config_check_env_name(v, why) != 0)
		return -1;
	{
		const char *val = getenv(v);

		if (val == NULL || *val == '\0') {
			util_set_cause(why, "environment variable %s (%s) is %s", v, d->name,
			               val == NULL ? "not set" : "empty");
			return -1;
		}
		sc->env = xstrdup(v);
		sc->value = xstrdup(val);
	}
	return 0;
}

int config_set_value(const char *dir, struct section *sec, const struct key_def *d, const char *v,
                     char **why)
{
	void *field = (char *)sec->obj + d->off;
	char **str = field;
	int rc = 0;

	switch (d->type) {
	case V_STR:
		break;
	case V_PATH:
		free(*str);   /* a default, as audit_log has */
		*str = config_resolve_path(dir, v);
		if (strcmp(d->name, "identity_file") == 0)
			return config_check_key_file(*str, why);
		return 0;
	case V_ABSPATH:
		if (v[0] != '/') {
			util_set_cause(why, "%s must be an absolute path", d->name);
			return -1;
		}
		break;
	case V_THEME:
		if (strchr(v, '/') != NULL || v[0] == '~' || v[0] == '$') {
			free(*str);
			*str = config_resolve_path(dir, v);
			return 0;
		}
		rc = config_check_name("theme", v, why);
		break;
	case V_URL:
	case V_HOSTURL:
		rc = config_check_url(v, d->type == V_HOSTURL, why);
		break;
	case V_BOOL:
		if (!util_parse_bool(v, (bool *)field)) {
			util_set_cause(why, "%s = \"%s\": use yes or no", d->name, v);
			return -1;
		}
		return 0;
	case V_SECS:
		return config_check_seconds(v, d->min, d->max, (int *)field, why);
	case V_INT:
		return config_check_int(v, (long)d->min, (long)d->max, (int *)field, why);
	case V_SECRET_FILE:
	case V_SECRET_ENV:
		return set_secret(dir, d, field, v, why);
	case V_VIA:
		rc = config_check_name("host", v, why);
		break;
	case V_CONTAINER:
		rc = config_check_container(v, why);
		break;
	case V_SSH: {
		char *host = NULL;

		rc = config_check_ssh(v, &host, why);
		free(host);
		break;
	}
	case V_JUMP:
		rc = config_check_jump(v, why);
		break;
	case V_DOCKER: {
		struct config_host *h = sec->obj;

		return config_check_docker(v, &h->docker, &h->docker_url, why);
	}
	case V_SELECTOR:
		rc = config_check_selector(v, why);
		break;
	case V_IP:
		rc = config_check_ip(v, why);
		break;
	case V_ADDRESS:
		rc = config_check_address(v, why);
		break;
	case V_HOSTPORT:
		rc = config_check_hostport(v, why);
		break;
	case V_CONNINFO:
		rc = config_check_conninfo(v, why);
		break;
	case V_ALNUM:
		rc = config_check_alnum(v, why);
		break;
	case V_UUID:
		rc = config_check_uuid(v, why);
		break;
	case V_EXPECT: {
		struct config_service *s = sec->obj;

		return config_check_expect(v, &s->expect_min, &s->expect_max, why);
	}
	case V_UNIT:
		return config_check_unit(v, (enum config_unit *)field, why);
	case V_PCT:
		return config_check_pct(d->name, v, (double *)field, why);
	case V_VIALIST:
	case V_KUBECONFIG:
	case V_NAMESPACES:
		return config_cluster_set(dir, sec, d, v, why);
	case V_WARN:
	case V_CRIT: {
		struct config_panel *pn = sec->obj;

		if (config_check_number(v, (double *)field, why) != 0)
			return -1;
		if (d->type == V_WARN)
			pn->has_warn = true;
		else
			pn->has_crit = true;
		return 0;
	}
	}
	if (rc == 0) {
		free(*str);
		*str = xstrdup(v);
	}
	return rc;
}
