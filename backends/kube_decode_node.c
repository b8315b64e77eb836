/* kube_decode_node — a core/v1 Node into struct kube_node (kube_decode.h). */
#include "backends/kube_decode.h"

#include <stdlib.h>
#include <string.h>

#include "backends/kube_decode_internal.h"
#include "core/base/util.h"

#define ROLE_PREFIX "node-role.kubernetes.io/"
#define MAX_ROLES 16
#define MAX_TAINTS 64

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Roles as kubectl get nodes shows them: every node-role.kubernetes.io/<role>
 * label, and the older kubernetes.io/role=<role>, sorted, without repeats. */
static void node_roles(const cJSON *labels, struct kube_node *n)
{
	const cJSON *l;
	const char *old;
	size_t i;

	n->roles = xcalloc(MAX_ROLES, sizeof *n->roles);
	cJSON_ArrayForEach(l, labels) {
		const char *k = l->string;

		if (k == NULL || strncmp(k, ROLE_PREFIX, strlen(ROLE_PREFIX)) != 0)
			continue;
		k += strlen(ROLE_PREFIX);
		if (strcmp(k, "etcd") == 0)
			n->etcd = true;
		if (*k != '\0' && n->nroles < MAX_ROLES)
			n->roles[n->nroles++] = xstrndup(k, 63);
	}
	old = kd_nstr(labels, "kubernetes.io/role");
	if (old != NULL && n->nroles < MAX_ROLES)
		n->roles[n->nroles++] = xstrndup(old, 63);
	qsort(n->roles, n->nroles, sizeof *n->roles, cmp_str);
	for (i = 1; i < n->nroles;) {
		if (strcmp(n->roles[i], n->roles[i - 1]) == 0) {
			free(n->roles[i]);
			memmove(&n->roles[i], &n->roles[i + 1], (n->nroles - i - 1) * sizeof *n->roles);
			n->nroles--;
		} else {
			i++;
		}
	}
	if (n->nroles == 0) {
		free(n->roles);
		n->roles = NULL;
	}
}

static void node_taints(const cJSON *spec, struct kube_node *n)
{
	const cJSON *arr = kd_arr(spec, "taints"), *t;
	int cnt = cJSON_GetArraySize(arr);

	if (cnt <= 0)
		return;
	n->taints = xcalloc(cnt > MAX_TAINTS ? MAX_TAINTS : (size_t)cnt, sizeof *n->taints);
	cJSON_ArrayForEach(t, arr) {
		const char *key = kd_nstr(t, "key"), *effect = kd_nstr(t, "effect");

		if (key == NULL || n->ntaints >= MAX_TAINTS)
			continue;
		n->taints[n->ntaints++] =
			xasprintf("%.253s:%.32s", key, effect != NULL ? effect : "");
	}
	if (n->ntaints == 0) {
		free(n->taints);
		n->taints = NULL;
	}
}

static int64_t div_up(int64_t milli)
{
	return milli < 0 ? -1 : milli / 1000 + (milli % 1000 != 0);
}

int kube_decode_node(const cJSON *obj, struct kube_node *out, char **cause)
{
	static const struct {
		const char *type;
		unsigned bit;
	} pressures[] = {
		{"MemoryPressure", KUBE_PRESSURE_MEMORY},
		{"DiskPressure", KUBE_PRESSURE_DISK},
		{"PIDPressure", KUBE_PRESSURE_PID},
		{"NetworkUnavailable", KUBE_NETWORK_UNAVAILABLE},
	};
	const cJSON *meta, *labels, *spec, *status, *info, *alloc, *a, *ready;
	size_t i;

	memset(out, 0, sizeof *out);
	if (kd_meta(obj, "Node", NULL, &out->name, cause) != 0)
		return -1;
	meta = kd_obj(obj, "metadata");
	labels = kd_obj(meta, "labels");
	spec = kd_obj(obj, "spec");
	status = kd_obj(obj, "status");
	info = kd_obj(status, "nodeInfo");
	alloc = kd_obj(status, "allocatable");

	cJSON_ArrayForEach(a, kd_arr(status, "addresses")) {
		const char *type = kd_str(a, "type");

		if (type == NULL)
			continue;
		if (strcmp(type, "InternalIP") == 0 && out->internal_ip == NULL)
			out->internal_ip = kd_dup(a, "address");
		else if (strcmp(type, "Hostname") == 0 && out->hostname == NULL)
			out->hostname = kd_dup(a, "address");
	}
	node_roles(labels, out);
	out->arch = kd_dup(labels, "kubernetes.io/arch");
	if (out->arch == NULL)
		out->arch = kd_dup(info, "architecture");
	out->kubelet = kd_dup(info, "kubeletVersion");
	out->runtime = kd_dup(info, "containerRuntimeVersion");
	out->unschedulable = kd_bool(spec, "unschedulable");
	ready = kd_cond(status, "Ready");
	out->ready = kd_tri(ready);
	out->ready_reason = kd_dup(ready, "reason");
	out->ready_since_ms = kd_time(ready, "lastTransitionTime");
	for (i = 0; i < UTIL_ARRAY_LEN(pressures); i++)
		if (kd_tri(kd_cond(status, pressures[i].type)) == KUBE_TRUE)
			out->pressure |= pressures[i].bit;
	node_taints(spec, out);
	out->alloc_cpu_m = kd_quantity(alloc, "cpu");
	out->alloc_mem_bytes = div_up(kd_quantity(alloc, "memory"));
	out->alloc_pods = div_up(kd_quantity(alloc, "pods"));
	out->created_ms = kd_time(meta, "creationTimestamp");
	return 0;
}
