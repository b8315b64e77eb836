/* ssh_config_target — the target's pieces that every way of resolving it
 * shares: patterns, splitting "user@host:port", token expansion, the agent
 * setting, the defaults.  See ssh_config.h. */
#include "backends/transport/ssh_config.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backends/transport/ssh_config_internal.h"
#include "core/base/buf.h"
#include "core/base/util.h"

bool
ssh_config_pattern_match(const char *p, const char *s)
{
	/* Iterative glob with one backtrack point, as OpenSSH's match_pattern. */
	const char *star = NULL, *star_s = NULL;

	for (;;) {
		if (*p == '*') {
			star = ++p;
			star_s = s;
			continue;
		}
		if (*s == '\0') {
			if (*p == '\0')
				return true;
			return false;
		}
		if (*p != '\0' && (*p == '?' ||
		    tolower((unsigned char)*p) == tolower((unsigned char)*s))) {
			p++;
			s++;
			continue;
		}
		if (star == NULL)
			return false;
		p = star;
		s = ++star_s;
	}
}

bool
ssh_config_host_match(const char *const *patterns, size_t n, const char *host)
{
	bool positive = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *pat = patterns[i];

		if (pat[0] == '!') {
			if (ssh_config_pattern_match(pat + 1, host))
				return false;
		} else if (ssh_config_pattern_match(pat, host))
			positive = true;
	}
	return positive;
}

int
ssh_config_split_target(const char *target, char **user, char **host, int *port,
    char **cause)
{
	const char *at, *h, *colon = NULL, *end;
	char *endp;
	long v;

	*user = *host = NULL;
	*port = 0;
	if (target != NULL && strncasecmp(target, "ssh://", 6) == 0) {
		char *bare = xstrdup(target + 6);
		size_t n = strlen(bare);
		int rc;

		if (n > 0 && bare[n - 1] == '/')
			bare[n - 1] = '\0';
		if (strchr(bare, '/') != NULL) {
			util_set_cause(cause, "ssh target \"%s\": a path after the host means "
			    "nothing to ssh; use ssh://user@host:port", target);
			free(bare);
			return -1;
		}
		rc = ssh_config_split_target(bare, user, host, port, cause);
		free(bare);
		return rc;
	}
	if (target == NULL || *target == '\0') {
		util_set_cause(cause, "ssh target is empty");
		return -1;
	}
	for (h = target; *h != '\0'; h++) {
		if (isspace((unsigned char)*h) || iscntrl((unsigned char)*h)) {
			util_set_cause(cause, "ssh target \"%s\" contains a space or control character",
			    target);
			return -1;
		}
	}
	at = strrchr(target, '@');
	h = at != NULL ? at + 1 : target;
	if (at == target) {
		util_set_cause(cause, "ssh target \"%s\" has an empty user", target);
		return -1;
	}
	if (*h == '[') {
		const char *close = strchr(h, ']');

		if (close == NULL || close == h + 1 || (close[1] != '\0' && close[1] != ':')) {
			util_set_cause(cause, "ssh target \"%s\": bad [address]:port", target);
			return -1;
		}
		end = close;
		h++;
		if (close[1] == ':')
			colon = close + 1;
	} else {
		colon = strchr(h, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;      /* a bare IPv6 address: no port */
		end = colon != NULL ? colon : h + strlen(h);
	}
	if (end == h) {
		util_set_cause(cause, "ssh target \"%s\" has no host", target);
		return -1;
	}
	if (colon != NULL) {
		errno = 0;
		v = strtol(colon + 1, &endp, 10);
		if (colon[1] == '\0' || *endp != '\0' || errno != 0 || v < 1 || v > 65535) {
			util_set_cause(cause, "ssh target \"%s\": bad port \"%s\"", target, colon + 1);
			return -1;
		}
		*port = (int)v;
	}
	if (at != NULL)
		*user = xstrndup(target, (size_t)(at - target));
	*host = xstrndup(h, (size_t)(end - h));
	return 0;
}

const char *
ssh_config_home(const struct ssh_config_env *env)
{
	const char *h;
	struct passwd *pw;

	if (env != NULL && env->home != NULL)
		return env->home;
	h = getenv("HOME");
	if (h != NULL && *h != '\0')
		return h;
	pw = getpwuid(getuid());
	return pw != NULL ? pw->pw_dir : "/";
}

const char *
ssh_config_local_user(const struct ssh_config_env *env)
{
	const char *u;
	struct passwd *pw;

	if (env != NULL && env->local_user != NULL)
		return env->local_user;
	u = getenv("USER");
	if (u != NULL && *u != '\0')
		return u;
	pw = getpwuid(getuid());
	return pw != NULL ? pw->pw_name : "root";
}

char *
ssh_config_expand(const char *path, const char *home, const char *local_user,
    const struct ssh_target *t)
{
	struct buf b;
	const char *p = path;

	buf_init(&b);
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
		buf_puts(&b, home);
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			buf_putc(&b, *p);
			continue;
		}
		p++;
		switch (*p) {
		case '%': buf_putc(&b, '%'); break;
		case 'd': buf_puts(&b, home); break;
		case 'u': buf_puts(&b, local_user); break;
		case 'h': buf_puts(&b, t->hostname); break;
		case 'r': buf_puts(&b, t->user); break;
		case 'n': buf_puts(&b, t->alias); break;
		case 'p': buf_printf(&b, "%d", t->port); break;
		default: buf_putc(&b, '%'); buf_putc(&b, *p); break;
		}
	}
	return buf_steal(&b);
}


void
ssh_config_target_agent(struct ssh_target *t, const char *value, const char *home,
    const char *local_user)
{
	free(t->identity_agent);
	t->identity_agent = NULL;
	t->agent_none = false;
	if (strcasecmp(value, "none") == 0) {
		t->agent_none = true;
	} else if (strcmp(value, "SSH_AUTH_SOCK") == 0) {
		/* the default: $SSH_AUTH_SOCK */
	} else if (value[0] == '$') {
		const char *v = getenv(value + 1);

		if (v != NULL && *v != '\0')
			t->identity_agent = xstrdup(v);
		else
			t->agent_none = true;
	} else {
		t->identity_agent = ssh_config_expand(value, home, local_user, t);
	}
}

void
ssh_config_target_default_ids(struct ssh_target *t, const char *home, const char *local_user)
{
	static const char *const default_ids[] = {
		"~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa",
	};
	size_t i;

	t->identities_default = true;
	t->identity_files = xcalloc(UTIL_ARRAY_LEN(default_ids), sizeof(char *));
	for (i = 0; i < UTIL_ARRAY_LEN(default_ids); i++)
		t->identity_files[i] = ssh_config_expand(default_ids[i], home, local_user, t);
	t->nidentity_files = UTIL_ARRAY_LEN(default_ids);
}

void
ssh_target_done(struct ssh_target *t)
{
	size_t i;

	free(t->alias);
	free(t->user);
	free(t->hostname);
	for (i = 0; i < t->nidentity_files; i++)
		free(t->identity_files[i]);
	free(t->identity_files);
	for (i = 0; i < t->nknown_hosts_files; i++)
		free(t->known_hosts_files[i]);
	free(t->known_hosts_files);
	for (i = 0; i < t->ncertificate_files; i++)
		free(t->certificate_files[i]);
	free(t->certificate_files);
	free(t->proxy_jump);
	free(t->proxy_command);
	free(t->identity_agent);
	memset(t, 0, sizeof *t);
}
