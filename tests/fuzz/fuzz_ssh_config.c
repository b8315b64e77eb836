/* Fuzz target: backends/transport/ssh_config.  The first line of the input is
 * the target, the rest read three times: as ssh_config text (the own parser),
 * as the output of ssh -G (ssh_config_parse_g) and for its Host entries. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/transport/ssh_config.h"
#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ssh_config_env env = { .home = "/h", .local_user = "u" };
	const char *text = (const char *)data, *nl;
	struct ssh_target t;
	char *target, *cause = NULL;

	nl = memchr(text, '\n', size);
	if (nl == NULL)
		return 0;
	target = xstrndup(text, (size_t)(nl - text));
	if (ssh_config_resolve(target, "fuzz", nl + 1, size - (size_t)(nl + 1 - text), &env, &t,
	    &cause) == 0)
		ssh_target_done(&t);
	free(cause);
	cause = NULL;
	if (ssh_config_parse_g(target, nl + 1, size - (size_t)(nl + 1 - text), &env, &t,
	    &cause) == 0)
		ssh_target_done(&t);
	free(cause);
	free(target);
	{   /* the Host entries, as `kitetop init` lists them */
		size_t n = 0;
		char **hosts = ssh_config_hosts(nl + 1, size - (size_t)(nl + 1 - text), &n);

		for (size_t i = 0; i < n; i++)
			if (hosts[i][0] == '\0' || strpbrk(hosts[i], "*?!") != NULL)
				abort();
		ssh_config_hosts_free(hosts, n);
	}
	return 0;
}
