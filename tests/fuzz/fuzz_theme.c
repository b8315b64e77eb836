/* fuzz_theme — theme_parse on any bytes.  Beyond not crashing: a failed parse
 * leaves the theme as it was, and a theme that parsed formats to text that
 * parses again, without warnings, to the same colours. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int theme_same(const struct theme *a, const struct theme *b)
{
	int i;

	for (i = 0; i < THEME_NROLES; i++) {
		const struct theme_color *ca = theme_get(a, (enum theme_role)i);
		const struct theme_color *cb = theme_get(b, (enum theme_role)i);

		if (ca->fg.kind != cb->fg.kind || ca->fg.rgb != cb->fg.rgb ||
		    ca->fg.index != cb->fg.index || ca->bg.kind != cb->bg.kind ||
		    ca->bg.rgb != cb->bg.rgb || ca->bg.index != cb->bg.index ||
		    ca->attr != cb->attr)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme *t = theme_new_default(), *d = theme_new_default(), *u;
	char **w = NULL, *cause = NULL, *text;
	size_t nw = 0;

	if (theme_parse(t, (const char *)data, size, &w, &nw, &cause) != 0) {
		if (cause == NULL || w != NULL || nw != 0 || !theme_same(t, d))
			abort();
		free(cause);
	} else {
		if (cause != NULL || (nw > 0) != (w != NULL))
			abort();
		theme_warnings_free(w, nw);
		text = theme_format(t);
		u = theme_new_default();
		if (theme_parse(u, text, strlen(text), &w, &nw, &cause) != 0 || nw != 0 ||
		    !theme_same(t, u))
			abort();
		free(text);
		theme_free(u);
	}
	theme_free(t);
	theme_free(d);
	return 0;
}
