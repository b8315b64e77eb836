/* history — see history.h.
 *
 * The events are a ring: the n-th event added (its sequence number, from
 * 0) lives in slot n % HISTORY_MAX until HISTORY_MAX newer ones push it
 * out.  A row asks "since when?" for each object it draws, thousands per
 * screen, so the newest event of each (kind class, host, object) is found
 * through a hash table of sequence numbers (open addressing, linear
 * probing), kept to the events still in the ring: when an event is pushed
 * out and the table points at it, its entry goes (any older event of that
 * object went before it). */
#include "core/history/history.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

/* A power of two over three times HISTORY_MAX: the table stays under a
 * third full, so probes stay short. */
#define HISTORY_SLOTS 4096u
_Static_assert(HISTORY_SLOTS >= 3 * HISTORY_MAX, "the table must stay under a third full");

struct history_slot {
	uint64_t seq1;              /* sequence number + 1 of the key's newest event; 0 empty */
	uint32_t hash;
};

struct history {
	struct event *ring;         /* [HISTORY_MAX] */
	uint64_t next;              /* sequence number of the next event added */
	uint64_t last_change1;      /* sequence number + 1 of the newest non-action; 0 none */
	struct history_slot *table; /* [HISTORY_SLOTS] */
};

struct history *history_new(void)
{
	struct history *h = xcalloc(1, sizeof *h);

	h->ring = xcalloc(HISTORY_MAX, sizeof *h->ring);
	h->table = xcalloc(HISTORY_SLOTS, sizeof *h->table);
	return h;
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	free(h->ring);
	free(h->table);
	free(h);
}

/* ---- the ring ---- */

static uint64_t history_oldest(const struct history *h)
{
	return h->next > HISTORY_MAX ? h->next - HISTORY_MAX : 0;
}

static bool history_kept(const struct history *h, uint64_t seq)
{
	return seq >= history_oldest(h) && seq < h->next;
}

static struct event *history_at(const struct history *h, uint64_t seq)
{
	return &h->ring[seq % HISTORY_MAX];
}

size_t history_count(const struct history *h)
{
	return (size_t)(h->next - history_oldest(h));
}

const struct event *history_get(const struct history *h, size_t i)
{
	if (h == NULL || i >= history_count(h))
		return NULL;
	return history_at(h, h->next - 1 - i);
}

int64_t history_last_change_ms(const struct history *h)
{
	if (h == NULL || h->last_change1 == 0 || !history_kept(h, h->last_change1 - 1))
		return 0;
	return history_at(h, h->last_change1 - 1)->time_ms;
}

/* ---- the table: (class, host, object) -> newest sequence number ---- */

/* Container rows want the latest of a container's state, health and
 * restarts alike: those share a class. */
static enum event_kind history_class(enum event_kind k)
{
	return k == EVENT_HEALTH || k == EVENT_RESTARTS ? EVENT_CONTAINER : k;
}

/* FNV-1a over the class, host and object (a 0 byte between them, so that
 * ("ab", "c") and ("a", "bc") differ). */
static uint32_t history_hash(enum event_kind cls, const char *host, const char *object)
{
	uint32_t x = 2166136261u;

	x = (x ^ (uint32_t)cls) * 16777619u;
	for (const char *p = host; *p != '\0'; p++)
		x = (x ^ (unsigned char)*p) * 16777619u;
	x = (x ^ 0xffu) * 16777619u;
	for (const char *p = object; *p != '\0'; p++)
		x = (x ^ (unsigned char)*p) * 16777619u;
	return x;
}

static bool history_key_is(const struct event *e, enum event_kind cls, const char *host,
                           const char *object)
{
	return history_class(e->kind) == cls && strcmp(e->host, host) == 0 &&
	       strcmp(e->object, object) == 0;
}

/* The slot of the key, or of the empty slot where it would go. */
static size_t history_find(const struct history *h, enum event_kind cls, const char *host,
                           const char *object, uint32_t hash)
{
	size_t i = hash & (HISTORY_SLOTS - 1);

	while (h->table[i].seq1 != 0) {
		if (h->table[i].hash == hash &&
		    history_key_is(history_at(h, h->table[i].seq1 - 1), cls, host, object))
			return i;
		i = (i + 1) & (HISTORY_SLOTS - 1);
	}
	return i;
}

/* Empties slot i, moving back the entries after it that would otherwise
 * no longer be found from their home slot (deletion without tombstones). */
static void history_unset(struct history *h, size_t i)
{
	size_t j = i;

	for (;;) {
		size_t home;

		j = (j + 1) & (HISTORY_SLOTS - 1);
		if (h->table[j].seq1 == 0)
			break;
		home = h->table[j].hash & (HISTORY_SLOTS - 1);
		/* stays when its home is cyclically within (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		h->table[i] = h->table[j];
		i = j;
	}
	h->table[i] = (struct history_slot){ 0 };
}

/* The ring's slot for seq is about to be reused: forget its event if the
 * table still points at it. */
static void history_evict(struct history *h, uint64_t seq)
{
	const struct event *e = history_at(h, seq);
	enum event_kind cls = history_class(e->kind);
	uint32_t hash = history_hash(cls, e->host, e->object);
	size_t i = history_find(h, cls, e->host, e->object, hash);

	if (h->table[i].seq1 == seq + 1)
		history_unset(h, i);
}

static void history_add_one(struct history *h, const struct event *e)
{
	uint64_t seq = h->next;
	enum event_kind cls = history_class(e->kind);
	uint32_t hash;
	size_t i;

	if (seq >= HISTORY_MAX)
		history_evict(h, seq - HISTORY_MAX);
	*history_at(h, seq) = *e;
	h->next++;
	hash = history_hash(cls, e->host, e->object);
	i = history_find(h, cls, e->host, e->object, hash);
	h->table[i] = (struct history_slot){ .seq1 = seq + 1, .hash = hash };
	if (e->kind != EVENT_ACTION)
		h->last_change1 = seq + 1;
}

void history_add(struct history *h, const struct event *ev, size_t n)
{
	for (size_t k = 0; k < n; k++)
		history_add_one(h, &ev[k]);
}

const struct event *history_latest(const struct history *h, enum event_kind kind,
                                   const char *host, const char *object)
{
	enum event_kind cls = history_class(kind);
	char host_cut[EVENT_HOST_MAX], object_cut[EVENT_OBJECT_MAX];
	size_t i;

	if (h == NULL || host == NULL || object == NULL)
		return NULL;
	/* cut as the events' fields were, so that a long name still matches */
	EVENT_SET(host_cut, host);
	EVENT_SET(object_cut, object);
	i = history_find(h, cls, host_cut, object_cut, history_hash(cls, host_cut, object_cut));
	return h->table[i].seq1 != 0 ? history_at(h, h->table[i].seq1 - 1) : NULL;
}
