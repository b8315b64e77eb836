/* status_services — see status_services.h. */
#include "core/model/status_services.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/feeds/feed_probes.h"
#include "core/base/util.h"

static enum status_level services_worse(enum status_level a, enum status_level b)
{
	static const int rank[] = { 0, 1, 3, 2 };   /* unknown between warn and crit */

	return rank[b] > rank[a] ? b : a;
}

/* "who: a b\n" (b may be NULL). */
static void services_note(struct buf *reasons, const char *who, const char *a, const char *b)
{
	if (reasons != NULL)
		buf_printf(reasons, "%s: %s%s%s\n", who, a, b != NULL ? " " : "", b != NULL ? b : "");
}

static cJSON *services_probe_json(const struct probe_result *r, const char *missing)
{
	cJSON *o = cJSON_CreateObject();

	if (r == NULL || !r->done) {
		cJSON_AddFalseToObject(o, "ok");
		cJSON_AddNullToObject(o, "status");
		cJSON_AddNullToObject(o, "ms");
		cJSON_AddStringToObject(o, "error", missing != NULL ? missing : "not probed");
		return o;
	}
	cJSON_AddBoolToObject(o, "ok", r->ok);
	if (r->status > 0)
		cJSON_AddNumberToObject(o, "status", (double)r->status);
	else
		cJSON_AddNullToObject(o, "status");
	if (r->ms >= 0)
		cJSON_AddNumberToObject(o, "ms", round(r->ms));
	else
		cJSON_AddNullToObject(o, "ms");
	if (r->error != NULL)
		cJSON_AddStringToObject(o, "error", r->error);
	else
		cJSON_AddNullToObject(o, "error");
	return o;
}

/* The probes' value, or NULL with *why ("no answer yet", the error). */
static const struct lab_probes *services_value(struct snapshot *snap, const char **why)
{
	*why = snap == NULL ? "no answer yet" : snap->error;
	return snap != NULL && snap->error == NULL ? snap->value : NULL;
}

cJSON *status_services_json(struct lab *lab)
{
	const struct config *cfg = lab->cfg;
	struct snapshot *ps = lab->probes != NULL ? source_get(lab->probes) : NULL;
	struct snapshot **ds = xcalloc(lab->nhosts + 1, sizeof *ds);
	const char *why;
	const struct lab_probes *p = services_value(ps, &why);
	cJSON *arr;

	if (cfg->nservices == 0) {
		free(ds);
		snapshot_unref(ps);
		return cJSON_CreateNull();
	}
	for (size_t h = 0; h < lab->nhosts; h++)
		ds[h] = lab->hosts[h].docker != NULL ? source_get(lab->hosts[h].docker) : NULL;
	arr = cJSON_CreateArray();
	for (size_t s = 0; s < cfg->nservices; s++) {
		const struct config_service *svc = &cfg->services[s];
		cJSON *o = cJSON_CreateObject(), *hosts;

		cJSON_AddStringToObject(o, "name", svc->name);
		hosts = cJSON_AddObjectToObject(o, "hosts");
		for (size_t h = 0; h < lab->nhosts; h++) {
			cJSON *ho = cJSON_CreateObject();

			if (ds[h] != NULL && ds[h]->error == NULL) {
				const struct docker_container *dc = lab_containers_find(ds[h]->value, svc->container);

				cJSON_AddStringToObject(ho, "state", docker_state_name(dc != NULL ? dc->state :
				                        DOCKER_STATE_MISSING));
				cJSON_AddStringToObject(ho, "health", docker_health_name(dc != NULL ? dc->health :
				                        DOCKER_HEALTH_NONE));
			} else {
				cJSON_AddNullToObject(ho, "state");     /* no engine, or it failed */
				cJSON_AddNullToObject(ho, "health");
			}
			if (svc->health == NULL)
				cJSON_AddNullToObject(ho, "probe");
			else
				cJSON_AddItemToObject(ho, "probe", services_probe_json(lab_probes_host(p, s, h), why));
			cJSON_AddItemToObject(hosts, lab->hosts[h].name, ho);
		}
		if (svc->public_url == NULL)
			cJSON_AddNullToObject(o, "public");
		else
			cJSON_AddItemToObject(o, "public", services_probe_json(lab_probes_public(p, s), why));
		cJSON_AddItemToArray(arr, o);
	}
	for (size_t h = 0; h < lab->nhosts; h++)
		snapshot_unref(ds[h]);
	free(ds);
	snapshot_unref(ps);
	return arr;
}

