/* Fuzz target of core/panels: the input is a Prometheus answer body (as
 * prom_decode takes it; after the first line when there is one) whose series go through panels_build as a per_host
 * panel's would (host attribution by selector, labels, the cap), and, up to
 * its first newline, a host selector for panels_substitute and
 * panels_match_host (a configuration's prom_selector).  Every kept string is
 * touched so that a bad pointer or length shows under ASan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/feeds/panels.h"
#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	char *sel = xstrndup((const char *)data, nl != NULL ? (size_t)(nl - (const char *)data) : size);
	const char *names[] = { "monk", "kscloud1", "fuzz" };
	const char *sels[] = { "instance=\"127.0.0.2:9100\"", "{job=\"node\", host=\"kscloud1\"}", sel };
	struct panels_hosts hosts = { names, sels, 3 };
	struct config_panel cfg = { .title = (char *)"fuzz", .per_host = true };
	struct panel_data pd = { .cfg = &cfg };
	struct panels_input *in;
	struct prom_result r;
	char *cause = NULL, *q;
	size_t total = 0;

	q = panels_substitute("rate(x{mode=\"idle\",{host_selector}}[1m]) / y{host_selector}", sel);
	total += strlen(q);
	free(q);
	prom_result_init(&r);
	/* the answer: after the selector's line, or the whole input */
	if (nl != NULL && prom_decode(nl + 1, size - (size_t)(nl + 1 - (const char *)data), &r,
	                              &cause) != 0) {
		free(cause);
		free(sel);
		return 0;
	}
	if (nl == NULL && prom_decode((const char *)data, size, &r, &cause) != 0) {
		free(cause);
		free(sel);
		return 0;
	}
	in = xcalloc(r.n + 1, sizeof *in);
	for (size_t i = 0; i < r.n; i++) {
		in[i] = (struct panels_input){ .s = &r.series[i], .host = -1 };
		if (panels_match_host(&r.series[i], &hosts) >= 3)
			abort();
	}
	panels_build(&pd, in, r.n, &hosts);
	if (pd.n > PANELS_MAX_SERIES || pd.n > pd.total || pd.total > r.n)
		abort();
	for (size_t i = 0; i < pd.n; i++) {
		if (pd.series[i].host < -1 || pd.series[i].host >= 3)
			abort();
		total += strlen(pd.series[i].label) + strlen(pd.series[i].key);
	}
	panel_data_done(&pd);
	free(in);
	prom_result_done(&r);
	free(sel);
	sink = total;
	return 0;
}
