/* logs_verb — see logs_verb.h. */
#include "cli/logs_verb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/docker.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feeds.h"
#include "core/feeds/logs_merge.h"
#include "core/feeds/logs_resume.h"
#include "core/fleet/route.h"

#define LOGS_VERB_HOLD_MS 1000   /* a host silent this long is taken as caught up */
/* how long the first lines wait for a host that has sent none yet (at
 * least; the configured timeout when longer) */
#define LOGS_VERB_START_MS 3000
#define LOGS_VERB_TICK_MS 100
/* logs HOST CONTAINER --follow: a first attempt that failed sooner than
 * this, with no line, never started (an error as before, not retried) */
#define LOGS_ONE_STARTED_MS 2000

struct logs_verb {
	size_t nh;
	struct logs *l[FLEET_MAX_HOSTS];
	const char *host[FLEET_MAX_HOSTS];
	size_t printed[FLEET_MAX_HOSTS];   /* lines printed, dropped ones included */
	bool said[FLEET_MAX_HOSTS];        /* its error is out */
	bool failed[FLEET_MAX_HOSTS];
	int64_t last_ts[FLEET_MAX_HOSTS];  /* the newest line's time from each host, 0: none */
	size_t seen[FLEET_MAX_HOSTS];      /* lines come from each host so far (dropped included) */
	int64_t last_rx_ms[FLEET_MAX_HOSTS];  /* wall clock when its last new lines were seen */
	int64_t opened_ms, start_ms;       /* wall clock when opened; the wait for a first line */
	int hostw;
};

/* Up to when (ms) every host's lines are known to be in, so that a merged
 * line older than it can be printed for good.  Each host's own lines come
 * in order, so a host is complete up to its newest line; while its lines
 * keep coming (a backlog, or a busy container) that is its bound, however
 * old; once nothing has come from it for LOGS_VERB_HOLD_MS it is taken as
 * caught up, complete to LOGS_VERB_HOLD_MS ago.  A host that has sent no
 * line yet (still being reached, or its backlog on the way) holds
 * everything back (INT64_MIN) for up to start_ms after the streams were
 * opened: otherwise a host reached later (a slow SSH handshake, a busy
 * machine) would bring lines older than those already printed.  Hosts whose
 * stream ended, failed or broke (running[h] false) hold nothing. */
static int64_t verb_watermark(const struct logs_verb *v, const bool *running, int64_t now)
{
	int64_t wm = INT64_MAX, quiet = now - LOGS_VERB_HOLD_MS;

	for (size_t h = 0; h < v->nh; h++) {
		int64_t bound;

		if (!running[h])
			continue;
		if (v->seen[h] == 0 && now - v->opened_ms < v->start_ms)
			return INT64_MIN;
		if (v->seen[h] > 0 && now - v->last_rx_ms[h] < LOGS_VERB_HOLD_MS)
			bound = v->last_ts[h];
		else
			bound = v->last_ts[h] > quiet ? v->last_ts[h] : quiet;
		if (bound < wm)
			wm = bound;
	}
	return wm;
}

/* Prints the merged lines, all of them or (following) up to the watermark,
 * each host's in its own order (a line its engine sent out of order waits
 * for the ones before it: the next call prints it); *printed gets how many.
 * False when stdout is gone. */
static bool verb_print(struct logs_verb *v, bool all, size_t *printed)
{
	bool running[FLEET_MAX_HOSTS];
	int64_t watermark;
	size_t next[FLEET_MAX_HOSTS] = { 0 };
	struct logs_merge_src src[FLEET_MAX_HOSTS];
	struct logs_line *lines[FLEET_MAX_HOSTS];
	size_t n[FLEET_MAX_HOSTS], total = 0, k, got;
	struct logs_merge_ref *refs;
	bool ok = true;

	for (size_t h = 0; h < v->nh; h++) {
		size_t have, dropped, from;
		char err[512];

		logs_state(v->l[h], &have, &dropped, &running[h], err, sizeof err);
		/* a broken stream being asked again holds nothing back meanwhile */
		running[h] = running[h] && err[0] == '\0';
		if (err[0] != '\0' && !v->said[h]) {
			fprintf(stderr, "kitetop: %s: %s\n", v->host[h], err);
			v->said[h] = v->failed[h] = true;
		}
		if (have + dropped > v->seen[h]) {
			v->seen[h] = have + dropped;
			v->last_rx_ms[h] = time_real_ms();
		}
		from = v->printed[h] > dropped ? v->printed[h] - dropped : 0;
		n[h] = logs_copy(v->l[h], from, have, &lines[h]);
		src[h] = (struct logs_merge_src){ lines[h], n[h] };
		total += n[h];
		for (size_t i = 0; i < n[h]; i++)
			if (lines[h][i].ts_ms > v->last_ts[h])
				v->last_ts[h] = lines[h][i].ts_ms;
	}
	watermark = all ? INT64_MAX : verb_watermark(v, running, time_real_ms());
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
	v.opened_ms = time_real_ms();
	v.start_ms = cfg->timeout_ms > LOGS_VERB_START_MS ? cfg->timeout_ms : LOGS_VERB_START_MS;
	verb_open(&v, feeds, svc->container, &opt);
	/* followed: print as lines age past the wait; else: all at the end */
	while (ok && verb_running(&v)) {
		time_sleep_ms(LOGS_VERB_TICK_MS);
		if (cli->logs_follow)
			ok = verb_print(&v, false, &printed);
	}
	for (printed = 1; ok && printed > 0;)
		ok = verb_print(&v, true, &printed);
	for (size_t h = 0; h < v.nh; h++) {
		any_ok = any_ok || !v.failed[h];
		logs_close(v.l[h]);
	}
	feeds_free(feeds);
	return ok && any_ok ? 0 : 1;
}

