/* feed_docker — a host's containers (struct feed_containers), through its
 * SSH session's Docker tunnel, a unix socket or tcp. */
#include "core/feeds/feed_docker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/cgroupstat.h"
#include "backends/docker.h"
#include "backends/docker_watch.h"
#include "backends/transport/transport_ssh.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/feeds/feed_common.h"
#include "core/feeds/feed_exec.h"
#include "core/feeds/feed_containers.h"
#include "core/fleet/route.h"

struct docker_arg {
	struct fleet *fleet;
	struct fleet_host *host;
	struct source *source;      /* the source itself, refreshed on an event */
	int timeout_ms;
	atomic_uint relist;         /* bumped by feeds_refresh_now(): list, do not reuse */
};

/* The list is asked only when it may have changed: while the host's event
 * stream (backends/docker_watch.h) reports nothing since the last list, a
 * poll publishes that list again (with fresh stats) without asking, up to
 * FEED_DOCKER_RELIST_QUIET_MS.  An event triggers a poll at once. */
struct feed_docker_state {
	struct docker_arg *arg;     /* the host and timeout */
	struct docker *d;
	char *setup_error;          /* the endpoint could not be made */
	const atomic_int *cancel;
	unsigned polls;
	struct docker_watch *watch; /* from the second poll (a one-shot status never gets one) */
	uint64_t list_mark;         /* the watch's mark when the kept list was asked */
	unsigned list_relist;       /* arg->relist then */
	int64_t list_at;            /* mono ms it was asked */
	struct feed_docker_list *last;   /* that list, settled; NULL: none to reuse */
	uint64_t last_version;      /* its version (struct feed_containers) */
	/* the list last asked of the engine, and its version: a list asked
	 * again that is the same keeps them (most relists find nothing new) */
	struct feed_docker_list *pub;
	uint64_t pub_version;
	struct docker_watch_gate gate;   /* at most one list per window of events */
	unsigned gate_relist;       /* arg->relist at the last list: a newer one skips the gate */
	/* the containers' CPU and memory from the host's cgroup files, one read
	 * a poll (backends/cgroupstat.h); the engine's stats requests only for
	 * those the read did not find, or all when it cannot be read */
	enum { CG_NONE, CG_SSH, CG_LOCAL } cg_where;
	bool cg_layout_known;       /* asked of `docker info` since the last connection */
	enum cgroupstat_layout cg_layout;
	struct cgroupstat cg_prev;  /* the last read, and when (s, the host's clock) */
	double cg_prev_t;
	bool cg_have_prev;
	int64_t cg_prev_mono;       /* time_mono_ms() of that read */
	unsigned cg_fills;          /* docker_stats_fill()s done */
	unsigned cg_prev_fill;      /* cg_fills when cg_prev was read */
	struct feed_sampler cg_sampler;   /* CG_SSH: the read kept running (feed_exec.h) */
	/* the containers published as a first part (SOURCE_POLL_PARTIAL),
	 * before the two cgroup reads of a first CPU figure: the next poll
	 * takes them up at once */
	struct feed_containers *early;
	uint64_t early_mark;        /* its mark and relist (see docker_poll) */
	/* the two cgroup reads of a first list's CPU figures, on a thread of
	 * its own beside the list (CG_SSH: one exec over its own channel, the
	 * host sleeping CGROUPSTAT_TWICE_GAP_MS between them: ~3 round trips
	 * and a second, where two execs cost 6; the layout not known yet,
	 * every layout's files are read), taken up by the next poll */
	pthread_t cg_thread;
	bool cg_thread_on;
	int cg_thread_rc;
	char *cg_thread_why;
	struct cgroupstat cg_thread_got, cg_thread_got2;
	bool cg_thread_have2;
	double cg_thread_t, cg_thread_t2;
	int64_t cg_thread_mono;
	/* that second read, the next cg_sample's, not read again */
	struct cgroupstat cg_next;
	double cg_next_t;
	bool cg_have_next;
	bool cg_any_once;           /* the next read as that one (every layout's files) */
	unsigned early_relist;
	int64_t cg_retry_at;        /* after a failed read: stats requests until then */
	char *cg_root;              /* CG_LOCAL: where this machine's cgroup files are */
};

