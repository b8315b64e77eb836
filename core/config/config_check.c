#include "core/config/config_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/base/util.h"

size_t config_check_utf8_char(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

int config_check_name(const char *what, const char *s, char **why)
{
	const char *p;

	if (*s == '\0') {
		util_set_cause(why, "the %s name is empty", what);
		return -1;
	}
	if (strlen(s) > CONFIG_NAME_MAX) {
		util_set_cause(why, "the %s name is longer than %d characters", what, CONFIG_NAME_MAX);
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		if (!name_char(*p)) {
			util_set_cause(why, "%s name \"%s\" may only contain letters, digits, '.', '_' and '-'",
			               what, s);
			return -1;
		}
	}
	return 0;
}

int config_check_title(const char *s, char **why)
{
	if (*s == '\0') {
		util_set_cause(why, "the panel title is empty");
		return -1;
	}
	if (strlen(s) > CONFIG_TITLE_MAX) {
		util_set_cause(why, "the panel title is longer than %d bytes", CONFIG_TITLE_MAX);
		return -1;
	}
	return 0;
}

static bool has_space_or_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return true;
	}
	return false;
}

static int check_port(const char *p, size_t n)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	return v >= 1 && v <= 65535 ? 0 : -1;
}

/* Splits "host", "host:port", "[v6]" or "[v6]:port"; a bare IPv6 address
 * (two colons or more) has no port.  Returns -1 with *why on bad syntax. */
static int split_host_port(const char *s, size_t len, char **host, bool *has_port, char **why)
{
	const char *colon;

	*has_port = false;
	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close == NULL || close == s + 1) {
			util_set_cause(why, "\"%.*s\": an IPv6 address in [] needs its closing ]", (int)len, s);
			return -1;
		}
		if (close + 1 < s + len) {
			if (close[1] != ':' || check_port(close + 2, (size_t)(s + len - close - 2)) != 0) {
				util_set_cause(why, "\"%.*s\": bad port after ]", (int)len, s);
				return -1;
			}
			*has_port = true;
		}
		*host = xstrndup(s + 1, (size_t)(close - s - 1));
		return 0;
	}
	colon = memchr(s, ':', len);
	if (colon != NULL && memchr(colon + 1, ':', (size_t)(s + len - colon - 1)) == NULL) {
		if (check_port(colon + 1, (size_t)(s + len - colon - 1)) != 0) {
			util_set_cause(why, "\"%.*s\": the port must be a number from 1 to 65535", (int)len, s);
			return -1;
		}
		*has_port = true;
		len = (size_t)(colon - s);
	}
	if (len == 0) {
		util_set_cause(why, "the host is empty");
		return -1;
	}
	*host = xstrndup(s, len);
	return 0;
}

int config_check_url(const char *s, bool placeholders, char **why)
{
	const char *rest, *end, *p;
	char *host = NULL;
	bool has_port;

	if (strncasecmp(s, "http://", 7) == 0) {
		rest = s + 7;
	} else if (strncasecmp(s, "https://", 8) == 0) {
		rest = s + 8;
	} else {
		util_set_cause(why, "\"%s\" is not a URL: it must start with http:// or https://", s);
		return -1;
	}
	if (has_space_or_control(s)) {
		util_set_cause(why, "the URL \"%s\" contains a space", s);
		return -1;
	}
	end = rest + strcspn(rest, "/?#");
	if (memchr(rest, '@', (size_t)(end - rest)) != NULL) {
		/* not repeated: it holds a secret */
		util_set_cause(why, "the URL holds credentials (user:password@): put secrets in *_file or *_env keys");
		return -1;
	}
	if (split_host_port(rest, (size_t)(end - rest), &host, &has_port, why) != 0)
		return -1;
	free(host);
	for (p = s; (p = strchr(p, '{')) != NULL; p++) {
		if (placeholders && (strncmp(p, "{address}", 9) == 0 || strncmp(p, "{name}", 6) == 0))
			continue;
		if (placeholders)
			util_set_cause(why, "the URL \"%s\" has an unknown placeholder: only {address} and {name} are replaced", s);
		else
			util_set_cause(why, "the URL \"%s\" contains '{': placeholders are not replaced in this URL", s);
		return -1;
	}
	return 0;
}

