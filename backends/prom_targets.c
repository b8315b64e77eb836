/* prom_targets — see prom_targets.h. */
#include "backends/prom_targets.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/util.h"

#define PROM_TARGETS_NO_TARGET "no scrape target"

struct prom_target {
	const char *instance, *job;
};

static int prom_target_cmp(const void *a, const void *b)
{
	const struct prom_target *x = a, *y = b;
	int c = strcmp(x->instance, y->instance);

	return c != 0 ? c : strcmp(x->job, y->job);
}

char *prom_targets_words(const struct prom_result *r, size_t max)
{
	struct prom_target *t;
	size_t n = 0, shown = 0, distinct = 0;
	struct buf b;

	if (r->type != PROM_VECTOR || r->n == 0)
		return NULL;
	t = xcalloc(r->n, sizeof *t);
	for (size_t i = 0; i < r->n; i++) {
		const char *inst = prom_label(&r->series[i], "instance");
		const char *job = prom_label(&r->series[i], "job");

		if (inst != NULL)
			t[n++] = (struct prom_target){ inst, job != NULL ? job : "" };
	}
	if (n == 0) {
		free(t);
		return NULL;
	}
	qsort(t, n, sizeof *t, prom_target_cmp);
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && prom_target_cmp(&t[i], &t[i - 1]) == 0)
			continue;
		distinct++;
		if (shown == max)
			continue;
		shown++;
		buf_printf(&b, "%sinstance=\"%s\"", shown > 1 ? ", " : "", t[i].instance);
		if (t[i].job[0] != '\0')
			buf_printf(&b, " (%s)", t[i].job);
	}
	if (distinct > shown)
		buf_printf(&b, ", \xe2\x80\xa6 (%zu more)", distinct - shown);
	free(t);
	return buf_steal(&b);
}

bool prom_targets_wanted(const struct metrics *m)
{
	for (int f = 0; f < METRICS_NFIGURES; f++)
		if (m->valid[f] || m->error[f] == NULL ||
		    strncmp(m->error[f], PROM_TARGETS_NO_TARGET, strlen(PROM_TARGETS_NO_TARGET)) != 0)
			return false;
	return true;
}

int prom_targets_query(const struct prom_client *c, char **words, char **cause)
{
	struct prom_result r;

	prom_result_init(&r);
	if (prom_query(c, "up", 0, &r, cause) != 0) {
		prom_result_done(&r);
		return -1;
	}
	*words = prom_targets_words(&r, PROM_TARGETS_MAX);
	if (*words == NULL)
		*words = xstrdup("no target");
	prom_result_done(&r);
	return 0;
}

void prom_targets_add(struct metrics *m, const char *words)
{
	for (int f = 0; f < METRICS_NFIGURES; f++) {
		char *was;

		if (m->error[f] == NULL)
			continue;
		was = xstrdup(m->error[f]);
		metrics_set_error(m, (enum metrics_figure)f, "%s; Prometheus has %s", was, words);
		free(was);
	}
}
