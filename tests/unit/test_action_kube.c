/* Unit tests: the Kubernetes actions' runner (core/actions/action_kube*)
 * through core/action's thread, against a small in-process API that keeps a
 * node, its pods and a Deployment and answers as the apiserver does (201
 * eviction, 429 while a disruption budget holds a pod, 404 once gone).  The
 * wire against the stand-in API over SSH is tests/integration/kube_actions_lab.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/actions/action_kube.h"
#include "core/config/config.h"
#include "core/base/buf.h"
#include "core/base/timeutil.h"
#include "core/base/util.h"

static char tmpdir[64];
static struct config *cfg;

struct fpod {
	const char *ns, *name, *uid, *owner;
	bool present;
	int held;                   /* 429s still to answer (-1: for ever) */
	int linger;                 /* GETs answered 200 after the eviction */
	bool evicted;
};

struct fake {
	struct kube_api api;
	bool unsched;
	bool paused;
	char restarted[64];
	int generation;
	struct fpod pods[4];
	size_t npods;
	struct buf log;             /* "METHOD PATH BODY\n" of every request */
	bool no_answer;             /* every request: no answer */
};

static void reply(struct kube_reply *r, long status, char *body)
{
	r->status = status;
	r->body = body;
	r->len = strlen(body);
}

static char *pod_json(const struct fpod *p)
{
	return xasprintf("{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\"%s%s%s},"
	                 "\"spec\":{\"nodeName\":\"panther\"},\"status\":{\"phase\":\"Running\"}}",
	                 p->name, p->ns, p->uid,
	                 p->owner != NULL ? ",\"ownerReferences\":[{\"kind\":\"" : "",
	                 p->owner != NULL ? p->owner : "",
	                 p->owner != NULL ? "\",\"name\":\"o\",\"controller\":true}]" : "");
}

static char *node_json(const struct fake *f)
{
	return xasprintf("{\"metadata\":{\"name\":\"panther\"},\"spec\":{%s},\"status\":"
	                 "{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
	                 f->unsched ? "\"unschedulable\":true" : "");
}

static char *deploy_json(const struct fake *f)
{
	return xasprintf("{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":"
	                 "\"default\",\"generation\":%d},\"spec\":{\"replicas\":1,\"paused\":%s,"
	                 "\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/"
	                 "restartedAt\":\"%s\"}}}},\"status\":{\"observedGeneration\":%d,\"replicas\":1,"
	                 "\"updatedReplicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}",
	                 f->generation, f->paused ? "true" : "false", f->restarted, f->generation);
}

static struct fpod *find_pod(struct fake *f, const char *path)
{
	for (size_t i = 0; i < f->npods; i++) {
		char *p = xasprintf("/api/v1/namespaces/%s/pods/%s", f->pods[i].ns, f->pods[i].name);
		bool match = strncmp(path, p, strlen(p)) == 0;

		free(p);
		if (match)
			return &f->pods[i];
	}
	return NULL;
}

