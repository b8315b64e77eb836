/* kube_decode_pod — a core/v1 Pod into struct kube_pod (kube_decode.h), with
 * kubectl's STATUS word, READY and RESTARTS columns (the algorithm of
 * kubectl get pods' printer, below) and the resource requests kubectl
 * describe node charges the pod with. */
#include "backends/kube_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode_internal.h"
#include "core/base/util.h"

/* What kubectl get pods prints of a pod. */
struct pod_print {
	char reason[160];       /* the STATUS word */
	int ready, total;       /* READY */
	int restarts;           /* RESTARTS */
};

static bool str_is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

/* The spec of the init container named name, or NULL. */
static const cJSON *init_spec(const cJSON *spec, const char *name)
{
	const cJSON *c;

	if (name == NULL)
		return NULL;
	cJSON_ArrayForEach(c, kd_arr(spec, "initContainers"))
		if (str_is(kd_str(c, "name"), name))
			return c;
	return NULL;
}

/* A sidecar: an init container with restartPolicy Always. */
static bool restartable(const cJSON *init)
{
	return str_is(kd_str(init, "restartPolicy"), "Always");
}

static bool cond_true(const cJSON *status, const char *type)
{
	return kd_tri(kd_cond(status, type)) == KUBE_TRUE;
}

static int restart_count(const cJSON *cs)
{
	return (int)kd_int(cs, "restartCount", 0, 1000000000, 0);
}

/* A terminated state's word: its reason, else Signal:N, else ExitCode:N
 * (with prefix "Init:" for an init container). */
static void terminated_word(const cJSON *term, const char *prefix, char *out, size_t n)
{
	const char *reason = kd_nstr(term, "reason");
	int64_t sig = kd_int(term, "signal", INT32_MIN, INT32_MAX, 0);

	if (reason != NULL)
		snprintf(out, n, "%s%.120s", prefix, reason);
	else if (sig != 0)
		snprintf(out, n, "%sSignal:%d", prefix, (int)sig);
	else
		snprintf(out, n, "%sExitCode:%d", prefix,
		         (int)kd_int(term, "exitCode", INT32_MIN, INT32_MAX, 0));
}

/* kubectl's printer of a pod: the phase or status.reason to start with;
 * the first init container not done decides ("Init:<reason>",
 * "Init:Signal:N", "Init:ExitCode:N", "Init:i/n"); otherwise the
 * containers, walked from the last to the first, each replacing the word
 * with its waiting reason, its terminated reason, or Signal:N/ExitCode:N,
 * while the running and ready ones are counted; "Completed" with a
 * container still running reads Running (NotReady when the pod's Ready
 * condition is not True); a pod being deleted reads Terminating, or Unknown
 * when its node was lost. */
