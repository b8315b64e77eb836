#include "backends/docker_parse.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

int docker_api_parse(const char *s, int *out)
{
	long major = 0, minor = 0;
	int digits = 0;

	if (s == NULL)
		return -1;
	for (; isdigit((unsigned char)*s) && digits < 4; s++, digits++)
		major = major * 10 + (*s - '0');
	if (digits == 0 || *s++ != '.')
		return -1;
	for (digits = 0; isdigit((unsigned char)*s) && digits < 3; s++, digits++)
		minor = minor * 10 + (*s - '0');
	if (digits == 0 || *s != '\0')
		return -1;
	*out = (int)(major * 1000 + minor);
	return 0;
}

/* ---- typed field access: a field of the wrong type is absent ---- */

static const cJSON *obj_get(const cJSON *o, const char *key)
{
	if (!cJSON_IsObject(o))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *get_str(const cJSON *o, const char *key)
{
	const cJSON *v = obj_get(o, key);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

static const cJSON *get_obj(const cJSON *o, const char *key)
{
	const cJSON *v = obj_get(o, key);

	return cJSON_IsObject(v) ? v : NULL;
}

/* A finite number within [lo, hi], else absent (-1 returned). */
static int get_num(const cJSON *o, const char *key, double lo, double hi, double *out)
{
	const cJSON *v = obj_get(o, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
	    v->valuedouble > hi)
		return -1;
	*out = v->valuedouble;
	return 0;
}

static bool get_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(obj_get(o, key));
}

static cJSON *parse_json(const char *json, size_t len, const char *what, int want_array,
                         char **cause)
{
	cJSON *root;

	if (json == NULL || len == 0) {
		util_set_cause(cause, "docker: empty %s response", what);
		return NULL;
	}
	root = cJSON_ParseWithLength(json, len);
	if (root == NULL || (want_array ? !cJSON_IsArray(root) : !cJSON_IsObject(root))) {
		util_set_cause(cause, "docker: %s response is not a JSON %s", what,
		               want_array ? "array" : "object");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* Docker's zero time "0001-01-01T00:00:00Z" and anything unparsable are 0. */
static int64_t parse_time_ms(const char *s)
{
	int64_t ms;

	if (s == NULL || time_parse_iso8601(s, &ms) != 0 || ms <= 0)
		return 0;
	return ms;
}

enum docker_health docker_health_from_status(const char *status)
{
	if (status == NULL)
		return DOCKER_HEALTH_NONE;
	if (strstr(status, "(unhealthy)") != NULL)
		return DOCKER_HEALTH_UNHEALTHY;
	if (strstr(status, "(healthy)") != NULL)
		return DOCKER_HEALTH_HEALTHY;
	if (strstr(status, "(health: starting)") != NULL)
		return DOCKER_HEALTH_STARTING;
	return DOCKER_HEALTH_NONE;
}

int docker_exit_code_from_status(const char *status)
{
	const char *p;
	long code = 0;
	int digits = 0, neg = 0;

	if (status == NULL)
		return -1;
	if (strncmp(status, "Exited (", 8) == 0)
		p = status + 8;
	else if (strncmp(status, "Restarting (", 12) == 0)
		p = status + 12;
	else
		return -1;
	if (*p == '-')
		neg = 1, p++;
	for (; isdigit((unsigned char)*p) && digits < 9; p++, digits++)
		code = code * 10 + (*p - '0');
	if (digits == 0 || *p != ')')
		return -1;
	return neg ? -1 : (int)code;
}

int docker_uptime_from_status(const char *status, int64_t *lo, int64_t *hi)
{
	static const struct {
		const char *unit;
		int64_t secs;
	} units[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 },
		{ "week", 7 * 86400 }, { "month", 30 * 86400 }, { "year", 365 * 86400 },
	};
	const char *p;
	long v = 0;
	int digits = 0;
	size_t i;

	if (status == NULL || strncmp(status, "Up ", 3) != 0)
		return -1;
	p = status + 3;
	if (strncmp(p, "Less than a second", 18) == 0) {
		*lo = 0;
		*hi = 1;
		return 0;
	}
	if (strncmp(p, "About a minute", 14) == 0) {
		*lo = 60;
		*hi = 120;
		return 0;
	}
	if (strncmp(p, "About an hour", 13) == 0) {
		*lo = 3600;
		*hi = 7200;
		return 0;
	}
	for (; isdigit((unsigned char)*p) && digits < 6; p++, digits++)
		v = v * 10 + (*p - '0');
	if (digits == 0 || *p++ != ' ')
		return -1;
	for (i = 0; i < UTIL_ARRAY_LEN(units); i++) {
		size_t n = strlen(units[i].unit);

		if (strncmp(p, units[i].unit, n) == 0) {
			*lo = v * units[i].secs;
			*hi = (v + 1) * units[i].secs;
			return 0;
		}
	}
	return -1;
}

/* Ids go into URL paths: only letters and digits, 1..64 of them. */
static bool id_ok(const char *id)
{
	size_t i;

	if (id == NULL || id[0] == '\0')
		return false;
	for (i = 0; id[i] != '\0'; i++)
		if (i >= DOCKER_MAX_ID || !isalnum((unsigned char)id[i]))
			return false;
	return true;
}

/* The container's own name: the first of Names without a second '/' (older
 * daemons list link aliases "/other/alias" too), without its leading '/'. */
static const char *pick_name(const cJSON *names)
{
	const cJSON *n;
	const char *first = NULL;

	if (!cJSON_IsArray(names))
		return NULL;
	cJSON_ArrayForEach(n, names) {
		const char *s;

		if (!cJSON_IsString(n) || n->valuestring == NULL)
			continue;
		s = n->valuestring[0] == '/' ? n->valuestring + 1 : n->valuestring;
		if (*s == '\0')
			continue;
		if (strchr(s, '/') == NULL)
			return s;
		if (first == NULL)
			first = s;
	}
	return first;
}

static void container_unknowns(struct docker_container *c)
{
	c->restarts = -1;
	c->exit_code = -1;
	c->started_at_ms = 0;
	c->cpu_pct = -1;
	c->mem_bytes = -1;
	c->mem_limit_bytes = -1;
}

static int parse_containers(const char *json, size_t len, struct docker_container **out,
                            size_t *n, char **cause)
{
	cJSON *root = parse_json(json, len, "container list", 1, cause);
	const cJSON *e;
	struct docker_container *list = NULL;
	size_t count = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (root == NULL)
		return -1;
	cJSON_ArrayForEach(e, root) {
		const char *id = get_str(e, "Id"), *name;
		const cJSON *labels = get_obj(e, "Labels");
		struct docker_container *c;

		if (count >= DOCKER_MAX_CONTAINERS)
			break;
		if (!id_ok(id))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xreallocarray(list, cap, sizeof(*list));
		}
		c = &list[count++];
		memset(c, 0, sizeof(*c));
		container_unknowns(c);
		util_strlcpy(c->full_id, id, sizeof(c->full_id));
		util_strlcpy(c->id, id, sizeof(c->id));
		name = pick_name(obj_get(e, "Names"));
		c->name = util_text_sanitize(name != NULL ? name : c->id, DOCKER_MAX_TEXT);
		c->image = util_text_sanitize(get_str(e, "Image") ? get_str(e, "Image") : "",
		                                DOCKER_MAX_TEXT);
		c->image_id = util_text_sanitize(get_str(e, "ImageID"), DOCKER_MAX_TEXT);
		c->status = util_text_sanitize(get_str(e, "Status") ? get_str(e, "Status") : "",
		                                 DOCKER_MAX_TEXT);
		c->state = docker_state_parse(get_str(e, "State"));
		c->health = docker_health_from_status(get_str(e, "Status"));
		if (c->state == DOCKER_STATE_EXITED || c->state == DOCKER_STATE_RESTARTING ||
		    c->state == DOCKER_STATE_DEAD)
			c->exit_code = docker_exit_code_from_status(get_str(e, "Status"));
		c->compose_project = util_text_sanitize(get_str(labels, "com.docker.compose.project"),
		                                          DOCKER_MAX_TEXT);
		c->compose_service = util_text_sanitize(get_str(labels, "com.docker.compose.service"),
		                                          DOCKER_MAX_TEXT);
	}
	cJSON_Delete(root);
	*out = list;
	*n = count;
	return 0;
}

int docker_parse_inspect(const char *json, size_t len, struct docker_inspect *out, char **cause)
{
	cJSON *root = parse_json(json, len, "inspect", 0, cause);
	const cJSON *state, *health;
	double v;

	memset(out, 0, sizeof(*out));
	out->restarts = -1;
	out->exit_code = -1;
	if (root == NULL)
		return -1;
	if (get_num(root, "RestartCount", 0, INT_MAX, &v) == 0)
		out->restarts = (int)v;
	state = get_obj(root, "State");
	out->state = docker_state_parse(get_str(state, "Status"));
	if (get_num(state, "ExitCode", INT_MIN, INT_MAX, &v) == 0)
		out->exit_code = (int)v;
	out->started_at_ms = parse_time_ms(get_str(state, "StartedAt"));
	out->finished_at_ms = parse_time_ms(get_str(state, "FinishedAt"));
	out->oom_killed = get_bool(state, "OOMKilled");
	health = get_obj(state, "Health");
	out->health = docker_health_parse(get_str(health, "Status"));
	out->tty = get_bool(get_obj(root, "Config"), "Tty");
	cJSON_Delete(root);
	return 0;
}

/* 2^53: past it doubles stop being exact counters. */
#define COUNTER_MAX 9007199254740992.0

static void parse_cpu(const cJSON *cpu, struct docker_stats_sample *s)
{
	const cJSON *usage = get_obj(cpu, "cpu_usage"), *percpu;
	double total, sys, ncpu;

	s->has_cpu = false;
	s->online_cpus = 0;
	if (get_num(cpu, "online_cpus", 1, 65536, &ncpu) == 0) {
		s->online_cpus = (unsigned)ncpu;
	} else {
		percpu = obj_get(usage, "percpu_usage");
		if (cJSON_IsArray(percpu)) {
			int k = cJSON_GetArraySize(percpu);

			s->online_cpus = k > 0 && k <= 65536 ? (unsigned)k : 0;
		}
	}
	if (get_num(usage, "total_usage", 0, COUNTER_MAX, &total) == 0 &&
	    get_num(cpu, "system_cpu_usage", 0, COUNTER_MAX, &sys) == 0) {
		s->has_cpu = true;
		s->cpu_total_ns = total;
		s->system_ns = sys;
	}
}

/* docker/cli's calculateMemUsageUnixNoCache: usage minus total_inactive_file
 * (cgroup v1) or inactive_file (v2) when smaller than usage. */
static void parse_mem(const cJSON *mem, struct docker_stats_sample *s)
{
	const cJSON *st = get_obj(mem, "stats");
	double usage, inactive, limit;

	s->mem_bytes = -1;
	s->mem_limit_bytes = -1;
	if (get_num(mem, "limit", 0, COUNTER_MAX, &limit) == 0)
		s->mem_limit_bytes = (int64_t)limit;
	if (get_num(mem, "usage", 0, COUNTER_MAX, &usage) != 0)
		return;
	if (obj_get(st, "total_inactive_file") != NULL) {
		if (get_num(st, "total_inactive_file", 0, COUNTER_MAX, &inactive) == 0 &&
		    inactive < usage) {
			s->mem_bytes = (int64_t)(usage - inactive);
			return;
		}
	} else if (get_num(st, "inactive_file", 0, COUNTER_MAX, &inactive) == 0 &&
	           inactive < usage) {
		s->mem_bytes = (int64_t)(usage - inactive);
		return;
	}
	s->mem_bytes = (int64_t)usage;
}

int docker_parse_stats(const char *json, size_t len, struct docker_stats_sample *cur,
                       struct docker_stats_sample *pre, char **cause)
{
	cJSON *root = parse_json(json, len, "stats", 0, cause);
	const cJSON *mem;

	memset(cur, 0, sizeof(*cur));
	cur->mem_bytes = cur->mem_limit_bytes = -1;
	if (pre != NULL) {
		memset(pre, 0, sizeof(*pre));
		pre->mem_bytes = pre->mem_limit_bytes = -1;
	}
	if (root == NULL)
		return -1;
	parse_cpu(get_obj(root, "cpu_stats"), cur);
	mem = get_obj(root, "memory_stats");
	parse_mem(mem, cur);
	if (pre != NULL)
		parse_cpu(get_obj(root, "precpu_stats"), pre);
	cJSON_Delete(root);
	return 0;
}

double docker_stats_cpu_pct(const struct docker_stats_sample *prev,
                            const struct docker_stats_sample *cur)
{
	double cpu_delta, sys_delta;

	if (prev == NULL || cur == NULL || !prev->has_cpu || !cur->has_cpu ||
	    cur->online_cpus == 0)
		return -1;
	if (cur->cpu_total_ns < prev->cpu_total_ns || cur->system_ns < prev->system_ns)
		return -1;
	cpu_delta = cur->cpu_total_ns - prev->cpu_total_ns;
	sys_delta = cur->system_ns - prev->system_ns;
	if (cpu_delta <= 0 || sys_delta <= 0)
		return 0;
	return cpu_delta / sys_delta * cur->online_cpus * 100.0;
}

int docker_parse_version(const char *json, size_t len, struct docker_version *out, char **cause)
{
	cJSON *root = parse_json(json, len, "version", 0, cause);
	char *v;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return -1;
	if (docker_api_parse(get_str(root, "ApiVersion"), &out->api_max) != 0)
		out->api_max = 0;
	if (docker_api_parse(get_str(root, "MinAPIVersion"), &out->api_min) != 0)
		out->api_min = 0;
	v = util_text_sanitize(get_str(root, "Version"), sizeof(out->version) - 1);
	if (v != NULL)
		util_strlcpy(out->version, v, sizeof(out->version));
	free(v);
	cJSON_Delete(root);
	return 0;
}

int docker_endpoint_parse(const char *spec, bool tls, char **unix_socket, char **base_url,
                          char **cause)
{
	const char *path = NULL, *hostport;
	size_t i;

	*unix_socket = NULL;
	*base_url = NULL;
	if (spec == NULL || spec[0] == '\0') {
		util_set_cause(cause, "docker: no endpoint given");
		return -1;
	}
	if (strncmp(spec, "unix://", 7) == 0)
		path = spec + 7;
	else if (spec[0] == '/')
		path = spec;
	if (path != NULL) {
		if (path[0] != '/' || strlen(path) > 107) {
			util_set_cause(cause, "docker: bad socket path in %s (absolute, at most 107 "
			               "characters)", spec);
			return -1;
		}
		*unix_socket = xstrdup(path);
		*base_url = xstrdup("http://localhost");
		return 0;
	}
	if (strncmp(spec, "tcp://", 6) != 0) {
		util_set_cause(cause, "docker: cannot use endpoint %s (unix:///path or tcp://host:port)",
		               spec);
		return -1;
	}
	hostport = spec + 6;
	for (i = 0; hostport[i] != '\0'; i++)
		if (!isalnum((unsigned char)hostport[i]) && strchr(".-:[]_", hostport[i]) == NULL)
			break;
	if (i == 0 || (hostport[i] != '\0' && strcmp(hostport + i, "/") != 0)) {
		util_set_cause(cause, "docker: bad host in %s", spec);
		return -1;
	}
	/* a port: "host:port", "[v6]:port" (a bare "[v6]" has colons but none) */
	if (hostport[0] == '[' ? strstr(hostport, "]:") != NULL : strchr(hostport, ':') != NULL)
		*base_url = xasprintf("%s://%.*s", tls ? "https" : "http", (int)i, hostport);
	else
		*base_url = xasprintf("%s://%.*s:%d", tls ? "https" : "http", (int)i, hostport,
		                      tls ? 2376 : 2375);
	return 0;
}

int docker_parse_event(const char *json, size_t len, struct docker_event *ev, char **name,
                       char **action)
{
	cJSON *root;
	const cJSON *actor;
	const char *type, *act, *id;
	double t;

	*name = *action = NULL;
	memset(ev, 0, sizeof(*ev));
	if (json == NULL || len == 0)
		return -1;
	root = cJSON_ParseWithLength(json, len);
	type = get_str(root, "Type");
	act = get_str(root, "Action");
	actor = get_obj(root, "Actor");
	id = get_str(actor, "ID");
	if (!cJSON_IsObject(root) || type == NULL || strcmp(type, "container") != 0 ||
	    act == NULL || !id_ok(id)) {
		cJSON_Delete(root);
		return -1;
	}
	util_strlcpy(ev->full_id, id, sizeof(ev->full_id));
	util_strlcpy(ev->id, id, sizeof(ev->id));
	*action = util_text_sanitize(act, DOCKER_MAX_TEXT);
	*name = util_text_sanitize(get_str(get_obj(actor, "Attributes"), "name") ?
	                             get_str(get_obj(actor, "Attributes"), "name") : "",
	                             DOCKER_MAX_TEXT);
	if (get_num(root, "timeNano", 0, COUNTER_MAX * 1024, &t) == 0)
		ev->time_ms = (int64_t)(t / 1e6);
	else if (get_num(root, "time", 0, 1e12, &t) == 0)
		ev->time_ms = (int64_t)t * 1000;
	cJSON_Delete(root);
	return 0;
}

/* docker_transport_words (docker.h): pure words for a transport failure,
 * kept here with the other pure functions of the engine's answers. */
char *docker_transport_words(const char *why)
{
	if (strcmp(why, "connection refused") == 0)
		return xstrdup("docker: connection refused (is dockerd running?)");
	/* another service on the socket or port (an SSH forward to the wrong
	 * place, a proxy that is not the engine's): the engine is not to blame */
	if (strcmp(why, "not an HTTP response") == 0)
		return xstrdup("docker: the engine's reply is not HTTP (is that a Docker socket?)");
	return xasprintf("docker: %s", why);
}

/* A list's JSON tree is ~10 times its text: 500 containers' take ~4 MB
 * while parsed.  The hosts' threads parse theirs one at a time (the parse
 * alone: nothing waits on the network under the lock), so that hosts that
 * list together (they start together, and relist every 30 s) do not add up
 * to a peak that the allocator keeps as resident memory. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

int docker_parse_containers(const char *json, size_t len, struct docker_container **out, size_t *n,
                            char **cause)
{
	int rc;

	pthread_mutex_lock(&parse_lock);
	rc = parse_containers(json, len, out, n, cause);
	pthread_mutex_unlock(&parse_lock);
	return rc;
}
