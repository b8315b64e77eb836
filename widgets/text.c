/* text — UTF-8 decoding and clipping by display width. */
#include "widgets/text.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/base/util.h"

/* Decodes one UTF-8 sequence at s; returns its length (>= 1) and sets *cp,
 * or -1 in *cp for a byte that starts no valid sequence (length 1). */
static size_t text_decode(const unsigned char *s, long *cp)
{
	unsigned char c = s[0];
	size_t n, i;
	long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; v = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; v = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return n;
}

static bool text_is_control(long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Columns one decoded character takes (-1 = invalid byte, drawn as '?'). */
static int text_cp_width(long cp)
{
	int wd;

	if (cp < 0 || text_is_control(cp))
		return 1;
	if (cp < 0x7f)
		return 1;
	wd = wcwidth((wchar_t)cp);
	return wd < 0 ? 1 : wd;
}

size_t text_clip(const char *s, int maxw, int *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t pos = 0, fit = 0;
	int used = 0;

	if (s != NULL && maxw > 0) {
		while (p[pos] != '\0') {
			long cp;
			size_t n = text_decode(p + pos, &cp);
			int wd = text_cp_width(cp);

			if (used + wd > maxw)
				break;
			used += wd;
			pos += n;
			fit = pos;
		}
	}
	if (cols != NULL)
		*cols = used;
	return fit;
}

int text_width(const char *s)
{
	int cols;

	text_clip(s, INT_MAX, &cols);
	return cols;
}

int text_put(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, pos = 0, n = 0;
	wchar_t *wbuf;
	attr_t oldattr;
	short oldpair;
	bool utf8 = MB_CUR_MAX > 1;
	int cols;

	if (w == NULL || s == NULL || maxw <= 0)
		return 0;
	len = text_clip(s, maxw, &cols);
	if (len == 0)
		return 0;
	wbuf = xreallocarray(NULL, len + 1, sizeof *wbuf);
	while (pos < len) {
		long cp;

		pos += text_decode(p + pos, &cp);
		if (cp < 0 || text_is_control(cp) || (!utf8 && cp >= 0x80))
			cp = '?';
		else if (cp >= 0xa0 && wcwidth((wchar_t)cp) < 0)
			cp = 0xfffd;   /* unprintable here: one column, as text_clip counted */
		wbuf[n++] = (wchar_t)cp;
	}
	wbuf[n] = L'\0';
	wattr_get(w, &oldattr, &oldpair, NULL);
	wattrset(w, (int)a);
	mvwaddnwstr(w, y, x, wbuf, (int)n);
	wattr_set(w, oldattr, oldpair, NULL);
	free(wbuf);
	return cols;
}
