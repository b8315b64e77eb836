/* fleet — see fleet.h. */
#include "core/fleet/fleet.h"

#include <stdlib.h>
#include <string.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/interest.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

int fleet_ssh_sessions(size_t n)
{
	size_t each = n > 0 ? FLEET_SSH_SESSIONS_BUDGET / n : TRANSPORT_SSH_DEFAULT_SESSIONS;

	if (each > TRANSPORT_SSH_DEFAULT_SESSIONS)
		each = TRANSPORT_SSH_DEFAULT_SESSIONS;
	return each < 1 ? 1 : (int)each;
}

struct fleet *fleet_new(const struct config *cfg)
{
	struct fleet *fleet = xcalloc(1, sizeof *fleet);
	size_t nssh = 0;
	int sessions;

	fleet->cfg = cfg;
	fleet->nhosts = cfg->nhosts;
	fleet->hosts = xcalloc(cfg->nhosts > 0 ? cfg->nhosts : 1, sizeof *fleet->hosts);
	for (size_t i = 0; i < cfg->nhosts; i++)
		nssh += cfg->hosts[i].ssh != NULL;
	sessions = fleet_ssh_sessions(nssh);
	for (size_t i = 0; i < cfg->nhosts; i++) {
		struct fleet_host *h = &fleet->hosts[i];

		h->cfg = &cfg->hosts[i];
		h->name = h->cfg->name;
		h->local = h->cfg->ssh == NULL;
		h->interest = interest_new();
		if (!h->local) {
			struct transport_ssh_options opt = {
				.target = h->cfg->ssh,
				.identity_file = h->cfg->identity_file,
				.known_hosts = h->cfg->known_hosts,
				.docker_socket = h->cfg->docker_socket,
				.jump = h->cfg->jump,
				.sessions = sessions,
			};
			char *cause = NULL;

			h->ssh = transport_ssh_new(h->name, &opt, cfg->timeout_ms, &cause);
			if (h->ssh == NULL)
				h->ssh_error = cause;
		}
	}
	return fleet;
}

int fleet_start(struct fleet *fleet, char **cause)
{
	for (size_t i = 0; i < fleet->nhosts; i++) {
		struct fleet_host *h = &fleet->hosts[i];

		if (h->ssh != NULL && transport_ssh_start(h->ssh, cause) == -1)
			return -1;
	}
	return 0;
}

void fleet_free(struct fleet *fleet)
{
	if (fleet == NULL)
		return;
	for (size_t i = 0; i < fleet->nhosts; i++) {
		transport_ssh_free(fleet->hosts[i].ssh);
		free(fleet->hosts[i].ssh_error);
		interest_free(fleet->hosts[i].interest);
	}
	free(fleet->hosts);
	free(fleet);
}

struct fleet_host *fleet_host_named(struct fleet *fleet, const char *name)
{
	for (size_t i = 0; name != NULL && i < fleet->nhosts; i++)
		if (strcmp(fleet->hosts[i].name, name) == 0)
			return &fleet->hosts[i];
	return NULL;
}

void fleet_host_reach(const struct fleet_host *h, struct fleet_reach *out)
{
	struct transport_ssh_status ss;

	*out = (struct fleet_reach){ .rtt_ms = -1 };
	if (h->local) {
		out->known = out->connected = true;
		return;
	}
	if (h->ssh == NULL) {
		out->known = true;
		util_strlcpy(out->error, h->ssh_error != NULL ? h->ssh_error : "no SSH session",
		             sizeof out->error);
		return;
	}
	transport_ssh_status(h->ssh, &ss);
	out->known = ss.since_ms != 0;
	out->connected = ss.connected;
	out->rtt_ms = ss.connected ? ss.rtt_ms : -1;
	out->since_ms = ss.since_ms;
	if (!ss.connected)
		util_strlcpy(out->error, ss.error, sizeof out->error);
}

uint64_t fleet_generation(struct fleet *fleet)
{
	uint64_t g = 0;

	for (size_t i = 0; i < fleet->nhosts; i++) {
		struct transport_ssh_status ss;

		if (fleet->hosts[i].ssh == NULL)
			continue;
		transport_ssh_status(fleet->hosts[i].ssh, &ss);
		g += (uint64_t)ss.connects * 2 + (ss.connected ? 1 : 0) + (uint64_t)(ss.since_ms & 0xffff) * 7;
	}
	return g;
}

void fleet_host_wait_ssh_first(const struct fleet_host *h, int64_t deadline_mono_ms,
                               const atomic_int *cancel, struct transport_ssh_status *ss)
{
	transport_ssh_status(h->ssh, ss);
	while (!ss->connected && ss->since_ms == 0 && time_mono_ms() < deadline_mono_ms &&
	       (cancel == NULL || !atomic_load(cancel))) {
		time_sleep_ms(20);
		transport_ssh_status(h->ssh, ss);
	}
}

void fleet_wait_ssh_first(struct fleet *fleet, int64_t deadline_mono_ms, const atomic_int *cancel)
{
	for (size_t i = 0; i < fleet->nhosts; i++) {
		struct transport_ssh_status ss;

		if (fleet->hosts[i].ssh != NULL)
			fleet_host_wait_ssh_first(&fleet->hosts[i], deadline_mono_ms, cancel, &ss);
	}
}
