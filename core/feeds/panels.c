/* panels — see panels.h. */
#include "core/feeds/panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/format.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

void panel_data_done(struct panel_data *pd)
{
	for (size_t i = 0; i < pd->n; i++) {
		free(pd->series[i].key);
		free(pd->series[i].label);
		free(pd->series[i].hist);
	}
	free(pd->series);
	free(pd->error);
	pd->series = NULL;
	pd->error = NULL;
	pd->n = pd->total = 0;
}

void panels_free(struct panels *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		panel_data_done(&p->items[i]);
	free(p->items);
	free(p);
}

bool panels_has_placeholder(const char *query)
{
	return query != NULL && strstr(query, PANELS_PLACEHOLDER) != NULL;
}

/* selector without its surrounding spaces, braces and trailing commas */
static char *panels_bare_selector(const char *selector)
{
	const char *s = selector != NULL ? selector : "";
	size_t n;

	while (*s == ' ' || *s == '{')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '}' || s[n - 1] == ','))
		n--;
	return xstrndup(s, n);
}

char *panels_substitute(const char *query, const char *selector)
{
	const size_t plen = strlen(PANELS_PLACEHOLDER);
	char *sel = panels_bare_selector(selector);
	struct buf b;
	const char *p = query != NULL ? query : "", *hit;

	buf_init(&b);
	while ((hit = strstr(p, PANELS_PLACEHOLDER)) != NULL) {
		size_t keep = (size_t)(hit - p);
		char prev;

		size_t last;

		buf_append(&b, p, keep);
		/* the last character written, spaces skipped */
		for (last = b.len; last > 0 && b.data[last - 1] == ' '; last--)
			;
		prev = last > 0 ? b.data[last - 1] : '\0';
		if (prev == '{' || prev == ',') {
			b.len = prev == ',' && sel[0] == '\0' ? last - 1 : last;
			b.data[b.len] = '\0';
			buf_puts(&b, sel);
		} else {
			buf_printf(&b, "{%s}", sel);
		}
		p = hit + plen;
	}
	buf_puts(&b, p);
	free(sel);
	return buf_steal(&b);
}

/* Parses the equality matchers of a selector into keys/values (k="v", ...).
 * Returns how many, or -1 when a matcher is not a plain equality (or the
 * text is not matchers).  At most max. */
static int panels_matchers(const char *selector, char **keys, char **values, int max)
{
	char *sel = panels_bare_selector(selector);
	const char *p = sel;
	int n = 0;

	while (*p != '\0') {
		const char *k = p, *v;
		size_t klen;
		struct buf val;

		while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (p > k && *p >= '0' && *p <= '9'))
			p++;
		klen = (size_t)(p - k);
		while (*p == ' ')
			p++;
		if (klen == 0 || *p != '=' || p[1] == '~' || n >= max)
			goto bad;
		p++;
		while (*p == ' ')
			p++;
		if (*p != '"')
			goto bad;
		buf_init(&val);
		for (v = p + 1; *v != '\0' && *v != '"'; v++) {
			if (*v == '\\' && v[1] != '\0')
				v++;
			buf_putc(&val, *v);
		}
		if (*v != '"') {
			buf_done(&val);
			goto bad;
		}
		keys[n] = xstrndup(k, klen);
		values[n] = buf_steal(&val);
		n++;
		p = v + 1;
		while (*p == ' ' || *p == ',')
			p++;
	}
	free(sel);
	return n;
bad:
	for (int i = 0; i < n; i++) {
		free(keys[i]);
		free(values[i]);
	}
	free(sel);
	return -1;
}

int panels_match_host(const struct prom_series *s, const struct panels_hosts *h)
{
	int found = -1;

	for (size_t i = 0; i < h->n; i++) {
		char *keys[16], *values[16];
		int n = panels_matchers(h->selectors[i], keys, values, 16);
		bool all = n > 0;

		for (int j = 0; j < n; j++) {
			const char *v = prom_label(s, keys[j]);

			if (v == NULL || strcmp(v, values[j]) != 0)
				all = false;
			free(keys[j]);
			free(values[j]);
		}
		if (all) {
			if (found != -1)
				return -1;   /* two hosts claim it: belongs to neither */
			found = (int)i;
		}
	}
	return found;
}

