/* theme_file — a theme file's text: its values (colours and attributes),
 * its lines read into a spec (theme_parse) and a theme written back out
 * (theme_format).  The format is described in theme.h. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "widgets/theme.h"
#include "widgets/theme_internal.h"

/* Warnings kept from one file; one more says how many were left out. */
#define THEME_MAX_WARNINGS 32

static const char *const theme_color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow",
	"bright_blue", "bright_magenta", "bright_cyan", "bright_white",
};

static const struct {
	const char *name;
	unsigned bit;
} theme_attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "dim", THEME_ATTR_DIM },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "reverse", THEME_ATTR_REVERSE },
};

enum theme_field { THEME_FIELD_FG, THEME_FIELD_BG, THEME_FIELD_ATTR };

/* ---- values ---- */

static int theme_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int theme_parse_paint(const char *s, size_t n, struct theme_paint *out)
{
	char word[32];
	size_t i, j;

	memset(out, 0, sizeof *out);
	if (n == 0 || (n == 7 && strncasecmp(s, "default", 7) == 0)) {
		out->kind = THEME_PAINT_DEFAULT;
		return 0;
	}
	if (s[0] == '#' && (n == 7 || n == 4)) {
		uint32_t rgb = 0;

		for (i = 1; i < n; i++) {
			int h = theme_hexval((unsigned char)s[i]);

			if (h < 0)
				return -1;
			rgb = rgb << 4 | (uint32_t)h;
			if (n == 4)
				rgb = rgb << 4 | (uint32_t)h;
		}
		out->kind = THEME_PAINT_RGB;
		out->rgb = rgb;
		return 0;
	}
	if (isdigit((unsigned char)s[0])) {
		int v = 0;

		if (n > 3)
			return -1;
		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		if (v > 255)
			return -1;
		out->kind = THEME_PAINT_INDEX;
		out->index = (uint8_t)v;
		out->rgb = theme_index_to_rgb(v);
		return 0;
	}
	if (n >= sizeof word)
		return -1;
	/* Names: case-insensitive, "bright-red" and "brightred" as "bright_red". */
	for (i = j = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		if (c == '-')
			c = '_';
		word[j++] = c;
		if (j == 6 && strncmp(word, "bright", 6) == 0 && i + 1 < n && s[i + 1] != '_' &&
		    s[i + 1] != '-')
			word[j++] = '_';
		if (j >= sizeof word - 1)
			return -1;
	}
	word[j] = '\0';
	if (strcmp(word, "gray") == 0 || strcmp(word, "grey") == 0)
		util_strlcpy(word, "bright_black", sizeof word);
	for (i = 0; i < 16; i++) {
		if (strcmp(word, theme_color_names[i]) == 0) {
			out->kind = THEME_PAINT_INDEX;
			out->index = (uint8_t)i;
			out->rgb = theme_index_to_rgb((int)i);
			return 0;
		}
	}
	return -1;
}

int theme_parse_attr(const char *s, size_t n, unsigned *out, size_t *bad)
{
	size_t i = 0, k;

	*out = 0;
	while (i < n) {
		size_t start, len;
		bool found = false;

		while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '\t'))
			i++;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != ',' && s[i] != '\t')
			i++;
		len = i - start;
		if (len == 0)
			break;
		if (len == 4 && strncasecmp(s + start, "none", 4) == 0)
			continue;
		for (k = 0; k < UTIL_ARRAY_LEN(theme_attr_names); k++) {
			if (strlen(theme_attr_names[k].name) == len &&
			    strncasecmp(s + start, theme_attr_names[k].name, len) == 0) {
				*out |= theme_attr_names[k].bit;
				found = true;
			}
		}
		if (!found) {
			*bad = start;
			return -1;
		}
	}
	return 0;
}

/* ---- the parser ---- */

struct theme_parser {
	const char *line;          /* the current line */
	size_t len;                /* its length, without the newline */
	size_t lineno;
	char **warnings;
	size_t nwarnings, nleft_out;
	bool want_warnings;
};

/* A key or value quoted for a message: printable ASCII kept, the rest as \xNN,
 * at most 40 bytes of it. */
static char *theme_quote(const char *s, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			buf_putc(&b, (char)c);
		else
			buf_printf(&b, "\\x%02x", c);
	}
	if (n > 40)
		buf_puts(&b, "...");
	return buf_steal(&b);
}

