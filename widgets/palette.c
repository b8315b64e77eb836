/* palette — themes to curses colour pairs. */
#include "widgets/palette.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The attributes every role has without colour (mono.theme says the same in
 * theme form): reverse for what is selected or shouts, bold for what matters,
 * dim for what is stale. */
static const unsigned palette_mono[THEME_NROLES] = {
	[THEME_DEFAULT]      = 0,
	[THEME_TITLE]        = THEME_ATTR_BOLD,
	[THEME_BORDER]       = 0,
	[THEME_BORDER_FOCUS] = THEME_ATTR_BOLD,
	[THEME_LABEL]        = 0,
	[THEME_VALUE]        = THEME_ATTR_BOLD,
	[THEME_DIM]          = THEME_ATTR_DIM,
	[THEME_OK]           = 0,
	[THEME_WARN]         = THEME_ATTR_BOLD,
	[THEME_CRIT]         = THEME_ATTR_BOLD | THEME_ATTR_REVERSE,
	[THEME_GAUGE_LOW]    = 0,
	[THEME_GAUGE_MID]    = THEME_ATTR_BOLD,
	[THEME_GAUGE_HIGH]   = THEME_ATTR_BOLD | THEME_ATTR_REVERSE,
	[THEME_SPARK]        = 0,
	[THEME_SELECTION]    = THEME_ATTR_REVERSE,
	[THEME_HEADER]       = THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE,
	[THEME_KEY]          = THEME_ATTR_REVERSE | THEME_ATTR_BOLD,
	[THEME_KEYBAR]       = 0,
	[THEME_ERROR]        = THEME_ATTR_BOLD,
	[THEME_TOAST]        = THEME_ATTR_REVERSE,
};

bool palette_want_utf8(const char *codeset, const char *term)
{
	if (codeset == NULL || (strcasecmp(codeset, "UTF-8") != 0 && strcasecmp(codeset, "utf8") != 0))
		return false;
	if (term == NULL)
		return true;
	return strcmp(term, "linux") != 0 && strncmp(term, "vt100", 5) != 0 &&
	       strncmp(term, "vt220", 5) != 0 && strcmp(term, "dumb") != 0;
}

bool palette_no_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return nc != NULL && *nc != '\0';
}

int palette_color_number(const struct theme_paint *c, int ncolors)
{
	if (c->kind == THEME_PAINT_DEFAULT || ncolors < 8)
		return -1;
	if (c->kind == THEME_PAINT_INDEX && c->index < ncolors)
		return c->index;
	if (ncolors >= 256)
		return theme_rgb_to_256(c->rgb);
	if (ncolors >= 16)
		return theme_rgb_to_16(c->rgb);
	return theme_rgb_to_8(c->rgb);
}

static attr_t palette_attrs(unsigned bits)
{
	attr_t a = A_NORMAL;

	if (bits & THEME_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & THEME_ATTR_DIM)
		a |= A_DIM;
	if (bits & THEME_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_ATTR_REVERSE)
		a |= A_REVERSE;
	return a;
}

void palette_init(struct palette *p, const struct theme *t, bool utf8)
{
	int i;

	memset(p, 0, sizeof *p);
	p->utf8 = utf8;
	p->color = !palette_no_color() && has_colors() && COLORS >= 8 &&
		   COLOR_PAIRS > THEME_NROLES;
	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_color *c = theme_get(t, (enum theme_role)i);
		int fg, bg;

		if (!p->color) {
			p->attr[i] = palette_attrs(palette_mono[i]);
			continue;
		}
		fg = palette_color_number(&c->fg, COLORS);
		bg = palette_color_number(&c->bg, COLORS);
		/* Without use_default_colors() -1 is refused: white on black then. */
		if (init_pair((short)(i + 1), (short)fg, (short)bg) == ERR)
			init_pair((short)(i + 1), (short)(fg < 0 ? COLOR_WHITE : fg),
				  (short)(bg < 0 ? COLOR_BLACK : bg));
		p->attr[i] = palette_attrs(c->attr) | (attr_t)COLOR_PAIR(i + 1);
	}
}
