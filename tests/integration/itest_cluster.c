/* kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others */
/* Integration of the cluster feed (core/feeds/feed_cluster.c) against the
 * Kubernetes API stand-in (tests/lab/kube-standin.py), reached THROUGH the
 * lab's SSH (monk): the kubeconfig read over SSH, list + watch, a change to
 * the frame within 1 s (measured), a forced 410 relists, bookmarks move the
 * resourceVersion without a relist, a wrong token's 401, a hang's timeout
 * and recovery, a 403's words, failover past a via host that does not
 * answer.  Private stand-ins on 127.0.0.165 and .166; a dead via on .167.
 * Skipped when the lab is not up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/http.h"
#include "backends/kube_client.h"
#include "backends/kubeconfig.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/feeds.h"
#include "core/model/frame.h"

enum { C_MAIN, C_TOKEN, C_DENY, C_FAILOVER, C_EXPIRED, C_CLOSING, C_NARROW, C_SATOKEN, C_RUNOVER, C_HUGE, C_UNREADABLE, NCLUSTERS };

static struct config *cfg;
static struct feeds *feeds;
static char dir[64] = "/tmp/kt-kfeed-XXXXXX";
static char sdir[5][128];
static bool up;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	rc = system(cmd);
	free(cmd);
	return rc;
}

static const char *lib(void)
{
	const char *l = getenv("KT_STANDIN_LIB");

	return l != NULL ? l : "tests/lab/kube-standin-lib";
}

/* POST /_standin/WHAT with body (NULL: none) to stand-in k; 0 on 2xx. */
static int control(int k, const char *what, const char *body)
{
	char bf[256];

	if (body != NULL) {
		snprintf(bf, sizeof bf, "%s/body.json", dir);
		FILE *f = fopen(bf, "w");

		assert_non_null(f);
		fputs(body, f);
		fclose(f);
	}
	return sh(". %s; standin_curl %s '/_standin/%s' -f -o /dev/null -X POST %s%s", lib(), sdir[k], what,
	          body != NULL ? "--data-binary @" : "", body != NULL ? bf : "");
}

