/* verbs_kube — the command line's Kubernetes verbs: cordon, uncordon,
 * drain-node CLUSTER NODE; rollout-restart, reconcile, suspend, resume
 * CLUSTER KIND/NAMESPACE/NAME; sync, refresh CLUSTER APP
 * (core/actions/action_kube.h).
 *
 * The same flow as the host verbs (cli/verbs.h): an unknown cluster or a
 * name that is not one is an error (exit 1, one line); read-only refuses
 * without asking (exit 1); --dry-run sends only GETs and prints what it
 * would send (a drain: its plan, then the requests), exit 0; otherwise the
 * question is asked on the terminal unless --yes (a drain prints its plan
 * first, and a drain the plan refuses stops there); the action's progress
 * goes to stderr on a terminal (a drain's "waiting: ... (retry 3)"), its
 * summary to stdout, exit 0; refused or failed: "kitetop: failed: ..."
 * on stderr, exit 1; unknown (sent, never seen after): exit 3; a signal
 * cancels it (audited), exit 128+signal.  --timeout bounds the wait for a
 * rollout, reconcile, sync or drain (default 5 minutes). */
#ifndef KITETOP_CLI_VERBS_KUBE_H
#define KITETOP_CLI_VERBS_KUBE_H

#include "cli/cli.h"
#include "core/config/config.h"

/* Runs cli's cluster verb (cli->action->cluster) on cfg.  The exit status. */
int verbs_kube_run(const struct config *cfg, const struct cli *cli);

#endif