static int fake_request(struct kube_api *api, const struct kube_request *req,
                        const atomic_int *cancel, struct kube_reply *r, char **cause)
{
	struct fake *f = (struct fake *)api;
	const char *path = req->path;
	struct fpod *p;

	buf_printf(&f->log, "%s %s %s\n", req->method, path, req->body != NULL ? req->body : "");
	if (f->no_answer) {
		util_set_cause(cause, "the link died");
		return -1;
	}
	if (strcmp(req->method, "GET") == 0 && strncmp(path, "/api/v1/nodes?", 14) == 0) {
		char *n = node_json(f);

		reply(r, 200, xasprintf("{\"items\":[%s]}", n));
		free(n);
	} else if (strncmp(path, "/api/v1/nodes/panther", 21) == 0) {
		if (strcmp(req->method, "PATCH") == 0)
			f->unsched = strstr(req->body, "true") != NULL;
		reply(r, 200, node_json(f));
	} else if (strncmp(path, "/api/v1/nodes/", 14) == 0) {
		reply(r, 404, xstrdup("{\"kind\":\"Status\",\"reason\":\"NotFound\",\"message\":"
		                      "\"nodes \\\"x\\\" not found\",\"code\":404}"));
	} else if (strncmp(path, "/api/v1/pods?", 13) == 0) {
		struct buf b;

		buf_init(&b);
		buf_puts(&b, "{\"items\":[");
		for (size_t i = 0, n = 0; i < f->npods; i++) {
			char *j;

			if (!f->pods[i].present)
				continue;
			j = pod_json(&f->pods[i]);
			buf_printf(&b, "%s%s", n++ > 0 ? "," : "", j);
			free(j);
		}
		buf_puts(&b, "]}");
		reply(r, 200, buf_steal(&b));
	} else if ((p = find_pod(f, path)) != NULL && strcmp(req->method, "POST") == 0) {
		if (!p->present)
			reply(r, 404, xstrdup("{\"kind\":\"Status\",\"code\":404}"));
		else if (p->held != 0) {
			if (p->held > 0)
				p->held--;
			reply(r, 429, xstrdup("{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":"
			                      "\"Cannot evict pod as it would violate the pod's disruption "
			                      "budget.\",\"reason\":\"TooManyRequests\",\"details\":{\"causes\":"
			                      "[{\"reason\":\"DisruptionBudget\",\"message\":\"The disruption "
			                      "budget im-pdb needs 1 healthy pods and has 1 currently\"}]},"
			                      "\"code\":429}"));
		} else {
			p->evicted = true;
			reply(r, 201, xstrdup("{\"kind\":\"Status\",\"status\":\"Success\"}"));
		}
	} else if (p != NULL) {
		if (p->present && p->evicted && p->linger-- <= 0)
			p->present = false;
		if (p->present)
			reply(r, 200, pod_json(p));
		else
			reply(r, 404, xstrdup("{\"kind\":\"Status\",\"code\":404}"));
	} else if (strncmp(path, "/apis/apps/v1/namespaces/default/deployments/web", 48) == 0) {
		if (strcmp(req->method, "PATCH") == 0) {
			const char *at = strstr(req->body, "restartedAt\":\"");

			util_strlcpy(f->restarted, at + 14, 21);
			f->generation++;
		}
		reply(r, 200, deploy_json(f));
	} else {
		reply(r, 404, xstrdup("{\"kind\":\"Status\",\"reason\":\"NotFound\",\"code\":404}"));
	}
	return 0;
}

static void fake_free(struct kube_api *api)
{
	(void)api;   /* the test's, on its stack */
}

static struct fake fake;

static struct kube_api *fake_open(void *arg, const atomic_int *cancel, char **cause)
{
	return &((struct fake *)arg)->api;
}

static void fake_reset(void)
{
	buf_done(&fake.log);
	memset(&fake, 0, sizeof fake);
	fake.api.request = fake_request;
	fake.api.free = fake_free;
	buf_init(&fake.log);
	fake.generation = 1;
	util_strlcpy(fake.restarted, "2026-01-01T00:00:00Z", sizeof fake.restarted);
	fake.pods[0] = (struct fpod){ "default", "web-abc12", "u1", "ReplicaSet", true, 0, 1, false };
	fake.pods[1] = (struct fpod){ "longhorn-system", "longhorn-manager-x1", "u2", "DaemonSet", true,
	                              0, 0, false };
	fake.pods[2] = (struct fpod){ "longhorn-system", "instance-manager-a", "u3", "ReplicaSet", true,
	                              2, 0, false };
	fake.npods = 3;
}

static char *audit_text(void)
{
	char *path = xasprintf("%s/audit.log", tmpdir), *text = NULL;
	size_t len;

	if (util_read_file(path, 1 << 20, &text, &len, NULL) != 0)
		text = xstrdup("");
	free(path);
	return text;
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int setup(void **state)
{
	util_strlcpy(tmpdir, "/tmp/kt-akube-XXXXXX", sizeof tmpdir);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	cfg = config_default();
	free(cfg->audit_log);
	cfg->audit_log = xasprintf("%s/audit.log", tmpdir);
	buf_init(&fake.log);
	return 0;
}

static int teardown(void **state)
{
	unlink(cfg->audit_log);
	rmdir(tmpdir);
	config_free(cfg);
	buf_done(&fake.log);
	return 0;
}

/* Runs req to its end: the status, the plan in *plan (may be NULL). */
static void run(struct kube_action_req *req, struct action_status *st, char **plan)
{
	struct kube_action_out out = { 0 };
	struct action *a;

	req->cluster = "c";
	req->user = "kite";
	req->retry_ms = 20;
	req->poll_ms = 10;
	a = action_kube_start(cfg, req, fake_open, &fake, &out, NULL);
	action_wait(a);
	action_status(a, st);
	action_free(a);
	if (plan != NULL)
		*plan = out.plan;
	else
		free(out.plan);
}

static void test_cordon_then_uncordon(void **state)
{
	struct kube_action_req req = { .verb = KUBE_CORDON, .node = "panther" };
	struct action_status st;
	char *audit;

	fake_reset();
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_OK);
	assert_string_equal(st.message, "panther cordoned (spec.unschedulable true)");
	assert_true(fake.unsched);
	assert_non_null(strstr(buf_cstr(&fake.log),
	                       "PATCH /api/v1/nodes/panther?fieldManager=kitetop "
	                       "{\"spec\":{\"unschedulable\":true}}\n"));
	/* again: nothing to do, nothing sent */
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_OK);
	assert_non_null(strstr(st.message, "panther is already cordoned"));
	assert_int_equal(count(buf_cstr(&fake.log), "PATCH"), 1);
	req.verb = KUBE_UNCORDON;
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_OK);
	assert_false(fake.unsched);
	assert_non_null(strstr(buf_cstr(&fake.log), "{\"spec\":{\"unschedulable\":null}}"));
	audit = audit_text();
	/* started, ok; the no-op's started, ok (nothing sent) */
	assert_int_equal(count(audit, "\"action\":\"cordon\""), 4);
	assert_int_equal(count(audit, "\"action\":\"uncordon\""), 2);
	assert_int_equal(count(audit, "\"host\":\"c\",\"target\":\"node/panther\""), 6);
	free(audit);
}

