/* prometheus — the Prometheus HTTP API (/api/v1/query, /api/v1/query_range)
 * and the node-exporter figures of one host.
 *
 * The decoder is pure (cJSON): it turns an answer body into a struct
 * prom_result, or an error in words ("prometheus: bad_data: invalid parameter
 * \"query\": 1:7: parse error: unclosed left parenthesis",
 * "prometheus: not JSON (HTML page?)", "prometheus: over 10000 series").
 * Memory is bounded: at most PROM_MAX_SERIES series of at most PROM_MAX_POINTS
 * points each (more is an error stating the cap), on top of the HTTP layer's
 * response size cap.
 *
 * The client functions do one request each through a caller's struct
 * http_client (so they run on the caller's thread and honour its cancel flag).
 * Sample values are doubles from Prometheus' strings: "NaN", "+Inf" and
 * "-Inf" come out as NAN, INFINITY and -INFINITY. */
#ifndef KITETOP_BACKENDS_PROMETHEUS_H
#define KITETOP_BACKENDS_PROMETHEUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/http.h"
#include "backends/metrics.h"

#define PROM_MAX_SERIES 10000
#define PROM_MAX_POINTS 11000   /* Prometheus' own query_range limit */
#define PROM_MAX_WARNINGS 100   /* further warnings are dropped */
#define PROM_POST_OVER 2000     /* escaped queries longer than this go by POST */

enum prom_type { PROM_VECTOR, PROM_MATRIX, PROM_SCALAR, PROM_STRING };

struct prom_point {
	int64_t t_ms;
	double value;
};

struct prom_series {
	char **keys;                 /* label names, in the answer's order */
	char **values;               /* label values, same index */
	size_t nlabels;
	struct prom_point *points;   /* vector: exactly 1; matrix: 0.. in time order */
	size_t npoints;
};

struct prom_result {
	enum prom_type type;
	struct prom_series *series;  /* vector and matrix */
	size_t n;
	double scalar;               /* scalar (and the t of scalar/string in t_ms) */
	int64_t t_ms;
	char *string;                /* string result, else NULL */
	char **warnings;
	size_t nwarnings;
};

/* Where Prometheus is and how to reach it.  Every pointer is borrowed. */
struct prom_client {
	struct http_client *http;    /* required */
	const char *base_url;        /* "http://127.0.0.2:9090" (a path prefix is kept) */
	const char *unix_socket;     /* an SSH tunnel's socket, or NULL = TCP */
	const char *bearer_token;    /* or NULL */
	const char *basic_user;      /* with basic_password, or NULL */
	const char *basic_password;
	const char *ca_file;         /* TLS options, NULL = defaults */
	const char *cert_file;
	const char *key_file;
	bool insecure;
	long timeout_ms;             /* 0 = HTTP_DEFAULT_TIMEOUT_MS */
};

void prom_result_init(struct prom_result *r);
/* Frees everything r owns and leaves it as after prom_result_init(). */
void prom_result_done(struct prom_result *r);

/* Decodes a query or query_range answer body (len bytes, need not be
 * NUL-terminated).  Returns 0 with *out filled (out is reset first), or -1
 * with *cause set (caller frees) and *out empty.  Never keeps a pointer into
 * body. */
int prom_decode(const char *body, size_t len, struct prom_result *out, char **cause);

/* The value of label key of s, or NULL.  Borrowed from s. */
const char *prom_label(const struct prom_series *s, const char *key);

/* Instant query at at_ms (Unix ms), or at Prometheus' "now" when at_ms is 0.
 * Returns 0 with *out filled, or -1 with *cause (caller frees): a transport
 * failure, an HTTP error or Prometheus' error envelope, in words. */
int prom_query(const struct prom_client *c, const char *promql, int64_t at_ms,
               struct prom_result *out, char **cause);

/* Range query over [start_ms, end_ms] every step_ms (> 0). */
int prom_query_range(const struct prom_client *c, const char *promql, int64_t start_ms,
                     int64_t end_ms, int64_t step_ms, struct prom_result *out, char **cause);

/* The standard node-exporter queries of one host. */
enum prom_host_query {
	PROM_HQ_CPU,       /* busy %: 100 * (1 - avg(rate(idle cpu seconds [1m]))) */
	PROM_HQ_MEM,       /* used %: 100 * (1 - MemAvailable / MemTotal) */
	PROM_HQ_DISK,      /* "/" used % as df: (size - free) / (size - free + avail) */
	PROM_HQ_NET_RX,    /* bytes/s, sum over device !~ "lo" */
	PROM_HQ_NET_TX,
	PROM_HQ_LOAD,      /* node_load1 */
	PROM_HQ_UPTIME,    /* time() - node_boot_time_seconds */
	PROM_HQ_UP,        /* up */
	PROM_HQ_N
};

/* The PromQL of q for a host's selector: label matchers such as
 * `instance="127.0.0.2:9100"` (surrounding braces allowed, "" or NULL = none).
 * Pure.  Caller frees. */
char *prom_host_query(enum prom_host_query q, const char *selector);

#define PROM_HQ_ALL ((1u << PROM_HQ_N) - 1)
#define PROM_FIG_LABEL "kitetop_figure"   /* the label naming a figure in a combined answer */

/* One PromQL expression for the figures in mask (bits 1u << q): each figure's
 * own query labelled PROM_FIG_LABEL="cpu", "mem", "disk", "rx", "tx", "load",
 * "uptime" or "up" by label_replace, joined with `or`, so that one request
 * answers them all and each figure is still told apart.  Pure.  Caller frees. */
char *prom_host_query_all(const char *selector, unsigned mask);

/* Fills *out (metrics_init'ed by the caller; origin set to
 * METRICS_FROM_PROMETHEUS) with the host's figures: one request (the
 * combined query of every figure), evaluated at at_ms (0 = Prometheus' now).  Each figure is valid on its own: one
 * whose query has no series gets its own error ("no data: ... has no
 * series"), and when up == 0 every figure says "node-exporter down (up == 0)".
 * Returns 0, or -1 with *cause when Prometheus itself failed (unreachable,
 * HTTP or query error on `up`); every figure then carries that error too. */
int prom_host_metrics_at(const struct prom_client *c, const char *selector, int64_t at_ms,
                         struct metrics *out, char **cause);
int prom_host_metrics(const struct prom_client *c, const char *selector,
                      struct metrics *out, char **cause);

/* The CPU, memory and network (rx + tx) history of a host over
 * [start_ms, end_ms] every step_ms: one query_range of the combined query.
 * 0 and *out (caller frees with metrics_history_free; NAN where Prometheus
 * had no sample), or -1 and *cause. */
int prom_host_history(const struct prom_client *c, const char *selector, int64_t start_ms,
                      int64_t end_ms, int64_t step_ms, struct metrics_history **out,
                      char **cause);
/* Pure: puts the samples of a combined query_range answer r into h (its n,
 * start_ms and step_ms say where: each sample goes to the nearest step).
 * Returns how many samples it placed. */
int prom_host_history_fill(const struct prom_result *r, struct metrics_history *h);

#endif