/* This machine's cgroup files: /sys/fs/cgroup, or $KITETOP_CGROUP_ROOT (for
 * tests and benches: a fake tree), each "%h" in it the host's name (so that
 * each fake engine of a bench has a tree of its own).  Caller frees. */
char *feed_docker_cgroup_root(const char *host)
{
	const char *env = getenv("KITETOP_CGROUP_ROOT");
	struct buf b;

	if (env == NULL || env[0] == '\0')
		return xstrdup("/sys/fs/cgroup");
	buf_init(&b);
	for (const char *p = env; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 'h') {
			buf_printf(&b, "%s", host);
			p++;
		} else {
			buf_printf(&b, "%c", *p);
		}
	}
	return buf_steal(&b);
}

/* Where the host's cgroup files are read: over its SSH session when its
 * engine is reached through it, here when the engine's socket is this
 * machine's (a host without SSH), nowhere for an engine over TCP. */
static int cg_where_of(const struct fleet_host *h)
{
	if (h->cfg->docker == CONFIG_DOCKER_SSH && h->ssh != NULL)
		return CG_SSH;
	if (h->cfg->docker == CONFIG_DOCKER_UNIX && h->ssh == NULL)
		return CG_LOCAL;
	return CG_NONE;
}

static void *docker_thread_init(void *arg, const atomic_int *cancel)
{
	struct docker_arg *a = arg;
	struct feed_docker_state *st = xcalloc(1, sizeof *st);

	st->arg = a;
	st->cancel = cancel;
	feed_sampler_init(&st->cg_sampler);
	st->gate = (struct docker_watch_gate)DOCKER_WATCH_GATE_INIT;
	st->d = route_docker_open(a->host, a->timeout_ms, 0, cancel, &st->setup_error);
	st->cg_where = cg_where_of(a->host);
	if (st->cg_where == CG_LOCAL)
		st->cg_root = feed_docker_cgroup_root(a->host->name);
	cgroupstat_init(&st->cg_prev);
	cgroupstat_init(&st->cg_next);
	if (st->d != NULL)   /* docker_stats_fill() asks the workers, when it must */
		docker_set_list_stats(st->d, false);
	return st;
}

/* From the watch thread: a container event, or the stream (re)started. */
static void docker_on_event(void *arg)
{
	struct docker_arg *a = arg;

	source_refresh_now(a->source);
}

/* The kept list into c when nothing may have changed since it was asked. */
static bool docker_reuse_list(struct feed_docker_state *st, struct feed_containers *c)
{
	uint64_t mark = docker_watch_mark(st->watch);

	if (st->last == NULL || mark == 0 || mark != st->list_mark ||
	    atomic_load(&st->arg->relist) != st->list_relist ||
	    time_mono_ms() - st->list_at >= FEED_DOCKER_RELIST_QUIET_MS)
		return false;
	feed_docker_list_share(st->last, c);   /* not a copy of its strings: they do not change */
	c->version = st->last_version;
	return true;
}

/* Each sample of a read gets its time. */
static void cg_stamp(struct cgroupstat *cg, double t)
{
	for (size_t i = 0; i < cg->n; i++)
		cg->s[i].t = t;
}

/* One read of the host's cgroup files into *cg (here: the containers of
 * ids[0..n) only, sorted; NULL every one), and its time (s) into *t.
 * 0, or -1 (FEED_EXEC_TIMEOUT: the host did not answer) with *cause. */
