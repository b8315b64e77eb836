/* Unit tests of verdict_cluster (core/model/verdict_cluster.h) on frames
 * built by hand: the API, nodes (NotReady warn or crit, pressure, a
 * two-member etcd), pods, rollouts, GitOps, Longhorn, CloudNativePG, the
 * overall level and its worst reason, and check's counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/status_check.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/model/cluster_nodes.h"
#include "core/model/frame.h"
#include "core/model/verdict.h"
#include "core/model/verdict_cluster.h"

int main(void);

#define NOW 1800000000000LL
#define MIN 60000LL

static char role_cp[] = "control-plane", role_etcd[] = "etcd", role_master[] = "master";
static char *etcd_roles[] = { role_cp, role_etcd, role_master };

/* Four nodes as axiomlayer has them, every one Ready; pods, objects: none. */
struct sample {
	struct config cfg;
	struct config_cluster cc;
	struct frame f;
	struct frame_cluster fc;
	struct kube_cluster k;
	struct kube_node nodes[4];
	struct kube_pod pods[4];
	struct kube_workload workloads[2];
	struct kube_gitops gitops[3];
	struct kube_volume volumes[2];
	struct kube_database dbs[1];
};

static void sample_init(struct sample *s)
{
	static const char *names[] = { "neko", "neko2", "panther", "bobcat" };

	memset(s, 0, sizeof *s);
	s->cc.name = (char *)"axiomlayer";
	s->cfg.clusters = &s->cc;
	s->cfg.nclusters = 1;
	s->f.cfg = &s->cfg;
	s->f.taken_ms = NOW;
	s->f.nclusters = 1;
	s->f.clusters = &s->fc;
	s->fc.name = "axiomlayer";
	s->fc.cfg = &s->cc;
	s->fc.feed = (struct frame_feed){ .configured = true, .polled = true };
	s->fc.value = &s->k;
	s->k.name = (char *)"axiomlayer";
	s->k.api.ok = true;
	s->k.api.etcd_members = 2;
	s->k.nodes = s->nodes;
	s->k.nnodes = 4;
	for (size_t i = 0; i < 4; i++) {
		s->nodes[i].name = (char *)names[i];
		s->nodes[i].ready = KUBE_TRUE;
		s->nodes[i].etcd = i < 2;
		s->nodes[i].roles = i < 2 ? etcd_roles : NULL;
		s->nodes[i].nroles = i < 2 ? 3 : 0;
		s->nodes[i].alloc_cpu_m = 4000;
		s->nodes[i].alloc_mem_bytes = 8LL << 30;
		s->nodes[i].alloc_pods = 110;
	}
}

static enum verdict_level level(struct sample *s, struct buf *why)
{
	return verdict_cluster_level(&s->fc, NOW, why);
}

static void test_healthy_two_member_etcd_is_ok(void **state)
{
	struct sample s;
	struct buf why;

	(void)state;
	sample_init(&s);
	buf_init(&why);
	/* a two-member etcd is shown, not a finding while both are Ready */
	assert_int_equal(level(&s, &why), VERDICT_OK);
	assert_string_equal(buf_cstr(&why), "");
	assert_int_equal(verdict_overall(&s.f, NULL), VERDICT_OK);
	buf_done(&why);
}

static void test_api(void **state)
{
	struct sample s;
	struct buf why;

	(void)state;
	sample_init(&s);
	buf_init(&why);
	s.fc.feed.polled = false;
	assert_int_equal(level(&s, &why), VERDICT_UNKNOWN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: API: no answer yet\n");
	buf_reset(&why);
	/* failed, with a stale value: critical, the stale nodes not judged */
	s.fc.feed.polled = true;
	s.fc.feed.error = "dial 127.0.0.1:6443: connection refused";
	s.fc.feed.stale = true;
	s.nodes[3].ready = KUBE_UNKNOWN;
	assert_int_equal(level(&s, &why), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&why), "axiomlayer: API down: dial 127.0.0.1:6443: connection refused\n");
	buf_reset(&why);
	s.fc.feed.error = NULL;
	s.fc.feed.stale = false;
	s.nodes[3].ready = KUBE_TRUE;
	s.k.api.ok = false;
	s.k.api.error = (char *)"etcd quorum lost (1/2)";
	assert_int_equal(level(&s, &why), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&why), "axiomlayer: API down: etcd quorum lost (1/2)\n");
	/* a cluster not configured says nothing */
	s.fc.feed.configured = false;
	assert_int_equal(verdict_cluster_level(&s.fc, NOW, NULL), VERDICT_OK);
	buf_done(&why);
}

