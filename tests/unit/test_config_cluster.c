/* Unit tests of core/config's [cluster NAME] section: defaults, via lists
 * checked against the [host]s, the three kubeconfig forms, token_file read
 * at load, namespaces, and every error with its line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/base/util.h"
#include "core/config/config.h"
#include "tests/support/config_test.h"

#define HOSTS "[host neko]\nssh = kite@127.0.0.2\n[host neko2]\nssh = kite@127.0.0.3\n[host plain]\naddress = 127.0.0.4\n"

static void test_cluster_defaults(void **state)
{
	struct config *cfg = config_test_parse_ok(HOSTS "[cluster axiom]\nvia = neko, neko2\n");
	const struct config_cluster *k;

	(void)state;
	assert_int_equal(cfg->nclusters, 1);
	k = &cfg->clusters[0];
	assert_string_equal(k->name, "axiom");
	assert_int_equal(k->line, 7);
	assert_int_equal(k->nvia, 2);
	assert_string_equal(k->via[0], "neko");
	assert_string_equal(k->via[1], "neko2");
	assert_string_equal(k->api, "https://127.0.0.1:6443");
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_REMOTE);
	assert_string_equal(k->kubeconfig, "/etc/rancher/k3s/k3s.yaml");
	assert_null(k->token.value);
	assert_null(k->namespaces);
	assert_int_equal(k->nnamespaces, 0);
	config_free(cfg);
}

static void test_cluster_every_key(void **state)
{
	struct config *cfg;
	const struct config_cluster *k;

	(void)state;
	cfg = config_test_parse_ok(HOSTS "[cluster a]\nvia = neko2\napi = https://127.0.0.165:6443\n"
	                           "kubeconfig = remote:/srv/k3s.yaml\nnamespaces = default, n8n ,kube-system\n"
	                           "[cluster b]\nkubeconfig = context:lab\nnamespaces = *\n"
	                           "[cluster c]\nkubeconfig = ~/kube/config\n");
	assert_int_equal(cfg->nclusters, 3);
	k = &cfg->clusters[0];
	assert_int_equal(k->nvia, 1);
	assert_string_equal(k->api, "https://127.0.0.165:6443");
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_REMOTE);
	assert_string_equal(k->kubeconfig, "/srv/k3s.yaml");
	assert_int_equal(k->nnamespaces, 3);
	assert_string_equal(k->namespaces[1], "n8n");
	assert_string_equal(k->namespaces[2], "kube-system");
	k = &cfg->clusters[1];
	assert_int_equal(k->nvia, 0);
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_CONTEXT);
	assert_string_equal(k->kubeconfig, "lab");
	assert_int_equal(k->nnamespaces, 0);
	k = &cfg->clusters[2];
	assert_int_equal(k->kubeconfig_kind, CONFIG_KUBECONFIG_LOCAL);
	{
		char *p = config_test_home_path("kube/config");

		assert_string_equal(k->kubeconfig, p);
		free(p);
	}
	config_free(cfg);
}

static void test_cluster_token_file_read_at_load(void **state)
{
	struct config *cfg;
	const struct config_cluster *k;

	(void)state;
	config_test_write_home_file("k.token", "sekret-token\n", 0600);
	cfg = config_test_parse_ok(HOSTS "[cluster t]\nvia = neko\ntoken_file = ~/k.token\n");
	k = &cfg->clusters[0];
	assert_string_equal(k->token.value, "sekret-token");
	assert_null(k->kubeconfig);   /* the token stands instead of the kubeconfig */
	config_free(cfg);
	/* a token file open to others is refused, without its content */
	config_test_write_home_file("k2.token", "open-token\n", 0644);
	config_test_expect_error_s(HOSTS "[cluster t]\nvia = neko\ntoken_file = ~/k2.token\n", 9, "k2.token");
	/* a kubeconfig with the token: its CA, the token for its user */
	cfg = config_test_parse_ok(HOSTS "[cluster t]\nvia = neko\nkubeconfig = remote:/srv/k3s.yaml\n"
	                           "token_file = ~/k.token\n");
	assert_string_equal(cfg->clusters[0].kubeconfig, "/srv/k3s.yaml");
	assert_string_equal(cfg->clusters[0].token.value, "sekret-token");
	config_free(cfg);
	/* with no via, a token reaches the API from this machine */
	cfg = config_test_parse_ok("[cluster t]\napi = https://127.0.0.165:6443\ntoken_file = ~/k.token\n");
	assert_int_equal(cfg->clusters[0].nvia, 0);
	config_free(cfg);
}

static void test_cluster_errors_name_their_line(void **state)
{
	(void)state;
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = nobody\n", 8, "there is no [host nobody]");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko, plain\n", 8, "host plain has no ssh");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko,,neko2\n", 8, "an empty name");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko, neko\n", 8, "neko is named twice");
	config_test_expect_error_s(HOSTS "[cluster a]\n", 7, "needs via");
	config_test_expect_error_s(HOSTS "[cluster a]\nkubeconfig = remote:/x.yaml\n", 7, "needs via");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\nkubeconfig = remote:etc/k3s.yaml\n", 9,
	                           "must be absolute");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\nkubeconfig = context:\n", 9,
	                           "needs a context name");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\napi = http://127.0.0.1:6443\n", 7,
	                           "the Kubernetes API is https://");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\nnamespaces = *, default\n", 9,
	                           "* means every namespace");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\nnamespaces = a b\n", 9, "namespace");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\nservers = neko\n", 9, "unknown key servers");
	config_test_expect_error_s(HOSTS "[cluster]\nvia = neko\n", 7, "[cluster] needs a name");
	config_test_expect_error_s(HOSTS "[cluster a]\nvia = neko\n[cluster a]\nvia = neko2\n", 9, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cluster_defaults, config_test_setup),
		cmocka_unit_test_setup(test_cluster_every_key, config_test_setup),
		cmocka_unit_test_setup(test_cluster_token_file_read_at_load, config_test_setup),
		cmocka_unit_test_setup(test_cluster_errors_name_their_line, config_test_setup),
	};

	return cmocka_run_group_tests(tests, config_test_group_setup, config_test_group_teardown);
}
