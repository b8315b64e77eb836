/* metrics — one host's machine figures, whatever produced them (/proc on this
 * machine, a remote host's /proc read over SSH, or Prometheus'
 * node-exporter series).
 *
 * A plain value type.  Each figure is valid on its own: a /proc file that is
 * missing or malformed invalidates only the figures that come from it, and
 * its error text says why (the rest of the struct still works).  The error
 * strings are owned by the struct: metrics_done() frees them. */
#ifndef KITETOP_BACKENDS_METRICS_H
#define KITETOP_BACKENDS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum metrics_figure {
	METRICS_CPU,       /* busy %, 0..100, over the last interval */
	METRICS_MEM,       /* used % (MemTotal - MemAvailable) / MemTotal */
	METRICS_DISK,      /* root filesystem used %, as df computes it */
	METRICS_NET,       /* rx and tx bytes/s, all non-loopback interfaces */
	METRICS_LOAD,      /* load1 */
	METRICS_UPTIME,    /* seconds */
	METRICS_NFIGURES
};

/* PROC: this machine's /proc; SSH: a remote host's /proc, read over its SSH
 * session; PROMETHEUS: node-exporter's series. */
enum metrics_origin { METRICS_FROM_PROC, METRICS_FROM_PROMETHEUS, METRICS_FROM_SSH };

/* The recent past of the figures drawn as sparklines (Prometheus' query_range
 * over the last minutes), to prefill them: n samples each, oldest first, one
 * every step_ms from start_ms; NAN where Prometheus had no sample. */
struct metrics_history {
	int64_t start_ms, step_ms;
	size_t n;
	double *cpu, *mem, *net;   /* net: rx + tx bytes/s */
};

struct metrics {
	enum metrics_origin origin;
	double cpu_pct;
	double mem_pct;
	double disk_pct;
	double net_rx_bps;
	double net_tx_bps;
	double load1;
	double uptime_s;
	bool valid[METRICS_NFIGURES];
	char *error[METRICS_NFIGURES];   /* NULL, or why that figure is missing */
	struct metrics_history *history; /* owned; set only on the first sample
	                                  * of a source that has a past, else NULL */
};

static inline void metrics_init(struct metrics *m)
{
	*m = (struct metrics){ 0 };
}

void metrics_done(struct metrics *m);
/* n samples of each figure, all NAN.  Caller frees with metrics_history_free. */
struct metrics_history *metrics_history_new(size_t n, int64_t start_ms, int64_t step_ms);
void metrics_history_free(struct metrics_history *h);   /* NULL-safe */
/* Deep copy (error strings and history duplicated). */
void metrics_copy(struct metrics *dst, const struct metrics *src);
/* Marks figure f invalid with a printf-style reason (replaces any previous). */
void metrics_set_error(struct metrics *m, enum metrics_figure f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "cpu", "mem", "disk", "net", "load", "uptime" */
const char *metrics_figure_name(enum metrics_figure f);

#endif
