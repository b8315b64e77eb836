/* hostproc — a remote host's /proc files and the statfs of its root, read
 * by one command over the host's SSH session, and the pure parser of that
 * command's output into the texts the /proc parsers of localhost.h take.
 *
 * The command (HOSTPROC_COMMAND, run by the user's login shell, which must
 * be POSIX-like) prints each file after a marker line "@kitetop NAME"
 * (NAME: stat, meminfo, net/dev, loadavg, uptime, then statfs, whose text
 * is "BLOCKS BFREE BAVAIL" from `stat -f`), a line "@kitetop-fail" in place
 * of a file it could not read, and "@kitetop end" last, so that an answer
 * cut short is told from a complete one.  No /proc file has a line that
 * starts with "@kitetop".
 *
 * Pure and thread-safe: no I/O, no globals. */
#ifndef KITETOP_BACKENDS_HOSTPROC_H
#define KITETOP_BACKENDS_HOSTPROC_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/localhost.h"

#define HOSTPROC_END "@kitetop end"   /* the answer's last line */
#define HOSTPROC_COMMAND \
	"for f in stat meminfo net/dev loadavg uptime; do echo \"@kitetop $f\"; " \
	"cat \"/proc/$f\" 2>/dev/null || echo @kitetop-fail; done; echo '@kitetop statfs'; " \
	"stat -f -c '%b %f %a' / 2>/dev/null || echo @kitetop-fail; echo '" HOSTPROC_END "'"
#define HOSTPROC_MAX_OUTPUT (1024 * 1024)   /* a bigger answer is not this command's */
/* The command twice, about HOSTPROC_TWICE_GAP_MS apart on the host (a
 * shell whose sleep takes no fraction sleeps 1 s): a first reading and its
 * baseline for rates in one exec.  Its answer is two answers, one after the
 * other (hostproc_answer_len); the gap between them is what the host's
 * uptime says (hostproc_uptime_s). */
#define HOSTPROC_TWICE_GAP_MS 250
#define HOSTPROC_COMMAND_TWICE \
	HOSTPROC_COMMAND "; sleep 0.25 2>/dev/null || sleep 1; " HOSTPROC_COMMAND

struct hostproc {
	char *file[LOCALHOST_NFILES];   /* owned texts, NULL when the host could not read it */
	bool have_disk;
	unsigned long long blocks, bfree, bavail;
	char *disk_error;               /* when !have_disk */
};

void hostproc_init(struct hostproc *hp);
void hostproc_done(struct hostproc *hp);   /* frees, and leaves it init'ed */

/* Parses len bytes of the command's output (not NUL-terminated; NUL bytes
 * in it end the line they are in) into *hp (init'ed by the caller; what it
 * held is freed first).  0, or -1 with *cause when the answer is not the
 * command's or is cut short ("no end marker"): its first line is quoted, as
 * a shell's error would be. */
int hostproc_parse(const char *out, size_t len, struct hostproc *hp, char **cause);

/* The length of the first answer in out[0..len): up to and with its end
 * marker's line; 0 when there is no end marker. */
size_t hostproc_answer_len(const char *out, size_t len);

/* The host's uptime in the answer (s), or -1 when it has none. */
double hostproc_uptime_s(const struct hostproc *hp);

/* *t points into hp (valid while hp is unchanged). */
void hostproc_texts(const struct hostproc *hp, struct localhost_texts *t);

#endif
