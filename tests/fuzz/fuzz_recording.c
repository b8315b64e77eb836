/* Fuzz target of core/history/recording's reader: the input is a
 * recording file's bytes (gzip).  Whatever they are, the reader returns a
 * recording or NULL with a cause, never crashes or leaks, and every frame
 * it kept either rebuilds or says it is corrupt: forward, then backward
 * (each from its keyframe again). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/history/recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Frame i's document, checked against the length the reader gave. */
static void fuzz_recording_doc(struct recording *rec, size_t i)
{
	char *cause = NULL;
	size_t len = 0;
	const char *doc = recording_doc(rec, i, &len, &cause);

	if (doc == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (strlen(doc) > len || doc[len] != '\0')
		abort();
	(void)recording_time(rec, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct recording *rec = recording_load_mem(data, size, &cause);
	size_t n, len;

	if (rec == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	n = recording_count(rec);
	if (strlen(recording_config_text(rec, &len)) != len)
		abort();
	(void)recording_config_path(rec);
	(void)recording_truncated(rec);
	for (size_t i = 0; i < n; i++)
		fuzz_recording_doc(rec, i);
	for (size_t i = n; i-- > 0 && n - i <= 8;)
		fuzz_recording_doc(rec, i);
	recording_free(rec);
	return 0;
}
