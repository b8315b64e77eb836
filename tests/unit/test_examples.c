/* Unit test: the example configurations shipped in examples/ parse (their
 * hosts are Tailscale and LAN addresses: parsed only, never contacted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config/config.h"
#include "tui/keys.h"

static void test_kitestacks_example(void **state)
{
	char *cause = NULL;
	struct config *cfg;

	setenv("KITETOP_PG_PASSWORD", "x", 1);
	setenv("KITETOP_AUTHENTIK_TOKEN", "x", 1);
	setenv("KITETOP_CLOUDFLARE_TOKEN", "x", 1);
	cfg = config_load("examples/kitestacks.conf", &cause);
	if (cfg == NULL)
		fail_msg("examples/kitestacks.conf: %s", cause);
	assert_int_equal(cfg->nhosts, 2);
	assert_string_equal(cfg->hosts[0].name, "monk");
	assert_string_equal(cfg->hosts[1].name, "kscloud1");
	assert_non_null(cfg->prometheus);
	assert_non_null(cfg->postgres);
	assert_non_null(cfg->redis);
	assert_non_null(cfg->authentik);
	assert_non_null(cfg->cloudflare);
	assert_true(cfg->nservices >= 8);
	assert_int_equal(cfg->npanels, 2);
	/* its [keys] goes on the key table as the dashboard would put it */
	assert_int_equal(cfg->keys.n, 1);
	assert_int_equal(keys_apply(&cfg->keys, &cause), 0);
	assert_int_equal(keys_lookup('6', KEY_SCOPE_ANY), KEY_ACT_VIEW_EVENTS);
	assert_int_equal(keys_apply(NULL, NULL), 0);
	config_free(cfg);
	/* without its secrets' variables it says which one is missing */
	unsetenv("KITETOP_PG_PASSWORD");
	assert_null(config_load("examples/kitestacks.conf", &cause));
	assert_non_null(strstr(cause, "KITETOP_PG_PASSWORD"));
	free(cause);
}

/* axiomlayer: four K3s nodes as hosts, the cluster reached through the two
 * servers in order with K3s's own kubeconfig read over SSH. */
static void test_axiomlayer_example(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load("examples/axiomlayer.conf", &cause);
	const struct config_cluster *k;

	if (cfg == NULL)
		fail_msg("examples/axiomlayer.conf: %s", cause);
	assert_int_equal(cfg->nhosts, 4);
	assert_string_equal(cfg->hosts[3].name, "bobcat");
	assert_true(cfg->read_only);
	assert_int_equal(cfg->nclusters, 1);
	k = &cfg->clusters[0];
	assert_string_equal(k->name, "axiomlayer");
	assert_int_equal(k->nvia, 2);
	assert_string_equal(k->via[0], "neko");
	assert_string_equal(k->via[1], "neko2");
	assert_string_equal(k->api, CONFIG_DEFAULT_KUBE_API);
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_REMOTE);
	assert_string_equal(k->kubeconfig, CONFIG_DEFAULT_KUBECONFIG);
	assert_int_equal(k->nnamespaces, 0);
	assert_null(k->token.value);
	config_free(cfg);
}

/* The Proxmox K3s lab with Flux: a local kubeconfig context, three servers. */
static void test_k3s_flux_example(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load("examples/k3s-flux.conf", &cause);
	const struct config_cluster *k;

	if (cfg == NULL)
		fail_msg("examples/k3s-flux.conf: %s", cause);
	assert_int_equal(cfg->nhosts, 3);
	assert_int_equal(cfg->nclusters, 1);
	k = &cfg->clusters[0];
	assert_string_equal(k->name, "homelab");
	assert_int_equal(k->nvia, 3);
	assert_string_equal(k->via[2], "k3s-3");
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_CONTEXT);
	assert_string_equal(k->kubeconfig, "homelab");
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kitestacks_example),
		cmocka_unit_test(test_axiomlayer_example),
		cmocka_unit_test(test_k3s_flux_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