static void theme_warn(struct theme_parser *ps, const char *key, size_t keylen)
{
	char *q;

	if (!ps->want_warnings)
		return;
	if (ps->nwarnings >= THEME_MAX_WARNINGS) {
		ps->nleft_out++;
		return;
	}
	q = theme_quote(key, keylen);
	ps->warnings = xreallocarray(ps->warnings, ps->nwarnings + 2, sizeof *ps->warnings);
	ps->warnings[ps->nwarnings++] = xasprintf("line %zu: unknown key '%s' (ignored)",
						  ps->lineno, q);
	free(q);
}

static bool theme_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Finds the role and field a key names; -1 when it names none. */
static int theme_lookup_key(const char *key, size_t n, size_t *role, enum theme_field *field)
{
	static const struct {
		const char *suffix;
		enum theme_field field;
	} suffixes[] = {
		{ "_fg", THEME_FIELD_FG }, { "_bg", THEME_FIELD_BG }, { "_attr", THEME_FIELD_ATTR },
		{ "", THEME_FIELD_FG },
	};
	size_t i, k;

	for (k = 0; k < UTIL_ARRAY_LEN(suffixes); k++) {
		size_t sl = strlen(suffixes[k].suffix);

		if (n <= sl || memcmp(key + n - sl, suffixes[k].suffix, sl) != 0)
			continue;
		for (i = 0; i < THEME_NROLES; i++) {
			const char *name = theme_defaults[i].name;

			if (strlen(name) == n - sl && memcmp(key, name, n - sl) == 0) {
				*role = i;
				*field = suffixes[k].field;
				return 0;
			}
		}
	}
	return -1;
}

