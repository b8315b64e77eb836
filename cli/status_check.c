/* status_check — see status_check.h. */
#include "cli/status_check.h"

#include <ctype.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/model/implicit.h"
#include "core/model/verdict_cluster.h"

/* The first line, perfdata included, is shorter than this: the reasons that
 * do not fit go to the lines after it, so that it stays whole in a
 * monitoring system's table (and in Nagios' 200-character summary). */
#define STATUS_CHECK_LINE_MAX 199

/* A perfdata label: [A-Za-z0-9_.-], anything else as '_', so that it needs
 * no quotes and no monitoring system trips on it. */
static void check_label(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++)
		buf_putc(out, isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-' ? *s : '_');
}

/* " label=value%;warn;crit;0;100", "U" for a figure not known. */
static void check_pct(struct buf *out, const char *host, const char *what, bool valid, double v,
                      double warn, double crit)
{
	buf_putc(out, ' ');
	check_label(out, host);
	buf_printf(out, "_%s=", what);
	if (valid)
		buf_printf(out, "%.1f%%", v);
	else
		buf_putc(out, 'U');
	buf_printf(out, ";%g;%g;0;100", warn, crit);
}

/* The hosts reachable, the configured containers (without [service]
 * sections, the implicit services' containers) in trouble on the hosts
 * whose Docker answered. */
static void check_counts(const struct frame *f, struct buf *out)
{
	size_t up = 0, bad = 0;
	struct implicit_services is;

	implicit_services_build(f, &is);

	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];

		up += h->reach.connected;
		if (!h->reach.connected || !h->docker.feed.polled || h->docker.feed.error != NULL)
			continue;
		for (size_t s = 0; s < f->cfg->nservices; s++)
			bad += verdict_container_bad(frame_host_container(h,
			                                                  f->cfg->services[s].container));
		for (size_t s = 0; f->cfg->nservices == 0 && s < is.n; s++)
			bad += implicit_container_bad(is.v[s].dc[i]);
	}
	implicit_services_done(&is);
	buf_printf(out, "hosts_up=%zu;;;0;%zu containers_bad=%zu;;;0", up, f->nhosts, bad);
}

/* The figures' perfdata (each host's with metrics, PostgreSQL's, the
 * clusters' counts), each with a leading space; nothing when there are none.
 * The clusters' counts are here, in the long output, so that the first
 * line keeps its room for the reasons. */
static void check_figures(const struct frame *f, struct buf *out)
{
	double pg = 0;
	bool pg_known = verdict_pg_conn_pct(f, &pg);

	for (size_t i = 0; i < f->nhosts; i++) {
		const struct frame_host *h = &f->hosts[i];
		const struct metrics *m = h->metrics.value;
		bool fresh = h->reach.connected && h->metrics.feed.polled &&
		             h->metrics.feed.error == NULL && m != NULL;
		const struct config_pct_alerts *a = &h->cfg->alerts;

		if (!h->metrics.feed.configured)
			continue;
		check_pct(out, h->name, "cpu", fresh && m->valid[METRICS_CPU], fresh ? m->cpu_pct : 0,
		          a->warn[CONFIG_ALERT_CPU], a->crit[CONFIG_ALERT_CPU]);
		check_pct(out, h->name, "mem", fresh && m->valid[METRICS_MEM], fresh ? m->mem_pct : 0,
		          a->warn[CONFIG_ALERT_MEM], a->crit[CONFIG_ALERT_MEM]);
		check_pct(out, h->name, "disk", fresh && m->valid[METRICS_DISK], fresh ? m->disk_pct : 0,
		          a->warn[CONFIG_ALERT_DISK], a->crit[CONFIG_ALERT_DISK]);
	}
	if (f->postgres.feed.configured)
		check_pct(out, "pg", "connections", pg_known, pg,
		          f->cfg->alerts.pg_conn_warn, f->cfg->alerts.pg_conn_crit);
	if (f->nclusters > 0) {
		/* the clusters whose API answered: what their verdict counts */
		struct verdict_cluster_counts k;

		verdict_cluster_counts(f, &k);
		buf_printf(out, " nodes_notready=%zu;;;0;%zu rollouts_failed=%zu;;;0 gitops_failed=%zu;;;0"
		           " volumes_faulted=%zu;;;0 databases_bad=%zu;;;0", k.nodes_notready, k.nodes,
		           k.rollouts_failed, k.gitops_failed, k.volumes_faulted, k.databases_bad);
	}
}

void status_check_perfdata(const struct frame *f, struct buf *out)
{
	check_counts(f, out);
	check_figures(f, out);
}

enum verdict_level status_check_line(const struct frame *f, struct buf *out)
{
	static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf reasons, detail, counts, figures;
	enum verdict_level lvl;
	const char *p, *nl;
	size_t start = out->len, more = 0, budget;

	buf_init(&reasons);
	buf_init(&detail);
	buf_init(&counts);
	buf_init(&figures);
	lvl = verdict_overall(f, &reasons);
	check_counts(f, &counts);
	check_figures(f, &figures);
	/* what the reasons may take of the first line: the rest is " | " and
	 * the counts, and room for "; and 999 more" */
	budget = STATUS_CHECK_LINE_MAX - 3 - counts.len - 14;
	buf_printf(out, "KITETOP %s - %zu host%s", word[lvl], f->nhosts, f->nhosts == 1 ? "" : "s");
	for (p = buf_cstr(&reasons); *p != '\0'; p = *nl == '\n' ? nl + 1 : nl) {
		size_t n, used = out->len - start;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		n = (size_t)(nl - p);
		if (more == 0 && used + 2 + n <= budget) {
			buf_puts(out, p == buf_cstr(&reasons) ? ": " : "; ");
			buf_append(out, p, n);
			continue;
		}
		if (p == buf_cstr(&reasons) && used + 2 + 3 < budget) {
			/* the first reason, too long: its start here, in full below */
			size_t cut = budget - used - 2 - 3;

			while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
				cut--;   /* not inside a UTF-8 sequence */
			buf_puts(out, ": ");
			buf_append(out, p, cut);
			buf_puts(out, "...");
		}
		buf_append(&detail, p, n);
		buf_putc(&detail, '\n');
		more++;
	}
	if (more > 0)
		buf_printf(out, "; and %zu more", more);
	buf_puts(out, " | ");
	buf_append(out, buf_cstr(&counts), counts.len);
	buf_putc(out, '\n');
	buf_append(out, buf_cstr(&detail), detail.len);
	if (figures.len > 0) {   /* Nagios: perfdata after a '|' in the long output */
		buf_putc(out, '|');
		buf_append(out, buf_cstr(&figures), figures.len);
		buf_putc(out, '\n');
	}
	buf_done(&figures);
	buf_done(&counts);
	buf_done(&detail);
	buf_done(&reasons);
	return lvl;
}