static int cg_read(struct feed_docker_state *st, struct cgroupstat *cg, const char *const *ids,
                   size_t nids, double *t, char **cause)
{
	enum cgroupstat_layout layout = CGROUPSTAT_ANY;
	struct buf b;
	int rc = 0;

	/* the second read of a first one made beside the list: as that one,
	 * every layout's files (the layout is asked at the next poll) */
	if (st->cg_any_once && !st->cg_layout_known) {
		st->cg_any_once = false;
	} else {
		if (!st->cg_layout_known) {
			char *body = NULL;
			size_t len = 0;

			if (docker_info_json(st->d, &body, &len, cause) != 0)
				return -1;
			st->cg_layout = cgroupstat_layout_of_info(body, len);
			st->cg_layout_known = true;
			free(body);
		}
		layout = st->cg_layout;
	}
	buf_init(&b);
	if (st->cg_where == CG_SSH)
		rc = feed_sampler_ask(&st->cg_sampler, st->arg->fleet, st->arg->host,
		                      cgroupstat_command(layout), CGROUPSTAT_END, "cgroups",
		                      CGROUPSTAT_MAX_OUTPUT, st->cancel, &b, cause);
	else
		cgroupstat_read_local_some(layout, st->cg_root, "/proc/uptime", ids, nids, &b);
	if (rc == 0)
		rc = cgroupstat_parse(b.data != NULL ? b.data : "", b.len, cg, cause);
	buf_done(&b);
	*t = cg->uptime_s >= 0 ? cg->uptime_s : (double)time_mono_ms() / 1000.0;
	cg_stamp(cg, *t);
	return rc;
}

/* The thread of the two reads beside the list (see cg_thread_on).  The
 * second answer is used only with the host's clock in both (the wall time
 * between them is the host's sleep, not this side's); when it is missing
 * or cut short, the first alone is taken and cg_sample reads again. */
static void *cg_thread_main(void *arg)
{
	struct feed_docker_state *st = arg;
	struct buf b;
	size_t n = 0;

	buf_init(&b);
	st->cg_thread_rc = feed_ssh_exec_longer(st->arg->fleet, st->arg->host,
	                                        cgroupstat_command_twice(CGROUPSTAT_ANY), "cgroups",
	                                        CGROUPSTAT_TWICE_GAP_MS, true, 2 * CGROUPSTAT_MAX_OUTPUT,
	                                        st->cancel, &b, &st->cg_thread_why);
	if (st->cg_thread_rc == 0) {
		const char *out = b.data != NULL ? b.data : "";

		n = cgroupstat_answer_len(out, b.len);
		st->cg_thread_rc = cgroupstat_parse(out, n > 0 ? n : b.len, &st->cg_thread_got,
		                                    &st->cg_thread_why);
		if (st->cg_thread_rc == 0 && n > 0 && st->cg_thread_got.uptime_s >= 0) {
			char *why = NULL;

			st->cg_thread_have2 = cgroupstat_parse(out + n, b.len - n, &st->cg_thread_got2,
			                                       &why) == 0 &&
			                      st->cg_thread_got2.uptime_s > st->cg_thread_got.uptime_s;
			free(why);
			if (!st->cg_thread_have2)
				cgroupstat_done(&st->cg_thread_got2);
		}
	}
	buf_done(&b);
	st->cg_thread_t = st->cg_thread_got.uptime_s >= 0 ? st->cg_thread_got.uptime_s :
	                  (double)time_mono_ms() / 1000.0;
	st->cg_thread_t2 = st->cg_thread_got2.uptime_s;
	/* the first read was a sleep's worth before the answer came */
	st->cg_thread_mono = time_mono_ms() - (n > 0 ? CGROUPSTAT_TWICE_GAP_MS : 0);
	return NULL;
}

/* Starts the first read beside the list, when one is due over SSH. */
static void cg_thread_start(struct feed_docker_state *st)
{
	if (st->cg_where != CG_SSH || st->cg_have_prev || st->cg_thread_on ||
	    time_mono_ms() < st->cg_retry_at)
		return;
	cgroupstat_init(&st->cg_thread_got);
	cgroupstat_init(&st->cg_thread_got2);
	st->cg_thread_have2 = false;
	st->cg_thread_rc = -1;
	st->cg_thread_why = NULL;
	st->cg_thread_on = pthread_create(&st->cg_thread, NULL, cg_thread_main, st) == 0;
}

/* Waits for that read; when it succeeded it is the first of the two
 * (st->cg_prev), else cg_sample reads again.  FEED_EXEC_TIMEOUT (with
 * *cause) when the host did not answer; else 0. */
