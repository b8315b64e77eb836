/* keybar — the bottom row of key hints. */
#include "widgets/keybar.h"

#include "widgets/text.h"

/* Columns one item takes: " key " then " label", then one space before the next. */
static int keybar_item_width(const struct keybar_item *it)
{
	int lw = it->label != NULL && *it->label != '\0' ? 1 + text_width(it->label) : 0;

	return text_width(it->key != NULL ? it->key : "") + 2 + lw;
}

size_t keybar_fit(const struct keybar_item *items, size_t n, int width)
{
	size_t i;
	int used = 0;

	for (i = 0; i < n; i++) {
		int iw = keybar_item_width(&items[i]) + (i > 0 ? 1 : 0);

		if (used + iw > width)
			break;
		used += iw;
	}
	return i;
}

void keybar_draw(WINDOW *w, struct rect r, const struct palette *p,
		 const struct keybar_item *items, size_t n)
{
	attr_t bar = p->attr[THEME_KEYBAR], key = p->attr[THEME_KEY];
	size_t fit, i;
	int x = r.x, end = r.x + r.w;

	if (w == NULL || r.h <= 0 || r.w <= 0)
		return;
	wattrset(w, (int)bar);
	for (i = 0; i < (size_t)r.w; i++)
		mvwaddch(w, r.y, r.x + (int)i, ' ');
	wattrset(w, A_NORMAL);

	fit = keybar_fit(items, n, r.w);
	for (i = 0; i < fit; i++) {
		const struct keybar_item *it = &items[i];

		if (i > 0)
			x++;
		x += text_put(w, r.y, x, end - x, key, " ");
		x += text_put(w, r.y, x, end - x, key, it->key != NULL ? it->key : "");
		x += text_put(w, r.y, x, end - x, key, " ");
		if (it->label != NULL && *it->label != '\0') {
			x++;
			x += text_put(w, r.y, x, end - x, bar, it->label);
		}
	}
}
