/* Fuzz target of core/lab_tailscale's decoder: the whole input is what the
 * exec tunnel returns (tailscale's output, then "kitetop-exit-status N"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/feeds/feed_tailscale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lab_tailscale v;
	struct config_host ch = { 0 };
	struct lab_host lh = { .cfg = &ch };
	struct lab lab = { .hosts = &lh, .nhosts = 1 };
	char *cause = NULL, line[256];

	lab_tailscale_init(&v);
	if (lab_tailscale_decode((const char *)data, size, &v, &cause) == 0) {
		lab_tailscale_line(&lab, 0, &v, line, sizeof line);
		if (strlen(line) >= sizeof line)
			abort();
	} else if (cause == NULL) {
		abort();
	}
	lab_tailscale_done(&v);
	free(cause);
	return 0;
}
