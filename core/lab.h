/* lab — the model kitetop watches: the configured hosts, services and shared
 * endpoints, and the sources (core/source.h) that poll them.
 *
 * The lab owns its sources; the configuration is borrowed and must outlive
 * the lab.  lab_start() starts every source thread; lab_stop() stops them all
 * and joins them within LAB_STOP_MS in total, however they are stuck.
 *
 * Thread use: lab_new/_start/_stop/_free and the control calls (refresh,
 * pause) are for the UI (or CLI) thread.  The struct fields below are set by
 * lab_new and never change afterwards, so any thread may read them; the data
 * itself is read only through source_get() snapshots. */
#ifndef KITETOP_CORE_LAB_H
#define KITETOP_CORE_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/source.h"
#include "core/wake.h"

#define LAB_STOP_MS 1000

struct lab_host {
	const struct config_host *cfg;
	const char *name;
	bool local;                 /* no ssh: this machine */
	struct source *metrics;     /* value: struct metrics; NULL when none yet */
};

struct lab {
	const struct config *cfg;
	struct lab_host *hosts;
	size_t nhosts;
	struct source **sources;    /* every source, for start/stop/refresh */
	size_t nsources;
	struct wake *wake;          /* borrowed */
};

/* wake (borrowed, may be NULL) is signalled on every new snapshot. */
struct lab *lab_new(const struct config *cfg, struct wake *wake);
int lab_start(struct lab *lab, char **cause);
/* Stops and joins every source; false when one did not end in time. */
bool lab_stop(struct lab *lab);
void lab_free(struct lab *lab);

/* Waits until every source published once or deadline (time_mono_ms) passed.
 * true when all did. */
bool lab_wait_all(struct lab *lab, int64_t deadline_mono_ms);
void lab_refresh_now(struct lab *lab);
void lab_set_paused(struct lab *lab, bool paused);
/* The sum of every source's seq: changes whenever any snapshot does. */
uint64_t lab_generation(struct lab *lab);

#endif
