/* cancel — see cancel.h. */
#include "core/base/cancel.h"

#include <pthread.h>
#include <stddef.h>

#include "core/base/util.h"

static pthread_mutex_t cancel_mu = PTHREAD_MUTEX_INITIALIZER;
static void (*cancel_wakers[CANCEL_MAX_WAKERS])(void);
static size_t cancel_nwakers;

void cancel_add_waker(void (*fn)(void))
{
	pthread_mutex_lock(&cancel_mu);
	for (size_t i = 0; i < cancel_nwakers; i++)
		if (cancel_wakers[i] == fn)
			goto out;
	if (cancel_nwakers == CANCEL_MAX_WAKERS)
		fatal("cancel: more than %d wakers", CANCEL_MAX_WAKERS);
	cancel_wakers[cancel_nwakers++] = fn;
out:
	pthread_mutex_unlock(&cancel_mu);
}

void cancel_raise(atomic_int *flag)
{
	void (*w[CANCEL_MAX_WAKERS])(void);
	size_t n;

	atomic_store(flag, 1);
	pthread_mutex_lock(&cancel_mu);
	n = cancel_nwakers;
	for (size_t i = 0; i < n; i++)
		w[i] = cancel_wakers[i];
	pthread_mutex_unlock(&cancel_mu);
	for (size_t i = 0; i < n; i++)
		w[i]();
}
