/* prom_targets — what Prometheus does scrape, for the error of a host whose
 * prom_selector matches no target: the instances of `up`, so that the
 * reader sees the selector to write instead of guessing. */
#ifndef KITETOP_BACKENDS_PROM_TARGETS_H
#define KITETOP_BACKENDS_PROM_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/metrics.h"
#include "backends/prometheus.h"

#define PROM_TARGETS_MAX 8   /* instances named before "…" */

/* Pure: the distinct instance labels of the series of r (an answer to `up`),
 * sorted, each with its job: `instance="127.0.0.2:9100" (node),
 * instance="127.0.0.3:9100" (node)`, at most max of them and then "… (N
 * more)".  NULL when r names no instance.  Caller frees. */
char *prom_targets_words(const struct prom_result *r, size_t max);

/* Whether every figure of m says "no scrape target": prom_host_metrics'
 * answer to a selector that matches nothing. */
bool prom_targets_wanted(const struct metrics *m);

/* Asks Prometheus for `up`: 0 and *words (prom_targets_words', or "no
 * target" when it names none; caller frees), or -1 and *cause.  Blocking,
 * bounded by c's timeout. */
int prom_targets_query(const struct prom_client *c, char **words, char **cause);

/* Adds "; Prometheus has WORDS" to each figure's error of m. */
void prom_targets_add(struct metrics *m, const char *words);

#endif
