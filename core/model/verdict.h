/* verdict — what kitetop concludes from a frame: the overall level (the
 * header's word, `status`'s "overall", `check`'s exit code), each
 * container's severity, the `≠` marks between hosts, and the split-brain
 * check of the shared database.  Pure functions of a frame: no I/O, no
 * clock, no threads, so that tests check them from recorded frames. */
#ifndef KITETOP_CORE_MODEL_VERDICT_H
#define KITETOP_CORE_MODEL_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/docker.h"
#include "core/base/buf.h"
#include "core/model/frame.h"
#include "core/model/splitbrain.h"

enum verdict_level { VERDICT_OK, VERDICT_WARN, VERDICT_CRIT, VERDICT_UNKNOWN };

/* "ok", "warn", "crit", "unknown" */
const char *verdict_level_name(enum verdict_level l);
/* The worse of two levels (unknown is worse than warn, better than crit,
 * as Nagios orders them for an exit code: ok < warn < unknown < crit). */
enum verdict_level verdict_worst(enum verdict_level a, enum verdict_level b);

/* The worst level over the frame, with one line per finding appended to
 * reasons (may be NULL): "monk: disk 96.0% >= crit 95%".  A source that
 * failed (a host's Prometheus, the probes, the Cloudflare API) is a warning
 * with its reason line, and does not hide what the others tell: a missing
 * container elsewhere still counts.  A part that has not answered yet
 * counts as a warning as soon as anything else is known; the result is
 * VERDICT_UNKNOWN only when nothing at all is (no host's connection
 * attempt has ended and no shared source or cluster has answered), which is the only
 * case where `check` exits 3 and status says "unknown". */
enum verdict_level verdict_overall(const struct frame *f, struct buf *reasons);
/* The Kubernetes clusters count too (core/model/verdict_cluster.h): a
 * cluster's API down ranks with a host unreachable, a node NotReady with a
 * container missing, its other findings with a service failing. */
/* verdict_overall, and also *worst (may be NULL; caller frees, NULL when
 * all is well): the first line of the worst part ("kscloud1: kite-litellm
 * missing"; of two parts as bad, the one about something down or missing
 * before a figure over its threshold), and *nreasons (may be NULL): how
 * many lines there are in all. */
enum verdict_level verdict_overall_worst(const struct frame *f, struct buf *reasons, char **worst,
                                         size_t *nreasons);
/* What verdict_overall_memo keeps from one frame to the next: the two
 * parts that read every container of every host (the implicit services,
 * the images that differ between hosts), their levels and lines, and what
 * they were worked out of: each host's list version (struct
 * feed_containers.version) and the state of its link and Docker source.
 * Zeroed: empty.  verdict_memo_done frees it (and leaves it empty). */
struct verdict_memo {
	bool valid;
	const struct config *cfg;
	size_t nhosts;
	uint64_t version[FLEET_MAX_HOSTS];
	unsigned state[FLEET_MAX_HOSTS];
	enum verdict_level lvl[2];
	char *lines[2];
	/* verdict_differs_memo's answers by container name, of the same
	 * lists: open addressing, a power of two of slots */
	struct verdict_memo_mark *marks;
	size_t nmarks, marks_cap;
};
void verdict_memo_done(struct verdict_memo *m);
/* verdict_overall_worst, the same in every way, with those two parts taken
 * from m when every host's list and state are what they were worked out
 * of (a list of version 0, unknown, is never taken for another), and kept
 * in m for the next frame otherwise.  m NULL: verdict_overall_worst. */
enum verdict_level verdict_overall_memo(const struct frame *f, struct verdict_memo *m,
                                        struct buf *reasons, char **worst, size_t *nreasons);
/* One host's level, for its tab: unreachable critical (connecting unknown),
 * else the worst of its figures, its configured containers, its thresholds,
 * and a warning for a container not running or unhealthy
 * (verdict_container_severity 2 or 3), as the overall level counts them;
 * a part not answered yet makes it unknown only when the rest is ok. */
enum verdict_level verdict_host_level(const struct frame *f, const struct frame_host *h);

/* The parts of verdict_overall, each with its lines appended to reasons
 * (may be NULL) in the same words.
 *
 * The service probes and Authentik: a service's probe failing on some of
 * the hosts it is probed on is a warning (another host still serves it),
 * on every one of them critical, as is a failing public URL (users cannot
 * reach it): "kscloud1: karakeep probe: HTTP 404".  Authentik not live or
 * not ready on some hosts is a warning, on all of them critical (no one
 * can log in), as is its public_url not live or not ready (end to end); an
 * API failure is a warning.  A probe round not yet done is unknown.
 * Authentik's lines come before the probes'. */
enum verdict_level verdict_services_level(const struct frame *f, struct buf *reasons);
/* verdict_alerts.c: what the [alerts] thresholds (and a [panel]'s warn and
 * crit) make of a frame.
 *
 * pct against warn and crit: at or above crit critical, at or above warn a
 * warning; NAN is ok. */
