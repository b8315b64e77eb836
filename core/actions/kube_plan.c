/* kube_plan — see kube_plan.h.  The requests, names, times, interlocks and
 * verification predicates; the drain planner is kube_plan_drain.c. */
#include "core/actions/kube_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/base/buf.h"
#include "core/base/util.h"

void kube_request_done(struct kube_request *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->body);
	memset(r, 0, sizeof *r);
}

char *kube_request_text(const struct kube_request *r)
{
	if (r->body == NULL)
		return xasprintf("%s %s", r->method, r->path);
	return xasprintf("%s %s  %s  %s", r->method, r->path, r->content_type, r->body);
}

/* ---- kinds and references ---- */

struct kube_kind_info {
	enum kube_kind kind;
	const char *name;           /* "Deployment" */
	const char *group_version;  /* "apps/v1" */
	const char *plural;
	const char *aliases;        /* space-separated, lower case */
};

static const struct kube_kind_info kube_kinds[] = {
	{ KUBE_K_DEPLOYMENT, "Deployment", "apps/v1", "deployments", "deployment deployments deploy" },
	{ KUBE_K_STATEFULSET, "StatefulSet", "apps/v1", "statefulsets",
	  "statefulset statefulsets sts" },
	{ KUBE_K_DAEMONSET, "DaemonSet", "apps/v1", "daemonsets", "daemonset daemonsets ds" },
	{ KUBE_K_KUSTOMIZATION, "Kustomization", "kustomize.toolkit.fluxcd.io/v1", "kustomizations",
	  "kustomization kustomizations ks" },
	{ KUBE_K_HELMRELEASE, "HelmRelease", "helm.toolkit.fluxcd.io/v2", "helmreleases",
	  "helmrelease helmreleases hr" },
	{ KUBE_K_GITREPOSITORY, "GitRepository", "source.toolkit.fluxcd.io/v1", "gitrepositories",
	  "gitrepository gitrepositories gitrepo source" },
	{ KUBE_K_APPLICATION, "Application", "argoproj.io/v1alpha1", "applications",
	  "application applications app apps" },
};

static const struct kube_kind_info *kube_kind_info(enum kube_kind k)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(kube_kinds); i++)
		if (kube_kinds[i].kind == k)
			return &kube_kinds[i];
	return &kube_kinds[0];
}

const char *kube_kind_name(enum kube_kind k)
{
	return kube_kind_info(k)->name;
}

bool kube_kind_is_workload(enum kube_kind k)
{
	return k == KUBE_K_DEPLOYMENT || k == KUBE_K_STATEFULSET || k == KUBE_K_DAEMONSET;
}

bool kube_kind_is_flux(enum kube_kind k)
{
	return k == KUBE_K_KUSTOMIZATION || k == KUBE_K_HELMRELEASE || k == KUBE_K_GITREPOSITORY;
}

/* Is word (len n) one of the space-separated aliases (case-insensitive)? */
static bool kube_alias_match(const char *aliases, const char *word, size_t n)
{
	const char *p = aliases;

	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		if (len == n && strncasecmp(p, word, n) == 0)
			return true;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
}

static bool kube_name_chars(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');

		if (!alnum && ch != '-' && (ch != '.' || max == 63))
			return false;
		if (!alnum && (i == 0 || i == n - 1))
			return false;
	}
	return true;
}

bool kube_name_valid(const char *s)
{
	return s != NULL && kube_name_chars(s, 253);
}

bool kube_namespace_valid(const char *s)
{
	return s != NULL && kube_name_chars(s, 63);
}

