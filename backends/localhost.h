/* localhost — this machine's metrics, read from /proc and statvfs(2).
 *
 * Two layers:
 *  - pure parsers of the text of one /proc file (no I/O, no globals, no
 *    locale: "0.93" parses the same under LC_NUMERIC=de_DE), each returning
 *    0, or -1 with *cause ("/proc/stat: no cpu line") that the caller frees;
 *    they never read past the NUL and accept extra blanks, a missing final
 *    newline and fields the parser does not need, and reject a number that is
 *    not one or does not fit in 64 bits;
 *  - a sampler (struct localhost, opaque) that reads the files, keeps the
 *    previous counters and turns them into rates.
 *
 * What the figures mean:
 *  CPU busy %   Over the interval between two readings of the "cpu " line of
 *               /proc/stat: busy = user + nice + system + irq + softirq +
 *               steal; idle = idle + iowait; busy % = busy / (busy + idle).
 *               Steal counts as busy, as in htop's default CPU meter (which
 *               draws steal + guest in its bar): the time was not available
 *               to this machine.  iowait counts as idle (the CPU was free to
 *               run something else), as in htop's meter.  guest
 *               and guest_nice are already inside user and nice (see
 *               proc(5)), so they are not added again.  A field that went
 *               backwards (iowait does on NO_HZ kernels) counts as 0.
 *  Memory %     (MemTotal - MemAvailable) / MemTotal; on kernels before 3.14
 *               (no MemAvailable) MemAvailable is taken as MemFree + Buffers +
 *               Cached, as free(1) did.
 *  Disk %       statvfs of the root: used / (used + available to non-root),
 *               used = f_blocks - f_bfree, as df(1) computes Use% (df then
 *               rounds up to a whole percent; this figure is not rounded).
 *  Network      rx and tx bytes per second summed over every interface of
 *               /proc/net/dev but "lo", over the interval between two
 *               readings.  Counters are matched per interface name: an
 *               interface that appeared since the last reading has no
 *               baseline and adds nothing this time; one that vanished is
 *               forgotten.  If any counter went backwards (a reset, or a 32-bit
 *               counter wrapping) the sample has no network rate at all
 *               rather than a false huge one; the next sample has one again.
 *  Load         load1, the first field of /proc/loadavg.
 *  Uptime       seconds, the first field of /proc/uptime.
 *
 * The first sample has no previous counters, so its CPU and network figures
 * are invalid with the error "collecting" (the UI's first frame must not wait
 * for a second reading); the next sample has them.
 *
 * Not thread-safe: one struct localhost is used by one thread at a time (its
 * source thread). */
#ifndef KITETOP_BACKENDS_LOCALHOST_H
#define KITETOP_BACKENDS_LOCALHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/metrics.h"

/* The "cpu " line of /proc/stat, in clock ticks.  Fields an old kernel does
 * not write are 0. */
struct localhost_cpu {
	unsigned long long user, nice, system, idle, iowait, irq, softirq, steal;
};

#define LOCALHOST_IFNAME_MAX 16   /* IFNAMSIZ, with the NUL */

/* One interface of /proc/net/dev. */
struct localhost_netif {
	char name[LOCALHOST_IFNAME_MAX];
	unsigned long long rx_bytes, tx_bytes;
};

/* /proc/stat: the aggregate "cpu " line (at least user nice system idle). */
int localhost_parse_stat(const char *text, struct localhost_cpu *out, char **cause);

/* Busy % (0..100) between two readings; -1 with *cause when no tick passed
 * (or every counter went backwards). */
int localhost_cpu_busy_pct(const struct localhost_cpu *prev, const struct localhost_cpu *cur,
    double *pct, char **cause);

/* /proc/meminfo: used % (0..100). */
int localhost_parse_meminfo(const char *text, double *mem_pct, char **cause);

/* /proc/net/dev: every interface, "lo" included, in file order.  *out is an
 * array of *n entries that the caller frees with free() (NULL when *n is 0);
 * on error *out is NULL and *n is 0. */
int localhost_parse_netdev_ifaces(const char *text, struct localhost_netif **out, size_t *n,
    char **cause);

/* /proc/net/dev: rx and tx byte counters summed over every interface but
 * "lo" (0 and 0 when there is none).  -1 also when the sum does not fit. */
int localhost_parse_netdev(const char *text, unsigned long long *rx, unsigned long long *tx,
    char **cause);

/* Bytes per second between two readings interval_ms apart, per the rules in
 * the comment at the top.  -1 with *cause when interval_ms <= 0 or a
 * counter went backwards. */
int localhost_net_rate(const struct localhost_netif *prev, size_t nprev,
    const struct localhost_netif *cur, size_t ncur, int64_t interval_ms,
    double *rx_bps, double *tx_bps, char **cause);

/* /proc/loadavg: load1. */
int localhost_parse_loadavg(const char *text, double *load1, char **cause);

/* /proc/uptime: seconds since boot. */
int localhost_parse_uptime(const char *text, double *uptime_s, char **cause);

/* Used % (0..100) from statvfs fields (any consistent block unit). */
int localhost_disk_pct(unsigned long long blocks, unsigned long long bfree,
    unsigned long long bavail, double *pct, char **cause);

struct localhost;

/* proc_root: "/proc", or a directory laid out like it (stat, meminfo,
 * net/dev, loadavg, uptime) for tests.  statvfs_path: "/" normally.  Both are
 * copied.  Never fails (files are read at each sample).  Free with
 * localhost_free(). */
struct localhost *localhost_new(const char *proc_root, const char *statvfs_path);
void localhost_free(struct localhost *lh);

/* Reads everything now and fills *out: origin METRICS_FROM_PROC, every figure
 * it could get valid, every other one invalid with its own error ("cannot
 * read /proc/net/dev: No such file or directory", "collecting").  *out must
 * be initialized (metrics_init, or an earlier result, whose error strings are
 * freed first); the caller releases it with metrics_done(). */
void localhost_sample(struct localhost *lh, struct metrics *out);

/* The same, with the monotonic time of the reading given (ms) instead of
 * taken from the clock: lets tests replay recorded files as if they were
 * read a known interval apart. */
void localhost_sample_at(struct localhost *lh, int64_t mono_ms, struct metrics *out);

/* The same from texts read elsewhere (a remote host's files, all read by
 * one command over its SSH session: backends/hostproc.h), with the same
 * parsers and the same rates from lh's previous reading: origin
 * METRICS_FROM_SSH.  A file whose text is NULL invalidates its figures with
 * "cannot read /proc/NAME on the host" (and why, when set); the disk
 * figure comes from the statfs fields when have_disk, else disk_error. */
enum localhost_file {
	LOCALHOST_STAT, LOCALHOST_MEMINFO, LOCALHOST_NETDEV, LOCALHOST_LOADAVG, LOCALHOST_UPTIME,
	LOCALHOST_NFILES
};
struct localhost_texts {
	const char *file[LOCALHOST_NFILES];   /* NUL-terminated, or NULL */
	const char *why;                      /* why a file is missing, or NULL */
	bool have_disk;
	unsigned long long blocks, bfree, bavail;   /* statfs of the root, in blocks */
	const char *disk_error;               /* when !have_disk, or NULL */
};
void localhost_sample_texts(struct localhost *lh, const struct localhost_texts *t,
    int64_t mono_ms, struct metrics *out);
/* "stat", "meminfo", "net/dev", "loadavg", "uptime": the path under /proc. */
const char *localhost_file_name(enum localhost_file f);

#endif
