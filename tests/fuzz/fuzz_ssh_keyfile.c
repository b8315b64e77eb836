/* Fuzz target: backends/ssh_keyfile (private key files and key blobs). */
#include <stdint.h>
#include <stddef.h>

#include "backends/ssh_keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_keyfile_info info;

	(void)ssh_keyfile_inspect((const char *)data, size, &info);
	(void)ssh_keyfile_blob_type(data, size);
	return 0;
}
