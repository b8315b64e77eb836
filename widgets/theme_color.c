/* theme_color — colour reduction (theme.h): a theme's colours turned into
 * the palette a terminal has.  Pure. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "widgets/theme.h"

/* xterm's values for the 16 ANSI colours. */
static const uint32_t theme_ansi16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

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
