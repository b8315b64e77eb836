/* docker_inspect — see docker_inspect.h. */
#include "backends/docker_inspect.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker_parse.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static const cJSON *di_get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *di_str(const cJSON *o, const char *key)
{
	const cJSON *v = di_get(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A sanitised copy of s, "" for NULL.  Caller frees. */
static char *di_text(const char *s, size_t max)
{
	return util_text_sanitize(s != NULL ? s : "", max);
}

static int di_int(const cJSON *o, const char *key, int dflt)
{
	const cJSON *v = di_get(o, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < INT_MIN ||
	    v->valuedouble > INT_MAX)
		return dflt;
	return (int)v->valuedouble;
}

static bool di_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(di_get(o, key));
}

/* Docker's zero time "0001-01-01T00:00:00Z" and anything unparsable are 0. */
static int64_t di_time(const char *s)
{
	int64_t ms;

	if (s == NULL || time_parse_iso8601(s, &ms) != 0 || ms <= 0)
		return 0;
	return ms;
}

/* A health check's output on one line: newlines, CRs and tabs become
 * spaces, runs of them one space, trailing blanks dropped. */
static char *di_one_line(const char *s)
{
	struct buf b;
	char *out;

	buf_init(&b);
	for (const char *p = s != NULL ? s : ""; *p != '\0' && b.len < DOCKER_DETAIL_MAX_OUTPUT * 2; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
		} else {
			buf_putc(&b, *p);
		}
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	out = util_text_sanitize(buf_cstr(&b), DOCKER_DETAIL_MAX_OUTPUT);
	buf_done(&b);
	return out;
}

static void di_health_log(struct docker_detail *d, const cJSON *log)
{
	size_t n = 0, skip = 0;
	const cJSON *it;

	if (!cJSON_IsArray(log))
		return;
	n = (size_t)cJSON_GetArraySize(log);
	if (n > DOCKER_DETAIL_MAX_HEALTH) {
		skip = n - DOCKER_DETAIL_MAX_HEALTH;   /* keep the newest */
		n = DOCKER_DETAIL_MAX_HEALTH;
	}
	d->health_log = xcalloc(n + 1, sizeof *d->health_log);
	cJSON_ArrayForEach(it, log) {
		struct docker_health_result *r;

		if (skip > 0) {
			skip--;
			continue;
		}
		if (!cJSON_IsObject(it) || d->nhealth_log == n)
			continue;
		r = &d->health_log[d->nhealth_log++];
		r->start_ms = di_time(di_str(it, "Start"));
		r->end_ms = di_time(di_str(it, "End"));
		r->exit_code = di_int(it, "ExitCode", -1);
		r->output = di_one_line(di_str(it, "Output"));
	}
}

static int di_port_cmp(const void *a, const void *b)
{
	const struct docker_port *x = a, *y = b;
	int c = strcmp(x->container, y->container);

	if (c != 0)
		return c;
	if (x->host == NULL || y->host == NULL)
		return (x->host == NULL) - (y->host == NULL);
	return strcmp(x->host, y->host);
}

static void di_port_add(struct docker_detail *d, size_t *cap, const char *container, char *host)
{
	if (d->nports >= DOCKER_DETAIL_MAX_LIST) {
		free(host);
		return;
	}
	if (d->nports == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		d->ports = xreallocarray(d->ports, *cap, sizeof *d->ports);
	}
	d->ports[d->nports].container = di_text(container, DOCKER_MAX_TEXT);
	d->ports[d->nports].host = host;
	d->nports++;
}

/* NetworkSettings.Ports: {"3000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "3000"}] | null};
 * else Config.ExposedPorts {"3000/tcp": {}} (a container not running). */
static void di_ports(struct docker_detail *d, const cJSON *ports, const cJSON *exposed)
{
	const cJSON *it, *b;
	size_t cap = 0;

	if (!cJSON_IsObject(ports) || cJSON_GetArraySize(ports) == 0)
		ports = exposed;
	if (!cJSON_IsObject(ports))
		return;
	cJSON_ArrayForEach(it, ports) {
		const cJSON *binds = cJSON_IsArray(it) ? it : NULL;
		bool any = false;

		if (it->string == NULL)
			continue;
		cJSON_ArrayForEach(b, binds) {
			const char *ip = di_str(b, "HostIp"), *port = di_str(b, "HostPort");
			char *host, *sip, *sport;

			if (port == NULL)
				continue;
			sip = di_text(ip != NULL && ip[0] != '\0' ? ip : "0.0.0.0", DOCKER_MAX_TEXT);
			sport = di_text(port, 32);
			host = strchr(sip, ':') != NULL ? xasprintf("[%s]:%s", sip, sport) :
			       xasprintf("%s:%s", sip, sport);
			free(sip);
			free(sport);
			di_port_add(d, &cap, it->string, host);
			any = true;
		}
		if (!any)
			di_port_add(d, &cap, it->string, NULL);
	}
	if (d->nports > 1)
		qsort(d->ports, d->nports, sizeof *d->ports, di_port_cmp);
}

static void di_mounts(struct docker_detail *d, const cJSON *mounts)
{
	const cJSON *it;
	size_t n;

	if (!cJSON_IsArray(mounts))
		return;
	n = (size_t)cJSON_GetArraySize(mounts);
	if (n > DOCKER_DETAIL_MAX_LIST)
		n = DOCKER_DETAIL_MAX_LIST;
	d->mounts = xcalloc(n + 1, sizeof *d->mounts);
	cJSON_ArrayForEach(it, mounts) {
		struct docker_mount *m;
		const char *src;

		if (!cJSON_IsObject(it) || d->nmounts == n)
			continue;
		m = &d->mounts[d->nmounts++];
		m->type = di_text(di_str(it, "Type"), DOCKER_MAX_TEXT);
		src = di_str(it, "Source");
		if ((src == NULL || src[0] == '\0') && di_str(it, "Name") != NULL)
			src = di_str(it, "Name");
		m->source = di_text(src, DOCKER_DETAIL_MAX_TEXT);
		m->destination = di_text(di_str(it, "Destination"), DOCKER_DETAIL_MAX_TEXT);
		m->read_only = cJSON_IsFalse(di_get(it, "RW"));
	}
}

static int di_label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct docker_label *)a)->key, ((const struct docker_label *)b)->key);
}

