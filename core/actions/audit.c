/* audit — see audit.h. */
#include "core/actions/audit.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"

#define AUDIT_MAX_FIELD 256
#define AUDIT_MAX_ERROR 2048

static atomic_uint audit_counter;

/* A copy of s cut to at most max bytes, not inside a UTF-8 sequence. */
static char *audit_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return xstrdup(s);
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return xstrndup(s, n);
}

static void audit_add_str(cJSON *o, const char *key, const char *v, size_t max)
{
	if (v == NULL) {
		cJSON_AddNullToObject(o, key);
	} else {
		char *c = audit_cut(v, max);

		cJSON_AddStringToObject(o, key, c);
		free(c);
	}
}

char *audit_format(const struct audit_entry *e, int64_t real_ms, const char *user,
                   const char *hostname)
{
	cJSON *o = cJSON_CreateObject();
	char when[40], *text, *line;

	time_format_iso8601(when, sizeof when, real_ms);
	cJSON_AddStringToObject(o, "time", when);
	audit_add_str(o, "id", e->id, AUDIT_MAX_FIELD);
	audit_add_str(o, "user", user, AUDIT_MAX_FIELD);
	audit_add_str(o, "hostname", hostname, AUDIT_MAX_FIELD);
	audit_add_str(o, "host", e->host, AUDIT_MAX_FIELD);
	audit_add_str(o, "target", e->target, AUDIT_MAX_FIELD);
	audit_add_str(o, "action", e->action, AUDIT_MAX_FIELD);
	cJSON_AddBoolToObject(o, "forced", e->forced);
	audit_add_str(o, "result", e->result, AUDIT_MAX_FIELD);
	audit_add_str(o, "error", e->error, AUDIT_MAX_ERROR);
	cJSON_AddNumberToObject(o, "duration_ms", (double)(e->duration_ms > 0 ? e->duration_ms : 0));
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatal("out of memory");
	line = xasprintf("%s\n", text);
	cJSON_free(text);
	return line;
}

char *audit_user(void)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	const char *env;

	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res != NULL &&
	    res->pw_name != NULL && res->pw_name[0] != '\0')
		return xstrdup(res->pw_name);
	env = getenv("USER");
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	return xasprintf("uid %u", (unsigned)getuid());
}

static char *audit_hostname(void)
{
	char name[256];

	if (gethostname(name, sizeof name) != 0)
		return xstrdup("unknown");
	name[sizeof name - 1] = '\0';
	return xstrdup(name);
}

int audit_append(const char *path, const struct audit_entry *e, char **cause)
{
	char *user, *host, *line;
	struct stat st;
	size_t len;
	int fd, err = 0;

	if (path == NULL || path[0] == '\0') {
		util_set_cause(cause, "no audit log is configured (audit_log)");
		return -1;
	}
	if (util_mkdirs_for(path) != 0) {
		util_set_cause(cause, "cannot create the audit log's directory for %s: %s", path,
		               strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd == -1) {
		util_set_cause(cause, "cannot open the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	/* An existing log of ours keeps to 0600 too. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0 &&
	    st.st_uid == geteuid())
		(void)fchmod(fd, 0600);
	user = audit_user();
	host = audit_hostname();
	line = audit_format(e, time_real_ms(), user, host);
	len = strlen(line);
	/* One write: O_APPEND makes it atomic with other appenders' lines. */
	for (;;) {
		ssize_t w = write(fd, line, len);

		if (w == (ssize_t)len)
			break;
		if (w == -1 && errno == EINTR)
			continue;
		err = w == -1 ? errno : ENOSPC;
		break;
	}
	if (err == 0 && fdatasync(fd) != 0 && errno != EINVAL && errno != EROFS)
		err = errno;
	if (close(fd) != 0 && err == 0 && errno != EINTR)
		err = errno;
	free(line);
	free(user);
	free(host);
	if (err != 0) {
		util_set_cause(cause, "cannot write the audit log %s: %s", path, strerror(err));
		return -1;
	}
	return 0;
}

int audit_begin(struct audit_record *r, const char *path, const char *host, const char *target,
                const char *action, bool forced, char **cause)
{
	struct audit_entry e;

	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%ld-%lld-%u", (long)getpid(), (long long)time_real_ms(),
	         atomic_fetch_add(&audit_counter, 1) + 1);
	r->path = xstrdup(path);
	r->host = xstrdup(host);
	r->target = xstrdup(target);
	r->action = xstrdup(action);
	r->forced = forced;
	r->start_mono = time_mono_ms();
	e = (struct audit_entry){ .id = r->id, .host = host, .target = target, .action = action,
	                          .forced = forced, .result = "started" };
	if (audit_append(path, &e, cause) != 0)
		return -1;
	r->begun = true;
	return 0;
}

void audit_record_done(struct audit_record *r)
{
	free(r->path);
	free(r->host);
	free(r->target);
	free(r->action);
	r->path = r->host = r->target = r->action = NULL;
}

int audit_end(struct audit_record *r, const char *error, char **cause)
{
	return audit_end_as(r, error == NULL ? "ok" : "failed", error, cause);
}

int audit_end_as(struct audit_record *r, const char *result, const char *error, char **cause)
{
	struct audit_entry e = {
		.id = r->id, .host = r->host, .target = r->target, .action = r->action,
		.forced = r->forced, .result = result, .error = error,
		.duration_ms = time_mono_ms() - r->start_mono,
	};
	int rc = audit_append(r->path, &e, cause);

	audit_record_done(r);
	return rc;
}

int audit_refused(const char *path, const char *host, const char *target, const char *action,
                  bool forced, const char *reason, char **cause)
{
	return audit_once(path, host, target, action, forced, "refused", reason, cause);
}

int audit_once(const char *path, const char *host, const char *target, const char *action,
               bool forced, const char *result, const char *reason, char **cause)
{
	char id[48];
	struct audit_entry e = { .id = id, .host = host, .target = target, .action = action,
	                         .forced = forced, .result = result, .error = reason };

	snprintf(id, sizeof id, "%ld-%lld-%u", (long)getpid(), (long long)time_real_ms(),
	         atomic_fetch_add(&audit_counter, 1) + 1);
	return audit_append(path, &e, cause);
}
