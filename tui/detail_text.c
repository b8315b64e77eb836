/* detail_text — see detail_text.h. */
#include "tui/detail_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/model/verdict_drift.h"

struct dt {
	struct detail_text_line *v;
	size_t n, cap;
};

static void dt_add(struct dt *t, enum detail_text_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dt_add(struct dt *t, enum detail_text_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	va_start(ap, fmt);
	t->v[t->n].text = xvasprintf(fmt, ap);
	va_end(ap);
	t->v[t->n].kind = kind;
	t->n++;
}

/* "2026-11-23T11:51:02Z (3m ago)", or "-" */
static void dt_when(char *out, size_t n, int64_t ms, int64_t now_ms)
{
	char iso[40], age[32];

	if (ms <= 0) {
		snprintf(out, n, "-");
		return;
	}
	time_format_iso8601(iso, sizeof iso, ms);
	if (now_ms >= ms) {
		time_format_duration(age, sizeof age, (now_ms - ms) / 1000);
		snprintf(out, n, "%s (%s ago)", iso, age);
	} else {
		snprintf(out, n, "%s", iso);
	}
}

static void dt_health(struct dt *t, const struct docker_detail *d)
{
	if (d->nhealth_log == 0) {
		dt_add(t, DETAIL_TEXT_HEADING, "health log");
		dt_add(t, DETAIL_TEXT_DIM, "  %s", d->health == DOCKER_HEALTH_NONE ?
		       "no healthcheck" : "no results yet");
		return;
	}
	dt_add(t, DETAIL_TEXT_HEADING, "health log (last %zu, newest first)", d->nhealth_log);
	for (size_t i = d->nhealth_log; i-- > 0;) {
		const struct docker_health_result *r = &d->health_log[i];
		char when[40], dur[24], code[16];

		if (r->start_ms > 0) {
			time_format_iso8601(when, sizeof when, r->start_ms);
		} else {
			snprintf(when, sizeof when, "?");
		}
		if (r->start_ms > 0 && r->end_ms >= r->start_ms)
			snprintf(dur, sizeof dur, "%lld ms", (long long)(r->end_ms - r->start_ms));
		else
			snprintf(dur, sizeof dur, "?");
		if (r->exit_code >= 0)
			snprintf(code, sizeof code, "%d", r->exit_code);
		else
			snprintf(code, sizeof code, "?");
		dt_add(t, r->exit_code == 0 ? DETAIL_TEXT_PLAIN : DETAIL_TEXT_BAD, "  %s  exit %s  %s%s%s",
		       when, code, dur, r->output[0] != '\0' ? "  " : "", r->output);
	}
}

static void dt_lists(struct dt *t, const struct docker_detail *d)
{
	dt_add(t, DETAIL_TEXT_HEADING, "ports");
	if (d->nports == 0)
		dt_add(t, DETAIL_TEXT_DIM, "  none%s", strcmp(d->network_mode, "host") == 0 ?
		       " (host network: the container's own ports are the host's)" : "");
	for (size_t i = 0; i < d->nports; i++)
		dt_add(t, DETAIL_TEXT_PLAIN, "  %s -> %s", d->ports[i].container,
		       d->ports[i].host != NULL ? d->ports[i].host : "not published");
	dt_add(t, DETAIL_TEXT_HEADING, "mounts");
	if (d->nmounts == 0)
		dt_add(t, DETAIL_TEXT_DIM, "  none");
	for (size_t i = 0; i < d->nmounts; i++)
		dt_add(t, DETAIL_TEXT_PLAIN, "  %s %s -> %s (%s)", d->mounts[i].type[0] ? d->mounts[i].type : "?",
		       d->mounts[i].source[0] ? d->mounts[i].source : "?", d->mounts[i].destination,
		       d->mounts[i].read_only ? "ro" : "rw");
	dt_add(t, DETAIL_TEXT_HEADING, "labels");
	if (d->nlabels == 0)
		dt_add(t, DETAIL_TEXT_DIM, "  none");
	for (size_t i = 0; i < d->nlabels; i++)
		dt_add(t, DETAIL_TEXT_PLAIN, "  %s = %s", d->labels[i].key, d->labels[i].value);
}

/* When the container runs different images on the hosts: the reason, then
 * each other host that runs it with its image and id, so that the operator
 * sees which host is behind without leaving the view. */
static void dt_drift(struct dt *t, const struct frame *f, size_t host, const char *container)
{
	struct verdict_drift drift;
	char reason[2 * VERDICT_DRIFT_WHAT + 64];

	if (f == NULL || container == NULL || !verdict_drift(f, container, &drift))
		return;
	verdict_drift_reason(&drift, reason, sizeof reason);
	dt_add(t, DETAIL_TEXT_BAD, "drift      %s", reason);
	for (size_t h = 0; h < f->nhosts; h++) {
		const struct docker_container *dc = verdict_drift_running(&f->hosts[h], container);

		if (h == host || dc == NULL)
			continue;
		dt_add(t, DETAIL_TEXT_PLAIN, "  on %-12s %s  %.19s", f->hosts[h].name,
		       dc->image != NULL && dc->image[0] != '\0' ? dc->image : "?",
		       dc->image_id != NULL ? dc->image_id : "?");
	}
}

struct detail_text_line *detail_text_lines(const struct docker_detail *d, int64_t now_ms,
                                           size_t *n)
{
	return detail_text_lines_hosts(d, NULL, 0, now_ms, n);
}

struct detail_text_line *detail_text_lines_hosts(const struct docker_detail *d,
                                                 const struct frame *f, size_t host,
                                                 int64_t now_ms, size_t *n)
{
	struct dt t = { 0 };
	char when[80], state[96];
	bool bad;

	dt_add(&t, DETAIL_TEXT_PLAIN, "image      %s", d->image[0] ? d->image : "?");
	if (d->image_id[0] != '\0')
		dt_add(&t, DETAIL_TEXT_PLAIN, "image id   %.19s", d->image_id);
	dt_drift(&t, f, host, d->name[0] != '\0' ? d->name : NULL);
	dt_add(&t, DETAIL_TEXT_PLAIN, "id         %.12s%s%s", d->full_id[0] ? d->full_id : "?",
	       d->full_id[0] ? "  " : "", d->full_id);
	if (d->state == DOCKER_STATE_EXITED || d->state == DOCKER_STATE_DEAD)
		snprintf(state, sizeof state, "%s (%d)%s", docker_state_name(d->state), d->exit_code,
		         d->oom_killed ? ", killed: out of memory" : "");
	else
		snprintf(state, sizeof state, "%s", docker_state_name(d->state));
	if (d->health != DOCKER_HEALTH_NONE) {
		size_t len = strlen(state);

		snprintf(state + len, sizeof state - len, ", %s", docker_health_name(d->health));
		len = strlen(state);
		if (d->failing_streak > 0)
			snprintf(state + len, sizeof state - len, " (%d failed in a row)", d->failing_streak);
	}
	bad = d->health == DOCKER_HEALTH_UNHEALTHY || d->state == DOCKER_STATE_EXITED ||
	      d->state == DOCKER_STATE_DEAD || d->state == DOCKER_STATE_RESTARTING;
	dt_add(&t, bad ? DETAIL_TEXT_BAD : DETAIL_TEXT_PLAIN, "state      %s", state);
	if (d->error[0] != '\0')
		dt_add(&t, DETAIL_TEXT_BAD, "error      %s", d->error);
	dt_when(when, sizeof when, d->created_ms, now_ms);
	dt_add(&t, DETAIL_TEXT_PLAIN, "created    %s", when);
	dt_when(when, sizeof when, d->started_ms, now_ms);
	dt_add(&t, DETAIL_TEXT_PLAIN, "started    %s", when);
	if (d->finished_ms > 0) {
		dt_when(when, sizeof when, d->finished_ms, now_ms);
		dt_add(&t, DETAIL_TEXT_PLAIN, "finished   %s", when);
	}
	if (d->restarts >= 0)
		dt_add(&t, d->restarts > 0 ? DETAIL_TEXT_BAD : DETAIL_TEXT_PLAIN, "restarts   %d%s%s",
		       d->restarts, d->restart_policy[0] ? "  policy " : "", d->restart_policy);
	else
		dt_add(&t, DETAIL_TEXT_PLAIN, "restarts   ?%s%s", d->restart_policy[0] ? "  policy " : "",
		       d->restart_policy);
	if (d->command[0] != '\0')
		dt_add(&t, DETAIL_TEXT_PLAIN, "command    %s", d->command);
	if (d->network_mode[0] != '\0')
		dt_add(&t, DETAIL_TEXT_PLAIN, "network    %s", d->network_mode);
	if (d->compose_project != NULL || d->compose_service != NULL)
		dt_add(&t, DETAIL_TEXT_PLAIN, "compose    project %s, service %s",
		       d->compose_project != NULL ? d->compose_project : "?",
		       d->compose_service != NULL ? d->compose_service : "?");
	else
		dt_add(&t, DETAIL_TEXT_DIM, "compose    not a compose container");
	dt_add(&t, DETAIL_TEXT_PLAIN, "%s", "");
	dt_health(&t, d);
	dt_lists(&t, d);
	*n = t.n;
	return t.v;
}

void detail_text_free(struct detail_text_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}