static int cg_thread_take(struct feed_docker_state *st, char **cause)
{
	int rc;

	if (!st->cg_thread_on)
		return 0;
	pthread_join(st->cg_thread, NULL);
	st->cg_thread_on = false;
	rc = st->cg_thread_rc;
	if (rc == 0) {
		cgroupstat_done(&st->cg_prev);
		st->cg_prev = st->cg_thread_got;
		st->cg_prev_t = st->cg_thread_t;
		cg_stamp(&st->cg_prev, st->cg_prev_t);
		st->cg_prev_mono = st->cg_thread_mono;
		st->cg_prev_fill = st->cg_fills;
		st->cg_have_prev = true;
		cgroupstat_done(&st->cg_next);
		st->cg_have_next = st->cg_thread_have2;
		if (st->cg_have_next) {
			st->cg_next = st->cg_thread_got2;
			st->cg_next_t = st->cg_thread_t2;
			cg_stamp(&st->cg_next, st->cg_next_t);
		}
		/* the read after it as that one; the second here was it */
		st->cg_any_once = !st->cg_have_next;
	} else {
		cgroupstat_done(&st->cg_thread_got);
		cgroupstat_done(&st->cg_thread_got2);
	}
	if (rc == FEED_EXEC_TIMEOUT)
		util_set_cause(cause, "docker: the host did not answer: %s",
		               st->cg_thread_why != NULL ? st->cg_thread_why : "cgroups");
	free(st->cg_thread_why);
	st->cg_thread_why = NULL;
	return rc == FEED_EXEC_TIMEOUT ? rc : 0;
}

/* The first read of a CPU figure's two (st->cg_prev). */
static int cg_first(struct feed_docker_state *st, char **cause)
{
	int rc = cg_read(st, &st->cg_prev, NULL, 0, &st->cg_prev_t, cause);

	if (rc == 0) {
		st->cg_have_prev = true;
		st->cg_prev_mono = time_mono_ms();
		st->cg_prev_fill = st->cg_fills;
	}
	return rc;
}

/* A read now, and the one before it: at the first, a second read at least
 * FEED_DOCKER_CG_FIRST_MS later on the host, so that even a one-shot status
 * has CPU %.  The host reads its files half a round trip before the answer
 * comes, and a round trip and a half after an exec is asked (the channel,
 * the request), and the figures are per second of the host's uptime: over
 * SSH the second is asked two round trips sooner. */
static int cg_sample(struct feed_docker_state *st, struct cgroupstat *cur, const char *const *ids,
                     size_t nids, double *t, char **cause)
{
	int64_t due, now, early = 0;

	if (st->cg_have_prev && st->cg_have_next) {   /* read with the first */
		cgroupstat_done(cur);
		*cur = st->cg_next;
		*t = st->cg_next_t;
		cgroupstat_init(&st->cg_next);
		st->cg_have_next = false;
		return 0;
	}
	if (!st->cg_have_prev) {
		int rc = cg_first(st, cause);

		if (rc != 0)
			return rc;
	}
	if (st->cg_where == CG_SSH && st->arg->host->ssh != NULL) {
		struct transport_ssh_status ss;

		transport_ssh_status(st->arg->host->ssh, &ss);
		if (ss.rtt_ms > 0)
			early = 2 * (int64_t)ss.rtt_ms < FEED_DOCKER_CG_FIRST_MS / 2 ?
			        2 * (int64_t)ss.rtt_ms : FEED_DOCKER_CG_FIRST_MS / 2;
	}
	due = st->cg_prev_mono + FEED_DOCKER_CG_FIRST_MS - early;
	while ((now = time_mono_ms()) < due && !atomic_load(st->cancel))
		time_sleep_ms(due - now < 50 ? due - now : 50);
	return cg_read(st, cur, ids, nids, t, cause);
}

void feed_docker_stats_fill_some(struct docker *d, struct interest *in, struct docker_container *l,
                                 size_t n)
{
	const char **ids = xreallocarray(NULL, n + 1, sizeof *ids);
	bool *ask = xreallocarray(NULL, n + 1, sizeof *ask);

	for (size_t i = 0; i < n; i++)
		ids[i] = l[i].full_id;
	interest_select(in, ids, n, ask);
	docker_fill_stats(d, l, n, ask);
	free(ask);
	free(ids);
}

