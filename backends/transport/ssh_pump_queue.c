/* ssh_pump_queue — see ssh_pump_queue.h. */
#include "backends/transport/ssh_pump_queue.h"

void
ssh_pump_queue_pick(const struct ssh_pump_queue_item *items, size_t n, size_t max_channels,
    int64_t now, struct ssh_pump_queue_pick *out)
{
	size_t first = n, idlest = n, i;

	out->channels = out->waiting = out->closing = 0;
	for (i = 0; i < n; i++) {
		const struct ssh_pump_queue_item *it = &items[i];

		if (it->channel) {
			out->channels++;
			if (it->closing)
				out->closing++;
			if (it->reclaimable && now - it->idle_since >= SSH_PUMP_IDLE_RECLAIM_MS &&
			    (idlest == n || it->idle_since < items[idlest].idle_since))
				idlest = i;
		} else if (it->waiting) {
			out->waiting++;
			if (first == n || (it->urgent && !items[first].urgent) ||
			    (it->urgent == items[first].urgent && it->seq < items[first].seq))
				first = i;
		}
	}
	out->open = out->reclaim = n;
	if (first == n)
		return;
	if (out->channels < max_channels)
		out->open = first;
	else if (out->waiting > out->closing)
		out->reclaim = idlest;
}

size_t
ssh_pump_queue_grow(size_t cap, size_t need, size_t max)
{
	if (need > max)
		return 0;
	if (need <= cap)
		return cap;
	if (cap < 8)
		cap = 8;
	while (cap < need)
		cap = cap > max / 2 ? max : cap * 2;
	return cap;
}