static bool panels_internal_label(const char *k)
{
	return strcmp(k, PANELS_PANEL_LABEL) == 0 || strcmp(k, PANELS_HOST_LABEL) == 0 ||
	       strcmp(k, PROM_FIG_LABEL) == 0;
}

struct panels_cand {
	const struct prom_series *s;
	int host;
	char *key;
};

static int panels_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "k=v k=v" of s's labels, sorted, internal ones left out. */
static char *panels_labels_text(const struct prom_series *s, bool with_name)
{
	char **kv = xcalloc(s->nlabels > 0 ? s->nlabels : 1, sizeof *kv);
	size_t n = 0;
	struct buf b;

	for (size_t i = 0; i < s->nlabels; i++) {
		if (panels_internal_label(s->keys[i]) ||
		    (!with_name && strcmp(s->keys[i], "__name__") == 0))
			continue;
		kv[n++] = xasprintf("%s=%s", s->keys[i], s->values[i]);
	}
	qsort(kv, n, sizeof *kv, panels_str_cmp);
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i > 0 ? " " : "", kv[i]);
		free(kv[i]);
	}
	free(kv);
	return buf_steal(&b);
}

int panels_series_host(const struct panels_input *in, const struct config_panel *cfg,
                       const struct panels_hosts *h)
{
	if (in->host >= 0 || cfg == NULL || !cfg->per_host)
		return in->host;
	return panels_match_host(in->s, h);
}

char *panels_series_key(const struct panels_input *in, const struct config_panel *cfg,
                        const struct panels_hosts *h)
{
	char *labels = panels_labels_text(in->s, true);
	char *key = xasprintf("%d %s", panels_series_host(in, cfg, h), labels);

	free(labels);
	return key;
}