static void test_nodes(void **state)
{
	struct sample s;
	struct buf why;

	(void)state;
	sample_init(&s);
	buf_init(&why);
	/* an agent NotReady: the others carry on, a warning */
	s.nodes[3].ready = KUBE_UNKNOWN;
	s.nodes[3].ready_reason = (char *)"NodeStatusUnknown";
	assert_int_equal(level(&s, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: bobcat NotReady (NodeStatusUnknown)\n");
	buf_reset(&why);
	/* one of two etcd members NotReady: no quorum, critical */
	s.nodes[3].ready = KUBE_TRUE;
	s.nodes[1].ready = KUBE_FALSE;
	s.nodes[1].ready_reason = NULL;
	assert_int_equal(level(&s, &why), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&why), "axiomlayer: neko2 NotReady: etcd 1/2, no quorum\n");
	buf_reset(&why);
	/* with three members one may go */
	s.nodes[2].etcd = true;
	s.k.api.etcd_members = 3;
	assert_int_equal(level(&s, &why), VERDICT_WARN);
	buf_reset(&why);
	/* every node NotReady: critical */
	for (size_t i = 0; i < 4; i++)
		s.nodes[i].ready = KUBE_FALSE;
	assert_int_equal(level(&s, NULL), VERDICT_CRIT);
	/* pressure on a Ready node: a warning; cordoned: nothing */
	sample_init(&s);
	s.nodes[2].pressure = KUBE_PRESSURE_MEMORY | KUBE_PRESSURE_DISK;
	s.nodes[0].unschedulable = true;
	assert_int_equal(level(&s, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: panther MemoryPressure, DiskPressure\n");
	buf_done(&why);
}

static void test_pods(void **state)
{
	struct sample s;
	struct buf why;

	(void)state;
	sample_init(&s);
	buf_init(&why);
	s.k.pods = s.pods;
	s.k.npods = 4;
	s.pods[0] = (struct kube_pod){ .ns = (char *)"n8n", .name = (char *)"n8n-7c9d8f-q8zx", .node = (char *)"neko",
		.status = (char *)"CrashLoopBackOff", .containers = 1, .restarts = 14, .last_reason = (char *)"OOMKilled",
		.created_ms = NOW - 60 * MIN, .counts_for_node = true };
	/* Pending for a minute: not yet a finding; for ten: one */
	s.pods[1] = (struct kube_pod){ .ns = (char *)"a", .name = (char *)"new", .status = (char *)"Pending",
		.created_ms = NOW - MIN, .counts_for_node = true };
	s.pods[2] = (struct kube_pod){ .ns = (char *)"a", .name = (char *)"fine", .node = (char *)"neko",
		.status = (char *)"Running", .ready = 1, .containers = 1, .healthy = true, .counts_for_node = true };
	/* a pod on a NotReady node: the node says it */
	s.pods[3] = (struct kube_pod){ .ns = (char *)"b", .name = (char *)"gone", .node = (char *)"bobcat",
		.status = (char *)"Unknown", .created_ms = NOW - 60 * MIN, .counts_for_node = true };
	s.nodes[3].ready = KUBE_UNKNOWN;
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: n8n/n8n-7c9d8f-q8zx CrashLoopBackOff (OOMKilled), 14 restarts\n");
	buf_reset(&why);
	s.pods[1].created_ms = NOW - 10 * MIN;
	verdict_cluster_objects(&s.fc, NOW, &why);
	assert_non_null(strstr(buf_cstr(&why), "axiomlayer: a/new Pending, 0 restarts\n"));
	/* worst first: the crash before the Pending before the healthy */
	{
		size_t n;
		const struct kube_pod **v = cluster_node_pods(&s.k, "neko", &n);

		assert_int_equal(n, 2);
		assert_string_equal(v[0]->name, "n8n-7c9d8f-q8zx");
		assert_string_equal(v[1]->name, "fine");
		free(v);
		v = cluster_bad_pods(&s.k, &n);
		assert_int_equal(n, 3);
		assert_string_equal(v[0]->name, "n8n-7c9d8f-q8zx");   /* failing: the most restarts first */
		assert_string_equal(v[1]->name, "gone");
		assert_string_equal(v[2]->name, "new");
		free(v);
	}
	assert_int_equal(verdict_kube_pod_severity(&s.pods[2]), 0);
	buf_done(&why);
}

static void test_objects(void **state)
{
	struct sample s;
	struct buf why;

	(void)state;
	sample_init(&s);
	buf_init(&why);
	s.k.workloads = s.workloads;
	s.k.nworkloads = 2;
	s.workloads[0] = (struct kube_workload){ .kind = KUBE_DEPLOYMENT, .ns = (char *)"n8n", .name = (char *)"n8n",
		.desired = 1, .ready = 0, .state = KUBE_ROLLOUT_FAILED };
	s.workloads[1] = (struct kube_workload){ .kind = KUBE_DAEMONSET, .ns = (char *)"x", .name = (char *)"ds",
		.desired = 4, .ready = 3, .state = KUBE_ROLLOUT_PROGRESSING };
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&why), "axiomlayer: Deployment n8n/n8n rollout failed (0/1 ready)\n");
	s.workloads[0].ready = 1;
	s.workloads[0].desired = 2;
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, NULL), VERDICT_WARN);
	s.k.nworkloads = 0;
	buf_reset(&why);

	s.k.gitops = s.gitops;
	s.k.ngitops = 3;
	s.gitops[0] = (struct kube_gitops){ .kind = KUBE_APPLICATION, .ns = (char *)"argocd", .name = (char *)"campfire",
		.sync = (char *)"OutOfSync", .health = (char *)"Healthy", .ready = KUBE_TRUE };
	s.gitops[1] = (struct kube_gitops){ .kind = KUBE_KUSTOMIZATION, .ns = (char *)"flux-system",
		.name = (char *)"apps", .ready = KUBE_FALSE, .reason = (char *)"HealthCheckFailed" };
	s.gitops[2] = (struct kube_gitops){ .kind = KUBE_HELMRELEASE, .ns = (char *)"m", .name = (char *)"grafana",
		.ready = KUBE_FALSE, .suspended = true };
	/* OutOfSync alone is no finding, a suspended object is not judged */
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: Kustomization flux-system/apps not ready (HealthCheckFailed)\n");
	buf_reset(&why);
	s.gitops[1].ready = KUBE_TRUE;
	s.gitops[0].health = (char *)"Degraded";
	s.gitops[0].op_phase = (char *)"Failed";
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: Application campfire Degraded, op Failed\n");
	buf_reset(&why);
	/* an operation that succeeded is not named */
	s.gitops[0].op_phase = (char *)"Succeeded";
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: Application campfire Degraded\n");
	s.k.ngitops = 0;
	buf_reset(&why);

	s.k.volumes = s.volumes;
	s.k.nvolumes = 2;
	s.volumes[0] = (struct kube_volume){ .name = (char *)"pvc-1", .robustness = (char *)"degraded", .replicas = 3,
		.healthy_replicas = 2 };
	s.volumes[1] = (struct kube_volume){ .name = (char *)"pvc-2", .robustness = (char *)"healthy", .replicas = 3,
		.healthy_replicas = 3 };
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: volume pvc-1 degraded, 2/3 replicas\n");
	s.volumes[1].robustness = (char *)"faulted";
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, NULL), VERDICT_CRIT);
	s.k.nvolumes = 0;
	buf_reset(&why);

	s.k.databases = s.dbs;
	s.k.ndatabases = 1;
	s.dbs[0] = (struct kube_database){ .ns = (char *)"default", .name = (char *)"postgres", .instances = 3,
		.ready_instances = 3, .ready = true, .phase = (char *)"Cluster in healthy state" };
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, NULL), VERDICT_OK);
	s.dbs[0].ready_instances = 2;
	s.dbs[0].phase = (char *)"Waiting for the instances to become active";
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, &why), VERDICT_WARN);
	assert_string_equal(buf_cstr(&why), "axiomlayer: postgres default/postgres 2/3 ready: "
	                    "Waiting for the instances to become active\n");
	s.dbs[0].ready_instances = 0;
	assert_int_equal(verdict_cluster_objects(&s.fc, NOW, NULL), VERDICT_CRIT);
	buf_done(&why);
}

