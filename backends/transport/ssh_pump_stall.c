/* ssh_pump_stall — see ssh_pump_internal.h: how the pump keeps libssh2
 * 1.10's rules for non-blocking calls.  A call that returned EAGAIN (or
 * returned, leaving a packet half sent) must be the next one made, with
 * the same arguments, and no other call may send before it is done. */
#include <libssh2.h>

#include "backends/transport/ssh_pump_bridge.h"
#include "backends/transport/ssh_pump_internal.h"
#include "backends/transport/ssh_session.h"
#include "core/base/util.h"

static void
ssh_pump_set_fatal(struct ssh_pump *pump, int rc)
{
	if (pump->fatal != NULL)
		return;
	pump->fatal = xasprintf("ssh: connection to %s lost: %s (libssh2 error %d)",
	    pump->params->name, ssh_session_last_error(pump->session), rc);
}

int
ssh_pump_check(struct ssh_pump *pump, int rc, enum ssh_pump_op op, struct ssh_bridge *bridge)
{
	if (rc == LIBSSH2_ERROR_EAGAIN || rc >= 0) {
		int dir = libssh2_session_block_directions(pump->session);

		/* also after a call that did not say EAGAIN: libssh2 1.10 may
		 * leave a packet half sent and report what it read (see
		 * ssh_pump_read_pending) */
		if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
			pump->stall = op;
			pump->stall_bridge = bridge;
		}
	} else if (rc < 0 && ssh_session_lost_rc(rc))
		ssh_pump_set_fatal(pump, rc);
	return rc;
}

bool
ssh_pump_read_pending(struct ssh_pump *pump, struct ssh_bridge *bridge)
{
	if (!(libssh2_session_block_directions(pump->session) & LIBSSH2_SESSION_BLOCK_OUTBOUND))
		return false;
	pump->stall = OP_READ;
	pump->stall_bridge = bridge;
	return true;
}

bool
ssh_pump_eofs(struct ssh_pump *pump)
{
	struct ssh_bridge *stalled = pump->stall == OP_EOF ? pump->stall_bridge : NULL;
	bool progress = false;
	size_t i;

	pump->stall = OP_NONE;
	pump->stall_bridge = NULL;
	for (i = 0; i <= pump->nbridges; i++) {
		struct ssh_bridge *b = i == 0 ? stalled : pump->bridges[i - 1];

		if (b == NULL || (i > 0 && b == stalled) || !ssh_pump_bridge_eof_due(b))
			continue;
		if (!ssh_pump_bridge_send_eof(pump, b))
			return progress;
		progress = true;
		if (pump->stall != OP_NONE || pump->fatal != NULL)
			return progress;
	}
	return progress;
}

bool
ssh_pump_flush_all(struct ssh_pump *pump)
{
	bool progress = false;
	size_t i;

	for (i = 0; i < pump->nbridges; i++)
		progress |= ssh_pump_bridge_flush(pump->bridges[i]);
	return progress;
}

