/* config — reads kitetop's INI file (the keys are documented in kitetop.1).
 *
 * Two passes.  The pre-scan (scan_lines) owns everything about lines: the
 * size limits, NUL bytes, UTF-8, control characters, comments, section
 * headers (inih calls no handler for an empty section and gives no line
 * numbers, and a panel title may hold " #") and the KEY = VALUE shape.  It
 * then feeds inih, through ini_parse_stream, one line per line of the file:
 * the key lines stripped of their comments, and every header as "[sN]", N
 * being the index of the section the pre-scan found there.  inih splits and
 * trims the key lines; the handler checks and stores each value, knowing the
 * line it is on because the reader counts them.  Cross-key checks (required
 * keys, via, docker = ssh without ssh, ...) follow once the file is read. */
#include "core/config/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/config/config_internal.h"
#include "core/base/util.h"

struct line {
	const char *start;     /* the text inih gets, comments stripped, trimmed */
	size_t len;
	int section;           /* index in secs, or -1 before the first header */
	bool header;
};

struct parse {
	const char *path;      /* for messages */
	char *dir;             /* relative paths are taken from here, or NULL */
	struct config *cfg;
	struct line *lines;
	size_t nlines;
	size_t next;           /* the reader's position: next - 1 is the current line */
	struct section *secs;
	size_t nsecs;
	int err_line;
	char *err;
};

static void fail(struct parse *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->err != NULL)
		return;
	va_start(ap, fmt);
	p->err = xvasprintf(fmt, ap);
	va_end(ap);
	p->err_line = line;
}

/* Takes over why. */
static void fail_why(struct parse *p, int line, char *why)
{
	fail(p, line, "%s", why);
	free(why);
}

/* ---- the pre-scan --------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *section_label(const struct section *s, char *out, size_t size)
{
	if (s->kind == SEC_PANEL)
		snprintf(out, size, "[panel \"%s\"]", s->name);
	else if (s->name != NULL)
		snprintf(out, size, "[%s %s]", config_kinds[s->kind].name, s->name);
	else
		snprintf(out, size, "[%s]", config_kinds[s->kind].name);
	return out;
}

/* Checks a section that the same kind and name had before. */
static void check_duplicate(struct parse *p, const struct section *s)
{
	size_t i;
	char label[CONFIG_TITLE_MAX + 32];

	for (i = 0; i < p->nsecs; i++) {
		const struct section *o = &p->secs[i];

		if (o->kind != s->kind)
			continue;
		if (s->name == NULL || strcmp(o->name, s->name) == 0) {
			fail(p, s->line, "%s appears twice (first on line %d)",
			     section_label(s, label, sizeof(label)), o->line);
			return;
		}
	}
}

