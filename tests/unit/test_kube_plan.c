/* Unit tests: the Kubernetes actions' pure half (core/actions/kube_plan):
 * the requests against the shapes kubectl 1.33 sent to the stand-in
 * (captured), references, times, interlocks, verification, the drain
 * planner and its preview. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/actions/kube_plan.h"

/* a literal where the types hold char * (never written) */
#define S(x) ((char *)(x))

static struct kube_ref ref(const char *s)
{
	struct kube_ref r;
	char *cause = NULL;

	assert_int_equal(kube_ref_parse(s, true, &r, &cause), 0);
	return r;
}

static void test_cordon_shapes(void **state)
{
	struct kube_request r;
	char *cause = NULL;

	assert_int_equal(kube_req_cordon("panther", true, &r, &cause), 0);
	assert_string_equal(r.method, "PATCH");
	assert_string_equal(r.path, "/api/v1/nodes/panther?fieldManager=kitetop");
	assert_string_equal(r.content_type, "application/strategic-merge-patch+json");
	assert_string_equal(r.body, "{\"spec\":{\"unschedulable\":true}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_cordon("panther", false, &r, &cause), 0);
	assert_string_equal(r.body, "{\"spec\":{\"unschedulable\":null}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_node_get("panther", &r, &cause), 0);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/api/v1/nodes/panther");
	assert_null(r.body);
	assert_null(r.content_type);
	kube_request_done(&r);
	/* nothing but a name goes into a path */
	assert_int_equal(kube_req_cordon("pan/../ther", true, &r, &cause), -1);
	assert_non_null(strstr(cause, "not a node name"));
	free(cause);
	cause = NULL;
	assert_int_equal(kube_req_cordon("Panther", true, &r, &cause), -1);
	free(cause);
}

static void test_rollout_shapes(void **state)
{
	struct kube_request r;
	struct kube_ref d = ref("deployment/default/web"), ds = ref("ds/longhorn-system/longhorn-manager");
	struct kube_ref sts = ref("StatefulSet/monitoring/loki");
	char *cause = NULL;

	assert_int_equal(kube_req_rollout_restart(&d, "2026-12-06T04:49:05Z", &r, &cause), 0);
	assert_string_equal(r.method, "PATCH");
	assert_string_equal(r.path, "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=kitetop");
	assert_string_equal(r.content_type, "application/strategic-merge-patch+json");
	assert_string_equal(r.body, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
	                    "\"kubectl.kubernetes.io/restartedAt\":\"2026-12-06T04:49:05Z\"}}}}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_rollout_restart(&ds, "2026-12-06T04:49:05Z", &r, &cause), 0);
	assert_string_equal(r.path, "/apis/apps/v1/namespaces/longhorn-system/daemonsets/"
	                    "longhorn-manager?fieldManager=kitetop");
	kube_request_done(&r);
	assert_int_equal(kube_req_rollout_restart(&sts, "2026-12-06T04:49:05Z", &r, &cause), 0);
	assert_string_equal(r.path, "/apis/apps/v1/namespaces/monitoring/statefulsets/loki"
	                    "?fieldManager=kitetop");
	kube_request_done(&r);
	assert_int_equal(kube_req_object_get(&d, &r, &cause), 0);
	assert_string_equal(r.path, "/apis/apps/v1/namespaces/default/deployments/web");
	kube_request_done(&r);
	/* not a workload; not a time */
	struct kube_ref ks = ref("ks/flux-system/apps");
	assert_int_equal(kube_req_rollout_restart(&ks, "2026-12-06T04:49:05Z", &r, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_req_rollout_restart(&d, "now\"}", &r, &cause), -1);
	free(cause);
}

static void test_drain_shapes(void **state)
{
	struct kube_request r;
	char *cause = NULL;

	assert_int_equal(kube_req_pods_on_node("panther", &r, &cause), 0);
	assert_string_equal(r.path, "/api/v1/pods?fieldSelector=spec.nodeName%3Dpanther&limit=500");
	kube_request_done(&r);
	assert_int_equal(kube_req_evict("default", "web-abc12", &r, &cause), 0);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.path, "/api/v1/namespaces/default/pods/web-abc12/eviction");
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.body, "{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\",\"metadata\":"
	                    "{\"name\":\"web-abc12\",\"namespace\":\"default\",\"creationTimestamp\":null},"
	                    "\"deleteOptions\":{}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_pod_get("default", "web-abc12", &r, &cause), 0);
	assert_string_equal(r.path, "/api/v1/namespaces/default/pods/web-abc12");
	kube_request_done(&r);
	/* a namespace is a label: no dots */
	assert_int_equal(kube_req_evict("a.b", "x", &r, &cause), -1);
	free(cause);
}

static void test_gitops_shapes(void **state)
{
	struct kube_request r;
	struct kube_ref ks = ref("kustomization/flux-system/apps"), hr = ref("hr/monitoring/grafana");
	struct kube_ref git = ref("gitrepository/flux-system/flux-system"), app = ref("campfire");
	char *cause = NULL;

	assert_int_equal(kube_req_flux_reconcile(&ks, "2026-12-06T04:49:05.123456789Z", &r, &cause), 0);
	assert_string_equal(r.path, "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/"
	                    "kustomizations/apps?fieldManager=kitetop");
	assert_string_equal(r.content_type, "application/merge-patch+json");
	assert_string_equal(r.body, "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":"
	                    "\"2026-12-06T04:49:05.123456789Z\"}}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_flux_suspend(&hr, true, NULL, &r, &cause), 0);
	assert_string_equal(r.path, "/apis/helm.toolkit.fluxcd.io/v2/namespaces/monitoring/helmreleases/"
	                    "grafana?fieldManager=kitetop");
	assert_string_equal(r.body, "{\"spec\":{\"suspend\":true}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_flux_suspend(&git, false, NULL, &r, &cause), 0);
	assert_string_equal(r.path, "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/"
	                    "gitrepositories/flux-system?fieldManager=kitetop");
	assert_string_equal(r.body, "{\"spec\":{\"suspend\":false}}");
	kube_request_done(&r);
	/* resume asks for a reconcile in the same patch, as flux resume does */
	assert_int_equal(kube_req_flux_suspend(&ks, false, "2026-12-06T04:49:05.123456789Z", &r,
	                                       &cause), 0);
	assert_string_equal(r.body, "{\"spec\":{\"suspend\":false},\"metadata\":{\"annotations\":"
	                    "{\"reconcile.fluxcd.io/requestedAt\":\"2026-12-06T04:49:05.123456789Z\"}}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_flux_suspend(&ks, false, "yesterday", &r, &cause), -1);
	assert_non_null(strstr(cause, "not a time"));
	free(cause);
	cause = NULL;
	assert_int_equal(kube_req_argo_sync(&app, "kite", &r, &cause), 0);
	assert_string_equal(r.path, "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/campfire"
	                    "?fieldManager=kitetop");
	assert_string_equal(r.content_type, "application/merge-patch+json");
	assert_string_equal(r.body, "{\"operation\":{\"initiatedBy\":{\"username\":\"kitetop@kite\"},"
	                    "\"sync\":{\"syncStrategy\":{\"hook\":{}}}}}");
	kube_request_done(&r);
	assert_int_equal(kube_req_argo_sync(&app, "a\"b\\c", &r, &cause), 0);
	assert_non_null(strstr(r.body, "\"kitetop@a\\\"b\\\\c\""));
	kube_request_done(&r);
	assert_int_equal(kube_req_argo_refresh(&app, false, &r, &cause), 0);
	assert_string_equal(r.body, "{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":"
	                    "\"normal\"}}}");
	kube_request_done(&r);
	/* the wrong kind for the action */
	assert_int_equal(kube_req_argo_sync(&ks, "kite", &r, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_req_flux_reconcile(&app, "2026-12-06T04:49:05Z", &r, &cause), -1);
	free(cause);
	assert_int_equal(kube_req_flux_reconcile(&ks, "2026-12-06T04:49:05Z", &r, &cause), 0);
	char *text = kube_request_text(&r);
	assert_string_equal(text, "PATCH /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/"
	                    "kustomizations/apps?fieldManager=kitetop  application/merge-patch+json  "
	                    "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":"
	                    "\"2026-12-06T04:49:05Z\"}}}");
	free(text);
	kube_request_done(&r);
}

static void test_ref_parse(void **state)
{
	struct kube_ref r;
	char *cause = NULL, buf[300];

	assert_int_equal(kube_ref_parse("deploy/n8n/n8n", false, &r, &cause), 0);
	assert_int_equal(r.kind, KUBE_K_DEPLOYMENT);
	assert_string_equal(r.ns, "n8n");
	kube_ref_format(&r, buf, sizeof buf);
	assert_string_equal(buf, "Deployment/n8n/n8n");
	assert_int_equal(kube_ref_parse("Kustomizations/flux-system/apps", false, &r, &cause), 0);
	assert_int_equal(r.kind, KUBE_K_KUSTOMIZATION);
	assert_int_equal(kube_ref_parse("argocd/campfire", true, &r, &cause), 0);
	assert_int_equal(r.kind, KUBE_K_APPLICATION);
	assert_string_equal(r.ns, "argocd");
	assert_int_equal(kube_ref_parse("campfire", true, &r, &cause), 0);
	assert_string_equal(r.ns, "argocd");
	assert_string_equal(r.name, "campfire");
	assert_int_equal(kube_ref_parse("campfire", false, &r, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_ref_parse("pod/default/web", false, &r, &cause), -1);
	assert_non_null(strstr(cause, "not a kind"));
	free(cause);
	cause = NULL;
	assert_int_equal(kube_ref_parse("deploy/default/web/x", false, &r, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_ref_parse("deploy/default/", false, &r, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_ref_parse("deploy/Default/web", false, &r, &cause), -1);
	free(cause);
	assert_true(kube_name_valid("web-abc12.x"));
	assert_false(kube_name_valid("-web"));
	assert_false(kube_name_valid("web-"));
	assert_false(kube_namespace_valid("a.b"));
}

static void test_times(void **state)
{
	char t[64];

	kube_time_rfc3339(1796532545, t, sizeof t);
	assert_string_equal(t, "2026-12-06T04:49:05Z");
	kube_time_rfc3339nano(1796532545, 123456789, t, sizeof t);
	assert_string_equal(t, "2026-12-06T04:49:05.123456789Z");
	kube_time_rfc3339nano(1796532545, 120000000, t, sizeof t);
	assert_string_equal(t, "2026-12-06T04:49:05.12Z");
	kube_time_rfc3339nano(1796532545, 0, t, sizeof t);
	assert_string_equal(t, "2026-12-06T04:49:05Z");
}

static void test_interlocks(void **state)
{
	struct kube_node n = { .name = S("panther"), .unschedulable = true };
	struct kube_workload w = { .kind = KUBE_DEPLOYMENT, .ns = S("default"), .name = S("web"),
	                           .state = KUBE_ROLLOUT_PAUSED };
	struct kube_gitops g = { .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("apps"),
	                         .suspended = true };
	struct kube_gitops a = { .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("campfire"),
	                         .op_phase = S("Running") };
	char *cause = NULL;

	assert_int_equal(kube_check_cordon(&n, true, &cause), 1);
	assert_string_equal(cause, "panther is already cordoned");
	free(cause);
	cause = NULL;
	assert_int_equal(kube_check_cordon(&n, false, &cause), 0);
	assert_int_equal(kube_check_rollout(&w, &cause), -1);
	assert_non_null(strstr(cause, "paused"));
	free(cause);
	cause = NULL;
	w.kind = KUBE_STATEFULSET;
	assert_int_equal(kube_check_rollout(&w, &cause), 0);
	assert_int_equal(kube_check_flux_reconcile(&g, &cause), -1);
	assert_non_null(strstr(cause, "suspended"));
	free(cause);
	cause = NULL;
	assert_int_equal(kube_check_flux_suspend(&g, true, &cause), 1);
	free(cause);
	cause = NULL;
	assert_int_equal(kube_check_flux_suspend(&g, false, &cause), 0);
	assert_int_equal(kube_check_argo_sync(&a, &cause), -1);
	assert_non_null(strstr(cause, "in progress"));
	free(cause);
	cause = NULL;
	a.op_phase = S("Succeeded");
	assert_int_equal(kube_check_argo_sync(&a, &cause), 0);
	a.op_pending = true;
	assert_int_equal(kube_check_argo_sync(&a, &cause), -1);
	free(cause);
}

static void test_verify(void **state)
{
	struct kube_node n = { .name = S("panther"), .unschedulable = false };
	struct kube_workload w = { .kind = KUBE_DEPLOYMENT, .ns = S("default"), .name = S("web"),
	                           .state = KUBE_ROLLOUT_DONE, .generation = 3, .observed_generation = 3,
	                           .restarted_ms = 1000 };
	struct kube_gitops g = { .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("apps"),
	                         .ready = KUBE_TRUE, .handled_at = S("2026-12-06T04:49:04Z") };
	struct kube_gitops a = { .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("campfire"),
	                         .op_phase = S("Succeeded"), .op_finished_ms = 5000 };
	char *why = NULL;

	assert_int_equal(kube_verify_cordon(&n, true, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	n.unschedulable = true;
	assert_int_equal(kube_verify_cordon(&n, true, &why), KUBE_DONE);
	/* rollout: ours seen, then done */
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	w.restarted_ms = 1796532545000;
	w.state = KUBE_ROLLOUT_PROGRESSING;
	w.message = S("Waiting for rollout to finish: 0 of 1 updated replicas are available...");
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_WAIT);
	assert_string_equal(why, w.message);
	free(why);
	why = NULL;
	w.state = KUBE_ROLLOUT_DONE;
	w.observed_generation = 2;
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	w.observed_generation = 4;
	w.generation = 4;
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_DONE);
	w.state = KUBE_ROLLOUT_FAILED;
	w.message = S("progress deadline exceeded");
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_BROKE);
	free(why);
	why = NULL;
	w.restarted_ms = 1796532600000;   /* someone restarted it after us */
	assert_int_equal(kube_verify_rollout(&w, 1796532545000, &why), KUBE_BROKE);
	free(why);
	why = NULL;
	/* flux */
	assert_int_equal(kube_verify_flux_reconcile(&g, "2026-12-06T04:49:05.1Z", &why), KUBE_WAIT);
	free(why);
	why = NULL;
	g.handled_at = S("2026-12-06T04:49:05.1Z");
	assert_int_equal(kube_verify_flux_reconcile(&g, "2026-12-06T04:49:05.1Z", &why), KUBE_DONE);
	g.ready = KUBE_FALSE;
	g.reason = S("HealthCheckFailed");
	g.message = S("timeout waiting for: [Deployment/apps/web status: 'InProgress']");
	assert_int_equal(kube_verify_flux_reconcile(&g, "2026-12-06T04:49:05.1Z", &why), KUBE_BROKE);
	assert_non_null(strstr(why, "HealthCheckFailed: timeout"));
	free(why);
	why = NULL;
	g.ready = KUBE_UNKNOWN;
	assert_int_equal(kube_verify_flux_reconcile(&g, "2026-12-06T04:49:05.1Z", &why), KUBE_WAIT);
	free(why);
	why = NULL;
	assert_int_equal(kube_verify_flux_suspend(&g, true, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	/* argo: the Succeeded from before ours is not ours */
	assert_int_equal(kube_verify_argo_sync(&a, 5000, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	a.op_pending = true;
	a.op_finished_ms = 9000;
	assert_int_equal(kube_verify_argo_sync(&a, 5000, &why), KUBE_WAIT);
	free(why);
	why = NULL;
	a.op_pending = false;
	assert_int_equal(kube_verify_argo_sync(&a, 5000, &why), KUBE_DONE);
	a.op_phase = S("Failed");
	a.message = S("one or more objects failed to apply");
	assert_int_equal(kube_verify_argo_sync(&a, 5000, &why), KUBE_BROKE);
	assert_non_null(strstr(why, "failed to apply"));
	free(why);
}

/* ---- the drain planner on a hand-built axiomlayer ---- */

static char *cp_roles[] = { S("control-plane"), S("etcd"), S("master") };

static struct kube_node nodes[] = {
	{ .name = S("neko"), .roles = cp_roles, .nroles = 3, .etcd = true, .ready = KUBE_TRUE },
	{ .name = S("neko2"), .roles = cp_roles, .nroles = 3, .etcd = true, .ready = KUBE_TRUE },
	{ .name = S("panther"), .ready = KUBE_TRUE },
	{ .name = S("bobcat"), .ready = KUBE_UNKNOWN },
};

static struct kube_pod pods[] = {
	{ .ns = S("default"), .name = S("web-abc12"), .uid = S("u1"), .node = S("panther"), .phase = S("Running"),
	  .owner_kind = S("ReplicaSet"), .owner_name = S("web-7c9") },
	{ .ns = S("longhorn-system"), .name = S("longhorn-manager-x1"), .uid = S("u2"), .node = S("panther"),
	  .phase = S("Running"), .owner_kind = S("DaemonSet"), .owner_name = S("longhorn-manager") },
	{ .ns = S("default"), .name = S("postgres-3"), .uid = S("u3"), .node = S("panther"), .phase = S("Running"),
	  .owner_kind = S("Cluster"), .cnpg_cluster = S("postgres"), .cnpg_primary = true },
	{ .ns = S("n8n"), .name = S("n8n-db-1"), .uid = S("u4"), .node = S("panther"), .phase = S("Running"),
	  .owner_kind = S("Cluster"), .cnpg_cluster = S("n8n-db"), .cnpg_primary = true },
	{ .ns = S("ollama"), .name = S("embed-7f9"), .uid = S("u5"), .node = S("panther"), .phase = S("Running"),
	  .owner_kind = S("ReplicaSet"), .emptydir = true },
	{ .ns = S("default"), .name = S("bare"), .uid = S("u6"), .node = S("panther"), .phase = S("Running") },
	{ .ns = S("kube-system"), .name = S("kube-vip-panther"), .uid = S("u7"), .node = S("panther"),
	  .phase = S("Running"), .mirror = true, .owner_kind = S("Node") },
	{ .ns = S("default"), .name = S("job-done"), .uid = S("u8"), .node = S("panther"), .phase = S("Succeeded") },
	{ .ns = S("default"), .name = S("web-zzz"), .uid = S("u9"), .node = S("neko"), .phase = S("Running"),
	  .owner_kind = S("ReplicaSet") },
	{ .ns = S("argocd"), .name = S("a-server"), .uid = S("u10"), .node = S("panther"), .phase = S("Running"),
	  .owner_kind = S("ReplicaSet") },
};

static char *only_panther[] = { S("panther") };
static char *two_nodes[] = { S("panther"), S("neko") };

static struct kube_volume volumes[] = {
	{ .name = S("pvc-0a1b"), .pvc = S("n8n/n8n-data"), .healthy_replicas = 1, .replicas = 3,
	  .replica_nodes = only_panther, .nreplica_nodes = 1 },
	{ .name = S("pvc-9z"), .healthy_replicas = 2, .replicas = 2, .replica_nodes = two_nodes,
	  .nreplica_nodes = 2 },
};

static struct kube_database dbs[] = {
	{ .ns = S("default"), .name = S("postgres"), .instances = 3, .primary = S("postgres-3"),
	  .primary_node = S("panther") },
	{ .ns = S("n8n"), .name = S("n8n-db"), .instances = 1, .primary = S("n8n-db-1"),
	  .primary_node = S("panther") },
};

static struct kube_cluster axiom(void)
{
	struct kube_cluster c = {
		.name = S("axiomlayer"), .nodes = nodes, .nnodes = 4, .pods = pods,
		.npods = sizeof pods / sizeof pods[0], .volumes = volumes, .nvolumes = 2,
		.databases = dbs, .ndatabases = 2,
	};
	return c;
}

static bool has_note(const struct kube_drain_plan *p, enum kube_note_level l, const char *s)
{
	for (size_t i = 0; i < p->nnotes; i++)
		if (p->notes[i].level == l && strstr(p->notes[i].text, s) != NULL)
			return true;
	return false;
}

static void test_drain_plan(void **state)
{
	struct kube_cluster c = axiom();
	struct kube_drain_plan p;
	char *cause = NULL, *text;

	assert_int_equal(kube_drain_plan_build(&c, "panther", false, &p, &cause), 0);
	assert_int_equal(p.npods, 9);
	/* evicted: ordinary pods by namespace/name, CNPG primaries last */
	assert_int_equal(p.nevict, 6);
	assert_string_equal(p.pods[0].name, "a-server");
	assert_string_equal(p.pods[1].name, "job-done");   /* finished, no controller: no force */
	assert_string_equal(p.pods[2].name, "web-abc12");
	assert_string_equal(p.pods[3].name, "embed-7f9");
	assert_string_equal(p.pods[4].name, "postgres-3");
	assert_string_equal(p.pods[5].name, "n8n-db-1");
	assert_int_equal(p.pods[6].fate, KUBE_DRAIN_SKIP_DAEMONSET);
	assert_int_equal(p.pods[7].fate, KUBE_DRAIN_SKIP_MIRROR);
	assert_int_equal(p.pods[8].fate, KUBE_DRAIN_NEEDS_FORCE);
	assert_int_equal(p.nskip_ds, 1);
	assert_int_equal(p.nskip_mirror, 1);
	assert_int_equal(p.nforce, 1);
	assert_true(p.refused);   /* the bare pod, without force */
	assert_true(has_note(&p, KUBE_NOTE_REFUSE, "without a controller (default/bare)"));
	assert_true(has_note(&p, KUBE_NOTE_BLOCK, "Longhorn volume pvc-0a1b (n8n/n8n-data)"));
	assert_false(has_note(&p, KUBE_NOTE_BLOCK, "pvc-9z"));
	assert_true(has_note(&p, KUBE_NOTE_WARN, "CNPG primary default/postgres-3 of postgres"));
	assert_true(has_note(&p, KUBE_NOTE_WARN, "CNPG n8n/n8n-db has one instance"));
	assert_true(has_note(&p, KUBE_NOTE_WARN, "emptyDir data goes with ollama/embed-7f9"));
	assert_false(has_note(&p, KUBE_NOTE_REFUSE, "control-plane"));
	text = kube_drain_preview(&p, 3);
	assert_non_null(strstr(text, "Drain panther: cordon it, then evict 6 pods (1 DaemonSet and 1 "
	                       "static pods stay).\nrefused: 1 pod without a controller"));
	assert_non_null(strstr(text, "\nblocks: Longhorn volume pvc-0a1b"));
	assert_non_null(strstr(text, "\nevict (6): argocd/a-server, default/job-done, "
	                       "default/web-abc12, … 3 more\n"));
	assert_non_null(strstr(text, "\nstay (DaemonSet) (1): longhorn-system/longhorn-manager-x1\n"));
	assert_non_null(strstr(text, "\nneed force (1): default/bare\n"));
	free(text);
	kube_drain_plan_done(&p);

	/* force: the bare pod is evicted, said, not refused */
	assert_int_equal(kube_drain_plan_build(&c, "panther", true, &p, &cause), 0);
	assert_false(p.refused);
	assert_int_equal(p.nevict, 7);
	assert_true(has_note(&p, KUBE_NOTE_WARN, "forced: 1 pod without a controller"));
	kube_drain_plan_done(&p);

	assert_int_equal(kube_drain_plan_build(&c, "cheetah", false, &p, &cause), -1);
	assert_string_equal(cause, "no node cheetah in cluster axiomlayer");
	free(cause);
}

static void test_drain_control_plane(void **state)
{
	struct kube_cluster c = axiom();
	struct kube_drain_plan p;
	char *cause = NULL;

	/* neko2 Ready too: draining neko is allowed */
	assert_int_equal(kube_drain_plan_build(&c, "neko", false, &p, &cause), 0);
	assert_false(p.refused);
	assert_int_equal(p.nevict, 1);
	kube_drain_plan_done(&p);
	/* neko2 down: neko is the last Ready control-plane node */
	nodes[1].ready = KUBE_FALSE;
	assert_int_equal(kube_drain_plan_build(&c, "neko", false, &p, &cause), 0);
	assert_true(p.refused);
	assert_true(has_note(&p, KUBE_NOTE_REFUSE, "neko is the last Ready control-plane/etcd node"));
	kube_drain_plan_done(&p);
	nodes[1].ready = KUBE_TRUE;
	/* an agent node is never the control plane */
	assert_int_equal(kube_drain_plan_build(&c, "bobcat", false, &p, &cause), 0);
	assert_false(p.refused);
	assert_int_equal(p.npods, 0);
	kube_drain_plan_done(&p);
}

static void test_drain_summary(void **state)
{
	const char *left[] = { "default/web-1", "n8n/n8n-0" };
	const char *held[] = { "longhorn-system/im-1" };
	char *s;

	s = kube_drain_summary("panther", 12, 3, 0, NULL, 0, NULL, 0, false);
	assert_string_equal(s, "panther drained: 12 evicted, 3 DaemonSet pods left");
	free(s);
	s = kube_drain_summary("panther", 10, 3, 1, NULL, 0, left, 2, true);
	assert_string_equal(s, "timed out: 2 pods still terminating: default/web-1, n8n/n8n-0 "
	                    "(10 evicted; panther stays cordoned)");
	free(s);
	s = kube_drain_summary("panther", 10, 3, 1, held, 1, left, 1, true);
	assert_string_equal(s, "timed out: 1 pod not evicted (a disruption budget holds it): "
	                    "longhorn-system/im-1; 1 pod still terminating: default/web-1 "
	                    "(10 evicted; panther stays cordoned)");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cordon_shapes),
		cmocka_unit_test(test_rollout_shapes),
		cmocka_unit_test(test_drain_shapes),
		cmocka_unit_test(test_gitops_shapes),
		cmocka_unit_test(test_ref_parse),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_interlocks),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_drain_plan),
		cmocka_unit_test(test_drain_control_plane),
		cmocka_unit_test(test_drain_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
