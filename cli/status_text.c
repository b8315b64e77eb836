/* status_text — see status_text.h. */
#include "cli/status_clusters.h"
#include "cli/status_text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/metrics.h"
#include "cli/status_json.h"
#include "cli/status_panels.h"
#include "cli/status_services.h"
#include "cli/status_shared.h"
#include "cli/status_tunnel.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/model/verdict.h"

/* A line per figure: "  cpu     12.3%", "  net     rx 1.2 MB/s  tx ...". */
static void status_text_metrics(const struct frame_host *h, struct buf *out)
{
	const struct frame_feed *feed = &h->metrics.feed;
	const struct metrics *m = feed->error == NULL ? h->metrics.value : NULL;
	char a[32], b[32];

	if (!feed->configured) {
		buf_puts(out, "  metrics: none configured for this host\n");
		return;
	}
	if (m == NULL) {
		buf_printf(out, "  metrics: %s\n", feed->polled ? feed->error : "no answer yet");
		return;
	}
	for (int fig = 0; fig < METRICS_NFIGURES; fig++) {
		buf_printf(out, "  %-7s ", metrics_figure_name(fig));
		if (!m->valid[fig]) {
			buf_printf(out, "error: %s\n", m->error[fig] != NULL ? m->error[fig] : "unknown");
			continue;
		}
		switch (fig) {
		case METRICS_CPU: format_pct(a, sizeof a, m->cpu_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_MEM: format_pct(a, sizeof a, m->mem_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_DISK: format_pct(a, sizeof a, m->disk_pct); buf_printf(out, "%s\n", a); break;
		case METRICS_NET:
			format_rate(a, sizeof a, m->net_rx_bps);
			format_rate(b, sizeof b, m->net_tx_bps);
			buf_printf(out, "rx %s  tx %s\n", a, b);
			break;
		case METRICS_LOAD: buf_printf(out, "%.2f\n", m->load1); break;
		default:
			time_format_duration(a, sizeof a, (int64_t)m->uptime_s);
			buf_printf(out, "%s\n", a);
			break;
		}
	}
}

/* A line per container (status_json's list): name, state, health. */
static void status_text_containers(const struct frame *f, const struct frame_host *h, struct buf *out)
{
	char *err = NULL;
	cJSON *arr, *c;

	if (!h->docker.feed.configured)
		return;
	arr = status_json_containers(f, h, &err);
	if (err != NULL) {
		buf_printf(out, "  containers: %s\n", err);
		free(err);
	}
	cJSON_ArrayForEach(c, arr) {
		const char *state = cJSON_GetObjectItem(c, "state")->valuestring;
		const char *health = cJSON_GetObjectItem(c, "health")->valuestring;
		const cJSON *cpu = cJSON_GetObjectItem(c, "cpu_pct"), *mem = cJSON_GetObjectItem(c, "mem_bytes");
		char figs[64] = "", pct[16] = "-", bytes[16] = "-", line[256];
		size_t end;

		if (cJSON_IsNumber(cpu))
			format_pct(pct, sizeof pct, cpu->valuedouble);
		if (cJSON_IsNumber(mem))
			format_bytes(bytes, sizeof bytes, mem->valuedouble);
		if (cJSON_IsNumber(cpu) || cJSON_IsNumber(mem))
			snprintf(figs, sizeof figs, "cpu %-6s mem %s", pct, bytes);
		snprintf(line, sizeof line, "  %-28s %-10s %-10s %s",
		         cJSON_GetObjectItem(c, "name")->valuestring, state,
		         strcmp(health, "none") != 0 ? health : "", figs);
		for (end = strlen(line); end > 0 && line[end - 1] == ' '; end--)
			;   /* no trailing blanks */
		buf_printf(out, "%.*s\n", (int)end, line);
	}
	cJSON_Delete(arr);
}

void status_text(const struct frame *f, struct buf *out)
{
	struct buf reasons;
	enum verdict_level lvl;
	char when[40];

	buf_init(&reasons);
	lvl = verdict_overall(f, &reasons);
	time_format_iso8601(when, sizeof when, f->taken_ms);
	buf_printf(out, "kitetop status at %s: %s\n", when, verdict_level_name(lvl));
	if (reasons.len > 0)
		buf_puts(out, buf_cstr(&reasons));
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];

		buf_printf(out, "\n%s (%s)", h->name, h->local ? "this machine" : h->cfg->ssh);
		if (!h->local && h->reach.connected && h->reach.rtt_ms >= 0)
			buf_printf(out, " ssh %d ms", h->reach.rtt_ms);
		else if (!h->local && !h->reach.connected)
			buf_printf(out, " unreachable: %s", h->reach.error[0] != '\0' ? h->reach.error : "connecting");
		buf_putc(out, '\n');
		status_text_metrics(h, out);
		status_tunnel_text(h, out);
		status_shared_tailscale_text(f, i, out);
		status_text_containers(f, h, out);
	}
	status_services_text(f, out);
	status_shared_text(f, out);
	status_panels_text(f, out);
	if (f->nclusters > 0)
		buf_putc(out, '\n');
	status_clusters_text(f, out);
	buf_done(&reasons);
}