/* The overall level and the header's worst reason include the cluster; the
 * API down outranks a node NotReady. */
static void test_overall_and_check(void **state)
{
	struct sample s;
	struct buf out;
	char *worst = NULL;
	size_t n = 0;

	(void)state;
	sample_init(&s);
	buf_init(&out);
	s.nodes[3].ready = KUBE_FALSE;
	s.k.volumes = s.volumes;
	s.k.nvolumes = 1;
	s.volumes[0] = (struct kube_volume){ .name = (char *)"pvc-1", .robustness = (char *)"faulted" };
	assert_int_equal(verdict_overall_worst(&s.f, NULL, &worst, &n), VERDICT_CRIT);
	assert_string_equal(worst, "axiomlayer: volume pvc-1 faulted, 0/0 replicas");
	assert_int_equal(n, 2);
	free(worst);
	s.volumes[0].robustness = (char *)"degraded";
	assert_int_equal(verdict_overall_worst(&s.f, NULL, &worst, &n), VERDICT_WARN);
	assert_string_equal(worst, "axiomlayer: bobcat NotReady");   /* a node before a volume */
	free(worst);
	/* check: the line names it, the perfdata counts */
	assert_int_equal(status_check_line(&s.f, &out), VERDICT_WARN);
	assert_non_null(strstr(buf_cstr(&out), "KITETOP WARNING - 0 hosts: axiomlayer: bobcat NotReady; "
	                       "axiomlayer: volume pvc-1 degraded, 0/0 replicas | hosts_up=0;;;0;0 containers_bad=0;;;0\n"));
	assert_non_null(strstr(buf_cstr(&out), "\n| nodes_notready=1;;;0;4 rollouts_failed=0;;;0 gitops_failed=0;;;0"
	                       " volumes_faulted=0;;;0 databases_bad=0;;;0\n"));
	buf_done(&out);
	/* the API down: unknown ranks below crit, a down API is the worst */
	s.fc.feed.error = "timeout";
	assert_int_equal(verdict_overall_worst(&s.f, NULL, &worst, &n), VERDICT_CRIT);
	assert_string_equal(worst, "axiomlayer: API down: timeout");
	assert_int_equal(n, 1);
	free(worst);
	/* not answered yet, nothing else known: unknown */
	s.fc.feed.error = NULL;
	s.fc.feed.polled = false;
	assert_int_equal(verdict_overall(&s.f, NULL), VERDICT_UNKNOWN);
}