/* s: the line from its '[', n bytes. */
static void scan_header(struct parse *p, int line, const char *s, size_t n)
{
	const char *end = s + n, *q = s + 1, *w;
	struct section sec = { .line = line };
	size_t k;
	char *why = NULL;

	while (q < end && is_blank(*q))
		q++;
	for (w = q; q < end && isalpha((unsigned char)*q); q++)
		;
	if (q == w && (q >= end || *q == ']')) {
		fail(p, line, "empty section header []");
		return;
	}
	for (k = 0; k < SEC_NKINDS; k++) {
		if (strlen(config_kinds[k].name) == (size_t)(q - w) && strncmp(config_kinds[k].name, w, (size_t)(q - w)) == 0)
			break;
	}
	if (k == SEC_NKINDS || (q < end && !is_blank(*q) && *q != ']')) {
		const char *close = memchr(s, ']', n);

		fail(p, line, "unknown section [%.*s]: the sections are kitetop, host, prometheus, postgres, "
		     "redis, authentik, cloudflare, service, panel, alerts, keys and cluster",
		     (int)((close != NULL ? close : end) - s - 1), s + 1);
		return;
	}
	sec.kind = (enum sec_kind)k;
	while (q < end && is_blank(*q))
		q++;
	if (!config_kinds[k].named) {
		if (q >= end || *q != ']') {
			fail(p, line, "[%s] takes no name", config_kinds[k].name);
			return;
		}
	} else if ((k == SEC_PANEL || k == SEC_HOST) && q < end && *q == '"') {
		const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));

		if (close == NULL) {
			fail(p, line, "the %s needs its closing \"", k == SEC_HOST ? "host name" : "panel title");
			return;
		}
		sec.name = xstrndup(q + 1, (size_t)(close - q - 1));
		for (q = close + 1; q < end && is_blank(*q); q++)
			;
		if (q >= end || *q != ']') {
			fail(p, line, "the section header needs ] after the %s",
			     k == SEC_HOST ? "host name" : "panel title");
			goto out;
		}
		if (k == SEC_HOST ? config_check_name("host", sec.name, &why) != 0
		                  : config_check_title(sec.name, &why) != 0) {
			fail_why(p, line, why);
			goto out;
		}
	} else {
		const char *close = memchr(q, ']', (size_t)(end - q));
		const char *e;

		if (close == NULL) {
			fail(p, line, "the section header has no closing ]");
			return;
		}
		for (e = close; e > q && is_blank(e[-1]); e--)
			;
		if (e == q) {
			if (k == SEC_PANEL)
				fail(p, line, "[panel] needs a title: [panel \"TITLE\"]");
			else
				fail(p, line, "[%s] needs a name: [%s NAME]", config_kinds[k].name, config_kinds[k].name);
			return;
		}
		if (k == SEC_PANEL) {
			fail(p, line, "the panel title must be in double quotes: [panel \"TITLE\"]");
			return;
		}
		sec.name = xstrndup(q, (size_t)(e - q));
		q = close;
		if (config_check_name(config_kinds[k].name, sec.name, &why) != 0) {
			fail_why(p, line, why);
			goto out;
		}
	}
	for (q++; q < end && is_blank(*q); q++)
		;
	if (q < end && *q != ';' && *q != '#') {
		fail(p, line, "unexpected text after the section header");
		goto out;
	}
	check_duplicate(p, &sec);
	if (p->err != NULL)
		goto out;
	p->secs = xreallocarray(p->secs, p->nsecs + 1, sizeof(*p->secs));
	p->secs[p->nsecs++] = sec;
	return;
out:
	free(sec.name);
}

/* A key line: KEY = VALUE, the comment already cut (n bytes, trimmed). */
static void scan_key(struct parse *p, int line, const char *s, size_t n)
{
	size_t k = 0, v;

	while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-' || s[k] == '.'))
		k++;
	for (v = k; v < n && is_blank(s[v]); v++)
		;
	if (k == 0 || v >= n || s[v] != '=') {
		if (memchr(s, '=', n) == NULL)
			fail(p, line, "expected KEY = VALUE, found no '='");
		else
			fail(p, line, "expected KEY = VALUE: a key is letters, digits and '_'");
		return;
	}
	for (v++; v < n && is_blank(s[v]); v++)
		;
	if (v >= n)
		fail(p, line, "%.*s has no value", (int)k, s);
	else if (p->nsecs == 0)
		fail(p, line, "%.*s is outside any section: put it under [kitetop] or another section",
		     (int)k, s);
}

/* Checks the bytes of one line: no NUL, UTF-8, no control character but tab. */
static void scan_bytes(struct parse *p, int line, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		if (c == '\0') {
			fail(p, line, "binary content (a NUL byte): the configuration must be text");
			return;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			fail(p, line, "control character 0x%02x in the line", c);
			return;
		}
		len = config_check_utf8_char((const unsigned char *)s + i, n - i);
		if (len == 0) {
			fail(p, line, "invalid UTF-8 (byte 0x%02x): the configuration must be UTF-8 text", c);
			return;
		}
		i += len;
	}
}

static void scan_lines(struct parse *p, const char *text, size_t len)
{
	const char *s = text, *end = text + len;
	int lineno = 0;

	while (s < end && p->err == NULL) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl != NULL ? nl : end;
		struct line *l;
		size_t n;

		lineno++;
		if (e > s && e[-1] == '\r')
			e--;
		if ((size_t)(e - s) > CONFIG_MAX_LINE) {
			fail(p, lineno, "line is longer than %d bytes", CONFIG_MAX_LINE);
			return;
		}
		if (lineno == 1 && e - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		scan_bytes(p, lineno, s, (size_t)(e - s));
		while (s < e && is_blank(*s))
			s++;
		p->lines = xreallocarray(p->lines, p->nlines + 1, sizeof(*p->lines));
		l = &p->lines[p->nlines++];
		*l = (struct line){ .start = s, .len = 0, .section = (int)p->nsecs - 1 };
		if (p->err != NULL || s == e || *s == ';' || *s == '#') {
			/* a blank line or a comment: inih gets an empty line */
		} else if (*s == '[') {
			scan_header(p, lineno, s, (size_t)(e - s));
			l->header = true;
			l->section = (int)p->nsecs - 1;
		} else {
			const char *c;

			/* a ';' or '#' after a blank starts a comment */
			for (c = s + 1; c < e; c++) {
				if ((*c == ';' || *c == '#') && is_blank(c[-1]))
					break;
			}
			while (c > s && is_blank(c[-1]))
				c--;
			n = (size_t)(c - s);
			l->len = n;
			scan_key(p, lineno, s, n);
		}
		s = nl != NULL ? nl + 1 : end;
	}
}

