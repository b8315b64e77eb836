/* Fuzz target for backends/hostproc: the parser of the one command's answer
 * that carries a remote host's /proc files and statfs over SSH, then the
 * sampler on what it parsed (the whole input, then its two halves as two
 * readings a second apart, so that rates are computed too). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/hostproc.h"
#include "backends/localhost.h"
#include "backends/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_metrics(const struct metrics *m)
{
	static const int pct[] = { METRICS_CPU, METRICS_MEM, METRICS_DISK };

	if (m->origin != METRICS_FROM_SSH)
		abort();
	for (int f = 0; f < METRICS_NFIGURES; f++)
		if (m->valid[f] == (m->error[f] != NULL))
			abort();   /* a figure is valid or says why not, never both */
	for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
		double v = pct[i] == METRICS_CPU ? m->cpu_pct : pct[i] == METRICS_MEM ? m->mem_pct :
		           m->disk_pct;

		if (m->valid[pct[i]] && !(v >= 0.0 && v <= 100.0))
			abort();
	}
	if (m->valid[METRICS_NET] && !(m->net_rx_bps >= 0.0 && m->net_tx_bps >= 0.0))
		abort();
}

/* Parses data[0..size) and, when it is whole, samples it at mono_ms. */
static void one(struct localhost *lh, const uint8_t *data, size_t size, int64_t mono_ms)
{
	struct hostproc hp;
	struct localhost_texts t;
	struct metrics m;
	char *cause = NULL;
	int r;

	hostproc_init(&hp);
	r = hostproc_parse((const char *)data, size, &hp, &cause);
	if ((r == 0) != (cause == NULL))
		abort();
	free(cause);
	if (r == 0) {
		hostproc_texts(&hp, &t);
		if (t.have_disk && t.disk_error != NULL)
			abort();
		metrics_init(&m);
		localhost_sample_texts(lh, &t, mono_ms, &m);
		check_metrics(&m);
		metrics_done(&m);
	}
	hostproc_done(&hp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct localhost *lh = localhost_new("/nonexistent", "/");

	one(lh, data, size, 1000);
	localhost_free(lh);
	lh = localhost_new("/nonexistent", "/");
	one(lh, data, size / 2, 1000);
	one(lh, data + size / 2, size - size / 2, 2000);
	localhost_free(lh);
	return 0;
}
