/* tailscale — the pure decoder of `tailscale status --json` (the same JSON as
 * tailscaled's LocalAPI GET /localapi/v0/status):
 * the node's own Tailscale IPs, host name and online state, and each peer's
 * host name, IPs, online state and how it is reached (direct when CurAddr is
 * not empty, else relayed through the DERP region in Relay).
 *
 * No network, no threads; a fuzz target (tests/fuzz/fuzz_tailscale.c).
 * Hostile input never crashes it: a field of the wrong type is absent, text is
 * sanitised (control characters and invalid UTF-8 become '?') and cut to its
 * field's size, peers past TAILSCALE_MAX_PEERS and IPs past TAILSCALE_MAX_IPS
 * are ignored. */
#ifndef KITETOP_BACKENDS_TAILSCALE_H
#define KITETOP_BACKENDS_TAILSCALE_H

#include <stdbool.h>
#include <stddef.h>

#define TAILSCALE_MAX_PEERS 1024
#define TAILSCALE_MAX_IPS 4          /* an IPv4 and an IPv6 in practice */
#define TAILSCALE_IP_LEN 48

struct tailscale_node {
	char host_name[64];          /* HostName "docker-a" */
	char dns_name[256];          /* DNSName "docker-a.tail1234.ts.net." */
	char ips[TAILSCALE_MAX_IPS][TAILSCALE_IP_LEN];   /* TailscaleIPs */
	size_t n_ips;
	bool online;                 /* Online (false when absent) */
	bool direct;                 /* CurAddr not empty */
	char cur_addr[64];           /* CurAddr "192.168.1.20:41641"; "" relayed */
	char relay[32];              /* Relay, the DERP region "fra" */
};

struct tailscale_status {
	char version[32];            /* Version "1.70.0" */
	char backend_state[24];      /* BackendState "Running", "NeedsLogin", ... */
	bool has_self;               /* Self was an object */
	struct tailscale_node self;
	struct tailscale_node *peers;   /* owned; tailscale_status_done() frees */
	size_t n_peers;
	size_t dropped;              /* peers over the cap */
};

void tailscale_status_init(struct tailscale_status *s);
void tailscale_status_done(struct tailscale_status *s);

/* Decodes the JSON into *s (reset first).  Self's TailscaleIPs, when absent,
 * are taken from the top-level TailscaleIPs.  -1 with *cause ("tailscale
 * status: not JSON", "... not an object") when the body is unusable; a status
 * without Self or Peer is not an error (has_self false, no peers). */
int tailscale_parse_status(const char *json, size_t len, struct tailscale_status *s,
                           char **cause);

/* true when BackendState is "Running". */
bool tailscale_running(const struct tailscale_status *s);

/* The peer whose HostName equals name (case-insensitive), or whose DNSName
 * (whole, or its first label) does, or that has name among its IPs; NULL none.  Borrowed. */
const struct tailscale_node *tailscale_find_peer(const struct tailscale_status *s,
                                                 const char *name);

/* "direct", "relay fra", "relay" (no region known) or "offline" (static or
 * in buf, of size n; returns buf). */
const char *tailscale_path(const struct tailscale_node *p, char *buf, size_t n);

#endif