static int ini_on_value(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	int line = (int)p->next;
	const struct line *l = &p->lines[p->next - 1];
	struct section *sec;
	const struct key_def *best;
	int i;
	char *why = NULL;
	char label[CONFIG_TITLE_MAX + 32];

	(void)section;
	if (p->err != NULL || l->section < 0)
		return 0;
	sec = &p->secs[l->section];
	if (sec->kind == SEC_KEYS) {
		if (config_keys_add(&p->cfg->keys, name, value, line, &why) != 0)
			fail_why(p, line, why);
		return p->err == NULL;
	}
	i = config_key_find(sec->kind, name, &best);
	if (i < 0) {
		if (best != NULL)
			fail(p, line, "unknown key %s in %s (did you mean %s?)", name,
			     section_label(sec, label, sizeof(label)), best->name);
		else
			fail(p, line, "unknown key %s in %s", name, section_label(sec, label, sizeof(label)));
		return 0;
	}
	if (sec->key_line[i] != 0) {
		fail(p, line, "%s is set twice in %s (first on line %d)", name,
		     section_label(sec, label, sizeof(label)), sec->key_line[i]);
		return 0;
	}
	sec->key_line[i] = line;
	if (config_set_value(p->dir, sec, &config_kinds[sec->kind].keys[i], value, &why) != 0) {
		fail_why(p, line, why);
		return 0;
	}
	return 1;
}

static char *ini_read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	const struct line *l;

	if (p->err != NULL || p->next >= p->nlines)
		return NULL;
	l = &p->lines[p->next++];
	if (l->header) {
		snprintf(str, (size_t)num, "[s%d]\n", l->section);
	} else {
		if (l->len + 2 > (size_t)num)
			fatal("config: inih's line buffer is %d bytes", num);
		memcpy(str, l->start, l->len);
		str[l->len] = '\n';
		str[l->len + 1] = '\0';
	}
	return str;
}

/* inih's options are process-wide variables in Debian's build: set ours for
 * the length of one parse, under a lock, and put the previous ones back. */
static pthread_mutex_t ini_lock = PTHREAD_MUTEX_INITIALIZER;

static void run_inih(struct parse *p)
{
	static char comment_prefixes[] = ";#";
	bool use_stack, realloc_, multiline, bom, inline_, stop, no_value;
	int max_line, initial;
	char *start_prefixes;
	int rc;

	pthread_mutex_lock(&ini_lock);
	use_stack = ini_use_stack, realloc_ = ini_allow_realloc, multiline = ini_allow_multiline;
	bom = ini_allow_bom, inline_ = ini_allow_inline_comments, stop = ini_stop_on_first_error;
	no_value = ini_allow_no_value, max_line = ini_max_line, initial = ini_initial_alloc;
	start_prefixes = ini_start_comment_prefixes;

	ini_use_stack = false;              /* the stack buffer is 200 bytes */
	ini_max_line = ini_initial_alloc = CONFIG_MAX_LINE + 3;
	ini_allow_realloc = false;
	ini_allow_multiline = false;        /* the pre-scan trims leading blanks anyway */
	ini_allow_bom = false;              /* the pre-scan skips it */
	ini_allow_inline_comments = false;  /* the pre-scan cut them */
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ini_start_comment_prefixes = comment_prefixes;

	p->next = 0;
	rc = ini_parse_stream(ini_read_line, p, ini_on_value, p);

	ini_use_stack = use_stack, ini_allow_realloc = realloc_, ini_allow_multiline = multiline;
	ini_allow_bom = bom, ini_allow_inline_comments = inline_, ini_stop_on_first_error = stop;
	ini_allow_no_value = no_value, ini_max_line = max_line, ini_initial_alloc = initial;
	ini_start_comment_prefixes = start_prefixes;
	pthread_mutex_unlock(&ini_lock);

	if (rc == -2)
		fatal("out of memory in inih");
	if (rc != 0 && p->err == NULL)
		fail(p, rc, "cannot parse this line");
}