cJSON *status_authentik_json(struct lab *lab)
{
	struct snapshot *snap;
	const struct lab_authentik *a;
	cJSON *o, *hosts;

	if (lab->authentik == NULL)
		return cJSON_CreateNull();
	snap = source_get(lab->authentik);
	a = snap != NULL && snap->error == NULL ? snap->value : NULL;
	o = cJSON_CreateObject();
	hosts = cJSON_AddObjectToObject(o, "hosts");
	for (size_t h = 0; h < lab->nhosts && (a == NULL || a->have_url); h++) {
		cJSON *ho = cJSON_CreateObject();

		if (a == NULL) {
			cJSON_AddNullToObject(ho, "live");
			cJSON_AddNullToObject(ho, "ready");
			cJSON_AddStringToObject(ho, "error", snap != NULL ? snap->error : "no answer yet");
		} else {
			cJSON_AddBoolToObject(ho, "live", a->hosts[h].live);
			cJSON_AddBoolToObject(ho, "ready", a->hosts[h].ready);
			if (a->hosts[h].error != NULL)
				cJSON_AddStringToObject(ho, "error", a->hosts[h].error);
			else
				cJSON_AddNullToObject(ho, "error");
		}
		cJSON_AddItemToObject(hosts, lab->hosts[h].name, ho);
	}
	if (a != NULL && a->info.have_version)
		cJSON_AddStringToObject(o, "version", a->info.version.current);
	else
		cJSON_AddNullToObject(o, "version");
	if (a != NULL && a->info.workers >= 0)
		cJSON_AddNumberToObject(o, "workers", a->info.workers);
	else
		cJSON_AddNullToObject(o, "workers");
	if (a == NULL) {
		cJSON_AddStringToObject(o, "error", snap != NULL ? snap->error : "no answer yet");
	} else if (a->have_public && a->pub.error != NULL) {
		char *e = xasprintf("public_url: %s", a->pub.error);

		cJSON_AddStringToObject(o, "error", e);
		free(e);
	} else if (a->info.error != NULL) {
		cJSON_AddStringToObject(o, "error", a->info.error);
	} else {
		cJSON_AddNullToObject(o, "error");
	}
	snapshot_unref(snap);
	return o;
}

static enum status_level services_probes_level(struct lab *lab, struct buf *reasons)
{
	const struct config *cfg = lab->cfg;
	struct snapshot *ps;
	const struct lab_probes *p;
	const char *why;
	enum status_level lvl = STATUS_OK;

	if (lab->probes == NULL)
		return STATUS_OK;
	ps = source_get(lab->probes);
	p = services_value(ps, &why);
	if (p == NULL) {
		services_note(reasons, "probes", why, NULL);
		snapshot_unref(ps);
		return ps != NULL ? STATUS_WARN : STATUS_UNKNOWN;
	}
	for (size_t s = 0; s < cfg->nservices && s < p->nservices; s++) {
		const struct config_service *svc = &cfg->services[s];
		const struct probe_result *pub = lab_probes_public(p, s);
		size_t probed = 0, failed = 0;

		for (size_t h = 0; svc->health != NULL && h < p->nhosts && h < lab->nhosts; h++) {
			const struct probe_result *r = lab_probes_host(p, s, h);

			if (!r->done)
				continue;
			probed++;
			if (!r->ok) {
				char *w = xasprintf("%s probe:", svc->name);

				failed++;
				services_note(reasons, lab->hosts[h].name, w, r->error != NULL ? r->error : "failed");
				free(w);
			}
		}
		if (failed > 0)
			lvl = services_worse(lvl, failed == probed ? STATUS_CRIT : STATUS_WARN);
		if (svc->public_url != NULL && pub->done && !pub->ok) {
			services_note(reasons, svc->name, "public_url:", pub->error != NULL ? pub->error : "failed");
			lvl = services_worse(lvl, STATUS_CRIT);
		}
	}
	snapshot_unref(ps);
	return lvl;
}

static enum status_level services_authentik_level(struct lab *lab, struct buf *reasons)
{
	struct snapshot *snap;
	const struct lab_authentik *a;
	enum status_level lvl = STATUS_OK;
	size_t bad = 0;