int config_check_ssh(const char *s, char **host, char **why)
{
	const char *at, *h;
	bool has_port;

	*host = NULL;
	if (strncasecmp(s, "ssh://", 6) == 0) {
		/* DOCKER_HOST's and docker contexts' form: ssh://user@host:port */
		char *bare = xstrdup(s + 6);
		size_t n = strlen(bare);
		int rc;

		if (n > 0 && bare[n - 1] == '/')
			bare[n - 1] = '\0';
		if (bare[0] == '\0' || strchr(bare, '/') != NULL || strncasecmp(bare, "ssh://", 6) == 0) {
			util_set_cause(why, "\"%s\" is not an ssh target: use ssh://user@host[:port] "
			               "(no path)", s);
			free(bare);
			return -1;
		}
		rc = config_check_ssh(bare, host, why);
		free(bare);
		return rc;
	}
	at = strrchr(s, '@');
	h = s;
	if (has_space_or_control(s) || s[0] == '-') {
		util_set_cause(why, "\"%s\" is not an ssh target: use user@host[:port] or a Host alias", s);
		return -1;
	}
	if (at != NULL) {
		if (at == s) {
			util_set_cause(why, "\"%s\": the user before @ is empty", s);
			return -1;
		}
		h = at + 1;
	}
	if (*h == '\0') {
		util_set_cause(why, "\"%s\": the host after @ is empty", s);
		return -1;
	}
	if (split_host_port(h, strlen(h), host, &has_port, why) != 0)
		return -1;
	if ((*host)[0] == '-') {
		util_set_cause(why, "\"%s\": the host may not start with '-'", s);
		free(*host);
		*host = NULL;
		return -1;
	}
	return 0;
}

int config_check_jump(const char *s, char **why)
{
	const char *p = s;

	if (strcasecmp(s, "none") == 0)
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *hop = xstrndup(p, len), *h = hop, *host = NULL, *inner = NULL;
		int rc;

		if (strncasecmp(h, "ssh://", 6) == 0)
			h += 6;
		rc = *h == '\0' ? -1 : config_check_ssh(h, &host, &inner);
		free(host);
		if (rc != 0) {
			util_set_cause(why, "jump = %s: jump host \"%s\"%s%s", s, hop,
			               inner != NULL ? ": " : " is empty", inner != NULL ? inner : "");
			free(inner);
			free(hop);
			return -1;
		}
		free(hop);
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int config_check_hostport(const char *s, char **why)
{
	char *host = NULL;
	bool has_port;

	if (has_space_or_control(s)) {
		util_set_cause(why, "\"%s\" contains a space: use host:port", s);
		return -1;
	}
	if (split_host_port(s, strlen(s), &host, &has_port, why) != 0)
		return -1;
	free(host);
	if (!has_port) {
		util_set_cause(why, "\"%s\" has no port: use host:port", s);
		return -1;
	}
	return 0;
}

int config_check_address(const char *s, char **why)
{
	const char *p;

	if (strchr(s, ':') != NULL)
		return config_check_ip(s, why);
	for (p = s; *p != '\0'; p++) {
		if (!name_char(*p)) {
			util_set_cause(why, "\"%s\" is not a host name or IP address (no port here)", s);
			return -1;
		}
	}
	return 0;
}

int config_check_ip(const char *s, char **why)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1)
		return 0;
	util_set_cause(why, "\"%s\" is not an IPv4 or IPv6 address", s);
	return -1;
}

int config_check_docker(const char *s, enum config_docker_kind *kind, char **url, char **why)
{
	*url = NULL;
	if (strcmp(s, "ssh") == 0) {
		*kind = CONFIG_DOCKER_SSH;
		return 0;
	}
	if (strcmp(s, "none") == 0) {
		*kind = CONFIG_DOCKER_NONE;
		return 0;
	}
	if (strncmp(s, "unix://", 7) == 0) {
		if (s[7] != '/' || has_space_or_control(s)) {
			util_set_cause(why, "\"%s\": unix:// needs an absolute socket path, like unix:///var/run/docker.sock", s);
			return -1;
		}
		*kind = CONFIG_DOCKER_UNIX;
		*url = xstrdup(s + 7);
		return 0;
	}
	if (strncmp(s, "tcp://", 6) == 0) {
		if (config_check_hostport(s + 6, why) != 0)
			return -1;
		*kind = CONFIG_DOCKER_TCP;
		*url = xstrdup(s + 6);
		return 0;
	}
	util_set_cause(why, "docker = \"%s\": use ssh, unix:///path, tcp://host:port or none", s);
	return -1;
}

int config_check_container(const char *s, char **why)
{
	const char *p;

	if (!isalnum((unsigned char)s[0]))
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (!name_char(*p))
			goto bad;
	}
	if (strlen(s) <= 255)
		return 0;
bad:
	util_set_cause(why, "\"%s\" is not a container name (letters, digits, '.', '_', '-')", s);
	return -1;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return n > 0;
}

