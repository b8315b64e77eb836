/* route — see route.h. */
#include "core/fleet/route.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/docker_parse.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/buf.h"
#include "core/base/util.h"

/* The length of err's "source: " prefix (lower-case letters, a colon, a
 * space), 0 when it has none. */
static size_t route_error_prefix(const char *err)
{
	size_t n = 0;

	while (err[n] >= 'a' && err[n] <= 'z')
		n++;
	return n > 0 && err[n] == ':' && err[n + 1] == ' ' ? n + 2 : 0;
}

char *route_error_words(const char *err, const char *relay, const struct fleet_reach *reach,
                        const char *sock, const char *target)
{
	struct buf b;
	const char *p, *at;

	if (relay == NULL)
		return xstrdup(err);
	buf_init(&b);
	if (reach != NULL && !reach->connected) {
		buf_append(&b, err, route_error_prefix(err));
		buf_printf(&b, "%s unreachable: %s", relay,
		           reach->error[0] != '\0' ? reach->error : "connecting");
		return buf_steal(&b);
	}
	for (p = err; sock != NULL && sock[0] != '\0' && (at = strstr(p, sock)) != NULL; ) {
		buf_append(&b, p, (size_t)(at - p));
		if (target != NULL)
			buf_printf(&b, "via %s to %s", relay, target);
		else
			buf_printf(&b, "via %s", relay);
		/* the rest of the path (a file in a forward's directory) goes too */
		p = at + strcspn(at, " \t\n\"'),:");
	}
	buf_puts(&b, p);
	return buf_steal(&b);
}

void route_error_blame(struct fleet_host *via, const char *sock, const char *target, char **cause)
{
	struct fleet_reach reach;
	char *w;

	if (via == NULL || via->local || cause == NULL || *cause == NULL)
		return;
	fleet_host_reach(via, &reach);
	w = route_error_words(*cause, via->name, &reach, sock, target);
	free(*cause);
	*cause = w;
}

struct fleet_host *route_via(struct fleet *fleet, const char *via, char **cause)
{
	for (size_t i = 0; via != NULL && i < fleet->nhosts; i++)
		if (strcmp(fleet->hosts[i].name, via) == 0)
			return &fleet->hosts[i];
	if (via != NULL)
		util_set_cause(cause, "no host named %s", via);
	return NULL;
}

struct docker *route_docker_open(struct fleet_host *host, int timeout_ms, int stats_workers,
                               const atomic_int *cancel, char **cause)
{
	const struct config_host *h = host->cfg;
	struct docker_options opt = { .timeout_ms = timeout_ms, .cancel = cancel,
	                              .stats_workers = stats_workers };
	char *sock = NULL, *url = NULL;
	struct docker *d;

	switch (h->docker) {
	case CONFIG_DOCKER_SSH: {
		const char *path;

		if (host->ssh == NULL) {
			util_set_cause(cause, "%s", host->ssh_error != NULL ? host->ssh_error : "no SSH session");
			return NULL;
		}
		path = transport_ssh_docker_socket(host->ssh, cause);
		if (path == NULL)
			return NULL;
		sock = xstrdup(path);
		url = xstrdup("http://localhost");
		if (stats_workers > ROUTE_SSH_STATS_WORKERS || stats_workers == 0)
			opt.stats_workers = ROUTE_SSH_STATS_WORKERS;
		break;
	}
	case CONFIG_DOCKER_UNIX:
		sock = xstrdup(h->docker_url);
		url = xstrdup("http://localhost");
		break;
	case CONFIG_DOCKER_TCP: {
		char *spec = xasprintf("tcp://%s", h->docker_url != NULL ? h->docker_url : "");
		int rc = docker_endpoint_parse(spec, h->tls_cert != NULL || h->tls_ca != NULL,
		                               &sock, &url, cause);

		free(spec);
		if (rc == -1)
			return NULL;
		opt.tls.ca_file = h->tls_ca;
		opt.tls.cert_file = h->tls_cert;
		opt.tls.key_file = h->tls_key;
		break;
	}
	default:
		util_set_cause(cause, "%s has no Docker engine configured (docker = none)", host->name);
		return NULL;
	}
	opt.unix_socket = sock;
	opt.base_url = url;
	d = docker_new(&opt);   /* copies the strings */
	free(sock);
	free(url);
	return d;
}

/* "http://[v6]:port/x" or "https://host/x" into host and port. */
static int route_url_host_port(const char *url, char **host, int *port, char **cause)
{
	const char *p = strstr(url, "://"), *end, *colon = NULL;
	bool https = strncmp(url, "https://", 8) == 0;
	long v;

	if (p == NULL) {
		util_set_cause(cause, "not a URL: %s", url);
		return -1;
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL) {
			util_set_cause(cause, "bad IPv6 address in %s", url);
			return -1;
		}
		*host = xstrndup(p + 1, (size_t)(rb - p - 1));
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		*host = xstrndup(p, (size_t)((colon != NULL ? colon : end) - p));
	}
	if (colon == NULL) {
		*port = https ? 443 : 80;
		return 0;
	}
	v = strtol(colon + 1, NULL, 10);
	if (v <= 0 || v > 65535) {
		free(*host);
		*host = NULL;
		util_set_cause(cause, "bad port in %s", url);
		return -1;
	}
	*port = (int)v;
	return 0;
}

int route_http(struct fleet *fleet, const char *via, const char *url, char **url_out,
                      char **unix_socket, char **cause)
{
	const struct fleet_host *h;
	char *host = NULL;
	int port;

	*unix_socket = NULL;
	*url_out = NULL;
	h = route_via(fleet, via, cause);
	if (via != NULL && h == NULL)
		return -1;
	*url_out = h != NULL ? config_host_url(h->cfg, url) : xstrdup(url);
	if (h == NULL || h->local)
		return 0;
	if (h->ssh == NULL) {
		util_set_cause(cause, "%s", h->ssh_error != NULL ? h->ssh_error : "no SSH session");
		goto fail;
	}
	if (route_url_host_port(*url_out, &host, &port, cause) == -1)
		goto fail;
	*unix_socket = transport_ssh_forward_http(h->ssh, host, port, cause);
	free(host);
	if (*unix_socket == NULL)
		goto fail;
	return 0;
fail:
	free(*url_out);
	*url_out = NULL;
	return -1;
}
