/* metrics — see metrics.h. */
#include "core/metrics.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/util.h"

void metrics_done(struct metrics *m)
{
	for (int i = 0; i < METRICS_NFIGURES; i++) {
		free(m->error[i]);
		m->error[i] = NULL;
	}
}

void metrics_copy(struct metrics *dst, const struct metrics *src)
{
	*dst = *src;
	for (int i = 0; i < METRICS_NFIGURES; i++)
		dst->error[i] = xstrdup(src->error[i]);
}

void metrics_set_error(struct metrics *m, enum metrics_figure f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(m->error[f]);
	m->error[f] = xvasprintf(fmt, ap);
	va_end(ap);
	m->valid[f] = false;
}

const char *metrics_figure_name(enum metrics_figure f)
{
	static const char *const names[METRICS_NFIGURES] = {
		"cpu", "mem", "disk", "net", "load", "uptime",
	};

	return (unsigned)f < METRICS_NFIGURES ? names[f] : "?";
}
