/* Fuzz target of the Kubernetes actions' parsers of outside input
 * (core/actions/kube_plan.c, action_kube*.c): the first byte picks (modulo
 * 4) 0 kube_ref_parse of the rest (a command line's KIND/NAMESPACE/NAME)
 * and, when it parses, every request built from it; 1 the words of an
 * answer (kube_reply_words) and 2 of a 429 (kube_reply_429_words), the
 * second byte the status; 3 a PodList, its pods on node "n" planned for a
 * drain (with and without force) and the preview written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/kube_decode.h"
#include "core/actions/action_kube_internal.h"
#include "core/actions/kube_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_requests(const struct kube_ref *r)
{
	struct kube_request q;
	char *cause = NULL, *t;
	int (*const with_time[])(const struct kube_ref *, const char *, struct kube_request *, char **) = {
		kube_req_rollout_restart, kube_req_flux_reconcile,
	};

	if (!kube_namespace_valid(r->ns) || !kube_name_valid(r->name))
		abort();
	for (size_t i = 0; i < 2; i++) {
		if (with_time[i](r, "2026-12-06T04:49:05Z", &q, &cause) == 0) {
			t = kube_request_text(&q);
			if (strchr(q.path, ' ') != NULL || strchr(q.path, '\n') != NULL)
				abort();
			free(t);
		}
		kube_request_done(&q);
		free(cause);
		cause = NULL;
	}
	if (kube_req_argo_sync(r, "u\"s\\er", &q, &cause) == 0) {
		cJSON *j = cJSON_Parse(q.body);

		if (j == NULL)
			abort();
		cJSON_Delete(j);
	}
	kube_request_done(&q);
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *cause = NULL;
	struct kube_reply r;

	if (size < 2)
		return 0;
	s = malloc(size - 1);
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';
	switch (data[0] % 4) {
	case 0: {
		struct kube_ref ref;

		if (kube_ref_parse(s, data[1] & 1, &ref, &cause) == 0)
			fuzz_requests(&ref);
		else if (cause == NULL)
			abort();
		free(cause);
		break;
	}
	case 1:
	case 2: {
		char *w;

		r.status = 200 + data[1];
		r.body = s;
		r.len = size - 2;
		w = data[0] % 4 == 1 ? kube_reply_words(&r) : kube_reply_429_words(&r);
		if (w == NULL)
			abort();
		free(w);
		break;
	}
	default: {
		cJSON *list = cJSON_ParseWithLength((const char *)data + 2, size - 2);
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items"), *it;
		struct kube_node node = { .name = (char *)"n", .ready = KUBE_TRUE };
		struct kube_cluster c = { .name = (char *)"c", .nodes = &node, .nnodes = 1 };
		struct kube_drain_plan p;

		c.pods = calloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *c.pods);
		cJSON_ArrayForEach(it, items)
			if (kube_decode_pod(it, &c.pods[c.npods], NULL) == 0)
				c.npods++;
		for (int force = 0; force < 2; force++) {
			if (kube_drain_plan_build(&c, "n", force, &p, &cause) == 0) {
				char *t = kube_drain_preview(&p, 3);

				if (p.nevict + p.nskip_ds + p.nskip_mirror + p.nforce != p.npods)
					abort();
				free(t);
				kube_drain_plan_done(&p);
			}
			free(cause);
			cause = NULL;
		}
		for (size_t i = 0; i < c.npods; i++)
			kube_pod_done(&c.pods[i]);
		free(c.pods);
		cJSON_Delete(list);
		break;
	}
	}
	free(s);
	return 0;
}
