/* gauge — one row: a label, a bar and a value ("CPU ████▌···· 45%").
 *
 * The bar's colour says the level (below 60 % THEME_GAUGE_LOW, below 85 %
 * THEME_GAUGE_MID, else THEME_GAUGE_HIGH, which the mono attributes also tell
 * apart); stale data is drawn in THEME_DIM; an unknown value (pct < 0) shows an
 * empty track with a '?' in its middle. */
#ifndef KITETOP_WIDGETS_GAUGE_H
#define KITETOP_WIDGETS_GAUGE_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/palette.h"
#include "widgets/provide_curses.h"
#include "widgets/rect.h"

#define GAUGE_MID_PCT  60.0
#define GAUGE_HIGH_PCT 85.0

/* Draws into the first row of r (the whole row is redrawn).  label and
 * value_text may be NULL or "" (then the bar takes their room); when r is too
 * narrow the bar goes first, then the value is clipped.  All borrowed. */
void gauge_draw(WINDOW *w, struct rect r, const struct palette *p, const char *label,
		double pct, const char *value_text, bool stale);

/* The colours of a gauge whose caller judges the figure itself (against
 * thresholds of its own): the bar's fill and the value's. */
struct gauge_style {
	enum theme_role fill;
	enum theme_role value;
};

/* Where a figure stands against its caller's thresholds. */
enum gauge_alert { GAUGE_ALERT_NONE, GAUGE_ALERT_WARN, GAUGE_ALERT_CRIT };

/* Pure: the colours of a figure judged so: under warn the low or mid fill
 * by pct (never the high one, which would cry wolf below the threshold),
 * at warn the high fill and a THEME_WARN value, at crit THEME_CRIT both. */
struct gauge_style gauge_alert_style(enum gauge_alert a, double pct);

/* gauge_draw with st's colours (stale still dims them). */
void gauge_draw_styled(WINDOW *w, struct rect r, const struct palette *p, const char *label,
                       double pct, const char *value_text, bool stale, const struct gauge_style *st);

/* Pure: the role for a percentage (the three gauge roles). */
enum theme_role gauge_level(double pct);

/* Pure: the bar alone, width columns wide, into out (NUL-terminated, cut short
 * if outsz is too small; 4 bytes a column is always enough).
 *   utf8:  full blocks, then one of ▏▎▍▌▋▊▉ for the last eighths, then '·'
 *          for the empty track: "███▌······".
 *   ASCII: "[###-------]" (no brackets when width < 3).
 * pct is clamped to 0..100; above 0 shows at least one eighth (one '#'), below
 * 100 never a full bar.  pct < 0 (or NaN): unknown, the track with a '?' in
 * its middle.  Returns the byte length of the filled part from the start of out
 * (in ASCII it includes the '['), 0 when unknown. */
size_t gauge_format_bar(char *out, size_t outsz, double pct, int width, bool utf8);

#endif
