/* Unit tests of core/config's environment side: path expansion, relative
 * paths, the lookup order, the default configuration, per-host URLs, and
 * parsing from several threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config/config.h"
#include "core/base/util.h"
#include "tests/support/config_test.h"

#define FIXTURE CONFIG_TEST_FIXTURE

/* ---- paths, lookup, default ----------------------------------------------------- */

static void test_expand_path(void **state)
{
	char *p, *want;

	p = config_expand_path("~/a");
	want = config_test_home_path("a");
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = config_expand_path("~");
	assert_string_equal(p, config_test_home);
	free(p);
	p = config_expand_path("$HOME/x:${HOME}/y");
	want = xasprintf("%s/x:%s/y", config_test_home, config_test_home);
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = config_expand_path("$XDG_CONFIG_HOME/k");
	want = config_test_home_path(".config/k");
	assert_string_equal(p, want);
	free(p);
	free(want);
	setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
	p = config_expand_path("${XDG_CONFIG_HOME}/k");
	assert_string_equal(p, "/etc/xdg-test/k");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);   /* ignored, as the XDG spec says */
	p = config_expand_path("$XDG_CONFIG_HOME");
	want = config_test_home_path(".config");
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = config_expand_path("$XDG_STATE_HOME/s");
	want = config_test_home_path(".local/state/s");
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = config_expand_path("$XDG_RUNTIME_DIR/r");
	want = xasprintf("/run/user/%u/r", (unsigned)getuid());
	assert_string_equal(p, want);
	free(p);
	free(want);
	setenv("XDG_RUNTIME_DIR", "/run/test", 1);
	p = config_expand_path("$XDG_RUNTIME_DIR/r");
	assert_string_equal(p, "/run/test/r");
	free(p);
	/* not ours: left as written */
	p = config_expand_path("$PATH/a/~/${NOPE}/$/${unclosed");
	assert_string_equal(p, "$PATH/a/~/${NOPE}/$/${unclosed");
	free(p);
}