static void print_pod(const cJSON *pod, struct pod_print *pp)
{
	const cJSON *spec = kd_obj(pod, "spec"), *status = kd_obj(pod, "status");
	const cJSON *meta = kd_obj(pod, "metadata"), *c;
	const char *phase = kd_str(status, "phase"), *sreason = kd_nstr(status, "reason");
	int ninit = cJSON_GetArraySize(kd_arr(spec, "initContainers"));
	int sidecar_restarts = 0, i, n;
	bool initializing = false;

	memset(pp, 0, sizeof *pp);
	snprintf(pp->reason, sizeof pp->reason, "%.120s",
	         sreason != NULL ? sreason : phase != NULL ? phase : "");
	cJSON_ArrayForEach(c, kd_arr(status, "conditions"))
		if (str_is(kd_str(c, "type"), "PodScheduled") &&
		    str_is(kd_str(c, "reason"), "SchedulingGated"))
			snprintf(pp->reason, sizeof pp->reason, "SchedulingGated");

	pp->total = cJSON_GetArraySize(kd_arr(spec, "containers"));
	cJSON_ArrayForEach(c, kd_arr(spec, "initContainers"))
		if (restartable(c))
			pp->total++;

	i = 0;
	cJSON_ArrayForEach(c, kd_arr(status, "initContainerStatuses")) {
		const cJSON *state = kd_obj(c, "state");
		const cJSON *term = kd_obj(state, "terminated"), *wait = kd_obj(state, "waiting");
		bool sidecar = restartable(init_spec(spec, kd_str(c, "name")));
		const char *wreason = kd_nstr(wait, "reason");

		pp->restarts += restart_count(c);
		if (sidecar)
			sidecar_restarts += restart_count(c);
		if (term != NULL && kd_int(term, "exitCode", INT32_MIN, INT32_MAX, 0) == 0) {
			i++;
			continue;
		}
		if (sidecar && kd_bool(c, "started")) {
			if (kd_bool(c, "ready"))
				pp->ready++;
			i++;
			continue;
		}
		if (term != NULL)
			terminated_word(term, "Init:", pp->reason, sizeof pp->reason);
		else if (wreason != NULL && strcmp(wreason, "PodInitializing") != 0)
			snprintf(pp->reason, sizeof pp->reason, "Init:%.120s", wreason);
		else
			snprintf(pp->reason, sizeof pp->reason, "Init:%d/%d", i, ninit);
		initializing = true;
		break;
	}

	if (!initializing || cond_true(status, "Initialized")) {
		const cJSON *arr = kd_arr(status, "containerStatuses");
		bool running = false;

		pp->restarts = sidecar_restarts;
		n = cJSON_GetArraySize(arr);
		for (i = n - 1; i >= 0; i--) {
			const cJSON *cs = cJSON_GetArrayItem(arr, i);
			const cJSON *state = kd_obj(cs, "state");
			const cJSON *term = kd_obj(state, "terminated");
			const char *wreason = kd_nstr(kd_obj(state, "waiting"), "reason");

			pp->restarts += restart_count(cs);
			if (wreason != NULL) {
				snprintf(pp->reason, sizeof pp->reason, "%.120s", wreason);
			} else if (term != NULL) {
				terminated_word(term, "", pp->reason, sizeof pp->reason);
			} else if (kd_bool(cs, "ready") && kd_obj(state, "running") != NULL) {
				running = true;
				pp->ready++;
			}
		}
		if (strcmp(pp->reason, "Completed") == 0 && running)
			snprintf(pp->reason, sizeof pp->reason, "%s",
			         cond_true(status, "Ready") ? "Running" : "NotReady");
	}

	if (kd_get(meta, "deletionTimestamp") != NULL &&
	    !cJSON_IsNull(kd_get(meta, "deletionTimestamp"))) {
		if (str_is(sreason, "NodeLost"))
			snprintf(pp->reason, sizeof pp->reason, "Unknown");
		else if (!str_is(phase, "Succeeded") && !str_is(phase, "Failed"))
			snprintf(pp->reason, sizeof pp->reason, "Terminating");
	}
}

char *kube_pod_status_word(const cJSON *pod)
{
	struct pod_print pp;

	print_pod(pod, &pp);
	return xstrdup(pp.reason);
}

/* ---- requests: the rule of kubectl describe node (and the scheduler) ----
 * sum of the containers, plus the sidecars; at least the largest init
 * container (each with the sidecars started before it); plus overhead. */

struct req {
	int64_t cpu, mem;   /* thousandths */
};

static struct req container_req(const cJSON *c)
{
	const cJSON *r = kd_obj(kd_obj(c, "resources"), "requests");
	struct req q;

