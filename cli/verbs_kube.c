/* verbs_kube — see verbs_kube.h. */
#include "cli/verbs_kube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/transport/transport_ssh.h"
#include "cli/verbs_internal.h"
#include "core/actions/action_kube.h"
#include "core/actions/audit.h"
#include "core/feeds/feeds.h"
#include "core/fleet/fleet.h"
#include "core/base/util.h"
#include "core/base/wake.h"

static const struct config_cluster *verbs_kube_cluster(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nclusters; i++)
		if (strcmp(cfg->clusters[i].name, name) == 0)
			return &cfg->clusters[i];
	fprintf(stderr, "kitetop: no cluster '%s' in the configuration (clusters:", name);
	for (size_t i = 0; i < cfg->nclusters; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", cfg->clusters[i].name);
	fprintf(stderr, "%s)\n", cfg->nclusters == 0 ? " none" : "");
	return NULL;
}

/* The request from the command line.  0, or -1 (printed). */
static int verbs_kube_req(const struct cli *cli, struct kube_action_req *req)
{
	bool app = req->verb == KUBE_SYNC || req->verb == KUBE_REFRESH;
	char *cause = NULL;

	if (kube_verb_on_node(req->verb)) {
		if (!kube_name_valid(cli->args[1])) {
			fprintf(stderr, "kitetop: '%s' is not a node name\n", cli->args[1]);
			return -1;
		}
		req->node = cli->args[1];
		return 0;
	}
	if (kube_ref_parse(cli->args[1], app, &req->ref, &cause) != 0) {
		fprintf(stderr, "kitetop: %s: %s\n", cli->action->name, cause);
		free(cause);
		return -1;
	}
	if ((app && req->ref.kind != KUBE_K_APPLICATION) ||
	    (req->verb == KUBE_RESTART && !kube_kind_is_workload(req->ref.kind)) ||
	    ((req->verb == KUBE_RECONCILE || req->verb == KUBE_SUSPEND || req->verb == KUBE_RESUME) &&
	     !kube_kind_is_flux(req->ref.kind))) {
		fprintf(stderr, "kitetop: %s does not apply to a %s (%s)\n", cli->action->name,
		        kube_kind_name(req->ref.kind),
		        app ? "an Argo CD Application" : req->verb == KUBE_RESTART ?
		        "a Deployment, StatefulSet or DaemonSet" :
		        "a Flux Kustomization, HelmRelease or GitRepository");
		return -1;
	}
	return 0;
}

/* Starts the SSH sessions of the cluster's via hosts.  0 or -1 (printed
 * when none could start). */
static int verbs_kube_connect(struct fleet *fleet, const struct config_cluster *cc)
{
	int started = 0;
	char *first = NULL;

	for (size_t i = 0; i < cc->nvia; i++) {
		struct fleet_host *h = fleet_host_named(fleet, cc->via[i]);
		char *cause = NULL;

		if (h == NULL || h->ssh == NULL)
			continue;
		if (transport_ssh_start(h->ssh, &cause) == 0)
			started++;
		else if (first == NULL)
			first = xasprintf("%s: %s", h->name, cause);
		free(cause);
	}
	if (started == 0 && first != NULL) {
		fprintf(stderr, "kitetop: failed: %s\n", first);
		free(first);
		return -1;
	}
	free(first);
	return 0;
}

/* Runs req to its end, following its progress.  The exit status; *plan
 * (may be NULL) the plan the action wrote. */
static int verbs_kube_once(const struct config *cfg, const struct kube_action_req *req,
                           struct kube_cluster_target *target, struct wake *wake, bool quiet_ok,
                           char **plan)
{
	struct kube_action_out out = { 0 };
	struct action_status st;
	struct action *a;
	int rc = 1;

	a = action_kube_start(cfg, req, action_kube_client_open, target, &out, wake);
	if (!verbs_follow(a, wake)) {
		fprintf(stderr, "kitetop: interrupted: %s cancelled (the API may still finish what it "
		        "was sent)\n", kube_verb_name(req->verb));
		action_free(a);
		free(out.plan);
		return 128 + verbs_signal_number();
	}
	action_status(a, &st);
	action_free(a);
	if (plan != NULL)
		*plan = out.plan;
	else
		free(out.plan);
	if (st.result == ACTION_OK) {
		if (!quiet_ok)
			printf("%s\n", st.message);
		rc = fflush(stdout) == 0 ? 0 : 1;
	} else {
		fprintf(stderr, "kitetop: %s: %s\n", action_result_name(st.result), st.message);
		if (st.result == ACTION_UNKNOWN)
			rc = 3;
	}
	return rc;
}

int verbs_kube_run(const struct config *cfg, const struct cli *cli)
{
	struct kube_action_req req = { 0 };
	const struct config_cluster *cc;
	struct kube_cluster_target target;
	struct feeds *feeds;
	struct wake *wake;
	char *user, *question, *plan = NULL;
	int rc;

	if (!kube_verb_parse(cli->action->name, &req.verb)) {
		fprintf(stderr, "kitetop: %s is not available in this build\n", cli->action->name);
		return 2;
	}
	cc = verbs_kube_cluster(cfg, cli->args[0]);
	if (cc == NULL)
		return 1;
	req.cluster = cc->name;
	req.force = cli->force;
	req.dry_run = cli->dry_run;
	req.wait_ms = (int)(cli->timeout_ms > 0 && cli->timeout_ms < 86400000 ? cli->timeout_ms : 0);
	if (verbs_kube_req(cli, &req) != 0)
		return 1;
	user = audit_user();
	req.user = user;
	feeds = feeds_new(cfg, NULL);
	target.fleet = feeds->fleet;
	target.cluster = cc;
	wake = wake_new(NULL);
	verbs_signals(wake);
	rc = 1;
	if (!cfg->read_only && verbs_kube_connect(feeds->fleet, cc) != 0)
		goto out;
	if (req.verb == KUBE_DRAIN && !req.dry_run && !cfg->read_only) {
		/* the plan first (GETs only), then the question */
		struct kube_action_req look = req;

		look.dry_run = true;
		rc = verbs_kube_once(cfg, &look, &target, wake, true, &plan);
		if (plan != NULL)
			fputs(plan, stderr);
		if (rc != 0)
			goto out;
		rc = 1;
	}
	question = kube_action_question(&req);
	if (!cfg->read_only && !req.dry_run && !cli->yes && verbs_confirm(question) != 0) {
		free(question);
		goto out;
	}
	free(question);
	free(plan);
	plan = NULL;
	rc = verbs_kube_once(cfg, &req, &target, wake, false, req.dry_run ? &plan : NULL);
	if (req.dry_run && plan != NULL)
		fputs(plan, stdout);
out:
	free(plan);
	verbs_signals_done();
	wake_free(wake);
	feeds_free(feeds);
	free(user);
	return rc;
}