static void test_relative_paths_from_the_file(void **state)
{
	char *dir = config_test_home_path("conf"), *file, *cause = NULL, *want;
	struct config *cfg;

	mkdir(dir, 0700);
	file = xasprintf("%s/kitetop.conf", dir);
	config_test_write_home_file("conf/pw", "s3cret\n", 0600);
	config_test_write_file(file, "[host a]\nidentity_file = keys/id\n[redis]\naddress = r:1\nuser = u\npassword_file = pw\n",
	           0644);
	cfg = config_load(file, &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	want = xasprintf("%s/keys/id", dir);
	assert_string_equal(cfg->hosts[0].identity_file, want);
	assert_string_equal(cfg->redis->password.value, "s3cret");
	free(want);
	config_free(cfg);
	free(file);
	free(dir);
}

static void test_load_errors(void **state)
{
	char *cause = NULL;

	assert_null(config_load("/nonexistent/kitetop.conf", &cause));
	assert_string_equal(cause, "/nonexistent/kitetop.conf: No such file or directory");
	free(cause);
	cause = NULL;
	assert_null(config_load(config_test_home, &cause));
	assert_non_null(strstr(cause, "is not a regular file"));
	free(cause);
}

static void test_find_order(void **state)
{
	char *p, *dflt, *xdg = config_test_home_path("xdg");
	char *xdgconf;

	assert_string_equal((p = config_find("/explicit.conf")), "/explicit.conf");
	free(p);
	setenv("KITETOP_CONFIG", "/from/env.conf", 1);
	assert_string_equal((p = config_find("/explicit.conf")), "/explicit.conf");
	free(p);
	assert_string_equal((p = config_find(NULL)), "/from/env.conf");
	free(p);
	setenv("KITETOP_CONFIG", "", 1);   /* empty = unset */

	/* ~/.config/kitetop/kitetop.conf: absent, then present */
	assert_null(config_find(NULL));
	dflt = config_test_home_path(".config/kitetop/kitetop.conf");
	config_test_write_file(dflt, "[kitetop]\n", 0644);
	assert_string_equal((p = config_find(NULL)), dflt);
	free(p);

	/* $XDG_CONFIG_HOME wins over ~/.config */
	mkdir(xdg, 0700);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_null(config_find(NULL));
	xdgconf = config_test_home_path("xdg/kitetop");
	mkdir(xdgconf, 0700);
	free(xdgconf);
	xdgconf = config_test_home_path("xdg/kitetop/kitetop.conf");
	config_test_write_file(xdgconf, "", 0644);
	assert_string_equal((p = config_find(NULL)), xdgconf);
	free(p);
	setenv("KITETOP_CONFIG", "/from/env.conf", 1);
	assert_string_equal((p = config_find(NULL)), "/from/env.conf");
	free(p);
	unlink(dflt);
	free(dflt);
	free(xdgconf);
	free(xdg);
}

static void test_default_config(void **state)
{
	struct config *cfg;
	char name[256] = "";

	setenv("DOCKER_HOST", "tcp://10.1.2.3:2376", 1);
	setenv("DOCKER_TLS_VERIFY", "1", 1);
	setenv("DOCKER_CERT_PATH", "/certs", 1);
	cfg = config_default();
	assert_null(cfg->path);
	assert_int_equal(cfg->nhosts, 1);
	assert_true(cfg->hosts[0].implicit);
	assert_null(cfg->hosts[0].ssh);
	gethostname(name, sizeof(name) - 1);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(name) &&
	    name[0] != '\0' && strlen(name) <= 64)
		assert_string_equal(cfg->hosts[0].name, name);
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_TCP);
	assert_string_equal(cfg->hosts[0].docker_url, "10.1.2.3:2376");
	assert_string_equal(cfg->hosts[0].tls_ca, "/certs/ca.pem");
	assert_string_equal(cfg->hosts[0].tls_key, "/certs/key.pem");
	assert_int_equal(cfg->refresh_ms, CONFIG_DEFAULT_REFRESH_MS);
	assert_true(cfg->mouse);
	config_free(cfg);

	setenv("DOCKER_HOST", "unix:///tmp/other.sock", 1);
	cfg = config_default();
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_UNIX);
	assert_string_equal(cfg->hosts[0].docker_url, "/tmp/other.sock");
	assert_null(cfg->hosts[0].tls_ca);
	config_free(cfg);

	unsetenv("DOCKER_HOST");
	cfg = config_default();
	if (access("/var/run/docker.sock", F_OK) == 0) {
		assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_UNIX);
		assert_string_equal(cfg->hosts[0].docker_url, "/var/run/docker.sock");
	} else {
		assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_NONE);
	}
	config_free(cfg);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* No configuration file: DOCKER_HOST=ssh://..., else the current docker
 * context's ssh:// endpoint, is the one host, as the docker CLI would use. */
