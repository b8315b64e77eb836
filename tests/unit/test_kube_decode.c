/* Unit tests of backends/kube_decode (quantities, times, nodes, pods, node
 * metrics, /version) and backends/kube_types (copies, names), over the
 * fixtures in tests/fixtures/kube/ (their README says what each models). */
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

/* The item of a fixture list named name. */
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

static void test_quantities(void **state)
{
	static const struct {
		const char *s;
		int rc;
		int64_t milli;
	} t[] = {
		{"0", 0, 0},
		{"1", 0, 1000},
		{"250m", 0, 250},
		{"1.5", 0, 1500},
		{".5", 0, 500},
		{"1.", 0, 1000},
		{"0.1", 0, 100},
		{"+2", 0, 2000},
		{"-1", 0, -1000},
		{"-1.5m", 0, -2},           /* rounds away from zero, as the API does */
		{"1e3", 0, 1000000},
		{"1E3", 0, 1000000},
		{"2e-3", 0, 2},
		{"1.5e+2", 0, 150000},
		{"100Ki", 0, INT64_C(102400000)},
		{"1Mi", 0, INT64_C(1048576000)},
		{"1.5Gi", 0, INT64_C(1610612736000)},
		{"2748180Ki", 0, INT64_C(2814136320000)},
		{"329087452n", 0, 330},     /* 329.087452m rounds up */
		{"1n", 0, 1},
		{"1000000n", 0, 1},
		{"1500u", 0, 2},
		{"1k", 0, 1000000},
		{"4M", 0, INT64_C(4000000000)},
		{"16318404Ki", 0, INT64_C(16710045696000)},
		{"9223372036854775807m", 0, INT64_MAX},
		{"9223372036854775808m", -1, 0},
		{"9223372036854775", 0, INT64_C(9223372036854775000)},
		{"9223372036854776", -1, 0},
		{"8Ei", -1, 0},
		{"10E", -1, 0},
		{"1e9999", -1, 0},
		{"1e-9999", 0, 1},
		{"0e9999", 0, 0},
		{"0.0000000000000000000000000001", 0, 1},
		{"1.00000000000000000000000001", 0, 1001},
		{"123456789012345678901234567890n", -1, 0},
		{"12345678901234567890123456789e-30", 0, 13},
		{"", -1, 0},
		{".", -1, 0},
		{"-", -1, 0},
		{"m", -1, 0},
		{"1e", -1, 0},
		{"1e+", -1, 0},
		{"1ee3", -1, 0},
		{"1.2.3", -1, 0},
		{"1 ", -1, 0},
		{" 1", -1, 0},
		{"1Ki ", -1, 0},
		{"1KiB", -1, 0},
		{"1K", -1, 0},
		{"1mi", -1, 0},
		{"1Xi", -1, 0},
		{"0x10", -1, 0},
		{"abc", -1, 0},
		{"1e3Ki", -1, 0},
	};
	size_t i;
	int64_t v;

	for (i = 0; i < UTIL_ARRAY_LEN(t); i++) {
		v = 12345;
		if (kube_quantity_parse(t[i].s, &v) != t[i].rc)
			fail_msg("\"%s\": rc %d wanted", t[i].s, t[i].rc);
		if (t[i].rc == 0 && v != t[i].milli)
			fail_msg("\"%s\": %lld, wanted %lld", t[i].s, (long long)v, (long long)t[i].milli);
	}
	/* 1E (exa) is 1e21 thousandths: beyond int64 */
	assert_int_equal(kube_quantity_parse("1E", &v), -1);
	assert_int_equal(kube_quantity_parse("1P", &v), 0);
	assert_int_equal(v, INT64_C(1000000000000000000));
	assert_int_equal(kube_quantity_parse(NULL, &v), -1);
}

static void test_times(void **state)
{
	int64_t ms;

	assert_int_equal(kube_time_parse("2026-11-20T10:00:00Z", &ms), 0);
	assert_int_equal(ms, INT64_C(1795168800000));
	assert_int_equal(kube_time_parse("2025-11-07T12:20:38.600281345Z", &ms), 0);
	assert_int_equal(ms % 1000, 600);
	assert_int_equal(kube_time_parse("2026-11-20T12:00:00+02:00", &ms), 0);
	assert_int_equal(ms, INT64_C(1795168800000));
	assert_int_equal(kube_time_parse("2026-11-20", &ms), -1);
	assert_int_equal(kube_time_parse("", &ms), -1);
	assert_int_equal(kube_time_parse(NULL, &ms), -1);
}

