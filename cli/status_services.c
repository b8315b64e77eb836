/* status_services — see status_services.h. */
#include "cli/status_services.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/util.h"
#include "core/model/implicit.h"
#include "core/model/verdict_drift.h"

static cJSON *status_services_probe_json(const struct probe_result *r, const char *missing)
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

static void status_services_string_or_null(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* A service's drift: null when the hosts that run its container run the
 * same image, else the reason and each of those hosts' image and id. */
static cJSON *status_services_drift_json(const struct frame *f, const char *container)
{
	struct verdict_drift d;
	char reason[2 * VERDICT_DRIFT_WHAT + 64];
	cJSON *o, *hosts;

	if (!verdict_drift(f, container, &d))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	verdict_drift_reason(&d, reason, sizeof reason);
	cJSON_AddStringToObject(o, "reason", reason);
	hosts = cJSON_AddObjectToObject(o, "hosts");
	for (size_t h = 0; h < f->nhosts; h++) {
		const struct docker_container *dc = verdict_drift_running(&f->hosts[h], container);
		cJSON *ho;

		if (dc == NULL)
			continue;
		ho = cJSON_AddObjectToObject(hosts, f->hosts[h].name);
		status_services_string_or_null(ho, "image", dc->image);
		status_services_string_or_null(ho, "image_id", dc->image_id);
	}
	return o;
}

/* Without [service] sections: the implicit services (core/model/implicit.h),
 * in the same shape, without probes, and "implicit": true; null when there
 * is none. */
static cJSON *status_services_implicit_json(const struct frame *f)
{
	struct implicit_services is;
	cJSON *arr;

	implicit_services_build(f, &is);
	if (is.n == 0) {
		implicit_services_done(&is);
		return cJSON_CreateNull();
	}
	arr = cJSON_CreateArray();
	for (size_t s = 0; s < is.n; s++) {
		cJSON *o = cJSON_CreateObject(), *hosts;

		cJSON_AddStringToObject(o, "name", is.v[s].name);
		cJSON_AddTrueToObject(o, "implicit");
		hosts = cJSON_AddObjectToObject(o, "hosts");
		for (size_t h = 0; h < f->nhosts; h++) {
			const struct frame_host *fh = &f->hosts[h];
			const struct docker_container *dc = is.v[s].dc[h];
			cJSON *ho = cJSON_CreateObject();

			if (fh->docker.feed.polled && fh->docker.feed.error == NULL) {
				cJSON_AddStringToObject(ho, "state", docker_state_name(dc != NULL ? dc->state :
				                        DOCKER_STATE_MISSING));
				cJSON_AddStringToObject(ho, "health", docker_health_name(dc != NULL ? dc->health :
				                        DOCKER_HEALTH_NONE));
			} else {
				cJSON_AddNullToObject(ho, "state");
				cJSON_AddNullToObject(ho, "health");
			}
			status_services_string_or_null(ho, "container", dc != NULL ? dc->name : NULL);
			cJSON_AddNullToObject(ho, "probe");
			cJSON_AddItemToObject(hosts, fh->name, ho);
		}
		cJSON_AddNullToObject(o, "public");
		cJSON_AddItemToObject(o, "drift", status_services_drift_json(f, is.v[s].name));
		cJSON_AddItemToArray(arr, o);
	}
	implicit_services_done(&is);
	return arr;
}

cJSON *status_services_json(const struct frame *f)
{
	const struct config *cfg = f->cfg;
	const struct frame_feed *feed = &f->probes.feed;
	/* why every probe is missing: no answer yet, or the round failed */
	const char *why = feed->polled ? feed->error : "no answer yet";
	const struct feed_probes *p = feed->polled && feed->error == NULL ? f->probes.value : NULL;
	cJSON *arr;

	if (cfg->nservices == 0)
		return status_services_implicit_json(f);
	arr = cJSON_CreateArray();
	for (size_t s = 0; s < cfg->nservices; s++) {
		const struct config_service *svc = &cfg->services[s];
		cJSON *o = cJSON_CreateObject(), *hosts;

		cJSON_AddStringToObject(o, "name", svc->name);
		hosts = cJSON_AddObjectToObject(o, "hosts");
		for (size_t h = 0; h < f->nhosts; h++) {
			const struct frame_host *fh = &f->hosts[h];
			cJSON *ho = cJSON_CreateObject();

			if (fh->docker.feed.polled && fh->docker.feed.error == NULL) {
				const struct docker_container *dc = frame_host_container(fh, svc->container);

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
				cJSON_AddItemToObject(ho, "probe", status_services_probe_json(feed_probes_host(p, s, h), why));
			cJSON_AddItemToObject(hosts, fh->name, ho);
		}
		if (svc->public_url == NULL)
			cJSON_AddNullToObject(o, "public");
		else
			cJSON_AddItemToObject(o, "public", status_services_probe_json(feed_probes_public(p, s), why));
		cJSON_AddItemToObject(o, "drift", status_services_drift_json(f, svc->container));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *status_services_authentik_json(const struct frame *f)
{
	const struct frame_feed *feed = &f->authentik.feed;
	const struct feed_authentik *a = feed->polled && feed->error == NULL ? f->authentik.value : NULL;
	const char *why = feed->polled ? feed->error : "no answer yet";
	cJSON *o, *hosts;

	if (!feed->configured)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	hosts = cJSON_AddObjectToObject(o, "hosts");
	for (size_t h = 0; h < f->nhosts && (a == NULL || a->have_url); h++) {
		cJSON *ho = cJSON_CreateObject();

		if (a == NULL) {
			cJSON_AddNullToObject(ho, "live");
			cJSON_AddNullToObject(ho, "ready");
			cJSON_AddStringToObject(ho, "error", why);
		} else {
			cJSON_AddBoolToObject(ho, "live", a->hosts[h].live);
			cJSON_AddBoolToObject(ho, "ready", a->hosts[h].ready);
			if (a->hosts[h].error != NULL)
				cJSON_AddStringToObject(ho, "error", a->hosts[h].error);
			else
				cJSON_AddNullToObject(ho, "error");
		}
		cJSON_AddItemToObject(hosts, f->hosts[h].name, ho);
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
		cJSON_AddStringToObject(o, "error", why);
	} else if (a->have_public && a->pub.error != NULL) {
		char *e = xasprintf("public_url: %s", a->pub.error);

		cJSON_AddStringToObject(o, "error", e);
		free(e);
	} else if (a->info.error != NULL) {
		cJSON_AddStringToObject(o, "error", a->info.error);
	} else {
		cJSON_AddNullToObject(o, "error");
	}
	return o;
}

/* "ok 200 12 ms" / "FAIL HTTP 404 15 ms" / "FAIL connection refused". */
static void status_services_probe_text(struct buf *out, const cJSON *probe)
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

/* The "services" block: per service, a line per host, the public URL's
 * and the drift's. */
static void status_services_text_services(const struct frame *f, struct buf *out)
{
	cJSON *arr = status_services_json(f), *svc;

	if (cJSON_IsArray(arr)) {
		buf_puts(out, "\nservices\n");
		cJSON_ArrayForEach(svc, arr) {
			const cJSON *hosts = cJSON_GetObjectItem(svc, "hosts"), *pub = cJSON_GetObjectItem(svc, "public");
			const cJSON *drift = cJSON_GetObjectItem(svc, "drift");
			const cJSON *h;

			buf_printf(out, "  %s%s\n", cJSON_GetObjectItem(svc, "name")->valuestring,
			           cJSON_IsTrue(cJSON_GetObjectItem(svc, "implicit")) ?
			           " (implicit: on more than one host)" : "");
			cJSON_ArrayForEach(h, hosts) {
				const cJSON *state = cJSON_GetObjectItem(h, "state");
				const cJSON *probe = cJSON_GetObjectItem(h, "probe");
				const cJSON *health = cJSON_GetObjectItem(h, "health");

				if (cJSON_IsTrue(cJSON_GetObjectItem(svc, "implicit"))) {
					/* no probe: the state, and the health when there is one */
					buf_printf(out, "    %-12s %s", h->string,
					           cJSON_IsString(state) ? state->valuestring : "?");
					if (cJSON_IsString(health) && strcmp(health->valuestring, "none") != 0)
						buf_printf(out, "%*s%s", 11 - (int)strlen(cJSON_IsString(state) ?
						           state->valuestring : "?"), "", health->valuestring);
					buf_putc(out, '\n');
					continue;
				}
				buf_printf(out, "    %-12s %-10s ", h->string,
				           cJSON_IsString(state) ? state->valuestring : "?");
				if (cJSON_IsObject(probe))
					status_services_probe_text(out, probe);
				else
					buf_puts(out, "no probe");
				buf_putc(out, '\n');
			}
			if (cJSON_IsObject(pub)) {
				buf_printf(out, "    %-12s %-10s ", "public", "");
				status_services_probe_text(out, pub);
				buf_putc(out, '\n');
			}
			if (cJSON_IsObject(drift))
				buf_printf(out, "    %-12s %s\n", "drift",
				           cJSON_GetObjectItem(drift, "reason")->valuestring);
		}
	}
	cJSON_Delete(arr);
}

/* The "authentik" block: version, workers, error, then a line per host. */
static void status_services_text_authentik(const struct frame *f, struct buf *out)
{
	cJSON *ak = status_services_authentik_json(f);

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

void status_services_text(const struct frame *f, struct buf *out)
{
	status_services_text_services(f, out);
	status_services_text_authentik(f, out);
}
