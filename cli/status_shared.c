/* status_shared — see status_shared.h. */
#include "cli/status_shared.h"

#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "core/base/format.h"
#include "core/base/util.h"
#include "core/feeds/feed_tailscale.h"
#include "core/model/splitbrain.h"
#include "core/model/verdict.h"

void status_shared_tailscale_text(const struct frame *f, size_t i, struct buf *out)
{
	const struct frame_feed *feed = &f->hosts[i].tailscale.feed;
	char line[512];

	if (!feed->configured)
		return;
	if (!feed->polled || feed->error != NULL) {
		/* the feed's errors name it already ("tailscale: ssh: ...") */
		if (feed->polled && strncmp(feed->error, "tailscale", 9) == 0)
			buf_printf(out, "  %s\n", feed->error);
		else
			buf_printf(out, "  tailscale: %s\n", feed->polled ? feed->error : "no answer yet");
		return;
	}
	feed_tailscale_line(f->cfg, i, f->hosts[i].tailscale.value, line, sizeof line);
	buf_printf(out, "  %s\n", line);
}

/* A source's error line, or "no answer yet"; true when it has figures. */
static bool status_shared_ok(const struct frame_feed *feed, const void *value, struct buf *out)
{
	if (!feed->polled) {
		buf_puts(out, "  no answer yet\n");
		return false;
	}
	if (feed->error != NULL) {
		buf_printf(out, "  error: %s\n", feed->error);
		return false;
	}
	return value != NULL;
}

static void status_shared_postgres(const struct frame *f, struct buf *out)
{
	const struct pg_status *ps = f->postgres.value;
	struct splitbrain_host *hosts;
	struct splitbrain sb;
	char size[32], line[256];

	if (!f->postgres.feed.configured)
		return;
	buf_puts(out, "\npostgres\n");
	if (status_shared_ok(&f->postgres.feed, ps, out)) {
		buf_printf(out, "  server       PostgreSQL %s, %s\n", ps->version,
		           ps->in_recovery ? "standby (in recovery)" : "primary");
		buf_printf(out, "  connections  %d/%d\n", ps->connections, ps->max_connections);
		for (size_t i = 0; i < ps->n_databases; i++) {
			if (ps->databases[i].size_bytes >= 0)
				format_bytes(size, sizeof size, (double)ps->databases[i].size_bytes);
			else
				util_strlcpy(size, "no access", sizeof size);
			buf_printf(out, "  %-12s %-24s %s\n", i == 0 ? "databases" : "", ps->databases[i].name, size);
		}
		if (ps->longest_query_s >= 0)
			buf_printf(out, "  longest      %.1f s in %s\n", ps->longest_query_s, ps->longest_database);
		buf_printf(out, "  locks        %d waiting\n", ps->waiting_locks);
		buf_printf(out, "  replication  %zu standby%s connected\n", ps->n_replicas,
		           ps->n_replicas == 1 ? "" : "s");
	}
	hosts = xcalloc(f->nhosts + 1, sizeof *hosts);
	splitbrain_init(&sb);
	verdict_splitbrain(f, hosts, &sb);
	if (sb.n > 0)
		buf_puts(out, "  split brain\n");
	for (size_t i = 0; i < sb.n; i++) {
		splitbrain_line(&sb, &sb.entries[i], hosts, f->nhosts, false, line, sizeof line);
		buf_printf(out, "    %s\n", line);
	}
	if (sb.error[0] != '\0')
		buf_printf(out, "    %s\n", sb.error);
	splitbrain_done(&sb);
	free(hosts);
}

static void status_shared_redis(const struct frame *f, struct buf *out)
{
	const struct redis_status *rs = f->redis.value;
	char mem[32];

	if (!f->redis.feed.configured)
		return;
	buf_puts(out, "\nredis\n");
	if (!status_shared_ok(&f->redis.feed, rs, out))
		return;
	if (rs->used_memory_bytes >= 0)
		format_bytes(mem, sizeof mem, (double)rs->used_memory_bytes);
	else
		util_strlcpy(mem, "?", sizeof mem);
	buf_printf(out, "  server       Redis %s, %s\n", rs->version[0] != '\0' ? rs->version : "?",
	           rs->role[0] != '\0' ? rs->role : "role unknown");
	buf_printf(out, "  memory       %s used\n", mem);
	if (rs->connected_clients >= 0)
		buf_printf(out, "  clients      %lld connected\n", rs->connected_clients);
	else
		buf_puts(out, "  clients      unknown\n");
}

static void status_shared_cloudflare(const struct frame *f, struct buf *out)
{
	const struct cf_tunnel *t = f->cloudflare.value;

	if (!f->cloudflare.feed.configured)
		return;
	buf_puts(out, "\ncloudflare\n");
	if (!status_shared_ok(&f->cloudflare.feed, t, out))
		return;
	buf_printf(out, "  tunnel       %s, %zu connector%s\n", cf_status_name(t->status), t->n_connectors,
	           t->n_connectors == 1 ? "" : "s");
	for (size_t i = 0; i < t->n_connectors; i++) {
		const struct cf_connector *c = &t->connectors[i];

		buf_printf(out, "  connector    %s  %s, %zu connection%s\n", c->id,
		           c->host >= 0 && (size_t)c->host < f->nhosts ? f->hosts[c->host].name : "no configured host",
		           c->live, c->live == 1 ? "" : "s");
	}
}

void status_shared_text(const struct frame *f, struct buf *out)
{
	status_shared_postgres(f, out);
	status_shared_redis(f, out);
	status_shared_cloudflare(f, out);
}
