/* feed_authentik — the authentik source (see feed_authentik.h): live and ready
 * on every host through that host and at public_url, as one round
 * of probes; then, with a token, the admin API. */
#include "core/feeds/feed_authentik.h"

#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_probes.h"
#include "core/fleet/route.h"

struct ak_state {
	struct fleet *fleet;
	struct probe_pool *pool;
	struct http_client *http;
	const atomic_int *cancel;
};

static void *ak_thread_init(void *arg, const atomic_int *cancel)
{
	struct ak_state *st = xcalloc(1, sizeof *st);

	st->fleet = arg;
	st->cancel = cancel;
	st->pool = probe_pool_new(st->fleet->nhosts * 2 + 1, cancel);
	st->http = http_client_new(cancel);
	return st;
}

void feed_authentik_free(void *v)
{
	struct feed_authentik *a = v;

	for (size_t i = 0; i < a->nhosts; i++)
		authentik_health_done(&a->hosts[i]);
	free(a->hosts);
	authentik_health_done(&a->pub);
	free(a->api_url);
	authentik_info_done(&a->info);
	free(a);
}

/* The API: at public_url (directly) when set, else at url through the
 * first host that is reachable.  Fills a->info / a->api_url. */
static void ak_api(struct ak_state *st, struct feed_authentik *a)
{
	const struct config_authentik *ac = st->fleet->cfg->authentik;
	struct authentik_api api = { .http = st->http, .token = ac->token.value,
	                             .ca_file = ac->tls_ca, .insecure = ac->insecure,
	                             .timeout_ms = st->fleet->cfg->timeout_ms };
	char *url = NULL, *sock = NULL, *cause = NULL;

	if (ac->public_url != NULL) {
		url = xstrdup(ac->public_url);
	} else {
		for (size_t h = 0; h < st->fleet->nhosts && url == NULL; h++) {
			char *down = feed_probe_unreachable(&st->fleet->hosts[h]);

			if (down == NULL &&
			    route_http(st->fleet, st->fleet->hosts[h].name, ac->url, &url, &sock, &cause) == -1) {
				free(cause);
				cause = NULL;
			}
			free(down);
		}
		if (url == NULL) {
			a->info.error = xstrdup("authentik: no host reachable to ask the API");
			return;
		}
	}
	api.base_url = url;
	api.unix_socket = sock;
	a->api_url = xstrdup(url);
	if (authentik_fetch(&api, &a->info, &cause) == -1 && a->info.error == NULL)
		a->info.error = cause != NULL ? xstrdup(cause) : xstrdup("authentik: API failed");
	free(cause);
	free(url);
	free(sock);
}

static int ak_poll(void *state, void **value, char **cause)
{
	struct ak_state *st = state;
	struct fleet *fleet = st->fleet;
	const struct config_authentik *ac = fleet->cfg->authentik;
	size_t nh = fleet->nhosts, n = 0;
	struct feed_authentik *a = xcalloc(1, sizeof *a);
	struct probe_job *jobs = xcalloc(nh * 2 + 2, sizeof *jobs);
	char **urls = xcalloc(nh * 2 + 2, sizeof *urls), **socks = xcalloc(nh + 1, sizeof *socks);
	char **errs = xcalloc(nh + 1, sizeof *errs);

	authentik_info_init(&a->info);   /* without a token: no version, workers unknown (not 0) */
	a->nhosts = nh;
	a->hosts = xcalloc(nh + 1, sizeof *a->hosts);
	a->have_url = ac->url != NULL;
	a->have_public = ac->public_url != NULL;
	a->pub.live_ms = -1;
	fleet_wait_ssh_first(fleet, time_mono_ms() + fleet->cfg->timeout_ms, st->cancel);
	for (size_t h = 0; a->have_url && h < nh; h++) {
		char *base = NULL;

		errs[h] = feed_probe_unreachable(&fleet->hosts[h]);
		if (errs[h] == NULL &&
		    route_http(fleet, fleet->hosts[h].name, ac->url, &base, &socks[h], &errs[h]) == 0) {
			authentik_health_paths(base, &urls[2 * h], &urls[2 * h + 1]);
			free(base);
		}
		for (int k = 0; k < 2; k++)
			jobs[n++] = (struct probe_job){ .url = urls[2 * h + k], .unix_socket = socks[h],
				.group = (int)h, .ca_file = ac->tls_ca, .insecure = ac->insecure,
				.setup_error = errs[h] };
	}
	if (a->have_public) {
		authentik_health_paths(ac->public_url, &urls[2 * nh], &urls[2 * nh + 1]);
		for (int k = 0; k < 2; k++)
			jobs[n++] = (struct probe_job){ .url = urls[2 * nh + k], .group = (int)nh,
				.ca_file = ac->tls_ca, .insecure = ac->insecure, .follow_redirects = true };
	}
	probe_pool_run(st->pool, jobs, n, 2, fleet->cfg->timeout_ms);
	for (size_t h = 0; a->have_url && h < nh; h++) {
		if (urls[2 * h] != NULL) {
			feed_probe_explain(&fleet->hosts[h], st->pool, &jobs[2 * h], fleet->cfg->timeout_ms);
			feed_probe_explain(&fleet->hosts[h], st->pool, &jobs[2 * h + 1], fleet->cfg->timeout_ms);
		}
		authentik_health_judge(&jobs[2 * h].result, &jobs[2 * h + 1].result, &a->hosts[h]);
	}
	if (a->have_public)
		authentik_health_judge(&jobs[n - 2].result, &jobs[n - 1].result, &a->pub);
	for (size_t i = 0; i < n; i++)
		probe_result_done(&jobs[i].result);
	for (size_t i = 0; i < nh * 2 + 2; i++)
		free(urls[i]);
	for (size_t h = 0; h < nh; h++) {
		free(socks[h]);
		free(errs[h]);
	}
	free(urls);
	free(socks);
	free(errs);
	free(jobs);
	a->have_api = ac->token.value != NULL;
	if (a->have_api && !atomic_load(st->cancel))
		ak_api(st, a);
	if (atomic_load(st->cancel)) {
		feed_authentik_free(a);
		util_set_cause(cause, "cancelled");
		return -1;
	}
	*value = a;
	return 0;
}

static void ak_thread_done(void *state)
{
	struct ak_state *st = state;

	probe_pool_free(st->pool);
	http_client_free(st->http);
	free(st);
}

static const struct source_ops ak_source_ops = {
	.kind = "authentik",
	.thread_init = ak_thread_init,
	.poll = ak_poll,
	.thread_done = ak_thread_done,
	.free_value = feed_authentik_free,
};

struct source *feed_authentik_new(struct fleet *fleet, struct wake *wake)
{
	struct source_params p = { .name = "authentik", .interval_ms = feed_probe_interval_ms(fleet->cfg) };

	return fleet->cfg->authentik != NULL ? source_new(&p, &ak_source_ops, fleet, wake) : NULL;
}

const struct feed_authentik *feed_authentik_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
