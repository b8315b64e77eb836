/* action_kube_client — the Kubernetes actions' API: the cluster's client
 * (action_kube.h: action_kube_client_open). */
#include "core/actions/action_kube.h"

#include "core/base/util.h"

struct kube_api *action_kube_client_open(void *target, const atomic_int *cancel, char **cause)
{
	util_set_cause(cause, "this build has no client for the cluster's API yet");
	return NULL;
}
