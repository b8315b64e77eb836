/* interest — see interest.h. */
#include "core/base/interest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

struct interest {
	pthread_mutex_t mu;
	char **ids;                 /* sorted, unique */
	size_t n;
	uint64_t gen;               /* 0: never published */
	bool all;                   /* every id (interest_publish_all) */
};

struct interest *interest_new(void)
{
	struct interest *in = xcalloc(1, sizeof *in);

	pthread_mutex_init(&in->mu, NULL);
	return in;
}

static void ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

void interest_free(struct interest *in)
{
	if (in == NULL)
		return;
	ids_free(in->ids, in->n);
	pthread_mutex_destroy(&in->mu);
	free(in);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The set is now ids[0..n) (taken), or every id: a new generation. */
static void interest_set(struct interest *in, char **ids, size_t n, bool all)
{
	char **old;
	size_t nold;

	pthread_mutex_lock(&in->mu);
	old = in->ids;
	nold = in->n;
	in->ids = ids;
	in->n = n;
	in->all = all;
	in->gen++;
	pthread_mutex_unlock(&in->mu);
	ids_free(old, nold);
}

void interest_publish(struct interest *in, const char *const *ids, size_t n)
{
	const char **v;
	size_t k = 0;
	bool same;

	if (in == NULL)
		return;
	v = xreallocarray(NULL, n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		if (ids[i] != NULL)
			v[k++] = ids[i];
	qsort(v, k, sizeof *v, cmp_str);
	n = 0;
	for (size_t i = 0; i < k; i++)   /* unique */
		if (n == 0 || strcmp(v[n - 1], v[i]) != 0)
			v[n++] = v[i];
	/* only this thread writes: the set can be compared without the lock */
	same = in->gen != 0 && !in->all && n == in->n;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(v[i], in->ids[i]) == 0;
	if (!same) {
		char **copy = xreallocarray(NULL, n + 1, sizeof *copy);

		for (size_t i = 0; i < n; i++)
			copy[i] = xstrdup(v[i]);
		interest_set(in, copy, n, false);
	}
	free(v);
}

void interest_publish_all(struct interest *in)
{
	if (in == NULL || (in->gen != 0 && in->all))   /* only this thread writes */
		return;
	interest_set(in, NULL, 0, true);
}

bool interest_wants_all(struct interest *in)
{
	bool all;

	if (in == NULL)
		return true;
	pthread_mutex_lock(&in->mu);
	all = in->gen == 0 || in->all;
	pthread_mutex_unlock(&in->mu);
	return all;
}

bool interest_known(struct interest *in)
{
	return interest_generation(in) != 0;
}

uint64_t interest_generation(struct interest *in)
{
	uint64_t g;

	if (in == NULL)
		return 0;
	pthread_mutex_lock(&in->mu);
	g = in->gen;
	pthread_mutex_unlock(&in->mu);
	return g;
}

size_t interest_select(struct interest *in, const char *const *ids, size_t n, bool *ask)
{
	size_t k = 0;

	if (in != NULL)
		pthread_mutex_lock(&in->mu);
	for (size_t i = 0; i < n; i++) {
		ask[i] = in == NULL || in->gen == 0 || in->all ||
		         (ids[i] != NULL && in->n > 0 &&
		          bsearch(&ids[i], in->ids, in->n, sizeof *in->ids, cmp_str) != NULL);
		k += ask[i];
	}
	if (in != NULL)
		pthread_mutex_unlock(&in->mu);
	return k;
}
