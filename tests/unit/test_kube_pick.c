/* Unit tests: the Cluster view's pick list of GitOps objects
 * (tui/kube_pick): which objects it lists for s and S, in what order, and
 * that each choice reads back as the object (kube_ref_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/actions/kube_plan.h"
#include "tui/kube_pick.h"

#define S(x) ((char *)(x))

static struct kube_gitops gitops[] = {
	/* 0 fine */
	{ .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("infra"), .ready = KUBE_TRUE },
	/* 1 Synced Healthy: fine */
	{ .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("campfire"), .sync = S("Synced"),
	  .health = S("Healthy"), .ready = KUBE_TRUE },
	/* 2 not Ready */
	{ .kind = KUBE_HELMRELEASE, .ns = S("monitoring"), .name = S("loki"), .ready = KUBE_FALSE,
	  .reason = S("InstallFailed") },
	/* 3 OutOfSync */
	{ .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("n8n"), .sync = S("OutOfSync"),
	  .health = S("Healthy"), .ready = KUBE_TRUE },
	/* 4 fine */
	{ .kind = KUBE_GITREPOSITORY, .ns = S("flux-system"), .name = S("flux-system"),
	  .ready = KUBE_TRUE },
	/* 5 suspended (and Ready) */
	{ .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("apps"), .ready = KUBE_TRUE,
	  .suspended = true },
	/* 6 Synced but Degraded */
	{ .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("forgejo"), .sync = S("Synced"),
	  .health = S("Degraded"), .ready = KUBE_FALSE },
	/* 7 Ready Unknown (reconciling) */
	{ .kind = KUBE_KUSTOMIZATION, .ns = S("flux-system"), .name = S("tenants"),
	  .ready = KUBE_UNKNOWN },
	/* 8 Synced Progressing: not a finding */
	{ .kind = KUBE_APPLICATION, .ns = S("argocd"), .name = S("outline"), .sync = S("Synced"),
	  .health = S("Progressing"), .ready = KUBE_UNKNOWN },
};

static struct kube_cluster cluster = {
	.name = S("axiomlayer"), .gitops = gitops, .ngitops = sizeof gitops / sizeof gitops[0],
};

static void test_attention(void **state)
{
	const bool want[] = { false, false, true, true, false, true, true, true, false };

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_int_equal(kube_pick_attention(&gitops[i]), want[i]);
}

static void test_sync_lists_all_attention_first(void **state)
{
	struct kube_pick_item it[16];
	const char *want[] = {
		"HelmRelease/monitoring/loki", "Application/argocd/n8n", "Kustomization/flux-system/apps",
		"Application/argocd/forgejo", "Kustomization/flux-system/tenants",
		"Kustomization/flux-system/infra", "Application/argocd/campfire",
		"GitRepository/flux-system/flux-system", "Application/argocd/outline",
	};
	size_t n = kube_pick_build(&cluster, false, it, 16);

	assert_int_equal(n, 9);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(it[i].ref, want[i]);
		assert_int_equal(it[i].attention, i < 5);
	}
	assert_string_equal(it[0].state, "not Ready: InstallFailed");
	assert_string_equal(it[1].state, "OutOfSync Healthy");
	assert_string_equal(it[2].state, "suspended");
	assert_true(it[2].suspended);
	assert_string_equal(it[4].state, "Ready Unknown");
	assert_string_equal(it[5].state, "Ready");
	assert_false(it[5].suspended);
	/* max caps it, the attention group first */
	assert_int_equal(kube_pick_build(&cluster, false, it, 2), 2);
	assert_string_equal(it[1].ref, "Application/argocd/n8n");
}

static void test_suspend_lists_flux_only(void **state)
{
	struct kube_pick_item it[16];
	const char *want[] = {
		"HelmRelease/monitoring/loki", "Kustomization/flux-system/apps",
		"Kustomization/flux-system/tenants", "Kustomization/flux-system/infra",
		"GitRepository/flux-system/flux-system",
	};
	size_t n = kube_pick_build(&cluster, true, it, 16);

	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(it[i].ref, want[i]);
}

static void test_refs_parse_back(void **state)
{
	struct kube_pick_item it[16];
	struct kube_ref r;
	char *cause = NULL;
	size_t n = kube_pick_build(&cluster, false, it, 16);

	for (size_t i = 0; i < n; i++) {
		char back[400];

		assert_int_equal(kube_ref_parse(it[i].ref, false, &r, &cause), 0);
		kube_ref_format(&r, back, sizeof back);
		assert_string_equal(back, it[i].ref);
	}
}

static void test_empty(void **state)
{
	struct kube_pick_item it[4];
	struct kube_cluster none = { .name = S("bare") };

	assert_int_equal(kube_pick_build(NULL, false, it, 4), 0);
	assert_int_equal(kube_pick_build(&none, false, it, 4), 0);
	/* only Argo CD: nothing for S */
	none.gitops = &gitops[1];
	none.ngitops = 1;
	assert_int_equal(kube_pick_build(&none, true, it, 4), 0);
	assert_int_equal(kube_pick_build(&none, false, it, 4), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attention),
		cmocka_unit_test(test_sync_lists_all_attention_first),
		cmocka_unit_test(test_suspend_lists_flux_only),
		cmocka_unit_test(test_refs_parse_back),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
