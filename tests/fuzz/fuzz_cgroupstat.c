/* Fuzz target for backends/cgroupstat: the parser of the one command's
 * answer that carries every container's cgroup figures of a host, then the
 * figures it derives (memory, and CPU % between the whole input's reading
 * and its second half's, as two reads a second apart). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cgroupstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cgroupstat *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cgroupstat_sample *s = &c->s[i];

		if (strlen(s->id) != 64 || cgroupstat_find(c, s->id) != s)
			abort();   /* sorted, each id once */
		if (i > 0 && strcmp(c->s[i - 1].id, s->id) >= 0)
			abort();
		if (cgroupstat_mem_bytes(s) < -1 || (s->mem_usage >= 0 && cgroupstat_mem_bytes(s) > s->mem_usage))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgroupstat a, b;
	char *cause = NULL;
	int ra, rb;

	cgroupstat_init(&a);
	cgroupstat_init(&b);
	ra = cgroupstat_parse((const char *)data, size, &a, &cause);
	if ((ra == 0) != (cause == NULL) || (ra != 0 && a.n != 0))
		abort();
	free(cause);
	cause = NULL;
	rb = cgroupstat_parse((const char *)data + size / 2, size - size / 2, &b, &cause);
	free(cause);
	if (ra == 0)
		check(&a);
	if (rb == 0)
		check(&b);
	if (ra == 0 && rb == 0) {
		for (size_t i = 0; i < b.n; i++) {
			double pct = cgroupstat_cpu_pct(cgroupstat_find(&a, b.s[i].id), &b.s[i], 1.0);

			if (!(pct == -1 || pct >= 0))
				abort();
		}
	}
	cgroupstat_done(&a);
	cgroupstat_done(&b);
	return 0;
}
