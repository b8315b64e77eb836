/* Unit tests of the clusters in the status JSON and its reader: the recorded
 * axiomlayer frame (tests/fixtures/frames/axiomlayer.json, four nodes, bobcat
 * NotReady and unreachable, a CrashLoopBackOff pod, Argo apps, a degraded
 * Longhorn volume, CloudNativePG) read back into typed values, its verdict,
 * status --json written again byte for byte, the text lines, a cluster the
 * configuration lacks, a cluster whose API is down, and hostile shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/status_json.h"
#include "cli/status_text.h"
#include "core/base/buf.h"
#include "core/config/config.h"
#include "core/model/cluster_nodes.h"
#include "core/model/frame.h"
#include "core/model/frame_json.h"
#include "core/model/verdict.h"
#include "core/model/verdict_cluster.h"
#include "tests/support/fixture.h"

int main(void);

static struct config *cfg;
static char *conf, *doc;
static size_t doclen;

static int setup(void **state)
{
	char *cause = NULL;

	(void)state;
	conf = fixture_read("frames", "axiomlayer.conf", NULL);
	cfg = config_parse(FIXTURE_DIR "/frames/axiomlayer.conf", conf, strlen(conf), &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	doc = fixture_read("frames", "axiomlayer.json", &doclen);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(cfg);
	free(conf);
	free(doc);
	return 0;
}

static void read_ok(struct frame *f, const char *json, size_t len)
{
	char *cause = NULL;

	if (frame_json_read(f, cfg, json, len, &cause) != 0)
		fail_msg("frame_json_read: %s", cause);
}

static void test_values(void **state)
{
	struct frame f;
	const struct kube_cluster *k;
	struct cluster_node_sum s;
	const struct kube_pod **pods;
	size_t n;

	(void)state;
	read_ok(&f, doc, doclen);
	/* not in the configuration (no [cluster] there): added from the document */
	assert_int_equal(f.nclusters, 1);
	assert_string_equal(f.clusters[0].name, "axiomlayer");
	assert_null(f.clusters[0].cfg);
	assert_true(f.clusters[0].feed.configured && f.clusters[0].feed.polled);
	assert_null(f.clusters[0].feed.error);
	k = f.clusters[0].value;
	assert_non_null(k);
	assert_true(k->api.ok);
	assert_string_equal(k->api.version, "v1.33.6+k3s1");
	assert_int_equal(k->api.etcd_members, 2);
	assert_int_equal(k->nnodes, 4);
	assert_string_equal(k->nodes[3].name, "bobcat");
	assert_int_equal(k->nodes[3].ready, KUBE_FALSE);
	assert_true(k->nodes[0].etcd);
	assert_false(k->nodes[2].etcd);
	cluster_node_sum(&f, k, 0, &s);
	assert_ptr_equal(s.host, &f.hosts[0]);
	assert_int_equal(s.pods, 34);
	assert_int_equal(s.pods_max, 110);
	assert_true(s.cpu_pct == 38.0 && s.mem_pct == 61.0 && s.req_cpu_pct == 62.0 && s.req_mem_pct == 48.0);
	cluster_node_sum(&f, k, 3, &s);
	assert_true(s.cpu_pct != s.cpu_pct);   /* no usage for bobcat */
	assert_int_equal(s.pods, 11);
	/* neko's pods, worst first: the crash, then the healthy not listed */
	pods = cluster_node_pods(k, "neko", &n);
	assert_int_equal(n, 1);
	assert_string_equal(pods[0]->status, "CrashLoopBackOff");
	assert_string_equal(pods[0]->last_reason, "OOMKilled");
	assert_int_equal(pods[0]->restarts, 14);
	assert_int_equal(pods[0]->created_ms, f.taken_ms - 3600 * 1000LL);
	free(pods);
	assert_int_equal(k->nworkloads, 4);
	assert_int_equal(k->workloads[0].state, KUBE_ROLLOUT_FAILED);
	assert_int_equal(k->ngitops, 7);
	assert_int_equal(k->gitops[6].kind, KUBE_APPLICATION);
	assert_string_equal(k->gitops[6].health, "Degraded");
	assert_int_equal(k->nvolumes, 3);
	assert_string_equal(k->volumes[1].robustness, "degraded");
	assert_int_equal(k->ndatabases, 1);
	assert_string_equal(k->databases[0].primary_node, "neko");
	assert_int_equal(k->nevents, 2);
	assert_string_equal(k->events[0].reason, "BackOff");
	frame_release(&f);
}

