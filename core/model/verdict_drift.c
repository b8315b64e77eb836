/* verdict_drift — see verdict_drift.h. */
#include "core/model/verdict_drift.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/base/util.h"

/* A reference as Docker reads it: the repository, then the tag after the
 * last ':' that follows the last '/' (a ':' before it is a registry's
 * port); no tag means "latest".  A reference pinned by digest ("@") or an
 * image id (what the list shows once the tag has moved to another image)
 * has no tag to name: tag NULL. */
struct drift_ref {
	size_t repo_len;
	const char *tag;
};

static struct drift_ref drift_ref_split(const char *ref)
{
	struct drift_ref r = { strlen(ref), "latest" };
	const char *slash = strrchr(ref, '/'), *colon = strrchr(ref, ':');

	if (strchr(ref, '@') != NULL || strncmp(ref, "sha256:", 7) == 0) {
		r.tag = NULL;
		return r;
	}
	if (colon != NULL && (slash == NULL || colon > slash)) {
		r.repo_len = (size_t)(colon - ref);
		r.tag = colon + 1;
	}
	return r;
}

/* Both references name one image: "nginx" is "nginx:latest". */
static bool drift_same_ref(const char *a, const char *b)
{
	struct drift_ref ra = drift_ref_split(a), rb = drift_ref_split(b);

	if (ra.tag == NULL || rb.tag == NULL)
		return strcmp(a, b) == 0;
	return ra.repo_len == rb.repo_len && memcmp(a, b, ra.repo_len) == 0 &&
	       strcmp(ra.tag, rb.tag) == 0;
}

/* What to name of two differing references: the tags when the repository
 * is the same (the usual update), else the whole references. */
static void drift_name_refs(const char *a, const char *b, struct verdict_drift *d)
{
	struct drift_ref ra = drift_ref_split(a), rb = drift_ref_split(b);
	bool tags = ra.tag != NULL && rb.tag != NULL && ra.repo_len == rb.repo_len &&
	            memcmp(a, b, ra.repo_len) == 0;

	snprintf(d->what_a, sizeof d->what_a, "%s", tags ? ra.tag : a);
	snprintf(d->what_b, sizeof d->what_b, "%s", tags ? rb.tag : b);
}

/* "sha256:1a2b3c4d": enough of an id to tell two apart at a glance. */
static void drift_short_id(const char *id, char *out, size_t n)
{
	const char *hex = strncmp(id, "sha256:", 7) == 0 ? id + 7 : id;

	snprintf(out, n, "%.*s%.8s", (int)(hex - id), id, hex);
}

/* The reference and id of a container; "" when unknown (no say). */
static const char *drift_image(const struct docker_container *dc)
{
	return dc->image != NULL ? dc->image : "";
}

static const char *drift_image_id(const struct docker_container *dc)
{
	return dc->image_id != NULL ? dc->image_id : "";
}

const struct docker_container *verdict_drift_running(const struct frame_host *h,
                                                     const char *container)
{
	const struct frame_feed *feed = &h->docker.feed;
	const struct docker_container *dc;

	if (!h->reach.connected || !feed->polled || feed->error != NULL)
		return NULL;
	dc = frame_host_container(h, container);
	return dc != NULL && dc->state == DOCKER_STATE_RUNNING ? dc : NULL;
}

/* The first two hosts that run container and differ by what get returns
 * (a host with "" has no say), references compared as references when
 * refs is set; false when they all agree. */
static bool drift_pair(const struct frame *f, const char *container,
                       const char *(*get)(const struct docker_container *), bool refs,
                       size_t *a, size_t *b)
{
	const char *base = NULL;

	for (size_t h = 0; h < f->nhosts; h++) {
		const struct docker_container *dc = verdict_drift_running(&f->hosts[h], container);
		const char *v = dc != NULL ? get(dc) : "";

		if (v[0] == '\0')
			continue;
		if (base == NULL) {
			base = v;
			*a = h;
		} else if (refs ? !drift_same_ref(base, v) : strcmp(base, v) != 0) {
			*b = h;
			return true;
		}
	}
	return false;
}

