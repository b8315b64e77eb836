/* ssh_config — see ssh_config.h. */
#include "backends/transport/ssh_config.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backends/transport/ssh_config_internal.h"
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
	char *proxy_jump;            /* "none" kept, dropped at the end */
	char *proxy_command;
	char *identity_agent;
	char *certificate[SSH_CONFIG_MAX_FILES];
	size_t ncertificate;
};

/* One walk over a config and the files it includes. */
struct ssh_config_walk {
	struct ssh_config_found *f;
	const char *alias;           /* lower case */
	const char *given_user;      /* from the target, or NULL */
	const char *home, *local_user;
	bool follow_include;
	int depth;
};

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
	for (i = 0; i < f->nidentity; i++)
		free(f->identity[i]);
	for (i = 0; i < f->nknown_hosts; i++)
		free(f->known_hosts[i]);
	for (i = 0; i < f->ncertificate; i++)
		free(f->certificate[i]);
	free(f->proxy_jump);
	free(f->proxy_command);
	free(f->identity_agent);
}

/* Joins argv with spaces (ProxyCommand's words).  Caller frees. */
static char *
ssh_config_join(char **argv, int argc)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, argv[i]);
	}
	return buf_steal(&b);
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
		if (f->proxy_jump == NULL && f->proxy_command == NULL)
			f->proxy_jump = xstrdup(argv[0]);
	} else if (strcasecmp(key, "proxycommand") == 0) {
		if (f->proxy_jump == NULL && f->proxy_command == NULL)
			f->proxy_command = ssh_config_join(argv, argc);
	} else if (strcasecmp(key, "identityagent") == 0) {
		if (f->identity_agent == NULL)
			f->identity_agent = xstrdup(argv[0]);
	} else if (strcasecmp(key, "certificatefile") == 0) {
		if (f->ncertificate < SSH_CONFIG_MAX_FILES)
			f->certificate[f->ncertificate++] = xstrdup(argv[0]);
	}
	/* Anything else is ignored on purpose. */
	return 0;
}

/* A Match pattern list: "a,b,!c", ssh(1)'s match_pattern_list. */
static bool
ssh_config_list_match(const char *list, const char *s)
{
	char *copy = xstrdup(list), *save = NULL, *pats[SSH_CONFIG_MAX_ARGS], *p;
	size_t n = 0;
	bool ok;

	for (p = strtok_r(copy, ",", &save); p != NULL && n < SSH_CONFIG_MAX_ARGS;
	    p = strtok_r(NULL, ",", &save))
		pats[n++] = p;
	ok = ssh_config_host_match((const char *const *)pats, n, s);
	free(copy);
	return ok;
}

/* Whether a Match line applies.  Criteria kitetop cannot evaluate (exec,
 * canonical, final, localnetwork, tagged, ...) make the block not match. */
static int
ssh_config_match(const struct ssh_config_walk *w, char **argv, int argc, bool *active,
    char **cause)
{
	int i;

	*active = true;
	if (argc == 1 && strcasecmp(argv[0], "all") == 0)
		return 0;
	if (argc == 0) {
		util_set_cause(cause, "Match needs a criterion");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		const char *crit = argv[i], *subject;
		bool neg = crit[0] == '!', hit;

		if (neg)
			crit++;
		if (strcasecmp(crit, "all") == 0) {
			hit = true;
			if (neg)
				*active = false;
			continue;
		}
		if (i + 1 >= argc || (strcasecmp(crit, "host") != 0 &&
		    strcasecmp(crit, "originalhost") != 0 && strcasecmp(crit, "user") != 0 &&
		    strcasecmp(crit, "localuser") != 0)) {
			*active = false;      /* exec, canonical, final, ...: only ssh knows */
			if (i + 1 < argc && strcasecmp(crit, "canonical") != 0 &&
			    strcasecmp(crit, "final") != 0)
				i++;
			continue;
		}
		if (strcasecmp(crit, "host") == 0)
			subject = w->f->hostname != NULL ? w->f->hostname : w->alias;
		else if (strcasecmp(crit, "originalhost") == 0)
			subject = w->alias;
		else if (strcasecmp(crit, "user") == 0)
			subject = w->given_user != NULL ? w->given_user :
			    w->f->user != NULL ? w->f->user : w->local_user;
		else
			subject = w->local_user;
		hit = ssh_config_list_match(argv[++i], subject);
		if (hit == neg)
			*active = false;
	}
	return 0;
}

static int ssh_config_walk_text(struct ssh_config_walk *w, const char *name,
    const char *text, size_t len, char **cause);

/* Include: each argument a glob, relative to ~/.ssh; files read in glob's
 * (sorted) order, a missing one skipped as ssh(1) does. */