	q.cpu = kd_quantity(r, "cpu");
	q.mem = kd_quantity(r, "memory");
	if (q.cpu < 0)
		q.cpu = 0;
	if (q.mem < 0)
		q.mem = 0;
	return q;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void pod_requests(const cJSON *spec, struct kube_pod *p)
{
	struct req sum = {0, 0}, side = {0, 0}, init = {0, 0}, q;
	const cJSON *c, *ovh = kd_obj(spec, "overhead");

	cJSON_ArrayForEach(c, kd_arr(spec, "containers")) {
		q = container_req(c);
		sum.cpu = sat_add(sum.cpu, q.cpu);
		sum.mem = sat_add(sum.mem, q.mem);
	}
	cJSON_ArrayForEach(c, kd_arr(spec, "initContainers")) {
		q = container_req(c);
		if (restartable(c)) {
			side.cpu = sat_add(side.cpu, q.cpu);
			side.mem = sat_add(side.mem, q.mem);
			q = side;
		} else {
			q.cpu = sat_add(q.cpu, side.cpu);
			q.mem = sat_add(q.mem, side.mem);
		}
		init.cpu = max64(init.cpu, q.cpu);
		init.mem = max64(init.mem, q.mem);
	}
	sum.cpu = max64(sat_add(sum.cpu, side.cpu), init.cpu);
	sum.mem = max64(sat_add(sum.mem, side.mem), init.mem);
	if (kd_quantity(ovh, "cpu") > 0)
		sum.cpu = sat_add(sum.cpu, kd_quantity(ovh, "cpu"));
	if (kd_quantity(ovh, "memory") > 0)
		sum.mem = sat_add(sum.mem, kd_quantity(ovh, "memory"));
	p->req_cpu_m = sum.cpu;
	p->req_mem_bytes = sum.mem / 1000 + (sum.mem % 1000 != 0);
}

/* The latest lastState.terminated of the containers: its reason and time. */
static void last_termination(const cJSON *status, struct kube_pod *p)
{
	static const char *const lists[] = {"initContainerStatuses", "containerStatuses"};
	const char *best = NULL;
	int64_t best_t = -1;
	size_t k;

	for (k = 0; k < UTIL_ARRAY_LEN(lists); k++) {
		const cJSON *cs;

		cJSON_ArrayForEach(cs, kd_arr(status, lists[k])) {
			const cJSON *t = kd_obj(kd_obj(cs, "lastState"), "terminated");
			int64_t at;

			if (t == NULL)
				continue;
			at = kd_time(t, "finishedAt");
			if (at > best_t) {
				best_t = at;
				best = kd_nstr(t, "reason");
			}
		}
	}
	if (best_t < 0)
		return;
	p->last_reason = best != NULL ? xstrndup(best, 120) : NULL;
	p->last_restart_ms = best_t;
}

int kube_decode_pod(const cJSON *obj, struct kube_pod *out, char **cause)
{
	const cJSON *meta, *spec, *status, *labels, *o, *v;
	struct pod_print pp;
	const char *role;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "Pod", &out->ns, &out->name, cause) != 0)
		return -1;
	meta = kd_obj(obj, "metadata");
	spec = kd_obj(obj, "spec");
	status = kd_obj(obj, "status");
	labels = kd_obj(meta, "labels");
	out->uid = kd_dup(meta, "uid");
	out->node = kd_dup(spec, "nodeName");
	out->phase = kd_dup(status, "phase");

	print_pod(obj, &pp);
	out->status = xstrdup(pp.reason);
	out->ready = pp.ready;
	out->containers = pp.total;
	out->restarts = pp.restarts;
	last_termination(status, out);

	cJSON_ArrayForEach(o, kd_arr(meta, "ownerReferences"))
		if (kd_bool(o, "controller") && kd_nstr(o, "name") != NULL) {
			out->owner_kind = kd_dup(o, "kind");
			out->owner_name = kd_dup(o, "name");
			break;
		}
	out->mirror = kd_get(kd_obj(meta, "annotations"), "kubernetes.io/config.mirror") != NULL;
	cJSON_ArrayForEach(v, kd_arr(spec, "volumes"))
		if (kd_obj(v, "emptyDir") != NULL)
			out->emptydir = true;
	out->cnpg_cluster = kd_dup(labels, "cnpg.io/cluster");
	role = kd_str(labels, "cnpg.io/instanceRole");
	if (role == NULL && out->cnpg_cluster != NULL)
		role = kd_str(labels, "role");
	out->cnpg_primary = str_is(role, "primary");

	pod_requests(spec, out);
	out->counts_for_node = !str_is(out->phase, "Succeeded") && !str_is(out->phase, "Failed");
	out->healthy = str_is(out->phase, "Succeeded") ||
	               (str_is(out->phase, "Running") && out->containers > 0 &&
	                out->ready == out->containers && strcmp(pp.reason, "Running") == 0);
	out->created_ms = kd_time(meta, "creationTimestamp");
	out->deleting_ms = kd_time(meta, "deletionTimestamp");
	return 0;
}
