/* ssh_config — see ssh_config.h. */
#include "backends/transport/ssh_config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/util.h"

#define SSH_CONFIG_MAX_ARGS 64

/* What the lines of the config gave, before defaults and token expansion. */
struct ssh_config_found {
	char *user;
	char *hostname;
	int port;                    /* 0 = not set */
	char *identity[SSH_CONFIG_MAX_FILES];
	size_t nidentity;
	int identities_only;         /* -1 = not set */
	char *known_hosts[SSH_CONFIG_MAX_FILES];
	size_t nknown_hosts;
	bool known_hosts_set;
	int connect_timeout;         /* -1 = not set */
	int alive_interval;          /* -1 = not set */
	char *proxy_jump;            /* "" after "none" */
};

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

/* Splits a line's arguments in place: whitespace separated, "..." and '...'
 * quoting, backslash escapes a quote inside quotes.  Returns the count or -1
 * on an unterminated quote. */
static int
ssh_config_split_args(char *s, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		char *out;
		char quote = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return argc;
		if (argc == max)
			return argc;
		argv[argc++] = out = s;
		while (*s != '\0') {
			if (quote != 0) {
				if (*s == '\\' && (s[1] == quote || s[1] == '\\'))
					s++;
				else if (*s == quote) {
					quote = 0;
					s++;
					continue;
				}
			} else if (*s == '"' || *s == '\'') {
				quote = *s++;
				continue;
			} else if (*s == ' ' || *s == '\t')
				break;
			*out++ = *s++;
		}
		if (quote != 0)
			return -1;
		if (*s != '\0')
			s++;
		*out = '\0';
	}
}

static int
ssh_config_parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static const char *
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

static const char *
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

/* HostName's tokens: %h (the host as given) and %%. */
static char *
ssh_config_expand_hostname(const char *value, const char *alias)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = value; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 'h') {
			buf_puts(&b, alias);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			buf_putc(&b, '%');
			p++;
		} else
			buf_putc(&b, *p);
	}
	return buf_steal(&b);
}

static void
ssh_config_found_done(struct ssh_config_found *f)
{
	size_t i;

	free(f->user);
	free(f->hostname);
	free(f->proxy_jump);
	for (i = 0; i < f->nidentity; i++)
		free(f->identity[i]);
	for (i = 0; i < f->nknown_hosts; i++)
		free(f->known_hosts[i]);
}

/* Applies one keyword of a matching section.  -1 with *cause on a bad value. */
static int
ssh_config_apply(struct ssh_config_found *f, const char *key, char **argv, int argc,
    const char *alias, char **cause)
{
	int v, i;

	if (argc < 1) {
		util_set_cause(cause, "%s needs a value", key);
		return -1;
	}
	if (strcasecmp(key, "hostname") == 0) {
		if (f->hostname == NULL)
			f->hostname = ssh_config_expand_hostname(argv[0], alias);
	} else if (strcasecmp(key, "user") == 0) {
		if (f->user == NULL)
			f->user = xstrdup(argv[0]);
	} else if (strcasecmp(key, "port") == 0) {
		if (ssh_config_parse_int(argv[0], 1, 65535, &v) != 0) {
			util_set_cause(cause, "bad Port \"%s\"", argv[0]);
			return -1;
		}
		if (f->port == 0)
			f->port = v;
	} else if (strcasecmp(key, "identityfile") == 0) {
		if (f->nidentity < SSH_CONFIG_MAX_FILES)
			f->identity[f->nidentity++] = xstrdup(argv[0]);
	} else if (strcasecmp(key, "identitiesonly") == 0) {
		bool b;

		if (!util_parse_bool(argv[0], &b)) {
			util_set_cause(cause, "IdentitiesOnly must be yes or no, not \"%s\"", argv[0]);
			return -1;
		}
		if (f->identities_only < 0)
			f->identities_only = b;
	} else if (strcasecmp(key, "userknownhostsfile") == 0) {
		if (f->known_hosts_set)
			return 0;
		f->known_hosts_set = true;
		if (argc == 1 && strcasecmp(argv[0], "none") == 0)
			return 0;
		for (i = 0; i < argc && f->nknown_hosts < SSH_CONFIG_MAX_FILES; i++)
			f->known_hosts[f->nknown_hosts++] = xstrdup(argv[i]);
	} else if (strcasecmp(key, "connecttimeout") == 0) {
		if (ssh_config_parse_int(argv[0], 0, 86400, &v) != 0) {
			util_set_cause(cause, "bad ConnectTimeout \"%s\" (seconds)", argv[0]);
			return -1;
		}
		if (f->connect_timeout < 0)
			f->connect_timeout = v;
	} else if (strcasecmp(key, "serveraliveinterval") == 0) {
		if (ssh_config_parse_int(argv[0], 0, 86400, &v) != 0) {
			util_set_cause(cause, "bad ServerAliveInterval \"%s\" (seconds)", argv[0]);
			return -1;
		}
		if (f->alive_interval < 0)
			f->alive_interval = v;
	} else if (strcasecmp(key, "proxyjump") == 0) {
		if (f->proxy_jump == NULL)
			f->proxy_jump = xstrdup(strcasecmp(argv[0], "none") == 0 ? "" : argv[0]);
	}
	/* Anything else (Include among them) is ignored on purpose. */
	return 0;
}

