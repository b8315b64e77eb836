/* Fuzz target of backends/kubeconfig: the input is a kubeconfig given as
 * text (no directory, so no file is ever read), resolved for its
 * current-context and for the context "default". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, const char *ctx)
{
	struct kube_creds c;
	char *cause = NULL;

	if (kubeconfig_parse((const char *)data, size, ctx, NULL, &c, &cause) == 0) {
		if (c.server == NULL || (c.cert_pem == NULL && c.token == NULL) ||
		    (c.ca_pem != NULL && c.ca_pem[c.ca_len] != '\0') ||
		    (c.key_pem != NULL && c.key_pem[c.key_len] != '\0'))
			abort();
		if (cause != NULL)
			abort();
	} else if (cause == NULL || c.server != NULL) {
		abort();
	}
	kube_creds_done(&c);
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, "default");
	return 0;
}
