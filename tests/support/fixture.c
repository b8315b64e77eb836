/* fixture — see fixture.h. */
#include "tests/support/fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/base/util.h"

char *fixture_read(const char *kind, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s/%s", FIXTURE_DIR, kind, name), *data = NULL, *cause = NULL;

	if (util_read_file(path, FIXTURE_MAX, &data, len, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	return data;
}
