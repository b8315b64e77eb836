/* theme — the theme model: the compiled-in default, a file's spec resolved
 * against it, loading by name or path, and the accessors.  A theme file's
 * text is read and written in theme_file.c; colours are reduced to what a
 * terminal has in theme_color.c.  No curses here. */
#include "widgets/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "widgets/theme_dirs.h"
#include "widgets/theme_internal.h"

const struct theme_default_entry theme_defaults[THEME_NROLES] = {
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

/* ---- the default and resolution ---- */

void theme_spec_default(struct theme_spec *sp)
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

void theme_resolve(const struct theme_spec *file, const struct theme_spec *def,
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

/* "no theme named 'X' (looked in A, B, C and 4 more)". */
static void theme_not_found(const char *name, char *const *dirs, size_t n, char **cause)
{
	struct buf b;
	size_t i, shown = n < 3 ? n : 3;

	buf_init(&b);
	for (i = 0; i < shown; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", dirs[i]);
	if (n > shown)
		buf_printf(&b, " and %zu more", n - shown);
	util_set_cause(cause, "no theme named '%s' (looked in %s)", name, buf_cstr(&b));
	buf_done(&b);
}

struct theme *theme_load(const char *name_or_path, const char *datadir, char **cause)
{
	struct theme *t = NULL;
	const char *slash;
	char *dirs[THEME_DIRS_MAX], *path, *name;
	size_t n, i, ndirs;
	bool failed = false;

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
		failed = theme_try_path(name_or_path, name, &t, cause) != 0;
		free(name);
		return failed ? NULL : t;
	}

	ndirs = theme_dirs(datadir, NULL, dirs);
	for (i = 0; i < ndirs && t == NULL && !failed; i++) {
		path = xasprintf("%s/%s.theme", dirs[i], name_or_path);
		if (theme_file_exists(path))
			failed = theme_try_path(path, name_or_path, &t, cause) != 0;
		free(path);
	}
	if (t == NULL && !failed) {
		if (strcmp(name_or_path, "default") == 0)
			t = theme_new_default();
		else
			theme_not_found(name_or_path, dirs, ndirs, cause);
	}
	theme_dirs_free(dirs, ndirs);
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