int kube_ref_parse(const char *s, bool allow_app_short, struct kube_ref *out, char **cause)
{
	const char *parts[3];
	size_t lens[3], n = 0;
	const char *p = s;
	char ns[64], name[254];

	memset(out, 0, sizeof *out);
	if (s == NULL || *s == '\0') {
		util_set_cause(cause, "an empty object name");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, "/");

		if (n == 3) {
			util_set_cause(cause, "'%s': too many parts (KIND/NAMESPACE/NAME)", s);
			return -1;
		}
		parts[n] = p;
		lens[n++] = len;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (n < 3 && !allow_app_short) {
		util_set_cause(cause, "'%s' is not KIND/NAMESPACE/NAME (e.g. deployment/default/web)", s);
		return -1;
	}
	if (n == 3) {
		size_t i;

		for (i = 0; i < UTIL_ARRAY_LEN(kube_kinds); i++)
			if (kube_alias_match(kube_kinds[i].aliases, parts[0], lens[0]))
				break;
		if (i == UTIL_ARRAY_LEN(kube_kinds)) {
			util_set_cause(cause, "'%.*s' is not a kind kitetop acts on (deployment, statefulset, "
			               "daemonset, kustomization, helmrelease, gitrepository, application)",
			               (int)lens[0], parts[0]);
			return -1;
		}
		out->kind = kube_kinds[i].kind;
	} else {
		out->kind = KUBE_K_APPLICATION;
	}
	if (n == 1) {
		util_strlcpy(ns, KUBE_ARGO_NAMESPACE, sizeof ns);
	} else {
		if (lens[n - 2] >= sizeof ns) {
			util_set_cause(cause, "'%s': the namespace is too long", s);
			return -1;
		}
		memcpy(ns, parts[n - 2], lens[n - 2]);
		ns[lens[n - 2]] = '\0';
	}
	if (lens[n - 1] >= sizeof name) {
		util_set_cause(cause, "'%s': the name is too long", s);
		return -1;
	}
	memcpy(name, parts[n - 1], lens[n - 1]);
	name[lens[n - 1]] = '\0';
	if (!kube_namespace_valid(ns)) {
		util_set_cause(cause, "'%s' is not a namespace (lower-case letters, digits and '-')", ns);
		return -1;
	}
	if (!kube_name_valid(name)) {
		util_set_cause(cause, "'%s' is not an object name (lower-case letters, digits, '-' "
		               "and '.')", name);
		return -1;
	}
	util_strlcpy(out->ns, ns, sizeof out->ns);
	util_strlcpy(out->name, name, sizeof out->name);
	return 0;
}

void kube_ref_format(const struct kube_ref *r, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%s", kube_kind_name(r->kind), r->ns, r->name);
}

/* ---- times ---- */

void kube_time_rfc3339(int64_t sec, char *out, size_t n)
{
	time_t t = (time_t)sec;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void kube_time_rfc3339nano(int64_t sec, long nsec, char *out, size_t n)
{
	char base[32], frac[16];
	time_t t = (time_t)sec;
	struct tm tm;
	size_t len;

	gmtime_r(&t, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	if (nsec <= 0 || nsec >= 1000000000L) {
		snprintf(out, n, "%sZ", base);
		return;
	}
	snprintf(frac, sizeof frac, "%09ld", nsec);
	len = strlen(frac);
	while (len > 0 && frac[len - 1] == '0')
		frac[--len] = '\0';
	snprintf(out, n, "%s.%sZ", base, frac);
}

/* ---- builders ---- */

static int kube_bad_name(const char *what, const char *s, char **cause)
{
	util_set_cause(cause, "'%s' is not a %s name (lower-case letters, digits, '-' and '.')",
	               s != NULL ? s : "", what);
	return -1;
}

static void kube_req_set(struct kube_request *out, const char *method, char *path,
                         const char *ct, char *body)
{
	out->method = method;
	out->path = path;
	out->content_type = ct;
	out->body = body;
}

/* "/apis/apps/v1/namespaces/NS/deployments/NAME" (no query). */
static char *kube_object_path(const struct kube_ref *r)
{
	const struct kube_kind_info *k = kube_kind_info(r->kind);

	return xasprintf("/apis/%s/namespaces/%s/%s/%s", k->group_version, r->ns, k->plural, r->name);
}

static int kube_ref_check(const struct kube_ref *r, char **cause)
{
	if (!kube_namespace_valid(r->ns))
		return kube_bad_name("namespace", r->ns, cause);
	if (!kube_name_valid(r->name))
		return kube_bad_name("object", r->name, cause);
	return 0;
}

int kube_req_node_get(const char *node, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_name_valid(node))
		return kube_bad_name("node", node, cause);
	kube_req_set(out, "GET", xasprintf("/api/v1/nodes/%s", node), NULL, NULL);
	return 0;
}

int kube_req_cordon(const char *node, bool cordon, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_name_valid(node))
		return kube_bad_name("node", node, cause);
	kube_req_set(out, "PATCH", xasprintf("/api/v1/nodes/%s?fieldManager=" KUBE_FIELD_MANAGER, node),
	             KUBE_CT_SMP, xasprintf("{\"spec\":{\"unschedulable\":%s}}",
	                                    cordon ? "true" : "null"));
	return 0;
}