/* A node's figures: requests of the pods charged to it, usage, pods n/max. */
static void test_node_sum(void **state)
{
	struct sample s;
	struct cluster_node_sum sum;
	struct kube_usage u = { .node = (char *)"neko", .cpu_m = 1520, .mem_bytes = 4LL << 30 };

	(void)state;
	sample_init(&s);
	s.k.pods = s.pods;
	s.k.npods = 2;
	s.pods[0] = (struct kube_pod){ .name = (char *)"a", .node = (char *)"neko", .req_cpu_m = 1000,
		.req_mem_bytes = 1LL << 30, .counts_for_node = true, .healthy = true };
	s.pods[1] = (struct kube_pod){ .name = (char *)"b", .node = (char *)"neko", .req_cpu_m = 1000,
		.counts_for_node = false, .status = (char *)"Completed" };
	cluster_node_sum(&s.f, &s.k, 0, &sum);
	assert_int_equal(sum.pods, 1);
	assert_int_equal(sum.pods_max, 110);
	assert_true(sum.req_cpu_pct == 25.0);
	assert_true(sum.req_mem_pct == 12.5);
	assert_true(sum.cpu_pct != sum.cpu_pct);   /* NAN: no metrics */
	s.k.usage = &u;
	s.k.nusage = 1;
	cluster_node_sum(&s.f, &s.k, 0, &sum);
	assert_true(sum.cpu_pct == 38.0);
	assert_true(sum.mem_pct == 50.0);
	assert_null(sum.host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_two_member_etcd_is_ok),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_pods),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_overall_and_check),
		cmocka_unit_test(test_node_sum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