/* ---- checks across keys ---------------------------------------------------------- */

static int key_line(const struct section *sec, const char *name)
{
	const struct kind_def *kd = &config_kinds[sec->kind];
	size_t i;

	for (i = 0; i < kd->nkeys; i++) {
		if (strcmp(kd->keys[i].name, name) == 0)
			return sec->key_line[i] != 0 ? sec->key_line[i] : sec->line;
	}
	return sec->line;
}

static bool key_set(const struct section *sec, const char *name)
{
	return key_line(sec, name) != sec->line;
}

static void check_via(struct parse *p, const struct section *sec, const char *via)
{
	const struct config_host *h;

	if (via == NULL)
		return;
	h = config_host_by_name(p->cfg, via);
	if (h == NULL)
		fail(p, key_line(sec, "via"), "via = %s: there is no [host %s]", via, via);
	else if (h->ssh == NULL)
		fail(p, key_line(sec, "via"), "via = %s: host %s has no ssh to go through", via, via);
}

static void need(struct parse *p, const struct section *sec, bool ok, const char *what)
{
	char label[CONFIG_TITLE_MAX + 32];

	if (!ok)
		fail(p, sec->line, "%s needs %s", section_label(sec, label, sizeof(label)), what);
}

static void check_host(struct parse *p, const struct section *sec, struct config_host *h)
{
	static const char *const tls[] = { "tls_ca", "tls_cert", "tls_key" };
	size_t i;

	if (h->ssh != NULL && h->address == NULL) {
		char *why = NULL;

		if (config_check_ssh(h->ssh, &h->address, &why) != 0)
			fail_why(p, key_line(sec, "ssh"), why);
	}
	if (h->docker == CONFIG_DOCKER_DEFAULT) {
		if (h->ssh != NULL)
			h->docker = CONFIG_DOCKER_SSH;
		else
			config_local_docker(h);
	} else if (h->docker == CONFIG_DOCKER_SSH && h->ssh == NULL) {
		fail(p, key_line(sec, "docker"), "docker = ssh, but host %s has no ssh", h->name);
	}
	if (h->jump != NULL && h->ssh == NULL)
		fail(p, key_line(sec, "jump"), "jump goes with ssh: host %s has no ssh", h->name);
	if (h->docker_socket != NULL && h->docker != CONFIG_DOCKER_SSH)
		fail(p, key_line(sec, "docker_socket"), "docker_socket is the remote socket for docker = ssh");
	for (i = 0; i < UTIL_ARRAY_LEN(tls); i++) {
		if (key_set(sec, tls[i]) && h->docker != CONFIG_DOCKER_TCP)
			fail(p, key_line(sec, tls[i]), "%s is for docker = tcp://host:port", tls[i]);
	}
	if ((h->tls_cert == NULL) != (h->tls_key == NULL))
		fail(p, key_line(sec, h->tls_cert == NULL ? "tls_key" : "tls_cert"),
		     "tls_cert and tls_key go together");
}

