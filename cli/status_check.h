/* status_check — `kitetop check`'s output, a Nagios plugin's one line from
 * one frame: "KITETOP WARNING - 2 hosts: monk: kavita exited; ..." (the
 * overall verdict's reasons, "; "-separated).  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_CHECK_H
#define KITETOP_CLI_STATUS_CHECK_H

#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

/* Appends the line, newline-terminated, to out; returns the level, whose
 * value is the plugin's exit status (0 ok, 1 warn, 2 crit, 3 unknown). */
enum verdict_level status_check_line(const struct frame *f, struct buf *out);

#endif
