/* feeds — see feeds.h. */
#include "core/feeds/feeds.h"

#include <stdlib.h>
#include <string.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_authentik.h"
#include "core/feeds/feed_cluster.h"
#include "core/feeds/feed_docker.h"
#include "core/feeds/feed_metrics.h"
#include "core/feeds/feed_panels.h"
#include "core/feeds/feed_probes.h"
#include "core/feeds/feed_cloudflare.h"
#include "core/feeds/feed_postgres.h"
#include "core/feeds/feed_redis.h"
#include "core/feeds/feed_tailscale.h"
#include "core/feeds/feed_tunnel.h"

/* Keeps s (NULL: none) among the sources; returns it. */
static struct source *feeds_keep(struct feeds *feeds, struct source *s)
{
	if (s == NULL)
		return NULL;
	feeds->sources = xreallocarray(feeds->sources, feeds->nsources + 1, sizeof *feeds->sources);
	feeds->sources[feeds->nsources++] = s;
	return s;
}

static bool feeds_via_is(const char *via, const char *host)
{
	return via != NULL && strcmp(via, host) == 0;
}

/* on_connect of a host's transport, in its thread: the host is back after an
 * outage.  Its own sources and those relayed through it (a `via` naming it)
 * are in their failure backoff, up to 15 s; they poll now instead, so that
 * the screen is fresh again within a poll of the connection. */
static void feeds_host_back(void *arg)
{
	const struct feeds_relay *r = arg;
	const struct feeds *feeds = r->feeds;
	const struct feeds_host *fh = &feeds->hosts[r->host];
	const struct config *cfg = feeds->cfg;
	const char *name = feeds->fleet->hosts[r->host].name;

	if (fh->docker != NULL)
		feed_docker_relist(fh->docker);
	if (fh->metrics != NULL)
		source_refresh_now(fh->metrics);
	if (fh->tunnel != NULL)
		source_refresh_now(fh->tunnel);
	if (fh->tailscale != NULL)
		source_refresh_now(fh->tailscale);
	if (cfg->prometheus != NULL && feeds_via_is(cfg->prometheus->via, name)) {
		for (size_t i = 0; i < feeds->nhosts; i++)
			if (feeds->hosts[i].metrics != NULL)
				source_refresh_now(feeds->hosts[i].metrics);
		if (feeds->panels != NULL)
			source_refresh_now(feeds->panels);
	}
	if (feeds->postgres != NULL && cfg->postgres != NULL &&
	    feeds_via_is(cfg->postgres->via, name))
		source_refresh_now(feeds->postgres);
	if (feeds->redis != NULL && cfg->redis != NULL && feeds_via_is(cfg->redis->via, name))
		source_refresh_now(feeds->redis);
	/* probes run their commands on the hosts over SSH */
	if (feeds->probes != NULL)
		source_refresh_now(feeds->probes);
}

struct feeds *feeds_new(const struct config *cfg, struct wake *wake)
{
	struct feeds *feeds = xcalloc(1, sizeof *feeds);
	struct fleet *fleet = fleet_new(cfg);
	size_t n = fleet->nhosts;

	feeds->cfg = cfg;
	feeds->fleet = fleet;
	feeds->wake = wake;
	feeds->nhosts = n;
	feeds->hosts = xcalloc(n + 1, sizeof *feeds->hosts);
	feeds->tunnels = xcalloc(n + 1, sizeof *feeds->tunnels);
	for (size_t i = 0; i < n; i++) {
		struct fleet_host *h = &fleet->hosts[i];

		feeds->hosts[i].docker = feeds_keep(feeds, feed_docker_new(fleet, h, wake));
		feeds->hosts[i].metrics = feeds_keep(feeds, feed_metrics_new(fleet, h, wake));
	}
	feeds->postgres = feeds_keep(feeds, feed_postgres_new(fleet, wake));
	feeds->cloudflare = feeds_keep(feeds, feed_cloudflare_new(fleet, feeds->tunnels, wake));
	feeds->redis = feeds_keep(feeds, feed_redis_new(fleet, wake));
	for (size_t i = 0; i < n; i++)
		feeds->hosts[i].tailscale = feeds_keep(feeds, feed_tailscale_new(fleet, i, wake));
	feeds->panels = feeds_keep(feeds, feed_panels_new(fleet, wake));
	for (size_t i = 0; i < n; i++) {
		feeds->hosts[i].tunnel = feeds_keep(feeds, feed_tunnel_new(fleet, i, feeds->hosts[i].docker,
		                                                            feeds->cloudflare, wake));
		feeds->tunnels[i] = feeds->hosts[i].tunnel;
	}
	feeds->probes = feeds_keep(feeds, feed_probes_new(fleet, wake));
	feeds->authentik = feeds_keep(feeds, feed_authentik_new(fleet, wake));
	feeds->clusters = xcalloc(cfg->nclusters + 1, sizeof *feeds->clusters);
	for (size_t i = 0; i < cfg->nclusters; i++)
		feeds->clusters[i] = feeds_keep(feeds, feed_cluster_new(fleet, i, wake));
	feeds->relays = xcalloc(n + 1, sizeof *feeds->relays);
	for (size_t i = 0; i < n; i++) {
		feeds->relays[i] = (struct feeds_relay){ .feeds = feeds, .host = i };
		if (fleet->hosts[i].ssh != NULL)
			transport_ssh_set_on_connect(fleet->hosts[i].ssh, feeds_host_back,
			                             &feeds->relays[i]);
	}
	return feeds;
}