static void di_labels(struct docker_detail *d, const cJSON *labels)
{
	const cJSON *it;
	size_t n;

	if (!cJSON_IsObject(labels))
		return;
	n = (size_t)cJSON_GetArraySize(labels);
	if (n > DOCKER_DETAIL_MAX_LIST)
		n = DOCKER_DETAIL_MAX_LIST;
	d->labels = xcalloc(n + 1, sizeof *d->labels);
	cJSON_ArrayForEach(it, labels) {
		if (it->string == NULL || !cJSON_IsString(it) || d->nlabels == n)
			continue;
		d->labels[d->nlabels].key = di_text(it->string, DOCKER_MAX_TEXT);
		d->labels[d->nlabels].value = di_text(it->valuestring, DOCKER_DETAIL_MAX_TEXT);
		d->nlabels++;
	}
	if (d->nlabels > 1)
		qsort(d->labels, d->nlabels, sizeof *d->labels, di_label_cmp);
	for (size_t i = 0; i < d->nlabels; i++) {
		if (strcmp(d->labels[i].key, "com.docker.compose.project") == 0)
			d->compose_project = d->labels[i].value;
		else if (strcmp(d->labels[i].key, "com.docker.compose.service") == 0)
			d->compose_service = d->labels[i].value;
	}
}

static char *di_command(const cJSON *root)
{
	const cJSON *args = di_get(root, "Args"), *it;
	const cJSON *list = cJSON_IsArray(args) ? args : NULL;
	const char *path = di_str(root, "Path");
	struct buf b;
	char *out;

	buf_init(&b);
	if (path != NULL)
		buf_puts(&b, path);
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it) || b.len > DOCKER_DETAIL_MAX_TEXT)
			continue;
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, it->valuestring);
	}
	out = util_text_sanitize(buf_cstr(&b), DOCKER_DETAIL_MAX_TEXT);
	buf_done(&b);
	return out;
}

