/* cloudflare — the Cloudflare Tunnel API (v4) for one tunnel: its status and
 * its connectors with their edge connections, and the matching of each
 * connector to the lab host that runs it (by the connectorId its cloudflared
 * reports at /ready, else by the address the edge sees it from).
 *
 * The decoders are pure (no network, no threads): each takes a response body
 * in the v4 envelope {success, errors[{code,message}], messages, result} and
 * has a fuzz target (tests/fuzz/fuzz_cloudflare.c).  cf_fetch() does the two
 * GETs through backends/http.
 *
 * Hostile input never crashes a decoder: a field of the wrong type is absent,
 * text is sanitised (control characters and invalid UTF-8 become '?') and cut
 * to its field's size, arrays are capped (CF_MAX_CONNECTORS, CF_MAX_CONNS;
 * entries past the cap are ignored and counted in `dropped`).
 *
 * Errors are words, prefixed "cloudflare: ":
 *   "cloudflare: Authentication error (10000)"       (errors[] of the envelope)
 *   "cloudflare: HTTP 429, retry after 30 s"          (rate-limited)
 *   "cloudflare: not JSON (HTML page?)"               (HTML with a 2xx)
 *   "cloudflare: HTTP 502, not JSON (HTML page?)"     (a proxy's error page)
 *   "cloudflare: HTTP 502"                            (no envelope)
 * The API token is only ever put in the Authorization header: no error holds it. */
#ifndef KITETOP_BACKENDS_CLOUDFLARE_H
#define KITETOP_BACKENDS_CLOUDFLARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_client;

#define CF_MAX_CONNECTORS 64     /* connectors past this are ignored */
#define CF_MAX_CONNS 32          /* connections of one connector past this are ignored */
#define CF_MAX_ERRORS 3          /* envelope errors put into words */
#define CF_ID_LEN 64             /* a UUID with room to spare */
#define CF_TEXT_LEN 128          /* a tunnel name, an error message */
#define CF_TIMEOUT_MS 10000      /* each API request */

enum cf_status {
	CF_STATUS_UNKNOWN = 0,
	CF_STATUS_HEALTHY,           /* serving, all fine */
	CF_STATUS_DEGRADED,          /* serving but unhealthy */
	CF_STATUS_DOWN,              /* no edge connection */
	CF_STATUS_INACTIVE,          /* never run */
};

/* "healthy", "degraded", "down", "inactive", "unknown" (static). */
const char *cf_status_name(enum cf_status s);

/* One edge connection of a connector. */
struct cf_conn {
	char colo[16];               /* colo_name "fra08" */
	char origin_ip[48];          /* the connector's public address, as seen by the edge */
	char opened_at[40];          /* as sent, "2024-05-01T10:00:01Z" */
	int64_t opened_at_ms;        /* parsed; 0 unknown */
	bool pending;                /* is_pending_reconnect: a dead one, kept a few minutes */
};

enum cf_match_by { CF_MATCH_NONE = 0, CF_MATCH_ID, CF_MATCH_IP };

struct cf_connector {
	char id[CF_ID_LEN];
	char arch[32];
	char version[32];
	char run_at[40];
	int64_t run_at_ms;           /* 0 unknown */
	struct cf_conn conns[CF_MAX_CONNS];
	size_t n_conns;
	size_t live;                 /* conns that are not pending */
	int host;                    /* index into cf_match()'s hosts, -1 none */
	enum cf_match_by matched_by;
};

struct cf_tunnel {
	char id[CF_ID_LEN];
	char name[CF_TEXT_LEN];
	enum cf_status status;
	struct cf_connector *connectors;   /* owned; cf_tunnel_done() frees */
	size_t n_connectors;
	size_t dropped;              /* connectors or connections over the caps */
};

void cf_tunnel_init(struct cf_tunnel *t);
void cf_tunnel_done(struct cf_tunnel *t);

/* Total live (not pending) connections of all connectors. */
size_t cf_tunnel_live(const struct cf_tunnel *t);

/* GET /accounts/{acct}/cfd_tunnel/{id}: the tunnel's id, name and status into
 * *t (connectors untouched).  -1 with *cause when the body is not JSON, not an
 * envelope, success is false, or result is not an object. */
int cf_parse_tunnel(const char *json, size_t len, struct cf_tunnel *t, char **cause);

/* GET /accounts/{acct}/cfd_tunnel/{id}/connections: replaces t's connectors
 * (host -1, matched_by NONE).  Connectors without an id are skipped.  -1 with
 * *cause as above, or when result is not an array (t's connectors are then
 * left empty). */
int cf_parse_connections(const char *json, size_t len, struct cf_tunnel *t, char **cause);

/* Words for a response that is not a 2xx: the envelope's errors when the body
 * has them ("cloudflare: Authentication error (10000)"), 429 with its
 * Retry-After (retry_after_s, -1 unknown), "not JSON (HTML page?)" for HTML,
 * else "cloudflare: HTTP N".  Caller frees. */
char *cf_describe_failure(long http_status, long retry_after_s, const char *body, size_t len);

/* A host's cloudflared metrics /ready body:
 * {"status":200,"readyConnections":4,"connectorId":"1bedc50d-…"}. */
struct cf_ready {
	int status;                  /* the body's status (200 ready, 503 not); 0 absent */
	int ready_connections;       /* -1 absent */
	char connector_id[CF_ID_LEN];   /* "" absent */
};

/* -1 with *cause ("cloudflared /ready: not JSON", "... not an object") when
 * the body is unusable. */
int cf_parse_ready(const char *json, size_t len, struct cf_ready *out, char **cause);

/* What is known of one host for matching: its name, the connectorId its
 * cloudflared reports at /ready (NULL or "" unknown), the address the edge
 * sees it from (tunnel_origin_ip; NULL or "" unknown).  Strings borrowed. */
struct cf_host {
	const char *name;
	const char *connector_id;
	const char *origin_ip;
};

/* Sets each connector's host and matched_by: a connector whose id is a host's
 * connector_id belongs to that host; else one whose connections come from
 * exactly one host's origin_ip (any connection's origin_ip equal to it)
 * belongs to that host; else host -1.  Pure. */
void cf_match(struct cf_tunnel *t, const struct cf_host *hosts, size_t n_hosts);

/* Fetches the tunnel and its connectors: GET {api_url}/accounts/{account_id}/
 * cfd_tunnel/{tunnel_id} and .../connections with "Authorization: Bearer
 * token".  *out is reset first (cf_tunnel_done) and filled; on -1 *cause says
 * why in the words above (the http client's transport errors prefixed
 * "cloudflare: "), and *out may hold the tunnel without connectors.
 * Each request is bounded by CF_TIMEOUT_MS and a 4 MB cap. */
int cf_fetch(struct http_client *c, const char *api_url, const char *account_id,
             const char *tunnel_id, const char *token, struct cf_tunnel *out, char **cause);

#endif