static int setup(void **state)
{
	char *cause = NULL, *text;
	FILE *f;

	if (access("tests/lab/run/monk/docker.sock", F_OK) != 0 || access(lib(), R_OK) != 0)
		return 0;
	http_global_init();
	assert_non_null(mkdtemp(dir));
	snprintf(sdir[0], sizeof sdir[0], "%s/s165", dir);
	snprintf(sdir[1], sizeof sdir[1], "%s/s166", dir);
	snprintf(sdir[2], sizeof sdir[2], "%s/s168", dir);
	snprintf(sdir[3], sizeof sdir[3], "%s/s169", dir);
	snprintf(sdir[4], sizeof sdir[4], "%s/s169big", dir);
	if (sh(". %s; standin_start %s 127.0.0.165 6443 --bookmark-ms 300", lib(), sdir[0]) != 0 ||
	    sh(". %s; standin_start %s 127.0.0.166 6443 --rbac-deny list:pods", lib(), sdir[1]) != 0 ||
	    sh(". %s; standin_start %s 127.0.0.168 6443 --expired-server-cert", lib(), sdir[2]) != 0 ||
	    sh(". %s; standin_start %s 127.0.0.169 6443 --watch-close-immediately", lib(), sdir[3]) != 0 ||
	    sh(". %s; standin_start %s 127.0.0.169 6446 --pods-per-node 4000", lib(), sdir[4]) != 0)
		return -1;
	/* a local kubeconfig with a wrong token instead of the client cert */
	if (sh("sed '/^users:/,$d' %s/k3s.yaml > %s/wrong.yaml && printf 'users:\\n- name: default\\n  user:\\n"
	       "    token: not-the-token\\n' >> %s/wrong.yaml && chmod 600 %s/wrong.yaml",
	       sdir[0], dir, dir, dir) != 0 ||
	    sh("cp %s/token %s/sa.token && chmod 600 %s/sa.token", sdir[1], dir, dir) != 0)
		return -1;
	/* a private sshd on 127.0.0.168:2222, the first via of a cluster, stopped
	 * by its pid in test_failover_while_running */
	if (sh("d=%s/sshd; mkdir -p $d/home /run/sshd && chmod 700 $d && "
	       "ssh-keygen -q -t ed25519 -N '' -f $d/host_key && ssh-keygen -q -t ed25519 -N '' -f $d/client && "
	       "cp $d/client.pub $d/authorized_keys && chmod 600 $d/authorized_keys && "
	       "printf 'ListenAddress 127.0.0.168:2222\nHostKey %%s/host_key\nPidFile %%s/sshd.pid\n"
	       "AuthorizedKeysFile %%s/authorized_keys\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n"
	       "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nSetEnv HOME=%%s/home\n' $d $d $d $d "
	       "> $d/sshd_config && echo \"[127.0.0.168]:2222 $(cut -d' ' -f1,2 $d/host_key.pub)\" > $d/known_hosts && "
	       "/usr/sbin/sshd -f $d/sshd_config -E $d/sshd.log && "
	       "for i in $(seq 100); do [ -s $d/sshd.pid ] && break; sleep 0.05; done; [ -s $d/sshd.pid ]", dir) != 0)
		return -1;
	text = xasprintf("[kitetop]\nrefresh = 1\ntimeout = 5\n"
	                 "[host monk]\naddress = 127.0.0.2\nssh = root@127.0.0.2:22\n"
	                 "identity_file = /run/kitetop-lab/operator_ed25519\nknown_hosts = /run/kitetop-lab/known_hosts\n"
	                 "docker = none\n"
	                 "[host dead]\nssh = root@127.0.0.167:22\nidentity_file = /run/kitetop-lab/operator_ed25519\n"
	                 "known_hosts = /run/kitetop-lab/known_hosts\ndocker = none\n"
	                 "[cluster main]\nvia = monk\napi = https://127.0.0.165:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster token]\napi = https://127.0.0.165:6443\nkubeconfig = %s/wrong.yaml\n"
	                 "[cluster deny]\nvia = monk\napi = https://127.0.0.166:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster failover]\nvia = dead, monk\napi = https://127.0.0.165:6443\n"
	                 "kubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster expired]\nvia = monk\napi = https://127.0.0.168:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster closing]\nvia = monk\napi = https://127.0.0.169:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster narrow]\nvia = monk\napi = https://127.0.0.165:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "namespaces = default, longhorn-system\n"
	                 "[cluster satoken]\nvia = monk\napi = https://127.0.0.166:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "token_file = %s/sa.token\n"
	                 "[host priv]\nssh = root@127.0.0.168:2222\nidentity_file = %s/sshd/client\n"
	                 "known_hosts = %s/sshd/known_hosts\ndocker = none\n"
	                 "[cluster runover]\nvia = priv, monk\napi = https://127.0.0.165:6443\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster huge]\nvia = monk\napi = https://127.0.0.169:6446\nkubeconfig = remote:%s/k3s.yaml\n"
	                 "[cluster unreadable]\nvia = monk\napi = https://127.0.0.165:6443\n"
	                 "kubeconfig = remote:/nonexistent/kitetop-test/k3s.yaml\n",
	                 sdir[0], dir, sdir[1], sdir[0], sdir[2], sdir[3], sdir[0], sdir[1], dir, dir, dir, sdir[0],
	                 sdir[4]);
	{
		char path[128];

		snprintf(path, sizeof path, "%s/kitetop.conf", dir);
		f = fopen(path, "w");
		fputs(text, f);
		fclose(f);
		free(text);
		cfg = config_load(path, &cause);
	}
	if (cfg == NULL) {
		print_error("config: %s\n", cause);
		return -1;
	}
	feeds = feeds_new(cfg, NULL);
	if (feeds_start(feeds, &cause) != 0)
		return -1;
	up = true;
	return 0;
}

