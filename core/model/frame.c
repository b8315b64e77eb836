/* frame — see frame.h. */
#include "core/model/frame.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/snapshot.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_metrics.h"
#include "core/feeds/feed_panels.h"
#include "core/feeds/feed_cloudflare.h"
#include "core/feeds/feed_cluster.h"
#include "core/feeds/feed_postgres.h"
#include "core/feeds/feed_redis.h"
#include "core/feeds/feed_tunnel.h"
#include "core/feeds/feeds.h"
#include "core/feeds/source.h"

void frame_init(struct frame *f, const struct config *cfg)
{
	*f = (struct frame){ .cfg = cfg, .nhosts = cfg->nhosts };
	f->taken_ms = time_real_ms();
	f->taken_mono_ms = time_mono_ms();
	f->hosts = xcalloc(cfg->nhosts + 1, sizeof *f->hosts);
	for (size_t i = 0; i < cfg->nhosts; i++) {
		struct frame_host *h = &f->hosts[i];

		h->cfg = &cfg->hosts[i];
		h->name = h->cfg->name;
		h->local = h->cfg->ssh == NULL;
		h->reach = (struct fleet_reach){ .known = h->local, .connected = h->local, .rtt_ms = -1 };
	}
	f->nclusters = cfg->nclusters;
	f->clusters = xcalloc(cfg->nclusters + 1, sizeof *f->clusters);
	for (size_t i = 0; i < cfg->nclusters; i++) {
		f->clusters[i].cfg = &cfg->clusters[i];
		f->clusters[i].name = cfg->clusters[i].name;
	}
	frame_index_init(f);
}

/* The latest snapshot of src (NULL: not configured) into *feed, its
 * reference kept by f; returns it (NULL before the first poll). */
static const struct snapshot *frame_hold(struct frame *f, struct frame_feed *feed, struct source *src)
{
	struct snapshot *s;

	*feed = (struct frame_feed){ 0 };
	if (src == NULL)
		return NULL;
	feed->configured = true;
	feed->interval_ms = source_interval_ms(src);
	s = source_get(src);
	if (s == NULL)
		return NULL;
	f->refs[f->nrefs++] = s;
	feed->polled = true;
	feed->error = s->error;
	feed->stale = s->error != NULL && s->last_good != NULL;
	feed->value_mono_ms = feed->stale ? s->last_good->fetched_mono_ms : s->fetched_mono_ms;
	feed->polled_mono_ms = s->fetched_mono_ms;
	feed->polled_ms = s->fetched_ms;
	feed->last_ok_ms = s->last_ok_ms;
	feed->took_ms = s->took_ms;
	feed->seq = s->seq;
	return s;
}

void frame_reach_paused(struct fleet_reach *now, const struct fleet_reach *at_pause)
{
	if (now->connected && at_pause->connected && at_pause->rtt_ms >= 0)
		now->rtt_ms = at_pause->rtt_ms;
}

void frame_take(struct frame *f, struct feeds *feeds)
{
	const struct snapshot *s;

	frame_init(f, feeds->cfg);
	f->refs = xcalloc(feeds->nsources + 1, sizeof *f->refs);
	for (size_t i = 0; i < f->nhosts && i < feeds->nhosts; i++) {
		struct frame_host *h = &f->hosts[i];
		const struct feeds_host *src = &feeds->hosts[i];

		fleet_host_reach(&feeds->fleet->hosts[i], &h->reach);
		if (feeds->paused_reach != NULL)
			frame_reach_paused(&h->reach, &feeds->paused_reach[i]);
		s = frame_hold(f, &h->metrics.feed, src->metrics);
		h->metrics.value = feed_metrics_value(s);
		s = frame_hold(f, &h->docker.feed, src->docker);
		h->docker.value = feed_docker_value(s);
		s = frame_hold(f, &h->tunnel.feed, src->tunnel);
		h->tunnel.value = feed_tunnel_value(s);
		s = frame_hold(f, &h->tailscale.feed, src->tailscale);
		h->tailscale.value = feed_tailscale_value(s);
	}
	s = frame_hold(f, &f->postgres.feed, feeds->postgres);
	f->postgres.value = feed_postgres_value(s);
	s = frame_hold(f, &f->redis.feed, feeds->redis);
	f->redis.value = feed_redis_value(s);
	s = frame_hold(f, &f->cloudflare.feed, feeds->cloudflare);
	f->cloudflare.value = feed_cloudflare_value(s);
	s = frame_hold(f, &f->panels.feed, feeds->panels);
	f->panels.value = feed_panels_value(s);
	s = frame_hold(f, &f->probes.feed, feeds->probes);
	f->probes.value = feed_probes_value(s);
	s = frame_hold(f, &f->authentik.feed, feeds->authentik);
	f->authentik.value = feed_authentik_value(s);
	for (size_t i = 0; i < f->nclusters && feeds->clusters != NULL; i++) {
		s = frame_hold(f, &f->clusters[i].feed, feeds->clusters[i]);
		f->clusters[i].value = feed_cluster_value(s);
	}
}

void frame_release(struct frame *f)
{
	for (size_t i = 0; i < f->nrefs; i++)
		snapshot_unref(f->refs[i]);
	free(f->refs);
	frame_index_free(f);
	free(f->hosts);
	free(f->clusters);
	*f = (struct frame){ .cfg = f->cfg };
}

const struct frame_host *frame_host_named(const struct frame *f, const char *name)
{
	for (size_t i = 0; name != NULL && i < f->nhosts; i++)
		if (strcmp(f->hosts[i].name, name) == 0)
			return &f->hosts[i];
	return NULL;
}

int64_t frame_feed_age_ms(const struct frame *f, const struct frame_feed *feed)
{
	if (!feed->polled || f->taken_mono_ms < feed->value_mono_ms)
		return 0;
	return f->taken_mono_ms - feed->value_mono_ms;
}
