/* Fuzz target of backends/kube_reflector's watch handling (and of
 * kube_client's discovery parser): the input is a watch stream given to the
 * pods, nodes and events streams in two pieces split at its first byte's
 * value, then snapshotted; and it is parsed as an APIGroupList. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kube_client.h"
#include "backends/kube_reflector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum kube_res res[] = { KUBE_R_PODS, KUBE_R_NODES, KUBE_R_EVENTS, KUBE_R_DEPLOYMENTS };
	struct kube_apis apis = { 0 };
	struct kube_client *kc = kube_client_new(NULL, 1000);
	struct kube_reflector *r = kube_reflector_new(kc, NULL, 0);
	struct kube_cluster *c;
	char *v[KUBE_G_N];
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;

	kube_reflector_start(r, &apis);
	for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
		if (kube_reflector_feed(r, res[i], (const char *)data, cut) == 0)
			(void)kube_reflector_feed(r, res[i], (const char *)data + cut, size - cut);
	(void)kube_reflector_step(r, 0);
	c = kube_reflector_snapshot(r);
	if (c == NULL || c->nevents > KUBE_MAX_EVENTS)
		abort();
	kube_cluster_free(c);
	kube_reflector_free(r);
	kube_client_free(kc);
	if (kube_parse_apis((const char *)data, size, &apis, v) == 0)
		for (int g = 0; g < KUBE_G_N; g++)
			free(v[g]);
	return 0;
}
