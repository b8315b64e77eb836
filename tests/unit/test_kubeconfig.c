/* Unit tests of backends/kubeconfig: the K3s kubeconfig shape, files
 * relative to the base directory, tokens, what is refused and how it is
 * said, and kubectl's $KUBECONFIG merge order (temporary files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backends/kubeconfig.h"
#include "core/base/util.h"
#include "tests/support/fixture.h"

/* base64 of "CA-PEM", "CERT-PEM", "KEY-PEM" */
#define CA_B64 "Q0EtUEVN"
#define CERT_B64 "Q0VSVC1QRU0="
#define KEY_B64 "S0VZLVBFTQ=="

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void make_dir(const char *name)
{
	char *path = xasprintf("%s/%s", tmpdir, name);

	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/kt-kubeconfig.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	unsetenv("KUBECONFIG");
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int parse(const char *text, const char *ctx, const char *dir, struct kube_creds *c,
                 char **cause)
{
	return kubeconfig_parse(text, strlen(text), ctx, dir, c, cause);
}

/* The file K3s writes to /etc/rancher/k3s/k3s.yaml (names all "default"). */
static void test_k3s(void **state)
{
	char *text = fixture_read("kube", "k3s.yaml", NULL), *cause = NULL;
	struct kube_creds c;

	assert_int_equal(parse(text, NULL, NULL, &c, &cause), 0);
	assert_string_equal(c.server, "https://127.0.0.1:6443");
	assert_string_equal(c.context, "default");
	assert_null(c.namespace);
	assert_non_null(strstr(c.ca_pem, "-----BEGIN CERTIFICATE-----"));
	assert_int_equal(c.ca_len, strlen(c.ca_pem));
	assert_non_null(strstr(c.cert_pem, "-----BEGIN CERTIFICATE-----"));
	assert_non_null(strstr(c.key_pem, "-----BEGIN EC PRIVATE KEY-----"));
	assert_null(c.token);
	assert_false(c.insecure);
	assert_null(c.tls_server_name);
	kube_creds_done(&c);
	assert_null(c.server);
	assert_null(c.key_pem);
	kube_creds_done(&c);   /* twice is harmless */
	free(text);
}

static void test_files_relative(void **state)
{
	char *text, *cause = NULL;
	struct kube_creds c;

	write_file("ca.crt", "CA-FILE\n");
	write_file("client.crt", "CERT-FILE\n");
	write_file("client.key", "KEY-FILE\n");
	text = xasprintf("apiVersion: v1\nkind: Config\ncurrent-context: lab\n"
	                 "clusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\n"
	                 "    certificate-authority: ca.crt\n    tls-server-name: kubernetes\n"
	                 "contexts:\n- name: lab\n  context: {cluster: c, user: u, namespace: apps}\n"
	                 "users:\n- name: u\n  user:\n    client-certificate: client.crt\n"
	                 "    client-key: %s/client.key\n", tmpdir);
	assert_int_equal(parse(text, NULL, tmpdir, &c, &cause), 0);
	assert_string_equal(c.ca_pem, "CA-FILE\n");
	assert_int_equal(c.ca_len, 8);
	assert_string_equal(c.cert_pem, "CERT-FILE\n");
	assert_string_equal(c.key_pem, "KEY-FILE\n");
	assert_string_equal(c.namespace, "apps");
	assert_string_equal(c.tls_server_name, "kubernetes");
	kube_creds_done(&c);

	/* read over SSH: no directory, no files */
	assert_int_equal(parse(text, NULL, NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: cluster \"c\" names a file (certificate-authority: "
	                           "ca.crt), which is not read from a kubeconfig given as text; use "
	                           "certificate-authority-data");
	assert_null(c.server);
	free(cause);
	cause = NULL;

	/* a file that is not there */
	{
		char *key = xasprintf("%s/client.key", tmpdir);

		assert_int_equal(unlink(key), 0);
		free(key);
	}
	assert_int_equal(parse(text, NULL, tmpdir, &c, &cause), -1);
	assert_non_null(strstr(cause, "kubeconfig: user \"u\": client-key: cannot read "));
	free(cause);
	free(text);
}

static void test_tokens(void **state)
{
	static const char cfg[] =
		"clusters:\n- name: c\n  cluster:\n    server: https://h:6443\n"
		"    insecure-skip-tls-verify: true\n"
		"contexts:\n- name: a\n  context: {cluster: c, user: tok}\n"
		"- name: b\n  context: {cluster: c, user: file}\n"
		"- name: e\n  context: {cluster: c, user: empty}\n"
		"users:\n- name: tok\n  user: {token: abc.def}\n"
		"- name: file\n  user: {tokenFile: token}\n"
		"- name: empty\n  user: {tokenFile: empty}\n";
	struct kube_creds c;
	char *cause = NULL;

	write_file("token", "s3cr3t-token\n");
	write_file("empty", "\n");
	assert_int_equal(parse(cfg, "a", NULL, &c, &cause), 0);
	assert_string_equal(c.token, "abc.def");
	assert_true(c.insecure);
	assert_null(c.ca_pem);
	assert_null(c.cert_pem);
	kube_creds_done(&c);
	assert_int_equal(parse(cfg, "b", tmpdir, &c, &cause), 0);
	assert_string_equal(c.token, "s3cr3t-token");
	assert_string_equal(c.context, "b");
	kube_creds_done(&c);
	assert_int_equal(parse(cfg, "e", tmpdir, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: user \"empty\": tokenFile empty is empty");
	free(cause);
}

struct refusal {
	const char *user;      /* YAML of the user's mapping */
	const char *cause;
};

static void test_refused(void **state)
{
	static const struct refusal t[] = {
		{"{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}}",
		 "kubeconfig: exec credential plugins are not supported (user \"u\"): use a client "
		 "certificate or a token"},
		{"{auth-provider: {name: oidc, config: {}}}",
		 "kubeconfig: auth-provider \"oidc\" is not supported (user \"u\"): use a client "
		 "certificate or a token"},
		{"{username: admin, password: hunter2}",
		 "kubeconfig: basic auth is not supported (user \"u\"): use a client certificate or a "
		 "token"},
		{"{}", "kubeconfig: user \"u\" has no client certificate or token"},
		{"{client-certificate-data: " CERT_B64 "}",
		 "kubeconfig: user \"u\" has a client certificate without a client key"},
		{"{client-key-data: " KEY_B64 "}",
		 "kubeconfig: user \"u\" has a client key without a client certificate"},
		{"{client-certificate-data: 'Q0VS!', client-key-data: " KEY_B64 "}",
		 "kubeconfig: user \"u\": client-certificate-data is not valid base64"},
		{"{client-certificate-data: 'Q0VSV', client-key-data: " KEY_B64 "}",
		 "kubeconfig: user \"u\": client-certificate-data is not valid base64"},
		{"{client-certificate-data: 'Q0=VS', client-key-data: " KEY_B64 "}",
		 "kubeconfig: user \"u\": client-certificate-data is not valid base64"},
	};
	struct kube_creds c;
	char *cause = NULL, *text;
	const char *good;
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(t); i++) {
		text = xasprintf("current-context: x\nclusters: [{name: c, cluster: {server: "
		                 "'https://h', certificate-authority-data: " CA_B64 "}}]\n"
		                 "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
		                 "users: [{name: u, user: %s}]\n", t[i].user);
		assert_int_equal(parse(text, NULL, tmpdir, &c, &cause), -1);
		if (strcmp(cause, t[i].cause) != 0)
			fail_msg("%s: \"%s\"", t[i].user, cause);
		assert_null(c.server);
		free(text);
	}
	free(cause);

	/* and the good one: inline data, whitespace in the base64 allowed */
	good = "current-context: x\nclusters: [{name: c, cluster: {server: 'https://h', "
	       "certificate-authority-data: " CA_B64 "}}]\ncontexts: [{name: x, context: "
	       "{cluster: c, user: u}}]\nusers: [{name: u, user: {client-certificate-data: "
	       "\"Q0VS\\nVC1QRU0=\", client-key-data: " KEY_B64 "}}]\n";
	cause = NULL;
	assert_int_equal(parse(good, NULL, NULL, &c, &cause), 0);
	assert_string_equal(c.ca_pem, "CA-PEM");
	assert_string_equal(c.cert_pem, "CERT-PEM");
	assert_string_equal(c.key_pem, "KEY-PEM");
	assert_int_equal(c.key_len, 7);
	kube_creds_done(&c);
}

static void test_contexts(void **state)
{
	static const char cfg[] =
		"contexts:\n- name: a\n  context: {cluster: c, user: u}\n"
		"- name: b\n  context: {cluster: nope, user: u}\n"
		"- name: d\n  context: {cluster: c, user: nobody}\n"
		"- name: f\n  context: {cluster: noserver, user: u}\n"
		"clusters: [{name: c, cluster: {server: 'https://h'}}, {name: noserver, cluster: {}}]\n"
		"users: [{name: u, user: {token: t}}]\n";
	struct kube_creds c;
	char *cause = NULL;

	assert_int_equal(parse(cfg, "x", NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: context \"x\" not found (contexts: a, b, d, f)");
	assert_int_equal(parse(cfg, NULL, NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: no current-context and no context given "
	                           "(contexts: a, b, d, f)");
	assert_int_equal(parse(cfg, "b", NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: context \"b\" names cluster \"nope\", which is not "
	                           "defined");
	assert_int_equal(parse(cfg, "d", NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: context \"d\" names user \"nobody\", which is not "
	                           "defined");
	assert_int_equal(parse(cfg, "f", NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: cluster \"noserver\" has no server");
	assert_int_equal(parse(cfg, "a", NULL, &c, &cause), 0);
	assert_string_equal(c.token, "t");
	kube_creds_done(&c);

	assert_int_equal(parse("a: [b\n", NULL, NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, "kubeconfig text: YAML error at line 2"));
	assert_int_equal(parse("- 1\n", NULL, NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig text: not a mapping at the top");
	assert_int_equal(parse("", NULL, NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: no current-context and no context given "
	                           "(contexts: none)");
	free(cause);
	cause = NULL;

	/* JSON is YAML */
	assert_int_equal(parse("{\"current-context\":\"j\",\"contexts\":[{\"name\":\"j\",\"context\":"
	                       "{\"cluster\":\"c\",\"user\":\"u\"}}],\"clusters\":[{\"name\":\"c\","
	                       "\"cluster\":{\"server\":\"https://j\"}}],\"users\":[{\"name\":\"u\","
	                       "\"user\":{\"token\":\"jt\"}}]}", NULL, NULL, &c, &cause), 0);
	assert_string_equal(c.server, "https://j");
	kube_creds_done(&c);
}

static void test_size_limit(void **state)
{
	size_t n = KUBECONFIG_MAX + 1;
	char *big = xmalloc(n + 1), *cause = NULL;
	struct kube_creds c;

	memset(big, '#', n);
	big[n] = '\0';
	assert_int_equal(kubeconfig_parse(big, n, NULL, NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig text is over 1048576 bytes");
	free(cause);
	free(big);
}

/* $KUBECONFIG: the first file to define a name wins, current-context from
 * the first file that sets one, missing files skipped, relative paths from
 * the file that names them; else ~/.kube/config. */
static void test_load_merge(void **state)
{
	struct kube_creds c;
	char *env, *cause = NULL, *home;

	write_file("one.yaml", "current-context: a\n"
	                       "clusters: [{name: c, cluster: {server: 'https://first'}}]\n"
	                       "contexts: [{name: a, context: {cluster: c, user: u}}]\n");
	make_dir("sub");
	write_file("sub/two.yaml", "current-context: b\n"
	                           "clusters: [{name: c, cluster: {server: 'https://second'}},"
	                           " {name: d, cluster: {server: 'https://d'}}]\n"
	                           "contexts: [{name: a, context: {cluster: d, user: u}},"
	                           " {name: b, context: {cluster: d, user: u, namespace: bee}}]\n"
	                           "users: [{name: u, user: {tokenFile: tok}}]\n");
	write_file("sub/tok", "from-sub\n");
	env = xasprintf("%s/missing.yaml::%s/one.yaml:%s/sub/two.yaml", tmpdir, tmpdir, tmpdir);
	setenv("KUBECONFIG", env, 1);
	assert_int_equal(kubeconfig_load(NULL, &c, &cause), 0);
	assert_string_equal(c.context, "a");
	assert_string_equal(c.server, "https://first");
	assert_string_equal(c.token, "from-sub");
	kube_creds_done(&c);
	assert_int_equal(kubeconfig_load("b", &c, &cause), 0);
	assert_string_equal(c.server, "https://d");
	assert_string_equal(c.namespace, "bee");
	kube_creds_done(&c);
	free(env);

	/* the order of the list decides */
	env = xasprintf("%s/sub/two.yaml:%s/one.yaml", tmpdir, tmpdir);
	setenv("KUBECONFIG", env, 1);
	assert_int_equal(kubeconfig_load(NULL, &c, &cause), 0);
	assert_string_equal(c.context, "b");
	kube_creds_done(&c);
	assert_int_equal(kubeconfig_load("a", &c, &cause), 0);
	assert_string_equal(c.server, "https://d");
	kube_creds_done(&c);
	free(env);

	setenv("KUBECONFIG", "/nonexistent/kt-a:/nonexistent/kt-b", 1);
	assert_int_equal(kubeconfig_load(NULL, &c, &cause), -1);
	assert_string_equal(cause, "kubeconfig: none of the files of $KUBECONFIG "
	                           "(/nonexistent/kt-a:/nonexistent/kt-b) exists");

	/* no $KUBECONFIG: ~/.kube/config */
	unsetenv("KUBECONFIG");
	home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", tmpdir, 1);
	assert_int_equal(kubeconfig_load(NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, "/.kube/config: No such file or directory"));
	make_dir(".kube");
	write_file(".kube/config", "current-context: h\n"
	                           "clusters: [{name: c, cluster: {server: 'https://home'}}]\n"
	                           "contexts: [{name: h, context: {cluster: c, user: u}}]\n"
	                           "users: [{name: u, user: {token: ht}}]\n");
	assert_int_equal(kubeconfig_load(NULL, &c, &cause), 0);
	assert_string_equal(c.server, "https://home");
	kube_creds_done(&c);
	if (home != NULL)
		setenv("HOME", home, 1);
	free(home);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_k3s),
		cmocka_unit_test(test_files_relative),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_load_merge),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