int kube_req_object_get(const struct kube_ref *r, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (kube_ref_check(r, cause) != 0)
		return -1;
	kube_req_set(out, "GET", kube_object_path(r), NULL, NULL);
	return 0;
}

static char *kube_patch_path(const struct kube_ref *r)
{
	char *p = kube_object_path(r), *q = xasprintf("%s?fieldManager=" KUBE_FIELD_MANAGER, p);

	free(p);
	return q;
}

/* A time as the builders take it: digits, '-', ':', 'T', '.', 'Z' only. */
static bool kube_time_text(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 40)
		return false;
	return strspn(s, "0123456789-:T.Z") == strlen(s);
}

int kube_req_rollout_restart(const struct kube_ref *r, const char *restarted_at,
                             struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_kind_is_workload(r->kind)) {
		util_set_cause(cause, "a rollout restart is for a Deployment, StatefulSet or DaemonSet, "
		               "not a %s", kube_kind_name(r->kind));
		return -1;
	}
	if (kube_ref_check(r, cause) != 0)
		return -1;
	if (!kube_time_text(restarted_at)) {
		util_set_cause(cause, "'%s' is not a time", restarted_at != NULL ? restarted_at : "");
		return -1;
	}
	kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_SMP,
	             xasprintf("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
	                       "{\"kubectl.kubernetes.io/restartedAt\":\"%s\"}}}}}", restarted_at));
	return 0;
}

int kube_req_pods_on_node(const char *node, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_name_valid(node))
		return kube_bad_name("node", node, cause);
	kube_req_set(out, "GET",
	             xasprintf("/api/v1/pods?fieldSelector=spec.nodeName%%3D%s&limit=500", node),
	             NULL, NULL);
	return 0;
}

int kube_req_pod_get(const char *ns, const char *name, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_namespace_valid(ns))
		return kube_bad_name("namespace", ns, cause);
	if (!kube_name_valid(name))
		return kube_bad_name("pod", name, cause);
	kube_req_set(out, "GET", xasprintf("/api/v1/namespaces/%s/pods/%s", ns, name), NULL, NULL);
	return 0;
}

int kube_req_evict(const char *ns, const char *name, struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_namespace_valid(ns))
		return kube_bad_name("namespace", ns, cause);
	if (!kube_name_valid(name))
		return kube_bad_name("pod", name, cause);
	kube_req_set(out, "POST", xasprintf("/api/v1/namespaces/%s/pods/%s/eviction", ns, name),
	             KUBE_CT_JSON,
	             xasprintf("{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\",\"metadata\":"
	                       "{\"name\":\"%s\",\"namespace\":\"%s\",\"creationTimestamp\":null},"
	                       "\"deleteOptions\":{}}", name, ns));
	return 0;
}

int kube_req_flux_reconcile(const struct kube_ref *r, const char *requested_at,
                            struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_kind_is_flux(r->kind)) {
		util_set_cause(cause, "reconcile is for a Flux Kustomization, HelmRelease or "
		               "GitRepository, not a %s", kube_kind_name(r->kind));
		return -1;
	}
	if (kube_ref_check(r, cause) != 0)
		return -1;
	if (!kube_time_text(requested_at)) {
		util_set_cause(cause, "'%s' is not a time", requested_at != NULL ? requested_at : "");
		return -1;
	}
	kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_MERGE,
	             xasprintf("{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":"
	                       "\"%s\"}}}", requested_at));
	return 0;
}

