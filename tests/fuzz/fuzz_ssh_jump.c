/* Fuzz target: backends/transport/ssh_jump's ProxyJump splitting (the value
 * comes from ~/.ssh/config or kitetop's jump = key).  The input is the value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/transport/ssh_jump.h"
#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = xstrndup((const char *)data, size), *hops[SSH_JUMP_MAX_HOPS], *cause = NULL;
	size_t n = 0;

	if (ssh_jump_split(spec, hops, SSH_JUMP_MAX_HOPS, &n, &cause) == 0)
		while (n > 0)
			free(hops[--n]);
	free(cause);
	free(spec);
	return 0;
}
