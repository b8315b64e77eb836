/* record_verb — `kitetop record FILE [--for DURATION]`: headless, every
 * source polled as the dashboard polls them, and a frame written to FILE
 * (core/history/recording.h) each time new data came (gathered for a
 * moment, as the dashboard gathers it before drawing), with the
 * configuration's text, secrets left out, in its header.
 *
 * It ends after --for, or on SIGINT, SIGTERM or SIGHUP (the usual way to
 * stop it: exit 0 all the same), and says on stderr what it wrote:
 * "recorded 300 frames (1.2 MiB raw, 84 KiB written) to FILE".  While it
 * runs with stderr a terminal, a line there counts the frames.  A file that
 * cannot be written: a message, exit 1 (what was written stays readable). */
#ifndef KITETOP_CLI_RECORD_VERB_H
#define KITETOP_CLI_RECORD_VERB_H

#include "core/config/config.h"
#include "cli/cli.h"

/* Returns the process exit status. */
int record_verb_run(struct config *cfg, const struct cli *cli);

#endif