static void test_default_config_follows_docker_ssh(void **state)
{
	char dir[] = "/tmp/kt-dctx-XXXXXX", p[256];
	struct config *cfg;

	unsetenv("DOCKER_TLS_VERIFY");
	setenv("DOCKER_HOST", "ssh://root@127.0.0.2", 1);
	cfg = config_default();
	assert_int_equal(cfg->nhosts, 1);
	assert_string_equal(cfg->hosts[0].name, "127.0.0.2");
	assert_string_equal(cfg->hosts[0].ssh, "ssh://root@127.0.0.2");
	assert_string_equal(cfg->hosts[0].address, "127.0.0.2");
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_SSH);
	assert_false(cfg->hosts[0].implicit);
	config_free(cfg);

	assert_non_null(mkdtemp(dir));
	setenv("DOCKER_CONFIG", dir, 1);
	snprintf(p, sizeof p, "%s/contexts", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/contexts/meta", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/contexts/meta/0123abcd", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/contexts/meta/0123abcd/meta.json", dir);
	write_text(p, "{\"Name\":\"lab monk\",\"Metadata\":{},\"Endpoints\":{\"docker\":"
	              "{\"Host\":\"ssh://kite@monk.lab:2022\",\"SkipTLSVerify\":false}}}");
	snprintf(p, sizeof p, "%s/config.json", dir);
	write_text(p, "{\"auths\":{},\"currentContext\":\"lab monk\"}");

	/* DOCKER_HOST wins over the context; a unix:// one is this machine, as before */
	setenv("DOCKER_HOST", "unix:///tmp/other.sock", 1);
	cfg = config_default();
	assert_null(cfg->hosts[0].ssh);
	assert_int_equal(cfg->hosts[0].docker, CONFIG_DOCKER_UNIX);
	config_free(cfg);

	unsetenv("DOCKER_HOST");
	cfg = config_default();
	assert_string_equal(cfg->hosts[0].name, "lab-monk");
	assert_string_equal(cfg->hosts[0].ssh, "ssh://kite@monk.lab:2022");
	assert_string_equal(cfg->hosts[0].address, "monk.lab");
	config_free(cfg);

	/* DOCKER_CONTEXT names another context: "default" is this machine */
	setenv("DOCKER_CONTEXT", "default", 1);
	cfg = config_default();
	assert_null(cfg->hosts[0].ssh);
	config_free(cfg);
	setenv("DOCKER_CONTEXT", "missing", 1);
	cfg = config_default();
	assert_null(cfg->hosts[0].ssh);
	config_free(cfg);
	unsetenv("DOCKER_CONTEXT");
	unsetenv("DOCKER_CONFIG");
	unlink(p);
	snprintf(p, sizeof p, "%s/contexts/meta/0123abcd/meta.json", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/contexts/meta/0123abcd", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/contexts/meta", dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/contexts", dir);
	rmdir(p);
	rmdir(dir);
}

static void test_host_url(void **state)
{
	char name[] = "monk", v4[] = "100.101.1.10", v6[] = "fd00::1";
	struct config_host h = { .name = name, .address = v4 };
	char *u;

	u = config_host_url(&h, "http://{address}:3000/{name}/{other}");
	assert_string_equal(u, "http://100.101.1.10:3000/monk/{other}");
	free(u);
	h.address = v6;
	u = config_host_url(&h, "http://{address}:9000/");
	assert_string_equal(u, "http://[fd00::1]:9000/");
	free(u);
	h.address = NULL;
	u = config_host_url(&h, "http://{address}/");
	assert_string_equal(u, "http://127.0.0.1/");
	free(u);
}

static void *parse_many(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < 25; i++) {
		char *cause = NULL;
		struct config *cfg = config_load(FIXTURE, &cause);

		if (cfg == NULL || cfg->nhosts != 2 || strcmp(cfg->panels[0].query,
		    "sum(rate(traefik_service_requests_total{code=~\"5..\"}[5m]))") != 0) {
			config_free(cfg);
			free(cause);
			return (void *)1;
		}
		config_free(cfg);
	}
	return NULL;
}

/* inih's options are process-wide: config_parse sets them under its lock. */
static void test_parse_from_threads(void **state)
{
	pthread_t t[4];
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(t); i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_many, NULL), 0);
	for (i = 0; i < UTIL_ARRAY_LEN(t); i++) {
		void *ret = (void *)1;

		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
	assert_int_equal(ini_max_line, 200);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_expand_path, config_test_setup),
		cmocka_unit_test_setup(test_relative_paths_from_the_file, config_test_setup),
		cmocka_unit_test_setup(test_load_errors, config_test_setup),
		cmocka_unit_test_setup(test_find_order, config_test_setup),
		cmocka_unit_test_setup(test_default_config, config_test_setup),
		cmocka_unit_test_setup(test_default_config_follows_docker_ssh, config_test_setup),
		cmocka_unit_test_setup(test_host_url, config_test_setup),
		cmocka_unit_test_setup(test_parse_from_threads, config_test_setup),
	};

	return cmocka_run_group_tests(tests, config_test_group_setup, config_test_group_teardown);
}
