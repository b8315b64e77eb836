/* A driver for the libFuzzer targets when libFuzzer is not linked: runs
 * LLVMFuzzerTestOneInput on each file named on the command line, so that the
 * corpus is replayed by `make test` with any compiler. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int main(int argc, char **argv);

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *data = NULL, *cause = NULL;
		size_t len = 0;

		if (util_read_file(argv[i], 256u * 1024 * 1024, &data, &len, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
	}
	return 0;
}