/* Walks the config; fills *f with what applies to alias. */
static int
ssh_config_walk(struct ssh_config_found *f, const char *name, const char *text, size_t len,
    const char *alias, char **cause)
{
	size_t pos = 0;
	int lineno = 0;
	bool active = true;            /* before the first Host, lines apply to all */
	char *line = NULL;
	size_t linecap = 0;

	while (pos < len) {
		size_t end = pos, n;
		char *s, *key, *argv[SSH_CONFIG_MAX_ARGS];
		int argc;
		char *why = NULL;

		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		lineno++;
		if (memchr(text + pos, '\0', n) != NULL) {
			util_set_cause(cause, "%s line %d: contains a NUL byte", name, lineno);
			free(line);
			return -1;
		}
		if (n + 1 > linecap) {
			linecap = n + 1;
			line = xrealloc(line, linecap);
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';

		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		key = s;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '=')
			s++;
		if (*s != '\0') {
			*s++ = '\0';
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '=') {
				s++;
			}
		}
		argc = ssh_config_split_args(s, argv, SSH_CONFIG_MAX_ARGS);
		if (argc < 0) {
			util_set_cause(cause, "%s line %d: unterminated quote", name, lineno);
			free(line);
			return -1;
		}
		if (*key == '\0') {
			util_set_cause(cause, "%s line %d: a value without a keyword", name, lineno);
			free(line);
			return -1;
		}
		if (strcasecmp(key, "host") == 0) {
			if (argc < 1) {
				util_set_cause(cause, "%s line %d: Host needs a pattern", name, lineno);
				free(line);
				return -1;
			}
			active = ssh_config_host_match((const char *const *)argv, (size_t)argc, alias);
			continue;
		}
		if (strcasecmp(key, "match") == 0) {
			active = argc == 1 && strcasecmp(argv[0], "all") == 0;
			continue;
		}
		if (!active)
			continue;
		if (ssh_config_apply(f, key, argv, argc, alias, &why) != 0) {
			util_set_cause(cause, "%s line %d: %s", name, lineno, why);
			free(why);
			free(line);
			return -1;
		}
	}
	free(line);
	return 0;
}

void
ssh_target_done(struct ssh_target *t)
{
	size_t i;

	free(t->alias);
	free(t->user);
	free(t->hostname);
	free(t->proxy_jump);
	for (i = 0; i < t->nidentity_files; i++)
		free(t->identity_files[i]);
	free(t->identity_files);
	for (i = 0; i < t->nknown_hosts_files; i++)
		free(t->known_hosts_files[i]);
	free(t->known_hosts_files);
	memset(t, 0, sizeof *t);
}

