/* status_check — see status_check.h. */
#include "cli/status_check.h"

#include <string.h>

enum verdict_level status_check_line(const struct frame *f, struct buf *out)
{
	static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf reasons;
	enum verdict_level lvl;
	const char *p, *nl;

	buf_init(&reasons);
	lvl = verdict_overall(f, &reasons);
	buf_printf(out, "KITETOP %s - %zu host%s", word[lvl], f->nhosts, f->nhosts == 1 ? "" : "s");
	for (p = buf_cstr(&reasons); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		buf_puts(out, p == buf_cstr(&reasons) ? ": " : "; ");
		buf_append(out, p, (size_t)(nl - p + (*nl == '\n' ? 0 : 1)));
	}
	buf_putc(out, '\n');
	buf_done(&reasons);
	return lvl;
}
