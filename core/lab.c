/* lab — see lab.h. */
#include "core/lab.h"

#include <stdlib.h>

#include "backends/localhost.h"
#include "core/metrics.h"
#include "core/timeutil.h"
#include "core/util.h"

/* A first sample is taken when the thread starts and the first poll waits
 * this long, so that the first published CPU and network figures are rates
 * over a real interval and `kitetop status` has them. */
#define LAB_PROC_BASELINE_MS 250

static void *proc_thread_init(void *arg, const atomic_int *cancel)
{
	struct localhost *lh = localhost_new("/proc", "/");
	struct metrics m;

	metrics_init(&m);
	localhost_sample(lh, &m);   /* the baseline for rates */
	metrics_done(&m);
	return lh;
}

static int proc_poll(void *state, void **value, char **cause)
{
	struct metrics *m = xmalloc(sizeof *m);

	metrics_init(m);
	localhost_sample(state, m);
	*value = m;
	return 0;   /* figures that failed carry their own errors */
}

static void proc_thread_done(void *state)
{
	localhost_free(state);
}

static void metrics_free_value(void *v)
{
	metrics_done(v);
	free(v);
}

static const struct source_ops proc_source_ops = {
	.kind = "metrics",
	.thread_init = proc_thread_init,
	.poll = proc_poll,
	.thread_done = proc_thread_done,
	.free_value = metrics_free_value,
};

static void lab_add_source(struct lab *lab, struct source *s)
{
	lab->sources = xreallocarray(lab->sources, lab->nsources + 1, sizeof *lab->sources);
	lab->sources[lab->nsources++] = s;
}

struct lab *lab_new(const struct config *cfg, struct wake *wake)
{
	struct lab *lab = xcalloc(1, sizeof *lab);

	lab->cfg = cfg;
	lab->wake = wake;
	lab->nhosts = cfg->nhosts;
	lab->hosts = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *lab->hosts);
	for (size_t i = 0; i < cfg->nhosts; i++) {
		struct lab_host *h = &lab->hosts[i];

		h->cfg = &cfg->hosts[i];
		h->name = h->cfg->name;
		h->local = h->cfg->ssh == NULL;
		if (h->local) {
			char *name = xasprintf("%s/metrics", h->name);
			struct source_params p = {
				.name = name,
				.interval_ms = cfg->refresh_ms,
				.first_delay_ms = LAB_PROC_BASELINE_MS,
			};

			h->metrics = source_new(&p, &proc_source_ops, NULL, wake);
			lab_add_source(lab, h->metrics);
			free(name);
		}
	}
	return lab;
}

int lab_start(struct lab *lab, char **cause)
{
	for (size_t i = 0; i < lab->nsources; i++)
		if (source_start(lab->sources[i], cause) == -1)
			return -1;
	return 0;
}

bool lab_stop(struct lab *lab)
{
	int64_t deadline = time_mono_ms() + LAB_STOP_MS;
	bool all = true;

	for (size_t i = 0; i < lab->nsources; i++)
		source_stop(lab->sources[i]);
	for (size_t i = 0; i < lab->nsources; i++)
		if (source_join(lab->sources[i], deadline) == -1)
			all = false;
	return all;
}

void lab_free(struct lab *lab)
{
	if (lab == NULL)
		return;
	lab_stop(lab);
	for (size_t i = 0; i < lab->nsources; i++)
		source_free(lab->sources[i]);
	free(lab->sources);
	free(lab->hosts);
	free(lab);
}

bool lab_wait_all(struct lab *lab, int64_t deadline_mono_ms)
{
	for (;;) {
		size_t have = 0;

		for (size_t i = 0; i < lab->nsources; i++)
			if (source_seq(lab->sources[i]) > 0)
				have++;
		if (have == lab->nsources)
			return true;
		if (time_mono_ms() >= deadline_mono_ms)
			return false;
		time_sleep_ms(10);
	}
}

void lab_refresh_now(struct lab *lab)
{
	for (size_t i = 0; i < lab->nsources; i++)
		source_refresh_now(lab->sources[i]);
}

void lab_set_paused(struct lab *lab, bool paused)
{
	for (size_t i = 0; i < lab->nsources; i++)
		source_set_paused(lab->sources[i], paused);
}

uint64_t lab_generation(struct lab *lab)
{
	uint64_t g = 0;

	for (size_t i = 0; i < lab->nsources; i++)
		g += source_seq(lab->sources[i]);
	return g;
}
