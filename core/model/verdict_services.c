/* verdict_services — the service probes' and Authentik's part of the
 * overall verdict (see verdict_services_level in verdict.h). */
#include "core/model/verdict.h"

#include <stdlib.h>

#include "core/base/util.h"

/* "who: a b\n" (b may be NULL) into reasons (may be NULL). */
static void verdict_services_note(struct buf *reasons, const char *who, const char *a, const char *b)
{
	if (reasons != NULL)
		buf_printf(reasons, "%s: %s%s%s\n", who, a, b != NULL ? " " : "", b != NULL ? b : "");
}

static enum verdict_level verdict_services_probes(const struct frame *f, struct buf *reasons)
{
	const struct config *cfg = f->cfg;
	const struct frame_feed *feed = &f->probes.feed;
	const struct feed_probes *p = feed->polled && feed->error == NULL ? f->probes.value : NULL;
	enum verdict_level lvl = VERDICT_OK;

	if (!feed->configured)
		return VERDICT_OK;
	if (p == NULL) {
		verdict_services_note(reasons, "probes", feed->polled ? feed->error : "no answer yet", NULL);
		return feed->polled ? VERDICT_WARN : VERDICT_UNKNOWN;
	}
	for (size_t s = 0; s < cfg->nservices && s < p->nservices; s++) {
		const struct config_service *svc = &cfg->services[s];
		const struct probe_result *pub = feed_probes_public(p, s);
		size_t probed = 0, failed = 0;

		for (size_t h = 0; svc->health != NULL && h < p->nhosts && h < f->nhosts; h++) {
			const struct probe_result *r = feed_probes_host(p, s, h);

			if (!r->done)
				continue;
			probed++;
			if (!r->ok) {
				char *w = xasprintf("%s probe:", svc->name);

				failed++;
				verdict_services_note(reasons, f->hosts[h].name, w,
				                      r->error != NULL ? r->error : "failed");
				free(w);
			}
		}
		if (failed > 0)
			lvl = verdict_worst(lvl, failed == probed ? VERDICT_CRIT : VERDICT_WARN);
		if (svc->public_url != NULL && pub->done && !pub->ok) {
			verdict_services_note(reasons, svc->name, "public_url:",
			                      pub->error != NULL ? pub->error : "failed");
			lvl = verdict_worst(lvl, VERDICT_CRIT);
		}
	}
	return lvl;
}

static enum verdict_level verdict_services_authentik(const struct frame *f, struct buf *reasons)
{
	const struct frame_feed *feed = &f->authentik.feed;
	const struct feed_authentik *a = feed->polled && feed->error == NULL ? f->authentik.value : NULL;
	enum verdict_level lvl = VERDICT_OK;
	size_t bad = 0;

	if (!feed->configured)
		return VERDICT_OK;
	if (a == NULL) {
		verdict_services_note(reasons, "authentik", feed->polled ? feed->error : "no answer yet", NULL);
		return feed->polled ? VERDICT_WARN : VERDICT_UNKNOWN;
	}
	for (size_t h = 0; a->have_url && h < a->nhosts && h < f->nhosts; h++) {
		if (a->hosts[h].live && a->hosts[h].ready)
			continue;
		bad++;
		verdict_services_note(reasons, f->hosts[h].name, "authentik",
		                      a->hosts[h].error != NULL ? a->hosts[h].error : "not ready");
	}
	if (bad > 0)
		lvl = bad == a->nhosts ? VERDICT_CRIT : VERDICT_WARN;
	if (a->have_public && a->pub.error != NULL) {
		verdict_services_note(reasons, "authentik", "public_url:", a->pub.error);
		lvl = verdict_worst(lvl, VERDICT_CRIT);
	}
	if (a->info.error != NULL) {
		verdict_services_note(reasons, "authentik", a->info.error, NULL);
		lvl = verdict_worst(lvl, VERDICT_WARN);
	}
	return lvl;
}

enum verdict_level verdict_services_level(const struct frame *f, struct buf *reasons)
{
	/* Authentik's lines first, then the probes' (as status and check print them) */
	enum verdict_level authentik = verdict_services_authentik(f, reasons);

	return verdict_worst(verdict_services_probes(f, reasons), authentik);
}