int
ssh_config_resolve(const char *target, const char *name, const char *text, size_t len,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause)
{
	static const char *const default_ids[] = {
		"~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa",
	};
	struct ssh_config_found f;
	char *user = NULL, *host = NULL, *lower;
	int port = 0;
	const char *home = ssh_config_home(env), *local_user = ssh_config_local_user(env);
	size_t i;

	memset(out, 0, sizeof *out);
	memset(&f, 0, sizeof f);
	f.identities_only = f.connect_timeout = f.alive_interval = -1;
	if (ssh_config_split_target(target, &user, &host, &port, cause) != 0)
		return -1;
	lower = xstrdup(host);
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	if (text != NULL &&
	    ssh_config_walk(&f, name != NULL ? name : "ssh_config", text, len, lower, cause) != 0) {
		free(lower);
		free(user);
		free(host);
		ssh_config_found_done(&f);
		return -1;
	}
	free(lower);

	out->alias = host;
	out->user = user != NULL ? user : xstrdup(f.user != NULL ? f.user : local_user);
	out->hostname = f.hostname != NULL ? f.hostname : xstrdup(host);
	f.hostname = NULL;
	out->port = port != 0 ? port : f.port != 0 ? f.port : SSH_CONFIG_DEFAULT_PORT;
	out->identities_only = f.identities_only > 0;
	out->connect_timeout_s = f.connect_timeout > 0 ? f.connect_timeout : 0;
	out->alive_interval_s = f.alive_interval > 0 ? f.alive_interval : SSH_CONFIG_DEFAULT_ALIVE_S;
	if (f.proxy_jump != NULL && *f.proxy_jump != '\0') {
		out->proxy_jump = f.proxy_jump;
		f.proxy_jump = NULL;
	}

	if (f.nidentity == 0) {
		out->identities_default = true;
		out->identity_files = xcalloc(UTIL_ARRAY_LEN(default_ids), sizeof(char *));
		for (i = 0; i < UTIL_ARRAY_LEN(default_ids); i++)
			out->identity_files[i] = ssh_config_expand(default_ids[i], home, local_user, out);
		out->nidentity_files = UTIL_ARRAY_LEN(default_ids);
	} else {
		out->identity_files = xcalloc(f.nidentity, sizeof(char *));
		for (i = 0; i < f.nidentity; i++)
			out->identity_files[i] = ssh_config_expand(f.identity[i], home, local_user, out);
		out->nidentity_files = f.nidentity;
	}
	if (!f.known_hosts_set) {
		out->known_hosts_files = xcalloc(1, sizeof(char *));
		out->known_hosts_files[0] = ssh_config_expand("~/.ssh/known_hosts", home,
		    local_user, out);
		out->nknown_hosts_files = 1;
	} else if (f.nknown_hosts > 0) {
		out->known_hosts_files = xcalloc(f.nknown_hosts, sizeof(char *));
		for (i = 0; i < f.nknown_hosts; i++)
			out->known_hosts_files[i] = ssh_config_expand(f.known_hosts[i], home,
			    local_user, out);
		out->nknown_hosts_files = f.nknown_hosts;
	}
	ssh_config_found_done(&f);
	return 0;
}

int
ssh_config_resolve_file(const char *target, const char *path,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause)
{
	char *def = NULL, *text = NULL;
	size_t len = 0;
	int rc;

	if (path == NULL)
		path = def = xasprintf("%s/.ssh/config", ssh_config_home(env));
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		rc = ssh_config_resolve(target, path, NULL, 0, env, out, cause);
		free(def);
		return rc;
	}
	if (util_read_file(path, SSH_CONFIG_MAX_BYTES, &text, &len, cause) != 0) {
		memset(out, 0, sizeof *out);
		free(def);
		return -1;
	}
	rc = ssh_config_resolve(target, path, text, len, env, out, cause);
	free(text);
	free(def);
	return rc;
}
