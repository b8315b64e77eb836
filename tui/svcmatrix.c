/* svcmatrix — see svcmatrix.h. */
#include "tui/svcmatrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/model/verdict.h"

void svcmatrix_window(size_t nh, int avail, size_t *first, struct svcmatrix_window *w)
{
	size_t fit, narrow;

	memset(w, 0, sizeof *w);
	if (nh == 0 || avail <= 0) {
		*first = 0;
		return;
	}
	fit = (size_t)(avail / SVCMATRIX_CELL_MIN);
	/* two narrow cells (the state only) rather than one full one */
	narrow = (size_t)(avail / SVCMATRIX_CELL_NARROW);
	if (narrow > 2)
		narrow = 2;
	if (narrow > nh)
		narrow = nh;
	if (fit < narrow)
		fit = narrow;
	if (fit < 1)
		fit = 1;
	if (fit >= nh) {
		fit = nh;
		*first = 0;
	} else if (*first > nh - fit) {
		*first = nh - fit;
	}
	w->first = *first;
	w->count = fit;
	w->cellw = avail / (int)fit;
	w->left = w->first;
	w->right = nh - w->first - w->count;
}

void svcmatrix_mark(char *out, size_t n, const struct svcmatrix_window *w, bool utf8)
{
	char l[32] = "", r[32] = "";

	if (w->left > 0)
		snprintf(l, sizeof l, "%s %zu more", utf8 ? "\xe2\x97\x82" : "<", w->left);   /* ◂ */
	if (w->right > 0)
		snprintf(r, sizeof r, "%zu more %s", w->right, utf8 ? "\xe2\x96\xb8" : ">");  /* ▸ */
	snprintf(out, n, "%s%s%s", l, l[0] != '\0' && r[0] != '\0' ? (utf8 ? " \xc2\xb7 " : " | ") : "", r);
}

/* Folds one host's container (NULL: missing there) into out; *worst is the
 * worst severity so far (-1: none). */
static void svcmatrix_fold_one(const struct docker_container *dc, struct docker_container *out, int *worst)
{
	struct docker_container missing = { .name = out->name, .state = DOCKER_STATE_MISSING, .exit_code = -1 };
	int sev;

	if (dc == NULL)
		dc = &missing;
	sev = verdict_container_severity(dc);
	if (sev > *worst) {
		*worst = sev;
		out->state = dc->state;
		out->health = dc->health;
		out->exit_code = dc->exit_code;
	}
	if (dc->cpu_pct >= 0)
		out->cpu_pct = (out->cpu_pct < 0 ? 0 : out->cpu_pct) + dc->cpu_pct;
	if (dc->mem_bytes >= 0)
		out->mem_bytes = (out->mem_bytes < 0 ? 0 : out->mem_bytes) + dc->mem_bytes;
	if (dc->restarts >= 0 && dc->state != DOCKER_STATE_MISSING)
		out->restarts = (out->restarts < 0 ? 0 : out->restarts) + dc->restarts;
	if (dc->state == DOCKER_STATE_RUNNING && dc->started_at_ms > out->started_at_ms)
		out->started_at_ms = dc->started_at_ms;
}

static void svcmatrix_fold_init(const char *name, struct docker_container *out)
{
	memset(out, 0, sizeof *out);
	out->name = (char *)(uintptr_t)name;
	out->state = DOCKER_STATE_MISSING;
	out->restarts = -1;
	out->exit_code = -1;
	out->cpu_pct = -1;
	out->mem_bytes = -1;
	out->mem_limit_bytes = -1;
}

void svcmatrix_fold(const struct frame *f, const char *container, const char *name,
                    struct docker_container *out)
{
	int worst = -1;

	svcmatrix_fold_init(name, out);
	for (size_t h = 0; h < f->nhosts; h++) {
		if (!f->hosts[h].docker.feed.configured || f->hosts[h].docker.feed.error != NULL)
			continue;
		svcmatrix_fold_one(frame_host_container(&f->hosts[h], container), out, &worst);
	}
}

void svcmatrix_fold_hosts(const struct docker_container *const *dc, size_t nh, const char *name,
                          struct docker_container *out)
{
	int worst = -1;

	svcmatrix_fold_init(name, out);
	for (size_t h = 0; h < nh; h++)
		if (dc[h] != NULL)
			svcmatrix_fold_one(dc[h], out, &worst);
}

void svcmatrix_sort(size_t *idx, const struct docker_container *folded, size_t n, enum rows_order order)
{
	const struct docker_container **v = xcalloc(n + 1, sizeof *v);
	size_t *out = xcalloc(n + 1, sizeof *out);

	for (size_t i = 0; i < n; i++)
		v[i] = &folded[i];
	rows_sort_containers_by(v, n, order);
	for (size_t i = 0; i < n; i++)
		out[i] = idx[v[i] - folded];
	memcpy(idx, out, n * sizeof *idx);
	free(out);
	free(v);
}
