/* status_check — `kitetop check`'s output, a Nagios plugin's from one
 * frame.  The first line is the status text, the overall verdict's reasons
 * "; "-separated, then " | " and the perfdata:
 *   KITETOP WARNING - 2 hosts: monk: kavita exited; ... | hosts_up=2;;;0;2 ...
 * The reasons that would take the text past 200 characters are left to the
 * lines after it, one a line ("; and 3 more" says so).  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_CHECK_H
#define KITETOP_CLI_STATUS_CHECK_H

#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

/* Appends the line, newline-terminated, to out; returns the level, whose
 * value is the plugin's exit status (0 ok, 1 warn, 2 crit, 3 unknown). */
enum verdict_level status_check_line(const struct frame *f, struct buf *out);

/* The perfdata alone (no newline), space-separated:
 *   hosts_up=N;;;0;HOSTS containers_bad=N;;;0
 *   HOST_cpu=12.5%;WARN;CRIT;0;100 HOST_mem=... HOST_disk=...  (each host
 *     with metrics; U when not known; the host's thresholds in force)
 *   pg_connections=12.0%;WARN;CRIT;0;100  (with [postgres]; % of max_connections)
 * Labels are the host names with anything but [A-Za-z0-9_.-] as '_'. */
void status_check_perfdata(const struct frame *f, struct buf *out);

#endif
