/* panels — the [panel "TITLE"] sections' figures: what the panels source
 * (core/feeds/feed_panels.c) publishes and the Metrics view (5) draws, and the pure
 * steps between a Prometheus answer and that.
 *
 * A panel's query gives any number of series; at most PANELS_MAX_SERIES are
 * kept (the rest are counted in `total`, and the view says so).  With
 * per_host = yes each series belongs to a host:
 *   - a query with {host_selector} is run once per host with a prom_selector,
 *     the placeholder replaced by that host's matchers (see
 *     panels_substitute), and its series belong to that host;
 *   - a query without it is run once, and a series belongs to the host whose
 *     prom_selector's equality matchers (instance="127.0.0.2:9100") all hold
 *     on the series' labels (how the example panels, which aggregate `by
 *     (instance)` or keep node-exporter's labels, get one row per host).
 * Series are ordered by host (configuration order, hostless last), then by
 * their labels. */
#ifndef KITETOP_CORE_FEEDS_PANELS_H
#define KITETOP_CORE_FEEDS_PANELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/prometheus.h"
#include "core/config/config.h"

#define PANELS_MAX_SERIES 16      /* series shown per panel */
#define PANELS_HISTORY 300        /* samples kept per series (10 min at 2 s) */
#define PANELS_PLACEHOLDER "{host_selector}"
#define PANELS_PANEL_LABEL "kitetop_panel"   /* which panel a series of a combined answer is for */
#define PANELS_HOST_LABEL "kitetop_host"     /* and which host's run of the query */

struct panel_series {
	char *key;                /* identity: host index and the sorted labels */
	char *label;              /* as shown: "monk", "monk mode=user", "code=502" */
	int host;                 /* index into the fleet's hosts, -1: none */
	double value;             /* the latest sample (may be NAN or ±Inf) */
	double *hist;             /* nhist samples, oldest first, the last is value */
	size_t nhist;
};

enum panels_level { PANELS_OK, PANELS_WARN, PANELS_CRIT };

struct panel_data {
	const struct config_panel *cfg;   /* borrowed from the configuration */
	char *error;              /* NULL, or why the query failed, in words */
	struct panel_series *series;
	size_t n;                 /* <= PANELS_MAX_SERIES */
	size_t total;             /* series the query gave (n of them are kept) */
};

/* The panels source's value: one entry per [panel], in configuration order. */
struct panels {
	struct panel_data *items;
	size_t n;
	int64_t at_ms;            /* when Prometheus evaluated them (wall clock) */
};

/* The hosts that series can belong to (borrowed arrays of n). */
struct panels_hosts {
	const char *const *names;
	const char *const *selectors;   /* prom_selector, or NULL */
	size_t n;
};

/* One series of an answer and the host whose run of the query gave it (-1:
 * the query ran once). */
struct panels_input {
	const struct prom_series *s;
	int host;
};

void panels_free(struct panels *p);          /* NULL-safe; frees p too */
void panel_data_done(struct panel_data *pd);

/* True when query holds PANELS_PLACEHOLDER. */
bool panels_has_placeholder(const char *query);

/* Pure: query with every {host_selector} replaced by selector's matchers
 * (surrounding braces and spaces of selector dropped).  Inside a selector
 * (the placeholder right after '{' or ',', e.g. `x{mode="idle",{host_selector}}`)
 * it becomes the bare matchers and the braces it leaves are merged; anywhere
 * else the braced selector: `node_load1{host_selector}` ->
 * `node_load1{instance="a:9100"}`.  Caller frees. */
char *panels_substitute(const char *query, const char *selector);

/* Pure: the index of the host whose prom_selector's equality matchers
 * (k="v", all of them) hold on s's labels, or -1 (none, or more than one; a
 * selector with other matchers than = never matches). */
int panels_match_host(const struct prom_series *s, const struct panels_hosts *h);

/* Pure: the host a series belongs to (its run's, else by matching when the
 * panel is per_host), and its identity: "HOST k=v k=v" (labels sorted, the
 * source's own kitetop_* labels left out), the same in instant and range
 * answers. */
int panels_series_host(const struct panels_input *in, const struct config_panel *cfg,
                       const struct panels_hosts *h);
char *panels_series_key(const struct panels_input *in, const struct config_panel *cfg,
                        const struct panels_hosts *h);   /* caller frees */

/* Pure: fills pd (panel_data_done'd first; cfg kept) from the n series of
 * one answer: host attribution (per_host), order, the cap, the labels to show
 * and each series' latest value (hist left empty).  A series with no sample
 * is skipped. */
void panels_build(struct panel_data *pd, const struct panels_input *in, size_t n,
                  const struct panels_hosts *h);

/* Pure: where v stands against the panel's warn/crit.  Higher is worse,
 * unless both are set and crit < warn (then lower is worse).  NAN: OK. */
enum panels_level panels_level(const struct config_panel *cfg, double v);

/* Pure: v in the panel's unit: bytes "1.5 GiB", percent "12.3%", seconds
 * "250 ms" / "4.2 s" / "3m 10s", plain "3.18" / "12.3k" / "4.5M"; NaN and
 * infinities as "NaN", "+Inf", "-Inf". */
void panels_format_value(char *out, size_t n, enum config_unit unit, double v);

#endif
