/* Fuzz target of backends/cloudflare's decoders: the first byte picks the
 * decoder (0 tunnel, 1 connections then the matcher, 2 cloudflared /ready,
 * 3 cf_describe_failure with the second byte as a status offset; modulo 4);
 * the rest is the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cloudflare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_connectors(struct cf_tunnel *t)
{
	static const struct cf_host hosts[] = {
		{ "monk", "adf151ed-055c-477f-a682-c5d15fa594ba", "127.0.0.2" },
		{ "kscloud1", NULL, "127.0.0.3" },
		{ "other", "", "" },
	};
	size_t i, j;

	if (t->n_connectors > CF_MAX_CONNECTORS)
		abort();
	cf_match(t, hosts, 3);
	for (i = 0; i < t->n_connectors; i++) {
		const struct cf_connector *c = &t->connectors[i];

		if (c->n_conns > CF_MAX_CONNS || c->live > c->n_conns || c->host < -1 || c->host > 2)
			abort();
		if (strlen(c->id) >= sizeof(c->id) || strlen(c->run_at) >= sizeof(c->run_at))
			abort();
		for (j = 0; j < c->n_conns; j++)
			if (strlen(c->conns[j].colo) >= sizeof(c->conns[j].colo) ||
			    strlen(c->conns[j].origin_ip) >= sizeof(c->conns[j].origin_ip))
				abort();
	}
	(void)cf_tunnel_live(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	size_t len;
	char *cause = NULL;
	struct cf_tunnel t;

	if (size < 2)
		return 0;
	body = (const char *)data + 2;
	len = size - 2;
	cf_tunnel_init(&t);
	switch (data[0] % 4) {
	case 0:
		if (cf_parse_tunnel(body, len, &t, &cause) == 0 && strlen(t.name) >= sizeof(t.name))
			abort();
		break;
	case 1:
		if (cf_parse_connections(body, len, &t, &cause) == 0)
			check_connectors(&t);
		else if (t.n_connectors != 0 || cause == NULL)
			abort();
		break;
	case 2: {
		struct cf_ready r;

		if (cf_parse_ready(body, len, &r, &cause) == 0 &&
		    strlen(r.connector_id) >= sizeof(r.connector_id))
			abort();
		break;
	}
	default: {
		char *s = cf_describe_failure(400 + data[1], data[1] & 1 ? -1 : data[1], body, len);

		if (s == NULL || strncmp(s, "cloudflare: ", 12) != 0)
			abort();
		free(s);
		break;
	}
	}
	cf_tunnel_done(&t);
	free(cause);
	return 0;
}
