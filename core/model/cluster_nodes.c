/* cluster_nodes — see cluster_nodes.h. */
#include "core/model/cluster_nodes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/model/verdict_cluster.h"

static bool cn_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

const struct frame_host *cluster_node_host(const struct frame *f, const struct kube_node *n)
{
	for (size_t i = 0; i < f->nhosts; i++)
		if (cn_same(f->hosts[i].name, n->name))
			return &f->hosts[i];
	for (size_t i = 0; i < f->nhosts; i++) {
		const char *addr = f->hosts[i].cfg != NULL ? f->hosts[i].cfg->address : NULL;

		if (cn_same(addr, n->internal_ip) || cn_same(addr, n->hostname))
			return &f->hosts[i];
	}
	return NULL;
}

static double cn_pct(int64_t part, int64_t whole)
{
	if (part < 0 || whole <= 0)
		return NAN;
	return round((double)part * 1000.0 / (double)whole) / 10.0;
}

void cluster_node_sum(const struct frame *f, const struct kube_cluster *k, size_t i,
                      struct cluster_node_sum *out)
{
	const struct kube_node *n = &k->nodes[i];
	int64_t req_cpu = 0, req_mem = 0;

	memset(out, 0, sizeof *out);
	out->node = n;
	out->host = cluster_node_host(f, n);
	out->pods_max = n->alloc_pods >= 0 ? (int)n->alloc_pods : -1;
	out->cpu_pct = out->mem_pct = NAN;
	for (size_t p = 0; p < k->npods; p++) {
		const struct kube_pod *pod = &k->pods[p];

		if (!cn_same(pod->node, n->name))
			continue;
		if (pod->counts_for_node) {
			out->pods++;
			req_cpu += pod->req_cpu_m > 0 ? pod->req_cpu_m : 0;
			req_mem += pod->req_mem_bytes > 0 ? pod->req_mem_bytes : 0;
		}
		out->bad += verdict_kube_pod_severity(pod) > 0;
	}
	out->req_cpu_pct = cn_pct(req_cpu, n->alloc_cpu_m);
	out->req_mem_pct = cn_pct(req_mem, n->alloc_mem_bytes);
	for (size_t u = 0; u < k->nusage; u++)
		if (cn_same(k->usage[u].node, n->name)) {
			out->cpu_pct = cn_pct(k->usage[u].cpu_m, n->alloc_cpu_m);
			out->mem_pct = cn_pct(k->usage[u].mem_bytes, n->alloc_mem_bytes);
		}
}

static int cn_cmp(const void *a, const void *b)
{
	const struct kube_pod *x = *(const struct kube_pod *const *)a, *y = *(const struct kube_pod *const *)b;
	int sx = verdict_kube_pod_severity(x), sy = verdict_kube_pod_severity(y), c;

	if (sx != sy)
		return sy - sx;
	if (x->restarts != y->restarts)
		return y->restarts - x->restarts;
	if ((c = strcmp(x->ns != NULL ? x->ns : "", y->ns != NULL ? y->ns : "")) != 0)
		return c;
	return strcmp(x->name, y->name);
}

static const struct kube_pod **cn_pick(const struct kube_cluster *k, const char *node, bool all_nodes,
                                       bool bad_only, size_t *n)
{
	const struct kube_pod **v = xcalloc(k->npods + 1, sizeof *v);

	*n = 0;
	for (size_t i = 0; i < k->npods; i++) {
		const struct kube_pod *p = &k->pods[i];

		if (p->name == NULL || (bad_only && verdict_kube_pod_severity(p) == 0))
			continue;
		if (!all_nodes && !(node == NULL ? p->node == NULL : cn_same(p->node, node)))
			continue;
		v[(*n)++] = p;
	}
	qsort(v, *n, sizeof *v, cn_cmp);
	return v;
}

const struct kube_pod **cluster_node_pods(const struct kube_cluster *k, const char *node, size_t *n)
{
	return cn_pick(k, node, false, false, n);
}

const struct kube_pod **cluster_bad_pods(const struct kube_cluster *k, size_t *n)
{
	return cn_pick(k, NULL, true, true, n);
}