int config_check_expect(const char *s, int *min, int *max, char **why)
{
	size_t n = strlen(s);
	const char *dash = strchr(s, '-');

	if (n == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
		*min = (s[0] - '0') * 100;
		*max = *min + 99;
		return 0;
	}
	if (n == 3 && all_digits(s, 3)) {
		*min = *max = atoi(s);
	} else if (n == 7 && dash == s + 3 && all_digits(s, 3) && all_digits(s + 4, 3)) {
		*min = atoi(s);
		*max = atoi(s + 4);
	} else {
		goto bad;
	}
	if (*min >= 100 && *max <= 599 && *min <= *max)
		return 0;
bad:
	util_set_cause(why, "expect = \"%s\": use a status (200), a class (2xx) or a range (200-399) within 100-599", s);
	return -1;
}

/* strtod in the C locale, whatever setlocale() the program did. */
static double c_strtod(const char *s)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	double v;

	if (c == (locale_t)0)
		fatal("cannot create the C locale");
	v = strtod_l(s, NULL, c);
	freelocale(c);
	return v;
}

/* [-]digits[.digits][e[+-]digits] when full, else digits[.digits] (".5" too). */
static bool number_syntax(const char *s, bool full)
{
	const char *p = s;
	size_t ip, fp = 0;

	if (full && (*p == '-' || *p == '+'))
		p++;
	ip = strspn(p, "0123456789");
	p += ip;
	if (*p == '.') {
		fp = strspn(p + 1, "0123456789");
		if (fp == 0)
			return false;
		p += 1 + fp;
	}
	if (ip == 0 && fp == 0)
		return false;
	if (full && (*p == 'e' || *p == 'E')) {
		size_t ep;

		p++;
		if (*p == '-' || *p == '+')
			p++;
		ep = strspn(p, "0123456789");
		if (ep == 0)
			return false;
		p += ep;
	}
	return *p == '\0';
}

int config_check_seconds(const char *s, double min, double max, int *ms, char **why)
{
	double v;

	if (!number_syntax(s, false)) {
		util_set_cause(why, "\"%s\" is not a number of seconds (like 2 or 0.5)", s);
		return -1;
	}
	v = c_strtod(s);
	if (!(v >= min && v <= max)) {
		util_set_cause(why, "%s seconds is out of range: use %g to %g", s, min, max);
		return -1;
	}
	*ms = (int)lround(v * 1000.0);
	return 0;
}

int config_check_int(const char *s, long min, long max, int *out, char **why)
{
	long v = 0;
	const char *p;

	if (*s == '\0' || strlen(s) > 9)
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v >= min && v <= max) {
		*out = (int)v;
		return 0;
	}
bad:
	util_set_cause(why, "\"%s\" is not a whole number from %ld to %ld", s, min, max);
	return -1;
}

int config_check_number(const char *s, double *out, char **why)
{
	double v;

	if (!number_syntax(s, true) || !isfinite(v = c_strtod(s))) {
		util_set_cause(why, "\"%s\" is not a number", s);
		return -1;
	}
	*out = v;
	return 0;
}

int config_check_unit(const char *s, enum config_unit *unit, char **why)
{
	static const struct {
		const char *name;
		enum config_unit unit;
	} units[] = {
		{ "plain", CONFIG_UNIT_PLAIN },
		{ "bytes", CONFIG_UNIT_BYTES },
		{ "percent", CONFIG_UNIT_PERCENT },
		{ "seconds", CONFIG_UNIT_SECONDS },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(units); i++) {
		if (strcmp(s, units[i].name) == 0) {
			*unit = units[i].unit;
			return 0;
		}
	}
	util_set_cause(why, "unit = \"%s\": use bytes, percent, seconds or plain", s);
	return -1;
}

int config_check_conninfo(const char *s, char **why)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(s, &err), *o;
	int rc = 0;

	if (opts == NULL) {
		if (err != NULL) {
			size_t n = strlen(err);

			while (n > 0 && isspace((unsigned char)err[n - 1]))
				n--;
			util_set_cause(why, "conninfo: %.*s", (int)n, err);
			PQfreemem(err);
		} else {
			util_set_cause(why, "conninfo: cannot be parsed");
		}
		return -1;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL) {
			util_set_cause(why, "conninfo holds a password: put it in password_file or password_env");
			rc = -1;
		}
	}
	PQconninfoFree(opts);
	return rc;
}

int config_check_env_name(const char *s, char **why)
{
	const char *p;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			goto bad;
	}
	return 0;
bad:
	util_set_cause(why, "\"%s\" is not an environment variable name", s);
	return -1;
}

int config_check_alnum(const char *s, char **why)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p)) {
			util_set_cause(why, "\"%s\" may only contain letters and digits", s);
			return -1;
		}
	}
	return 0;
}

int config_check_uuid(const char *s, char **why)
{
	size_t i;

	if (strlen(s) != 36)
		goto bad;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			goto bad;
	}
	return 0;
bad:
	util_set_cause(why, "\"%s\" is not a UUID (like 6ff42ae2-765d-4adf-8112-31c55c1551ef)", s);
	return -1;
}

