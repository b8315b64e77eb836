/* Fuzz target of core/feeds/feed_tailscale's decoder: the whole input is what the
 * exec tunnel returns (tailscale's output, then "kitetop-exit-status N"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/feeds/feed_tailscale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_tailscale v;
	struct config_host ch = { 0 };
	struct config cfg = { .hosts = &ch, .nhosts = 1 };
	char *cause = NULL, line[256];

	feed_tailscale_init(&v);
	if (feed_tailscale_decode((const char *)data, size, &v, &cause) == 0) {
		feed_tailscale_line(&cfg, 0, &v, line, sizeof line);
		if (strlen(line) >= sizeof line)
			abort();
	} else if (cause == NULL) {
		abort();
	}
	feed_tailscale_done(&v);
	free(cause);
	return 0;
}
