/* textview — see textview.h. */
#include "widgets/textview.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "widgets/text.h"

void textview_init(struct textview *tv, bool follow)
{
	memset(tv, 0, sizeof *tv);
	tv->follow = follow;
	tv->match = -1;
}

void textview_scroll(struct textview *tv, long delta)
{
	tv->follow = false;
	if (delta < 0 && (size_t)-delta > tv->top)
		tv->top = 0;
	else
		tv->top = (size_t)((long)tv->top + delta);
}

void textview_home(struct textview *tv)
{
	tv->follow = false;
	tv->top = 0;
}

void textview_end(struct textview *tv)
{
	tv->follow = true;
}

long textview_page(const struct textview *tv)
{
	return tv->page > 1 ? tv->page - 1 : 1;
}

size_t textview_layout(struct textview *tv, size_t n, int h)
{
	size_t rows = h > 0 ? (size_t)h : 0;

	tv->page = h;
	if (tv->follow || tv->top + rows > n)
		tv->top = n > rows ? n - rows : 0;
	return tv->top;
}

void textview_dropped(struct textview *tv, size_t d)
{
	tv->top = tv->top > d ? tv->top - d : 0;
	if (tv->match >= 0)
		tv->match = (size_t)tv->match >= d ? tv->match - (long)d : -1;
}

void textview_show(struct textview *tv, size_t line)
{
	size_t rows = tv->page > 0 ? (size_t)tv->page : 1;

	tv->follow = false;
	if (line >= tv->top && line < tv->top + rows)
		return;
	tv->top = line > rows / 3 ? line - rows / 3 : 0;
}

static int textview_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

long textview_match(const char *s, const char *q, size_t from)
{
	size_t qn = q != NULL ? strlen(q) : 0, sn = s != NULL ? strlen(s) : 0;

	if (qn == 0 || sn < qn || from > sn - qn)
		return -1;
	for (size_t i = from; i + qn <= sn; i++) {
		size_t k = 0;

		while (k < qn && textview_lower((unsigned char)s[i + k]) == textview_lower((unsigned char)q[k]))
			k++;
		if (k == qn)
			return (long)i;
	}
	return -1;
}

long textview_find(const char *const *lines, size_t n, long from, int dir, const char *q)
{
	long start;

	if (n == 0 || q == NULL || q[0] == '\0')
		return -1;
	if (from < 0 || (size_t)from >= n)
		start = dir > 0 ? 0 : (long)n - 1;
	else
		start = dir > 0 ? (from + 1) % (long)n : (from + (long)n - 1) % (long)n;
	for (size_t k = 0; k < n; k++) {
		long i = dir > 0 ? (start + (long)k) % (long)n : (start - (long)k + (long)n) % (long)n;

		if (textview_match(lines[i], q, 0) >= 0)
			return i;
	}
	return -1;
}

void textview_draw_line(WINDOW *w, int y, int x, int width, attr_t a, attr_t hl, const char *s,
                        const char *q)
{
	size_t off = 0, qn = q != NULL ? strlen(q) : 0;
	int used = 0;

	while (used < width && s[off] != '\0') {
		long m = qn > 0 ? textview_match(s, q, off) : -1;
		size_t plain = m < 0 ? strlen(s + off) : (size_t)m - off;
		char *piece;

		if (plain > 0) {
			piece = xstrndup(s + off, plain);
			used += text_put(w, y, x + used, width - used, a, piece);
			free(piece);
			off += plain;
		}
		if (m >= 0 && used < width) {
			piece = xstrndup(s + off, qn);
			used += text_put(w, y, x + used, width - used, hl, piece);
			free(piece);
			off += qn;
		}
		if (m < 0)
			break;
	}
}
