/* feed_exec — commands run on a host over its SSH session, for the feeds:
 * one-shot (feed_ssh_exec: an exec channel, the command's whole output) and
 * kept running (feed_sampler: asked for an answer each refresh).
 *
 * A figure read over SSH every refresh (the host's /proc files, its
 * containers' cgroup files) used to be a one-shot command each time: a
 * channel opened, a login shell started on the host, its output, the
 * channel closed.  At 8 hosts and a 2 s refresh that is 16 channels and 16
 * shells every 2 s, most of kitetop's CPU (crypto and wake-ups for each
 * channel's dozen messages) and a process started on every watched host
 * each time.  A sampler runs
 *
 *     while read -r _; do o=$(COMMAND); printf '%s\n' "$o"; done
 *
 * once, over one exec channel kept open (its own connection to the host's
 * exec tunnel), and asks for an answer by sending a line: one message each
 * way and the answer's data, written at once (feed_sampler_loop).  An answer ends with the line END (the
 * command's own end marker).  The channel is opened again when the command
 * changes, after a timeout (an answer late would be taken for the next
 * one), and when it was found closed (the host's session lost meanwhile:
 * once, at the next ask).  The login shell must be POSIX-like, as for the
 * one-shot commands; one that is not answers with its error and closes the
 * channel, which is the answer (the parser says no end marker, quoting it).
 *
 * Call these from a source's thread; a sampler belongs to one thread. */
#ifndef KITETOP_CORE_FEEDS_FEED_EXEC_H
#define KITETOP_CORE_FEEDS_FEED_EXEC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/base/buf.h"
#include "core/fleet/fleet.h"

/* Runs command on host h over its SSH session (one exec channel of the
 * existing session, through the user's login shell, no input), waiting
 * first for the session's first connection attempt at start; its stdout
 * (at most max bytes) is appended to *out.  Errors begin with "what: ".
 * Bounded by the configured timeout; cancel may be NULL.  0, or -1 with
 * *cause, or FEED_EXEC_TIMEOUT with *cause when the host did not answer in
 * time. */
#define FEED_EXEC_TIMEOUT (-2)
int feed_ssh_exec(struct fleet *fleet, struct fleet_host *h, const char *command, const char *what,
                  size_t max, const atomic_int *cancel, struct buf *out, char **cause);
/* The same for a command that sleeps extra_ms on the host: its answer
 * waited for that much longer than the timeout; urgent: its channel opens
 * before the others waiting (transport_ssh_forward_exec_first). */
int feed_ssh_exec_longer(struct fleet *fleet, struct fleet_host *h, const char *command,
                         const char *what, int extra_ms, bool urgent, size_t max,
                         const atomic_int *cancel, struct buf *out, char **cause);

struct feed_sampler {
	int fd;             /* the connection to the exec tunnel, or -1 */
	char *command;      /* the command it runs (not the loop) */
};

void feed_sampler_init(struct feed_sampler *s);
void feed_sampler_done(struct feed_sampler *s);   /* closes the channel */

/* The loop command of command (owned by the caller): a line read, the
 * command's output written in one piece. */
char *feed_sampler_loop(const char *command);

/* Where the answer in b (len bytes) ends: just after its line `end` (a
 * line of its own: "\n" or "\r\n" after it); 0 when it has not ended yet. */
size_t feed_sampler_answer_len(const char *b, size_t len, const char *end);

/* One answer of command on host h: everything up to and with its line
 * `end`, appended to *out (at most max bytes).  Opens the channel when
 * none is open (waiting first for the session's first connection attempt
 * at start, as feed_ssh_exec does).  0; -1 with *cause (beginning "what: ");
 * FEED_EXEC_TIMEOUT with *cause when the host did not answer within the
 * configured timeout.  When the channel ends before `end`, what came is the
 * answer (0): a shell's error, for the caller's parser to quote. */
int feed_sampler_ask(struct feed_sampler *s, struct fleet *fleet, struct fleet_host *h,
                     const char *command, const char *end, const char *what, size_t max,
                     const atomic_int *cancel, struct buf *out, char **cause);

#endif
