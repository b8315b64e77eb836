/* Fuzz target: backends/transport/ssh_keyfile (private key files and key
 * blobs) and the base64 decoder of ssh_knownhosts (public key files). */
#include <stdint.h>
#include <stddef.h>

#include "backends/transport/ssh_keyfile.h"
#include "backends/transport/ssh_knownhosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_keyfile_info info;
	unsigned char out[512];

	(void)ssh_keyfile_inspect((const char *)data, size, &info);
	(void)ssh_keyfile_blob_type(data, size);
	(void)ssh_knownhosts_base64_decode((const char *)data, size, out, sizeof out);
	return 0;
}
