/* feed_cluster_conn — reaching a cluster's API (feed_cluster_internal.h):
 * the via hosts in order, each one's route and the credentials read through
 * it, then discovery. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kubeconfig.h"
#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/feeds/feed_cluster_internal.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_exec.h"
#include "core/fleet/route.h"

#define UNREADABLE "KITETOP-UNREADABLE "
#define FC_KUBECONFIG_MAX (1024 * 1024)

char *feed_cluster_cat_command(const char *path)
{
	struct buf q;
	char *r;

	buf_init(&q);
	buf_putc(&q, '\'');
	for (const char *p = path; *p != '\0'; p++) {
		if (*p == '\'')
			buf_puts(&q, "'\\''");
		else
			buf_putc(&q, *p);
	}
	buf_putc(&q, '\'');
	r = xasprintf("cat %s 2>/dev/null || sudo -n cat %s 2>/dev/null || echo \"" UNREADABLE "$(id -un)\"",
	              buf_cstr(&q), buf_cstr(&q));
	buf_done(&q);
	return r;
}

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path), *d = xstrdup(dirname(copy));

	free(copy);
	return d;
}

/* The credentials for cfg, read through via (NULL: none) when remote. */
static int read_creds(struct fleet *fleet, const struct config_cluster *cfg, struct fleet_host *via,
                      const atomic_int *cancel, struct kube_creds *creds, char **cause)
{
	memset(creds, 0, sizeof *creds);
	if (cfg->token.value != NULL && cfg->kubeconfig == NULL) {
		creds->token = xstrdup(cfg->token.value);   /* the system's CAs */
		return 0;
	}
	if (cfg->token.value != NULL) {
		/* the kubeconfig's CA and server; the token for its user */
		struct config_cluster k = *cfg;
		int rc;

		k.token.value = NULL;
		rc = read_creds(fleet, &k, via, cancel, creds, cause);
		if (rc == 0) {
			struct kube_creds keep = { .server = creds->server, .ca_pem = creds->ca_pem,
			                           .ca_len = creds->ca_len, .insecure = creds->insecure,
			                           .tls_server_name = creds->tls_server_name,
			                           .token = xstrdup(cfg->token.value) };

			creds->server = NULL;
			creds->ca_pem = NULL;
			creds->ca_len = 0;
			creds->tls_server_name = NULL;
			kube_creds_done(creds);
			*creds = keep;
		}
		return rc;
	}
	if (cfg->kubeconfig_kind == CONFIG_KUBECONFIG_CONTEXT)
		return kubeconfig_load(cfg->kubeconfig, creds, cause);
	if (cfg->kubeconfig_kind == CONFIG_KUBECONFIG_LOCAL) {
		char *text = NULL, *dir;
		size_t len = 0;
		int rc;

		if (util_read_file(cfg->kubeconfig, FC_KUBECONFIG_MAX, &text, &len, cause) != 0)
			return -1;
		dir = dir_of(cfg->kubeconfig);
		rc = kubeconfig_parse(text, len, NULL, dir, creds, cause);
		explicit_bzero(text, len);
		free(text);
		free(dir);
		return rc;
	}
	{
		struct buf out;
		char *cmd = feed_cluster_cat_command(cfg->kubeconfig);
		int rc;

		if (via == NULL) {
			free(cmd);
			util_set_cause(cause, "a remote kubeconfig needs a via host");
			return -1;
		}
		buf_init(&out);
		rc = feed_ssh_exec(fleet, via, cmd, "kubeconfig", FC_KUBECONFIG_MAX, cancel, &out, cause);
		free(cmd);
		if (rc == 0 && strncmp(buf_cstr(&out), UNREADABLE, strlen(UNREADABLE)) == 0) {
			const char *user = buf_cstr(&out) + strlen(UNREADABLE);

			util_set_cause(cause, "%s not readable by %.*s on %s: set write-kubeconfig-mode or allow "
			               "sudo -n cat", strrchr(cfg->kubeconfig, '/') != NULL ?
			               strrchr(cfg->kubeconfig, '/') + 1 : cfg->kubeconfig,
			               (int)strcspn(user, "\r\n"), user, via->name);
			rc = -1;
		} else if (rc == 0) {
			/* files it names are on the server: refused (NULL base) */
			rc = kubeconfig_parse(out.data, out.len, NULL, NULL, creds, cause);
			if (rc != 0) {
				char *why = *cause;

				*cause = xasprintf("%s on %s: %s", cfg->kubeconfig, via->name, why != NULL ? why : "?");
				free(why);
			}
		} else {
			rc = -1;
		}
		if (out.data != NULL)
			explicit_bzero(out.data, out.len);
		buf_done(&out);
		return rc;
	}
}

/* One try: through via (NULL: directly). */
static int connect_one(struct fleet *fleet, const struct config_cluster *cfg, struct fleet_host *via,
                       struct kube_client *kc, const atomic_int *cancel, char **version,
                       struct kube_apis *apis, char **cause)
{
	struct kube_target t = { 0 };
	char *url = NULL, *sock = NULL;

	if (via != NULL) {
		struct fleet_reach reach;

		fleet_host_reach(via, &reach);
		if (reach.known && !reach.connected) {
			util_set_cause(cause, "unreachable: %s", reach.error[0] != '\0' ? reach.error : "ssh down");
			return -1;
		}
	}
	if (read_creds(fleet, cfg, via, cancel, &t.creds, cause) != 0)
		return -1;
	if (route_http(fleet, via != NULL ? via->name : NULL, cfg->api, &url, &sock, cause) != 0) {
		kube_creds_done(&t.creds);
		return -1;
	}
	/* without via, a kubeconfig's own server (unless api was set) */
	if (via == NULL && t.creds.server != NULL && strcmp(cfg->api, CONFIG_DEFAULT_KUBE_API) == 0) {
		free(url);
		url = xstrdup(t.creds.server);
	}
	t.api = url != NULL ? url : xstrdup(cfg->api);
	t.unix_socket = sock;
	t.via = via != NULL ? xstrdup(via->name) : NULL;
	kube_client_set_target(kc, &t);
	if (kube_client_discover(kc, version, apis, cause) != 0) {
		if (via != NULL)
			route_error_blame(via, sock, cfg->api, cause);
		return -1;
	}
	return 0;
}

int feed_cluster_connect(struct fleet *fleet, const struct config_cluster *cfg,
                         struct kube_client *kc, const atomic_int *cancel, char **version,
                         struct kube_apis *apis, char **cause)
{
	struct buf why;
	int rc = -1;

	buf_init(&why);
	if (cfg->nvia == 0) {
		rc = connect_one(fleet, cfg, NULL, kc, cancel, version, apis, cause);
		buf_done(&why);
		return rc;
	}
	for (size_t i = 0; i < cfg->nvia && rc != 0; i++) {
		char *err = NULL;
		struct fleet_host *h = route_via(fleet, cfg->via[i], &err);

		if (h != NULL)
			rc = connect_one(fleet, cfg, h, kc, cancel, version, apis, &err);
		if (rc != 0) {
			buf_printf(&why, "%s%s: %s", why.len > 0 ? "; " : "", cfg->via[i], err != NULL ? err : "?");
			if (cancel != NULL && atomic_load(cancel) != 0)
				break;
		}
		free(err);
	}
	if (rc != 0) {
		free(*cause);
		*cause = buf_steal(&why);
	}
	buf_done(&why);
	return rc;
}
