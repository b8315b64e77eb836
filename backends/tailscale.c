/* tailscale — see tailscale.h. */
#include "backends/tailscale.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/util.h"

void tailscale_status_init(struct tailscale_status *s)
{
	memset(s, 0, sizeof(*s));
}

void tailscale_status_done(struct tailscale_status *s)
{
	free(s->peers);
	tailscale_status_init(s);
}

static const char *get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void copy_text(char *dst, size_t n, const char *s)
{
	char *clean = util_text_sanitize(s != NULL ? s : "", n - 1);

	util_strlcpy(dst, clean, n);
	free(clean);
}

static void parse_ips(const cJSON *arr, struct tailscale_node *n)
{
	const cJSON *ip;

	if (!cJSON_IsArray(arr))
		return;
	n->n_ips = 0;
	cJSON_ArrayForEach(ip, arr) {
		if (!cJSON_IsString(ip) || ip->valuestring[0] == '\0')
			continue;
		if (n->n_ips == TAILSCALE_MAX_IPS)
			break;
		copy_text(n->ips[n->n_ips], TAILSCALE_IP_LEN, ip->valuestring);
		n->n_ips++;
	}
}

static void parse_node(const cJSON *o, struct tailscale_node *n)
{
	const cJSON *online = cJSON_GetObjectItemCaseSensitive(o, "Online");

	memset(n, 0, sizeof(*n));
	copy_text(n->host_name, sizeof(n->host_name), get_str(o, "HostName"));
	copy_text(n->dns_name, sizeof(n->dns_name), get_str(o, "DNSName"));
	parse_ips(cJSON_GetObjectItemCaseSensitive(o, "TailscaleIPs"), n);
	n->online = cJSON_IsTrue(online);
	copy_text(n->cur_addr, sizeof(n->cur_addr), get_str(o, "CurAddr"));
	n->direct = n->cur_addr[0] != '\0';
	copy_text(n->relay, sizeof(n->relay), get_str(o, "Relay"));
}

int tailscale_parse_status(const char *json, size_t len, struct tailscale_status *s,
                           char **cause)
{
	cJSON *root;
	const cJSON *self, *peers, *p;
	size_t n = 0;

	tailscale_status_done(s);
	root = cJSON_ParseWithLength(json, len);
	if (root == NULL) {
		util_set_cause(cause, "tailscale status: not JSON");
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		util_set_cause(cause, "tailscale status: not an object");
		cJSON_Delete(root);
		return -1;
	}
	copy_text(s->version, sizeof(s->version), get_str(root, "Version"));
	copy_text(s->backend_state, sizeof(s->backend_state), get_str(root, "BackendState"));
	self = cJSON_GetObjectItemCaseSensitive(root, "Self");
	if (cJSON_IsObject(self)) {
		s->has_self = true;
		parse_node(self, &s->self);
	}
	if (s->self.n_ips == 0)
		parse_ips(cJSON_GetObjectItemCaseSensitive(root, "TailscaleIPs"), &s->self);
	peers = cJSON_GetObjectItemCaseSensitive(root, "Peer");
	if (cJSON_IsObject(peers)) {
		cJSON_ArrayForEach(p, peers)
			if (cJSON_IsObject(p) && n < TAILSCALE_MAX_PEERS)
				n++;
		if (n > 0)
			s->peers = xcalloc(n, sizeof(*s->peers));
		cJSON_ArrayForEach(p, peers) {
			if (!cJSON_IsObject(p))
				continue;
			if (s->n_peers == n) {
				s->dropped++;
				continue;
			}
			parse_node(p, &s->peers[s->n_peers++]);
		}
	}
	cJSON_Delete(root);
	return 0;
}

bool tailscale_running(const struct tailscale_status *s)
{
	return strcmp(s->backend_state, "Running") == 0;
}

static bool dns_label_is(const char *dns, const char *name)
{
	size_t n = strlen(name);

	return n > 0 && strncasecmp(dns, name, n) == 0 && (dns[n] == '.' || dns[n] == '\0');
}

const struct tailscale_node *tailscale_find_peer(const struct tailscale_status *s,
                                                 const char *name)
{
	size_t i, j;

	if (name == NULL || name[0] == '\0')
		return NULL;
	for (i = 0; i < s->n_peers; i++)
		if (strcasecmp(s->peers[i].host_name, name) == 0)
			return &s->peers[i];
	for (i = 0; i < s->n_peers; i++) {
		if (dns_label_is(s->peers[i].dns_name, name))
			return &s->peers[i];
		for (j = 0; j < s->peers[i].n_ips; j++)
			if (strcmp(s->peers[i].ips[j], name) == 0)
				return &s->peers[i];
	}
	return NULL;
}

const char *tailscale_path(const struct tailscale_node *p, char *buf, size_t n)
{
	if (!p->online)
		util_strlcpy(buf, "offline", n);
	else if (p->direct)
		util_strlcpy(buf, "direct", n);
	else if (p->relay[0] != '\0')
		snprintf(buf, n, "relay %s", p->relay);
	else
		util_strlcpy(buf, "relay", n);
	return buf;
}
