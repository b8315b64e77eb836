/* feed_tailscale — see feed_tailscale.h. */
#include "core/feeds/feed_tailscale.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/base/buf.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_exec.h"
#include "core/fleet/fleet.h"

#define FEED_TAILSCALE_MARK "kitetop-exit-status "

void feed_tailscale_init(struct feed_tailscale *v)
{
	memset(v, 0, sizeof *v);
	tailscale_status_init(&v->st);
}

void feed_tailscale_done(struct feed_tailscale *v)
{
	tailscale_status_done(&v->st);
	feed_tailscale_init(v);
}

/* The first line of s (at most len bytes), printable, into out. */
static void first_line(const char *s, size_t len, char *out, size_t n)
{
	size_t k = 0;

	while (len > 0 && (*s == '\n' || *s == '\r' || *s == ' ')) {
		s++;
		len--;
	}
	for (size_t i = 0; i < len && s[i] != '\n' && k + 1 < n; i++)
		out[k++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[k] = '\0';
}

int feed_tailscale_decode(const char *out, size_t len, struct feed_tailscale *v, char **cause)
{
	const char *mark = NULL, *p, *json;
	size_t mlen = strlen(FEED_TAILSCALE_MARK), body;
	char line[160];
	long status;

	/* the last line that starts with the mark */
	for (p = out; p + mlen <= out + len; p++) {
		if ((p == out || p[-1] == '\n') && memcmp(p, FEED_TAILSCALE_MARK, mlen) == 0)
			mark = p;
	}
	if (mark == NULL) {
		first_line(out, len, line, sizeof line);
		util_set_cause(cause, "tailscale: no exit status in the answer (is the login shell "
		               "POSIX-like?)%s%s", line[0] != '\0' ? ": " : "", line);
		return -1;
	}
	body = (size_t)(mark - out);
	/* the status's digits, within len (the output is not NUL-terminated) */
	status = 0;
	for (p = mark + mlen; p < out + len && *p >= '0' && *p <= '9' && status < 1000; p++)
		status = status * 10 + (*p - '0');
	if (p == mark + mlen || status >= 1000) {
		util_set_cause(cause, "tailscale: unreadable exit status");
		return -1;
	}
	if (status == 127) {
		v->installed = false;
		return 0;
	}
	v->installed = true;
	if (status != 0) {
		first_line(out, body, line, sizeof line);
		util_set_cause(cause, "tailscale: exit status %ld%s%s", status,
		               line[0] != '\0' ? ": " : "", line);
		return -1;
	}
	/* warnings may come before the JSON (stderr is in the output too) */
	json = memchr(out, '{', body);
	if (json == NULL) {
		first_line(out, body, line, sizeof line);
		util_set_cause(cause, "tailscale status: not JSON%s%s", line[0] != '\0' ? ": " : "", line);
		return -1;
	}
	return tailscale_parse_status(json, body - (size_t)(json - out), &v->st, cause);
}

/* ---- the source ------------------------------------------------------------ */

struct ts_arg {
	struct fleet *fleet;
	size_t host;
};

struct ts_state {
	struct ts_arg *arg;
	const atomic_int *cancel;
};

static void *ts_thread_init(void *arg, const atomic_int *cancel)
{
	struct ts_state *st = xcalloc(1, sizeof *st);

	st->arg = arg;
	st->cancel = cancel;
	return st;
}

static void ts_thread_done(void *state)
{
	free(state);
}

static void ts_free_value(void *v)
{
	feed_tailscale_done(v);
	free(v);
}

/* The host's address, resolved when it is a name (blocking: this thread only). */
static void ts_resolve(const char *address, struct feed_tailscale *v)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	unsigned char tmp[sizeof(struct in6_addr)];

	if (address == NULL || inet_pton(AF_INET, address, tmp) == 1 ||
	    inet_pton(AF_INET6, address, tmp) == 1)
		return;     /* numeric: the split-brain check takes it as it is */
	if (getaddrinfo(address, NULL, &hints, &res) != 0)
		return;
	for (ai = res; ai != NULL && v->n_resolved < FEED_TAILSCALE_MAX_RESOLVED; ai = ai->ai_next) {
		char text[SPLITBRAIN_ADDR_LEN];
		bool dup = false;

		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof text, NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		for (size_t i = 0; i < v->n_resolved; i++)
			dup = dup || strcmp(v->resolved[i], text) == 0;
		if (!dup)
			util_strlcpy(v->resolved[v->n_resolved++], text, SPLITBRAIN_ADDR_LEN);
	}
	freeaddrinfo(res);
}