static int teardown(void **state)
{
	feeds_free(feeds);
	config_free(cfg);
	sh("d=%s/sshd; [ -s $d/sshd.pid ] && { p=$(cat $d/sshd.pid); kill $(ps -o pid= --ppid $p) $p; } 2>/dev/null; "
	   "true", dir);
	if (up) {
		sh(". %s; standin_stop %s; standin_stop %s; standin_stop %s; standin_stop %s; standin_stop %s", lib(),
		   sdir[0], sdir[1], sdir[2], sdir[3], sdir[4]);
		if (getenv("KT_KEEP") == NULL)
			sh("rm -rf %s", dir);
	}
	return 0;
}

typedef bool (*frame_pred)(const struct frame_cluster *c, const void *arg);

/* Waits until pred holds for cluster k's frame, at most ms; the time it took, or -1. */
static int64_t wait_for(int k, frame_pred pred, const void *arg, int64_t ms)
{
	int64_t start = time_mono_ms();

	for (;;) {
		struct frame f;
		bool ok;

		frame_take(&f, feeds);
		ok = pred(&f.clusters[k], arg);
		frame_release(&f);
		if (ok)
			return time_mono_ms() - start;
		if (time_mono_ms() - start > ms)
			return -1;
		time_sleep_ms(5);
	}
}

static void show(int k)
{
	struct frame f;
	const struct frame_cluster *c;

	frame_take(&f, feeds);
	c = &f.clusters[k];
	print_message("cluster %s: error %s, value %s", c->name, c->feed.error != NULL ? c->feed.error : "-",
	              c->value != NULL ? "" : "none\n");
	if (c->value != NULL) {
		print_message("nodes %zu pods %zu workloads %zu events %zu gitops %zu volumes %zu dbs %zu usage %zu "
		              "problems %zu via %s api.error %s\n", c->value->nnodes, c->value->npods,
		              c->value->nworkloads, c->value->nevents, c->value->ngitops, c->value->nvolumes,
		              c->value->ndatabases, c->value->nusage, c->value->nproblems,
		              c->value->api.via != NULL ? c->value->api.via : "-",
		              c->value->api.error != NULL ? c->value->api.error : "-");
		for (size_t i = 0; i < c->value->nproblems; i++)
			print_message("  problem %s: %s\n", c->value->problems[i].resource, c->value->problems[i].error);
	}
	frame_release(&f);
}

static bool all_there(const struct frame_cluster *c, const void *arg)
{
	const struct kube_cluster *v = c->value;

	return v != NULL && v->nnodes > 0 && v->npods > 0 && v->nworkloads > 0 && v->nevents > 0 &&
	       v->ngitops > 0 && v->nvolumes > 0 && v->ndatabases > 0 && v->nusage > 0 && v->api.ok &&
	       v->api.version != NULL;
}

static void test_everything_arrives_through_ssh(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_MAIN, all_there, NULL, 20000) < 0) {
		show(C_MAIN);
		fail_msg("the cluster's objects did not all arrive");
	}
	show(C_MAIN);
	{
		struct frame f;

		frame_take(&f, feeds);
		assert_string_equal(f.clusters[C_MAIN].value->api.via, "monk");
		assert_int_equal(f.clusters[C_MAIN].value->nproblems, 0);
		frame_release(&f);
	}
}

static bool has_pod(const struct frame_cluster *c, const void *arg)
{
	for (size_t i = 0; c->value != NULL && i < c->value->npods; i++)
		if (strcmp(c->value->pods[i].name, arg) == 0)
			return true;
	return false;
}

static bool pod_gone(const struct frame_cluster *c, const void *arg)
{
	return c->value != NULL && !has_pod(c, arg);
}

