/* theme — the colours of kitetop as data, knowing nothing of curses.
 *
 * A theme file is btop's format: one setting a line,
 *
 *     # a comment
 *     theme[title_fg]="#7aa2f7"
 *     theme[title_attr]="bold"
 *     theme[selection_bg]="#283457"
 *
 * Keys are ROLE_fg, ROLE_bg and ROLE_attr for each semantic role below (ROLE
 * alone means ROLE_fg).  A colour is "#RRGGBB", "#RGB", a name (black, red,
 * green, yellow, blue, magenta, cyan, white, bright_red, ..., gray), a palette
 * number 0-255, or "default" (the terminal's own colour; "" means the same).
 * An attribute value is a list of bold, dim, underline, reverse (or none).
 *
 * The compiled-in default theme is both the list of keys and the fallback: a
 * key a file does not set keeps the default's value; a role's colour that the
 * default derives from the `default` role (most backgrounds) follows what the
 * file sets for `default`.  Unknown keys are warnings, not errors; a value that
 * is not a colour is an error naming its line and column. */
#ifndef KITETOP_WIDGETS_THEME_H
#define KITETOP_WIDGETS_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum theme_role {
	THEME_DEFAULT,        /* everything not otherwise coloured; its bg is the screen's */
	THEME_TITLE,          /* panel titles */
	THEME_BORDER,         /* panel borders, gauge tracks */
	THEME_BORDER_FOCUS,   /* the focused panel's border */
	THEME_LABEL,          /* "CPU", "mem", field names */
	THEME_VALUE,          /* figures */
	THEME_DIM,            /* stale data (older than three refresh intervals) */
	THEME_OK,
	THEME_WARN,
	THEME_CRIT,
	THEME_GAUGE_LOW,      /* gauge fill below 60 % */
	THEME_GAUGE_MID,      /* 60 % to 85 % */
	THEME_GAUGE_HIGH,     /* 85 % and over */
	THEME_SPARK,          /* sparklines */
	THEME_SELECTION,      /* the selected row */
	THEME_HEADER,         /* table header */
	THEME_KEY,            /* a key in the key bar */
	THEME_KEYBAR,         /* the key bar's labels and background */
	THEME_ERROR,          /* a source's error in words */
	THEME_TOAST,          /* transient messages */
	THEME_NROLES
};

enum theme_paint_kind {
	THEME_PAINT_DEFAULT,  /* the terminal's default colour */
	THEME_PAINT_RGB,      /* rgb is the colour */
	THEME_PAINT_INDEX     /* a palette index (a name or a number); rgb is its xterm value */
};

struct theme_paint {
	enum theme_paint_kind kind;
	uint8_t index;        /* THEME_PAINT_INDEX only */
	uint32_t rgb;         /* 0xRRGGBB; 0 for THEME_PAINT_DEFAULT */
};

#define THEME_ATTR_BOLD      0x1u
#define THEME_ATTR_DIM       0x2u
#define THEME_ATTR_UNDERLINE 0x4u
#define THEME_ATTR_REVERSE   0x8u

struct theme_color {
	struct theme_paint fg, bg;
	unsigned attr;        /* THEME_ATTR_* bits */
};

struct theme;

/* The compiled-in default theme, named "default".  Caller frees with theme_free. */
struct theme *theme_new_default(void);
void theme_free(struct theme *t);

/* Applies a theme file's text to t: every key starts from the compiled default
 * (not from what t held before).  On success returns 0, t holds the new colours,
 * and the warnings (unknown keys), if warnings is not NULL, are given to the
 * caller: an array of *nwarnings strings, each and the array freed by the caller
 * (theme_warnings_free).  On error returns -1 with *cause ("line 3, column 17:
 * ..."), t is left as it was and *warnings is NULL. */
int theme_parse(struct theme *t, const char *text, size_t len, char ***warnings,
		size_t *nwarnings, char **cause);
void theme_warnings_free(char **warnings, size_t n);

/* Loads a theme by name or path.  A path (containing '/' or ending in ".theme")
 * is read as is; a name is looked for as NAME.theme in the directories of
 * theme_dirs.h, in order (datadir, the directory the binary was built for,
 * may be NULL).  The name "default" with no file found is the compiled
 * default.  Returns a theme the caller frees, named after the file (without
 * .theme), with the file's warnings kept in it (theme_warnings); or NULL and
 * *cause. */
struct theme *theme_load(const char *name_or_path, const char *datadir, char **cause);

/* Borrowed: valid until t is freed or parsed again.  role < THEME_NROLES. */
const struct theme_color *theme_get(const struct theme *t, enum theme_role role);
const char *theme_name(const struct theme *t);
/* The warnings theme_load collected (borrowed, *n of them; NULL when none). */
const char *const *theme_warnings(const struct theme *t, size_t *n);

/* The role's key prefix in theme files ("border_focus"); NULL when out of range. */
const char *theme_role_name(enum theme_role role);

/* Theme names for the T key, in cycling order, NULL-terminated:
 * default, light, cyberpunk, mono, high-contrast. */
const char *const *theme_builtin_names(void);
/* The name after current in that order, wrapping; "default" when current is not
 * one of them (a custom theme) or NULL.  Static storage. */
const char *theme_next_name(const char *current);

/* The theme as a file's text, every key written out (what theme_parse reads
 * back to the same colours).  Caller frees. */
char *theme_format(const struct theme *t);

/* Colour reduction, pure.  To 256: the nearest entry of the xterm palette by
 * weighted RGB distance ("redmean"), picked from the 6x6x6 cube and the grey
 * ramp (16-255), which unlike 0-15 do not depend on the terminal.  To 16 or 8:
 * by hue, as nearest-by-distance turns pastel colours grey: dark colours are
 * black, unsaturated ones the nearest grey (0, 8, 7, 15; or 0, 7), the rest
 * the ANSI colour of their hue band, bright (8-15) when the colour's
 * strongest channel is 0xf0 or more and 16 colours are allowed. */
int theme_rgb_to_256(uint32_t rgb);
int theme_rgb_to_16(uint32_t rgb);
int theme_rgb_to_8(uint32_t rgb);
/* The xterm RGB value of palette index 0-255. */
uint32_t theme_index_to_rgb(int index);

#endif