static void test_nodes(void **state)
{
	cJSON *list = load("nodes.json");
	struct kube_node n;
	char *cause = NULL;

	assert_int_equal(kube_decode_node(item(list, "neko"), &n, &cause), 0);
	assert_string_equal(n.name, "neko");
	assert_string_equal(n.internal_ip, "10.0.0.11");
	assert_string_equal(n.hostname, "neko");
	assert_int_equal(n.nroles, 3);
	assert_string_equal(n.roles[0], "control-plane");
	assert_string_equal(n.roles[1], "etcd");
	assert_string_equal(n.roles[2], "master");
	assert_true(n.etcd);
	assert_string_equal(n.arch, "amd64");
	assert_string_equal(n.kubelet, "v1.33.6+k3s1");
	assert_string_equal(n.runtime, "containerd://2.0.5-k3s1");
	assert_false(n.unschedulable);
	assert_int_equal(n.ready, KUBE_TRUE);
	assert_string_equal(n.ready_reason, "KubeletReady");
	assert_true(n.ready_since_ms > 0);
	assert_int_equal(n.pressure, 0);
	assert_int_equal(n.ntaints, 0);
	assert_int_equal(n.alloc_cpu_m, 4000);
	assert_int_equal(n.alloc_mem_bytes, INT64_C(16318404) * 1024);
	assert_int_equal(n.alloc_pods, 110);
	assert_true(n.created_ms > 0);
	kube_node_done(&n);

	assert_int_equal(kube_decode_node(item(list, "bobcat"), &n, &cause), 0);
	assert_int_equal(n.ready, KUBE_UNKNOWN);
	assert_string_equal(n.ready_reason, "NodeStatusUnknown");
	assert_true(n.unschedulable);
	assert_int_equal(n.pressure, 0);   /* Unknown is not pressure */
	assert_int_equal(n.ntaints, 3);
	assert_string_equal(n.taints[0], "node.kubernetes.io/unreachable:NoExecute");
	assert_string_equal(n.taints[2], "node.kubernetes.io/unschedulable:NoSchedule");
	kube_node_done(&n);

	assert_int_equal(kube_decode_node(item(list, "lynx"), &n, &cause), 0);
	assert_int_equal(n.nroles, 1);
	assert_string_equal(n.roles[0], "worker");
	assert_false(n.etcd);
	assert_string_equal(n.arch, "arm64");   /* no label: nodeInfo.architecture */
	assert_int_equal(n.ready, KUBE_FALSE);
	assert_int_equal(n.pressure,
	                 KUBE_PRESSURE_MEMORY | KUBE_PRESSURE_DISK | KUBE_NETWORK_UNAVAILABLE);
	assert_int_equal(n.alloc_cpu_m, 3500);
	assert_int_equal(n.alloc_mem_bytes, INT64_C(7) << 30);
	kube_node_done(&n);
	cJSON_Delete(list);
}

/* ---- pods ---- */

struct pod_case {
	const char *name, *status;
	int ready, containers, restarts;
};

static void test_pod_status_words(void **state)
{
	static const struct pod_case t[] = {
		{"running", "Running", 1, 1, 0},
		{"crashloop", "CrashLoopBackOff", 0, 1, 12},
		{"imagepull", "ImagePullBackOff", 0, 1, 0},
		{"init-0-2", "Init:0/2", 0, 1, 0},
		{"init-crashloop", "Init:CrashLoopBackOff", 0, 1, 4},
		{"init-exitcode", "Init:ExitCode:1", 0, 1, 0},
		{"init-signal", "Init:Signal:9", 0, 1, 0},
		{"terminating", "Terminating", 1, 1, 0},
		{"evicted", "Evicted", 0, 1, 0},
		{"evicted-unknown", "ContainerStatusUnknown", 0, 1, 0},
		{"completed", "Completed", 0, 1, 0},
		{"notready", "NotReady", 1, 2, 0},
		{"completed-running", "Running", 1, 2, 0},
		{"nodelost", "Unknown", 1, 1, 0},
		{"signal", "Signal:9", 0, 1, 0},
		{"exitcode", "ExitCode:2", 0, 1, 0},
		{"pending-unscheduled", "Pending", 0, 1, 0},
		{"gated", "SchedulingGated", 0, 1, 0},
		{"sidecar", "Running", 2, 2, 3},
	};
	cJSON *list = load("pods.json");
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(t); i++) {
		struct kube_pod p;
		char *cause = NULL, *word = kube_pod_status_word(item(list, t[i].name));

		if (strcmp(word, t[i].status) != 0)
			fail_msg("%s: \"%s\", wanted \"%s\"", t[i].name, word, t[i].status);
		free(word);
		assert_int_equal(kube_decode_pod(item(list, t[i].name), &p, &cause), 0);
		assert_string_equal(p.status, t[i].status);
		if (p.ready != t[i].ready || p.containers != t[i].containers ||
		    p.restarts != t[i].restarts)
			fail_msg("%s: %d/%d %d restarts, wanted %d/%d %d", t[i].name, p.ready,
			         p.containers, p.restarts, t[i].ready, t[i].containers, t[i].restarts);
		kube_pod_done(&p);
	}
	cJSON_Delete(list);
}