static int cg_id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of c's running and paused containers, sorted (*n of them); with
 * in: only those of interest (the rows on screen). */
static const char **cg_ids(const struct feed_containers *c, struct interest *in, size_t *n)
{
	const char **ids = xreallocarray(NULL, c->n + 1, sizeof *ids);
	bool *ask = xreallocarray(NULL, c->n + 1, sizeof *ask);
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].state == DOCKER_STATE_RUNNING || c->items[i].state == DOCKER_STATE_PAUSED)
			ids[k++] = c->items[i].full_id;
	if (in != NULL) {
		size_t m = 0;

		interest_select(in, ids, k, ask);
		for (size_t i = 0; i < k; i++)
			if (ask[i])
				ids[m++] = ids[i];
		k = m;
	}
	free(ask);
	qsort(ids, k, sizeof *ids, cg_id_cmp);
	*n = k;
	return ids;
}

/* Whether the read cg holds a running or paused container of c's (true
 * when c has none). */
static bool cg_holds_any(const struct cgroupstat *cg, const struct feed_containers *c)
{
	size_t n;
	const char **ids = cg_ids(c, NULL, &n);
	bool r = cgroupstat_holds_any(cg, ids, n);

	free(ids);
	return r;
}

/* The CPU and memory of c's running and paused containers: from the
 * cgroups where they can be read, else (and for those the read missed)
 * from the engine's stats workers, for the rows on screen.  Read here (a
 * local engine: kitetop opens 4 files a container), only the rows on screen
 * with their figures (every container's at the first read, and while the
 * reader wants all: rows sorted by CPU or memory, a one-shot status).  Not
 * read: the figures of the read before only (a row just scrolled off); a
 * CPU % needs its baseline from the read before (a row back on screen: its
 * memory at once, its CPU % a refresh later, not an average since). */