static void check_sections(struct parse *p)
{
	size_t i;

	for (i = 0; i < p->nsecs && p->err == NULL; i++) {
		struct section *sec = &p->secs[i];
		struct config *cfg = p->cfg;

		switch (sec->kind) {
		case SEC_KITETOP:
		case SEC_ALERTS:   /* config_alerts_finish, once every host is known */
			break;
		case SEC_HOST:
			check_host(p, sec, sec->obj);
			break;
		case SEC_SERVICE:
			need(p, sec, ((struct config_service *)sec->obj)->container != NULL, "container = NAME");
			break;
		case SEC_PANEL:
			need(p, sec, ((struct config_panel *)sec->obj)->query != NULL, "query = PROMQL");
			break;
		case SEC_PROMETHEUS:
			need(p, sec, cfg->prometheus->url != NULL, "url = http://...");
			check_via(p, sec, cfg->prometheus->via);
			if (cfg->prometheus->password.value != NULL && cfg->prometheus->user == NULL)
				fail(p, sec->line, "[prometheus] has a password but no user");
			if (cfg->prometheus->password.value != NULL && cfg->prometheus->token.value != NULL)
				fail(p, sec->line, "[prometheus] has both a password and a token: keep one");
			break;
		case SEC_POSTGRES:
			need(p, sec, cfg->postgres->conninfo != NULL, "conninfo = ...");
			check_via(p, sec, cfg->postgres->via);
			break;
		case SEC_REDIS:
			need(p, sec, cfg->redis->address != NULL, "address = host:port");
			check_via(p, sec, cfg->redis->via);
			if (cfg->redis->user != NULL && cfg->redis->password.value == NULL)
				fail(p, key_line(sec, "user"), "[redis] has a user but no password_file or password_env");
			break;
		case SEC_AUTHENTIK:
			need(p, sec, cfg->authentik->url != NULL || cfg->authentik->public_url != NULL,
			     "url or public_url");
			break;
		case SEC_KEYS:
			break;
		case SEC_CLUSTER: {
			int line = sec->line;
			char *why = NULL;

			if (config_cluster_finish(cfg, sec->obj, key_line(sec, "via"), key_line(sec, "kubeconfig"),
			                          &line, &why) != 0)
				fail_why(p, line, why);
			break;
		}
		case SEC_CLOUDFLARE:
			need(p, sec, cfg->cloudflare->account_id != NULL, "account_id");
			need(p, sec, cfg->cloudflare->tunnel_id != NULL, "tunnel_id");
			need(p, sec, cfg->cloudflare->token.value != NULL, "token_file or token_env");
			break;
		case SEC_NKINDS:
			break;
		}
	}
}

/* ---- building the struct ---------------------------------------------------------- */

static void make_objects(struct parse *p)
{
	struct config *cfg = p->cfg;
	size_t i, n[SEC_NKINDS] = { 0 };

	for (i = 0; i < p->nsecs; i++) {
		n[p->secs[i].kind]++;
		if (p->secs[i].kind == SEC_HOST && n[SEC_HOST] == FLEET_MAX_HOSTS + 1)
			fail(p, p->secs[i].line, "too many [host] sections: kitetop watches at most %d hosts",
			     FLEET_MAX_HOSTS);
	}
	if (p->err != NULL)
		return;
	cfg->hosts = xcalloc(n[SEC_HOST], sizeof(*cfg->hosts));
	cfg->services = xcalloc(n[SEC_SERVICE], sizeof(*cfg->services));
	cfg->panels = xcalloc(n[SEC_PANEL], sizeof(*cfg->panels));
	cfg->clusters = xcalloc(n[SEC_CLUSTER], sizeof(*cfg->clusters));
	for (i = 0; i < p->nsecs; i++) {
		struct section *sec = &p->secs[i];

		switch (sec->kind) {
		case SEC_KITETOP:
			sec->obj = cfg;
			break;
		case SEC_ALERTS:
			cfg->alerts.line = sec->line;
			sec->obj = &cfg->alerts;
			break;
		case SEC_HOST: {
			struct config_host *h = &cfg->hosts[cfg->nhosts++];

			h->name = xstrdup(sec->name);
			h->line = sec->line;
			h->stop_timeout = CONFIG_DEFAULT_STOP_TIMEOUT;
			sec->obj = h;
			break;
		}
		case SEC_SERVICE: {
			struct config_service *s = &cfg->services[cfg->nservices++];

			s->name = xstrdup(sec->name);
			s->line = sec->line;
			s->expect_min = 200;
			s->expect_max = 299;
			sec->obj = s;
			break;
		}
		case SEC_PANEL: {
			struct config_panel *pn = &cfg->panels[cfg->npanels++];

			pn->title = xstrdup(sec->name);
			pn->line = sec->line;
			pn->unit = CONFIG_UNIT_PLAIN;
			sec->obj = pn;
			break;
		}
		case SEC_PROMETHEUS:
			cfg->prometheus = xcalloc(1, sizeof(*cfg->prometheus));
			cfg->prometheus->line = sec->line;
			sec->obj = cfg->prometheus;
			break;
		case SEC_POSTGRES:
			cfg->postgres = xcalloc(1, sizeof(*cfg->postgres));
			cfg->postgres->line = sec->line;
			sec->obj = cfg->postgres;
			break;
		case SEC_REDIS:
			cfg->redis = xcalloc(1, sizeof(*cfg->redis));
			cfg->redis->line = sec->line;
			sec->obj = cfg->redis;
			break;
		case SEC_AUTHENTIK:
			cfg->authentik = xcalloc(1, sizeof(*cfg->authentik));
			cfg->authentik->line = sec->line;
			sec->obj = cfg->authentik;
			break;
		case SEC_CLOUDFLARE:
			cfg->cloudflare = xcalloc(1, sizeof(*cfg->cloudflare));
			cfg->cloudflare->line = sec->line;
			cfg->cloudflare->refresh_ms = CONFIG_DEFAULT_CLOUDFLARE_REFRESH_MS;
			sec->obj = cfg->cloudflare;
			break;
		case SEC_KEYS:
			cfg->keys.path = xstrdup(p->path);
			sec->obj = &cfg->keys;
			break;
		case SEC_CLUSTER:
			sec->obj = &cfg->clusters[cfg->nclusters];
			config_cluster_init(sec->obj, sec->name, sec->line);
			cfg->nclusters++;
			break;
		case SEC_NKINDS:
			break;
		}
	}
}