static int
ssh_config_include(struct ssh_config_walk *w, const char *name, int lineno, char **argv,
    int argc, char **cause)
{
	int i, rc = 0;

	if (!w->follow_include)
		return 0;
	if (w->depth >= SSH_CONFIG_INCLUDE_DEPTH) {
		util_set_cause(cause, "%s line %d: Include nested more than %d deep", name, lineno,
		    SSH_CONFIG_INCLUDE_DEPTH);
		return -1;
	}
	for (i = 0; i < argc && rc == 0; i++) {
		char *pat, *exp;
		glob_t g;
		size_t k;

		if (argv[i][0] == '/' || argv[i][0] == '~')
			pat = xstrdup(argv[i]);
		else
			pat = xasprintf("~/.ssh/%s", argv[i]);
		exp = pat[0] == '~' && pat[1] == '/' ? xasprintf("%s%s", w->home, pat + 1) :
		    xstrdup(pat);
		free(pat);
		memset(&g, 0, sizeof g);
		if (glob(exp, 0, NULL, &g) != 0) {
			free(exp);
			globfree(&g);
			continue;
		}
		free(exp);
		for (k = 0; k < g.gl_pathc && rc == 0; k++) {
			char *text = NULL, *why = NULL;
			size_t len = 0;

			if (util_read_file(g.gl_pathv[k], SSH_CONFIG_MAX_BYTES, &text, &len, &why) != 0) {
				/* a directory or an unreadable file: ssh(1) goes on too */
				free(why);
				continue;
			}
			w->depth++;
			rc = ssh_config_walk_text(w, g.gl_pathv[k], text, len, cause);
			w->depth--;
			free(text);
		}
		globfree(&g);
	}
	return rc;
}

/* Walks one config text; fills w->f with what applies to w->alias. */
static int
ssh_config_walk_text(struct ssh_config_walk *w, const char *name, const char *text,
    size_t len, char **cause)
{
	size_t pos = 0;
	int lineno = 0;
	bool active = true;            /* before the first Host, lines apply to all */
	char *line = NULL;
	size_t linecap = 0;
	int rc = -1;

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
			goto out;
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
			goto out;
		}
		if (*key == '\0') {
			util_set_cause(cause, "%s line %d: a value without a keyword", name, lineno);
			goto out;
		}
		if (strcasecmp(key, "host") == 0) {
			if (argc < 1) {
				util_set_cause(cause, "%s line %d: Host needs a pattern", name, lineno);
				goto out;
			}
			active = ssh_config_host_match((const char *const *)argv, (size_t)argc,
			    w->alias);
			continue;
		}
		if (strcasecmp(key, "match") == 0) {
			if (ssh_config_match(w, argv, argc, &active, &why) != 0) {
				util_set_cause(cause, "%s line %d: %s", name, lineno, why);
				free(why);
				goto out;
			}
			continue;
		}
		if (!active)
			continue;
		if (strcasecmp(key, "include") == 0) {
			if (ssh_config_include(w, name, lineno, argv, argc, cause) != 0)
				goto out;
			continue;
		}
		if (ssh_config_apply(w->f, key, argv, argc, w->alias, &why) != 0) {
			util_set_cause(cause, "%s line %d: %s", name, lineno, why);
			free(why);
			goto out;
		}
	}
	rc = 0;
out:
	free(line);
	return rc;
}

/* Strings of the target from a list of raw values, each expanded. */
static char **
ssh_config_expand_all(char **raw, size_t n, const char *home, const char *local_user,
    const struct ssh_target *t)
{
	char **out = xcalloc(n > 0 ? n : 1, sizeof(char *));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = ssh_config_expand(raw[i], home, local_user, t);
	return out;
}

