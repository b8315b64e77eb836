/* snapshot — see snapshot.h for the locking. */
#include "core/base/snapshot.h"

#include <stdlib.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

static struct snapshot *snapshot_alloc(void)
{
	struct snapshot *s = xcalloc(1, sizeof *s);

	atomic_init(&s->refs, 1);
	return s;
}

struct snapshot *snapshot_new_value(void *value, snapshot_free_fn free_value)
{
	struct snapshot *s = snapshot_alloc();

	s->value = value;
	s->free_value = free_value;
	return s;
}

struct snapshot *snapshot_new_error(const char *error, struct snapshot *last_good)
{
	struct snapshot *s = snapshot_alloc();

	s->error = xstrdup(error != NULL ? error : "failed");
	s->last_good = snapshot_ref(last_good);
	if (last_good != NULL)
		s->last_ok_ms = last_good->last_ok_ms;
	return s;
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	if (s != NULL)
		atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	if (s == NULL)
		return;
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	if (s->value != NULL && s->free_value != NULL)
		s->free_value(s->value);
	snapshot_unref(s->last_good);
	free(s->error);
	free(s);
}

const void *snapshot_value(const struct snapshot *s, bool *stale)
{
	if (stale != NULL)
		*stale = false;
	if (s == NULL)
		return NULL;
	if (s->error == NULL)
		return s->value;
	if (s->last_good == NULL)
		return NULL;
	if (stale != NULL)
		*stale = true;
	return s->last_good->value;
}

void snapshot_slot_init(struct snapshot_slot *slot)
{
	pthread_mutex_init(&slot->lock, NULL);
	slot->cur = NULL;
	slot->seq = 0;
}

void snapshot_slot_done(struct snapshot_slot *slot)
{
	snapshot_unref(slot->cur);
	slot->cur = NULL;
	pthread_mutex_destroy(&slot->lock);
}

void snapshot_slot_publish(struct snapshot_slot *slot, struct snapshot *s)
{
	struct snapshot *old;

	if (s->fetched_ms == 0)
		s->fetched_ms = time_real_ms();
	if (s->fetched_mono_ms == 0)
		s->fetched_mono_ms = time_mono_ms();
	if (s->error == NULL)
		s->last_ok_ms = s->fetched_ms;

	pthread_mutex_lock(&slot->lock);
	s->seq = ++slot->seq;
	old = slot->cur;
	slot->cur = s;
	pthread_mutex_unlock(&slot->lock);

	snapshot_unref(old);   /* outside the lock: may free a large value */
}

struct snapshot *snapshot_slot_get(struct snapshot_slot *slot)
{
	struct snapshot *s;

	pthread_mutex_lock(&slot->lock);
	s = snapshot_ref(slot->cur);
	pthread_mutex_unlock(&slot->lock);
	return s;
}

uint64_t snapshot_slot_seq(struct snapshot_slot *slot)
{
	uint64_t seq;

	pthread_mutex_lock(&slot->lock);
	seq = slot->seq;
	pthread_mutex_unlock(&slot->lock);
	return seq;
}