static void test_change_reaches_the_frame_within_1s(void **state)
{
	static const char pod[] =
		"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"kt-latency-%d\",\"namespace\":\"default\","
		"\"uid\":\"kt-lat-%d\",\"creationTimestamp\":\"2026-12-07T00:00:00Z\"},\"spec\":{\"nodeName\":\"neko\","
		"\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]},\"status\":{\"phase\":\"Pending\"}}";
	int64_t worst = 0, total = 0, after_total = 0;

	if (!up)
		skip();
	assert_true(wait_for(C_MAIN, all_there, NULL, 20000) >= 0);
	for (int i = 0; i < 5; i++) {
		char *body = xasprintf(pod, i, i), name[32];
		int64_t t0 = time_mono_ms(), took;

		snprintf(name, sizeof name, "kt-latency-%d", i);
		assert_int_equal(control(0, "set", body), 0);
		took = wait_for(C_MAIN, has_pod, name, 3000);   /* from the POST's answer */
		assert_true(took >= 0);
		after_total += took;
		print_message("set → frame: %lld ms (%lld ms after the stand-in answered the POST)\n",
		              (long long)(time_mono_ms() - t0), (long long)took);
		took = time_mono_ms() - t0;
		worst = took > worst ? took : worst;
		total += took;
		free(body);
		body = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"%s\"}", name);
		assert_int_equal(control(0, "delete", body), 0);
		assert_true(wait_for(C_MAIN, pod_gone, name, 3000) >= 0);
		free(body);
	}
	print_message("change → frame: mean %lld ms, worst %lld ms (5 changes; from the answer to the POST: "
	              "mean %lld ms)\n", (long long)(total / 5), (long long)worst, (long long)(after_total / 5));
	assert_true(worst < 1000);
}

/* Lines of DIR/requests.jsonl matching all of the words (grep -F each). */
static int count_requests(int k, const char *a, const char *b)
{
	char *cmd = xasprintf("grep -F '%s' %s/requests.jsonl | grep -F -c '%s'", a, sdir[k], b);
	FILE *p = popen(cmd, "r");
	int n = 0;

	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = 0;
		pclose(p);
	}
	free(cmd);
	return n;
}

static int pods_lists(void)
{
	/* a list of pods: /api/v1/pods with limit=, not watch */
	return count_requests(0, "\"/api/v1/pods\"", "limit=");
}

static void test_expire_relists(void **state)
{
	int before;
	int64_t until;

	if (!up)
		skip();
	assert_true(wait_for(C_MAIN, all_there, NULL, 20000) >= 0);
	before = pods_lists();
	assert_true(before >= 1);
	assert_int_equal(control(0, "expire", NULL), 0);
	/* the ERROR 410 comes with the next event: make one */
	assert_int_equal(control(0, "set", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"kt-expire\","
	                                   "\"namespace\":\"default\"},\"spec\":{\"nodeName\":\"neko\",\"containers\":"
	                                   "[{\"name\":\"c\",\"image\":\"x\"}]},\"status\":{\"phase\":\"Running\"}}"), 0);
	for (until = time_mono_ms() + 5000; pods_lists() == before && time_mono_ms() < until;)
		time_sleep_ms(50);
	print_message("pods lists: %d before the 410, %d after\n", before, pods_lists());
	assert_true(pods_lists() > before);
	assert_true(wait_for(C_MAIN, has_pod, "kt-expire", 3000) >= 0);
}