static char *di_restart_policy(const cJSON *hc)
{
	const cJSON *rp = di_get(hc, "RestartPolicy");
	const char *name = di_str(rp, "Name");
	int max = di_int(rp, "MaximumRetryCount", 0);
	char *s, *out;

	if (name == NULL || name[0] == '\0')
		return xstrdup(name != NULL ? "no" : "");
	s = max > 0 ? xasprintf("%s:%d", name, max) : xstrdup(name);
	out = util_text_sanitize(s, DOCKER_MAX_TEXT);
	free(s);
	return out;
}

int docker_detail_parse(const char *json, size_t len, struct docker_detail **out, char **cause)
{
	cJSON *root;
	const cJSON *state, *health, *config, *hc;
	struct docker_detail *d;
	const char *name, *id;

	*out = NULL;
	root = json != NULL && len > 0 ? cJSON_ParseWithLength(json, len) : NULL;
	if (!cJSON_IsObject(root)) {
		util_set_cause(cause, "docker: inspect: not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	d = xcalloc(1, sizeof *d);
	state = di_get(root, "State");
	health = di_get(state, "Health");
	config = di_get(root, "Config");
	hc = di_get(root, "HostConfig");
	name = di_str(root, "Name");
	if (name != NULL && name[0] == '/')
		name++;
	d->name = di_text(name, DOCKER_MAX_TEXT);
	id = di_str(root, "Id");
	if (id != NULL && strlen(id) <= DOCKER_MAX_ID && strspn(id, "0123456789abcdef") == strlen(id))
		util_strlcpy(d->full_id, id, sizeof d->full_id);
	d->image = di_text(di_str(config, "Image"), DOCKER_MAX_TEXT);
	d->image_id = di_text(di_str(root, "Image"), DOCKER_MAX_TEXT);
	d->command = di_command(root);
	d->restart_policy = di_restart_policy(hc);
	d->network_mode = di_text(di_str(hc, "NetworkMode"), DOCKER_MAX_TEXT);
	d->error = di_text(di_str(state, "Error"), DOCKER_DETAIL_MAX_TEXT);
	d->state = docker_state_parse(di_str(state, "Status"));
	d->health = docker_health_parse(di_str(health, "Status"));
	d->failing_streak = cJSON_IsObject(health) ? di_int(health, "FailingStreak", -1) : -1;
	d->exit_code = di_int(state, "ExitCode", -1);
	d->restarts = di_int(root, "RestartCount", -1);
	if (d->restarts < -1)
		d->restarts = -1;
	d->oom_killed = di_bool(state, "OOMKilled");
	d->created_ms = di_time(di_str(root, "Created"));
	d->started_ms = di_time(di_str(state, "StartedAt"));
	d->finished_ms = di_time(di_str(state, "FinishedAt"));
	di_health_log(d, di_get(health, "Log"));
	di_ports(d, di_get(di_get(root, "NetworkSettings"), "Ports"), di_get(config, "ExposedPorts"));
	di_mounts(d, di_get(root, "Mounts"));
	di_labels(d, di_get(config, "Labels"));
	cJSON_Delete(root);
	*out = d;
	return 0;
}

void docker_detail_free(struct docker_detail *d)
{
	if (d == NULL)
		return;
	free(d->name);
	free(d->image);
	free(d->image_id);
	free(d->command);
	free(d->restart_policy);
	free(d->network_mode);
	free(d->error);
	for (size_t i = 0; i < d->nhealth_log; i++)
		free(d->health_log[i].output);
	free(d->health_log);
	for (size_t i = 0; i < d->nports; i++) {
		free(d->ports[i].container);
		free(d->ports[i].host);
	}
	free(d->ports);
	for (size_t i = 0; i < d->nmounts; i++) {
		free(d->mounts[i].type);
		free(d->mounts[i].source);
		free(d->mounts[i].destination);
	}
	free(d->mounts);
	for (size_t i = 0; i < d->nlabels; i++) {
		free(d->labels[i].key);
		free(d->labels[i].value);
	}
	free(d->labels);
	free(d);
}
