/* theme — the theme model, its file parser and colour reduction.  No curses here. */
#include "widgets/theme.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/buf.h"
#include "core/base/util.h"

/* A theme file over this size is refused (the shipped ones are ~2 KiB). */
#define THEME_MAX_FILE (256u * 1024)
/* Warnings kept from one file; one more says how many were left out. */
#define THEME_MAX_WARNINGS 32

struct theme {
	char *name;
	struct theme_color color[THEME_NROLES];
	char **warnings;
	size_t nwarnings;
};

/* The compiled-in default: the list of keys and the fallback of every theme.
 * NULL fg or bg means "derived from the default role" of the theme being read. */
struct theme_default_entry {
	const char *name;
	const char *fg, *bg, *attr;
};

static const struct theme_default_entry theme_defaults[THEME_NROLES] = {
	[THEME_DEFAULT]      = { "default",      "default", "default", "" },
	[THEME_TITLE]        = { "title",        "#7aa2f7", NULL,      "bold" },
	[THEME_BORDER]       = { "border",       "#565f89", NULL,      "" },
	[THEME_BORDER_FOCUS] = { "border_focus", "#7dcfff", NULL,      "bold" },
	[THEME_LABEL]        = { "label",        "#a9b1d6", NULL,      "" },
	[THEME_VALUE]        = { "value",        NULL,      NULL,      "" },
	[THEME_DIM]          = { "dim",          "#6b7089", NULL,      "dim" },
	[THEME_OK]           = { "ok",           "#9ece6a", NULL,      "" },
	[THEME_WARN]         = { "warn",         "#e0af68", NULL,      "bold" },
	[THEME_CRIT]         = { "crit",         "#f7768e", NULL,      "bold" },
	[THEME_GAUGE_LOW]    = { "gauge_low",    "#9ece6a", NULL,      "" },
	[THEME_GAUGE_MID]    = { "gauge_mid",    "#e0af68", NULL,      "" },
	[THEME_GAUGE_HIGH]   = { "gauge_high",   "#f7768e", NULL,      "bold" },
	[THEME_SPARK]        = { "spark",        "#7dcfff", NULL,      "" },
	[THEME_SELECTION]    = { "selection",    "#c0caf5", "#283457", "bold" },
	[THEME_HEADER]       = { "header",       "#bb9af7", NULL,      "bold underline" },
	[THEME_KEY]          = { "key",          "#1a1b26", "#7aa2f7", "bold" },
	[THEME_KEYBAR]       = { "keybar",       "#a9b1d6", "#1f2335", "" },
	[THEME_ERROR]        = { "error",        "#f7768e", NULL,      "bold" },
	[THEME_TOAST]        = { "toast",        "#1a1b26", "#e0af68", "bold" },
};

static const char *const theme_builtins[] = {
	"default", "light", "cyberpunk", "mono", "high-contrast", NULL
};

/* xterm's values for the 16 ANSI colours. */
static const uint32_t theme_ansi16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

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

/* ---- colour reduction ---- */

uint32_t theme_index_to_rgb(int index)
{
	static const int cube[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };
	int i;

	if (index < 0 || index > 255)
		return 0;
	if (index < 16)
		return theme_ansi16[index];
	if (index < 232) {
		i = index - 16;
		return (uint32_t)cube[i / 36] << 16 | (uint32_t)cube[(i / 6) % 6] << 8 |
		       (uint32_t)cube[i % 6];
	}
	i = 8 + 10 * (index - 232);
	return (uint32_t)i << 16 | (uint32_t)i << 8 | (uint32_t)i;
}

/* "Redmean": a cheap weighted distance closer to perception than plain RGB. */
static long theme_distance(uint32_t a, uint32_t b)
{
	long r1 = (long)(a >> 16 & 0xff), g1 = (long)(a >> 8 & 0xff), b1 = (long)(a & 0xff);
	long r2 = (long)(b >> 16 & 0xff), g2 = (long)(b >> 8 & 0xff), b2 = (long)(b & 0xff);
	long rmean = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8);
}

static int theme_nearest(uint32_t rgb, int from, int to)
{
	long best = -1;
	int i, besti = from;

	for (i = from; i <= to; i++) {
		long d = theme_distance(rgb, theme_index_to_rgb(i));

		if (best < 0 || d < best) {
			best = d;
			besti = i;
		}
	}
	return besti;
}

int theme_rgb_to_256(uint32_t rgb)
{
	return theme_nearest(rgb & 0xffffff, 16, 255);
}

/* The 16 (or 8) ANSI colours are too few for nearest-by-distance: a pastel
 * red lands on grey.  So: dark colours are black; unsaturated ones are the
 * nearest grey (0, 8, 7, 15); the rest go by hue to one of the six ANSI hues,
 * bright when the colour is (and bright ones are allowed). */
