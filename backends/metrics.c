/* metrics — see metrics.h. */
#include "backends/metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void metrics_done(struct metrics *m)
{
	for (int i = 0; i < METRICS_NFIGURES; i++) {
		free(m->error[i]);
		m->error[i] = NULL;
	}
	metrics_history_free(m->history);
	m->history = NULL;
}

struct metrics_history *metrics_history_new(size_t n, int64_t start_ms, int64_t step_ms)
{
	struct metrics_history *h = xcalloc(1, sizeof *h);

	h->n = n;
	h->start_ms = start_ms;
	h->step_ms = step_ms;
	h->cpu = xreallocarray(NULL, n > 0 ? n : 1, sizeof *h->cpu);
	h->mem = xreallocarray(NULL, n > 0 ? n : 1, sizeof *h->mem);
	h->net = xreallocarray(NULL, n > 0 ? n : 1, sizeof *h->net);
	for (size_t i = 0; i < n; i++)
		h->cpu[i] = h->mem[i] = h->net[i] = NAN;
	return h;
}

void metrics_history_free(struct metrics_history *h)
{
	if (h == NULL)
		return;
	free(h->cpu);
	free(h->mem);
	free(h->net);
	free(h);
}

void metrics_copy(struct metrics *dst, const struct metrics *src)
{
	*dst = *src;
	for (int i = 0; i < METRICS_NFIGURES; i++)
		dst->error[i] = xstrdup(src->error[i]);
	if (src->history != NULL) {
		const struct metrics_history *h = src->history;
		size_t bytes = h->n * sizeof(double);

		dst->history = metrics_history_new(h->n, h->start_ms, h->step_ms);
		if (bytes > 0) {
			memcpy(dst->history->cpu, h->cpu, bytes);
			memcpy(dst->history->mem, h->mem, bytes);
			memcpy(dst->history->net, h->net, bytes);
		}
	}
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