static int docker_stats_fill(struct feed_docker_state *st, struct feed_containers *c, char **cause)
{
	struct docker_container *miss;
	size_t *at, nmiss = 0, nwant = 0;
	struct cgroupstat cur;
	const char **want = NULL;
	double t = 0;
	bool have = false, full = true, prev;
	struct interest *in = st->arg->host->interest;

	cgroupstat_init(&cur);
	if (st->cg_where != CG_NONE && time_mono_ms() >= st->cg_retry_at) {
		char *why = NULL;
		int rc = 0;

		if (st->cg_where == CG_LOCAL && st->cg_have_prev && !interest_wants_all(in)) {
			full = false;
			want = cg_ids(c, in, &nwant);
		}
		if (full || nwant > 0) {
			rc = cg_sample(st, &cur, want, nwant, &t, &why);
			have = rc == 0;
		}
		free(want);
		/* the host did not answer in time (frozen, or its link dead while
		 * the session lingers): that is the engine's poll failing too, said
		 * now rather than when the keepalive gives up; the next poll reads
		 * again */
		if (rc == FEED_EXEC_TIMEOUT) {
			util_set_cause(cause, "docker: the host did not answer: %s", why);
			free(why);
			cgroupstat_done(&cur);
			return -1;
		}
		/* another failure (no POSIX shell, no cgroup files, the exec
		 * refused): the engine's figures for a while, then a read again */
		if (rc != 0) {
			st->cg_retry_at = time_mono_ms() + FEED_DOCKER_CG_RETRY_MS;
			st->cg_have_prev = false;
			st->cg_layout_known = false;
			full = true;
		}
		free(why);
	}
	/* files that hold none of the engine's running containers are another
	 * machine's (an engine in a VM behind a local socket, or beside other
	 * engines on this one): the engine's figures, and the files not read
	 * again for FEED_DOCKER_CG_FOREIGN_MS (at 8 engines on one machine,
	 * reading its other containers' files was most of an idle refresh) */
	if (have && full && !cg_holds_any(&cur, c)) {
		have = false;
		cgroupstat_done(&cur);
		st->cg_retry_at = time_mono_ms() + FEED_DOCKER_CG_FOREIGN_MS;
		st->cg_have_prev = false;
		st->cg_layout_known = false;
	}
	miss = xreallocarray(NULL, c->n + 1, sizeof *miss);
	at = xreallocarray(NULL, c->n + 1, sizeof *at);
	/* a last read that is not the poll before's (nothing was read since),
	 * or a sample it kept from a read before it: not a baseline, nor
	 * figures to show */
	prev = st->cg_have_prev && st->cg_prev_fill + 1 >= st->cg_fills;
	for (size_t i = 0; i < c->n; i++) {
		struct docker_container *dc = &c->items[i];
		const struct cgroupstat_sample *s = have ? cgroupstat_find(&cur, dc->full_id) : NULL;
		const struct cgroupstat_sample *p = prev ? cgroupstat_find(&st->cg_prev, dc->full_id) : NULL;

		if (p != NULL && p->t != st->cg_prev_t)
			p = NULL;

		if (dc->state != DOCKER_STATE_RUNNING && dc->state != DOCKER_STATE_PAUSED)
			continue;
		if (s != NULL && cgroupstat_mem_bytes(s) >= 0) {
			dc->mem_bytes = cgroupstat_mem_bytes(s);
			dc->mem_limit_bytes = s->mem_limit;
			dc->cpu_pct = cgroupstat_cpu_pct(p, s, p != NULL ? s->t - p->t : 0);
			cur.s[s - cur.s].cpu_pct = dc->cpu_pct;
		} else if (!full && s == NULL && p != NULL && cgroupstat_mem_bytes(p) >= 0) {
			/* not read this time (no row shows it): its last read's */
			dc->mem_bytes = cgroupstat_mem_bytes(p);
			dc->mem_limit_bytes = p->mem_limit;
			dc->cpu_pct = p->cpu_pct;
		} else {
			miss[nmiss] = *dc;
			at[nmiss++] = i;
		}
	}
	/* the engine's stats only for the rows on screen (all for a reader
	 * that never said, as a one-shot status); none: the workers go idle */
	feed_docker_stats_fill_some(st->d, in, miss, nmiss);
	for (size_t k = 0; k < nmiss; k++) {
		c->items[at[k]].cpu_pct = miss[k].cpu_pct;
		c->items[at[k]].mem_bytes = miss[k].mem_bytes;
		c->items[at[k]].mem_limit_bytes = miss[k].mem_limit_bytes;
	}
	free(miss);
	free(at);
	if (have) {
		if (!full)   /* the containers not read keep their last sample */
			cgroupstat_merge_older(&cur, &st->cg_prev);
		cgroupstat_done(&st->cg_prev);
		st->cg_prev = cur;
		st->cg_prev_t = t;
		st->cg_prev_fill = st->cg_fills;
	} else {
		cgroupstat_done(&cur);
	}
	st->cg_fills++;
	return 0;
}

static void docker_again(const char *full_id, int64_t time_ms, void *arg)
{
	docker_inspect_again(arg, full_id, time_ms);
}

/* Before a list that events asked for: waits until the gate's window ends
 * (at most DOCKER_WATCH_COALESCE_MS), so a flood of events costs a few lists
 * a second, not one each.  The refresh key does not wait.  False: cancelled. */
static bool docker_gate_wait(struct feed_docker_state *st)
{
	int64_t now = time_mono_ms(), due;

	if (st->watch == NULL || atomic_load(&st->arg->relist) != st->gate_relist)
		return true;
	docker_watch_gate_event(&st->gate, now);
	due = docker_watch_gate_due(&st->gate);
	/* short steps: the source's cancel flag has no waker for a plain sleep */
	while ((now = time_mono_ms()) < due) {
		if (atomic_load(st->cancel))
			return false;
		time_sleep_ms(due - now < 50 ? due - now : 50);
	}
	return true;
}

