/* Fuzz target of backends/authentik's decoders and the probe judge: the
 * first byte picks (modulo 6) 0 version, 1 workers, 2 outposts (two pages
 * into one list), 3 an outpost's health, 4 authentik_describe_failure with
 * the second byte as a status offset, 5 probe_judge; the rest is the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/authentik.h"
#include "backends/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	size_t len;
	char *cause = NULL;

	if (size < 2)
		return 0;
	body = (const char *)data + 2;
	len = size - 2;
	switch (data[0] % 6) {
	case 0: {
		struct authentik_version v;

		if (authentik_parse_version(body, len, &v, &cause) == 0 &&
		    (strlen(v.current) >= sizeof v.current || strlen(v.latest) >= sizeof v.latest))
			abort();
		if (authentik_parse_version(body, len, &v, &cause) == -1 && cause == NULL)
			abort();
		break;
	}
	case 1: {
		int n, m;

		if (authentik_parse_workers(body, len, &n, &m, &cause) == 0 && (n < 0 || m < 0 || m > n))
			abort();
		break;
	}
	case 2: {
		struct authentik_outpost *o = NULL;
		size_t n = 0;
		int next;

		for (int page = 0; page < 2; page++)
			if (authentik_parse_outposts(body, len, &o, &n, &next, &cause) == 0 && next < 0)
				abort();
		if (n > AUTHENTIK_MAX_OUTPOSTS)
			abort();
		for (size_t i = 0; i < n; i++)
			if (o[i].pk[0] == '\0' || strlen(o[i].name) >= sizeof o[i].name ||
			    strlen(o[i].type) >= sizeof o[i].type)
				abort();
		free(o);
		break;
	}
	case 3: {
		struct authentik_outpost o = { .instances = -1 };

		if (authentik_parse_outpost_health(body, len, 1795435347000LL, &o, &cause) == 0 &&
		    (o.healthy > o.instances || o.outdated > o.instances || o.healthy < 0))
			abort();
		break;
	}
	case 4: {
		char *s = authentik_describe_failure("version", 400 + data[1], body, len);

		if (s == NULL || strncmp(s, "authentik: ", 11) != 0)
			abort();
		free(s);
		break;
	}
	default: {
		char *s = probe_judge(100 + data[1] * 2, 0, 0, body, len);

		if ((s == NULL) != (100 + data[1] * 2 >= 200 && 100 + data[1] * 2 <= 299))
			abort();
		free(s);
		break;
	}
	}
	free(cause);
	return 0;
}