static void test_bookmarks_move_rv_without_relist(void **state)
{
	int lists, bookmarks_before;
	int64_t until;

	if (!up)
		skip();
	assert_true(wait_for(C_MAIN, all_there, NULL, 20000) >= 0);
	time_sleep_ms(1500);   /* bookmarks every 300 ms meanwhile */
	lists = pods_lists();
	bookmarks_before = count_requests(0, "\"/api/v1/pods\"", "watch=1");
	/* bump the resourceVersion with another kind; pods' watch hears only a bookmark */
	assert_int_equal(control(0, "set", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"kt-node\"},"
	                                   "\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"2048Ki\",\"pods\":\"110\"},\"allocatable\":{\"cpu\":\"2\",\"memory\":\"2048Ki\",\"pods\":\"110\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"), 0);
	time_sleep_ms(1000);
	assert_int_equal(control(0, "close-watches", NULL), 0);
	for (until = time_mono_ms() + 5000;
	     count_requests(0, "\"/api/v1/pods\"", "watch=1") == bookmarks_before && time_mono_ms() < until;)
		time_sleep_ms(50);
	assert_true(count_requests(0, "\"/api/v1/pods\"", "watch=1") > bookmarks_before);
	/* rewatched, not relisted; from the RV the bookmark gave (the node's or later) */
	assert_int_equal(pods_lists(), lists);
	assert_int_equal(sh("tail -n 200 %s/requests.jsonl | grep -F '\"/api/v1/pods\"' | grep -F watch=1 | tail -n 1 "
	                    "> %s/lastwatch && grep -F '\"/api/v1/nodes\"' %s/requests.jsonl > /dev/null",
	                    sdir[0], dir, sdir[0]), 0);
	/* the node's resourceVersion is the one the bookmarks carried since */
	assert_int_equal(sh(". %s; rv=$(standin_curl %s /api/v1/nodes/kt-node | grep -o '\"resourceVersion\":\"[0-9]*\"' "
	                    "| head -n 1 | tr -dc 0-9); echo \"node RV $rv; the rewatch: $(grep -o 'resourceVersion=[0-9]*' "
	                    "%s/lastwatch)\" >&2; [ -n \"$rv\" ] && grep -q \"resourceVersion=$rv&\" %s/lastwatch",
	                    lib(), sdir[0], dir, dir), 0);
}

static bool error_has(const struct frame_cluster *c, const void *arg)
{
	return c->feed.error != NULL && strstr(c->feed.error, arg) != NULL;
}

static bool healthy(const struct frame_cluster *c, const void *arg)
{
	return c->feed.polled && c->feed.error == NULL && c->value != NULL && c->value->api.ok;
}

static void test_hang_times_out_and_recovers(void **state)
{
	int64_t t;

	if (!up)
		skip();
	assert_true(wait_for(C_MAIN, all_there, NULL, 20000) >= 0);
	assert_int_equal(control(0, "hang?seconds=12", NULL), 0);
	t = wait_for(C_MAIN, error_has, "timeout", 15000);
	show(C_MAIN);
	print_message("hang → timeout error in the frame: %lld ms\n", (long long)t);
	assert_true(t >= 0 && t < 12000);
	t = wait_for(C_MAIN, healthy, NULL, 30000);
	print_message("then healthy again after %lld ms\n", (long long)t);
	assert_true(t >= 0);
}

static void test_wrong_token_401(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_TOKEN, error_has, "unauthorized (401)", 15000) < 0) {
		show(C_TOKEN);
		fail();
	}
	show(C_TOKEN);
}

static bool problem_has(const struct frame_cluster *c, const void *arg)
{
	for (size_t i = 0; c->value != NULL && i < c->value->nproblems; i++)
		if (strstr(c->value->problems[i].error, arg) != NULL)
			return true;
	return false;
}

static void test_forbidden_words(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_DENY, problem_has, "forbidden (403): cannot list pods (cluster scope)", 15000) < 0) {
		show(C_DENY);
		fail();
	}
	show(C_DENY);
}

static bool via_monk(const struct frame_cluster *c, const void *arg)
{
	return c->value != NULL && c->value->api.via != NULL && strcmp(c->value->api.via, "monk") == 0 &&
	       c->value->nnodes > 0;
}

static void test_failover_to_second_via(void **state)
{
	int64_t t;

	if (!up)
		skip();
	t = wait_for(C_FAILOVER, via_monk, NULL, 20000);
	show(C_FAILOVER);
	print_message("failover past the dead via: %lld ms\n", (long long)t);
	assert_true(t >= 0);
}

static void test_expired_certificate_in_words(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_EXPIRED, error_has, "certificate has expired", 15000) < 0) {
		show(C_EXPIRED);
		fail();
	}
	show(C_EXPIRED);
}

/* A server whose watches close at once: the reflector backs off (1, 2, 4 s
 * ... then a relist), never a tight loop. */