static void test_verdict(void **state)
{
	struct frame f;
	struct buf why;
	char *worst = NULL;

	(void)state;
	buf_init(&why);
	read_ok(&f, doc, doclen);
	assert_int_equal(verdict_cluster_level(&f.clusters[0], f.taken_ms, &why), VERDICT_CRIT);
	assert_string_equal(buf_cstr(&why),
	                    "axiomlayer: bobcat NotReady\n"
	                    "axiomlayer: Deployment n8n/n8n rollout failed (0/1 ready)\n"
	                    "axiomlayer: n8n/n8n-7c9d8f-q8zx CrashLoopBackOff (OOMKilled), 14 restarts\n"
	                    "axiomlayer: plane/plane-api-58f6d9-zx2lm not ready 0/1\n"
	                    "axiomlayer: Application n8n Degraded: Deployment/n8n: progress deadline exceeded\n"
	                    "axiomlayer: volume pvc-n8n-data degraded, 2/3 replicas\n");
	/* the header: bobcat unreachable is the worst (crit, prio of a host down) */
	assert_int_equal(verdict_overall_worst(&f, NULL, &worst, NULL), VERDICT_CRIT);
	assert_non_null(strstr(worst, "bobcat: unreachable"));
	free(worst);
	buf_done(&why);
	frame_release(&f);
}

static void test_round_trip_and_text(void **state)
{
	struct frame f;
	char *again;
	struct buf text;

	(void)state;
	read_ok(&f, doc, doclen);
	again = status_json(&f);
	assert_string_equal(again, doc);
	free(again);
	buf_init(&text);
	status_text(&f, &text);
	assert_non_null(strstr(buf_cstr(&text), "\ncluster axiomlayer: crit  k8s v1.33.6+k3s1  api via neko  etcd 2"
	                       " (even: losing either member stops the API)\n"));
	assert_non_null(strstr(buf_cstr(&text), "  node neko         Ready  cpu 38%  mem 61%  req cpu 62%  req mem 48%"
	                       "  pods 34/110\n"));
	assert_non_null(strstr(buf_cstr(&text), "  node bobcat       NotReady  cpu ?  mem ?"));
	assert_non_null(strstr(buf_cstr(&text), "  pod n8n/n8n-7c9d8f-q8zx on neko: CrashLoopBackOff 0/1, 14 restarts,"
	                       " last OOMKilled\n"));
	buf_done(&text);
	frame_release(&f);
}

/* status --all: the healthy pods with a name too, after those in trouble. */
static void test_all_pods(void **state)
{
	static const char two[] =
		"{\"hosts\":[],\"clusters\":[{\"name\":\"c\",\"error\":null,\"api\":{\"ok\":true},"
		"\"nodes\":[{\"name\":\"n1\",\"ready\":true,\"pods\":2}],"
		"\"pods\":[{\"namespace\":\"a\",\"name\":\"fine\",\"node\":\"n1\",\"status\":\"Running\",\"ready\":\"1/1\"},"
		"{\"namespace\":\"a\",\"name\":\"bad\",\"node\":\"n1\",\"status\":\"Error\",\"ready\":\"0/1\"}]}]}";
	struct frame f;
	char *some, *all;

	(void)state;
	read_ok(&f, two, strlen(two));
	some = status_json(&f);
	all = status_json_all(&f, true);
	assert_null(strstr(some, "\"fine\""));
	assert_non_null(strstr(some, "\"bad\""));
	assert_non_null(strstr(all, "\"fine\""));
	assert_true(strstr(all, "\"bad\"") < strstr(all, "\"fine\""));
	/* the two pods listed are the node's two: no nameless one made up */
	assert_int_equal(f.clusters[0].value->npods, 2);
	free(some);
	free(all);
	frame_release(&f);
}