int feeds_start(struct feeds *feeds, char **cause)
{
	if (fleet_start(feeds->fleet, cause) == -1)
		return -1;
	for (size_t i = 0; i < feeds->nsources; i++)
		if (source_start(feeds->sources[i], cause) == -1)
			return -1;
	return 0;
}

bool feeds_stop(struct feeds *feeds)
{
	int64_t deadline = time_mono_ms() + FEEDS_STOP_MS;
	bool all = true;

	for (size_t i = 0; i < feeds->nsources; i++)
		source_stop(feeds->sources[i]);
	for (size_t i = 0; i < feeds->nsources; i++)
		if (source_join(feeds->sources[i], deadline) == -1)
			all = false;
	return all;
}

void feeds_free(struct feeds *feeds)
{
	if (feeds == NULL)
		return;
	/* no transport may tell sources that are going away */
	for (size_t i = 0; i < feeds->nhosts; i++)
		if (feeds->fleet->hosts[i].ssh != NULL)
			transport_ssh_set_on_connect(feeds->fleet->hosts[i].ssh, NULL, NULL);
	feeds_stop(feeds);
	for (size_t i = 0; i < feeds->nsources; i++)
		source_free(feeds->sources[i]);
	fleet_free(feeds->fleet);
	free(feeds->sources);
	free(feeds->tunnels);
	free(feeds->clusters);
	free(feeds->relays);
	free(feeds->hosts);
	free(feeds->paused_reach);
	free(feeds);
}

bool feeds_wait_all(struct feeds *feeds, int64_t deadline_mono_ms)
{
	for (;;) {
		size_t have = 0;

		for (size_t i = 0; i < feeds->nsources; i++)
			if (source_complete(feeds->sources[i]))
				have++;
		if (have == feeds->nsources)
			return true;
		if (time_mono_ms() >= deadline_mono_ms)
			return false;
		time_sleep_ms(10);
	}
}

void feeds_refresh_now(struct feeds *feeds)
{
	for (size_t i = 0; i < feeds->nhosts; i++)
		if (feeds->fleet->hosts[i].ssh != NULL)
			transport_ssh_retry_now(feeds->fleet->hosts[i].ssh);
	for (size_t i = 0; i < feeds->nhosts; i++)
		if (feeds->hosts[i].docker != NULL)
			feed_docker_relist(feeds->hosts[i].docker);
	for (size_t i = 0; i < feeds->nsources; i++)
		source_refresh_now(feeds->sources[i]);
}

void feeds_set_paused(struct feeds *feeds, bool paused)
{
	for (size_t i = 0; i < feeds->nsources; i++)
		source_set_paused(feeds->sources[i], paused);
	/* the sessions' keepalives go on (they keep them alive); the round
	 * trip shown is the one measured when the refresh paused */
	free(feeds->paused_reach);
	feeds->paused_reach = NULL;
	if (paused) {
		feeds->paused_reach = xcalloc(feeds->nhosts + 1, sizeof *feeds->paused_reach);
		for (size_t i = 0; i < feeds->nhosts; i++)
			fleet_host_reach(&feeds->fleet->hosts[i], &feeds->paused_reach[i]);
	}
}

uint64_t feeds_generation(struct feeds *feeds)
{
	uint64_t g = fleet_generation(feeds->fleet);

	for (size_t i = 0; i < feeds->nsources; i++)
		g += source_seq(feeds->sources[i]);
	return g;
}