static void test_watch_closing_at_once_backs_off(void **state)
{
	int n1, n2;

	if (!up)
		skip();
	assert_true(wait_for(C_CLOSING, all_there, NULL, 20000) >= 0);
	n1 = count_requests(3, "\"/api/v1/pods\"", "watch=1");
	time_sleep_ms(8000);
	n2 = count_requests(3, "\"/api/v1/pods\"", "watch=1");
	print_message("pods watches closing at once: %d in 8 s (%d requests in all so far)\n", n2 - n1,
	              count_requests(3, "\"method\"", "\"GET\""));
	assert_true(n2 - n1 <= 5);
	show(C_CLOSING);
	assert_true(wait_for(C_CLOSING, problem_has, "the watch closes at once", 1000) >= 0);
}

static bool narrowed(const struct frame_cluster *c, const void *arg)
{
	const struct kube_cluster *v = c->value;
	bool def = false, lh = false;

	if (v == NULL || v->nnodes == 0)
		return false;
	for (size_t i = 0; i < v->npods; i++) {
		if (strcmp(v->pods[i].ns, "default") == 0)
			def = true;
		else if (strcmp(v->pods[i].ns, "longhorn-system") == 0)
			lh = true;
		else
			return false;
	}
	return def && lh;
}

static void test_namespaces_narrow_pods(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_NARROW, narrowed, NULL, 15000) < 0) {
		show(C_NARROW);
		fail();
	}
	show(C_NARROW);
	assert_true(count_requests(0, "\"/api/v1/namespaces/longhorn-system/pods\"", "watch=1") >= 1);
	assert_true(count_requests(0, "\"/api/v1/namespaces/default/events\"", "type%3DWarning") >= 1);
}

static bool has_nodes(const struct frame_cluster *c, const void *arg)
{
	return c->value != NULL && c->value->nnodes > 0 && c->feed.error == NULL;
}

/* token_file with a kubeconfig: its CA, and the token instead of its client
 * certificate (the stand-in names the token's user in requests.jsonl). */
static void test_token_with_the_kubeconfig_ca(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_SATOKEN, has_nodes, NULL, 15000) < 0) {
		show(C_SATOKEN);
		fail();
	}
	assert_true(count_requests(1, "\"/api/v1/nodes\"", "system:serviceaccount:") >= 1);
}

static bool neko_cordoned(const struct frame_cluster *c, const void *arg)
{
	for (size_t i = 0; c->value != NULL && i < c->value->nnodes; i++)
		if (strcmp(c->value->nodes[i].name, "neko") == 0)
			return c->value->nodes[i].unschedulable == *(const bool *)arg;
	return false;
}

/* kube_client_request, as an action calls it (here directly, no SSH): a
 * cordon's merge patch, whose effect comes back through the watch. */
static void test_request_patch_comes_back_through_the_watch(void **state)
{
	struct kube_client *kc;
	struct kube_target t = { 0 };
	struct http_response resp;
	char *text = NULL, *cause = NULL, path[160];
	size_t len = 0;
	bool want = true;
	int64_t took;

	if (!up)
		skip();
	assert_true(wait_for(C_MAIN, all_there, NULL, 20000) >= 0);
	snprintf(path, sizeof path, "%s/k3s.yaml", sdir[0]);
	assert_int_equal(util_read_file(path, 1 << 20, &text, &len, &cause), 0);
	assert_int_equal(kubeconfig_parse(text, len, NULL, NULL, &t.creds, &cause), 0);
	free(text);
	t.api = xstrdup("https://127.0.0.165:6443");
	kc = kube_client_new(NULL, 5000);
	kube_client_set_target(kc, &t);
	http_response_init(&resp);
	for (int k = 0; k < 2; k++) {
		int64_t t0 = time_mono_ms();

		assert_int_equal(kube_client_request(kc, "PATCH", "/api/v1/nodes/neko", "application/merge-patch+json",
		                                     want ? "{\"spec\":{\"unschedulable\":true}}"
		                                          : "{\"spec\":{\"unschedulable\":null}}", &resp, &cause), 0);
		assert_int_equal(resp.status, 200);
		took = wait_for(C_MAIN, neko_cordoned, &want, 3000);
		print_message("PATCH unschedulable=%d → frame: %lld ms\n", want, (long long)(time_mono_ms() - t0));
		assert_true(took >= 0);
		want = !want;
	}
	/* a refusal in words */
	assert_int_equal(kube_client_request(kc, "GET", "/api/v1/namespaces/default/pods/nope", NULL, NULL, &resp,
	                                     &cause), 0);
	assert_int_equal(resp.status, 404);
	http_response_done(&resp);
	kube_client_free(kc);
	free(cause);
}

