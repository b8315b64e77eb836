/* config_alerts — [alerts], the thresholds of the verdicts, and the keys of
 * it that a [host NAME] (cpu_*, mem_*, disk_*) or a [service NAME]
 * (restarts_warn, probe_ms_warn) sets for itself.  The keys are declared
 * with the others in config_keys.c; here are their defaults, the check of a
 * percentage, and what can only be done once the whole file is read: an
 * override may come before [alerts] in the file, so the inheritance and the
 * warn < crit checks wait for the end. */
#include <stdlib.h>
#include <string.h>

#include "core/config/config.h"
#include "core/config/config_internal.h"
#include "core/base/util.h"

/* The key names of each figure's pair, as in the files. */
static const char *const alerts_warn_key[CONFIG_ALERT_NFIGURES] = { "cpu_warn", "mem_warn", "disk_warn" };
static const char *const alerts_crit_key[CONFIG_ALERT_NFIGURES] = { "cpu_crit", "mem_crit", "disk_crit" };

void config_alerts_defaults(struct config *cfg)
{
	struct config_alerts *a = &cfg->alerts;

	for (int i = 0; i < CONFIG_ALERT_NFIGURES; i++) {
		a->host.warn[i] = CONFIG_DEFAULT_PCT_WARN;
		a->host.crit[i] = CONFIG_DEFAULT_PCT_CRIT;
	}
	a->restarts_warn = CONFIG_DEFAULT_RESTARTS_WARN;
	a->probe_ms_warn = 0;
	a->pg_conn_warn = CONFIG_DEFAULT_PG_CONN_WARN;
	a->pg_conn_crit = CONFIG_DEFAULT_PG_CONN_CRIT;
}

int config_check_pct(const char *name, const char *s, double *out, char **why)
{
	double v;

	if (config_check_number(s, &v, why) != 0)
		return -1;
	if (v < 0 || v > 100) {
		util_set_cause(why, "%s = %s: a percentage from 0 to 100", name, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The line key was set on in sec, or 0 (not set, or no section). */
static int alerts_key_line(const struct section *sec, const char *key)
{
	const struct key_def *suggest;
	int i;

	if (sec == NULL)
		return 0;
	i = config_key_find(sec->kind, key, &suggest);
	return i < 0 ? 0 : sec->key_line[i];
}

/* The section whose struct is obj, or NULL (a host made up for this machine). */
static const struct section *alerts_section_of(const struct section *secs, size_t nsecs,
                                               const void *obj)
{
	for (size_t i = 0; i < nsecs; i++) {
		if (secs[i].obj == obj)
			return &secs[i];
	}
	return NULL;
}

/* warn < crit for each figure of a (set in sec, the rest from [alerts]);
 * the error is on the line of the pair's key that sec sets, the warn's
 * first. */
static int alerts_check_pairs(const struct config_pct_alerts *a, const struct section *sec,
                              const struct section *alerts, int *line, char **why)
{
	for (int i = 0; i < CONFIG_ALERT_NFIGURES; i++) {
		int wl = alerts_key_line(sec, alerts_warn_key[i]);
		int cl = alerts_key_line(sec, alerts_crit_key[i]);

		if (a->warn[i] < a->crit[i])
			continue;
		*line = wl != 0 ? wl : cl != 0 ? cl : sec != NULL ? sec->line : 0;
		/* name the key on that line first, and where the other half came from */
		if (wl == 0 && cl != 0)
			util_set_cause(why, "%s (%g) must be above %s (%g%s)", alerts_crit_key[i], a->crit[i],
			               alerts_warn_key[i], a->warn[i], sec != alerts ? ", from [alerts]" : "");
		else
			util_set_cause(why, "%s (%g) must be below %s (%g%s)", alerts_warn_key[i], a->warn[i],
			               alerts_crit_key[i], a->crit[i],
			               sec != alerts && cl == 0 ? ", from [alerts]" : "");
		return -1;
	}
	return 0;
}

/* A host's figures: its own keys, the others from [alerts]. */
static int alerts_finish_host(const struct config *cfg, struct config_host *h,
                              const struct section *sec, const struct section *alerts, int *line,
                              char **why)
{
	for (int i = 0; i < CONFIG_ALERT_NFIGURES; i++) {
		if (alerts_key_line(sec, alerts_warn_key[i]) == 0)
			h->alerts.warn[i] = cfg->alerts.host.warn[i];
		if (alerts_key_line(sec, alerts_crit_key[i]) == 0)
			h->alerts.crit[i] = cfg->alerts.host.crit[i];
	}
	return alerts_check_pairs(&h->alerts, sec, alerts, line, why);
}

static int alerts_check_pg(const struct config_alerts *a, const struct section *alerts, int *line,
                           char **why)
{
	int wl = alerts_key_line(alerts, "pg_conn_warn");

	if (a->pg_conn_warn < a->pg_conn_crit)
		return 0;
	*line = wl != 0 ? wl : alerts_key_line(alerts, "pg_conn_crit");
	util_set_cause(why, "pg_conn_warn (%g) must be below pg_conn_crit (%g)", a->pg_conn_warn,
	               a->pg_conn_crit);
	return -1;
}

int config_alerts_finish(struct config *cfg, const struct section *secs, size_t nsecs, int *line,
                         char **why)
{
	const struct section *alerts = alerts_section_of(secs, nsecs, &cfg->alerts);

	if (alerts_check_pairs(&cfg->alerts.host, alerts, alerts, line, why) != 0 ||
	    alerts_check_pg(&cfg->alerts, alerts, line, why) != 0)
		return -1;
	for (size_t i = 0; i < cfg->nservices; i++) {
		struct config_service *s = &cfg->services[i];
		const struct section *sec = alerts_section_of(secs, nsecs, s);

		if (alerts_key_line(sec, "restarts_warn") == 0)
			s->restarts_warn = cfg->alerts.restarts_warn;
		if (alerts_key_line(sec, "probe_ms_warn") == 0)
			s->probe_ms_warn = cfg->alerts.probe_ms_warn;
	}
	for (size_t i = 0; i < cfg->nhosts; i++) {
		struct config_host *h = &cfg->hosts[i];

		if (alerts_finish_host(cfg, h, alerts_section_of(secs, nsecs, h), alerts, line, why) != 0)
			return -1;
	}
	return 0;
}