static int theme_reduce_ansi(uint32_t rgb, bool bright_ok)
{
	double r = (double)(rgb >> 16 & 0xff), g = (double)(rgb >> 8 & 0xff);
	double b = (double)(rgb & 0xff), mx, mn, c, h;
	int best = 0;

	mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
	mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
	c = mx - mn;
	if (mx < 0x40)
		return 0;
	if (c / mx < 0.3) {
		static const int greys[4] = { 0, 8, 7, 15 };
		long d, bestd = -1;
		int i;

		for (i = 0; i < (bright_ok ? 4 : 3); i++) {
			int gi = bright_ok ? greys[i] : (i == 0 ? 0 : 7);

			d = theme_distance(rgb, theme_index_to_rgb(gi));
			if (bestd < 0 || d < bestd) {
				bestd = d;
				best = gi;
			}
		}
		return best;
	}
	if (mx == r)
		h = 60.0 * fmod((g - b) / c + 6.0, 6.0);
	else if (mx == g)
		h = 60.0 * ((b - r) / c + 2.0);
	else
		h = 60.0 * ((r - g) / c + 4.0);
	/* Hue bands, not equal sixths: yellow is narrow to the eye, and the
	 * terminal's "yellow" is often orange. */
	if (h < 20.0 || h >= 330.0)
		best = 1;         /* red */
	else if (h < 75.0)
		best = 3;         /* yellow */
	else if (h < 165.0)
		best = 2;         /* green */
	else if (h < 200.0)
		best = 6;         /* cyan */
	else if (h < 260.0)
		best = 4;         /* blue */
	else
		best = 5;         /* magenta */
	if (bright_ok && mx >= 0xf0)
		best += 8;
	return best;
}

int theme_rgb_to_16(uint32_t rgb)
{
	return theme_reduce_ansi(rgb & 0xffffff, true);
}

int theme_rgb_to_8(uint32_t rgb)
{
	return theme_reduce_ansi(rgb & 0xffffff, false);
}

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

/* Parses a colour value of n bytes; 0 or -1. */
static int theme_parse_paint(const char *s, size_t n, struct theme_paint *out)
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
			out->rgb = theme_ansi16[i];
			return 0;
		}
	}
	return -1;
}

/* Parses a list of attribute words separated by spaces or commas.  On error,
 * *bad is the offset of the word that is not an attribute. */
static int theme_parse_attr(const char *s, size_t n, unsigned *out, size_t *bad)
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

/* ---- the default and resolution ---- */

/* What a file says (or the default says) before derivation. */
struct theme_spec {
	struct theme_paint fg[THEME_NROLES], bg[THEME_NROLES];
	unsigned attr[THEME_NROLES];
	bool has_fg[THEME_NROLES], has_bg[THEME_NROLES];
};

static void theme_spec_default(struct theme_spec *sp)
{
	size_t i, bad;

	memset(sp, 0, sizeof *sp);
	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_default_entry *e = &theme_defaults[i];

		/* The table is compiled in: a value that does not parse is a bug. */
		if (e->fg != NULL) {
			if (theme_parse_paint(e->fg, strlen(e->fg), &sp->fg[i]) != 0)
				fatal("theme: bad built-in colour %s", e->fg);
			sp->has_fg[i] = true;
		}
		if (e->bg != NULL) {
			if (theme_parse_paint(e->bg, strlen(e->bg), &sp->bg[i]) != 0)
				fatal("theme: bad built-in colour %s", e->bg);
			sp->has_bg[i] = true;
		}
		if (theme_parse_attr(e->attr, strlen(e->attr), &sp->attr[i], &bad) != 0)
			fatal("theme: bad built-in attribute %s", e->attr);
	}
}

/* Fills out from a file's spec: what it sets, else what the default sets,
 * else (a derived colour) the file's `default` role. */
static void theme_resolve(const struct theme_spec *file, const struct theme_spec *def,
			  struct theme_color *out)
{
	size_t i;

	for (i = 0; i < THEME_NROLES; i++) {
		if (file->has_fg[i])
			out[i].fg = file->fg[i];
		else if (def->has_fg[i])
			out[i].fg = def->fg[i];
		else
			out[i].fg = file->has_fg[THEME_DEFAULT] ? file->fg[THEME_DEFAULT]
								 : def->fg[THEME_DEFAULT];
		if (file->has_bg[i])
			out[i].bg = file->bg[i];
		else if (def->has_bg[i])
			out[i].bg = def->bg[i];
		else
			out[i].bg = file->has_bg[THEME_DEFAULT] ? file->bg[THEME_DEFAULT]
								 : def->bg[THEME_DEFAULT];
		out[i].attr = file->attr[i];
	}
}

struct theme *theme_new_default(void)
{
	struct theme *t = xcalloc(1, sizeof *t);
	struct theme_spec def, file;
	size_t i;

