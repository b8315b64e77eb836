/* gauge — a one-row bar meter. */
#include "widgets/gauge.h"

#include <math.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "widgets/text.h"

/* ▏▎▍▌▋▊▉█: index k is k+1 eighths. */
static const char *const gauge_eighths[8] = {
	"\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88",
};
#define GAUGE_TRACK_UTF8 "\xc2\xb7"   /* · */

enum theme_role gauge_level(double pct)
{
	if (pct < GAUGE_MID_PCT)
		return THEME_GAUGE_LOW;
	if (pct < GAUGE_HIGH_PCT)
		return THEME_GAUGE_MID;
	return THEME_GAUGE_HIGH;
}

struct gauge_style gauge_alert_style(enum gauge_alert a, double pct)
{
	switch (a) {
	case GAUGE_ALERT_CRIT:
		return (struct gauge_style){ THEME_CRIT, THEME_CRIT };
	case GAUGE_ALERT_WARN:
		return (struct gauge_style){ THEME_GAUGE_HIGH, THEME_WARN };
	default:
		return (struct gauge_style){ pct < GAUGE_MID_PCT ? THEME_GAUGE_LOW : THEME_GAUGE_MID,
		                             THEME_VALUE };
	}
}

/* How many of units units pct fills: rounded, at most units - 1 below 100,
 * at least 1 above 0. */
static int gauge_units(double pct, int units)
{
	int n;

	if (pct > 100.0)
		pct = 100.0;
	n = (int)floor(pct / 100.0 * units + 0.5);
	if (pct < 100.0 && n >= units)
		n = units - 1;
	if (pct > 0.0 && n == 0)
		n = 1;   /* with one unit, "something" wins over "not full" */
	if (n < 0)
		n = 0;
	return n;
}

size_t gauge_format_bar(char *out, size_t outsz, double pct, int width, bool utf8)
{
	struct buf b;
	size_t filled = 0;
	int inner, i, n;
	bool unknown = pct < 0.0 || isnan(pct);

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	buf_init(&b);
	if (utf8) {
		if (unknown) {
			for (i = 0; i < width; i++)
				buf_puts(&b, i == (width - 1) / 2 ? "?" : GAUGE_TRACK_UTF8);
		} else {
			n = gauge_units(pct, width * 8);
			for (i = 0; i < n / 8; i++)
				buf_puts(&b, gauge_eighths[7]);
			if (n % 8 != 0)
				buf_puts(&b, gauge_eighths[n % 8 - 1]);
			filled = b.len;
			for (i = (n + 7) / 8; i < width; i++)
				buf_puts(&b, GAUGE_TRACK_UTF8);
		}
	} else {
		bool brackets = width >= 3;

		inner = brackets ? width - 2 : width;
		if (brackets)
			buf_putc(&b, '[');
		if (unknown) {
			for (i = 0; i < inner; i++)
				buf_putc(&b, i == (inner - 1) / 2 ? '?' : '-');
		} else {
			n = gauge_units(pct, inner);
			for (i = 0; i < inner; i++) {
				buf_putc(&b, i < n ? '#' : '-');
				if (i + 1 == n)
					filled = b.len;
			}
			if (n == 0)
				filled = 0;
		}
		if (brackets)
			buf_putc(&b, ']');
	}
	util_strlcpy(out, buf_cstr(&b), outsz);
	if (filled >= outsz)
		filled = outsz - 1;
	buf_done(&b);
	return filled;
}

/* Puts the n bytes at s. */
static int gauge_put_n(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, size_t n)
{
	char tmp[2048];

	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return text_put(w, y, x, maxw, a, tmp);
}

void gauge_draw(WINDOW *w, struct rect r, const struct palette *p, const char *label,
		double pct, const char *value_text, bool stale)
{
	struct gauge_style st = { gauge_level(pct), THEME_VALUE };

	gauge_draw_styled(w, r, p, label, pct, value_text, stale, &st);
}

void gauge_draw_styled(WINDOW *w, struct rect r, const struct palette *p, const char *label,
                       double pct, const char *value_text, bool stale, const struct gauge_style *st)
{
	char bar[2048];
	attr_t lab, val, fill, track;
	int lw, vw, barw, x, i;
	size_t filled;
	bool unknown = pct < 0.0 || isnan(pct);

	if (w == NULL || r.h <= 0 || r.w <= 0)
		return;
	if (label == NULL)
		label = "";
	if (value_text == NULL)
		value_text = "";
	lab = p->attr[stale ? THEME_DIM : THEME_LABEL];
	val = p->attr[stale ? THEME_DIM : st->value];
	fill = p->attr[stale ? THEME_DIM : unknown ? THEME_BORDER : st->fill];
	track = p->attr[stale ? THEME_DIM : THEME_BORDER];

	wattrset(w, (int)p->attr[THEME_DEFAULT]);
	for (i = 0; i < r.w; i++)
		mvwaddch(w, r.y, r.x + i, ' ');

	lw = text_width(label);
	vw = text_width(value_text);
	if (lw > r.w)
		lw = r.w;
	barw = r.w - lw - vw - (lw > 0) - (vw > 0);
	if (barw > (int)(sizeof bar / 4))
		barw = (int)(sizeof bar / 4);
	if (barw < 4)
		barw = 0;

	x = r.x + text_put(w, r.y, r.x, lw, lab, label);
	if (lw > 0)
		x++;
	if (barw > 0) {
		filled = gauge_format_bar(bar, sizeof bar, pct, barw, p->utf8);
		text_put(w, r.y, x, barw, track, bar);
		if (filled > 0) {
			size_t skip = p->utf8 ? 0 : 1;

			gauge_put_n(w, r.y, x + (int)skip, barw, fill, bar + skip, filled - skip);
		}
		x += barw + 1;
	}
	/* The value: right-aligned, clipped to what is left. */
	if (vw > 0 && x < r.x + r.w) {
		int room = r.x + r.w - x;

		if (vw < room)
			x += room - vw;
		text_put(w, r.y, x, r.x + r.w - x, val, value_text);
	}
	wattrset(w, A_NORMAL);
}
