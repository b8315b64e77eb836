/* authentik — Authentik's health endpoints and its admin API (v3).
 *
 * Health (per host, no token): /-/health/live/ (any 2xx is live) and
 * /-/health/ready/ (200 when every database connection opens; 503 when not;
 * the Go proxy answers 502 "authentik starting..." or 503 + Retry-After
 * while the Python core starts or is unreachable).  Never with
 * "Accept: application/json" (one release then answers 200 with an error).
 * authentik_health_paths() makes the two URLs; the requests themselves run
 * as probes (backends/probe) so that every host is asked at once, and
 * authentik_health_judge() turns the two results into live / ready / error.
 *
 * API (Authorization: Bearer TOKEN): /api/v3/admin/version/,
 * /api/v3/admin/workers/ (older {"count": N}, newer a list), the paginated
 * /api/v3/outposts/instances/ and each outpost's .../{pk}/health/.
 * The decoders are pure functions over a body (fuzzed); authentik_fetch()
 * asks them in turn.  A failure is one line in words:
 *   "authentik: token refused (Token invalid/expired)",
 *   "authentik: HTTP 502 from a proxy (an HTML page)",
 *   "authentik: starting (HTTP 200 with {\"error\": \"authentik starting\"})",
 *   "authentik: not JSON where the version was expected", "authentik: timeout after 5 s". */
#ifndef KITETOP_BACKENDS_AUTHENTIK_H
#define KITETOP_BACKENDS_AUTHENTIK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/probe.h"

struct http_client;

#define AUTHENTIK_MAX_OUTPOSTS 64
#define AUTHENTIK_OUTPOST_STALE_MS (5 * 60 * 1000)   /* a last_seen older than this: down */

struct authentik_version {
	char current[48];            /* "2025.10.1" */
	char latest[48];             /* "" when unknown */
	bool latest_valid;
	bool outdated;
	bool outpost_outdated;
};

struct authentik_outpost {
	char pk[64];
	char name[128];
	char type[16];               /* proxy, ldap, radius, rac */
	int instances;               /* connected instances reporting; -1 unknown */
	int healthy;                 /* of those, last_seen within AUTHENTIK_OUTPOST_STALE_MS */
	int outdated;                /* of those, version_outdated */
	char *error;                 /* its health could not be read, or NULL */
};

struct authentik_info {
	struct authentik_version version;
	bool have_version;
	int workers;                 /* -1 unknown */
	int workers_mismatched;      /* newer form: version_matching false; else 0 */
	struct authentik_outpost *outposts;
	size_t n_outposts;
	char *error;                 /* version/workers/outposts failure (figures then unknown) */
};

/* Per host, from the two health probes. */
struct authentik_health {
	bool live, ready;
	double live_ms;              /* -1 unknown */
	char *error;                 /* NULL when live and ready */
};

struct authentik_api {
	struct http_client *http;
	const char *base_url;        /* "https://auth.example.com" (no trailing path) */
	const char *unix_socket;     /* through a tunnel, or NULL */
	const char *token;           /* required for the API */
	const char *ca_file;
	bool insecure;
	long timeout_ms;
	int64_t now_ms;              /* wall clock for last_seen; 0 = time_real_ms() */
};

void authentik_info_init(struct authentik_info *i);
void authentik_info_done(struct authentik_info *i);
void authentik_health_done(struct authentik_health *h);

/* base + "/-/health/live/" and "/-/health/ready/", with one slash between.
 * Caller frees both. */
void authentik_health_paths(const char *base, char **live, char **ready);

/* live is any 2xx; ready is 2xx from ready.  error (owned by h) says why
 * not: "live: connection refused", "not ready: HTTP 503 (database or cache
 * unreachable)", "not ready: HTTP 502: authentik starting...".  Pure. */
void authentik_health_judge(const struct probe_result *live, const struct probe_result *ready,
                            struct authentik_health *h);

/* Decoders (pure).  0, or -1 and *cause ("authentik: ..."; caller frees). */
int authentik_parse_version(const char *body, size_t len, struct authentik_version *v,
                            char **cause);
/* Both forms; *mismatched counts workers whose version_matching is false. */
int authentik_parse_workers(const char *body, size_t len, int *count, int *mismatched,
                            char **cause);
/* The results of one page, appended to *out (up to AUTHENTIK_MAX_OUTPOSTS);
 * *next is the next page number (0 when none).  Outposts without a pk are
 * skipped. */
int authentik_parse_outposts(const char *body, size_t len, struct authentik_outpost **out,
                             size_t *n, int *next, char **cause);
/* Fills o's instances, healthy and outdated from the health array. */
int authentik_parse_outpost_health(const char *body, size_t len, int64_t now_ms,
                                   struct authentik_outpost *o, char **cause);
/* Why a request with this status and body failed, "authentik: ..." (what
 * names the request: "version").  Caller frees. */
char *authentik_describe_failure(const char *what, long status, const char *body, size_t len);

/* Version, then workers, then outposts and their health.  0 with *out
 * filled (an outpost's health failure stays on that outpost), or -1 and
 * *cause when the version or workers or the outpost list could not be read
 * (what was read stays in *out). */
int authentik_fetch(const struct authentik_api *api, struct authentik_info *out, char **cause);

#endif
