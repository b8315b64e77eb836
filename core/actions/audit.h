/* audit — the audit log of actions: JSON lines appended to cfg->audit_log.
 *
 * Every line is one JSON object, written with one write(2) on a descriptor
 * opened O_WRONLY|O_APPEND|O_CREAT with mode 0600 (the directory is created
 * 0700 when missing), so lines of concurrent writers never interleave:
 *
 *   {"time":"2026-11-23T12:00:00Z","id":"4711-1763899200123-1","user":"kite",
 *    "hostname":"laptop","host":"monk","target":"grafana","action":"restart",
 *    "forced":false,"result":"started","error":null,"duration_ms":0}
 *
 * result is one of:
 *   "started"  written BEFORE the action touches anything; when it cannot be
 *              written the action is refused (audit_begin returns -1), so no
 *              action ever runs unaudited;
 *   "ok" / "failed"  the outcome, written after it, with the same id, error
 *              (words) and duration_ms;
 *   "refused"  an attempt that did nothing (read-only, an interlock), with
 *              the reason in error; one line only;
 *   "unknown"  the outcome when the request was sent but the link to the
 *              host died before the answer and the state could not be
 *              seen afterwards either: it may or may not have happened;
 *   "failed" alone (no "started" with its id): an attempt that could not
 *              begin (host unreachable, no such container), nothing done.
 * So an action that ran has two lines sharing an id ("started", then "ok",
 * "failed" or "unknown"); a "started" without its outcome means kitetop died meanwhile.
 *
 * time is UTC; user the login name of the real uid; hostname where kitetop
 * runs; host the fleet's host acted on; target the container (or connector). */
#ifndef KITETOP_CORE_ACTIONS_AUDIT_H
#define KITETOP_CORE_ACTIONS_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#define AUDIT_MAX_LINE 4096   /* longer fields are cut so that a line stays one write */

/* What one line says. */
struct audit_entry {
	const char *id;             /* ties "started" to its outcome */
	const char *host;           /* fleet's host; NULL -> null */
	const char *target;         /* container / connector; NULL -> null */
	const char *action;         /* "restart", "drain", ... */
	bool forced;
	const char *result;         /* "started", "ok", "failed", "unknown", "refused" */
	const char *error;          /* words, or NULL */
	int64_t duration_ms;
};

/* Pure: the line (with its trailing newline) for e at time real_ms by user
 * on hostname.  Strings are JSON-escaped; control characters in them are
 * escaped too.  Caller frees. */
char *audit_format(const struct audit_entry *e, int64_t real_ms, const char *user,
                   const char *hostname);

/* The login name of the real uid, else $USER, else "uid N" (the line's
 * user; the Kubernetes sync's initiatedBy).  Caller frees. */
char *audit_user(void);

/* Appends one line for e (now, this process's user and hostname) to path.
 * 0, or -1 with *cause ("cannot write the audit log /x/audit.log: Permission
 * denied").  A NULL or empty path is an error: actions need a log. */
int audit_append(const char *path, const struct audit_entry *e, char **cause);

/* One attempt: its id, start time and what it is. */
struct audit_record {
	char id[48];
	int64_t start_mono;
	char *path, *host, *target, *action;
	bool forced;
	bool begun;                 /* the "started" line was written */
};

/* Fills r and writes the "started" line.  -1 with *cause when it could not
 * be written: the caller must then NOT act (r needs no audit_done then, but
 * it is harmless).  Strings are copied. */
int audit_begin(struct audit_record *r, const char *path, const char *host, const char *target,
                const char *action, bool forced, char **cause);
/* Writes the outcome ("ok" when error is NULL, else "failed" with it) and
 * the time since audit_begin.  -1 with *cause when the line could not be
 * written (the action already ran: say so to the user).  Frees r's strings. */
int audit_end(struct audit_record *r, const char *error, char **cause);
/* The same with the outcome named: "ok", "failed" or "unknown". */
int audit_end_as(struct audit_record *r, const char *result, const char *error, char **cause);
/* Frees r's strings without writing (after a failed audit_begin). */
void audit_record_done(struct audit_record *r);

/* Writes one line for an attempt that did nothing: result "refused" (by
 * policy: read-only, an interlock) or "failed" (it could not begin: the host
 * unreachable, no such container), with reason.  -1 with *cause when it
 * could not be written (nothing was done anyway). */
int audit_once(const char *path, const char *host, const char *target, const char *action,
               bool forced, const char *result, const char *reason, char **cause);
/* audit_once(..., "refused", reason, ...). */
int audit_refused(const char *path, const char *host, const char *target, const char *action,
                  bool forced, const char *reason, char **cause);

#endif