	theme_spec_default(&def);
	memset(&file, 0, sizeof file);
	for (i = 0; i < THEME_NROLES; i++)
		file.attr[i] = def.attr[i];
	theme_resolve(&file, &def, t->color);
	t->name = xstrdup("default");
	return t;
}

void theme_warnings_free(char **warnings, size_t n)
{
	size_t i;

	if (warnings == NULL)
		return;
	for (i = 0; i < n; i++)
		free(warnings[i]);
	free(warnings);
}

void theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	theme_warnings_free(t->warnings, t->nwarnings);
	free(t->name);
	free(t);
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

/* ---- loading ---- */

static int theme_try_path(const char *path, const char *name, struct theme **out,
			  char **cause)
{
	struct theme *t;
	char *text = NULL, *why = NULL;
	size_t len = 0;

	if (util_read_file(path, THEME_MAX_FILE, &text, &len, &why) != 0) {
		util_set_cause(cause, "%s", why);
		free(why);
		return -1;
	}
	t = theme_new_default();
	if (theme_parse(t, text, len, &t->warnings, &t->nwarnings, &why) != 0) {
		util_set_cause(cause, "theme %s: %s", path, why);
		free(why);
		free(text);
		theme_free(t);
		return -1;
	}
	free(text);
	free(t->name);
	t->name = xstrdup(name);
	*out = t;
	return 0;
}

static bool theme_file_exists(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return false;
	fclose(f);
	return true;
}

struct theme *theme_load(const char *name_or_path, const char *datadir, char **cause)
{
	struct theme *t = NULL;
	const char *slash, *xdg, *home;
	char *dirs[3] = { NULL, NULL, NULL }, *path, *name;
	size_t n, i;
	int rc;

	if (name_or_path == NULL || *name_or_path == '\0') {
		util_set_cause(cause, "no theme name given");
		return NULL;
	}
	n = strlen(name_or_path);
	if (strchr(name_or_path, '/') != NULL ||
	    (n > 6 && strcmp(name_or_path + n - 6, ".theme") == 0)) {
		slash = strrchr(name_or_path, '/');
		name = xstrdup(slash != NULL ? slash + 1 : name_or_path);
		n = strlen(name);
		if (n > 6 && strcmp(name + n - 6, ".theme") == 0)
			name[n - 6] = '\0';
		rc = theme_try_path(name_or_path, name, &t, cause);
		free(name);
		return rc == 0 ? t : NULL;
	}

	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg != NULL && *xdg == '/')
		dirs[0] = xasprintf("%s/kitetop/themes", xdg);
	else if (home != NULL && *home != '\0')
		dirs[0] = xasprintf("%s/.config/kitetop/themes", home);
	if (datadir != NULL && *datadir != '\0')
		dirs[1] = xasprintf("%s/themes", datadir);
	dirs[2] = xstrdup("./themes");

	for (i = 0; i < UTIL_ARRAY_LEN(dirs) && t == NULL; i++) {
		if (dirs[i] == NULL)
			continue;
		path = xasprintf("%s/%s.theme", dirs[i], name_or_path);
		if (theme_file_exists(path)) {
			if (theme_try_path(path, name_or_path, &t, cause) != 0) {
				free(path);
				break;
			}
		}
		free(path);
	}
	if (t == NULL && i == UTIL_ARRAY_LEN(dirs)) {
		if (strcmp(name_or_path, "default") == 0)
			t = theme_new_default();
		else
			util_set_cause(cause, "no theme named '%s' (looked in %s%s%s%s./themes)",
				       name_or_path, dirs[0] != NULL ? dirs[0] : "",
				       dirs[0] != NULL ? ", " : "", dirs[1] != NULL ? dirs[1] : "",
				       dirs[1] != NULL ? ", " : "");
	}
	for (i = 0; i < UTIL_ARRAY_LEN(dirs); i++)
		free(dirs[i]);
	return t;
}

/* ---- accessors ---- */

const struct theme_color *theme_get(const struct theme *t, enum theme_role role)
{
	if ((unsigned)role >= THEME_NROLES)
		role = THEME_DEFAULT;
	return &t->color[role];
}

const char *theme_name(const struct theme *t)
{
	return t->name;
}

const char *const *theme_warnings(const struct theme *t, size_t *n)
{
	*n = t->nwarnings;
	return t->nwarnings > 0 ? (const char *const *)t->warnings : NULL;
}

const char *theme_role_name(enum theme_role role)
{
	if ((unsigned)role >= THEME_NROLES)
		return NULL;
	return theme_defaults[role].name;
}

const char *const *theme_builtin_names(void)
{
	return theme_builtins;
}

const char *theme_next_name(const char *current)
{
	size_t i;

	for (i = 0; current != NULL && theme_builtins[i] != NULL; i++)
		if (strcmp(current, theme_builtins[i]) == 0)
			return theme_builtins[i + 1] != NULL ? theme_builtins[i + 1] : theme_builtins[0];
	return theme_builtins[0];
}

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
