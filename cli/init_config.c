/* init_config — see init_config.h. */
#include "cli/init_config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/util.h"

static const char *const init_kinds[INIT_NKINDS] = {
	"cloudflared", "authentik", "node-exporter", "prometheus", "postgres", "redis",
};

void init_host_done(struct init_host *h)
{
	free(h->name);
	free(h->target);
	free(h->address);
	free(h->error);
	free(h->docker_error);
	free(h->docker_version);
	for (int k = 0; k < INIT_NKINDS; k++)
		free(h->found[k]);
	memset(h, 0, sizeof *h);
}

const char *init_kind_name(enum init_kind k)
{
	return k >= 0 && k < INIT_NKINDS ? init_kinds[k] : "?";
}

/* The kind a repository path ("prom/node-exporter", "cloudflared") names,
 * or -1.  path is lower case, without registry, tag or digest. */
static int init_detect_path(const char *path)
{
	const char *last = strrchr(path, '/');
	static const char *const postgres[] = { "postgres", "postgresql", "postgis", "timescaledb",
	                                        "timescaledb-ha" };
	static const char *const redis[] = { "redis", "redis-stack", "redis-stack-server", "valkey",
	                                     "redict" };

	last = last != NULL ? last + 1 : path;
	if (strstr(last, "exporter") != NULL)   /* an exporter of postgres is not postgres */
		return strcmp(last, "node-exporter") == 0 || strcmp(last, "node_exporter") == 0 ?
		       INIT_NODE_EXPORTER : -1;
	if (strstr(last, "cloudflared") != NULL)
		return INIT_CLOUDFLARED;
	if (strstr(path, "authentik") != NULL && strstr(last, "outpost") == NULL &&
	    strstr(last, "ldap") == NULL && strstr(last, "radius") == NULL)
		return INIT_AUTHENTIK;
	if (strcmp(last, "prometheus") == 0)
		return INIT_PROMETHEUS;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(postgres); i++)
		if (strcmp(last, postgres[i]) == 0)
			return INIT_POSTGRES;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(redis); i++)
		if (strcmp(last, redis[i]) == 0)
			return INIT_REDIS;
	return -1;
}

/* An image reference's repository path in lower case: "ghcr.io/goauthentik/
 * server:2024.2@sha256:..." → "goauthentik/server".  Caller frees. */
