/* Fuzz target of backends/prometheus' decoder: the input is an answer body of
 * /api/v1/query or /api/v1/query_range.  Every decoded string and point is
 * touched so that a bad pointer or length shows under ASan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/prometheus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile double sink;   /* keeps the reads from being optimised away */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prom_result r;
	char *cause = NULL;
	size_t i, j, total = 0;
	double sum = 0;

	prom_result_init(&r);
	if (prom_decode((const char *)data, size, &r, &cause) != 0) {
		if (cause == NULL || strncmp(cause, "prometheus: ", 12) != 0 || r.n != 0)
			abort();
		free(cause);
		return 0;
	}
	if (cause != NULL || r.n > PROM_MAX_SERIES)
		abort();
	for (i = 0; i < r.n; i++) {
		const struct prom_series *s = &r.series[i];

		if (s->npoints > PROM_MAX_POINTS || (r.type == PROM_VECTOR && s->npoints != 1))
			abort();
		for (j = 0; j < s->nlabels; j++) {
			total += strlen(s->keys[j]) + strlen(s->values[j]);
			if (prom_label(s, s->keys[j]) == NULL)
				abort();
		}
		for (j = 0; j < s->npoints; j++)
			sum += s->points[j].value + (double)s->points[j].t_ms;
	}
	for (i = 0; i < r.nwarnings; i++)
		total += strlen(r.warnings[i]);
	if (r.string != NULL)
		total += strlen(r.string);
	prom_result_done(&r);
	sink = sum + (double)total;
	return 0;
}
