/* events_verb — `kitetop events [--since WHEN] [--host H] [--json]`: the
 * persisted events (core/history/eventlog.h) and the audit log's actions,
 * oldest first.
 *
 * Text: one line per event, its local time then what happened
 * ("2026-12-06 03:10:42  monk  grafana  running → exited (1)"); --json: an
 * array of objects with the log lines' fields.  Lines of the log that were
 * not events are skipped, with a count on stderr.  No events: a note on
 * stderr, exit 0.  A bad --since: exit 2; a log that cannot be read: 1. */
#ifndef KITETOP_CLI_EVENTS_VERB_H
#define KITETOP_CLI_EVENTS_VERB_H

#include "core/config/config.h"
#include "cli/cli.h"

/* Runs `kitetop events` (cli->verb == CLI_EVENTS) on cfg.  Returns the
 * process exit status. */
int events_verb_run(const struct config *cfg, const struct cli *cli);

#endif
