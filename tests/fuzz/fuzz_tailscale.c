/* Fuzz target of backends/tailscale: the whole input is `tailscale status
 * --json`; the decoded peers are looked up by name and described. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/tailscale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tailscale_status s;
	char *cause = NULL, path[40];
	size_t i;

	tailscale_status_init(&s);
	if (tailscale_parse_status((const char *)data, size, &s, &cause) == 0) {
		if (s.n_peers > TAILSCALE_MAX_PEERS || s.self.n_ips > TAILSCALE_MAX_IPS)
			abort();
		for (i = 0; i < s.n_peers; i++) {
			const struct tailscale_node *p = &s.peers[i];

			if (p->n_ips > TAILSCALE_MAX_IPS || strlen(p->host_name) >= sizeof(p->host_name))
				abort();
			if (p->direct != (p->cur_addr[0] != '\0'))
				abort();
			(void)tailscale_path(p, path, sizeof(path));
			if (p->host_name[0] != '\0' && tailscale_find_peer(&s, p->host_name) == NULL)
				abort();
		}
		(void)tailscale_running(&s);
		(void)tailscale_find_peer(&s, "monk");
		(void)tailscale_find_peer(&s, "100.101.1.20");
	} else if (cause == NULL) {
		abort();
	}
	tailscale_status_done(&s);
	free(cause);
	return 0;
}