	if (lab->authentik == NULL)
		return STATUS_OK;
	snap = source_get(lab->authentik);
	a = snap != NULL && snap->error == NULL ? snap->value : NULL;
	if (a == NULL) {
		services_note(reasons, "authentik", snap != NULL ? snap->error : "no answer yet", NULL);
		snapshot_unref(snap);
		return snap != NULL ? STATUS_WARN : STATUS_UNKNOWN;
	}
	for (size_t h = 0; a->have_url && h < a->nhosts && h < lab->nhosts; h++) {
		if (a->hosts[h].live && a->hosts[h].ready)
			continue;
		bad++;
		services_note(reasons, lab->hosts[h].name, "authentik",
		              a->hosts[h].error != NULL ? a->hosts[h].error : "not ready");
	}
	if (bad > 0)
		lvl = bad == a->nhosts ? STATUS_CRIT : STATUS_WARN;
	if (a->have_public && a->pub.error != NULL) {
		services_note(reasons, "authentik", "public_url:", a->pub.error);
		lvl = services_worse(lvl, STATUS_CRIT);
	}
	if (a->info.error != NULL) {
		services_note(reasons, "authentik", a->info.error, NULL);
		lvl = services_worse(lvl, STATUS_WARN);
	}
	snapshot_unref(snap);
	return lvl;
}

enum status_level status_services_level(struct lab *lab, struct buf *reasons)
{
	return services_worse(services_probes_level(lab, reasons),
	                      services_authentik_level(lab, reasons));
}

/* "ok 200 12 ms" / "HTTP 404 (15 ms)" / "connection refused". */
static void services_probe_text(struct buf *out, const cJSON *probe)
{
	const cJSON *ok = cJSON_GetObjectItem(probe, "ok"), *st = cJSON_GetObjectItem(probe, "status");
	const cJSON *ms = cJSON_GetObjectItem(probe, "ms"), *err = cJSON_GetObjectItem(probe, "error");

	if (cJSON_IsTrue(ok))
		buf_printf(out, "ok %d", st->valueint);
	else
		buf_printf(out, "FAIL %s", cJSON_IsString(err) ? err->valuestring : "?");
	if (cJSON_IsNumber(ms))
		buf_printf(out, " %d ms", ms->valueint);
}

void status_services_text(struct lab *lab, struct buf *out)
{
	cJSON *arr = status_services_json(lab), *svc, *ak;

	if (cJSON_IsArray(arr)) {
		buf_puts(out, "\nservices\n");
		cJSON_ArrayForEach(svc, arr) {
			const cJSON *hosts = cJSON_GetObjectItem(svc, "hosts"), *pub = cJSON_GetObjectItem(svc, "public");
			const cJSON *h;

			buf_printf(out, "  %s\n", cJSON_GetObjectItem(svc, "name")->valuestring);
			cJSON_ArrayForEach(h, hosts) {
				const cJSON *state = cJSON_GetObjectItem(h, "state");
				const cJSON *probe = cJSON_GetObjectItem(h, "probe");

				buf_printf(out, "    %-12s %-10s ", h->string,
				           cJSON_IsString(state) ? state->valuestring : "?");
				if (cJSON_IsObject(probe))
					services_probe_text(out, probe);
				else
					buf_puts(out, "no probe");
				buf_putc(out, '\n');
			}
			if (cJSON_IsObject(pub)) {
				buf_printf(out, "    %-12s %-10s ", "public", "");
				services_probe_text(out, pub);
				buf_putc(out, '\n');
			}
		}
	}
	cJSON_Delete(arr);
	ak = status_authentik_json(lab);
	if (cJSON_IsObject(ak)) {
		const cJSON *h, *v = cJSON_GetObjectItem(ak, "version"), *w = cJSON_GetObjectItem(ak, "workers");
		const cJSON *e = cJSON_GetObjectItem(ak, "error");

		buf_puts(out, "\nauthentik");
		if (cJSON_IsString(v))
			buf_printf(out, " %s", v->valuestring);
		if (cJSON_IsNumber(w))
			buf_printf(out, ", %d worker%s", w->valueint, w->valueint == 1 ? "" : "s");
		if (cJSON_IsString(e))
			buf_printf(out, ": %s", e->valuestring);
		buf_putc(out, '\n');
		cJSON_ArrayForEach(h, cJSON_GetObjectItem(ak, "hosts")) {
			const cJSON *live = cJSON_GetObjectItem(h, "live"), *ready = cJSON_GetObjectItem(h, "ready");
			const cJSON *he = cJSON_GetObjectItem(h, "error");

			buf_printf(out, "  %-12s live %s  ready %s", h->string,
			           cJSON_IsBool(live) ? (cJSON_IsTrue(live) ? "yes" : "no") : "?",
			           cJSON_IsBool(ready) ? (cJSON_IsTrue(ready) ? "yes" : "no") : "?");
			if (cJSON_IsString(he))
				buf_printf(out, "  (%s)", he->valuestring);
			buf_putc(out, '\n');
		}
	}
	cJSON_Delete(ak);
}
