/* Fuzz target of redis_parse_info (backends/redis): any bytes as an INFO answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/redis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redis_status st;
	char *cause = NULL;
	size_t i;

	redis_status_init(&st);
	if (redis_parse_info((const char *)data, size, &st, &cause) != 0) {
		free(cause);
	} else {
		/* touch what was decoded */
		if (strlen(st.version) >= sizeof(st.version) || strlen(st.role) >= sizeof(st.role))
			abort();
		for (i = 0; i < st.n_dbs; i++)
			if (st.dbs[i].keys < 0 || st.dbs[i].index < 0)
				abort();
	}
	redis_status_done(&st);
	return 0;
}
