/* event — see event.h. */
#include "core/history/event.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"

static const char *const event_kind_names[EVENT_KIND_COUNT] = {
	[EVENT_CONTAINER] = "container",
	[EVENT_HEALTH] = "health",
	[EVENT_RESTARTS] = "restarts",
	[EVENT_HOST] = "host",
	[EVENT_PROBE] = "probe",
	[EVENT_TUNNEL] = "tunnel",
	[EVENT_SPLIT] = "split",
	[EVENT_SOURCE] = "source",
	[EVENT_ACTION] = "action",
};

static const char *const event_level_names[] = { "ok", "warn", "crit" };

const char *event_kind_name(enum event_kind k)
{
	return (unsigned)k < EVENT_KIND_COUNT ? event_kind_names[k] : "?";
}

int event_kind_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < EVENT_KIND_COUNT; i++)
		if (strcmp(event_kind_names[i], name) == 0)
			return i;
	return -1;
}

const char *event_level_name(enum event_level l)
{
	return (unsigned)l < UTIL_ARRAY_LEN(event_level_names) ? event_level_names[l] : "?";
}

int event_level_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < (int)UTIL_ARRAY_LEN(event_level_names); i++)
		if (strcmp(event_level_names[i], name) == 0)
			return i;
	return -1;
}

void event_set(char *field, size_t n, const char *src)
{
	size_t len;

	if (n == 0)
		return;
	if (src == NULL) {
		field[0] = '\0';
		return;
	}
	len = strlen(src);
	if (len >= n) {
		len = n - 1;
		/* back to the start of a UTF-8 character */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(field, src, len);
	field[len] = '\0';
}

void event_list_push(struct event_list *l, const struct event *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = *e;
}

void event_list_free(struct event_list *l)
{
	free(l->v);
	*l = (struct event_list){ 0 };
}

char *event_describe(const struct event *e, bool utf8)
{
	const char *arrow = utf8 ? "→" : "->";
	const char *where = e->host[0] != '\0' ? e->host : "-";
	char *state, *out;

	if (e->kind == EVENT_ACTION)
		state = xasprintf("%s %s", e->from, e->to);
	else if (e->from[0] == '\0')
		state = xasprintf("%s %s", arrow, e->to);
	else
		state = xasprintf("%s %s %s", e->from, arrow, e->to);
	out = xasprintf("%s  %s%s%s  %s%s%s%s", where,
	                e->kind == EVENT_CONTAINER ? "" : event_kind_name(e->kind),
	                e->kind == EVENT_CONTAINER ? "" : " ", e->object, state,
	                e->detail[0] != '\0' ? "  (" : "", e->detail,
	                e->detail[0] != '\0' ? ")" : "");
	free(state);
	return out;
}
