/* ssh_pump_queue — the rules that bound a host's SSH channels, kept apart
 * from the pump so that they can be tested alone (pure functions).
 *
 * Every connection accepted on a transport socket wants a channel.  At most
 * TRANSPORT_SSH_MAX_CHANNELS of a host's connections hold one at a time
 * (being opened, open, or being freed); the others wait, in the order they
 * were accepted, and are never refused: a waiting connection whose client
 * gives up (its own timeout) is dropped without a channel.
 *
 * An HTTP client keeps its connections between requests (keep-alive), and
 * through a tunnel each kept connection holds a channel.  So that connections
 * kept idle cannot starve the queue, when every channel is taken and some
 * connection waits, the one idle longest (at least SSH_PUMP_IDLE_RECLAIM_MS)
 * among the reclaimable is closed: a connection to an HTTP endpoint
 * (transport_ssh_forward_http) whose last bytes were a response, with
 * nothing buffered either way.  An HTTP client sees a kept connection closed
 * by the server side, which it must expect (RFC 9112, 9.3.1), and opens a new
 * one.
 *
 * Channels are opened one at a time (libssh2 keeps one open in flight per
 * session), each costing a round trip, so on a slow link the order matters:
 * an urgent connection (the Docker engine's, whose first answer needs the
 * most round trips after its channel opens, and a first CPU figure's
 * cgroup reads: a second's sleep on the host) goes before the others waiting,
 * in accept order among the urgent. */
#ifndef KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_QUEUE_H
#define KITETOP_BACKENDS_TRANSPORT_SSH_PUMP_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSH_PUMP_IDLE_RECLAIM_MS 200

/* One connection as the queue sees it. */
struct ssh_pump_queue_item {
	bool waiting;            /* accepted, no channel asked for yet */
	bool channel;            /* holds a channel (being opened, open, being freed) */
	bool closing;            /* that channel is being freed */
	bool reclaimable;        /* open, between two HTTP exchanges, nothing buffered */
	bool urgent;             /* waiting: opens before the non-urgent ones */
	uint64_t seq;            /* accept order (smaller: earlier) */
	int64_t idle_since;      /* reclaimable: nothing moved since then (ms) */
};

struct ssh_pump_queue_pick {
	size_t open;             /* the waiting item to give a channel now, or n */
	size_t reclaim;          /* the idle item to close to make room, or n */
	size_t channels;         /* items holding a channel */
	size_t waiting;          /* items waiting */
	size_t closing;          /* channels being freed */
};

/* Looks at the n items at time now (ms) with at most max_channels channels:
 * the earliest waiting item (an urgent one first) may open when a channel is free; when none is
 * and more items wait than channels are being freed, the longest idle
 * reclaimable item (idle for at least SSH_PUMP_IDLE_RECLAIM_MS) is the one
 * to close. */
void ssh_pump_queue_pick(const struct ssh_pump_queue_item *items, size_t n,
    size_t max_channels, int64_t now, struct ssh_pump_queue_pick *out);

/* The capacity of an array that holds cap and must hold need, grown by
 * doubling (from 8): cap itself when need fits, at most max; 0 when need is
 * over max. */
size_t ssh_pump_queue_grow(size_t cap, size_t need, size_t max);

#endif
