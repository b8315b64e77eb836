/* action — runs one action (restart a container, drain a host, ...) on a
 * thread of its own, audited, with progress the UI thread can show.
 *
 * An action is a struct action_ops (check, run) and an argument.  On the
 * action's thread, in this order:
 *   1. check (optional): looks, changes nothing (fetch the state, resolve the
 *      host, an interlock).  -1 with *cause: the action FAILED before it
 *      began; -2 with *cause: it is REFUSED (policy).  Either way one audit
 *      line ("failed" / "refused") and nothing more.  0 with *summary (what
 *      it saw, may stay NULL) goes on; ACTION_NOTHING_CHECK with *summary
 *      too, when the state already is what the action would make it (an
 *      undrain of a connector that runs).
 *   2. dry run (spec.dry_run): stops here, result OK, message "would ...: "
 *      + the check's summary ("nothing to do: " + the summary after
 *      ACTION_NOTHING_CHECK); nothing written to the audit log.
 *   3. audit_begin ("started" line).  When it cannot be written the action
 *      is REFUSED with that reason ("cannot write the audit log ..."): no
 *      action runs unaudited.
 *   4. run: acts and verifies.  0 with *summary ("grafana on monk restarted,
 *      running again"), -1 with *cause (words).  Then audit_end ("ok" or
 *      "failed", duration).  When that last line cannot be written, the
 *      message says so (the action did run).  run may instead return
 *      ACTION_UNKNOWN_RUN with *cause: the request was sent but the link
 *      died before the answer and the engine's state could not be seen
 *      afterwards either; audited and reported "unknown", never "failed"
 *      (it may well have happened).
 * Read-only (cfg->read_only, which --read-only sets) refuses every action in
 * action_start() itself, before any thread or check: message "read-only",
 * an audit "refused" line (best effort).
 *
 * Threads: action_start/_status/_wait/_free are for one owner thread (the
 * UI or the CLI).  The ops run on the action's thread and report with
 * action_progress(); the owner reads progress and result with
 * action_status() under the action's mutex.  wake (may be NULL) is
 * signalled on every progress and at the end.
 *
 * Adding an action: write its ops (core/action_NAME.c), a constructor that
 * fills a struct action_spec and calls action_start(); see
 * action_container_start() below. */
#ifndef KITETOP_CORE_ACTIONS_ACTION_H
#define KITETOP_CORE_ACTIONS_ACTION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config/config.h"
#include "core/base/wake.h"

#define ACTION_REFUSED_CHECK (-2)   /* check's return for a refusal */
#define ACTION_UNKNOWN_RUN (-3)     /* run's return when the outcome could not be seen */
#define ACTION_NOTHING_CHECK 1      /* check's return: allowed, but there is nothing to do */

enum action_result {
	ACTION_RUNNING,
	ACTION_OK,
	ACTION_FAILED,
	ACTION_REFUSED,
	ACTION_UNKNOWN,             /* the request went out, the link died, the state is unseen */
};

/* "running", "ok", "failed", "refused", "unknown". */
const char *action_result_name(enum action_result r);

/* What the ops are given on the action's thread. */
struct action_ctx;

struct action_ops {
	int (*check)(struct action_ctx *ctx, void *arg, char **summary, char **cause);   /* or NULL */
	int (*run)(struct action_ctx *ctx, void *arg, char **summary, char **cause);
	void (*free_arg)(void *arg);                                                     /* or NULL */
};

struct action_spec {
	const char *action;         /* the verb, for the audit log and messages: "restart" */
	const char *host;           /* the fleet's host acted on (audit) */
	const char *target;         /* the container / connector (audit); may be NULL */
	bool forced;                /* --force (CLI only): written to the audit log */
	bool dry_run;               /* check only, no audit line */
	const struct action_ops *ops;
	void *arg;                  /* owned by the action from action_start on (ops->free_arg) */
};

/* Starts the action (strings copied; cfg borrowed, must outlive it).  Never
 * NULL: a refusal or a failure to start the thread is a finished action. */
struct action *action_start(const struct config *cfg, const struct action_spec *spec,
                            struct wake *wake);

