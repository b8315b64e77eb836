/* Unit tests: the Cluster view's action keys (tui/kube_ui): what each key
 * asks for on a selection of a hand-built cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "tui/kube_ui.h"

#define S(x) ((char *)(x))

static char *agent[] = { S("worker") };

static struct kube_node nodes[] = {
	{ .name = S("neko"), .etcd = true, .ready = KUBE_TRUE },
	{ .name = S("panther"), .roles = agent, .nroles = 1, .ready = KUBE_TRUE },
};

static struct kube_pod pods[] = {
	{ .ns = S("n8n"), .name = S("n8n-7c9d8f-q8zx"), .uid = S("u1"), .node = S("panther"),
	  .phase = S("Running"), .owner_kind = S("ReplicaSet"), .owner_name = S("n8n-7c9d8f") },
	{ .ns = S("monitoring"), .name = S("loki-0"), .uid = S("u2"), .node = S("panther"),
	  .phase = S("Running"), .owner_kind = S("StatefulSet"), .owner_name = S("loki") },
	{ .ns = S("default"), .name = S("bare"), .uid = S("u3"), .node = S("neko"),
	  .phase = S("Running") },
};

static struct kube_workload workloads[] = {
	{ .kind = KUBE_DEPLOYMENT, .ns = S("n8n"), .name = S("n8n") },
	{ .kind = KUBE_DEPLOYMENT, .ns = S("n8n"), .name = S("n8n-7c9d8f-other") },
};

static struct kube_gitops gitops[] = {
	{ .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("apps"), .suspended = true },
	{ .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("campfire") },
};

static struct kube_cluster cluster = {
	.name = S("axiomlayer"), .nodes = nodes, .nnodes = 2, .pods = pods, .npods = 3,
	.workloads = workloads, .nworkloads = 2, .gitops = gitops, .ngitops = 2,
};

static int ask(const struct ui_cluster_sel *sel, enum key_action a, struct kube_action_req *req,
               char **question, char **detail, char **cause)
{
	*cause = NULL;
	return kube_ui_request(&cluster, "axiomlayer", sel, a, req, question, detail, cause);
}

static void test_node_keys(void **state)
{
	struct ui_cluster_sel sel = { 0 };
	struct kube_action_req req;
	char *q, *d, *cause;

	assert_int_equal(ask(&sel, KEY_ACT_CORDON, &req, &q, &d, &cause), -1);
	assert_string_equal(cause, "select a node first");
	free(cause);
	util_strlcpy(sel.node, "panther", sizeof sel.node);
	assert_int_equal(ask(&sel, KEY_ACT_CORDON, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_CORDON);
	assert_string_equal(req.node, "panther");
	assert_string_equal(q, "Cordon panther in axiomlayer?");
	assert_null(d);
	free(q);
	assert_int_equal(ask(&sel, KEY_ACT_UNCORDON, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_UNCORDON);
	free(q);
	/* the drain's dialog carries its plan */
	assert_int_equal(ask(&sel, KEY_ACT_DRAIN_NODE, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_DRAIN);
	assert_string_equal(q, "Drain panther in axiomlayer?");
	assert_non_null(strstr(d, "Drain panther: cordon it, then evict 2 pods"));
	assert_non_null(strstr(d, "evict (2): monitoring/loki-0, n8n/n8n-7c9d8f-q8zx"));
	free(q);
	free(d);
	/* neko holds a pod without a controller: refused here, the way out named */
	util_strlcpy(sel.node, "neko", sizeof sel.node);
	assert_int_equal(ask(&sel, KEY_ACT_DRAIN_NODE, &req, &q, &d, &cause), -1);
	assert_non_null(strstr(cause, "drain of neko refused: "));
	assert_non_null(strstr(cause, "neko is the last Ready control-plane/etcd node"));
	assert_non_null(strstr(cause, "to drain anyway: kitetop drain-node axiomlayer neko --force"));
	free(cause);
}

static void test_restart_finds_the_owner(void **state)
{
	struct ui_cluster_sel sel = { 0 };
	struct kube_action_req req;
	char *q, *d, *cause;

	assert_int_equal(ask(&sel, KEY_ACT_ROLLOUT_RESTART, &req, &q, &d, &cause), -1);
	free(cause);
	util_strlcpy(sel.pod_ns, "n8n", sizeof sel.pod_ns);
	util_strlcpy(sel.pod, "n8n-7c9d8f-q8zx", sizeof sel.pod);
	assert_int_equal(ask(&sel, KEY_ACT_ROLLOUT_RESTART, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_RESTART);
	assert_int_equal(req.ref.kind, KUBE_K_DEPLOYMENT);
	assert_string_equal(req.ref.name, "n8n");   /* not n8n-7c9d8f-other */
	assert_string_equal(q, "Restart Deployment n8n/n8n in axiomlayer (rollout restart)?");
	free(q);
	util_strlcpy(sel.pod_ns, "monitoring", sizeof sel.pod_ns);
	util_strlcpy(sel.pod, "loki-0", sizeof sel.pod);
	assert_int_equal(ask(&sel, KEY_ACT_ROLLOUT_RESTART, &req, &q, &d, &cause), 0);
	assert_int_equal(req.ref.kind, KUBE_K_STATEFULSET);
	assert_string_equal(req.ref.name, "loki");
	free(q);
	util_strlcpy(sel.pod_ns, "default", sizeof sel.pod_ns);
	util_strlcpy(sel.pod, "bare", sizeof sel.pod);
	assert_int_equal(ask(&sel, KEY_ACT_ROLLOUT_RESTART, &req, &q, &d, &cause), -1);
	assert_string_equal(cause, "default/bare has no controller: no Deployment, StatefulSet or "
	                    "DaemonSet to roll out");
	free(cause);
}

static void test_gitops_keys(void **state)
{
	struct ui_cluster_sel sel = { 0 };
	struct kube_action_req req;
	char *q, *d, *cause;

	util_strlcpy(sel.gitops, "Kustomization/flux-system/apps", sizeof sel.gitops);
	assert_int_equal(ask(&sel, KEY_ACT_GITOPS_SYNC, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_RECONCILE);
	free(q);
	/* suspended: S resumes it */
	assert_int_equal(ask(&sel, KEY_ACT_GITOPS_SUSPEND, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_RESUME);
	assert_string_equal(q, "Resume Kustomization flux-system/apps in axiomlayer?");
	free(q);
	gitops[0].suspended = false;
	assert_int_equal(ask(&sel, KEY_ACT_GITOPS_SUSPEND, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_SUSPEND);
	free(q);
	util_strlcpy(sel.gitops, "Application/argocd/campfire", sizeof sel.gitops);
	assert_int_equal(ask(&sel, KEY_ACT_GITOPS_SYNC, &req, &q, &d, &cause), 0);
	assert_int_equal(req.verb, KUBE_SYNC);
	assert_string_equal(q, "Sync Application argocd/campfire in axiomlayer?");
	free(q);
	assert_int_equal(ask(&sel, KEY_ACT_GITOPS_SUSPEND, &req, &q, &d, &cause), -1);
	assert_non_null(strstr(cause, "no suspend"));
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_keys),
		cmocka_unit_test(test_restart_finds_the_owner),
		cmocka_unit_test(test_gitops_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