static int docker_poll(void *state, void **value, char **cause)
{
	struct feed_docker_state *st = state;
	struct fleet_host *h = st->arg->host;
	struct feed_containers *c;
	uint64_t mark;
	unsigned relist;
	bool early, same;

	if (st->setup_error != NULL) {
		util_set_cause(cause, "%s", st->setup_error);
		return -1;
	}
	if (h->ssh != NULL) {
		struct transport_ssh_status ss;

		/* the first connection attempt is under way: wait for it (bounded),
		 * so that the first snapshot is the containers, not "connecting" */
		fleet_host_wait_ssh_first(h, time_mono_ms() + st->arg->timeout_ms, st->cancel, &ss);
		if (!ss.connected) {
			util_set_cause(cause, "%s", ss.error[0] != '\0' ? ss.error : "ssh: connecting");
			return -1;
		}
	}
	if (st->early != NULL) {
		c = st->early;
		st->early = NULL;
		mark = st->early_mark;
		relist = st->early_relist;
		early = false;
		/* the inspects while the two cgroup reads begun beside the list
		 * go on (their sleep); then those reads (else the first now,
		 * and the second by cg_sample a second later); another failure
		 * than the host's silence is seen again, and handled, there */
		if (docker_list_inspect(st->d, c->items, c->n, cause) != 0) {
			char *why = NULL;

			(void)cg_thread_take(st, &why);
			free(why);
			feed_containers_free(c);
			return -1;
		}
		if (cg_thread_take(st, cause) != 0) {
			feed_containers_free(c);
			return -1;
		}
		if (st->cg_where != CG_NONE && !st->cg_have_prev && time_mono_ms() >= st->cg_retry_at) {
			char *why = NULL;

			if (cg_first(st, &why) == FEED_EXEC_TIMEOUT) {
				util_set_cause(cause, "docker: the host did not answer: %s", why);
				free(why);
				feed_containers_free(c);
				return -1;
			}
			free(why);
		}
		goto listed;
	}
	c = xcalloc(1, sizeof *c);
	if (docker_reuse_list(st, c))
		goto out;
	if (!docker_gate_wait(st)) {
		free(c);
		util_set_cause(cause, "cancelled");
		return -1;
	}
	mark = docker_watch_mark(st->watch);
	relist = atomic_load(&st->arg->relist);
	feed_docker_list_unref(st->last);
	st->last = NULL;
	docker_watch_drain(st->watch, docker_again, st->d);
	docker_watch_gate_listed(&st->gate, time_mono_ms());
	st->gate_relist = relist;
	/* no CPU figure yet (the first list, or the first since a cgroup read
	 * failed): the inspects and the two reads of the cgroups a second
	 * apart are some round trips each on a slow link, so the list goes
	 * out first (SOURCE_POLL_PARTIAL), its figures unknown, and the next
	 * poll, at once, does the rest on it */
	early = !st->cg_have_prev &&
	    (st->cg_where == CG_NONE ? st->polls == 0 : time_mono_ms() >= st->cg_retry_at);
	if (early) {
		docker_list_bare(st->d);
		cg_thread_start(st);
	}
	if (docker_list_containers(st->d, &c->items, &c->n, cause) == -1) {
		char *why = NULL;

		/* the read beside it is of no use without a list */
		if (cg_thread_take(st, &why) == 0 && st->cg_have_prev) {
			cgroupstat_done(&st->cg_prev);
			cgroupstat_done(&st->cg_next);
			st->cg_have_prev = st->cg_have_next = false;
		}
		free(why);
		struct transport_ssh_status ss;

		free(c);
		/* a dial-stdio tunnel that failed says why on the remote side
		 * ("Cannot connect to the Docker daemon ..."): that beats "closed" */
		if (h->ssh != NULL && cause != NULL && *cause != NULL &&
		    strstr(*cause, "connection closed") != NULL) {
			transport_ssh_status(h->ssh, &ss);
			/* only the Docker tunnel's own failure, not another tunnel's */
			if (ss.connected && strstr(ss.error, "dial-stdio") != NULL)
				util_set_cause(cause, "docker: %s", ss.error);
		}
		/* the host's SSH link down is not dockerd's fault; and the
		 * forward's private socket path means nothing to the reader */
		if (h->ssh != NULL && h->cfg->docker == CONFIG_DOCKER_SSH) {
			struct docker_options o;

			docker_options_of(st->d, &o);
			route_error_blame(h, o.unix_socket, "its Docker engine", cause);
		}
		st->cg_layout_known = false;   /* asked again at the next connection */
		return -1;
	}
	/* the list's JSON (~4 MB parsed for 500 containers) is gone: its pages
	 * back to the system, not kept resident until the next relist */
	util_release_memory();
	if (early) {
		struct feed_containers *first = xcalloc(1, sizeof *first);

		first->items = docker_containers_copy(c->items, c->n);
		first->n = c->n;
		first->version = feed_containers_new_version();
		first->engine_version = xstrdup(docker_engine_version(st->d));
		st->early = c;
		st->early_mark = mark;
		st->early_relist = relist;
		*value = first;
		return SOURCE_POLL_PARTIAL;
	}
listed:
	/* the values of one list share its strings: this one, and the next
	 * polls' while it is reused; a list asked again that holds the same
	 * containers, alike in all but their figures and status words, keeps
	 * the version (its status words are the new ones) */
	same = feed_docker_list_alike(st->pub, c->items, c->n);
	feed_docker_list_unref(st->pub);
	st->pub = feed_docker_list_adopt(c->items, c->n);
	if (!same)
		st->pub_version = feed_containers_new_version();
	feed_docker_list_share(st->pub, c);
	c->version = st->pub_version;
	if (mark != 0 && docker_list_settled(st->d)) {
		/* kept for the next polls */
		feed_docker_list_unref(st->last);
		st->last = feed_docker_list_ref(st->pub);
		st->last_version = c->version;
		st->list_mark = mark;
		st->list_relist = relist;
		st->list_at = time_mono_ms();
	}
	if (st->watch == NULL && ++st->polls >= 2) {
		struct docker_options o;

		docker_options_of(st->d, &o);
		st->watch = docker_watch_new(&o, docker_on_event, st->arg);
	}
out:
	if (docker_stats_fill(st, c, cause) != 0) {
		feed_containers_free(c);
		return -1;
	}
	c->engine_version = xstrdup(docker_engine_version(st->d));
	*value = c;
	return 0;
}

