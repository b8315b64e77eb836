/* config_cluster — the [cluster NAME] section: its list values (via,
 * namespaces), the kubeconfig's three forms, its defaults, and the checks
 * that need the whole file (via names a [host] with ssh). */
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/config/config_internal.h"

/* Splits v at commas into trimmed, non-empty names, each checked with
 * config_check_name(what) unless it is "*" and star is allowed. */
static int split_names(const char *key, const char *what, const char *v, bool star, char ***out,
                       size_t *n, char **why)
{
	const char *s = v;
	char **list = NULL;
	size_t k = 0;

	for (;;) {
		const char *c = strchr(s, ','), *e = c != NULL ? c : s + strlen(s);
		char *name;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == s) {
			util_set_cause(why, "%s = %s: an empty name in the list", key, v);
			goto fail;
		}
		name = xstrndup(s, (size_t)(e - s));
		list = xrealloc(list, (k + 1) * sizeof(*list));
		list[k++] = name;
		if (!(star && strcmp(name, "*") == 0) && config_check_name(what, name, why) != 0)
			goto fail;
		for (size_t i = 0; i + 1 < k; i++)
			if (strcmp(list[i], name) == 0) {
				util_set_cause(why, "%s = %s: %s is named twice", key, v, name);
				goto fail;
			}
		if (c == NULL)
			break;
		s = c + 1;
	}
	*out = list;
	*n = k;
	return 0;
fail:
	while (k > 0)
		free(list[--k]);
	free(list);
	return -1;
}

int config_cluster_set(const char *dir, struct section *sec, const struct key_def *d, const char *v,
                       char **why)
{
	struct config_cluster *k = sec->obj;

	switch (d->type) {
	case V_VIALIST:
		return split_names("via", "host", v, false, &k->via, &k->nvia, why);
	case V_NAMESPACES: {
		char **list;
		size_t n;

		if (split_names("namespaces", "namespace", v, true, &list, &n, why) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i], "*") == 0 && n > 1) {
				util_set_cause(why, "namespaces = %s: * means every namespace, alone", v);
				while (n > 0)
					free(list[--n]);
				free(list);
				return -1;
			}
		if (n == 1 && strcmp(list[0], "*") == 0) {   /* every namespace: the default */
			free(list[0]);
			free(list);
			return 0;
		}
		k->namespaces = list;
		k->nnamespaces = n;
		return 0;
	}
	case V_KUBECONFIG:
		free(k->kubeconfig);
		k->kubeconfig = NULL;
		if (strncmp(v, "remote:", 7) == 0) {
			if (v[7] != '/') {
				util_set_cause(why, "kubeconfig = %s: the remote path must be absolute "
				               "(remote:/etc/rancher/k3s/k3s.yaml)", v);
				return -1;
			}
			k->kubeconfig_kind = CONFIG_KUBECONFIG_REMOTE;
			k->kubeconfig = xstrdup(v + 7);
		} else if (strncmp(v, "context:", 8) == 0) {
			if (v[8] == '\0') {
				util_set_cause(why, "kubeconfig = context: needs a context name");
				return -1;
			}
			k->kubeconfig_kind = CONFIG_KUBECONFIG_CONTEXT;
			k->kubeconfig = xstrdup(v + 8);
		} else {
			k->kubeconfig_kind = CONFIG_KUBECONFIG_LOCAL;
			k->kubeconfig = config_resolve_path(dir, v);
		}
		return 0;
	default:
		util_set_cause(why, "%s: not a [cluster] key", d->name);
		return -1;
	}
}

void config_cluster_init(struct config_cluster *k, const char *name, int line)
{
	k->name = xstrdup(name);
	k->line = line;
	k->kubeconfig_kind = CONFIG_KUBECONFIG_REMOTE;
}

/* Defaults, then the checks: every via a [host] with ssh; no via only when
 * the API is reached from this machine (a local kubeconfig or a token). */
int config_cluster_finish(const struct config *cfg, struct config_cluster *k, int via_line,
                          int kubeconfig_line, int *line, char **why)
{
	if (k->api == NULL)
		k->api = xstrdup(CONFIG_DEFAULT_KUBE_API);
	/* with token_file, a kubeconfig set too gives the CA (and server) and
	 * the token stands for its user; alone, the token goes with the
	 * system's CAs */
	(void)kubeconfig_line;
	if (k->kubeconfig == NULL && k->token.value == NULL)
		k->kubeconfig = xstrdup(CONFIG_DEFAULT_KUBECONFIG);
	if (strncmp(k->api, "https://", 8) != 0) {
		*line = k->line;
		util_set_cause(why, "[cluster %s]: api = %s: the Kubernetes API is https://", k->name, k->api);
		return -1;
	}
	for (size_t i = 0; i < k->nvia; i++) {
		const struct config_host *h = config_host_by_name(cfg, k->via[i]);

		*line = via_line;
		if (h == NULL) {
			util_set_cause(why, "via = %s: there is no [host %s]", k->via[i], k->via[i]);
			return -1;
		}
		if (h->ssh == NULL) {
			util_set_cause(why, "via = %s: host %s has no ssh to go through", k->via[i], k->via[i]);
			return -1;
		}
	}
	if (k->nvia == 0 && k->kubeconfig != NULL && k->kubeconfig_kind == CONFIG_KUBECONFIG_REMOTE) {
		*line = k->line;
		util_set_cause(why, "[cluster %s] needs via = HOST[, HOST...] ([host] names with ssh) to read "
		               "%s on a server node; without via, give a local kubeconfig (a path or "
		               "context:NAME) or token_file", k->name, k->kubeconfig);
		return -1;
	}
	return 0;
}