static void test_unknown_node_and_dry_run(void **state)
{
	struct kube_action_req req = { .verb = KUBE_CORDON, .node = "cheetah" };
	struct action_status st;
	char *plan;

	fake_reset();
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_FAILED);
	assert_string_equal(st.message, "no node cheetah in cluster c");
	req.node = "panther";
	req.dry_run = true;
	run(&req, &st, &plan);
	assert_int_equal(st.result, ACTION_OK);
	assert_non_null(strstr(st.message, "dry run: would cordon node/panther on c"));
	assert_string_equal(plan, "PATCH /api/v1/nodes/panther?fieldManager=kitetop  "
	                    "application/strategic-merge-patch+json  {\"spec\":{\"unschedulable\":true}}\n");
	free(plan);
	assert_int_equal(count(buf_cstr(&fake.log), "PATCH"), 0);
	assert_false(fake.unsched);
}

static void test_read_only_refuses_before_any_request(void **state)
{
	struct kube_action_req req = { .verb = KUBE_DRAIN, .node = "panther" };
	struct action_status st;
	char *audit;

	fake_reset();
	cfg->read_only = true;
	run(&req, &st, NULL);
	cfg->read_only = false;
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_string_equal(st.message, "read-only");
	assert_string_equal(buf_cstr(&fake.log), "");
	audit = audit_text();
	assert_non_null(strstr(audit, "\"action\":\"drain-node\",\"forced\":false,\"result\":\"refused\""));
	free(audit);
}

static void test_drain_retries_429_then_ends(void **state)
{
	struct kube_action_req req = { .verb = KUBE_DRAIN, .node = "panther", .wait_ms = 5000 };
	struct action_status st;
	char *plan;

	fake_reset();
	run(&req, &st, &plan);
	assert_int_equal(st.result, ACTION_OK);
	assert_string_equal(st.message, "panther drained: 2 evicted, 1 DaemonSet pod left");
	assert_true(fake.unsched);
	/* the held pod: asked three times (two 429s, then 201) */
	assert_int_equal(count(buf_cstr(&fake.log), "POST /api/v1/namespaces/longhorn-system/pods/"
	                       "instance-manager-a/eviction"), 3);
	assert_int_equal(count(buf_cstr(&fake.log), "longhorn-manager-x1/eviction"), 0);
	assert_non_null(strstr(plan, "Drain panther: cordon it, then evict 2 pods"));
	assert_non_null(strstr(plan, "stay (DaemonSet) (1): longhorn-system/longhorn-manager-x1"));
	assert_non_null(strstr(plan, "POST /api/v1/namespaces/default/pods/web-abc12/eviction  "
	                       "application/json  {\"kind\":\"Eviction\""));
	free(plan);
	/* the pod that lingered was asked for until gone */
	assert_true(count(buf_cstr(&fake.log), "GET /api/v1/namespaces/default/pods/web-abc12") >= 2);
}

