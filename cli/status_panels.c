/* status_panels — see status_panels.h. */
#include "cli/status_panels.h"

#include <math.h>

#include "core/feeds/panels.h"

static const char *status_panels_unit(enum config_unit u)
{
	switch (u) {
	case CONFIG_UNIT_BYTES: return "bytes";
	case CONFIG_UNIT_PERCENT: return "percent";
	case CONFIG_UNIT_SECONDS: return "seconds";
	default: return "plain";
	}
}

static const char *status_panels_level(enum panels_level l)
{
	return l == PANELS_CRIT ? "crit" : l == PANELS_WARN ? "warn" : "ok";
}

/* The panels' data, or NULL (with *error) when there is none to judge. */
static const struct panels *status_panels_value(const struct frame *f, const char **error)
{
	const struct frame_feed *feed = &f->panels.feed;

	*error = !feed->polled ? "no answer yet" : feed->error;
	return feed->polled && feed->error == NULL ? f->panels.value : NULL;
}

/* Panel i's data in p (NULL: none). */
static const struct panel_data *status_panels_item(const struct panels *p, const struct config_panel *pc)
{
	for (size_t k = 0; p != NULL && k < p->n; k++)
		if (p->items[k].cfg == pc)
			return &p->items[k];
	return NULL;
}

static void status_panels_number(cJSON *o, const char *key, bool has, double v)
{
	if (has && isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *status_panels_json(const struct frame *f)
{
	const char *ferr;
	const struct panels *p;
	cJSON *arr;

	if (!f->panels.feed.configured || f->cfg->npanels == 0)
		return cJSON_CreateNull();
	p = status_panels_value(f, &ferr);
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < f->cfg->npanels; i++) {
		const struct config_panel *pc = &f->cfg->panels[i];
		const struct panel_data *pd = status_panels_item(p, pc);
		const char *err = pd == NULL ? (ferr != NULL ? ferr : "no answer yet") : pd->error;
		enum panels_level worst = PANELS_OK;
		cJSON *o = cJSON_CreateObject(), *series;

		cJSON_AddStringToObject(o, "title", pc->title);
		cJSON_AddStringToObject(o, "unit", status_panels_unit(pc->unit));
		status_panels_number(o, "warn", pc->has_warn, pc->warn);
		status_panels_number(o, "crit", pc->has_crit, pc->crit);
		series = cJSON_CreateArray();
		for (size_t k = 0; err == NULL && k < pd->n; k++) {
			const struct panel_series *s = &pd->series[k];
			enum panels_level l = panels_level(pc, s->value);
			cJSON *so = cJSON_CreateObject();

			worst = l > worst ? l : worst;
			cJSON_AddStringToObject(so, "label", s->label);
			if (s->host >= 0 && (size_t)s->host < f->nhosts)
				cJSON_AddStringToObject(so, "host", f->hosts[s->host].name);
			else
				cJSON_AddNullToObject(so, "host");
			status_panels_number(so, "value", true, s->value);
			cJSON_AddStringToObject(so, "level", status_panels_level(l));
			cJSON_AddItemToArray(series, so);
		}
		cJSON_AddStringToObject(o, "level", err != NULL ? "unknown" : status_panels_level(worst));
		if (err != NULL)
			cJSON_AddStringToObject(o, "error", err);
		else
			cJSON_AddNullToObject(o, "error");
		cJSON_AddItemToObject(o, "series", series);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

void status_panels_text(const struct frame *f, struct buf *out)
{
	const char *ferr;
	const struct panels *p;

	if (!f->panels.feed.configured || f->cfg->npanels == 0)
		return;
	p = status_panels_value(f, &ferr);
	buf_puts(out, "\npanels\n");
	for (size_t i = 0; i < f->cfg->npanels; i++) {
		const struct config_panel *pc = &f->cfg->panels[i];
		const struct panel_data *pd = status_panels_item(p, pc);
		const char *err = pd == NULL ? (ferr != NULL ? ferr : "no answer yet") : pd->error;

		buf_printf(out, "  %s\n", pc->title);
		if (err != NULL) {
			buf_printf(out, "    error: %s\n", err);
			continue;
		}
		for (size_t k = 0; k < pd->n; k++) {
			const struct panel_series *s = &pd->series[k];
			enum panels_level l = panels_level(pc, s->value);
			char v[32];

			panels_format_value(v, sizeof v, pc->unit, s->value);
			buf_printf(out, "    %-24s %s%s%s\n", s->label[0] != '\0' ? s->label : "-", v,
			           l != PANELS_OK ? "  " : "", l != PANELS_OK ? status_panels_level(l) : "");
		}
		if (pd->total > pd->n)
			buf_printf(out, "    (%zu more series not kept)\n", pd->total - pd->n);
	}
}