static const char *selector_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The end of the quoted value at p (its opening quote), or NULL when it has
 * no closing quote; backticks take no escapes, as in PromQL. */
static const char *selector_value_end(const char *p)
{
	char q = *p++;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && q != '`') {
			if (p[1] == '\0')
				return NULL;
			p++;
		} else if (*p == q) {
			return p + 1;
		}
	}
	return NULL;
}

/* The selector is pasted into every query sent for the host: a mistake in it
 * (an unclosed quote) would otherwise be found only by Prometheus, at each
 * poll, as a parse error far from the line that made it.  The grammar is
 * PromQL's label matchers: name OP value, separated by commas, OP one of
 * = != =~ !~, the value in double quotes, single quotes or backticks. */
int config_check_selector(const char *s, char **why)
{
	const char *p = selector_blanks(s), *name, *end;
	size_t nlen;

	if (strpbrk(s, "{}") != NULL) {
		util_set_cause(why, "write the selector without braces, like instance=\"10.0.0.1:9100\"");
		return -1;
	}
	while (*p != '\0') {
		name = p;
		if (!isalpha((unsigned char)*p) && *p != '_')
			goto bad_name;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		nlen = (size_t)(p - name);
		p = selector_blanks(p);
		if ((p[0] == '=' || p[0] == '!') && (p[1] == '=' || p[1] == '~') &&
		    !(p[0] == '=' && p[1] == '='))
			p += 2;   /* != =~ !~ */
		else if (p[0] == '=')
			p++;
		else
			goto bad_op;
		p = selector_blanks(p);
		if (*p != '"' && *p != '\'' && *p != '`') {
			util_set_cause(why, "prom_selector: the value of %.*s must be quoted, like "
			               "%.*s=\"10.0.0.1:9100\"", (int)nlen, name, (int)nlen, name);
			return -1;
		}
		end = selector_value_end(p);
		if (end == NULL) {
			util_set_cause(why, "prom_selector: the value of %.*s has no closing %c",
			               (int)nlen, name, *p);
			return -1;
		}
		p = selector_blanks(end);
		if (*p == ',')
			p = selector_blanks(p + 1);
		else if (*p != '\0')
			goto bad_sep;
	}
	return 0;
bad_name:
	util_set_cause(why, "prom_selector: a label name is expected at \"%.20s\"", p);
	return -1;
bad_op:
	util_set_cause(why, "prom_selector: =, !=, =~ or !~ is expected after %.*s", (int)nlen, name);
	return -1;
bad_sep:
	util_set_cause(why, "prom_selector: a comma is expected between matchers, at \"%.20s\"", p);
	return -1;
}

/* A private key readable by group or others is refused, as ssh(1) refuses
 * it ("UNPROTECTED PRIVATE KEY FILE") and as a password_file is refused: a
 * key anyone on the machine can copy is no longer a secret.  A key that is
 * missing or cannot be opened is left to the connection, which goes on
 * without it as ssh(1) does. */
int config_check_key_file(const char *path, char **why)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int rc = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		util_set_cause(why, "identity file %s is not a regular file", path);
		rc = -1;
	} else if ((st.st_mode & 077) != 0) {
		util_set_cause(why, "identity file %s is open to group or others (mode %04o): "
		               "run chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
		rc = -1;
	}
	close(fd);
	return rc;
}

int config_read_secret_file(const char *path, char **value, char **why)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	*value = NULL;
	if (fd < 0) {
		util_set_cause(why, "cannot read secret file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		util_set_cause(why, "secret file %s is not a regular file", path);
		close(fd);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		util_set_cause(why, "secret file %s is open to group or others (mode %04o): run chmod 600 %s",
		               path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -1;
	}
	buf = xmalloc(CONFIG_SECRET_MAX + 2);
	for (;;) {
		ssize_t n = read(fd, buf + len, CONFIG_SECRET_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			util_set_cause(why, "cannot read secret file %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONFIG_SECRET_MAX) {
			util_set_cause(why, "secret file %s is over %d KB", path, CONFIG_SECRET_MAX / 1024);
			goto fail;
		}
	}
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	if (len == 0 || memchr(buf, '\0', len) != NULL) {
		util_set_cause(why, len == 0 ? "secret file %s is empty" : "secret file %s holds a NUL byte", path);
		explicit_bzero(buf, CONFIG_SECRET_MAX + 2);
		free(buf);
		return -1;
	}
	*value = xstrndup(buf, len);
	explicit_bzero(buf, CONFIG_SECRET_MAX + 2);
	free(buf);
	return 0;
fail:
	close(fd);
	explicit_bzero(buf, CONFIG_SECRET_MAX + 2);
	free(buf);
	return -1;
}
