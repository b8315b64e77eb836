/* Fuzz target of core/feeds/tunnel's decisions on outside input: the first byte
 * picks what the rest is (modulo 2): 0 a cloudflared /ready body (the
 * second byte picks the HTTP status: 200, 503, 0), 1 the API's connections
 * body, whose connector's colos and opened_at go into the state; then the
 * summary, the health verdict, the interlock, the tunnel's level and the
 * status JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"
#include "backends/docker.h"
#include "cli/status_tunnel.h"
#include "core/base/buf.h"
#include "core/model/verdict.h"
#include "core/actions/traffic.h"
#include "core/feeds/tunnel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct tunnel_state *st)
{
	static const char *const names[] = { "monk", "kscloud1" };
	char sum[256], why[256], *detail = NULL;
	struct buf reasons;
	cJSON *o;

	if (strlen(st->colos) >= sizeof st->colos || strlen(st->opened_at) >= sizeof st->opened_at ||
	    strlen(st->connector_id) >= sizeof st->connector_id || strlen(st->ready_error) >= sizeof st->ready_error)
		abort();
	tunnel_summary(&st[0], sum, sizeof sum);
	(void)tunnel_healthy(&st[0], true, why, sizeof why);
	(void)traffic_interlock(names, st, 2, 1, true, &detail);
	free(detail);
	buf_init(&reasons);
	(void)verdict_tunnel_level_states(names, st, 2, &reasons);
	buf_done(&reasons);
	o = status_tunnel_state_json(&st[0]);
	cJSON_Delete(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 503, 0 };
	struct tunnel_state st[2];
	struct docker_container dc = feed_missing_container("cloudflared");
	const char *body;
	size_t len;

	if (size < 2)
		return 0;
	body = (const char *)data + 2;
	len = size - 2;
	dc.state = DOCKER_STATE_RUNNING;
	for (int i = 0; i < 2; i++) {
		tunnel_state_init(&st[i], "cloudflared");
		tunnel_apply_docker(&st[i], &dc, NULL);
	}
	if (data[0] % 2 == 0) {
		long status = statuses[data[1] % 3];

		tunnel_apply_ready(&st[0], status, status != 0 ? body : NULL, len,
		                   status == 0 ? "connection refused" : NULL);
	} else {
		struct cf_tunnel t;
		char *cause = NULL;

		cf_tunnel_init(&t);
		static const char ready[] = "{\"status\":200,\"readyConnections\":4,"
		                            "\"connectorId\":\"adf151ed-055c-477f-a682-c5d15fa594ba\"}";

		tunnel_apply_ready(&st[0], 200, ready, sizeof ready - 1, NULL);
		if (cf_parse_connections(body, len, &t, &cause) == 0) {
			tunnel_apply_cloudflare(&st[0], &t, 0, NULL);
			tunnel_apply_cloudflare(&st[1], &t, data[1] % 3 == 0 ? -1 : 1, NULL);
		} else {
			tunnel_apply_cloudflare(&st[0], NULL, 0, cause);
		}
		free(cause);
		cf_tunnel_done(&t);
	}
	check(st);
	return 0;
}
