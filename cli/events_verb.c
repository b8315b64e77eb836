/* events_verb — see events_verb.h. */
#include "cli/events_verb.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/history/eventlog.h"

/* Text of one event is at most its fields and some blanks. */
#define EVENTS_VERB_LINE_MAX 2048

static bool events_verb_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* "2026-12-06 03:10:42", local time. */
static void events_verb_time(char *out, size_t n, int64_t ms)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, n, "%lld", (long long)ms);
}

static void events_verb_text(const struct event_list *l)
{
	bool utf8 = events_verb_utf8();

	for (size_t i = 0; i < l->n; i++) {
		char when[64], *text = event_describe(&l->v[i], utf8);
		/* the fields are what hosts and containers said: no control
		 * characters of theirs reach the terminal */
		char *safe = util_text_sanitize(text, EVENTS_VERB_LINE_MAX);

		events_verb_time(when, sizeof when, l->v[i].time_ms);
		printf("%s  %s\n", when, safe);
		free(safe);
		free(text);
	}
}

/* An array of the log's lines, one event a line. */
static void events_verb_json(const struct event_list *l)
{
	fputs(l->n == 0 ? "[" : "[\n", stdout);
	for (size_t i = 0; i < l->n; i++) {
		char *line = eventlog_format(&l->v[i]);

		line[strlen(line) - 1] = '\0';   /* its '\n' */
		printf("%s%s\n", line, i + 1 < l->n ? "," : "");
		free(line);
	}
	fputs("]\n", stdout);
}

/* Has anything been recorded at path (or its first rotated file)? */
static bool events_verb_recorded(const char *path)
{
	struct stat st;
	char *old;
	bool yes;

	if (path == NULL)
		return false;
	if (stat(path, &st) == 0 && st.st_size > 0)
		return true;
	old = xasprintf("%s.1", path);
	yes = stat(old, &st) == 0;
	free(old);
	return yes;
}

static void events_verb_notes(const char *path, const struct cli *cli, size_t n, size_t skipped)
{
	const char *base = path != NULL ? strrchr(path, '/') : NULL;

	base = base != NULL ? base + 1 : path;
	if (skipped == 1)
		fprintf(stderr, "kitetop: 1 line of %s was not an event (skipped)\n", base);
	else if (skipped > 1)
		fprintf(stderr, "kitetop: %zu lines of %s were not events (skipped)\n", skipped, base);
	if (n != 0)
		return;
	if (path == NULL)
		fputs("kitetop: no events: neither XDG_STATE_HOME nor HOME is set\n", stderr);
	else if (!events_verb_recorded(path))
		fprintf(stderr, "kitetop: no events recorded yet in %s\n", path);
	else
		fprintf(stderr, "kitetop: no events%s%s%s%s in %s\n", cli->since != NULL ? " since " : "",
		        cli->since != NULL ? cli->since : "", cli->host != NULL ? " of host " : "",
		        cli->host != NULL ? cli->host : "", path);
}

int events_verb_run(const struct config *cfg, const struct cli *cli)
{
	struct eventlog_query q = { .host = cli->host };
	struct event_list l = { 0 };
	const char *audit = cfg->audit_log != NULL && cfg->audit_log[0] != '\0' ? cfg->audit_log : NULL;
	char *path, *cause = NULL;
	size_t skipped = 0;
	int rc = 0;

	if (cli->since != NULL &&
	    eventlog_parse_since(cli->since, time_real_ms(), &q.since_ms, &cause) != 0) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		return 2;
	}
	path = eventlog_default_path();
	if (eventlog_read(path, audit, &q, &l, &skipped, &cause) != 0) {
		fprintf(stderr, "kitetop: %s\n", cause);
		free(cause);
		free(path);
		return 1;
	}
	if (cli->json)
		events_verb_json(&l);
	else
		events_verb_text(&l);
	if (fflush(stdout) != 0)
		rc = 1;
	events_verb_notes(path, cli, l.n, skipped);
	event_list_free(&l);
	free(path);
	return rc;
}
