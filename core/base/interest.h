/* interest — the containers a reader has on screen, per host: a small set of
 * ids that the UI thread publishes after a draw and a feed thread reads
 * before it asks an engine for figures it can only get one request per
 * container (Docker's stats API, where the host's cgroup files cannot be
 * read).  The frame stays read-only: this is the one thing that goes from
 * the screen back to a feed, and it carries nothing but ids.
 *
 * Until the first interest_publish() the set is "unknown" and every id is of
 * interest: a one-shot `kitetop status` (which never publishes) asks for all
 * its containers once; the TUI publishes (an empty set at first) before its
 * feeds start, so it never asks for what it does not show.
 *
 * A reader whose screen depends on every container's figures (rows sorted
 * by CPU or memory: the order needs them all) publishes "all" instead, as
 * the unknown set.
 *
 * Thread safety: interest_publish*() from one thread (the UI's); the readers
 * from any thread; the set's mutex is held for the copy or the lookups. */
#ifndef KITETOP_CORE_BASE_INTEREST_H
#define KITETOP_CORE_BASE_INTEREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct interest;

struct interest *interest_new(void);
void interest_free(struct interest *in);   /* NULL-safe */

/* The set is now ids[0..n) (copied; duplicates and NULLs ignored).  Its
 * generation changes only when the set does.  in NULL: nothing. */
void interest_publish(struct interest *in, const char *const *ids, size_t n);

/* Every id is of interest until the next interest_publish() (the
 * generation changes if it was not so already).  in NULL: nothing. */
void interest_publish_all(struct interest *in);

/* Whether anything was published yet (NULL: false). */
bool interest_known(struct interest *in);
/* Whether every id is of interest: unknown, "all" published, or in NULL. */
bool interest_wants_all(struct interest *in);
/* Changes whenever the published set does (0: never published). */
uint64_t interest_generation(struct interest *in);

/* For each of ids[0..n): ask[i] = whether it is of interest (every one when
 * interest_wants_all()).  Returns how many are. */
size_t interest_select(struct interest *in, const char *const *ids, size_t n, bool *ask);

#endif
