/* rows_probe — see rows_probe.h. */
#include "tui/rows_probe.h"

#include <stdio.h>
#include <string.h>

void rows_probe(char *out, size_t n, const struct probe_result *r)
{
	if (n == 0)
		return;
	out[0] = '\0';
	if (r == NULL)
		return;
	if (!r->done) {
		snprintf(out, n, "waiting...");
	} else if (r->status > 0) {
		snprintf(out, n, "%ld %.0fms", r->status, r->ms >= 0 ? r->ms : 0);
	} else if (r->error != NULL) {
		/* the words before any "(detail)": the detail is in the list below */
		const char *paren = strstr(r->error, " (");
		int len = paren != NULL ? (int)(paren - r->error) : (int)strlen(r->error);

		snprintf(out, n, "%.*s", len, r->error);
	} else {
		snprintf(out, n, "failed");
	}
}