/* The API down, with and without a last value; not answered yet. */
static void test_api_down(void **state)
{
	static const char down[] =
		"{\"generated_at\":\"2026-12-07T01:30:00Z\",\"hosts\":[],\"clusters\":["
		"{\"name\":\"a\",\"error\":\"dial 127.0.0.1:6443: connection refused\",\"api\":null,\"nodes\":null},"
		"{\"name\":\"b\",\"error\":\"no answer yet\",\"api\":null},"
		"{\"name\":\"c\",\"error\":\"timeout\",\"api\":{\"ok\":true,\"etcd_members\":0},"
		"\"nodes\":[{\"name\":\"n1\",\"ready\":true,\"pods\":3}]},"
		"{\"name\":\"d\",\"error\":\"etcd quorum lost (1/2)\",\"api\":{\"ok\":false}}]}";
	struct frame f;
	struct buf why;
	char *out;

	(void)state;
	buf_init(&why);
	read_ok(&f, down, strlen(down));
	assert_int_equal(f.nclusters, 4);
	assert_string_equal(f.clusters[0].feed.error, "dial 127.0.0.1:6443: connection refused");
	assert_null(f.clusters[0].value);
	assert_false(f.clusters[1].feed.polled);
	assert_string_equal(f.clusters[2].feed.error, "timeout");
	assert_true(f.clusters[2].feed.stale);
	assert_int_equal(f.clusters[2].value->nnodes, 1);
	assert_null(f.clusters[3].feed.error);
	assert_string_equal(f.clusters[3].value->api.error, "etcd quorum lost (1/2)");
	assert_int_equal(verdict_overall(&f, &why), VERDICT_CRIT);
	/* the configured hosts, absent from the document, are still connecting */
	assert_non_null(strstr(buf_cstr(&why), "bobcat: unreachable: connecting\na: API down: dial 127.0.0.1:6443: connection refused\n"
	                    "b: API: no answer yet\nc: API down: timeout\nd: API down: etcd quorum lost (1/2)\n"));
	out = status_json(&f);
	assert_non_null(strstr(out, "\"name\":\t\"d\",\n\t\t\t\"error\":\t\"etcd quorum lost (1/2)\""));
	assert_non_null(strstr(out, "\"name\":\t\"b\",\n\t\t\t\"error\":\t\"no answer yet\",\n\t\t\t\"api\":\tnull"));
	free(out);
	buf_done(&why);
	frame_release(&f);
}

/* No [cluster] and no "clusters": null, and none in the frame. */
static void test_none(void **state)
{
	static const char none[] = "{\"hosts\":[],\"clusters\":null}";
	struct frame f;
	char *out;

	(void)state;
	read_ok(&f, none, strlen(none));
	assert_int_equal(f.nclusters, 0);
	out = status_json(&f);
	assert_non_null(strstr(out, "\"clusters\":\tnull\n}"));
	free(out);
	frame_release(&f);
}

static void test_hostile(void **state)
{
	static const char *const bad[] = {
		"{\"hosts\":[],\"clusters\":{\"name\":\"x\"}}",
		"{\"hosts\":[],\"clusters\":[1,\"x\",null,{\"name\":7},{\"name\":\"x\",\"api\":[]}]}",
		"{\"hosts\":[],\"clusters\":[{\"name\":\"x\",\"api\":{\"ok\":true},\"nodes\":[{\"name\":null,"
		"\"roles\":[1,null,\"etcd\"],\"pods\":99999999,\"pods_max\":-3,\"req_cpu_pct\":1e308,"
		"\"cpu_pct\":\"x\"}],\"pods\":[{\"ready\":\"9/x\",\"age_s\":-1,\"node\":\"?\"},7],"
		"\"events\":[{\"time\":\"yesterday\",\"count\":-1}],\"workloads\":[{\"kind\":3}]}]}",
		"{\"hosts\":[],\"clusters\":[{\"name\":\"x\",\"api\":{\"ok\":true}},{\"name\":\"x\",\"api\":{\"ok\":true}}]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct frame f;
		struct buf t;
		char *out;

		read_ok(&f, bad[i], strlen(bad[i]));
		assert_true(f.nclusters <= 2);
		out = status_json(&f);
		free(out);
		buf_init(&t);
		status_text(&f, &t);
		buf_done(&t);
		verdict_overall(&f, NULL);
		frame_release(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_round_trip_and_text),
		cmocka_unit_test(test_all_pods),
		cmocka_unit_test(test_api_down),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