static void docker_thread_done(void *state)
{
	struct feed_docker_state *st = state;

	if (st->cg_thread_on) {
		char *why = NULL;

		(void)cg_thread_take(st, &why);
		free(why);
	}
	if (st->early != NULL)
		feed_containers_free(st->early);
	docker_watch_free(st->watch);   /* before d: its callback names the host only */
	feed_docker_list_unref(st->last);
	feed_docker_list_unref(st->pub);
	cgroupstat_done(&st->cg_prev);
	cgroupstat_done(&st->cg_next);
	feed_sampler_done(&st->cg_sampler);
	free(st->cg_root);
	docker_free(st->d);
	free(st->setup_error);
	free(st);
}

static const struct source_ops docker_source_ops = {
	.kind = "docker",
	.thread_init = docker_thread_init,
	.poll = docker_poll,
	.thread_done = docker_thread_done,
	.free_value = feed_containers_free,
	.free_arg = free,
};

struct source *feed_docker_new(struct fleet *fleet, struct fleet_host *h, struct wake *wake)
{
	struct docker_arg *arg;

	if (h->cfg->docker == CONFIG_DOCKER_NONE || h->cfg->docker == CONFIG_DOCKER_DEFAULT)
		return NULL;
	arg = xcalloc(1, sizeof *arg);
	arg->fleet = fleet;
	arg->host = h;
	arg->timeout_ms = fleet->cfg->timeout_ms;
	arg->source = feed_host_source_new(h, "docker",
	    (struct source_params){ .interval_ms = fleet->cfg->refresh_ms },
	    &docker_source_ops, arg, wake);
	return arg->source;
}

void feed_docker_relist(struct source *docker)
{
	struct docker_arg *a = source_arg(docker);

	atomic_fetch_add(&a->relist, 1);
	source_refresh_now(docker);
}

const struct feed_containers *feed_docker_value(const struct snapshot *s)
{
	return snapshot_value(s, NULL);
}