static char *init_image_path(const char *image)
{
	const char *p = image, *slash = strchr(image, '/');
	char *out, *at, *colon;

	/* a first component with '.' or ':' or "localhost" is a registry */
	if (slash != NULL && (memchr(image, '.', (size_t)(slash - image)) != NULL ||
	                      memchr(image, ':', (size_t)(slash - image)) != NULL ||
	                      (slash - image == 9 && strncmp(image, "localhost", 9) == 0)))
		p = slash + 1;
	out = xstrdup(p);
	if ((at = strchr(out, '@')) != NULL)
		*at = '\0';
	colon = strrchr(out, ':');
	if (colon != NULL && strchr(colon, '/') == NULL)
		*colon = '\0';
	for (char *c = out; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

int init_detect(const char *image, const char *name)
{
	int k = -1;

	if (image != NULL && image[0] != '\0' && strncmp(image, "sha256:", 7) != 0) {
		char *path = init_image_path(image);

		k = init_detect_path(path);
		free(path);
	}
	if (k == -1 && name != NULL && name[0] != '\0') {
		char *lower = xstrdup(name);
		char *cut;

		for (char *c = lower; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		/* compose names: "stack-redis-1", "stack_postgres_1" */
		k = init_detect_path(lower);
		for (cut = lower; k == -1 && (cut = strpbrk(cut, "-_")) != NULL; cut++) {
			char *part = xstrdup(cut + 1), *end = strpbrk(part, "-_");

			if (end != NULL && strchr("0123456789", end[1] != '\0' ? end[1] : 'x') != NULL)
				*end = '\0';
			k = init_detect_path(part);
			free(part);
		}
		if (k == -1) {   /* "redis-1", "postgres_2" */
			cut = strpbrk(lower, "-_");
			if (cut != NULL && isdigit((unsigned char)cut[1])) {
				*cut = '\0';
				k = init_detect_path(lower);
			}
		}
		free(lower);
	}
	return k;
}

char *init_host_name(const char *target)
{
	const char *at = strrchr(target, '@'), *p = at != NULL ? at + 1 : target;
	size_t n;
	char *out;

	if (*p == '[') {   /* [v6]:port */
		const char *close = strchr(p, ']');

		n = close != NULL ? (size_t)(close - p - 1) : strlen(p + 1);
		p++;
	} else {
		const char *colon = strchr(p, ':');

		n = colon != NULL && strchr(colon + 1, ':') == NULL ? (size_t)(colon - p) : strlen(p);
	}
	if (n > 64)
		n = 64;
	out = n > 0 ? xstrndup(p, n) : xstrdup("host");
	for (char *c = out; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
			*c = '-';
	return out;
}

char *init_fix(const char *error, const char *name)
{
	if (error == NULL)
		return NULL;
	if (strstr(error, "cannot resolve") != NULL)
		return xasprintf("check the name, or give it a HostName in ~/.ssh/config (Host %s)", name);
	if (strstr(error, "Connection refused") != NULL || strstr(error, "connection refused") != NULL) {
		if (strncmp(error, "docker:", 7) == 0)
			return xstrdup("start the Docker engine on the host (systemctl start docker)");
		return xasprintf("is sshd running on %s, on that port? `ssh %s` must work first", name, name);
	}
	if (strstr(error, "no answer from") != NULL || strstr(error, "No route") != NULL ||
	    strstr(error, "timed out") != NULL || strstr(error, "did not complete") != NULL)
		return xasprintf("is %s up, and the port right? A firewall may drop the connection; "
		                 "`ssh -v %s` shows where it stops", name, name);
	if (strstr(error, "not a known host") != NULL)
		return xasprintf("connect once with `ssh %s` and accept its host key (kitetop never "
		                 "accepts one by itself)", name);
	if (strstr(error, "host key mismatch") != NULL)
		return xasprintf("make sure the host really changed, then `ssh-keygen -R HOST` and "
		                 "`ssh %s` again", name);
	if (strstr(error, "passphrase") != NULL)
		return xstrdup("load the key into ssh-agent (ssh-add) so that kitetop can use it");
	if (strstr(error, "refused") != NULL || strstr(error, "no key to offer") != NULL ||
	    strstr(error, "authentication") != NULL)
		return xasprintf("kitetop signs in with keys only (ssh-agent, or IdentityFile in "
		                 "~/.ssh/config for Host %s); `ssh %s` must work without a password",
		                 name, name);
	if (strstr(error, "permission denied") != NULL || strstr(error, "Permission denied") != NULL)
		return xstrdup("add the SSH user to the docker group (usermod -aG docker USER), "
		               "then log in again");
	if (strstr(error, "not found") != NULL || strstr(error, "exit status 127") != NULL)
		return xasprintf("install Docker on %s, or put the docker command in the PATH of "
		                 "the SSH user", name);
	if (strncmp(error, "docker:", 7) == 0)
		return xasprintf("check that `ssh %s docker version` works", name);
	return NULL;
}

/* text in a comment: one line, no control characters. */
static void init_comment(struct buf *b, const char *text)
{
	for (; *text != '\0'; text++)
		buf_putc(b, (unsigned char)*text < 0x20 || *text == 0x7f ? ' ' : *text);
}

/* The host's one-line summary (no newline). */
static void init_summary(struct buf *b, const struct init_host *h)
{
	bool any = false;

	if (h->error != NULL) {
		buf_puts(b, "NOT reachable: ");
		init_comment(b, h->error);
		return;
	}
	buf_printf(b, "reachable (%.1f s)", h->ms / 1000.0);
	if (h->docker_error != NULL) {
		buf_puts(b, ", Docker NOT reachable: ");
		init_comment(b, h->docker_error);
		return;
	}
	buf_printf(b, ", Docker %s, %zu container%s", h->docker_version != NULL ? h->docker_version : "?",
	           h->ncontainers, h->ncontainers == 1 ? "" : "s");
	for (int k = 0; k < INIT_NKINDS; k++) {
		if (h->found[k] == NULL)
			continue;
		buf_puts(b, any ? ", " : "; found ");
		buf_puts(b, init_kinds[k]);
		if (strcmp(h->found[k], init_kinds[k]) != 0)
			buf_printf(b, " (%s)", h->found[k]);
		any = true;
	}
}

/* hosts' [host] names, unique: a second "monk" is "monk-2".  Caller frees
 * each and the array. */
static char **init_names(const struct init_host *hosts, size_t n)
{
	char **names = xcalloc(n > 0 ? n : 1, sizeof *names);

	for (size_t i = 0; i < n; i++) {
		names[i] = xstrdup(hosts[i].name);
		for (int suffix = 2;; suffix++) {
			bool dup = false;

			for (size_t k = 0; k < i && !dup; k++)
				dup = strcmp(names[k], names[i]) == 0;
			if (!dup)
				break;
			free(names[i]);
			names[i] = xasprintf("%s-%d", hosts[i].name, suffix);
		}
	}
	return names;
}

/* Written as a live section (else commented out)? */
static bool init_live(const struct init_host *h)
{
	return !h->from_ssh_config || (h->error == NULL && h->docker_error == NULL);
}

static void init_host_section(struct buf *b, const struct init_host *h, const char *name)
{
	bool live = init_live(h);
	const char *c = live ? "" : "; ";
	char *fix = init_fix(h->error != NULL ? h->error : h->docker_error, h->target);

	buf_printf(b, "; %s: ", name);
	init_summary(b, h);
	buf_putc(b, '\n');
	if (fix != NULL) {
		buf_puts(b, ";   fix: ");
		init_comment(b, fix);
		buf_putc(b, '\n');
	}
	free(fix);
	if (!live)
		buf_puts(b, "; (from ~/.ssh/config, commented out until it answers: remove the \"; \" to "
		         "watch it)\n");
	buf_printf(b, "%s[host %s]\n%sssh = %s\n", c, name, c, h->target);
	if (h->address != NULL)
		buf_printf(b, "%saddress = %s\n", c, h->address);
	buf_printf(b, "%sdocker = ssh\n", c);
	if (h->found[INIT_CLOUDFLARED] != NULL)
		buf_printf(b, "; it runs cloudflared: its tunnel is watched (readiness, drain, flip) "
		           "with both keys,\n; tunnel_ready where the connector's metrics server "
		           "listens (--metrics):\n; tunnel_container = %s\n"
		           "; tunnel_ready = http://{address}:2000/ready\n", h->found[INIT_CLOUDFLARED]);
	if (h->found[INIT_NODE_EXPORTER] != NULL)
		buf_printf(b, "; its metrics from Prometheus (see [prometheus] below) instead of "
		           "/proc over SSH:\n; prom_selector = instance=\"%s:9100\"\n",
		           h->address != NULL ? h->address : name);
	buf_putc(b, '\n');
}

/* The first live host whose probe found kind k, or -1. */
static long init_first(const struct init_host *hosts, size_t n, int k)
{
	for (size_t i = 0; i < n; i++)
		if (hosts[i].found[k] != NULL && init_live(&hosts[i]))
			return (long)i;
	return -1;
}

/* The commented sections for the shared services found. */
static void init_templates(struct buf *b, const struct init_host *hosts, size_t n, char **names)
{
	long i;

	if ((i = init_first(hosts, n, INIT_PROMETHEUS)) >= 0)
		buf_printf(b, "; Prometheus runs on %s (container %s): host metrics and [panel] "
		           "queries from it.\n; [prometheus]\n; url = http://127.0.0.1:9090\n"
		           "; via = %s\n\n", names[i], hosts[i].found[INIT_PROMETHEUS], names[i]);
	if ((i = init_first(hosts, n, INIT_POSTGRES)) >= 0)
		buf_printf(b, "; PostgreSQL runs on %s (container %s): its connections, locks and "
		           "replication.\n; [postgres]\n"
		           "; conninfo = host=127.0.0.1 port=5432 dbname=postgres user=kitetop "
		           "connect_timeout=5\n; password_file = ~/.config/kitetop/pg.pass\n"
		           "; via = %s\n\n", names[i], hosts[i].found[INIT_POSTGRES], names[i]);
	if ((i = init_first(hosts, n, INIT_REDIS)) >= 0)
		buf_printf(b, "; Redis runs on %s (container %s): its memory, clients and keys.\n"
		           "; [redis]\n; address = 127.0.0.1:6379\n"
		           "; password_file = ~/.config/kitetop/redis.pass\n; via = %s\n\n",
		           names[i], hosts[i].found[INIT_REDIS], names[i]);
	if ((i = init_first(hosts, n, INIT_AUTHENTIK)) >= 0)
		buf_printf(b, "; Authentik runs on %s (container %s): its health on each host, "
		           "its workers and outposts.\n; [authentik]\n; url = http://{address}:9000\n"
		           "; token_file = ~/.config/kitetop/authentik.token\n\n",
		           names[i], hosts[i].found[INIT_AUTHENTIK]);
	if (init_first(hosts, n, INIT_CLOUDFLARED) >= 0)
		buf_puts(b, "; The tunnel's connectors as Cloudflare sees them, and drain / flip:\n"
		         "; [cloudflare]\n; account_id = ...\n; tunnel_id = ...\n"
		         "; token_file = ~/.config/kitetop/cloudflare.token\n\n");
}

char *init_config_text(const struct init_host *hosts, size_t n, const char *when)
{
	struct buf b;
	char **names = init_names(hosts, n);
	bool any_live = false;

	buf_init(&b);
	buf_printf(&b, "; kitetop.conf: written by `kitetop init` on %s.\n"
	           "; Every section and key is described in kitetop(1), CONFIGURATION.\n"
	           "; A line that starts with ; is a comment: remove the ; to use it.\n\n"
	           "[kitetop]\n"
	           "; seconds between polls of each source, and the limit of each call\n"
	           "refresh = 2\ntimeout = 5\n"
	           "; refuse every action (restart, stop, drain, flip)\n; read_only = yes\n"
	           "; each source's errors, with their times, in "
	           "$XDG_STATE_HOME/kitetop/kitetop.log\n; log = yes\n\n", when);
	for (size_t i = 0; i < n; i++) {
		init_host_section(&b, &hosts[i], names[i]);
		any_live = any_live || init_live(&hosts[i]);
	}
	if (!any_live)
		buf_puts(&b, "; No host answered: without a [host], kitetop watches this machine.\n\n");
	for (int k = 0; k < INIT_NKINDS; k++) {
		long i = init_first(hosts, n, k);

		if (i < 0)
			continue;
		buf_printf(&b, "; found on %s\n[service %s]\ncontainer = %s\n", names[i], init_kinds[k],
		           hosts[i].found[k]);
		if (k == INIT_CLOUDFLARED)
			buf_puts(&b, "; health = http://{address}:2000/ready\n");
		else if (k == INIT_AUTHENTIK)
			buf_puts(&b, "; health = http://{address}:9000/-/health/live/\n");
		buf_putc(&b, '\n');
	}
	init_templates(&b, hosts, n, names);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return buf_steal(&b);
}

void init_report(const struct init_host *hosts, size_t n, struct buf *out)
{
	size_t up = 0, docker = 0;

	for (size_t i = 0; i < n; i++) {
		const struct init_host *h = &hosts[i];
		char *fix = init_fix(h->error != NULL ? h->error : h->docker_error, h->target);

		buf_printf(out, "%s: ", h->name);
		init_summary(out, h);
		buf_putc(out, '\n');
		if (fix != NULL)
			buf_printf(out, "    fix: %s\n", fix);
		free(fix);
		up += h->error == NULL;
		docker += h->error == NULL && h->docker_error == NULL;
	}
	buf_printf(out, "%zu of %zu host%s reachable, %zu with Docker\n", up, n, n == 1 ? "" : "s",
	           docker);
}
