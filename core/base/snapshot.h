/* snapshot — an immutable, reference-counted result of one poll, and the slot
 * through which a producer thread hands the latest one to readers.
 *
 * A snapshot holds either a value (owned, freed by the free function given at
 * creation when the last reference goes) or an error text, with the time it
 * was fetched and the time of the last success.  A failed snapshot keeps a
 * reference to the last good one (last_good), so that the UI can show the
 * old figures dimmed next to the error without passing them off as fresh.
 * Once published, nothing in a snapshot changes: readers need no lock.
 *
 * Locking: a struct snapshot_slot has one mutex, held only for the pointer
 * swap in snapshot_slot_publish() and for taking a reference in
 * snapshot_slot_get() (a few instructions; never while allocating, freeing or
 * doing I/O).  Reference counts are atomic, so references may be dropped on
 * any thread; the value is freed on whichever thread drops the last one.
 * The free function must therefore be thread-agnostic. */
#ifndef KITETOP_CORE_BASE_SNAPSHOT_H
#define KITETOP_CORE_BASE_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*snapshot_free_fn)(void *value);

struct snapshot {
	atomic_int refs;             /* private: use snapshot_ref/_unref */
	void *value;                 /* NULL when error is set */
	snapshot_free_fn free_value;
	char *error;                 /* NULL on success; words for a person */
	int64_t fetched_ms;          /* wall clock when the poll ended */
	int64_t fetched_mono_ms;     /* monotonic, for ages and staleness */
	int64_t last_ok_ms;          /* wall clock of the last success, 0 = never */
	double took_ms;              /* how long the poll took */
	uint64_t seq;                /* 1, 2, ... per slot: changes on each publish */
	struct snapshot *last_good;  /* error snapshots: the last success, or NULL */
};

/* A success.  value (may be NULL for "nothing to report") is taken over. */
struct snapshot *snapshot_new_value(void *value, snapshot_free_fn free_value);
/* A failure; error is copied.  last_good (may be NULL) gets a new reference. */
struct snapshot *snapshot_new_error(const char *error, struct snapshot *last_good);

struct snapshot *snapshot_ref(struct snapshot *s);   /* NULL-safe; returns s */
void snapshot_unref(struct snapshot *s);             /* NULL-safe */

/* The value to draw: s->value on success, last_good's value after a failure
 * (then *stale is set), NULL when there never was one. */
const void *snapshot_value(const struct snapshot *s, bool *stale);

struct snapshot_slot {
	pthread_mutex_t lock;
	struct snapshot *cur;        /* guarded by lock */
	uint64_t seq;                /* guarded by lock */
};

void snapshot_slot_init(struct snapshot_slot *slot);
void snapshot_slot_done(struct snapshot_slot *slot);   /* drops the current one */
/* Takes over s, stamps its seq and fetched times if unset, and swaps it in.
 * The previous snapshot loses the slot's reference (readers keep theirs). */
void snapshot_slot_publish(struct snapshot_slot *slot, struct snapshot *s);
/* A new reference to the latest snapshot (caller unrefs), or NULL. */
struct snapshot *snapshot_slot_get(struct snapshot_slot *slot);
/* The seq of the latest snapshot, 0 before the first. */
uint64_t snapshot_slot_seq(struct snapshot_slot *slot);

#endif
