/* cgroupstat — every container's CPU and memory of one Docker host in one
 * read of its cgroup files: a shell command run over the host's SSH session
 * (one exec per refresh, as backends/hostproc reads /proc), or the same
 * files read here when the engine runs on this machine; and the pure parser
 * of that answer.  This replaces one stats request per container to the
 * engine (dockerd computes its figures from the same files).
 *
 * The files, by cgroup version and Docker's cgroup driver (`docker info`:
 * CgroupVersion, CgroupDriver), relative to /sys/fs/cgroup:
 *   v2, systemd:  system.slice/docker-ID.scope/{cpu.stat,memory.current,memory.stat,memory.max}
 *   v2, cgroupfs: docker/ID/{the same}
 *   v1, cgroupfs: cpuacct/docker/ID/cpuacct.usage,
 *                 memory/docker/ID/{memory.usage_in_bytes,memory.stat,memory.limit_in_bytes}
 *   v1, systemd:  cpuacct/system.slice/docker-ID.scope/..., memory/system.slice/docker-ID.scope/...
 *
 * The answer: a line "@kitetop up UPTIME IDLE" (/proc/uptime: the host's
 * clock for the samples), then a line a container, "ID KVALUE ...": its
 * 64-hex id and a token a figure, a key letter and the file's number as it
 * was written: c cpuacct.usage (ns), u cpu.stat's usage_usec, m
 * memory.current or memory.usage_in_bytes, l memory.max or
 * memory.limit_in_bytes ("max" too), t total_inactive_file and i
 * inactive_file of memory.stat; and "@kitetop end" last, so that an answer
 * cut short is told from a whole one.  The command has `grep -sH` pick the
 * lines that matter and awk make them that line; on a host without awk,
 * grep's "PATH:LINE" lines are the answer, and are parsed too (a container
 * known by the 64-hex id in the path, a figure by the file's name).  The
 * local reader writes the compact lines, a line a container and cgroup
 * controller (v1: two).  Files of other cgroups are ignored.
 *
 * Figures as `docker stats` gives them: CPU % from two samples of the
 * usage over the wall time between them (100 = one core); memory = usage
 * minus inactive_file (v2) or total_inactive_file (v1).
 *
 * The parser is pure and thread-safe: no I/O, no globals. */
#ifndef KITETOP_BACKENDS_CGROUPSTAT_H
#define KITETOP_BACKENDS_CGROUPSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"

#define CGROUPSTAT_MAX_OUTPUT (8 * 1024 * 1024)   /* ~250 bytes a container */
#define CGROUPSTAT_MAX_CONTAINERS 65536

enum cgroupstat_layout {
	CGROUPSTAT_ANY,             /* unknown: every layout's files are looked for */
	CGROUPSTAT_V1_CGROUPFS,
	CGROUPSTAT_V1_SYSTEMD,
	CGROUPSTAT_V2_CGROUPFS,
	CGROUPSTAT_V2_SYSTEMD,
};

struct cgroupstat_sample {
	char id[65];                /* the full container id */
	int64_t cpu_ns;             /* total CPU time used; -1 unknown */
	int64_t mem_usage;          /* memory.current / memory.usage_in_bytes; -1 unknown */
	int64_t mem_inactive;       /* inactive_file (total_inactive_file on v1); -1 unknown */
	int64_t mem_limit;          /* memory.max / limit_in_bytes; -1 none or unknown */
	bool inactive_total;        /* mem_inactive is total_inactive_file */
	/* the reader's: the read's time (s, the host's clock) and the CPU %
	 * from this sample and the one before it; -1 unknown (as parsed) */
	double t;
	double cpu_pct;
};

struct cgroupstat {
	double uptime_s;            /* the host's uptime at the read; < 0 unknown */
	struct cgroupstat_sample *s;   /* sorted by id */
	size_t n;
};

/* From `docker info`'s CgroupVersion ("1", "2") and CgroupDriver
 * ("cgroupfs", "systemd"); either NULL or unknown: CGROUPSTAT_ANY. */
enum cgroupstat_layout cgroupstat_layout_of(const char *version, const char *driver);
/* The same from `GET /info`'s body (len bytes); not JSON: CGROUPSTAT_ANY. */
enum cgroupstat_layout cgroupstat_layout_of_info(const char *json, size_t len);
const char *cgroupstat_layout_name(enum cgroupstat_layout l);   /* "v1/cgroupfs", "any" */

#define CGROUPSTAT_END "@kitetop end"   /* an answer's last line */
/* The command for a remote host (static string). */
const char *cgroupstat_command(enum cgroupstat_layout l);
/* The same command twice, CGROUPSTAT_TWICE_GAP_MS apart on the host (`sleep
 * 1` between): the two samples of a first CPU figure in one exec.  Its
 * answer is two answers, one after the other (cgroupstat_answer_len). */
#define CGROUPSTAT_TWICE_GAP_MS 1000
const char *cgroupstat_command_twice(enum cgroupstat_layout l);
/* The length of the first answer in out[0..len): up to and with its end
 * marker's line; 0 when there is no end marker. */
size_t cgroupstat_answer_len(const char *out, size_t len);

/* The same answer for this machine, the files read here under root (for
 * tests; "/sys/fs/cgroup" normally) with uptime_path ("/proc/uptime"). */
void cgroupstat_read_local(enum cgroupstat_layout l, const char *root, const char *uptime_path,
                           struct buf *out);
/* The same for the containers of ids[0..n) only (sorted by strcmp; full
 * 64-hex ids): the other containers' files are not opened. */
void cgroupstat_read_local_some(enum cgroupstat_layout l, const char *root, const char *uptime_path,
                                const char *const *ids, size_t n, struct buf *out);

void cgroupstat_init(struct cgroupstat *c);
void cgroupstat_done(struct cgroupstat *c);   /* frees, and leaves it init'ed */

/* Parses len bytes of the answer (not NUL-terminated) into *c (what it held
 * is freed first).  0, or -1 with *cause when it is not the command's answer
 * or is cut short. */
int cgroupstat_parse(const char *out, size_t len, struct cgroupstat *c, char **cause);

/* The sample of container id (full), or NULL. */
const struct cgroupstat_sample *cgroupstat_find(const struct cgroupstat *c, const char *id);
/* Whether c holds one of the n ids (an engine's running containers): a read
 * that holds none is another machine's files (an engine in a VM behind a
 * local socket).  True when n is 0: nothing to tell. */
bool cgroupstat_holds_any(const struct cgroupstat *c, const char *const *ids, size_t n);
/* Adds to c older's samples of the containers c has none of (a read of
 * some containers over the last of all), kept sorted. */
void cgroupstat_merge_older(struct cgroupstat *c, const struct cgroupstat *older);

/* Memory as docker stats shows it: usage - inactive (usage alone when the
 * inactive figure is unknown or larger); -1 unknown. */
int64_t cgroupstat_mem_bytes(const struct cgroupstat_sample *s);

/* CPU % (100 = one core) between two samples of one container dt_s seconds
 * apart; -1 when unknown (no usage, dt_s <= 0, or the usage went down: a
 * new cgroup under the same id). */
double cgroupstat_cpu_pct(const struct cgroupstat_sample *prev, const struct cgroupstat_sample *cur,
                          double dt_s);

#endif