/* Line of byte offset off (1-based). */
static int line_of(const char *text, size_t off)
{
	int line = 1;
	const char *s = text, *e = text + off, *nl;

	while ((nl = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		line++;
		s = nl + 1;
	}
	return line;
}

struct config *config_parse(const char *path, const char *text, size_t len, char **cause)
{
	struct parse p = { .path = path != NULL ? path : "(configuration)" };
	struct config *cfg;
	size_t i;

	if (text == NULL)
		text = "";
	if (len > CONFIG_MAX_BYTES) {
		util_set_cause(cause, "%s:%d: the file is over %d bytes (1 MB), the limit, at this line",
		               p.path, line_of(text, CONFIG_MAX_BYTES), CONFIG_MAX_BYTES);
		return NULL;
	}
	cfg = xcalloc(1, sizeof(*cfg));
	p.cfg = cfg;
	config_init_defaults(cfg);
	if (path != NULL) {
		const char *slash = strrchr(path, '/');

		cfg->path = xstrdup(path);
		if (slash != NULL)
			p.dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	}
	scan_lines(&p, text, len);
	/* An empty file (or one of comments only) is most likely a mistake:
	 * say so, rather than silently watching this machine. */
	if (p.err == NULL && p.nsecs == 0)
		fail(&p, line_of(text, len), "the file has no sections (an empty configuration); "
		     "write [kitetop] or [host NAME] sections, or remove the file to watch this machine");
	if (p.err == NULL)
		make_objects(&p);
	if (p.err == NULL)
		run_inih(&p);
	if (p.err == NULL)
		check_sections(&p);
	/* No [host] section: this machine is the one host,
	 * as with no file at all.  A file of [kitetop] settings alone is useful. */
	if (p.err == NULL && cfg->nhosts == 0) {
		free(cfg->hosts);
		cfg->hosts = xcalloc(1, sizeof(*cfg->hosts));
		cfg->nhosts = 1;
		config_local_host(&cfg->hosts[0]);
	}
	if (p.err == NULL) {
		int line = 0;
		char *why = NULL;

		if (config_alerts_finish(cfg, p.secs, p.nsecs, &line, &why) != 0)
			fail_why(&p, line, why);
	}
	if (p.err == NULL && cfg->cloudflare != NULL && cfg->cloudflare->api_url == NULL)
		cfg->cloudflare->api_url = xstrdup(CONFIG_DEFAULT_CLOUDFLARE_API);

	for (i = 0; i < p.nsecs; i++)
		free(p.secs[i].name);
	free(p.secs);
	free(p.lines);
	free(p.dir);
	if (p.err != NULL) {
		util_set_cause(cause, "%s:%d: %s", p.path, p.err_line, p.err);
		free(p.err);
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *config_load(const char *path, char **cause)
{
	char *text;
	size_t len = 0, cap = CONFIG_MAX_BYTES + 1;
	struct config *cfg;
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0) {
		util_set_cause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* asked of what was opened, not of the name, which may have changed
	 * since; a FIFO, a directory or a device (/dev/zero) is no file of
	 * settings */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		util_set_cause(cause, "%s is not a regular file", path);
		close(fd);
		return NULL;
	}
	/* read one byte more than the limit, so that config_parse can refuse */
	text = xmalloc(cap + 1);
	for (;;) {
		ssize_t n = read(fd, text + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			util_set_cause(cause, "%s: %s", path, strerror(errno));
			close(fd);
			free(text);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap)
			break;
	}
	close(fd);
	text[len] = '\0';
	cfg = config_parse(path, text, len, cause);
	free(text);
	return cfg;
}