int kube_req_flux_suspend(const struct kube_ref *r, bool suspend, const char *requested_at,
                          struct kube_request *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!kube_kind_is_flux(r->kind)) {
		util_set_cause(cause, "%s is for a Flux Kustomization, HelmRelease or GitRepository, "
		               "not a %s", suspend ? "suspend" : "resume", kube_kind_name(r->kind));
		return -1;
	}
	if (kube_ref_check(r, cause) != 0)
		return -1;
	if (suspend || requested_at == NULL) {
		kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_MERGE,
		             xasprintf("{\"spec\":{\"suspend\":%s}}", suspend ? "true" : "false"));
		return 0;
	}
	if (!kube_time_text(requested_at)) {
		util_set_cause(cause, "'%s' is not a time", requested_at);
		return -1;
	}
	kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_MERGE,
	             xasprintf("{\"spec\":{\"suspend\":false},\"metadata\":{\"annotations\":"
	                       "{\"reconcile.fluxcd.io/requestedAt\":\"%s\"}}}", requested_at));
	return 0;
}

/* s as a JSON string's contents (quotes, backslashes and controls escaped). */
static void kube_json_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_append(b, s, 1);
	}
}

int kube_req_argo_sync(const struct kube_ref *r, const char *user, struct kube_request *out,
                       char **cause)
{
	struct buf b;

	memset(out, 0, sizeof *out);
	if (r->kind != KUBE_K_APPLICATION) {
		util_set_cause(cause, "sync is for an Argo CD Application, not a %s",
		               kube_kind_name(r->kind));
		return -1;
	}
	if (kube_ref_check(r, cause) != 0)
		return -1;
	buf_init(&b);
	buf_printf(&b, "{\"operation\":{\"initiatedBy\":{\"username\":\"kitetop@");
	kube_json_escape(&b, user != NULL && *user != '\0' ? user : "unknown");
	buf_printf(&b, "\"},\"sync\":{\"syncStrategy\":{\"hook\":{}}}}}");
	kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_MERGE, buf_steal(&b));
	return 0;
}

int kube_req_argo_refresh(const struct kube_ref *r, bool hard, struct kube_request *out,
                          char **cause)
{
	memset(out, 0, sizeof *out);
	if (r->kind != KUBE_K_APPLICATION) {
		util_set_cause(cause, "refresh is for an Argo CD Application, not a %s",
		               kube_kind_name(r->kind));
		return -1;
	}
	if (kube_ref_check(r, cause) != 0)
		return -1;
	kube_req_set(out, "PATCH", kube_patch_path(r), KUBE_CT_MERGE,
	             xasprintf("{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":"
	                       "\"%s\"}}}", hard ? "hard" : "normal"));
	return 0;
}

void kube_req_list(const char *what, struct kube_request *out)
{
	const char *path = "/api/v1/nodes?limit=500";

	if (strcmp(what, "volumes") == 0)
		path = "/apis/longhorn.io/v1beta2/volumes?limit=500";
	else if (strcmp(what, "replicas") == 0)
		path = "/apis/longhorn.io/v1beta2/replicas?limit=500";
	else if (strcmp(what, "databases") == 0)
		path = "/apis/postgresql.cnpg.io/v1/clusters?limit=500";
	memset(out, 0, sizeof *out);
	kube_req_set(out, "GET", xstrdup(path), NULL, NULL);
}

/* ---- interlocks ---- */

int kube_check_cordon(const struct kube_node *n, bool cordon, char **cause)
{
	if (n->unschedulable == cordon) {
		util_set_cause(cause, "%s is already %s", n->name, cordon ? "cordoned" : "schedulable");
		return 1;
	}
	return 0;
}

int kube_check_rollout(const struct kube_workload *w, char **cause)
{
	if (w->kind == KUBE_DEPLOYMENT && w->state == KUBE_ROLLOUT_PAUSED) {
		util_set_cause(cause, "deployment %s/%s is paused: kubectl refuses to restart a paused "
		               "deployment (run `kubectl rollout resume` first)", w->ns, w->name);
		return -1;
	}
	return 0;
}

static const char *kube_gitops_word(enum kube_gitops_kind k)
{
	switch (k) {
	case KUBE_KUSTOMIZATION: return "Kustomization";
	case KUBE_HELMRELEASE: return "HelmRelease";
	case KUBE_GITREPOSITORY: return "GitRepository";
	case KUBE_APPLICATION: return "Application";
	}
	return "object";
}

int kube_check_flux_reconcile(const struct kube_gitops *g, char **cause)
{
	if (g->suspended) {
		util_set_cause(cause, "%s %s/%s is suspended: resume it first (flux refuses to "
		               "reconcile a suspended object)", kube_gitops_word(g->kind), g->ns, g->name);
		return -1;
	}
	return 0;
}

