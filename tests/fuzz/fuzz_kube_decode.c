/* Fuzz target of backends/kube_decode: the input is parsed as JSON and, when
 * it is an object (or a list's items), fed to every decoder; the decoded
 * values are joined, gathered into a cluster value, deep-copied and freed.
 * The raw input is also tried as a quantity and as a time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/kube_decode.h"
#include "backends/kube_types.h"
#include "core/base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXN 8

static void decode_all(const cJSON *o, struct kube_cluster *c)
{
	char *cause = NULL, *w, *vol = NULL, *node = NULL;
	bool healthy;
	int k;

	w = kube_pod_status_word(o);
	if (w == NULL || strlen(w) > 200)
		abort();
	free(w);
	if (c->nnodes < MAXN && kube_decode_node(o, &c->nodes[c->nnodes], &cause) == 0)
		c->nnodes++;
	if (c->npods < MAXN && kube_decode_pod(o, &c->pods[c->npods], &cause) == 0) {
		const struct kube_pod *p = &c->pods[c->npods];

		if (p->status == NULL || p->ready < 0 || p->restarts < 0 || p->req_cpu_m < 0)
			abort();
		c->npods++;
	}
	for (k = KUBE_DEPLOYMENT; k <= KUBE_DAEMONSET; k++)
		if (c->nworkloads < MAXN &&
		    kube_decode_workload(o, (enum kube_workload_kind)k, &c->workloads[c->nworkloads],
		                         &cause) == 0)
			c->nworkloads++;
	for (k = KUBE_KUSTOMIZATION; k <= KUBE_APPLICATION; k++)
		if (c->ngitops < MAXN &&
		    kube_decode_gitops(o, (enum kube_gitops_kind)k, &c->gitops[c->ngitops], &cause) == 0)
			c->ngitops++;
	if (c->nvolumes < MAXN && kube_decode_volume(o, &c->volumes[c->nvolumes], &cause) == 0)
		c->nvolumes++;
	if (c->ndatabases < MAXN &&
	    kube_decode_database(o, &c->databases[c->ndatabases], &cause) == 0)
		c->ndatabases++;
	if (c->nevents < MAXN && kube_decode_event(o, &c->events[c->nevents], &cause) == 0) {
		if (c->events[c->nevents].count < 1)
			abort();
		c->nevents++;
	}
	if (c->nusage < MAXN && kube_decode_usage(o, &c->usage[c->nusage], &cause) == 0)
		c->nusage++;
	if (kube_decode_replica(o, &vol, &node, &healthy, &cause) == 0) {
		char *v[1] = {vol}, *n[1] = {node};
		bool h[1] = {healthy};

		kube_volumes_join(c->volumes, c->nvolumes, v, n, h, 1);
	}
	free(vol);
	free(node);
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_cluster *c, *d;
	char *s = xstrndup((const char *)data, size), *v;
	cJSON *root, *it;
	int64_t q;

	(void)kube_quantity_parse(s, &q);
	(void)kube_time_parse(s, &q);
	free(s);
	v = kube_decode_version((const char *)data, size);
	free(v);
	root = cJSON_ParseWithLength((const char *)data, size);
	if (root == NULL)
		return 0;
	c = xcalloc(1, sizeof *c);
	c->nodes = xcalloc(MAXN, sizeof *c->nodes);
	c->pods = xcalloc(MAXN, sizeof *c->pods);
	c->workloads = xcalloc(MAXN, sizeof *c->workloads);
	c->gitops = xcalloc(MAXN, sizeof *c->gitops);
	c->volumes = xcalloc(MAXN, sizeof *c->volumes);
	c->databases = xcalloc(MAXN, sizeof *c->databases);
	c->events = xcalloc(MAXN, sizeof *c->events);
	c->usage = xcalloc(MAXN, sizeof *c->usage);
	decode_all(root, c);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "items"))
		decode_all(it, c);
	kube_databases_join(c->databases, c->ndatabases, c->pods, c->npods);
	d = kube_cluster_copy(c);
	kube_cluster_free(c);
	kube_cluster_free(d);
	cJSON_Delete(root);
	return 0;
}
