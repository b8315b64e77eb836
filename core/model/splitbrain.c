/* splitbrain — see splitbrain.h. */
#include "core/model/splitbrain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/util.h"

void splitbrain_init(struct splitbrain *sb)
{
	memset(sb, 0, sizeof *sb);
}

void splitbrain_done(struct splitbrain *sb)
{
	free(sb->entries);
	splitbrain_init(sb);
}

void splitbrain_host_add(struct splitbrain_host *h, const char *addr)
{
	if (addr == NULL || addr[0] == '\0' || h->n_addrs >= SPLITBRAIN_MAX_ADDRS)
		return;
	for (size_t i = 0; i < h->n_addrs; i++)
		if (strcasecmp(h->addrs[i], addr) == 0)
			return;
	util_strlcpy(h->addrs[h->n_addrs++], addr, SPLITBRAIN_ADDR_LEN);
}

bool splitbrain_group_is_app(const struct pg_client_group *g, const char *app)
{
	size_t n = strlen(app);

	if (n == 0)
		return false;
	if (strcasecmp(g->database, app) == 0 || strcasecmp(g->user, app) == 0)
		return true;
	if (strncasecmp(g->application, app, n) != 0)
		return false;
	return g->application[n] == '\0' || !isalnum((unsigned char)g->application[n]);
}

int splitbrain_host_of(const struct splitbrain_host *hosts, size_t nh, const char *addr)
{
	if (addr == NULL || addr[0] == '\0')
		return -1;
	for (size_t i = 0; i < nh; i++)
		for (size_t k = 0; k < hosts[i].n_addrs; k++)
			if (strcasecmp(hosts[i].addrs[k], addr) == 0)
				return (int)i;
	return -1;
}

/* True when app names a database, a role or an application seen in ps. */
static bool splitbrain_app_seen(const struct pg_status *ps, const char *app)
{
	for (size_t i = 0; i < ps->n_databases; i++)
		if (strcasecmp(ps->databases[i].name, app) == 0)
			return true;
	for (size_t i = 0; i < ps->n_clients; i++)
		if (splitbrain_group_is_app(&ps->clients[i], app))
			return true;
	return false;
}

void splitbrain_check(const struct pg_status *ps, bool fresh, const char *pg_error,
                      const struct splitbrain_host *hosts, size_t nh,
                      const char *const *apps, size_t napps, struct splitbrain *sb)
{
	bool known;

	splitbrain_done(sb);
	if (ps == NULL) {
		util_strlcpy(sb->error, pg_error != NULL ? pg_error : "postgres: no answer yet",
		             sizeof sb->error);
		return;
	}
	known = fresh && ps->sees_all;
	if (!fresh)
		util_strlcpy(sb->error, pg_error != NULL ? pg_error : "postgres: no fresh answer",
		             sizeof sb->error);
	else if (!ps->sees_all)
		util_strlcpy(sb->error, "postgres: the monitoring role lacks pg_monitor, so other "
		             "sessions' client addresses are hidden", sizeof sb->error);
	sb->entries = xcalloc(napps * nh + 1, sizeof *sb->entries);
	for (size_t a = 0; a < napps; a++) {
		size_t first = sb->n;
		int with = 0;

		if (apps[a] == NULL || !splitbrain_app_seen(ps, apps[a]))
			continue;
		for (size_t d = 0; d < a; d++)      /* a service listed twice */
			if (apps[d] != NULL && strcasecmp(apps[d], apps[a]) == 0)
				goto next;
		for (size_t h = 0; h < nh; h++) {
			struct splitbrain_entry *e = &sb->entries[sb->n++];

			util_strlcpy(e->app, apps[a], sizeof e->app);
			e->host = h;
		}
		for (size_t i = 0; i < ps->n_clients; i++) {
			const struct pg_client_group *g = &ps->clients[i];
			int h;

			if (!splitbrain_group_is_app(g, apps[a]))
				continue;
			h = splitbrain_host_of(hosts, nh, g->client_addr);
			if (h >= 0)
				sb->entries[first + (size_t)h].conns += g->count;
			else if (known)
				sb->unattributed += g->count;
		}
		for (size_t h = 0; h < nh; h++)
			with += sb->entries[first + h].conns > 0;
		for (size_t h = 0; h < nh; h++) {
			struct splitbrain_entry *e = &sb->entries[first + h];

			if (!known)
				e->verdict = SPLITBRAIN_UNKNOWN;
			else if (e->conns > 0)
				e->verdict = SPLITBRAIN_OK;
			else
				e->verdict = with > 0 ? SPLITBRAIN_SPLIT : SPLITBRAIN_NONE;
		}
next:;
	}
}

const char *splitbrain_verdict_name(enum splitbrain_verdict v)
{
	switch (v) {
	case SPLITBRAIN_OK: return "ok";
	case SPLITBRAIN_NONE: return "none";
	case SPLITBRAIN_SPLIT: return "split";
	case SPLITBRAIN_UNKNOWN: break;
	}
	return "unknown";
}

void splitbrain_line(const struct splitbrain *sb, const struct splitbrain_entry *e,
                     const struct splitbrain_host *hosts, size_t nh, bool utf8,
                     char *out, size_t n)
{
	const char *arrow = utf8 ? "\xe2\x86\x92" : "->";
	const char *host = e->host < nh ? hosts[e->host].name : "?";
	char tail[160] = "";

	switch (e->verdict) {
	case SPLITBRAIN_OK:
		snprintf(tail, sizeof tail, "%s %d conn%s", utf8 ? "\xe2\x9c\x93" : "ok", e->conns,
		         e->conns == 1 ? "" : "s");
		break;
	case SPLITBRAIN_NONE:
		snprintf(tail, sizeof tail, "%s no connections", utf8 ? "\xe2\x9c\x97" : "X");
		break;
	case SPLITBRAIN_SPLIT: {
		const struct splitbrain_entry *other = NULL;

		for (size_t i = 0; i < sb->n && other == NULL; i++)
			if (strcmp(sb->entries[i].app, e->app) == 0 && sb->entries[i].conns > 0)
				other = &sb->entries[i];
		snprintf(tail, sizeof tail, "%s no connections (%s has %d)", utf8 ? "\xe2\x9c\x97" : "X",
		         other != NULL && other->host < nh ? hosts[other->host].name : "another host",
		         other != NULL ? other->conns : 0);
		break;
	}
	case SPLITBRAIN_UNKNOWN:
		snprintf(tail, sizeof tail, "? unknown");
		break;
	}
	snprintf(out, n, "%s@%s %s shared db %s", e->app, host, arrow, tail);
}

bool splitbrain_any_split(const struct splitbrain *sb)
{
	for (size_t i = 0; i < sb->n; i++)
		if (sb->entries[i].verdict == SPLITBRAIN_SPLIT)
			return true;
	return false;
}

cJSON *splitbrain_json(const struct splitbrain *sb, const struct splitbrain_host *hosts, size_t nh)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < sb->n; i++) {
		const struct splitbrain_entry *e = &sb->entries[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "app", e->app);
		if (e->host < nh)
			cJSON_AddStringToObject(o, "host", hosts[e->host].name);
		else
			cJSON_AddNullToObject(o, "host");
		cJSON_AddStringToObject(o, "verdict", splitbrain_verdict_name(e->verdict));
		if (e->verdict == SPLITBRAIN_UNKNOWN)
			cJSON_AddNullToObject(o, "connections");
		else
			cJSON_AddNumberToObject(o, "connections", e->conns);
		if (sb->error[0] != '\0')
			cJSON_AddStringToObject(o, "error", sb->error);
		else
			cJSON_AddNullToObject(o, "error");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