static void test_pod_fields(void **state)
{
	cJSON *list = load("pods.json");
	struct kube_pod p;
	char *cause = NULL;

	assert_int_equal(kube_decode_pod(item(list, "running"), &p, &cause), 0);
	assert_string_equal(p.ns, "default");
	assert_string_equal(p.uid, "uid-running");
	assert_string_equal(p.node, "neko");
	assert_string_equal(p.phase, "Running");
	assert_string_equal(p.owner_kind, "ReplicaSet");
	assert_string_equal(p.owner_name, "web-7d9f8b6c5d");
	assert_true(p.emptydir);
	assert_false(p.mirror);
	assert_null(p.cnpg_cluster);
	assert_int_equal(p.req_cpu_m, 100);
	assert_int_equal(p.req_mem_bytes, 64 << 20);
	assert_true(p.counts_for_node);
	assert_true(p.healthy);
	assert_int_equal(p.created_ms, INT64_C(1795168800000));
	assert_int_equal(p.deleting_ms, 0);
	assert_null(p.last_reason);
	kube_pod_done(&p);

	/* OOMKilled is in lastState while the state is CrashLoopBackOff */
	assert_int_equal(kube_decode_pod(item(list, "crashloop"), &p, &cause), 0);
	assert_string_equal(p.last_reason, "OOMKilled");
	assert_int_equal(p.last_restart_ms, INT64_C(1795168800000) + 3600000 + 123000);
	assert_false(p.healthy);
	kube_pod_done(&p);

	/* requests: the largest init container beats the sum of the containers */
	assert_int_equal(kube_decode_pod(item(list, "init-0-2"), &p, &cause), 0);
	assert_int_equal(p.req_cpu_m, 500);
	assert_int_equal(p.req_mem_bytes, 256 << 20);
	kube_pod_done(&p);

	/* a sidecar counts with the containers and under each later init one,
	 * plus the pod's overhead */
	assert_int_equal(kube_decode_pod(item(list, "sidecar"), &p, &cause), 0);
	assert_int_equal(p.req_cpu_m, 1210);
	assert_int_equal(p.req_mem_bytes, INT64_C(1125) << 20);
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "completed"), &p, &cause), 0);
	assert_false(p.counts_for_node);
	assert_true(p.healthy);
	assert_string_equal(p.owner_kind, "Job");
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "evicted"), &p, &cause), 0);
	assert_false(p.counts_for_node);
	assert_false(p.healthy);
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "terminating"), &p, &cause), 0);
	assert_true(p.deleting_ms > 0);
	assert_false(p.healthy);
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "pending-unscheduled"), &p, &cause), 0);
	assert_null(p.node);
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "pg-main-1"), &p, &cause), 0);
	assert_string_equal(p.cnpg_cluster, "pg-main");
	assert_true(p.cnpg_primary);
	kube_pod_done(&p);
	assert_int_equal(kube_decode_pod(item(list, "pg-main-2"), &p, &cause), 0);
	assert_false(p.cnpg_primary);
	kube_pod_done(&p);

	assert_int_equal(kube_decode_pod(item(list, "kube-apiserver-neko"), &p, &cause), 0);
	assert_true(p.mirror);
	kube_pod_done(&p);
	cJSON_Delete(list);
}

/* Objects without the fields kitetop needs are refused in words; fields of
 * the wrong type read as absent. */
static void test_hostile(void **state)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"metadata\":[]}", "{\"metadata\":{\"name\":7}}",
		"{\"metadata\":{\"name\":\"\"}}",
	};
	struct kube_pod p;
	struct kube_node n;
	char *cause = NULL;
	size_t i;
	cJSON *o;

	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		o = cJSON_Parse(bad[i]);
		assert_int_equal(kube_decode_pod(o, &p, &cause), -1);
		assert_non_null(cause);
		assert_null(p.name);
		assert_int_equal(kube_decode_node(o, &n, &cause), -1);
		cJSON_Delete(o);
	}
	assert_int_equal(kube_decode_pod(NULL, &p, &cause), -1);
	assert_string_equal(cause, "Pod: not a JSON object");
	free(cause);
	cause = NULL;

	o = cJSON_Parse("{\"metadata\":{\"name\":\"x\",\"labels\":[1]},\"spec\":{\"containers\":{}},"
	                "\"status\":{\"phase\":3,\"containerStatuses\":[null,1,{\"state\":[]},"
	                "{\"restartCount\":-5},{\"restartCount\":1e300}],\"conditions\":7}}");
	assert_int_equal(kube_decode_pod(o, &p, &cause), 0);
	assert_string_equal(p.status, "");
	assert_null(p.phase);
	assert_int_equal(p.containers, 0);
	assert_int_equal(p.restarts, 0);
	kube_pod_done(&p);
	assert_int_equal(kube_decode_node(o, &n, &cause), 0);
	assert_int_equal(n.nroles, 0);
	assert_int_equal(n.alloc_cpu_m, -1);
	kube_node_done(&n);
	cJSON_Delete(o);
}