static int panels_cand_cmp(const void *a, const void *b)
{
	const struct panels_cand *x = a, *y = b;
	unsigned hx = (unsigned)x->host, hy = (unsigned)y->host;   /* -1 last */

	if (hx != hy)
		return hx < hy ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Whether label k has the same value (or absence) on every kept series. */
static bool panels_label_constant(const struct panels_cand *c, size_t n, const char *k)
{
	const char *first = prom_label(c[0].s, k);

	for (size_t i = 1; i < n; i++) {
		const char *v = prom_label(c[i].s, k);

		if ((v == NULL) != (first == NULL) || (v != NULL && strcmp(v, first) != 0))
			return false;
	}
	return true;
}

/* The label shown for c[i]: the host's name when it is that host's only
 * series, else (the host's name and) the labels that differ between series. */
static char *panels_label(const struct panels_cand *c, size_t n, size_t i,
                          const struct panels_hosts *h)
{
	const struct prom_series *s = c[i].s;
	size_t same_host = 0;
	char **kv;
	size_t nkv = 0;
	struct buf b;

	for (size_t j = 0; j < n; j++)
		if (c[j].host == c[i].host)
			same_host++;
	if (c[i].host >= 0 && same_host == 1)
		return xstrdup(h->names[c[i].host]);
	kv = xcalloc(s->nlabels > 0 ? s->nlabels : 1, sizeof *kv);
	for (size_t k = 0; k < s->nlabels; k++)
		if (!panels_internal_label(s->keys[k]) && !panels_label_constant(c, n, s->keys[k]))
			kv[nkv++] = xasprintf("%s=%s", s->keys[k], s->values[k]);
	qsort(kv, nkv, sizeof *kv, panels_str_cmp);
	buf_init(&b);
	if (c[i].host >= 0)
		buf_puts(&b, h->names[c[i].host]);
	for (size_t k = 0; k < nkv; k++) {
		buf_printf(&b, "%s%s", b.len > 0 ? " " : "", kv[k]);
		free(kv[k]);
	}
	free(kv);
	if (b.len == 0) {
		char *all = panels_labels_text(s, false);

		buf_puts(&b, all[0] != '\0' ? all : "value");
		free(all);
	}
	return buf_steal(&b);
}

void panels_build(struct panel_data *pd, const struct panels_input *in, size_t n,
                  const struct panels_hosts *h)
{
	const struct config_panel *cfg = pd->cfg;
	struct panels_cand *c = xcalloc(n > 0 ? n : 1, sizeof *c);
	size_t nc = 0, keep;

	panel_data_done(pd);
	pd->cfg = cfg;
	for (size_t i = 0; i < n; i++) {
		if (in[i].s->npoints == 0)
			continue;
		c[nc].s = in[i].s;
		c[nc].host = panels_series_host(&in[i], cfg, h);
		c[nc].key = panels_series_key(&in[i], cfg, h);
		nc++;
	}
	qsort(c, nc, sizeof *c, panels_cand_cmp);
	keep = nc < PANELS_MAX_SERIES ? nc : PANELS_MAX_SERIES;
	pd->total = nc;
	pd->n = keep;
	pd->series = xcalloc(keep > 0 ? keep : 1, sizeof *pd->series);
	for (size_t i = 0; i < keep; i++) {
		struct panel_series *ps = &pd->series[i];
		const struct prom_series *s = c[i].s;

		ps->key = c[i].key;
		c[i].key = NULL;
		ps->label = panels_label(c, keep, i, h);
		ps->host = c[i].host;
		ps->value = s->points[s->npoints - 1].value;
	}
	for (size_t i = 0; i < nc; i++)
		free(c[i].key);
	free(c);
}

enum panels_level panels_level(const struct config_panel *cfg, double v)
{
	bool lower = cfg->has_warn && cfg->has_crit && cfg->crit < cfg->warn;

	if (isnan(v))
		return PANELS_OK;
	if (cfg->has_crit && (lower ? v <= cfg->crit : v >= cfg->crit))
		return PANELS_CRIT;
	if (cfg->has_warn && (lower ? v <= cfg->warn : v >= cfg->warn))
		return PANELS_WARN;
	return PANELS_OK;
}

void panels_format_value(char *out, size_t n, enum config_unit unit, double v)
{
	double a = fabs(v);

	if (isnan(v)) {
		snprintf(out, n, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, n, "%s", v > 0 ? "+Inf" : "-Inf");
		return;
	}
	switch (unit) {
	case CONFIG_UNIT_BYTES:
		if (v < 0) {
			char tmp[32];

			format_bytes(tmp, sizeof tmp, -v);
			snprintf(out, n, "-%s", tmp);
		} else {
			format_bytes(out, n, v);
		}
		return;
	case CONFIG_UNIT_PERCENT:
		format_pct(out, n, v);
		return;
	case CONFIG_UNIT_SECONDS:
		if (a < 1e-3 && a > 0)
			snprintf(out, n, "%.0f \xc2\xb5s", v * 1e6);
		else if (a < 1)
			snprintf(out, n, "%.0f ms", v * 1e3);
		else if (a < 60)
			snprintf(out, n, "%.1f s", v);
		else
			time_format_duration(out, n, (int64_t)v);
		return;
	case CONFIG_UNIT_PLAIN:
	default:
		if (a >= 1e9)
			snprintf(out, n, "%.1fG", v / 1e9);
		else if (a >= 1e6)
			snprintf(out, n, "%.1fM", v / 1e6);
		else if (a >= 1e4)
			snprintf(out, n, "%.1fk", v / 1e3);
		else if (a >= 100 || v == floor(v))
			snprintf(out, n, "%.0f", v);
		else
			snprintf(out, n, "%.2f", v);
		return;
	}
}
