/* traffic — drain, undrain and flip (see traffic.h). */
#include "core/actions/traffic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "backends/http.h"
#include "core/actions/action.h"
#include "core/base/buf.h"
#include "core/fleet/fleet.h"
#include "core/fleet/route.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

#define TRAFFIC_SSH_POLL_MS 50

const char *traffic_verb_name(enum traffic_verb v)
{
	switch (v) {
	case TRAFFIC_DRAIN: return "drain";
	case TRAFFIC_UNDRAIN: return "undrain";
	default: return "flip";
	}
}

bool traffic_verb_parse(const char *s, enum traffic_verb *out)
{
	static const enum traffic_verb all[] = { TRAFFIC_DRAIN, TRAFFIC_UNDRAIN, TRAFFIC_FLIP };

	for (size_t i = 0; s != NULL && i < UTIL_ARRAY_LEN(all); i++)
		if (strcmp(s, traffic_verb_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	return false;
}

int traffic_interlock(const char *const *names, const struct tunnel_state *states, size_t n,
                      size_t drain, bool use_api, char **detail)
{
	struct buf good, bad;
	char why[300], sum[200];
	int rc;

	buf_init(&good);
	buf_init(&bad);
	for (size_t i = 0; i < n; i++) {
		if (i == drain || !states[i].configured)
			continue;
		if (tunnel_healthy(&states[i], use_api, why, sizeof why)) {
			tunnel_summary(&states[i], sum, sizeof sum);
			buf_printf(&good, "%s%s: %s", good.len > 0 ? "; " : "", names[i], sum);
		} else {
			buf_printf(&bad, "%s%s: %s", bad.len > 0 ? "; " : "", names[i], why);
		}
	}
	if (good.len > 0) {
		*detail = buf_steal(&good);
		rc = 0;
	} else {
		*detail = xasprintf("no other host has a healthy connector%s%s",
		                    bad.len > 0 ? ": " : " (no other host has a tunnel_container)",
		                    buf_cstr(&bad));
		rc = -1;
	}
	buf_done(&good);
	buf_done(&bad);
	return rc;
}

enum traffic_edge traffic_drain_edge(const struct cf_tunnel *api, const char *old, int host,
                                     const struct cf_connector **c)
{
	const struct cf_connector *found = NULL;

	if (c != NULL)
		*c = NULL;
	if (api == NULL)
		return TRAFFIC_EDGE_UNSEEN;
	for (size_t k = 0; k < api->n_connectors; k++)
		if ((old[0] != '\0' && strcmp(api->connectors[k].id, old) == 0) ||
		    (old[0] == '\0' && api->connectors[k].host == host))
			found = &api->connectors[k];
	if (c != NULL)
		*c = found;
	return found == NULL || found->live == 0 ? TRAFFIC_EDGE_GONE : TRAFFIC_EDGE_LIVE;
}

enum action_result traffic_wait_verdict(bool verified, bool unseen, bool timed_out,
                                        bool cancelled)
{
	if (verified)
		return ACTION_OK;
	if (cancelled)
		return ACTION_FAILED;
	if (!timed_out)
		return ACTION_RUNNING;
	return unseen ? ACTION_UNKNOWN : ACTION_FAILED;
}

bool traffic_flip_goes_on(enum action_result undrain)
{
	return undrain == ACTION_OK || undrain == ACTION_RUNNING;
}

static const struct fleet_host *traffic_find(const struct fleet *fleet, const char *name)
{
	for (size_t i = 0; name != NULL && i < fleet->nhosts; i++)
		if (strcmp(fleet->hosts[i].name, name) == 0)
			return &fleet->hosts[i];
	return NULL;
}

char *traffic_question(const struct fleet *fleet, enum traffic_verb verb, const char *host,
                       const char *to)
{
	struct buf others;
	char *q;

	switch (verb) {
	case TRAFFIC_UNDRAIN:
		return xasprintf("Undrain %s? Its connector takes traffic again.", host);
	case TRAFFIC_FLIP:
		return xasprintf("Flip traffic from %s to %s?", host, to);
	default:
		break;
	}
	buf_init(&others);
	for (size_t i = 0; i < fleet->nhosts; i++) {
		const struct fleet_host *h = &fleet->hosts[i];

		if (strcmp(h->name, host) != 0 && h->cfg->tunnel_container != NULL)
			buf_printf(&others, "%s%s", others.len > 0 ? ", " : "", h->name);
	}
	if (others.len > 0)
		q = xasprintf("Drain %s? All traffic goes to %s.", host, buf_cstr(&others));
	else
		q = xasprintf("Drain %s? No other host has a tunnel connector.", host);
	buf_done(&others);
	return q;
}

/* ---- the action ---- */

struct traffic_arg {
	struct fleet *fleet;
	enum traffic_verb verb;
	size_t from, to;            /* drain/undrain: from is the host */
	bool force;
	struct http_client *http;   /* the action thread's */
	struct tunnel_state *states;   /* one per host, from the last look */
	bool use_api;
	struct cf_tunnel api;
	char *api_error;
};

/* Waits (bounded) until every host with a tunnel has an SSH verdict. */
static void traffic_wait_ssh(struct action_ctx *ctx, struct fleet *fleet)
{
	int64_t deadline = time_mono_ms() + fleet->cfg->timeout_ms + 1000;

	for (size_t i = 0; i < fleet->nhosts; i++) {
		const struct fleet_host *h = &fleet->hosts[i];
		struct fleet_reach r;

		if (h->ssh == NULL || h->cfg->tunnel_container == NULL)
			continue;
		for (;;) {
			fleet_host_reach(h, &r);
			if (r.known || action_cancelled(ctx) || time_mono_ms() >= deadline)
				break;
			time_sleep_ms(TRAFFIC_SSH_POLL_MS);
		}
	}
}

/* Fetches the API once (when configured) into arg->api / arg->api_error. */
static void traffic_fetch_api(struct traffic_arg *arg)
{
	free(arg->api_error);
	arg->api_error = NULL;
	cf_tunnel_done(&arg->api);
	if (arg->use_api && tunnel_fetch_api(arg->fleet, arg->http, &arg->api, &arg->api_error) == -1 &&
	    arg->api_error == NULL)
		arg->api_error = xstrdup("the Cloudflare API did not answer");
}

static void traffic_apply_api(struct traffic_arg *arg, size_t i)
{
	if (arg->use_api)
		tunnel_apply_cloudflare(&arg->states[i], arg->api_error == NULL ? &arg->api : NULL,
		                        (int)i, arg->api_error);
}

/* A fresh look at every host's connector (or only host `only` when < nhosts). */
static void traffic_look(struct action_ctx *ctx, struct traffic_arg *arg, size_t only)
{
	struct fleet *fleet = arg->fleet;

	if (arg->use_api) {
		action_progress(ctx, "asking the Cloudflare API for the tunnel's connections");
		traffic_fetch_api(arg);
	}
	for (size_t i = 0; i < fleet->nhosts; i++) {
		if (only < fleet->nhosts && i != only)
			continue;
		if (fleet->hosts[i].cfg->tunnel_container == NULL) {
			tunnel_state_init(&arg->states[i], NULL);
			continue;
		}
		action_progress(ctx, "checking %s's connector", fleet->hosts[i].name);
		tunnel_check(fleet, i, arg->http, NULL, NULL, action_cancel_flag(ctx), &arg->states[i]);
		traffic_apply_api(arg, i);
	}
}

static char **traffic_names(const struct fleet *fleet)
{
	char **names = xcalloc(fleet->nhosts + 1, sizeof *names);

	for (size_t i = 0; i < fleet->nhosts; i++)
		names[i] = (char *)(uintptr_t)fleet->hosts[i].name;
	return names;
}

static int traffic_verdict(struct traffic_arg *arg, size_t drain, char **detail)
{
	char **names = traffic_names(arg->fleet);
	int rc = traffic_interlock((const char *const *)names, arg->states, arg->fleet->nhosts, drain,
	                           arg->use_api, detail);

	free(names);
	return rc;
}

static int traffic_check(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct traffic_arg *arg = argp;
	struct fleet *fleet = arg->fleet;
	const struct fleet_host *from = &fleet->hosts[arg->from], *to = &fleet->hosts[arg->to];
	const struct tunnel_state *fs = &arg->states[arg->from], *ts = &arg->states[arg->to];
	char *detail = NULL, sum[200];
	int verdict;

	action_progress(ctx, "connecting to the hosts");
	traffic_wait_ssh(ctx, fleet);
	traffic_look(ctx, arg, fleet->nhosts);
	if (action_cancelled(ctx)) {
		util_set_cause(cause, "cancelled");
		return -1;
	}
	tunnel_summary(fs, sum, sizeof sum);
	switch (arg->verb) {
	case TRAFFIC_UNDRAIN:
		if (strcmp(fs->docker_state, "running") == 0) {
			/* not drained: a start would change nothing */
			*summary = xasprintf("%s is not drained: %s runs (now: %s)", from->name,
			                     fs->container, sum);
			return ACTION_NOTHING_CHECK;
		}
		*summary = xasprintf("start %s on %s (now: %s)", fs->container, from->name, sum);
		return 0;
	case TRAFFIC_DRAIN:
		verdict = traffic_verdict(arg, arg->from, &detail);
		if (verdict == -1 && !arg->force) {
			util_set_cause(cause, "interlock: %s", detail);
			free(detail);
			return ACTION_REFUSED_CHECK;
		}
		*summary = xasprintf("stop %s on %s with t=%d s (now: %s); interlock %s: %s", fs->container,
		                     from->name, from->cfg->stop_timeout,
		                     sum, verdict == 0 ? "ok" : "SKIPPED (--force), it would refuse",
		                     detail);
		free(detail);
		return 0;
	default:
		break;
	}
	/* flip */
	if (ts->drained) {
		char tsum[200];

		tunnel_summary(ts, tsum, sizeof tsum);
		*summary = xasprintf("undrain %s (now: %s), wait until it is healthy, then drain %s "
		                     "(now: %s); the interlock is checked after the undrain%s", to->name,
		                     tsum, from->name, sum, arg->force ? " (skipped: --force)" : "");
		return 0;
	}
	verdict = traffic_verdict(arg, arg->from, &detail);
	if (verdict == -1 && !arg->force) {
		util_set_cause(cause, "interlock: %s", detail);
		free(detail);
		return ACTION_REFUSED_CHECK;
	}
	*summary = xasprintf("%s is not drained; drain %s with t=%d s (now: %s); interlock %s: %s",
	                     to->name, from->name, from->cfg->stop_timeout, sum,
	                     verdict == 0 ? "ok" : "SKIPPED (--force), it would refuse", detail);
	free(detail);
	return 0;
}

/* docker start/stop of host i's connector, verified by Docker, also when
 * the link dies on the way (action_docker_act): 0 with *done ("cloudflared
 * stopped (exit code 0)"), -1 or ACTION_UNKNOWN_RUN with *cause. */
static int traffic_docker(struct action_ctx *ctx, struct traffic_arg *arg, size_t i,
                          const char *what, char **done, char **cause)
{
	struct fleet_host *h = &arg->fleet->hosts[i];
	char *why = NULL;
	struct docker *d;
	int rc;

	d = route_docker_open(h, arg->fleet->cfg->timeout_ms, -1, action_cancel_flag(ctx), &why);
	if (d == NULL) {
		util_set_cause(cause, "%s: %s", h->name, why);
		free(why);
		return -1;
	}
	action_progress(ctx, "%s: %s %s%s", h->name, strcmp(what, "stop") == 0 ? "stopping" : "starting",
	                h->cfg->tunnel_container, strcmp(what, "stop") == 0 ? " (waiting for its grace period)" : "");
	rc = action_docker_act(ctx, h, &d, h->cfg->tunnel_container, what, h->cfg->stop_timeout,
	                       done, cause);
	docker_free(d);
	return rc;
}

/* *cause = what + " " + name + rest + *cause: "not known whether monk is
 * drained: " + the cause. */
static void traffic_cause_prefix(char **cause, const char *what, const char *name,
                                 const char *rest)
{
	char *c = xasprintf("%s %s%s%s", what, name, rest, *cause != NULL ? *cause : "");

	free(*cause);
	*cause = c;
}

/* Sleeps up to ms, ending early when cancelled. */
static void traffic_sleep(struct action_ctx *ctx, int64_t ms)
{
	int64_t end = time_mono_ms() + ms;

	while (!action_cancelled(ctx) && time_mono_ms() < end)
		time_sleep_ms(50);
}

/* Drain host i: stop, then (with the API) wait until its connector has no
 * live connection.  0 with *note (what was seen), -1 with *cause, or
 * ACTION_UNKNOWN_RUN with *cause (what could not be seen, what to check). */
static int traffic_drain_run(struct action_ctx *ctx, struct traffic_arg *arg, size_t i,
                             char **note, char **cause)
{
	const struct fleet_host *h = &arg->fleet->hosts[i];
	struct tunnel_state *st = &arg->states[i];
	char old[CF_ID_LEN], *done = NULL;
	int64_t t0;
	int rc;

	util_strlcpy(old, st->api_connector[0] != '\0' ? st->api_connector : st->connector_id,
	             sizeof old);
	rc = traffic_docker(ctx, arg, i, "stop", &done, cause);
	if (rc == ACTION_UNKNOWN_RUN)
		traffic_cause_prefix(cause, "not known whether", h->name, " is drained: ");
	if (rc != 0)
		return rc;
	if (!arg->use_api) {
		*note = xasprintf("%s drained: %s", h->name, done);
		free(done);
		return 0;
	}
	t0 = time_mono_ms();
	for (;;) {
		int64_t waited = time_mono_ms() - t0;
		const struct cf_connector *c = NULL;
		enum traffic_edge e;

		traffic_fetch_api(arg);
		e = traffic_drain_edge(arg->api_error == NULL ? &arg->api : NULL, old, (int)i, &c);
		switch (traffic_wait_verdict(e == TRAFFIC_EDGE_GONE, e == TRAFFIC_EDGE_UNSEEN,
		                             waited >= TRAFFIC_VERIFY_MS, action_cancelled(ctx))) {
		case ACTION_OK:
			*note = xasprintf("%s drained: %s; its connector %.8s %s the tunnel's "
			                  "connections after %lld s", h->name, done,
			                  old[0] != '\0' ? old : "?", c == NULL ? "left" : "has no live connection in",
			                  (long long)(waited / 1000));
			free(done);
			return 0;
		case ACTION_RUNNING:
			break;
		case ACTION_UNKNOWN:
			util_set_cause(cause, "not known whether %s is drained at the edge: %s, but the "
			               "Cloudflare API did not answer for %d s (%s); check with: kitetop "
			               "status", h->name, done, TRAFFIC_VERIFY_MS / 1000, arg->api_error);
			free(done);
			return ACTION_UNKNOWN_RUN;
		default:
			if (action_cancelled(ctx))
				util_set_cause(cause, "%s: %s; cancelled while waiting for its connector to "
				               "leave the tunnel's connections", h->name, done);
			else
				util_set_cause(cause, "%s: %s, but its connector still has live connections "
				               "in the Cloudflare API after %d s", h->name, done,
				               TRAFFIC_VERIFY_MS / 1000);
			free(done);
			return -1;
		}
		action_progress(ctx, "%s: %s stopped; waiting for its connector to leave the tunnel's "
		                "connections (%lld s%s%s)", h->name, h->cfg->tunnel_container,
		                (long long)(waited / 1000), arg->api_error != NULL ? ": " : "",
		                arg->api_error != NULL ? arg->api_error : "");
		traffic_sleep(ctx, TRAFFIC_POLL_MS);
	}
}

/* Undrain host i: start, then wait until it is healthy (ready and, with the
 * API, listed with a live connection).  As traffic_drain_run. */
static int traffic_undrain_run(struct action_ctx *ctx, struct traffic_arg *arg, size_t i,
                               char **note, char **cause)
{
	const struct fleet_host *h = &arg->fleet->hosts[i];
	struct tunnel_state *st = &arg->states[i];
	char why[300], sum[200], *done = NULL;
	int64_t t0;
	int rc;

	rc = traffic_docker(ctx, arg, i, "start", &done, cause);
	if (rc == ACTION_UNKNOWN_RUN)
		traffic_cause_prefix(cause, "not known whether", h->name, " is undrained: ");
	if (rc != 0)
		return rc;
	t0 = time_mono_ms();
	for (;;) {
		int64_t waited = time_mono_ms() - t0;
		bool healthy;

		traffic_look(ctx, arg, i);
		healthy = tunnel_healthy(st, arg->use_api, why, sizeof why);
		switch (traffic_wait_verdict(healthy, tunnel_unseen(st, arg->use_api),
		                             waited >= TRAFFIC_VERIFY_MS, action_cancelled(ctx))) {
		case ACTION_OK:
			tunnel_summary(st, sum, sizeof sum);
			*note = xasprintf("%s undrained: %s%s%.8s after %lld s; %s", h->name, sum,
			                  arg->use_api ? ", listed by the API as connector " : ", connector ",
			                  st->connector_id, (long long)(waited / 1000), done);
			free(done);
			return 0;
		case ACTION_RUNNING:
			break;
		case ACTION_UNKNOWN:
			util_set_cause(cause, "not known whether %s is undrained: %s, but after %d s %s; "
			               "check with: kitetop status", h->name, done,
			               TRAFFIC_VERIFY_MS / 1000, why);
			free(done);
			return ACTION_UNKNOWN_RUN;
		default:
			util_set_cause(cause, "%s: %s, but %s %s", h->name, done,
			               action_cancelled(ctx) ? "cancelled while waiting until it is healthy:" :
			               "after 60 s", why);
			free(done);
			return -1;
		}
		action_progress(ctx, "%s: %s started; waiting until it is healthy (%lld s: %s)", h->name,
		                h->cfg->tunnel_container, (long long)(waited / 1000), why);
		traffic_sleep(ctx, TRAFFIC_POLL_MS);
	}
}

static enum action_result traffic_rc_result(int rc)
{
	return rc == 0 ? ACTION_OK : rc == ACTION_UNKNOWN_RUN ? ACTION_UNKNOWN : ACTION_FAILED;
}

static int traffic_run(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct traffic_arg *arg = argp;
	const char *from = arg->fleet->hosts[arg->from].name;
	char *n1 = NULL, *n2 = NULL, *detail = NULL;
	int rc;

	switch (arg->verb) {
	case TRAFFIC_DRAIN:
		return traffic_drain_run(ctx, arg, arg->from, summary, cause);
	case TRAFFIC_UNDRAIN:
		return traffic_undrain_run(ctx, arg, arg->from, summary, cause);
	default:
		break;
	}
	if (arg->states[arg->to].drained) {
		rc = traffic_undrain_run(ctx, arg, arg->to, &n1, cause);
		if (!traffic_flip_goes_on(traffic_rc_result(rc))) {
			/* FROM keeps the traffic: never both drained */
			if (rc == ACTION_UNKNOWN_RUN)
				traffic_cause_prefix(cause, "flip:", from, " not drained (the flip stops "
				                     "before its drain); ");
			return rc;
		}
	}
	/* the interlock again, afresh, now that TO should carry the traffic */
	traffic_look(ctx, arg, arg->fleet->nhosts);
	if (traffic_verdict(arg, arg->from, &detail) == -1 && !arg->force) {
		util_set_cause(cause, "%s%snot draining %s, refused by the interlock: %s",
		               n1 != NULL ? n1 : "", n1 != NULL ? "; " : "", from, detail);
		free(detail);
		free(n1);
		return -1;
	}
	free(detail);
	rc = traffic_drain_run(ctx, arg, arg->from, &n2, cause);
	if (rc == 0)
		*summary = xasprintf("%s%s%s", n1 != NULL ? n1 : "", n1 != NULL ? "; " : "", n2);
	else if (n1 != NULL) {
		char *c = xasprintf("%s; but %s", n1, *cause);

		free(*cause);
		*cause = c;
	}
	free(n1);
	free(n2);
	return rc;
}

static void traffic_arg_free(void *argp)
{
	struct traffic_arg *arg = argp;

	http_client_free(arg->http);
	cf_tunnel_done(&arg->api);
	free(arg->api_error);
	free(arg->states);
	free(arg);
}

/* The http client must belong to the action's thread: made at the first
 * check (the check runs there). */
static int traffic_check_first(struct action_ctx *ctx, void *argp, char **summary, char **cause)
{
	struct traffic_arg *arg = argp;

	if (arg->http == NULL)
		arg->http = http_client_new(action_cancel_flag(ctx));
	return traffic_check(ctx, argp, summary, cause);
}

static const struct action_ops traffic_ops = {
	.check = traffic_check_first,
	.run = traffic_run,
	.free_arg = traffic_arg_free,
};

static int traffic_host_index(const struct fleet *fleet, const char *name, size_t *out, char **cause)
{
	const struct fleet_host *h = traffic_find(fleet, name);

	if (h == NULL) {
		util_set_cause(cause, "no host %s in the configuration", name != NULL ? name : "(none)");
		return -1;
	}
	if (h->cfg->tunnel_container == NULL || h->cfg->tunnel_container[0] == '\0') {
		util_set_cause(cause, "%s has no tunnel_container in the configuration", h->name);
		return -1;
	}
	*out = (size_t)(h - fleet->hosts);
	return 0;
}

int traffic_validate(const struct fleet *fleet, enum traffic_verb verb, const char *host,
                     const char *to, char **cause)
{
	size_t from_i, to_i;

	if (traffic_host_index(fleet, host, &from_i, cause) == -1)
		return -1;
	if (verb != TRAFFIC_FLIP)
		return 0;
	if (traffic_host_index(fleet, to, &to_i, cause) == -1)
		return -1;
	if (to_i == from_i) {
		util_set_cause(cause, "flip needs two different hosts");
		return -1;
	}
	return 0;
}

struct action *traffic_start(struct fleet *fleet, enum traffic_verb verb, const char *host,
                             const char *to, bool force, bool dry_run, struct wake *wake,
                             char **cause)
{
	struct traffic_arg *arg;
	struct action_spec spec = { .action = traffic_verb_name(verb), .forced = force,
	                            .dry_run = dry_run, .ops = &traffic_ops };
	size_t from_i, to_i;
	char *target;
	struct action *a;

	if (traffic_validate(fleet, verb, host, to, cause) == -1)
		return NULL;
	traffic_host_index(fleet, host, &from_i, cause);
	to_i = from_i;
	if (verb == TRAFFIC_FLIP)
		traffic_host_index(fleet, to, &to_i, cause);
	arg = xcalloc(1, sizeof *arg);
	arg->fleet = fleet;
	arg->verb = verb;
	arg->from = from_i;
	arg->to = to_i;
	arg->force = force;
	arg->use_api = fleet->cfg->cloudflare != NULL;
	arg->states = xcalloc(fleet->nhosts + 1, sizeof *arg->states);
	cf_tunnel_init(&arg->api);
	if (verb == TRAFFIC_FLIP)
		target = xasprintf("%s (to %s)", fleet->hosts[from_i].cfg->tunnel_container, fleet->hosts[to_i].name);
	else
		target = xstrdup(fleet->hosts[from_i].cfg->tunnel_container);
	spec.host = fleet->hosts[from_i].name;
	spec.target = target;
	spec.arg = arg;
	a = action_start(fleet->cfg, &spec, wake);
	free(target);
	return a;
}
