/* Unit tests of backends/kube_decode's workloads (kubectl rollout status's
 * verdicts), Flux and Argo CD objects, Longhorn volumes and replicas,
 * CloudNativePG clusters, Warning events and the joins, over the fixtures in
 * tests/fixtures/kube/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "backends/kube_decode.h"
#include "backends/kube_types.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"

static cJSON *load(const char *name)
{
	size_t len;
	char *text = fixture_read("kube", name, &len);
	cJSON *root = cJSON_ParseWithLength(text, len);

	free(text);
	assert_non_null(root);
	return root;
}

static const cJSON *item(const cJSON *list, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items")) {
		const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(it, "metadata"), "name");

		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return it;
	}
	fail_msg("no item %s", name);
	return NULL;
}

struct rollout_case {
	const char *name;
	enum kube_rollout state;
	const char *message;   /* NULL: none */
};

static void check_rollouts(const char *file, enum kube_workload_kind kind,
                           const struct rollout_case *t, size_t n)
{
	cJSON *list = load(file);
	size_t i;

	for (i = 0; i < n; i++) {
		struct kube_workload w;
		char *cause = NULL;

		assert_int_equal(kube_decode_workload(item(list, t[i].name), kind, &w, &cause), 0);
		assert_int_equal(w.kind, kind);
		if (w.state != t[i].state)
			fail_msg("%s: %s, wanted %s (%s)", t[i].name, kube_rollout_name(w.state),
			         kube_rollout_name(t[i].state), w.message ? w.message : "-");
		if (t[i].message == NULL)
			assert_null(w.message);
		else if (w.message == NULL || strcmp(w.message, t[i].message) != 0)
			fail_msg("%s: \"%s\", wanted \"%s\"", t[i].name, w.message ? w.message : "(null)",
			         t[i].message);
		kube_workload_done(&w);
	}
	cJSON_Delete(list);
}