static int ts_poll(void *state, void **value, char **cause)
{
	struct ts_state *st = state;
	struct fleet *fleet = st->arg->fleet;
	struct fleet_host *h = &fleet->hosts[st->arg->host];
	struct feed_tailscale *v;
	struct buf out;
	char *err = NULL;
	int rc;

	buf_init(&out);
	rc = feed_ssh_exec(fleet, h, FEED_TAILSCALE_COMMAND, "tailscale", FEED_TAILSCALE_MAX_OUTPUT,
	                   st->cancel, &out, cause);
	if (rc == 0 && out.len == 0) {
		struct fleet_reach r;

		fleet_host_reach(h, &r);
		util_set_cause(cause, "tailscale: no answer from the host%s%s",
		               !r.connected && r.error[0] != '\0' ? ": " : "", r.connected ? "" : r.error);
		rc = -1;
	}
	if (rc != 0) {
		buf_done(&out);
		return -1;
	}
	v = xmalloc(sizeof *v);
	feed_tailscale_init(v);
	if (feed_tailscale_decode(out.data, out.len, v, &err) != 0) {
		buf_done(&out);
		ts_free_value(v);
		util_set_cause(cause, "%s", err);
		free(err);
		return -1;
	}
	buf_done(&out);
	ts_resolve(h->cfg->address, v);
	*value = v;
	return 0;
}

static const struct source_ops ts_source_ops = {
	.kind = "tailscale",
	.thread_init = ts_thread_init,
	.poll = ts_poll,
	.thread_done = ts_thread_done,
	.free_value = ts_free_value,
	.free_arg = free,
};

struct source *feed_tailscale_new(struct fleet *fleet, size_t host, struct wake *wake)
{
	struct fleet_host *h = &fleet->hosts[host];
	struct source_params p = { .interval_ms = FEED_TAILSCALE_INTERVAL_MS };
	struct ts_arg *arg;

	if (h->cfg->ssh == NULL)
		return NULL;
	arg = xmalloc(sizeof *arg);
	*arg = (struct ts_arg){ .fleet = fleet, .host = host };
	return feed_host_source_new(h, "tailscale", p, &ts_source_ops, arg, wake);
}

/* ---- reading the values ---------------------------------------------------- */

static bool ts_numeric(const char *a)
{
	unsigned char tmp[sizeof(struct in6_addr)];

	return a != NULL && (inet_pton(AF_INET, a, tmp) == 1 || inet_pton(AF_INET6, a, tmp) == 1);
}

void feed_tailscale_line(const struct config *cfg, size_t i, const struct feed_tailscale *v,
                        char *out, size_t n)
{
	struct buf b;

	if (v == NULL) {
		util_strlcpy(out, "tailscale: waiting...", n);
		return;
	}
	if (!v->installed) {
		util_strlcpy(out, "tailscale: not installed", n);
		return;
	}
	if (!tailscale_running(&v->st)) {
		snprintf(out, n, "tailscale: %s", v->st.backend_state[0] != '\0' ? v->st.backend_state :
		         "no backend state");
		return;
	}
	buf_init(&b);
	buf_printf(&b, "tailscale %.*s", (int)strcspn(v->st.version, "-"), v->st.version);
	for (size_t k = 0; k < v->st.self.n_ips && k < 1; k++)
		buf_printf(&b, " %s", v->st.self.ips[k]);
	buf_printf(&b, " %s", v->st.self.online || !v->st.has_self ? "online" : "offline");
	for (size_t k = 0; k < cfg->nhosts; k++) {
		const struct config_host *o = &cfg->hosts[k];
		const struct tailscale_node *p;
		char path[48];

		if (k == i)
			continue;
		p = tailscale_find_peer(&v->st, o->name);
		if (p == NULL && o->address != NULL)
			p = tailscale_find_peer(&v->st, o->address);
		if (p == NULL)
			buf_printf(&b, " \xc2\xb7 %s not in tailnet", o->name);
		else
			buf_printf(&b, " \xc2\xb7 %s %s", o->name, tailscale_path(p, path, sizeof path));
	}
	util_strlcpy(out, buf_cstr(&b), n);
	buf_done(&b);
}

void feed_tailscale_hosts(const struct config *cfg, const struct feed_tailscale *const *v,
                         struct splitbrain_host *hosts)
{
	for (size_t i = 0; i < cfg->nhosts; i++) {
		const struct config_host *h = &cfg->hosts[i];

		memset(&hosts[i], 0, sizeof hosts[i]);
		hosts[i].name = h->name;
		if (ts_numeric(h->address))
			splitbrain_host_add(&hosts[i], h->address);
		if (v[i] == NULL)
			continue;
		for (size_t k = 0; k < v[i]->n_resolved; k++)
			splitbrain_host_add(&hosts[i], v[i]->resolved[k]);
		for (size_t k = 0; v[i]->installed && v[i]->st.has_self && k < v[i]->st.self.n_ips; k++)
			splitbrain_host_add(&hosts[i], v[i]->st.self.ips[k]);
	}
	/* what each host's tailnet says of the others: their Tailscale IPs, also
	 * for a host whose own tailscale is not polled (no ssh) */
	for (size_t i = 0; i < cfg->nhosts; i++) {
		if (v[i] == NULL || !v[i]->installed)
			continue;
		for (size_t k = 0; k < cfg->nhosts; k++) {
			const struct config_host *o = &cfg->hosts[k];
			const struct tailscale_node *p;

			if (k == i)
				continue;
			p = tailscale_find_peer(&v[i]->st, o->name);
			if (p == NULL && o->address != NULL)
				p = tailscale_find_peer(&v[i]->st, o->address);
			for (size_t m = 0; p != NULL && m < p->n_ips; m++)
				splitbrain_host_add(&hosts[k], p->ips[m]);
		}
	}
}

const struct feed_tailscale *feed_tailscale_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
