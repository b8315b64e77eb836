/* feed_common — see feed_common.h. */
#include "core/feeds/feed_common.h"

#include <stdlib.h>

#include "core/base/util.h"

int feed_whole_refreshes_ms(int refresh_ms, int min_ms)
{
	int r = refresh_ms > 0 ? refresh_ms : 2000;

	return r >= min_ms ? r : (min_ms + r - 1) / r * r;
}

int feed_prom_interval_ms(const struct config *cfg)
{
	return feed_whole_refreshes_ms(cfg->refresh_ms, FEED_PROM_MIN_INTERVAL_MS);
}

int feed_probe_interval_ms(const struct config *cfg)
{
	return feed_whole_refreshes_ms(cfg->refresh_ms, FEED_PROBE_MIN_INTERVAL_MS);
}

struct source *feed_host_source_new(const struct fleet_host *h, const char *kind,
                                    struct source_params p, const struct source_ops *ops,
                                    void *arg, struct wake *wake)
{
	char *name = xasprintf("%s/%s", h->name, kind);
	struct source *s;

	p.name = name;
	s = source_new(&p, ops, arg, wake);
	free(name);
	return s;
}