static void test_deployments(void **state)
{
	static const struct rollout_case t[] = {
		{"web", KUBE_ROLLOUT_DONE, NULL},
		{"api-unobserved", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for deployment spec update to be observed..."},
		{"api-deadline", KUBE_ROLLOUT_FAILED, "deployment exceeded its progress deadline"},
		{"api-updating", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for rollout to finish: 2 out of 4 new replicas have been updated..."},
		{"api-oldpods", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for rollout to finish: 1 old replicas are pending termination..."},
		{"api-available", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for rollout to finish: 0 of 1 updated replicas are available..."},
		{"api-paused", KUBE_ROLLOUT_PAUSED, "deployment is paused"},
	};
	cJSON *list;
	struct kube_workload w;
	char *cause = NULL;

	check_rollouts("deployments.json", KUBE_DEPLOYMENT, t, UTIL_ARRAY_LEN(t));

	list = load("deployments.json");
	assert_int_equal(kube_decode_workload(item(list, "web"), KUBE_DEPLOYMENT, &w, &cause), 0);
	assert_string_equal(w.ns, "default");
	assert_int_equal(w.desired, 3);
	assert_int_equal(w.ready, 3);
	assert_int_equal(w.updated, 3);
	assert_int_equal(w.available, 3);
	assert_int_equal(w.generation, 1);
	assert_int_equal(w.observed_generation, 1);
	assert_int_equal(w.restarted_ms, INT64_C(1795167000000));
	kube_workload_done(&w);
	cJSON_Delete(list);
}

static void test_statefulsets(void **state)
{
	static const struct rollout_case t[] = {
		{"redis", KUBE_ROLLOUT_DONE, NULL},
		{"kafka-partition", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."},
		{"kafka-partition-done", KUBE_ROLLOUT_DONE, NULL},
		{"zk-notready", KUBE_ROLLOUT_PROGRESSING, "Waiting for 2 pods to be ready..."},
		{"etcd-revision", KUBE_ROLLOUT_PROGRESSING,
		 "waiting for statefulset rolling update to complete 1 pods at revision etcd-2..."},
		{"ondelete", KUBE_ROLLOUT_DONE, NULL},
	};

	check_rollouts("statefulsets.json", KUBE_STATEFULSET, t, UTIL_ARRAY_LEN(t));
}

static void test_daemonsets(void **state)
{
	static const struct rollout_case t[] = {
		{"svclb-traefik", KUBE_ROLLOUT_DONE, NULL},
		{"node-exporter", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for daemon set rollout to finish: 2 of 3 updated pods are available..."},
		{"fluent-bit", KUBE_ROLLOUT_PROGRESSING,
		 "Waiting for daemon set rollout to finish: 1 out of 3 new pods have been updated..."},
	};
	cJSON *list;
	struct kube_workload w;
	char *cause = NULL;

	check_rollouts("daemonsets.json", KUBE_DAEMONSET, t, UTIL_ARRAY_LEN(t));
	list = load("daemonsets.json");
	assert_int_equal(kube_decode_workload(item(list, "node-exporter"), KUBE_DAEMONSET, &w, &cause),
	                 0);
	assert_int_equal(w.desired, 3);
	assert_int_equal(w.ready, 2);
	assert_int_equal(w.misscheduled, 1);
	kube_workload_done(&w);
	cJSON_Delete(list);

	/* the object's own kind wins over the caller's */
	list = cJSON_Parse("{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"d\"},"
	                   "\"status\":{\"desiredNumberScheduled\":2}}");
	assert_int_equal(kube_decode_workload(list, KUBE_DEPLOYMENT, &w, &cause), 0);
	assert_int_equal(w.kind, KUBE_DAEMONSET);
	assert_int_equal(w.state, KUBE_ROLLOUT_PROGRESSING);
	kube_workload_done(&w);
	cJSON_Delete(list);
	assert_int_equal(kube_decode_workload(NULL, KUBE_DEPLOYMENT, &w, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void test_flux(void **state)
{
	cJSON *list = load("gitops.json");
	struct kube_gitops g;
	char *cause = NULL;

	/* a failing Kustomization: Ready False ArtifactFailed while reconciling */
	assert_int_equal(kube_decode_gitops(item(list, "apps"), KUBE_APPLICATION, &g, &cause), 0);
	assert_int_equal(g.kind, KUBE_KUSTOMIZATION);
	assert_string_equal(g.ns, "flux-system");
	assert_int_equal(g.ready, KUBE_FALSE);
	assert_string_equal(g.reason, "ArtifactFailed");
	assert_non_null(strstr(g.message, "kustomization path not found"));
	assert_string_equal(g.revision, "master/67e2c98a60dc92283531412a9e604dd4bae005a9");
	assert_string_equal(g.attempted, "master/67e2c98a60dc92283531412a9e604dd4bae005a9");
	assert_false(g.suspended);
	assert_null(g.sync);
	assert_null(g.health);
	kube_gitops_done(&g);

	assert_int_equal(kube_decode_gitops(item(list, "infra"), KUBE_KUSTOMIZATION, &g, &cause), 0);
	assert_int_equal(g.ready, KUBE_TRUE);
	assert_true(g.suspended);
	assert_string_equal(g.handled_at, "2025-11-07T12:20:38.600281345Z");
	kube_gitops_done(&g);

	/* HelmRelease v2: the revision is history[0].chartVersion */
	assert_int_equal(kube_decode_gitops(item(list, "cert-manager"), KUBE_HELMRELEASE, &g, &cause),
	                 0);
	assert_int_equal(g.kind, KUBE_HELMRELEASE);
	assert_int_equal(g.ready, KUBE_TRUE);
	assert_string_equal(g.reason, "InstallSucceeded");
	assert_string_equal(g.revision, "1.19.1+9578566b26b2");
	assert_string_equal(g.attempted, "1.19.1+9578566b26b2");
	kube_gitops_done(&g);

	/* v2beta1: lastAppliedRevision, with a newer attempted one failing */
	assert_int_equal(kube_decode_gitops(item(list, "podinfo"), KUBE_HELMRELEASE, &g, &cause), 0);
	assert_int_equal(g.ready, KUBE_FALSE);
	assert_string_equal(g.reason, "UpgradeFailed");
	assert_string_equal(g.revision, "6.5.3");
	assert_string_equal(g.attempted, "6.5.4");
	kube_gitops_done(&g);

	assert_int_equal(kube_decode_gitops(item(list, "flux-system"), KUBE_KUSTOMIZATION, &g, &cause),
	                 0);
	assert_int_equal(g.kind, KUBE_GITREPOSITORY);
	assert_int_equal(g.ready, KUBE_TRUE);
	assert_string_equal(g.revision, "refs/heads/main@sha1:d676e33990dc2865d67c022d26dea93d5e3236ff");
	assert_null(g.attempted);
	assert_string_equal(g.handled_at, "2025-11-06T23:35:15.038685+02:00");
	kube_gitops_done(&g);
	cJSON_Delete(list);
}

static void test_argo(void **state)
{
	cJSON *list = load("gitops.json");
	struct kube_gitops g;
	char *cause = NULL;

	assert_int_equal(kube_decode_gitops(item(list, "jenkins-helm"), KUBE_KUSTOMIZATION, &g, &cause),
	                 0);
	assert_int_equal(g.kind, KUBE_APPLICATION);
	assert_string_equal(g.sync, "Synced");
	assert_string_equal(g.health, "Healthy");
	assert_int_equal(g.ready, KUBE_TRUE);
	assert_string_equal(g.revision, "0.2.0");
	assert_true(g.auto_sync);
	assert_string_equal(g.op_phase, "Succeeded");
	assert_int_equal(g.op_finished_ms, INT64_C(1654518211000));
	assert_false(g.op_pending);
	assert_null(g.message);
	assert_null(g.reason);
	kube_gitops_done(&g);

	assert_int_equal(kube_decode_gitops(item(list, "authentik"), KUBE_APPLICATION, &g, &cause), 0);
	assert_string_equal(g.sync, "OutOfSync");
	assert_string_equal(g.health, "Degraded");
	assert_int_equal(g.ready, KUBE_FALSE);
	assert_false(g.auto_sync);
	assert_true(g.op_pending);
	assert_string_equal(g.op_phase, "Failed");
	/* a failed operation says why before the health does */
	assert_non_null(strstr(g.message, "one or more objects failed to apply"));
	kube_gitops_done(&g);
	cJSON_Delete(list);

	list = cJSON_Parse("{\"metadata\":{\"name\":\"a\"},\"status\":{\"health\":"
	                   "{\"status\":\"Progressing\"},\"conditions\":[{\"type\":\"ComparisonError\","
	                   "\"message\":\"repo not found\"}]}}");
	assert_int_equal(kube_decode_gitops(list, KUBE_APPLICATION, &g, &cause), 0);
	assert_int_equal(g.ready, KUBE_UNKNOWN);
	assert_string_equal(g.message, "repo not found");
	kube_gitops_done(&g);
	cJSON_Delete(list);
}

static void test_longhorn(void **state)
{
	cJSON *vl = load("longhorn-volumes.json"), *rl = load("longhorn-replicas.json");
	struct kube_volume v[2];
	char *rv[4], *rn[4], *cause = NULL;
	bool rh[4];
	const cJSON *it;
	size_t n = 0, i;

	assert_int_equal(kube_decode_volume(item(vl, "pvc-830baa59-1c2d"), &v[0], &cause), 0);
	assert_int_equal(kube_decode_volume(item(vl, "pvc-detached"), &v[1], &cause), 0);
	assert_string_equal(v[0].pvc, "webmutt/webmutt-maildir");
	assert_string_equal(v[0].state, "attached");
	assert_string_equal(v[0].robustness, "degraded");
	assert_string_equal(v[0].node, "walmsley");
	assert_int_equal(v[0].replicas, 3);
	assert_null(v[1].pvc);
	assert_null(v[1].node);
	assert_string_equal(v[1].robustness, "unknown");

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(rl, "items")) {
		assert_true(n < 4);
		assert_int_equal(kube_decode_replica(it, &rv[n], &rn[n], &rh[n], &cause), 0);
		n++;
	}
	assert_int_equal(n, 4);
	assert_true(rh[0]);
	assert_false(rh[2]);   /* error, failedAt set */
	assert_false(rh[3]);   /* stopped */
	kube_volumes_join(v, 2, rv, rn, rh, n);
	assert_int_equal(v[0].healthy_replicas, 2);
	assert_int_equal(v[0].nreplica_nodes, 2);
	assert_string_equal(v[0].replica_nodes[0], "walmsley");
	assert_string_equal(v[0].replica_nodes[1], "neko");
	assert_int_equal(v[1].healthy_replicas, 0);
	/* joining again replaces, it does not add */
	kube_volumes_join(v, 2, rv, rn, rh, n);
	assert_int_equal(v[0].nreplica_nodes, 2);
	for (i = 0; i < n; i++) {
		free(rv[i]);
		free(rn[i]);
	}
	kube_volume_done(&v[0]);
	kube_volume_done(&v[1]);
	cJSON_Delete(vl);
	cJSON_Delete(rl);

	vl = cJSON_Parse("{\"metadata\":{\"name\":\"r\"},\"spec\":{\"nodeID\":\"x\"}}");
	assert_int_equal(kube_decode_replica(vl, &rv[0], &rn[0], &rh[0], &cause), -1);
	assert_string_equal(cause, "Longhorn replica: no spec.volumeName");
	assert_null(rv[0]);
	free(cause);
	cJSON_Delete(vl);
}

static void test_cnpg(void **state)
{
	cJSON *list = load("cnpg.json"), *pods = load("pods.json");
	struct kube_database d[2];
	struct kube_pod p[2];
	char *cause = NULL;

	assert_int_equal(kube_decode_database(item(list, "cluster-example"), &d[0], &cause), 0);
	assert_string_equal(d[0].phase, "Cluster in healthy state");
	assert_int_equal(d[0].instances, 3);
	assert_int_equal(d[0].ready_instances, 3);
	assert_string_equal(d[0].primary, "cluster-example-1");
	assert_string_equal(d[0].target_primary, "cluster-example-1");
	assert_int_equal(d[0].nodes_used, 1);
	assert_true(d[0].ready);

	assert_int_equal(kube_decode_database(item(list, "pg-main"), &d[1], &cause), 0);
	assert_string_equal(d[1].phase, "Waiting for the instances to become active");
	assert_int_equal(d[1].instances, 2);
	assert_int_equal(d[1].ready_instances, 1);
	assert_int_equal(d[1].nodes_used, -1);
	assert_false(d[1].ready);

	assert_int_equal(kube_decode_pod(item(pods, "pg-main-2"), &p[0], &cause), 0);
	assert_int_equal(kube_decode_pod(item(pods, "pg-main-1"), &p[1], &cause), 0);
	kube_databases_join(d, 2, p, 2);
	assert_null(d[0].primary_node);
	assert_string_equal(d[1].primary_node, "bobcat");
	kube_databases_join(d, 2, p, 0);
	assert_null(d[1].primary_node);
	kube_pod_done(&p[0]);
	kube_pod_done(&p[1]);
	kube_database_done(&d[0]);
	kube_database_done(&d[1]);
	cJSON_Delete(list);
	cJSON_Delete(pods);
}

static void test_events(void **state)
{
	cJSON *list = load("events.json");
	struct kube_event e;
	char *cause = NULL;
	int64_t t;

	assert_int_equal(kube_decode_event(item(list, "crashloop.1"), &e, &cause), 0);
	assert_string_equal(e.type, "Warning");
	assert_string_equal(e.reason, "BackOff");
	assert_string_equal(e.object, "Pod/default/crashloop");
	assert_int_equal(e.count, 57);
	assert_int_equal(kube_time_parse("2026-11-21T09:10:00Z", &t), 0);
	assert_int_equal(e.time_ms, t);
	kube_event_done(&e);

	assert_int_equal(kube_decode_event(item(list, "neko.cert"), &e, &cause), 0);
	assert_string_equal(e.object, "Node/neko");
	assert_string_equal(e.reason, "CertificateExpirationWarning");
	assert_int_equal(e.count, 1);
	kube_event_done(&e);

	/* events.k8s.io: null lastTimestamp, the series says when and how often */
	assert_int_equal(kube_decode_event(item(list, "web.series"), &e, &cause), 0);
	assert_int_equal(kube_time_parse("2026-11-21T09:20:00Z", &t), 0);
	assert_int_equal(e.time_ms, t);
	assert_int_equal(e.count, 4);
	kube_event_done(&e);

	assert_int_equal(kube_decode_event(item(list, "web.eventtime"), &e, &cause), 0);
	assert_int_equal(kube_time_parse("2026-11-21T08:45:00Z", &t), 0);
	assert_int_equal(e.time_ms, t);
	assert_int_equal(e.count, 1);
	kube_event_done(&e);

	assert_int_equal(kube_decode_event(item(list, "old.created"), &e, &cause), 0);
	assert_int_equal(kube_time_parse("2026-11-21T06:00:00Z", &t), 0);
	assert_int_equal(e.time_ms, t);
	kube_event_done(&e);

	assert_int_equal(kube_decode_event(item(list, "normal.1"), &e, &cause), 1);
	assert_null(e.reason);
	assert_null(cause);
	cJSON_Delete(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deployments),
		cmocka_unit_test(test_statefulsets),
		cmocka_unit_test(test_daemonsets),
		cmocka_unit_test(test_flux),
		cmocka_unit_test(test_argo),
		cmocka_unit_test(test_longhorn),
		cmocka_unit_test(test_cnpg),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
