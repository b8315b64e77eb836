/* changes — see changes.h.  A sorted array of items, found by bsearch. */
#include "tui/changes.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

struct changes_item {
	char *key;
	int level;
	int64_t until;       /* end of the highlight (ms), 0 none */
};

struct changes {
	struct changes_item *v;
	size_t n, cap;
};

struct changes *changes_new(void)
{
	return xcalloc(1, sizeof(struct changes));
}

void changes_free(struct changes *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
	free(c);
}

bool changes_is_worse(int prev, int cur)
{
	return prev >= 0 && cur >= CHANGES_BAD && cur > prev;
}

/* The index of key, or where it would go (*found false). */
static size_t changes_find(const struct changes *c, const char *key, bool *found)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->v[mid].key, key);

		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

bool changes_note(struct changes *c, const char *key, int level, int64_t now_ms)
{
	bool found;
	size_t i = changes_find(c, key, &found);
	struct changes_item *it;

	if (!found) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
		}
		memmove(&c->v[i + 1], &c->v[i], (c->n - i) * sizeof *c->v);
		c->n++;
		c->v[i] = (struct changes_item){ .key = xstrdup(key), .level = level };
		return false;
	}
	it = &c->v[i];
	if (changes_is_worse(it->level, level)) {
		it->level = level;
		it->until = now_ms + CHANGES_HIGHLIGHT_MS;
		return true;
	}
	if (level < CHANGES_BAD)
		it->until = 0;     /* recovered: nothing to point at any more */
	it->level = level;
	return false;
}

int64_t changes_until(const struct changes *c, const char *key, int64_t now_ms)
{
	bool found;
	size_t i;

	if (c == NULL)
		return 0;
	i = changes_find(c, key, &found);
	if (!found || c->v[i].until <= now_ms)
		return 0;
	return c->v[i].until;
}