bool verdict_drift(const struct frame *f, const char *container, struct verdict_drift *d)
{
	memset(d, 0, sizeof *d);
	/* a different reference anywhere says more than a different digest */
	if (drift_pair(f, container, drift_image, true, &d->a, &d->b)) {
		d->kind = VERDICT_DRIFT_IMAGE;
		drift_name_refs(drift_image(verdict_drift_running(&f->hosts[d->a], container)),
		                drift_image(verdict_drift_running(&f->hosts[d->b], container)), d);
		return true;
	}
	if (drift_pair(f, container, drift_image_id, false, &d->a, &d->b)) {
		d->kind = VERDICT_DRIFT_DIGEST;
		drift_short_id(drift_image_id(verdict_drift_running(&f->hosts[d->a], container)),
		               d->what_a, sizeof d->what_a);
		drift_short_id(drift_image_id(verdict_drift_running(&f->hosts[d->b], container)),
		               d->what_b, sizeof d->what_b);
		return true;
	}
	d->a = d->b = 0;
	return false;
}

static const char *drift_words(const struct verdict_drift *d)
{
	return d->kind == VERDICT_DRIFT_IMAGE ? "image differs" : "same tag, different digest";
}

void verdict_drift_reason(const struct verdict_drift *d, char *out, size_t n)
{
	if (d->kind == VERDICT_DRIFT_NONE)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%s: %s vs %s", drift_words(d), d->what_a, d->what_b);
}

void verdict_drift_reason_hosts(const struct frame *f, const struct verdict_drift *d, char *out,
                                size_t n)
{
	if (d->kind == VERDICT_DRIFT_NONE || d->a >= f->nhosts || d->b >= f->nhosts)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%s on %s and %s: %s vs %s", drift_words(d), f->hosts[d->a].name,
		         f->hosts[d->b].name, d->what_a, d->what_b);
}

/* One finding: "who: image differs on ...\n" into reasons (may be NULL). */
static enum verdict_level drift_note(const struct frame *f, const char *who, const char *container,
                                     struct buf *reasons)
{
	struct verdict_drift d;
	char line[2 * VERDICT_DRIFT_WHAT + 128];

	if (!verdict_drift(f, container, &d))
		return VERDICT_OK;
	if (reasons != NULL) {
		verdict_drift_reason_hosts(f, &d, line, sizeof line);
		buf_printf(reasons, "%s: %s\n", who, line);
	}
	return VERDICT_WARN;
}

/* Named by one of the services before `before` (through the frame's index:
 * a scan of the services for each would be quadratic). */
static bool drift_configured(const struct frame *f, const char *container, size_t before)
{
	size_t first = frame_service_first(f, container);

	return first != SIZE_MAX && first < before;
}

enum verdict_level verdict_drift_level(const struct frame *f, struct buf *reasons)
{
	enum verdict_level lvl = VERDICT_OK;

	for (size_t i = 0; i < f->cfg->nservices; i++) {
		const struct config_service *svc = &f->cfg->services[i];

		if (!drift_configured(f, svc->container, i) &&
		    drift_note(f, svc->name, svc->container, reasons) == VERDICT_WARN)
			lvl = VERDICT_WARN;
	}
	/* then the containers no service names that run on several hosts, each
	 * once: on the first host that runs it */
	for (size_t h = 0; h < f->nhosts; h++) {
		const struct feed_containers *c = f->hosts[h].docker.value;

		for (size_t k = 0; c != NULL && k < c->n; k++) {
			const char *name = c->items[k].name;
			bool earlier = false;

			if (verdict_drift_running(&f->hosts[h], name) != &c->items[k] ||
			    drift_configured(f, name, f->cfg->nservices))
				continue;
			for (size_t g = 0; g < h && !earlier; g++)
				earlier = verdict_drift_running(&f->hosts[g], name) != NULL;
			if (!earlier && drift_note(f, name, name, reasons) == VERDICT_WARN)
				lvl = VERDICT_WARN;
		}
	}
	return lvl;
}