/* One line (without its newline).  0, or -1 with *cause. */
static int theme_parse_line(struct theme_parser *ps, struct theme_spec *sp, char **cause)
{
	const char *s = ps->line;
	size_t n = ps->len, i = 0, key, keylen, val, vallen, role, bad;
	enum theme_field field;
	char *q;

	while (i < n && theme_is_space(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	if (n - i < 6 || memcmp(s + i, "theme[", 6) != 0) {
		util_set_cause(cause, "line %zu, column %zu: expected theme[KEY]=\"VALUE\"",
			       ps->lineno, i + 1);
		return -1;
	}
	i += 6;
	key = i;
	while (i < n && s[i] != ']')
		i++;
	if (i == n) {
		util_set_cause(cause, "line %zu, column %zu: missing ']' after the key",
			       ps->lineno, i + 1);
		return -1;
	}
	keylen = i - key;
	i++;
	while (i < n && theme_is_space(s[i]))
		i++;
	if (i == n || s[i] != '=') {
		util_set_cause(cause, "line %zu, column %zu: expected '=' after theme[...]",
			       ps->lineno, i + 1);
		return -1;
	}
	i++;
	while (i < n && theme_is_space(s[i]))
		i++;
	if (i < n && s[i] == '"') {
		val = ++i;
		while (i < n && s[i] != '"')
			i++;
		if (i == n) {
			util_set_cause(cause, "line %zu, column %zu: missing closing '\"'",
				       ps->lineno, val);
			return -1;
		}
		vallen = i - val;
		i++;
	} else {
		val = i;
		while (i < n && !theme_is_space(s[i]) && s[i] != '#')
			i++;
		vallen = i - val;
	}
	while (i < n && theme_is_space(s[i]))
		i++;
	if (i < n && s[i] != '#') {
		util_set_cause(cause, "line %zu, column %zu: unexpected text after the value",
			       ps->lineno, i + 1);
		return -1;
	}

	if (theme_lookup_key(s + key, keylen, &role, &field) != 0) {
		theme_warn(ps, s + key, keylen);
		return 0;
	}
	switch (field) {
	case THEME_FIELD_FG:
	case THEME_FIELD_BG:
		if (theme_parse_paint(s + val, vallen,
				      field == THEME_FIELD_FG ? &sp->fg[role] : &sp->bg[role]) != 0) {
			q = theme_quote(s + val, vallen);
			util_set_cause(cause, "line %zu, column %zu: '%s' is not a colour "
				       "(use \"#RRGGBB\", a name like red, a number 0-255 or default)",
				       ps->lineno, val + 1, q);
			free(q);
			return -1;
		}
		if (field == THEME_FIELD_FG)
			sp->has_fg[role] = true;
		else
			sp->has_bg[role] = true;
		break;
	case THEME_FIELD_ATTR:
		if (theme_parse_attr(s + val, vallen, &sp->attr[role], &bad) != 0) {
			size_t e = bad;

			while (e < vallen && s[val + e] != ' ' && s[val + e] != ',' &&
			       s[val + e] != '\t')
				e++;
			q = theme_quote(s + val + bad, e - bad);
			util_set_cause(cause, "line %zu, column %zu: '%s' is not an attribute "
				       "(use bold, dim, underline, reverse or none)",
				       ps->lineno, val + bad + 1, q);
			free(q);
			return -1;
		}
		break;
	}
	return 0;
}

int theme_parse(struct theme *t, const char *text, size_t len, char ***warnings,
		size_t *nwarnings, char **cause)
{
	struct theme_parser ps;
	struct theme_spec def, file;
	size_t pos = 0, i;

	memset(&ps, 0, sizeof ps);
	ps.want_warnings = warnings != NULL;
	if (warnings != NULL)
		*warnings = NULL;
	if (nwarnings != NULL)
		*nwarnings = 0;
	if (len > THEME_MAX_FILE) {
		util_set_cause(cause, "the theme is over %u bytes", THEME_MAX_FILE);
		return -1;
	}
	theme_spec_default(&def);
	memset(&file, 0, sizeof file);
	for (i = 0; i < THEME_NROLES; i++)
		file.attr[i] = def.attr[i];

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;

		ps.lineno++;
		ps.line = text + pos;
		ps.len = end - pos;
		if (memchr(ps.line, '\0', ps.len) != NULL) {
			util_set_cause(cause, "line %zu: a NUL byte (is this a theme file?)",
				       ps.lineno);
			theme_warnings_free(ps.warnings, ps.nwarnings);
			return -1;
		}
		if (theme_parse_line(&ps, &file, cause) != 0) {
			theme_warnings_free(ps.warnings, ps.nwarnings);
			return -1;
		}
		pos = end + 1;
	}

	theme_resolve(&file, &def, t->color);
	if (ps.nleft_out > 0)
		ps.warnings[ps.nwarnings++] = xasprintf("%zu more unknown keys not listed",
							ps.nleft_out);
	if (warnings != NULL) {
		*warnings = ps.warnings;
		if (nwarnings != NULL)
			*nwarnings = ps.nwarnings;
	} else {
		theme_warnings_free(ps.warnings, ps.nwarnings);
	}
	return 0;
}

/* ---- writing ---- */

static void theme_format_paint(struct buf *b, const struct theme_paint *p)
{
	switch (p->kind) {
	case THEME_PAINT_DEFAULT:
		buf_puts(b, "default");
		break;
	case THEME_PAINT_RGB:
		buf_printf(b, "#%06x", (unsigned)(p->rgb & 0xffffff));
		break;
	case THEME_PAINT_INDEX:
		if (p->index < 16)
			buf_puts(b, theme_color_names[p->index]);
		else
			buf_printf(b, "%u", (unsigned)p->index);
		break;
	}
}

char *theme_format(const struct theme *t)
{
	struct buf b;
	size_t i, k;

	buf_init(&b);
	buf_printf(&b, "# kitetop theme: %s\n", t->name);
	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_color *c = &t->color[i];
		const char *sep = "";

		buf_putc(&b, '\n');
		buf_printf(&b, "theme[%s_fg]=\"", theme_defaults[i].name);
		theme_format_paint(&b, &c->fg);
		buf_printf(&b, "\"\ntheme[%s_bg]=\"", theme_defaults[i].name);
		theme_format_paint(&b, &c->bg);
		buf_printf(&b, "\"\ntheme[%s_attr]=\"", theme_defaults[i].name);
		for (k = 0; k < UTIL_ARRAY_LEN(theme_attr_names); k++) {
			if (c->attr & theme_attr_names[k].bit) {
				buf_printf(&b, "%s%s", sep, theme_attr_names[k].name);
				sep = " ";
			}
		}
		if (*sep == '\0')
			buf_puts(&b, "none");
		buf_puts(&b, "\"\n");
	}
	return buf_steal(&b);
}
