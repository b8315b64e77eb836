/* probe — see probe.h. */
#include "backends/probe.h"

#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "core/base/util.h"

struct probe_pool {
	size_t max_workers;         /* probes in flight at most */
	struct http_client *http;   /* the rounds' (its connection cache kept) */
	size_t keep;                /* connections its cache keeps: the most probes a round had */
};

struct probe_pool *probe_pool_new(size_t max_workers, const atomic_int *cancel)
{
	struct probe_pool *p = xcalloc(1, sizeof *p);

	if (max_workers == 0)
		max_workers = 1;
	if (max_workers > PROBE_MAX_WORKERS)
		max_workers = PROBE_MAX_WORKERS;
	p->max_workers = max_workers;
	p->http = http_client_new(cancel);
	return p;
}

void probe_pool_free(struct probe_pool *p)
{
	if (p == NULL)
		return;
	http_client_free(p->http);
	free(p);
}

void probe_result_done(struct probe_result *r)
{
	free(r->error);
	*r = (struct probe_result){ .ms = -1 };
}

char *probe_judge(long status, int expect_min, int expect_max, const char *body, size_t len)
{
	struct http_response resp;
	size_t i = 0;
	char *msg, *out;

	if (expect_min == 0 && expect_max == 0) {
		expect_min = 200;
		expect_max = 299;
	}
	if (status >= expect_min && status <= expect_max)
		return NULL;
	if (status < 400) {
		if (expect_min == expect_max)
			return xasprintf("HTTP %ld (expected %d)", status, expect_min);
		return xasprintf("HTTP %ld (expected %d-%d)", status, expect_min, expect_max);
	}
	http_response_init(&resp);
	resp.status = status;
	if (body != NULL && len > 0)
		buf_append(&resp.body, body, len);
	msg = http_status_error(&resp);
	http_response_done(&resp);
	while (body != NULL && i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
	       body[i] == '\t'))
		i++;
	if (body != NULL && i < len && body[i] == '<' && strchr(msg, ':') == NULL) {
		out = xasprintf("%s (an HTML page)", msg);
		free(msg);
		return out;
	}
	return msg;
}

/* Drops a 2xx body as it comes, stopping after PROBE_MAX_BODY. */
static int probe_discard(const char *data, size_t len, void *arg)
{
	size_t *seen = arg;

	(void)data;
	*seen += len;
	return *seen > PROBE_MAX_BODY ? -1 : 0;
}

/* A job's request, its response and what its body callback counts. */
struct probe_run {
	size_t job;                 /* its index in the round's jobs */
	struct http_request req;
	struct http_response resp;
	size_t seen;
};

void probe_pool_run(struct probe_pool *p, struct probe_job *jobs, size_t n, size_t per_group,
                    long timeout_ms)
{
	struct probe_run *runs;     /* runs[k] is items[k]'s */
	struct http_many_item *items;
	size_t m = 0;

	if (timeout_ms <= 0)
		timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	runs = xcalloc(n + 1, sizeof *runs);
	items = xcalloc(n + 1, sizeof *items);
	for (size_t i = 0; i < n; i++) {
		struct probe_job *j = &jobs[i];
		struct probe_run *r = &runs[m];

		free(j->result.error);
		j->result = (struct probe_result){ .ms = -1 };
		if (j->setup_error != NULL) {
			j->result.done = true;
			j->result.error = xstrdup(j->setup_error);
			continue;
		}
		r->job = i;
		r->req = (struct http_request){ .url = j->url, .unix_socket = j->unix_socket,
			.connect_timeout_ms = timeout_ms, .timeout_ms = timeout_ms,
			.max_bytes = PROBE_MAX_BODY, .bearer_token = j->bearer_token,
			.ca_file = j->ca_file, .insecure = j->insecure,
			.follow_redirects = j->follow_redirects, .on_data = probe_discard,
			.on_data_arg = &r->seen };
		http_response_init(&r->resp);
		items[m++] = (struct http_many_item){ .req = &r->req, .resp = &r->resp,
			.group = j->group < 0 ? 0 : j->group };
	}
	/* every target's connection kept for the next round (keep-alive per
	 * target: no new tunnel channel for it each round) */
	if (m > p->keep) {   /* a round of one (feed_probe_explain) keeps the others' */
		p->keep = m;
		http_client_keep(p->http, m);
	}
	http_request_many(p->http, items, m, p->max_workers, per_group);
	for (size_t k = 0; k < m; k++) {
		struct probe_run *r = &runs[k];
		struct probe_job *j = &jobs[r->job];

		j->result.done = true;
		j->result.ms = r->resp.total_ms;
		if (items[k].rc == -1) {
			j->result.error = items[k].cause;
		} else {
			j->result.status = r->resp.status;
			j->result.error = probe_judge(r->resp.status, j->expect_min, j->expect_max,
			                              r->resp.body.data, r->resp.body.len);
			j->result.ok = j->result.error == NULL;
		}
		http_response_done(&r->resp);
	}
	free(items);
	free(runs);
}