/* For the ops, on the action's thread. */
void action_progress(struct action_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raised by action_free(): requests given it end with "cancelled". */
const atomic_int *action_cancel_flag(struct action_ctx *ctx);
bool action_cancelled(struct action_ctx *ctx);
/* The configuration given to action_start(). */
const struct config *action_config(struct action_ctx *ctx);

struct action_status {
	enum action_result result;
	bool dry_run;
	char action[32];            /* the verb */
	char progress[256];         /* the latest progress, "" before any */
	char message[1024];         /* when finished: the summary or the error, in words */
	int64_t duration_ms;        /* so far, or in all when finished */
};
/* A copy of the current state (under the mutex). */
void action_status(struct action *a, struct action_status *out);
bool action_finished(struct action *a);
/* Blocks until the action finished. */
void action_wait(struct action *a);
/* Raises the cancel flag and returns at once (the owner's thread never
 * waits on the network): the action stops at its next check of the flag,
 * its requests give up, and it finishes as failed ("cancelled: ...").
 * The owner keeps polling it, then frees it. */
void action_cancel(struct action *a);
/* Raises the cancel flag, joins the thread, frees.  An unfinished action is
 * audited as failed ("cancelled").  NULL is allowed. */
void action_free(struct action *a);

/* Where an action's error came from, for action_classify_error(). */
enum action_stage {
	ACTION_STAGE_BEFORE,        /* connecting, looking: the request was not sent */
	ACTION_STAGE_SENT,          /* the request was (or may have been) sent */
	ACTION_STAGE_VERIFYING,     /* accepted; looking at the state after it */
};
/* Pure: what an error means.  Before the request was sent nothing happened:
 * ACTION_FAILED.  After it, an answer from the engine (an error status, or
 * the state it shows: "did not restart") is its word: ACTION_FAILED; no
 * answer (the link died, an inspect failed) leaves it open: ACTION_UNKNOWN,
 * to be settled by looking again once the link is back.  A cancelled action
 * is ACTION_FAILED ("cancelled") wherever it was. */
enum action_result action_classify_error(enum action_stage stage, bool answered, bool cancelled);

/* Pure: "Restart grafana on monk?" (target NULL: "Drain monk?").  Caller frees. */
char *action_question(const char *verb, const char *target, const char *host);

/* ---- container actions (core/action_container.c) ---- */

struct docker;
struct fleet;
struct fleet_host;

/* verb "restart", "stop" or "start" on container of host (fleet and host
 * borrowed; they must outlive the action): check resolves the host (waiting
 * up to the timeout for its SSH session), inspects the container (absent:
 * failed "no such container grafana on monk"); run calls the Docker API and
 * verifies (restart: StartedAt changed and running; stop: not running;
 * start: running).  When the link dies after the request was sent, it waits
 * (up to 20 s, or the timeout when longer) for the host's SSH session and
 * engine to come back and verifies then against the state before; when they
 * do not come back the result is unknown ("the link to monk died after the
 * restart was sent; check with ...").  The owner calls feeds_refresh_now() when it finished, so
 * that the next poll shows the new state. */
struct action *action_container_start(struct fleet *fleet, struct fleet_host *host,
                                      const char *container, const char *verb, bool dry_run,
                                      struct wake *wake);
/* verb ("restart", "stop", "start") on container of host h through *d
 * (replaced by a fresh client when the link died), stop_timeout_s as for
 * docker_container_act (-1: the container's own), on the action's thread.
 * 0 with *summary, the engine's words ("cloudflared stopped (exit code
 * 0)", "... (verified after the link came back)"); -1 with *cause
 * ("monk: ...": nothing was sent, or the engine's state says it did not
 * happen); ACTION_UNKNOWN_RUN with *cause when the link died after the
 * request was sent and the state could not be seen again within 20 s (or
 * the timeout when longer), a stop given its timeout + 10 s to finish:
 * "the link to monk died after the stop was sent; check with `kitetop
 * status` or docker inspect cloudflared (...)".  Used by the container
 * actions and the traffic actions (core/actions/traffic.c). */
int action_docker_act(struct action_ctx *ctx, struct fleet_host *h, struct docker **d,
                      const char *container, const char *verb, int stop_timeout_s,
                      char **summary, char **cause);
/* True for "restart", "stop", "start". */
bool action_container_verb(const char *verb);

#endif