static bool via_is(const struct frame_cluster *c, const void *arg)
{
	return c->value != NULL && c->value->api.via != NULL && strcmp(c->value->api.via, arg) == 0 &&
	       c->value->nnodes > 0 && c->feed.error == NULL;
}

/* The first via host's sshd stopped (its sessions with it) while the
 * cluster is watched through it: the feed goes on through the second. */
static void test_failover_while_running(void **state)
{
	int64_t t0, t;

	if (!up)
		skip();
	if (wait_for(C_RUNOVER, via_is, "priv", 20000) < 0) {
		show(C_RUNOVER);
		fail_msg("not through the private sshd first");
	}
	t0 = time_mono_ms();
	assert_int_equal(sh("d=%s/sshd; p=$(cat $d/sshd.pid); kill -9 $(ps -o pid= --ppid $p) $p; rm -f $d/sshd.pid",
	                    dir), 0);
	t = wait_for(C_RUNOVER, via_is, "monk", 30000);
	show(C_RUNOVER);
	print_message("first via's sshd killed → the cluster through the second: %lld ms\n",
	              (long long)(time_mono_ms() - t0));
	assert_true(t >= 0);
}

static bool huge_refused(const struct frame_cluster *c, const void *arg)
{
	return c->value != NULL && c->value->nnodes > 0 && c->value->npods == 0 && problem_has(c, arg);
}

/* 16,000 pods (about 40 MB in 32 pages): a problem in words on pods, every
 * other resource there, the other clusters undisturbed. */
static void test_huge_list_refused_in_words(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_HUGE, huge_refused, "the list is over 32 MB", 30000) < 0) {
		show(C_HUGE);
		fail();
	}
	show(C_HUGE);
	assert_true(wait_for(C_MAIN, all_there, NULL, 1000) >= 0);
}

/* Neither cat nor sudo -n cat can read it (missing here: the lab logs in as
 * root, who reads any file): the words say what to do. */
static void test_unreadable_kubeconfig_in_words(void **state)
{
	if (!up)
		skip();
	if (wait_for(C_UNREADABLE, error_has, "k3s.yaml not readable by root on monk: set write-kubeconfig-mode or "
	             "allow sudo -n cat", 15000) < 0) {
		show(C_UNREADABLE);
		fail();
	}
	show(C_UNREADABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everything_arrives_through_ssh),
		cmocka_unit_test(test_change_reaches_the_frame_within_1s),
		cmocka_unit_test(test_expire_relists),
		cmocka_unit_test(test_request_patch_comes_back_through_the_watch),
		cmocka_unit_test(test_bookmarks_move_rv_without_relist),
		cmocka_unit_test(test_wrong_token_401),
		cmocka_unit_test(test_unreadable_kubeconfig_in_words),
		cmocka_unit_test(test_forbidden_words),
		cmocka_unit_test(test_failover_to_second_via),
		cmocka_unit_test(test_failover_while_running),
		cmocka_unit_test(test_expired_certificate_in_words),
		cmocka_unit_test(test_namespaces_narrow_pods),
		cmocka_unit_test(test_huge_list_refused_in_words),
		cmocka_unit_test(test_token_with_the_kubeconfig_ca),
		cmocka_unit_test(test_watch_closing_at_once_backs_off),
		cmocka_unit_test(test_hang_times_out_and_recovers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