static void test_drain_times_out_truthfully(void **state)
{
	struct kube_action_req req = { .verb = KUBE_DRAIN, .node = "panther", .wait_ms = 300 };
	struct action_status st;
	char *audit;

	fake_reset();
	fake.pods[2].held = -1;   /* the budget never allows it */
	fake.pods[0].linger = 0;
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_FAILED);
	assert_string_equal(st.message, "timed out: 1 pod not evicted (a disruption budget holds it): "
	                    "longhorn-system/instance-manager-a (1 evicted; panther stays cordoned)");
	assert_true(fake.unsched);
	audit = audit_text();
	assert_non_null(strstr(audit, "\"result\":\"failed\",\"error\":\"timed out: 1 pod not evicted"));
	free(audit);
}

static void test_drain_refuses_unmanaged_without_force(void **state)
{
	struct kube_action_req req = { .verb = KUBE_DRAIN, .node = "panther", .wait_ms = 2000 };
	struct action_status st;

	fake_reset();
	fake.pods[3] = (struct fpod){ "default", "bare", "u4", NULL, true, 0, 0, false };
	fake.npods = 4;
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_non_null(strstr(st.message, "drain of panther refused: 1 pod without a controller "
	                       "(default/bare)"));
	assert_false(fake.unsched);
	assert_int_equal(count(buf_cstr(&fake.log), "POST"), 0);
	req.force = true;
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_OK);
	assert_string_equal(st.message, "panther drained: 3 evicted, 1 DaemonSet pod left");
}

static void test_drain_cancel_stops(void **state)
{
	struct kube_action_req req = { .verb = KUBE_DRAIN, .node = "panther", .wait_ms = 60000,
	                               .cluster = "c", .user = "kite", .retry_ms = 5000 };
	struct kube_action_out out = { 0 };
	struct action_status st;
	struct action *a;
	int64_t t0;
	char *audit;

	fake_reset();
	fake.pods[2].held = -1;
	a = action_kube_start(cfg, &req, fake_open, &fake, &out, NULL);
	for (int i = 0; i < 400; i++) {
		action_status(a, &st);
		if (strstr(st.progress, "(retry 1)") != NULL)
			break;
		time_sleep_ms(10);
	}
	assert_non_null(strstr(st.progress, "waiting: longhorn-system/instance-manager-a: The "
	                       "disruption budget im-pdb needs 1 healthy pods and has 1 currently "
	                       "(retry 1)"));
	t0 = time_mono_ms();
	action_free(a);   /* Esc */
	assert_true(time_mono_ms() - t0 < 1000);
	free(out.plan);
	audit = audit_text();
	assert_non_null(strstr(audit, "\"result\":\"failed\",\"error\":\"cancelled: 1 pod not evicted"));
	free(audit);
}

static void test_rollout_restart(void **state)
{
	struct kube_action_req req = { .verb = KUBE_RESTART };
	struct action_status st;
	char *cause = NULL;

	fake_reset();
	assert_int_equal(kube_ref_parse("deploy/default/web", false, &req.ref, &cause), 0);
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_OK);
	assert_non_null(strstr(st.message, "Deployment/default/web restarted (restartedAt 20"));
	assert_non_null(strstr(st.message, "rollout done, 1/1 ready"));
	assert_non_null(strstr(buf_cstr(&fake.log), "PATCH /apis/apps/v1/namespaces/default/deployments/"
	                       "web?fieldManager=kitetop {\"spec\":{\"template\":{\"metadata\":"
	                       "{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"20"));
	fake.paused = true;
	run(&req, &st, NULL);
	assert_int_equal(st.result, ACTION_REFUSED);
	assert_non_null(strstr(st.message, "paused"));
	assert_int_equal(count(buf_cstr(&fake.log), "PATCH"), 1);
}

static void test_no_answer_is_unknown(void **state)
{
	struct kube_action_req req = { .verb = KUBE_CORDON, .node = "panther" };
	struct action_status st;

	fake_reset();
	fake.no_answer = true;
	run(&req, &st, NULL);
	/* nothing was sent: the check could not look */
	assert_int_equal(st.result, ACTION_FAILED);
	assert_non_null(strstr(st.message, "no answer: the link died"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cordon_then_uncordon),
		cmocka_unit_test(test_unknown_node_and_dry_run),
		cmocka_unit_test(test_read_only_refuses_before_any_request),
		cmocka_unit_test(test_drain_retries_429_then_ends),
		cmocka_unit_test(test_drain_times_out_truthfully),
		cmocka_unit_test(test_drain_refuses_unmanaged_without_force),
		cmocka_unit_test(test_drain_cancel_stops),
		cmocka_unit_test(test_rollout_restart),
		cmocka_unit_test(test_no_answer_is_unknown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
