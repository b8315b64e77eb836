/* status_check — `kitetop check`'s output, a Nagios plugin's from one
 * frame.  The first line, always shorter than 200 characters, is the status
 * text (the overall verdict's reasons, "; "-separated, as many as fit), then
 * " | " and the counts' perfdata:
 *   KITETOP WARNING - 2 hosts: monk: kavita exited; ...; and 3 more | hosts_up=2;;;0;2 containers_bad=1;;;0
 * The lines after it are the reasons that did not fit, one a line, in full
 * (a first reason too long for the line is cut there with "..." and given
 * here whole), then, as Nagios reads perfdata in the long output, one line
 * "| " and the figures' perfdata (each host's CPU, memory, disk; PostgreSQL's
 * connections; the clusters' counts), when there are any.  Pure: no I/O. */
#ifndef KITETOP_CLI_STATUS_CHECK_H
#define KITETOP_CLI_STATUS_CHECK_H

#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"

/* Appends the lines, each newline-terminated, to out; returns the level, whose
 * value is the plugin's exit status (0 ok, 1 warn, 2 crit, 3 unknown). */
enum verdict_level status_check_line(const struct frame *f, struct buf *out);

/* The perfdata alone (no newline), space-separated:
 *   hosts_up=N;;;0;HOSTS containers_bad=N;;;0
 *   HOST_cpu=12.5%;WARN;CRIT;0;100 HOST_mem=... HOST_disk=...  (each host
 *     with metrics; U when not known; the host's thresholds in force)
 *   pg_connections=12.0%;WARN;CRIT;0;100  (with [postgres]; % of max_connections)
 *   nodes_notready=N;;;0;NODES rollouts_failed=N;;;0 gitops_failed=N;;;0
 *     volumes_faulted=N;;;0 databases_bad=N;;;0  (with a [cluster]: over the
 *     clusters whose API answered, verdict_cluster_counts; in the long
 *     output's perfdata line, not the first line's)
 * Labels are the host names with anything but [A-Za-z0-9_.-] as '_'. */
void status_check_perfdata(const struct frame *f, struct buf *out);

#endif