static int
ssh_config_resolve_walk(const char *target, const char *name, const char *text, size_t len,
    const struct ssh_config_env *env, bool follow_include, struct ssh_target *out,
    char **cause)
{
	struct ssh_config_found f;
	struct ssh_config_walk w;
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
	w = (struct ssh_config_walk){ .f = &f, .alias = lower, .given_user = user,
	    .home = home, .local_user = local_user, .follow_include = follow_include };
	if (text != NULL &&
	    ssh_config_walk_text(&w, name != NULL ? name : "ssh_config", text, len, cause) != 0) {
		free(lower);
		free(user);
		free(host);
		ssh_config_found_done(&f);
		return -1;
	}
	free(lower);

	out->resolved_by = "ssh_config";
	out->alias = host;
	out->user = user != NULL ? user : xstrdup(f.user != NULL ? f.user : local_user);
	out->hostname = f.hostname != NULL ? f.hostname : xstrdup(host);
	f.hostname = NULL;
	out->port = port != 0 ? port : f.port != 0 ? f.port : SSH_CONFIG_DEFAULT_PORT;
	out->identities_only = f.identities_only > 0;
	out->connect_timeout_s = f.connect_timeout > 0 ? f.connect_timeout : 0;
	out->alive_interval_s = f.alive_interval > 0 ? f.alive_interval : SSH_CONFIG_DEFAULT_ALIVE_S;

	if (f.nidentity == 0) {
		ssh_config_target_default_ids(out, home, local_user);
	} else {
		out->identity_files = ssh_config_expand_all(f.identity, f.nidentity, home,
		    local_user, out);
		out->nidentity_files = f.nidentity;
	}
	if (!f.known_hosts_set) {
		out->known_hosts_files = xcalloc(1, sizeof(char *));
		out->known_hosts_files[0] = ssh_config_expand("~/.ssh/known_hosts", home,
		    local_user, out);
		out->nknown_hosts_files = 1;
	} else if (f.nknown_hosts > 0) {
		out->known_hosts_files = ssh_config_expand_all(f.known_hosts, f.nknown_hosts, home,
		    local_user, out);
		out->nknown_hosts_files = f.nknown_hosts;
	}
	if (f.ncertificate > 0) {
		out->certificate_files = ssh_config_expand_all(f.certificate, f.ncertificate, home,
		    local_user, out);
		out->ncertificate_files = f.ncertificate;
	}
	if (f.proxy_jump != NULL && strcasecmp(f.proxy_jump, "none") != 0) {
		out->proxy_jump = f.proxy_jump;
		f.proxy_jump = NULL;
	}
	if (f.proxy_command != NULL && strcasecmp(f.proxy_command, "none") != 0) {
		out->proxy_command = f.proxy_command;
		f.proxy_command = NULL;
	}
	if (f.identity_agent != NULL)
		ssh_config_target_agent(out, f.identity_agent, home, local_user);
	ssh_config_found_done(&f);
	return 0;
}

int
ssh_config_resolve(const char *target, const char *name, const char *text, size_t len,
    const struct ssh_config_env *env, struct ssh_target *out, char **cause)
{
	return ssh_config_resolve_walk(target, name, text, len, env, false, out, cause);
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
		rc = ssh_config_resolve_walk(target, path, NULL, 0, env, true, out, cause);
		free(def);
		return rc;
	}
	if (util_read_file(path, SSH_CONFIG_MAX_BYTES, &text, &len, cause) != 0) {
		memset(out, 0, sizeof *out);
		free(def);
		return -1;
	}
	rc = ssh_config_resolve_walk(target, path, text, len, env, true, out, cause);
	free(text);
	free(def);
	return rc;
}

void
ssh_config_hosts_free(char **hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(hosts[i]);
	free(hosts);
}

char **
ssh_config_hosts(const char *text, size_t len, size_t *n)
{
	char **out = NULL, *line = NULL;
	size_t pos = 0, cap = 0;

	*n = 0;
	while (pos < len) {
		size_t end = pos;
		char *s, *argv[SSH_CONFIG_MAX_ARGS];
		int argc;

		while (end < len && text[end] != '\n')
			end++;
		free(line);
		line = xstrndup(text + pos, end - pos);
		pos = end + 1;
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncasecmp(s, "host", 4) != 0 || (s[4] != ' ' && s[4] != '\t' && s[4] != '='))
			continue;
		s += 4;
		while (*s == ' ' || *s == '\t' || *s == '=')
			s++;
		argc = ssh_config_split_args(s, argv, SSH_CONFIG_MAX_ARGS);
		for (int i = 0; i < argc; i++) {
			const char *h = argv[i];
			bool seen = false;

			/* a pattern, a negation, or not a name at all: not a host */
			if (h[0] == '\0' || strpbrk(h, "*?!\r ,") != NULL || strlen(h) > 255)
				continue;
			for (size_t k = 0; k < *n && !seen; k++)
				seen = strcasecmp(out[k], h) == 0;
			if (seen)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				out = xrealloc(out, cap * sizeof *out);
			}
			out[(*n)++] = xstrdup(h);
		}
	}
	free(line);
	return out;
}

char **
ssh_config_hosts_file(const char *path, const struct ssh_config_env *env, size_t *n,
    char **cause)
{
	char *def = NULL, *text = NULL, **out;
	size_t len = 0;

	*n = 0;
	if (path == NULL)
		path = def = xasprintf("%s/.ssh/config", ssh_config_home(env));
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		util_set_cause(cause, "%s does not exist", path);
		free(def);
		return NULL;
	}
	if (util_read_file(path, SSH_CONFIG_MAX_BYTES, &text, &len, cause) != 0) {
		free(def);
		return NULL;
	}
	out = ssh_config_hosts(text, len, n);
	free(text);
	free(def);
	return out;
}
