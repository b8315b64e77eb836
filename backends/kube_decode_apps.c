/* kube_decode_apps — Deployments, StatefulSets and DaemonSets into struct
 * kube_workload (kube_decode.h), with the verdict of kubectl rollout status:
 *
 * Deployment: the spec not yet observed (generation > observedGeneration)
 * is progressing; the Progressing condition with reason
 * ProgressDeadlineExceeded is failed; then fewer updated replicas than
 * wanted, old replicas still there (replicas > updated), or fewer available
 * than updated are progressing; else done.  A paused Deployment that has
 * not failed reads paused.
 * StatefulSet (rolling update): not observed yet, fewer ready than wanted,
 * then with a rollingUpdate block fewer updated than replicas - partition,
 * else (no such block) the update revision differing from the current one,
 * are progressing.
 * DaemonSet (rolling update): not observed yet, fewer updated or fewer
 * available than desiredNumberScheduled are progressing.
 * With the OnDelete strategy kubectl has no verdict: kitetop says done when
 * every replica is ready, progressing otherwise. */
#include "backends/kube_decode.h"

#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode_internal.h"
#include "core/base/util.h"

#define I32 0, INT32_MAX

static void verdict(struct kube_workload *w, enum kube_rollout state, char *message)
{
	w->state = state;
	free(w->message);
	w->message = message;
}

static bool on_delete(const cJSON *spec, const char *key)
{
	const char *type = kd_str(kd_obj(spec, key), "type");

	return type != NULL && strcmp(type, "OnDelete") == 0;
}

/* With the OnDelete strategy kubectl gives no verdict: done when every
 * replica is ready, progressing until then.  True when it was that. */
static bool on_delete_verdict(const cJSON *spec, struct kube_workload *w)
{
	if (!on_delete(spec, "updateStrategy"))
		return false;
	if (w->ready < w->desired)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for %d pods to be ready...", w->desired - w->ready));
	else
		verdict(w, KUBE_ROLLOUT_DONE, NULL);
	return true;
}

static void deployment(const cJSON *obj, struct kube_workload *w)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");
	const cJSON *prog = kd_cond(status, "Progressing");
	const char *preason = kd_str(prog, "reason");
	int replicas = (int)kd_int(status, "replicas", I32, 0);

	w->desired = (int)kd_int(spec, "replicas", I32, 1);
	w->ready = (int)kd_int(status, "readyReplicas", I32, 0);
	w->updated = (int)kd_int(status, "updatedReplicas", I32, 0);
	w->available = (int)kd_int(status, "availableReplicas", I32, 0);

	if (w->generation > w->observed_generation)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xstrdup("Waiting for deployment spec update to be observed..."));
	else if (preason != NULL && strcmp(preason, "ProgressDeadlineExceeded") == 0)
		verdict(w, KUBE_ROLLOUT_FAILED,
		        xstrdup("deployment exceeded its progress deadline"));
	else if (w->updated < w->desired)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for rollout to finish: %d out of %d new replicas have been "
		                  "updated...", w->updated, w->desired));
	else if (replicas > w->updated)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for rollout to finish: %d old replicas are pending "
		                  "termination...", replicas - w->updated));
	else if (w->available < w->updated)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for rollout to finish: %d of %d updated replicas are "
		                  "available...", w->available, w->updated));
	else
		verdict(w, KUBE_ROLLOUT_DONE, NULL);
	if (kd_bool(spec, "paused") && w->state != KUBE_ROLLOUT_FAILED)
		verdict(w, KUBE_ROLLOUT_PAUSED, xstrdup("deployment is paused"));
}

