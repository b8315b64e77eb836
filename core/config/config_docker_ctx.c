/* config_docker_ctx — without a configuration file, the Docker engine the
 * docker CLI would talk to, when that is one over SSH: DOCKER_HOST=ssh://...,
 * else the current context (DOCKER_CONTEXT, else currentContext in
 * $DOCKER_CONFIG/config.json, default ~/.docker) whose Endpoints.docker.Host
 * in contexts/meta/ID/meta.json is ssh://....  As lazydocker does. */
#include "core/config/config_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "core/base/util.h"

#define CONFIG_DOCKER_JSON_MAX (1024 * 1024)

/* A host name from free text: what config_check_name accepts. Caller frees. */
static char *docker_ctx_name(const char *s)
{
	size_t i, n = strlen(s);
	char *out;

	if (n > CONFIG_NAME_MAX)
		n = CONFIG_NAME_MAX;
	out = xstrndup(s, n);
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)out[i]) && out[i] != '.' && out[i] != '_' && out[i] != '-')
			out[i] = '-';
	}
	if (n == 0) {
		free(out);
		out = xstrdup("docker");
	}
	return out;
}

static cJSON *docker_ctx_json(const char *path)
{
	char *text = NULL, *why = NULL;
	size_t len = 0;
	cJSON *j;

	if (util_read_file(path, CONFIG_DOCKER_JSON_MAX, &text, &len, &why) != 0) {
		free(why);
		return NULL;
	}
	j = cJSON_ParseWithLength(text, len);
	free(text);
	return j;
}

static char *docker_ctx_dir(void)
{
	const char *d = getenv("DOCKER_CONFIG");

	if (d != NULL && d[0] != '\0')
		return xstrdup(d);
	return config_expand_path("~/.docker");
}

/* The current context's name (NULL: none, or "default"). Caller frees. */
static char *docker_ctx_current(const char *dir)
{
	const char *env = getenv("DOCKER_CONTEXT");
	char *path, *name = NULL;
	cJSON *j, *cur;

	if (env != NULL && env[0] != '\0')
		return strcmp(env, "default") == 0 ? NULL : xstrdup(env);
	path = xasprintf("%s/config.json", dir);
	j = docker_ctx_json(path);
	free(path);
	cur = cJSON_GetObjectItemCaseSensitive(j, "currentContext");
	if (cJSON_IsString(cur) && cur->valuestring[0] != '\0' &&
	    strcmp(cur->valuestring, "default") != 0)
		name = xstrdup(cur->valuestring);
	cJSON_Delete(j);
	return name;
}

/* The docker endpoint of context name, from its meta.json. Caller frees. */
static char *docker_ctx_endpoint(const char *dir, const char *name)
{
	char *metadir = xasprintf("%s/contexts/meta", dir), *host = NULL;
	DIR *d = opendir(metadir);
	struct dirent *e;

	while (d != NULL && host == NULL && (e = readdir(d)) != NULL) {
		char *path;
		cJSON *j, *n, *h;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s/meta.json", metadir, e->d_name);
		j = docker_ctx_json(path);
		free(path);
		n = cJSON_GetObjectItemCaseSensitive(j, "Name");
		h = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(j, "Endpoints"), "docker"), "Host");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0 && cJSON_IsString(h))
			host = xstrdup(h->valuestring);
		cJSON_Delete(j);
	}
	if (d != NULL)
		closedir(d);
	free(metadir);
	return host;
}

/* The host part of "ssh://[user@]host[:port][/]", for the host's name. */
static char *docker_ctx_host_part(const char *url)
{
	const char *h = url + 6, *at = strrchr(h, '@'), *end;

	if (at != NULL)
		h = at + 1;
	if (*h == '[') {
		h++;
		end = strchr(h, ']');
	} else {
		end = strchr(h, ':');
	}
	if (end == NULL)
		end = h + strcspn(h, "/");
	return xstrndup(h, (size_t)(end - h));
}

int config_docker_ssh_host(struct config_host *h)
{
	const char *dh = getenv("DOCKER_HOST");
	char *dir, *ctx = NULL, *url = NULL, *host;

	if (dh != NULL && dh[0] != '\0') {
		if (strncasecmp(dh, "ssh://", 6) != 0)
			return 0;        /* unix:// or tcp://: config_local_docker */
		url = xstrdup(dh);
	} else {
		dir = docker_ctx_dir();
		ctx = docker_ctx_current(dir);
		if (ctx != NULL)
			url = docker_ctx_endpoint(dir, ctx);
		free(dir);
		if (url == NULL || strncasecmp(url, "ssh://", 6) != 0) {
			free(url);
			free(ctx);
			return 0;
		}
	}
	host = docker_ctx_host_part(url);
	h->name = docker_ctx_name(ctx != NULL ? ctx : host);
	free(host);
	free(ctx);
	h->ssh = url;
	h->docker = CONFIG_DOCKER_SSH;
	h->stop_timeout = CONFIG_DEFAULT_STOP_TIMEOUT;
	{
		char *why = NULL;

		if (config_check_ssh(url, &h->address, &why) != 0)
			free(why);     /* the transport says what is wrong with it */
	}
	return 1;
}
