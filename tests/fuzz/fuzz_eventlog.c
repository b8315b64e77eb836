/* Fuzz target of core/history/eventlog: the input is one line, then a
 * whole file of the event log (and, the same bytes, of the audit log).
 * Whatever the input, a line is an event or -1; an event written again
 * reads back as the same line; a file reads without a crash or leak, its
 * bad lines counted, never more than there are lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/util.h"
#include "core/history/eventlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char *fuzz_log, *fuzz_audit;

static void fuzz_eventlog_cleanup(void)
{
	unlink(fuzz_log);
	unlink(fuzz_audit);
	rmdir(fuzz_dir);
	free(fuzz_log);
	free(fuzz_audit);
}

static void fuzz_eventlog_init(void)
{
	if (fuzz_log != NULL)
		return;
	util_strlcpy(fuzz_dir, "/tmp/kt-fuzz-eventlog-XXXXXX", sizeof fuzz_dir);
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	fuzz_log = xasprintf("%s/events.jsonl", fuzz_dir);
	fuzz_audit = xasprintf("%s/audit.log", fuzz_dir);
	atexit(fuzz_eventlog_cleanup);
}

/* Years 0000 to 9999: what the log's time can say. */
static int fuzz_time_writable(int64_t ms)
{
	return ms >= -62167219200000LL && ms <= 253402300799999LL;
}

static void fuzz_line(const uint8_t *data, size_t size)
{
	struct event e, again;
	char *line, *line2;

	if (eventlog_parse((const char *)data, size, &e) != 0)
		return;
	line = eventlog_format(&e);
	if (strlen(line) > EVENTLOG_MAX_LINE || strchr(line, '\n') != line + strlen(line) - 1)
		abort();
	if (eventlog_parse(line, strlen(line), &again) != 0) {
		if (fuzz_time_writable(e.time_ms))
			abort();
		free(line);
		return;
	}
	line2 = eventlog_format(&again);
	if (strcmp(line, line2) != 0)
		abort();
	free(line2);
	free(line);
	free(event_describe(&e, true));
}

static void fuzz_file(const uint8_t *data, size_t size)
{
	struct eventlog_query all = { 0 }, some = { .since_ms = 1796526642120LL, .host = "monk", .max = 3 };
	struct event_list l = { 0 };
	size_t skipped = 0, lines = 1;
	char *cause = NULL;
	FILE *f = fopen(fuzz_log, "w");

	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (eventlog_read(fuzz_log, NULL, &all, &l, &skipped, &cause) != 0 || skipped + l.n > lines)
		abort();
	event_list_free(&l);
	/* the same bytes as the audit log: only its actions are taken */
	if (rename(fuzz_log, fuzz_audit) != 0 ||
	    eventlog_read(fuzz_log, fuzz_audit, &some, &l, &skipped, &cause) != 0 || l.n > 3)
		abort();
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].time_ms < some.since_ms || strcmp(l.v[i].host, "monk") != 0)
			abort();
	event_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_eventlog_init();
	fuzz_line(data, size);
	fuzz_file(data, size);
	return 0;
}