/* logs HOST CONTAINER: one stream at a time, printed as it comes. */
struct verb_one {
	struct logs_resume seen;
	int64_t lost_ms, resumed_ms;   /* wall clock; lost_ms 0: no gap to mark */
	bool any;                      /* a line came (the stream had started) */
	bool gone;                     /* stdout or stderr is closed: stop */
};

/* One log line to stdout or stderr, as `docker logs` does, after the gap's
 * mark when it is the first since a break; stops the stream when the output
 * is gone (a closed pipe). */
static int verb_one_line(const struct docker_log_line *line, void *arg)
{
	struct verb_one *o = arg;
	FILE *f = line->stream == DOCKER_STREAM_STDERR ? stderr : stdout;

	o->any = true;
	if (!logs_resume_take(&o->seen, line->ts_ms, line->text, line->len))
		return 0;   /* a resumed stream's repeat */
	if (o->lost_ms != 0) {
		char mark[96];

		logs_resume_gap_text(o->lost_ms, o->resumed_ms, mark, sizeof mark);
		o->lost_ms = 0;
		if (puts(mark) == EOF)
			goto gone;
	}
	if (fwrite(line->text, 1, line->len, f) != line->len || fputc('\n', f) == EOF)
		goto gone;
	if (line->stream == DOCKER_STREAM_STDERR || fflush(stdout) == 0)
		return 0;
gone:
	o->gone = true;
	return -1;
}

static int verb_one_stream(struct fleet_host *h, int timeout_ms, const char *container,
                           const struct docker_logs_options *opt, struct verb_one *o, char **cause)
{
	struct docker *d = route_docker_open(h, timeout_ms, -1, NULL, cause);
	int rc = d != NULL ? docker_logs(d, container, opt, verb_one_line, o, cause) : -1;

	docker_free(d);
	return rc;
}

/* Followed: asks a broken stream again until it ends or the output is gone. */
static int verb_one_follow(struct fleet_host *h, int timeout_ms, const char *container,
                           struct docker_logs_options *opt, struct verb_one *o, char **cause)
{
	int64_t backoff = LOGS_RETRY_MIN_MS, t0 = time_mono_ms();
	int rc = verb_one_stream(h, timeout_ms, container, opt, o, cause);

	/* a first attempt that failed at once (no such host, container or
	 * engine) is an error as before; a stream that ran and broke is not */
	if (rc == -1 && !o->any && time_mono_ms() - t0 < LOGS_ONE_STARTED_MS)
		return rc;
	while (rc == -1 && !o->gone && (*cause == NULL || strstr(*cause, "No such container") == NULL)) {
		if (o->lost_ms == 0) {
			o->lost_ms = time_real_ms();
			backoff = LOGS_RETRY_MIN_MS;
			fprintf(stderr, "kitetop: %s: %s (trying again)\n", h->name,
			        *cause != NULL ? *cause : "the log stream broke");
		}
		free(*cause);
		*cause = NULL;
		logs_wait_retry(h, backoff, NULL);
		backoff = backoff * 2 > LOGS_RETRY_MAX_MS ? LOGS_RETRY_MAX_MS : backoff * 2;
		o->resumed_ms = time_real_ms();
		logs_resume_again(&o->seen);
		if (o->seen.last_ts_ms > 0) {
			/* from the last line's millisecond, its repeats skipped */
			opt->tail = -1;
			opt->since_s = 0;
			opt->since_ms = o->seen.last_ts_ms;
		}
		rc = verb_one_stream(h, timeout_ms, container, opt, o, cause);
	}
	return rc;
}

int logs_verb_container(struct config *cfg, const struct cli *cli)
{
	struct feeds *feeds = feeds_new(cfg, NULL);
	struct fleet_host *h = fleet_host_named(feeds->fleet, cli->logs_host);
	struct docker_logs_options opt = { .tail = cli->logs_tail, .follow = cli->logs_follow,
	                                   .since_s = cli->logs_since_s > 0 ?
	                                              time_real_ms() / 1000 - cli->logs_since_s : 0,
	                                   /* a resumed stream needs the lines' times */
	                                   .timestamps = cli->logs_follow };
	struct verb_one o = { .any = false };
	char *cause = NULL;
	int rc = -1;

	logs_resume_init(&o.seen);
	if (h == NULL) {
		util_set_cause(&cause, "no host called %s in the configuration", cli->logs_host);
	} else if (h->cfg->docker == CONFIG_DOCKER_NONE) {
		util_set_cause(&cause, "%s: docker = none", h->name);
	} else if (h->ssh == NULL || transport_ssh_start(h->ssh, &cause) == 0) {
		if (cli->logs_follow)
			rc = verb_one_follow(h, cfg->timeout_ms, cli->logs_container, &opt, &o, &cause);
		else
			rc = verb_one_stream(h, cfg->timeout_ms, cli->logs_container, &opt, &o, &cause);
	}
	if (rc != 0 && !o.gone)
		fprintf(stderr, "kitetop: %s\n", cause != NULL ? cause : "logs failed");
	free(cause);
	feeds_free(feeds);
	if (fflush(stdout) != 0 || o.gone)
		rc = -1;
	return rc == 0 ? 0 : 1;
}