static void statefulset(const cJSON *obj, struct kube_workload *w)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");
	const cJSON *ru = kd_obj(kd_obj(spec, "updateStrategy"), "rollingUpdate");
	const char *upd = kd_str(status, "updateRevision"), *cur = kd_str(status, "currentRevision");
	int64_t partition = kd_int(ru, "partition", I32, -1);

	w->desired = (int)kd_int(spec, "replicas", I32, 1);
	w->ready = (int)kd_int(status, "readyReplicas", I32, 0);
	w->updated = (int)kd_int(status, "updatedReplicas", I32, 0);
	w->available = (int)kd_int(status, "availableReplicas", I32, 0);

	if (on_delete_verdict(spec, w))
		return;
	if (w->observed_generation == 0 || w->generation > w->observed_generation)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xstrdup("Waiting for statefulset spec update to be observed..."));
	else if (w->ready < w->desired)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for %d pods to be ready...", w->desired - w->ready));
	else if (ru != NULL) {
		/* kubectl: with a rollingUpdate block the partition decides,
		 * and without one in it the rollout is complete */
		int want = partition >= 0 ? w->desired - (int)partition : 0;

		if (partition >= 0 && w->updated < want)
			verdict(w, KUBE_ROLLOUT_PROGRESSING,
			        xasprintf("Waiting for partitioned roll out to finish: %d out of %d new "
			                  "pods have been updated...", w->updated, want));
		else
			verdict(w, KUBE_ROLLOUT_DONE, NULL);
	} else if (upd != NULL && (cur == NULL || strcmp(upd, cur) != 0))
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("waiting for statefulset rolling update to complete %d pods at "
		                  "revision %.200s...", w->updated, upd));
	else
		verdict(w, KUBE_ROLLOUT_DONE, NULL);
}

static void daemonset(const cJSON *obj, struct kube_workload *w)
{
	const cJSON *spec = kd_obj(obj, "spec"), *status = kd_obj(obj, "status");

	w->desired = (int)kd_int(status, "desiredNumberScheduled", I32, 0);
	w->ready = (int)kd_int(status, "numberReady", I32, 0);
	w->updated = (int)kd_int(status, "updatedNumberScheduled", I32, 0);
	w->available = (int)kd_int(status, "numberAvailable", I32, 0);
	w->misscheduled = (int)kd_int(status, "numberMisscheduled", I32, 0);

	if (on_delete_verdict(spec, w))
		return;
	if (w->generation > w->observed_generation)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xstrdup("Waiting for daemon set spec update to be observed..."));
	else if (w->updated < w->desired)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for daemon set rollout to finish: %d out of %d new pods "
		                  "have been updated...", w->updated, w->desired));
	else if (w->available < w->desired)
		verdict(w, KUBE_ROLLOUT_PROGRESSING,
		        xasprintf("Waiting for daemon set rollout to finish: %d of %d updated pods "
		                  "are available...", w->available, w->desired));
	else
		verdict(w, KUBE_ROLLOUT_DONE, NULL);
}

int kube_decode_workload(const cJSON *obj, enum kube_workload_kind kind,
                         struct kube_workload *out, char **cause)
{
	const cJSON *meta, *tmeta;
	const char *k;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "workload", &out->ns, &out->name, cause) != 0)
		return -1;
	k = kd_str(obj, "kind");
	if (k != NULL && strcmp(k, "Deployment") == 0)
		kind = KUBE_DEPLOYMENT;
	else if (k != NULL && strcmp(k, "StatefulSet") == 0)
		kind = KUBE_STATEFULSET;
	else if (k != NULL && strcmp(k, "DaemonSet") == 0)
		kind = KUBE_DAEMONSET;
	out->kind = kind;
	meta = kd_obj(obj, "metadata");
	tmeta = kd_obj(kd_obj(kd_obj(obj, "spec"), "template"), "metadata");
	out->restarted_ms = kd_time(kd_obj(tmeta, "annotations"), "kubectl.kubernetes.io/restartedAt");
	out->generation = kd_int(meta, "generation", 0, INT64_C(1) << 53, 0);
	out->observed_generation =
		kd_int(kd_obj(obj, "status"), "observedGeneration", 0, INT64_C(1) << 53, 0);
	switch (kind) {
	case KUBE_DEPLOYMENT:
		deployment(obj, out);
		break;
	case KUBE_STATEFULSET:
		statefulset(obj, out);
		break;
	case KUBE_DAEMONSET:
		daemonset(obj, out);
		break;
	default:
		util_set_cause(cause, "workload %s: unknown kind", out->name);
		kube_workload_done(out);
		return -1;
	}
	return 0;
}
