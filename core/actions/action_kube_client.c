/* action_kube_client — the Kubernetes actions' API: the cluster's own client
 * (backends/kube_client.h), connected as the cluster's feed connects
 * (feed_cluster_connect: the via hosts in order, their SSH route to the
 * API, the credentials, discovery), on the action's thread
 * (action_kube.h: action_kube_client_open). */
#include "core/actions/action_kube.h"

#include <stdlib.h>
#include <string.h>

#include "backends/http.h"
#include "backends/kube_client.h"
#include "core/base/util.h"
#include "core/config/config.h"
#include "core/feeds/feed_cluster_internal.h"

#define KUBE_ACTION_TIMEOUT_MS 10000   /* each request (the config's timeout when longer) */

struct kube_client_api {
	struct kube_api api;        /* first: the struct kube_api * is this */
	struct kube_client *kc;
};

static int client_request(struct kube_api *api, const struct kube_request *req,
                          const atomic_int *cancel, struct kube_reply *reply, char **cause)
{
	struct kube_client_api *c = (struct kube_client_api *)api;
	struct http_response resp;
	int rc;

	memset(reply, 0, sizeof *reply);
	http_response_init(&resp);
	rc = kube_client_request(c->kc, req->method, req->path, req->content_type, req->body, &resp,
	                         cause);
	if (rc == 0) {
		reply->status = resp.status;
		reply->len = resp.body.len;
		reply->body = xstrndup(buf_cstr(&resp.body), resp.body.len);
	}
	http_response_done(&resp);
	return rc;
}

static void client_free(struct kube_api *api)
{
	struct kube_client_api *c = (struct kube_client_api *)api;

	kube_client_free(c->kc);
	free(c);
}

struct kube_api *action_kube_client_open(void *targetp, const atomic_int *cancel, char **cause)
{
	struct kube_cluster_target *t = targetp;
	struct kube_client_api *c;
	struct kube_apis apis;
	char *version = NULL;
	long timeout = t->fleet->cfg->timeout_ms > KUBE_ACTION_TIMEOUT_MS ? t->fleet->cfg->timeout_ms :
	               KUBE_ACTION_TIMEOUT_MS;

	c = xcalloc(1, sizeof *c);
	c->api.request = client_request;
	c->api.free = client_free;
	c->kc = kube_client_new(cancel, timeout);
	if (feed_cluster_connect(t->fleet, t->cluster, c->kc, cancel, &version, &apis, cause) != 0) {
		client_free(&c->api);
		return NULL;
	}
	free(version);
	return &c->api;
}
