/* theme_internal — what the theme's modules share and no other file sees:
 * theme.c (the model: the compiled-in default, resolution, loading,
 * accessors) and theme_file.c (a theme file's text, read and written). */
#ifndef KITETOP_WIDGETS_THEME_INTERNAL_H
#define KITETOP_WIDGETS_THEME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/theme.h"

/* A theme file over this size is refused (the shipped ones are ~2 KiB). */
#define THEME_MAX_FILE (256u * 1024)

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

extern const struct theme_default_entry theme_defaults[THEME_NROLES];

/* What a file says (or the default says) before derivation. */
struct theme_spec {
	struct theme_paint fg[THEME_NROLES], bg[THEME_NROLES];
	unsigned attr[THEME_NROLES];
	bool has_fg[THEME_NROLES], has_bg[THEME_NROLES];
};

/* The compiled-in default's spec. */
void theme_spec_default(struct theme_spec *sp);

/* Fills out from a file's spec: what it sets, else what the default sets,
 * else (a derived colour) the file's `default` role. */
void theme_resolve(const struct theme_spec *file, const struct theme_spec *def,
		   struct theme_color *out);

/* theme_file.c: a colour value of n bytes ("#RRGGBB", "#RGB", a name, a
 * palette number, "default" or ""); 0 or -1. */
int theme_parse_paint(const char *s, size_t n, struct theme_paint *out);

/* theme_file.c: a list of attribute words separated by spaces or commas.  On
 * error, *bad is the offset of the word that is not an attribute. */
int theme_parse_attr(const char *s, size_t n, unsigned *out, size_t *bad);

#endif
