/* logs_verb — see logs_verb.h. */
#include "cli/logs_verb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feeds.h"
#include "core/feeds/logs_merge.h"

#define LOGS_VERB_HOLD_MS 1000   /* how long a followed line waits for older ones */
#define LOGS_VERB_TICK_MS 100

struct logs_verb {
	size_t nh;
	struct logs *l[FLEET_MAX_HOSTS];
	const char *host[FLEET_MAX_HOSTS];
	size_t printed[FLEET_MAX_HOSTS];   /* lines printed, dropped ones included */
	bool said[FLEET_MAX_HOSTS];        /* its error is out */
	bool failed[FLEET_MAX_HOSTS];
	int hostw;
};

/* Prints the merged lines up to watermark (ms; INT64_MAX: all), each host's
 * in its own order (a line its engine sent out of order waits for the ones
 * before it: the next call prints it); *printed gets how many.  False when
 * stdout is gone. */
static bool verb_print(struct logs_verb *v, int64_t watermark, size_t *printed)
{
	size_t next[FLEET_MAX_HOSTS] = { 0 };
	struct logs_merge_src src[FLEET_MAX_HOSTS];
	struct logs_line *lines[FLEET_MAX_HOSTS];
	size_t n[FLEET_MAX_HOSTS], total = 0, k, got;
	struct logs_merge_ref *refs;
	bool ok = true;

	for (size_t h = 0; h < v->nh; h++) {
		size_t have, dropped, from;
		bool running;
		char err[512];

		logs_state(v->l[h], &have, &dropped, &running, err, sizeof err);
		if (err[0] != '\0' && !v->said[h]) {
			fprintf(stderr, "kitetop: %s: %s\n", v->host[h], err);
			v->said[h] = v->failed[h] = true;
		}
		from = v->printed[h] > dropped ? v->printed[h] - dropped : 0;
		n[h] = logs_copy(v->l[h], from, have, &lines[h]);
		src[h] = (struct logs_merge_src){ lines[h], n[h] };
		total += n[h];
	}
	refs = xcalloc(total + 1, sizeof *refs);
	got = logs_merge(src, v->nh, refs);
	*printed = 0;
	for (k = 0; k < got && ok; k++) {
		size_t h = refs[k].src;
		const struct logs_line *ln = &lines[h][refs[k].line];

		if (ln->ts_ms > watermark)
			break;   /* the rest are newer: the merge is in time order */
		if (refs[k].line != next[h])
			continue;
		ok = logs_format_line(stdout, v->host[h], v->hostw, ln->ts_ms, ln->text) == 0;
		v->printed[h]++;
		next[h]++;
		(*printed)++;
	}
	ok = ok && fflush(stdout) == 0;
	for (size_t h = 0; h < v->nh; h++)
		logs_lines_free(lines[h], n[h]);
	free(refs);
	return ok;
}

static bool verb_running(struct logs_verb *v)
{
	bool any = false;

	for (size_t h = 0; h < v->nh; h++) {
		size_t n, dropped;
		bool running;
		char err[8];

		logs_state(v->l[h], &n, &dropped, &running, err, sizeof err);
		any = any || running;
	}
	return any;
}

static const struct config_service *verb_service(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].name, name) == 0)
			return &cfg->services[i];
	return NULL;
}

/* Opens a stream on every host with an engine (an SSH host's session
 * first: nothing else starts it here). */
static void verb_open(struct logs_verb *v, struct feeds *feeds, const char *container,
                      const struct logs_options *opt)
{
	for (size_t h = 0; h < feeds->fleet->nhosts && v->nh < FLEET_MAX_HOSTS; h++) {
		struct fleet_host *fh = &feeds->fleet->hosts[h];
		char *cause = NULL;
		int w = (int)strlen(fh->name);

		if (fh->cfg->docker == CONFIG_DOCKER_NONE)
			continue;
		if (fh->ssh != NULL && transport_ssh_start(fh->ssh, &cause) != 0) {
			fprintf(stderr, "kitetop: %s: %s\n", fh->name, cause != NULL ? cause : "no SSH session");
			free(cause);
			continue;
		}
		v->host[v->nh] = fh->name;
		v->l[v->nh++] = logs_open_with(feeds->fleet, fh, container, opt, NULL);
		if (w > v->hostw)
			v->hostw = w;
	}
}

int logs_verb_run(struct config *cfg, const struct cli *cli)
{
	const struct config_service *svc = verb_service(cfg, cli->logs_host);
	int64_t back = cli->logs_since_s >= 0 ? cli->logs_since_s : 600;
	struct logs_options opt = { .tail = back > 0 ? -1 : LOGS_TAIL, .follow = cli->logs_follow,
	                            .since_s = back > 0 ? time_real_ms() / 1000 - back : 0 };
	struct logs_verb v = { .hostw = 4 };
	struct feeds *feeds;
	bool ok = true, any_ok = false;
	size_t printed = 1;

	if (svc == NULL) {
		fprintf(stderr, "kitetop: no [service %s] in the configuration\n", cli->logs_host);
		return 1;
	}
	feeds = feeds_new(cfg, NULL);
	verb_open(&v, feeds, svc->container, &opt);
	/* followed: print as lines age past the wait; else: all at the end */
	while (ok && verb_running(&v)) {
		time_sleep_ms(LOGS_VERB_TICK_MS);
		if (cli->logs_follow)
			ok = verb_print(&v, time_real_ms() - LOGS_VERB_HOLD_MS, &printed);
	}
	for (printed = 1; ok && printed > 0;)
		ok = verb_print(&v, INT64_MAX, &printed);
	for (size_t h = 0; h < v.nh; h++) {
		any_ok = any_ok || !v.failed[h];
		logs_close(v.l[h]);
	}
	feeds_free(feeds);
	return ok && any_ok ? 0 : 1;
}