int kube_check_flux_suspend(const struct kube_gitops *g, bool suspend, char **cause)
{
	if (g->suspended == suspend) {
		util_set_cause(cause, "%s %s/%s is already %s", kube_gitops_word(g->kind), g->ns,
		               g->name, suspend ? "suspended" : "running (not suspended)");
		return 1;
	}
	return 0;
}

int kube_check_argo_sync(const struct kube_gitops *g, char **cause)
{
	if (g->op_pending || (g->op_phase != NULL && strcmp(g->op_phase, "Running") == 0)) {
		util_set_cause(cause, "Application %s/%s: another operation is already in progress "
		               "(%s)", g->ns, g->name, g->op_pending ? "an operation is pending" :
		               "operationState.phase Running");
		return -1;
	}
	return 0;
}

/* ---- verification ---- */

enum kube_verdict kube_verify_cordon(const struct kube_node *n, bool cordon, char **why)
{
	if (n->unschedulable == cordon)
		return KUBE_DONE;
	util_set_cause(why, "%s still shows %s", n->name, cordon ? "schedulable" : "unschedulable");
	return KUBE_WAIT;
}

enum kube_verdict kube_verify_rollout(const struct kube_workload *w, int64_t restarted_ms,
                                      char **why)
{
	if (w->restarted_ms / 1000 != restarted_ms / 1000) {
		if (w->restarted_ms > restarted_ms) {
			util_set_cause(why, "another restart (a later restartedAt) replaced ours");
			return KUBE_BROKE;
		}
		util_set_cause(why, "the template does not show our restartedAt yet");
		return KUBE_WAIT;
	}
	if (w->state == KUBE_ROLLOUT_FAILED) {
		util_set_cause(why, "the rollout failed: %s",
		               w->message != NULL ? w->message : "progress deadline exceeded");
		return KUBE_BROKE;
	}
	if (w->state == KUBE_ROLLOUT_DONE && w->observed_generation >= w->generation)
		return KUBE_DONE;
	util_set_cause(why, "%s", w->message != NULL ? w->message : "the rollout is in progress");
	return KUBE_WAIT;
}

enum kube_verdict kube_verify_flux_reconcile(const struct kube_gitops *g,
                                             const char *requested_at, char **why)
{
	if (g->handled_at == NULL || strcmp(g->handled_at, requested_at) != 0) {
		util_set_cause(why, "the controller has not handled the request yet");
		return KUBE_WAIT;
	}
	if (g->ready == KUBE_TRUE)
		return KUBE_DONE;
	if (g->ready == KUBE_FALSE) {
		util_set_cause(why, "reconciled, not Ready: %s%s%s", g->reason != NULL ? g->reason : "",
		               g->reason != NULL && g->message != NULL ? ": " : "",
		               g->message != NULL ? g->message : "");
		return KUBE_BROKE;
	}
	util_set_cause(why, "handled, Ready not yet known");
	return KUBE_WAIT;
}

enum kube_verdict kube_verify_flux_suspend(const struct kube_gitops *g, bool suspend, char **why)
{
	if (g->suspended == suspend)
		return KUBE_DONE;
	util_set_cause(why, "spec.suspend is still %s", g->suspended ? "true" : "false");
	return KUBE_WAIT;
}

enum kube_verdict kube_verify_argo_sync(const struct kube_gitops *g, int64_t before_finished_ms,
                                        char **why)
{
	if (g->op_pending) {
		util_set_cause(why, "the sync is pending (the controller has not taken it)");
		return KUBE_WAIT;
	}
	if (g->op_phase == NULL || g->op_finished_ms <= before_finished_ms) {
		util_set_cause(why, "operation %s", g->op_phase != NULL ? g->op_phase : "not started");
		return KUBE_WAIT;
	}
	if (strcmp(g->op_phase, "Succeeded") == 0)
		return KUBE_DONE;
	if (strcmp(g->op_phase, "Failed") == 0 || strcmp(g->op_phase, "Error") == 0) {
		util_set_cause(why, "sync %s: %s", g->op_phase,
		               g->message != NULL ? g->message : "(no message)");
		return KUBE_BROKE;
	}
	util_set_cause(why, "operation %s", g->op_phase);
	return KUBE_WAIT;
}
