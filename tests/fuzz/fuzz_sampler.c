/* Fuzz target for core/feeds/feed_exec (the sampler): where each answer of a command
 * kept running on a host ends, in a stream of them (the bytes a channel
 * brings), then each answer through the parsers that take it (hostproc's
 * and cgroupstat's). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cgroupstat.h"
#include "backends/hostproc.h"
#include "core/feeds/feed_exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = HOSTPROC_END;
	size_t left = size, el = strlen(end);

	while (left > 0) {
		size_t n = feed_sampler_answer_len(p, left, end);
		struct hostproc hp;
		struct cgroupstat cg;
		char *why = NULL;

		if (n == 0)
			break;
		/* within the input, after a whole line of the marker */
		if (n > left || n < el + 1 || p[n - 1] != '\n')
			abort();
		if (memcmp(p + n - 1 - el - (p[n - 2] == '\r' ? 1 : 0), end, el) != 0)
			abort();
		/* the first end: no shorter prefix is an answer */
		if (n > el + 1 && feed_sampler_answer_len(p, n - 1, end) != 0)
			abort();
		hostproc_init(&hp);
		(void)hostproc_parse(p, n, &hp, &why);
		hostproc_done(&hp);
		free(why);
		why = NULL;
		cgroupstat_init(&cg);
		(void)cgroupstat_parse(p, n, &cg, &why);
		cgroupstat_done(&cg);
		free(why);
		p += n;
		left -= n;
	}
	return 0;
}