static void test_usage_version(void **state)
{
	cJSON *list = load("nodemetrics.json");
	struct kube_usage u;
	char *cause = NULL, *v, *text;
	size_t len;

	assert_int_equal(kube_decode_usage(item(list, "ub18"), &u, &cause), 0);
	assert_string_equal(u.node, "ub18");
	assert_int_equal(u.cpu_m, 330);
	assert_int_equal(u.mem_bytes, INT64_C(2748180) * 1024);
	kube_usage_done(&u);
	assert_int_equal(kube_decode_usage(item(list, "neko"), &u, &cause), 0);
	assert_int_equal(u.cpu_m, 1250);
	assert_int_equal(u.mem_bytes, INT64_C(3) << 30);
	kube_usage_done(&u);
	cJSON_Delete(list);

	text = fixture_read("kube", "version.json", &len);
	v = kube_decode_version(text, len);
	assert_string_equal(v, "v1.33.6+k3s1");
	free(v);
	free(text);
	assert_null(kube_decode_version("{\"gitVersion\":1}", 16));
	assert_null(kube_decode_version("nope", 4));
	assert_null(kube_decode_version(NULL, 0));
}

/* A cluster value with one of everything survives a deep copy and both free. */
static void test_cluster_copy(void **state)
{
	cJSON *nodes = load("nodes.json"), *pods = load("pods.json");
	struct kube_cluster *c = xcalloc(1, sizeof *c), *d;
	char *cause = NULL;

	c->name = xstrdup("axiomlayer");
	c->api.version = xstrdup("v1.33.6+k3s1");
	c->nnodes = 2;
	c->nodes = xcalloc(2, sizeof *c->nodes);
	assert_int_equal(kube_decode_node(item(nodes, "neko"), &c->nodes[0], &cause), 0);
	assert_int_equal(kube_decode_node(item(nodes, "bobcat"), &c->nodes[1], &cause), 0);
	c->npods = 1;
	c->pods = xcalloc(1, sizeof *c->pods);
	assert_int_equal(kube_decode_pod(item(pods, "crashloop"), &c->pods[0], &cause), 0);
	c->nproblems = 1;
	c->problems = xcalloc(1, sizeof *c->problems);
	c->problems[0].resource = xstrdup("pods");
	c->problems[0].error = xstrdup("forbidden");
	c->nvolumes = 1;
	c->volumes = xcalloc(1, sizeof *c->volumes);
	c->volumes[0].name = xstrdup("pvc-1");
	c->volumes[0].nreplica_nodes = 1;
	c->volumes[0].replica_nodes = xcalloc(1, sizeof(char *));
	c->volumes[0].replica_nodes[0] = xstrdup("neko");

	d = kube_cluster_copy(c);
	kube_cluster_free(c);
	assert_string_equal(d->name, "axiomlayer");
	assert_int_equal(d->nnodes, 2);
	assert_string_equal(d->nodes[0].roles[1], "etcd");
	assert_string_equal(d->nodes[1].taints[0], "node.kubernetes.io/unreachable:NoExecute");
	assert_string_equal(d->pods[0].last_reason, "OOMKilled");
	assert_string_equal(d->problems[0].error, "forbidden");
	assert_string_equal(d->volumes[0].replica_nodes[0], "neko");
	assert_null(d->workloads);
	kube_cluster_free(d);
	kube_cluster_free(NULL);
	assert_null(kube_cluster_copy(NULL));
	cJSON_Delete(nodes);
	cJSON_Delete(pods);
}

static void test_names(void **state)
{
	assert_string_equal(kube_workload_kind_name(KUBE_STATEFULSET), "StatefulSet");
	assert_string_equal(kube_gitops_kind_name(KUBE_HELMRELEASE), "HelmRelease");
	assert_string_equal(kube_gitops_kind_name(KUBE_APPLICATION), "Application");
	assert_string_equal(kube_rollout_name(KUBE_ROLLOUT_FAILED), "failed");
	assert_string_equal(kube_rollout_name(KUBE_ROLLOUT_PAUSED), "paused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_pod_status_words),
		cmocka_unit_test(test_pod_fields),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_usage_version),
		cmocka_unit_test(test_cluster_copy),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
