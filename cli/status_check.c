/* status_check — see status_check.h. */
#include "cli/status_check.h"

#include <ctype.h>
#include <string.h>

#include "backends/metrics.h"
#include "core/model/implicit.h"

/* Past this many characters of status text, the remaining reasons go to
 * the lines after the first, so that the first stays readable in a
 * monitoring system's table. */
#define STATUS_CHECK_TEXT_MAX 200

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

void status_check_perfdata(const struct frame *f, struct buf *out)
{
	double pg = 0;
	bool pg_known = verdict_pg_conn_pct(f, &pg);

	check_counts(f, out);
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
}

enum verdict_level status_check_line(const struct frame *f, struct buf *out)
{
	static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf reasons, detail;
	enum verdict_level lvl;
	const char *p, *nl;
	size_t start = out->len, first = 0;

	buf_init(&reasons);
	buf_init(&detail);
	lvl = verdict_overall(f, &reasons);
	buf_printf(out, "KITETOP %s - %zu host%s", word[lvl], f->nhosts, f->nhosts == 1 ? "" : "s");
	for (p = buf_cstr(&reasons); *p != '\0'; p = nl + 1) {
		size_t n;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		n = (size_t)(nl - p + (*nl == '\n' ? 0 : 1));
		/* the first reason always; then, in order, while the text stays short */
		if (first > 0 && (detail.len > 0 || out->len - start + 2 + n > STATUS_CHECK_TEXT_MAX)) {
			buf_append(&detail, p, n);
			buf_putc(&detail, '\n');
			continue;
		}
		buf_puts(out, first++ == 0 ? ": " : "; ");
		buf_append(out, p, n);
	}
	if (detail.len > 0) {
		size_t more = 0;

		for (p = buf_cstr(&detail); (p = strchr(p, '\n')) != NULL; p++)
			more++;
		buf_printf(out, "; and %zu more", more);
	}
	buf_puts(out, " | ");
	status_check_perfdata(f, out);
	buf_putc(out, '\n');
	buf_append(out, buf_cstr(&detail), detail.len);
	buf_done(&detail);
	buf_done(&reasons);
	return lvl;
}