enum verdict_level verdict_pct_level(double pct, double warn, double crit);
/* A host's figure against the host's thresholds in force. */
enum verdict_level verdict_host_figure_level(const struct config_host *h,
                                             enum config_alert_figure fig, double pct);
/* The level of a connected host's link as its column's header shows it:
 * ok while every source that goes through the host answered at its last
 * poll, a warning as soon as one failed (its Docker engine, its tunnel's
 * connector, a [prometheus], [postgres] or [redis] whose via names it):
 * a frozen host keeps its SSH session for up to two keepalive intervals,
 * but its sources time out within theirs.  *why (may be NULL) gets the
 * first failing source's name ("docker", "redis", ...), else "".  Ok for a
 * host that is not connected (the header says unreachable). */
enum verdict_level verdict_host_link(const struct frame *f, const struct frame_host *h,
                                     const char **why);
/* The mark that tells a level without colour: "▲" warn, "✖" crit ("!" and
 * "X" without UTF-8), "" otherwise.  Static strings. */
const char *verdict_mark(enum verdict_level l, bool utf8);
/* A configured container that counts as a problem: missing (NULL), not
 * running, or unhealthy. */
bool verdict_container_bad(const struct docker_container *dc);
/* A host's containers restarting: a configured service's container with at
 * least its restarts_warn restarts whose latest start is under an hour old
 * (the frame has no history of the count) is a warning: "monk: kavita
 * restarted 3 times, the last 3m ago (restarts_warn 3)". */
enum verdict_level verdict_alerts_host(const struct frame *f, const struct frame_host *h,
                                       struct buf *reasons);
/* The rest, in this order: PostgreSQL's connections as a share of
 * verdict_pg_conn_base against pg_conn_warn/crit ("postgres: 96 of 97
 * connections (99.0%) >= crit 95%"); health probes that succeeded slower
 * than their service's probe_ms_warn, a warning ("monk: karakeep probe
 * slow: 812 ms > probe_ms_warn 500"); each panel series at or over its
 * panel's crit (critical) or warn (a warning): "panel 'Disk I/O' monk: 97
 * >= crit 90".  Stale or failed figures are not judged. */
enum verdict_level verdict_alerts_level(const struct frame *f, struct buf *reasons);
/* The connections the apps may open: max_connections less the
 * superuser_reserved_connections (those are not theirs: an app that is not
 * a superuser is refused once only the reserved ones are left), or all of
 * max_connections when the reserve is not known. */
int verdict_pg_conn_base(const struct pg_status *st);
/* PostgreSQL's connections in use as a percentage of verdict_pg_conn_base;
 * false when the frame has no fresh figures. */
bool verdict_pg_conn_pct(const struct frame *f, double *pct);

/* The tunnel connectors of the hosts that are connected (the others are
 * left to the reachability verdict); see verdict_tunnel_level_states. */
enum verdict_level verdict_tunnel_level(const struct frame *f, struct buf *reasons);
/* Pure: the level of n connectors' states (names[i] for states[i]; states
 * not configured are not counted): a drained host or a connector not ready
 * is a warning, every configured connector down is critical; reasons get
 * "monk: tunnel DRAINED (cloudflared exited)" lines. */
enum verdict_level verdict_tunnel_level_states(const char *const *names,
                                               const struct tunnel_state *states, size_t n,
                                               struct buf *reasons);
/* The words for a host's docker feed that has not answered yet or failed
 * (feed->error set): "docker: no answer yet", "docker: ..." (the prefix
 * once).  Caller frees. */
char *verdict_docker_error(const struct frame_feed *docker);

/* How bad a container's state is: 0 fine, 1 starting/created/paused,
 * 2 unhealthy/restarting, 3 exited/dead/missing.  Sorts problems first. */
int verdict_container_severity(const struct docker_container *c);
/* A configured service's container that is fine on one host and missing
 * or in trouble (severity 2 or worse) on another, or any container that
 * runs different images on the hosts (verdict_drift.h): the `≠` mark,
 * shown in every host's column.  Hosts whose containers are unknown have
 * no say. */
bool verdict_differs(const struct frame *f, const char *container);
/* verdict_differs, the same, its answer kept in m while m holds f's lists
 * and states (verdict_overall_memo made it of them; else worked out each
 * time).  m NULL: verdict_differs. */
bool verdict_differs_memo(const struct frame *f, struct verdict_memo *m, const char *container);
/* Whether m holds the parts of f's lists and states. */
bool verdict_memo_holds(const struct verdict_memo *m, const struct frame *f);

/* The split-brain check of the frame: hosts[f->nhosts] (the caller's
 * array) get each host's name and addresses, *sb (init'ed by the caller;
 * splitbrain_done frees) the verdicts, the apps being the configured
 * services.  false (sb reset, error "postgres is not configured") without
 * [postgres]. */
bool verdict_splitbrain(const struct frame *f, struct splitbrain_host *hosts, struct splitbrain *sb);

#endif
